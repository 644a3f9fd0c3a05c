"""The claim page: summary, the CNF and every submitted form, history, the operations the user may
take, attachments and printable documents; and the Defendant Only CNF letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.defendant_only import defendant_only_cnf_for
from claimsportal.claims.models import Claim
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.core import clock
from claimsportal.custody import gdpr
from claimsportal.custody.rules import fate
from claimsportal.presentation.cnf import cnf_tree
from claimsportal.presentation.form_tree import Node, form_tree
from claimsportal.presentation.labels import code_label, operation_label
from claimsportal.presentation.summary import SummaryGroup, summarise
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import OperationKind, Side
from claimsportal.publishing import statement_of_truth
from claimsportal.web import selectors
from claimsportal.web.claims import attachments
from claimsportal.web.claims import documents as printable_documents
from claimsportal.web.claims.acting import refused, user_of, with_actor
from claimsportal.web.claims.labels import ONE_CLICK_OPERATIONS


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    one_click: bool
    housekeeping: bool


@dataclass(frozen=True)
class SubmittedForm:
    operation: str
    label: str
    submitted_at: datetime
    side: str
    groups: list[SummaryGroup]


def _submitted_forms(
    claim: Claim, detail: dict[str, Any], signed: list[statement_of_truth.Signed]
) -> list[SubmittedForm]:
    definition = definition_for(claim.claim_type)
    out = []
    for entry in detail["submittedForms"]:
        name = entry["operation"]
        named = definition.operations_named(name)
        data = entry["form"]
        # A form of an operation the protocol no longer has is still shown, with its own field names.
        tree = form_tree(named[0].payload) if named else Node("", "", "object", "")
        submitted_at = datetime.fromisoformat(entry["submittedAt"])
        groups = statement_of_truth.with_statement(
            summarise(tree, data),
            signed_on=submitted_at.astimezone(LONDON).date(),
            document=statement_of_truth.document_name(name),
            stored=statement_of_truth.for_form(signed, name, submitted_at),
        )
        out.append(
            SubmittedForm(
                name,
                operation_label(name),
                submitted_at,
                "Claimant representative" if entry["side"] == "CR" else "Compensator",
                groups,
            )
        )
    return out


@with_actor
def claim_page(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    claim = claim_selectors.get_visible_claim(actor, application_id, with_counts=True)
    if claim.phase == DRAFT_PHASE:
        return redirect("claims:draft", format_application_id(claim.pk))
    today = clock.today()
    detail = claim_selectors.claim_detail(actor, claim, today)
    definition = definition_for(claim.claim_type)
    actions = []
    for name in detail["allowedOperations"]:
        op = definition.operation(name, claim.phase)
        housekeeping = op is not None and op.kind is OperationKind.HOUSEKEEPING
        actions.append(Action(name, operation_label(name), name in ONE_CLICK_OPERATIONS, housekeeping))
    sent_on = claim.state.get("sent_on") if isinstance(claim.state, dict) else None
    # The statement-of-truth wording each signed form confirmed, as stored when it was sent
    signed = statement_of_truth.signed_for(claim.pk)
    cnf_groups = (
        statement_of_truth.with_statement(
            summarise(cnf_tree(claim.claim_type), detail["cnf"]),
            signed_on=date.fromisoformat(sent_on) if sent_on else None,
            document="Claim Notification Form",
            stored=statement_of_truth.for_cnf(signed),
        )
        if detail["cnf"]
        else []
    )

    return render(
        request,
        "web/claim.html",
        {
            "attachments": attachments.section(actor, claim),
            "documents": printable_documents.section(actor, claim),
            "claim": claim,
            "claim_type_label": code_label("claimType", claim.claim_type),
            "detail": detail,
            "application_id": format_application_id(claim.pk),
            "phase_name": definition.phases[claim.phase].name
            if claim.phase in definition.phases
            else claim.phase,
            "business_days_left": (
                selectors.business_days_left(claim.deadline_at, today=today) if claim.deadline_at else None
            ),
            "due_soon": claim.deadline_at is not None
            and selectors.business_days_left(claim.deadline_at, today=today) <= selectors.DUE_SOON_DAYS,
            "overdue": claim.deadline_at is not None and claim.deadline_at <= clock.now(),
            "locked_to_me": claim.locked_by_id is not None and claim.locked_by_id == actor.user_pk,
            "workflow_actions": [a for a in actions if not a.housekeeping],
            "housekeeping_actions": [a for a in actions if a.housekeeping],
            "events": selectors.claim_history(claim, with_drafts=actor.side is Side.CR),
            "cnf_groups": cnf_groups,
            "submitted": _submitted_forms(claim, detail, signed),
            "is_cr": actor.side is Side.CR,
            "retention": fate(claim, today),
            "may_delete": gdpr.may_delete(user_of(request)),
        },
    )


@with_actor
def defendant_only_cnf(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    try:
        letter = defendant_only_cnf_for(actor, application_id)
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise
        return refused(request, error)
    return render(request, "web/claims/defendant_only.html", {"letter": letter})
