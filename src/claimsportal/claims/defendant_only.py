"""The Defendant Only CNF of a sent claim, for the claimant representative who must post it."""

from __future__ import annotations

from claimsportal.claims.acting import Actor, format_application_id, parse_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms.defendant_only import DefendantOnlyCnf, defendant_only_cnf
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import Side


def defendant_only_cnf_for(actor: Actor, application_id: int | str) -> DefendantOnlyCnf:
    """The data of the Defendant Only CNF (RTA2/EL2/ELD2/PL2) as the claim was last sent. Only the
    claimant side has it (it is theirs to post); a claim the actor cannot see does not exist."""
    number = parse_application_id(application_id)
    claim = Claim.objects.filter(pk=number).first()
    if claim is None or not actor.scope.can_see(claim):
        raise PortalError(
            "NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "no claim you can see")]
        )
    if actor.side is not Side.CR:
        raise PortalError(
            "WRONG_SIDE",
            "The Defendant Only CNF is for the claimant representative to post to the defendant",
            [ErrorDetail("operation", "not available to the COMP side")],
        )
    if claim.phase == DRAFT_PHASE or claim.sent_at is None or not claim.cnf:
        raise PortalError(
            "WRONG_PHASE",
            "The Defendant Only CNF exists once the claim has been sent",
            [ErrorDetail("phaseCacheId", "the claim is still a draft")],
        )
    return defendant_only_cnf(
        claim.claim_type,
        claim.cnf,
        application_id=format_application_id(claim.pk),
        sent_on=claim.sent_at.astimezone(LONDON).date(),
    )
