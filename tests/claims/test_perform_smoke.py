from __future__ import annotations

from claimsportal.claims.models import Claim, ClaimEvent
from tests.conftest import World, send_claim, step


def test_an_rta_claim_goes_from_sending_to_liability_admitted(world: World) -> None:
    info = send_claim(world)
    assert info.phase == "ClaimSubmitted"
    info = step(world, world.comp_handler, info, "acceptClaim")
    assert info.phase == "Article75Decision"
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    assert info.phase == "LiabilityAdmitted"
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.owner_side == "CR" and claim.awaiting_organisation_id == world.cr.pk
    assert claim.deadline_at is None
    assert ClaimEvent.objects.filter(claim=claim).count() == 4
