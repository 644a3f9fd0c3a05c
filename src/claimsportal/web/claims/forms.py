"""The pages' forms: which model, which settings, which values (no business rule: ``perform`` decides)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimsportal.claims.acting import Actor
from claimsportal.claims.models import Claim
from claimsportal.organisations.models import Branch, User
from claimsportal.presentation.form_tree import Node, form_tree
from claimsportal.protocols.codes import EXIT_CODES, REJECTION_REASONS
from claimsportal.protocols.definitions import Operation
from claimsportal.protocols.forms.facts import INSURER_INFORMATION_PATH
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.types import ClaimType
from claimsportal.web.claims.schema_form import FormSettings, Values, values_from_data

INSURER_PATH = f"cnf.{INSURER_INFORMATION_PATH}"
INSURER_KEYS = ("insurerOrganizationID", "insurerOrganizationPath")
NOTIFICATION_DATE = "cnf.applicationData.claimDetails.notificationDate"  # the portal sets it when sent
CNF_CLAIM_TYPE = "cnf.applicationData.claimDetails.claimType"  # EL/PL: the draft's type, fixed


def insurer_values(cnf: dict[str, Any] | None) -> dict[str, str]:
    node: Any = cnf or {}
    for part in INSURER_INFORMATION_PATH.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    node = node if isinstance(node, dict) else {}
    return {key: str(node.get(key) or "") for key in INSURER_KEYS}


def cnf_settings(claim_type: str, cnf: dict[str, Any] | None) -> FormSettings:
    """The CNF as a claimant representative fills it: the compensator's organisation ID and path come
    from the compensator chosen (not typed), the EL/PL claim type is the claim's, and the notification
    date is the day it is sent (set by the portal)."""
    chosen = insurer_values(cnf)
    fixed: dict[str, Any] = {f"{INSURER_PATH}.{key}": value for key, value in chosen.items()}
    if ClaimType(claim_type) is not ClaimType.RTA:
        fixed[CNF_CLAIM_TYPE] = claim_type
    return FormSettings(fixed=fixed, hidden=frozenset({NOTIFICATION_DATE}))


@dataclass(frozen=True)
class OperationForm:
    """An operation's page: its payload's form, the settings and the first values shown."""

    operation: Operation
    tree: Node
    settings: FormSettings
    initial: Values

    @property
    def has_fields(self) -> bool:
        return bool(self.tree.children)


def operation_model(claim: Claim, name: str) -> Operation | None:
    """The operation as the claim's protocol declares it in the claim's phase (else any phase's, for
    an operation the claim cannot take now: ``perform`` says why)."""
    definition = definition_for(claim.claim_type)
    op = definition.operation(name, claim.phase)
    if op is None:
        named = definition.operations_named(name)
        op = named[0] if named else None
    return op


def operation_form(actor: Actor, claim: Claim, op: Operation) -> OperationForm:
    tree = form_tree(op.payload)
    protocol = ClaimType(claim.claim_type).protocol
    choices: dict[str, list[tuple[str, str]]] = {}
    fixed: dict[str, Any] = {}
    hidden: set[str] = set()
    initial: Values = {}
    if tree.child("exitReasonCode") is not None:
        choices["exitReasonCode"] = [
            (code.code, code.label) for code in EXIT_CODES.values() if code.allowed_for(protocol, actor.side)
        ]
    if tree.child("rejectionReasonCode") is not None:
        choices["rejectionReasonCode"] = list(REJECTION_REASONS[protocol].items())
    if tree.child("targetUserID") is not None:
        users = (
            User.objects.filter(organisation_id=actor.organisation_pk, is_enabled=True, is_active=True)
            .order_by("user_id")
            .values_list("user_id", "forename", "surname")
        )
        choices["targetUserID"] = [
            (uid, f"{uid} ({' '.join(p for p in (fore, sur) if p)})" if fore or sur else uid)
            for uid, fore, sur in users
        ]
    if tree.child("branchId") is not None:
        branches = Branch.objects.filter(organisation_id=actor.organisation_pk, enabled=True).order_by(
            "branch_id"
        )
        choices["branchId"] = [(b.branch_id, f"{b.branch_id} {b.name}") for b in branches]
    cnf = tree.child("cnf")
    if cnf is not None:  # resending a rejected claim: the form as sent, to correct
        settings = cnf_settings(claim.claim_type, claim.cnf)
        fixed.update(settings.fixed)
        hidden |= settings.hidden
        initial = values_from_data(cnf, claim.cnf or {})
    return OperationForm(
        op, tree, FormSettings(fixed=fixed, hidden=frozenset(hidden), choices=choices), initial
    )
