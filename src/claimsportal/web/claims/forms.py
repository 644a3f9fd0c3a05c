"""The pages' forms: which model, which settings, which values (no business rule: ``perform`` decides)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimsportal.claims.acting import Actor
from claimsportal.claims.models import Claim
from claimsportal.organisations.models import User
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
FIRM_SECTION = "claimAndClaimantDetails"
FIRM_PATH = ("claimantRepresentative", "companyDetails")  # within FIRM_SECTION


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
    # targetUserID, organisationPath and branchId are chosen with a picker (operations.PICKED), from
    # what this user may choose (web.claims.pickers), not typed.
    cnf = tree.child("cnf")
    if cnf is not None:  # resending a rejected claim: the form as sent, to correct
        settings = cnf_settings(claim.claim_type, claim.cnf)
        fixed.update(settings.fixed)
        hidden |= settings.hidden
        initial = values_from_data(cnf, claim.cnf or {})
    return OperationForm(
        op, tree, FormSettings(fixed=fixed, hidden=frozenset(hidden), choices=choices), initial
    )


def firm_details(user_pk: int) -> dict[str, Any]:
    """The claimant representative's own details as the CNF asks for them, from the organisation,
    the user's branch and the user (a branch's address, telephone and e-mail before the
    organisation's): what the draft's form shows until the user saves it (nothing is stored)."""
    user = User.objects.select_related("organisation", "branch").get(pk=user_pk)
    org = user.organisation
    branch = user.branch
    if org is None:
        return {}
    address = dict((branch.address if branch is not None and branch.address else None) or org.address or {})
    details: dict[str, Any] = {
        "companyName": org.name[:100],
        "branchName": branch.name[:100] if branch is not None else "",
        "emailAddress": (branch.email if branch is not None and branch.email else org.email),
        "contactName": user.forename[:25],
        "contactSurname": user.surname[:25],
        "telephoneNumber": (branch.telephone if branch is not None and branch.telephone else org.telephone),
        "address": {"country": "United Kingdom", **{k: str(v) for k, v in address.items() if v}},
    }
    return {key: value for key, value in details.items() if value}


def with_firm_details(section: str, stored: Any, user_pk: int) -> Any:
    """The stored section, with the firm's details filled in when the section has none yet."""
    if section != FIRM_SECTION:
        return stored
    data = dict(stored) if isinstance(stored, dict) else {}
    representative = dict(data.get(FIRM_PATH[0]) or {})
    if representative.get(FIRM_PATH[1]):
        return stored
    representative[FIRM_PATH[1]] = firm_details(user_pk)
    data[FIRM_PATH[0]] = representative
    return data
