"""A printable document as HTML and as PDF (WeasyPrint), from its ``context`` alone.

The forms are printed the way the claim page shows them: the same readable groups
(``presentation.summary.summarise`` over each form's tree, with the labels of
``presentation.labels``) through the same template (``web/claims/_summary.html``), and the Defendant
Only CNF through the same letter as its page. A print style sheet (A4, the portal's name, a footer
with the application ID, the document's title and version, the date it was generated and "page x of
y") replaces GOV.UK Frontend's screen CSS. Nothing here reads the database: a document renders the
same PDF whenever it is rendered, whatever changed since it was created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from claimsportal.claims.models import Claim
from claimsportal.documents.models import PrintableDocument
from claimsportal.organisations.models import Organisation
from claimsportal.presentation.cnf import cnf_tree
from claimsportal.presentation.form_tree import Node, form_tree
from claimsportal.presentation.labels import operation_label
from claimsportal.presentation.summary import SummaryGroup, summarise
from claimsportal.protocols.forms.defendant_only import defendant_only_cnf
from claimsportal.protocols.forms.withheld import form_without_withheld, without_withheld
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import statement_of_truth

PORTAL_NAME = "Claims Portal"
Kind = PrintableDocument.Kind

TEMPLATES: dict[str, str] = {
    Kind.CNF: "documents/cnf.html",
    Kind.DEFENDANT_ONLY_CNF: "documents/defendant_only_cnf.html",
    Kind.CNF_INSURER_RESPONSE: "documents/cnf_insurer_response.html",
    Kind.INTERIM_SETTLEMENT_PACK: "documents/interim_settlement_pack.html",
    Kind.STAGE2_SETTLEMENT_PACK: "documents/stage2_settlement_pack.html",
    Kind.STAGE2_ADDITIONAL_DAMAGES: "documents/stage2_additional_damages.html",
    Kind.COURT_PROCEEDINGS_PACK: "documents/court_proceedings_pack.html",
}

_ADDRESS_KEYS = (
    "houseNumber",
    "houseName",
    "street1",
    "street2",
    "district",
    "city",
    "county",
    "postCode",
    "country",
)
_AMOUNT = re.compile(r"^£([0-9]+(?:\.[0-9]+)?)$")


@dataclass(frozen=True)
class Party:
    role: str
    name: str
    organisation_id: str
    address_lines: tuple[str, ...]
    telephone: str
    email: str
    reference: str


@dataclass(frozen=True)
class PrintedForm:
    label: str
    side: str
    submitted_at: datetime | None
    groups: list[SummaryGroup]


def money(value: str) -> str:
    """``1500`` or ``1500.5`` as ``£1,500.00`` / ``£1,500.50`` (a stored amount is whole pence)."""
    try:
        return f"£{Decimal(value):,.2f}"
    except InvalidOperation:
        return f"£{value}"


def _with_money(groups: list[SummaryGroup]) -> list[SummaryGroup]:
    """The summary's amounts (shown as ``£<stored digits>``) with two decimals and thousands commas."""
    out = []
    for group in groups:
        rows = tuple(
            replace(row, value=money(found.group(1))) if (found := _AMOUNT.match(row.value)) else row
            for row in group.rows
        )
        out.append(replace(group, rows=rows))
    return out


def _party(role: str, org: Any, reference: str) -> Party | None:
    if not isinstance(org, dict):
        return None
    found = org.get("address")
    address: dict[str, Any] = found if isinstance(found, dict) else {}
    lines = [str(address[k]).strip() for k in _ADDRESS_KEYS if str(address.get(k) or "").strip()]
    return Party(
        role,
        str(org.get("name") or ""),
        str(org.get("organisationId") or ""),
        tuple(lines),
        str(org.get("telephone") or ""),
        str(org.get("email") or ""),
        reference,
    )


def _claimant_name(cnf: Any) -> str:
    details = cnf.get("claimAndClaimantDetails") if isinstance(cnf, dict) else None
    claimant = ((details or {}).get("claimantDetails") or {}).get("personalDetails") or {}
    return " ".join(str(claimant.get(k) or "").strip() for k in ("name", "middleName", "surname")).strip()


def _form_node(claim_type: str, operation: str) -> Node:
    named = definition_for(claim_type).operations_named(operation)
    # A form of an operation the protocol no longer has is still printed, with its own field names.
    return form_tree(named[0].payload) if named else Node("", "", "object", "")


def _printed_forms(
    claim_type: str, forms: list[dict[str, Any]], signed: list[statement_of_truth.Signed]
) -> list[PrintedForm]:
    out = []
    for entry in forms:
        name = str(entry.get("operation") or "")
        submitted = entry.get("submittedAt")
        submitted_at = datetime.fromisoformat(submitted).astimezone(LONDON) if submitted else None
        groups = summarise(_form_node(claim_type, name), form_without_withheld(entry.get("form") or {}))
        out.append(
            PrintedForm(
                operation_label(name),
                "Claimant representative" if entry.get("side") == "CR" else "Compensator",
                submitted_at,
                _with_money(
                    statement_of_truth.with_statement(
                        groups,
                        signed_on=submitted_at.date() if submitted_at else None,
                        document=statement_of_truth.document_name(name),
                        stored=statement_of_truth.for_form(signed, name, submitted_at),
                    )
                ),
            )
        )
    return out


