"""The unrepresented claimant's rules (WORKFLOW.md §1.1 and §8.2; ADMINISTRATION.md §8.8).

A litigant in person's account (``Organisation.litigant_in_person``) is a one-person claimant-side
organisation allowed **one claim** (its draft included), sent with the CNF's "not legally
represented" tick (``claimantRepresentative.litigantInPerson`` = ``1``), and so with the statement
of truth signed by the claimant (the forms' own rule). A represented claimant's firm never ticks it.
Everything else — phases, operations, time limits — is the same protocol.
"""

from __future__ import annotations

from typing import Any

from claimsportal.claims.acting import Actor
from claimsportal.claims.models import Claim
from claimsportal.organisations.models import Organisation
from claimsportal.protocols.errors import ErrorDetail, PortalError

TICK_PATH = "cnf.claimAndClaimantDetails.claimantRepresentative.litigantInPerson"
ONE_CLAIM = "An unrepresented claimant's account can bring one claim only, and this account already has one"


def check_may_open_claim(actor: Actor) -> None:
    """Call inside the transaction that opens a claim: a litigant in person's second claim (or draft)
    is refused. The organisation's row is locked first, so two concurrent attempts cannot both pass."""
    if not actor.litigant_in_person:
        return
    Organisation.objects.select_for_update().filter(pk=actor.organisation_pk).values_list("pk").first()
    if Claim.objects.filter(cr_organisation_id=actor.organisation_pk).exists():
        raise PortalError("BUSINESS_RULE", ONE_CLAIM, [ErrorDetail("claimType", "one claim per account")])


def marks_litigant_in_person(cnf: Any) -> bool:
    """Whether a CNF (as stored on the claim or sent) carries the "not legally represented" tick."""
    node: Any = cnf
    for part in ("claimAndClaimantDetails", "claimantRepresentative", "litigantInPerson"):
        node = node.get(part) if isinstance(node, dict) else None
    return bool(node == "1")


def check_representation(actor: Actor, payload: dict[str, Any]) -> None:
    """The CNF sent (``addClaim``, ``resendRejectedClaim``) says who represents the claimant truly."""
    ticked = marks_litigant_in_person(payload.get("cnf"))
    if actor.litigant_in_person and not ticked:
        raise PortalError(
            "BUSINESS_RULE",
            "An unrepresented claimant's CNF must be marked as not legally represented",
            [ErrorDetail(TICK_PATH, "must be 1 (the claimant is not legally represented)")],
        )
    if ticked and not actor.litigant_in_person:
        raise PortalError(
            "BUSINESS_RULE",
            "Only an unrepresented claimant's own account can send a CNF marked as not legally represented",
            [ErrorDetail(TICK_PATH, "must be left out or 0: your organisation represents the claimant")],
        )