def _css_string(text: str) -> SafeString:
    """``text`` as a CSS string literal (inside a <style> element, which HTML does not unescape)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return mark_safe(f'"{escaped}"')  # noqa: S308 - escaped for CSS above


def document_context(document: PrintableDocument) -> dict[str, Any]:
    """What the templates print, from the snapshot only (and the row's immutable kind/version)."""
    ctx: dict[str, Any] = document.context
    claim_type = str(ctx.get("claimType") or "")
    application_id = str(ctx.get("applicationId") or f"{document.claim_id:08d}")
    created_at = datetime.fromisoformat(ctx["createdAt"]).astimezone(LONDON)
    created_on = date.fromisoformat(ctx.get("createdOn") or created_at.date().isoformat())
    references = ctx.get("references") or {}
    cnf = without_withheld(ctx.get("cnf") or {})  # e.g. the referral source: never printed
    title = str(ctx.get("title") or document.title)
    parties = [
        p
        for p in (
            _party(
                "Claimant representative",
                ctx.get("claimantRepresentative"),
                references.get("claimantRepresentative", ""),
            ),
            _party("Compensator", ctx.get("compensator"), references.get("compensator", "")),
        )
        if p is not None
    ]
    footer = f"Application {application_id} · {title} · version {document.version}"
    # The statement-of-truth wording each form confirmed, as stored when it was sent (the rows of a
    # wording never change, so a document printed after a new wording keeps the one signed).
    signed = statement_of_truth.signed_for(document.claim_id)
    context: dict[str, Any] = {
        "portal_name": PORTAL_NAME,
        "document": document,
        "title": title,
        "kind": document.kind,
        "sequence": document.sequence,
        "version": document.version,
        "application_id": application_id,
        "claim_type": claim_type,
        "created_at": created_at,
        "created_on": created_on,
        "claimant_name": _claimant_name(cnf) or str(references.get("claimantSurname") or ""),
        "parties": parties,
        "cnf_groups": _with_money(
            statement_of_truth.with_statement(
                summarise(cnf_tree(claim_type), cnf),
                signed_on=created_on,
                document="Claim Notification Form",
                stored=statement_of_truth.for_cnf(signed, created_at),
            )
        )
        if cnf and claim_type
        else [],
        "forms": _printed_forms(claim_type, list(ctx.get("forms") or []), signed) if claim_type else [],
        "footer_application": _css_string(application_id),
        "footer_left": _css_string(footer),
        "footer_right": _css_string(f"Generated {created_on.day} {created_on:%B %Y}"),
    }
    if document.kind == Kind.DEFENDANT_ONLY_CNF and cnf:
        context["letter"] = defendant_only_cnf(
            claim_type, cnf, application_id=application_id, sent_on=created_on
        )
    return context


def render_html(document: PrintableDocument, *, draft: bool = False) -> str:
    context = document_context(document)
    context["draft"] = draft
    return render_to_string(TEMPLATES[document.kind], context)


def render_document(document: PrintableDocument, *, draft: bool = False) -> Any:
    """``document`` laid out on A4 pages (a ``weasyprint.Document``: its pages, its metadata).
    WeasyPrint is imported here, on first use: a process that never renders does not load it."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Everything is inline: fetch nothing (no file:, no http:), whatever a form's text contains.
    no_fetching = URLFetcher(allowed_protocols=())
    return HTML(string=render_html(document, draft=draft), url_fetcher=no_fetching).render()


def render_pdf(document: PrintableDocument) -> bytes:
    """The PDF of ``document``."""
    pdf: bytes = render_document(document).write_pdf()
    return pdf


def draft_cnf_pdf(claim: Claim, title: str, now: datetime) -> bytes:
    """A draft's CNF printed as it stands (WORKFLOW.md §10: "draft printing possible before sending"),
    ``title`` being the CNF's (``printable.document_title``)."""
    return draft_pdf(claim, Kind.CNF, title, [], now)


def draft_operation_pdf(
    claim: Claim, kind: str, title: str, operation: str, form: dict[str, Any], now: datetime
) -> bytes:
    """The document of ``kind`` (and ``title``) that ``operation`` would create (``printable.DRAFT_PRINTS``),
    with ``form`` as typed so far, printed as a draft."""
    entry = {"operation": operation, "submittedAt": now.isoformat(), "side": "COMP", "form": form}
    return draft_pdf(claim, kind, title, [entry], now)


def draft_pdf(claim: Claim, kind: str, title: str, forms: list[dict[str, Any]], now: datetime) -> bytes:
    """A document of ``kind`` as it would be printed now, marked "Draft - not sent" on every page and
    never stored: it is not one of the claim's documents. What is withheld stays withheld. The caller
    names the kind and its title (``documents.printable`` decides them; this module only renders)."""
    comp = claim.comp_organisation
    document = PrintableDocument(
        claim_id=claim.pk,
        kind=kind,
        title=title,
        context={
            "applicationId": f"{claim.pk:08d}",
            "claimType": claim.claim_type,
            "title": f"Draft {title}",
            "createdAt": now.isoformat(),
            "createdOn": now.astimezone(LONDON).date().isoformat(),
            "references": {
                "claimantRepresentative": claim.cr_reference,
                "compensator": claim.comp_reference,
                "claimantSurname": claim.claimant_surname,
            },
            "claimantRepresentative": _organisation_snapshot(claim.cr_organisation),
            "compensator": _organisation_snapshot(comp) if comp is not None else None,
            "cnf": claim.cnf or {},
            "forms": forms,
        },
        created_at=now,
    )
    pdf: bytes = render_document(document, draft=True).write_pdf()
    return pdf


def _organisation_snapshot(org: Organisation) -> dict[str, Any]:
    """An organisation as a document's context holds it (as ``printable``'s statement builds it)."""
    return {
        "organisationId": org.org_id,
        "name": org.name,
        "address": org.address,
        "telephone": org.telephone,
        "email": org.email,
    }
