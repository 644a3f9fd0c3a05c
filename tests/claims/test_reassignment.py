from __future__ import annotations

import pytest

from claimsportal.claims.models import Claim
from claimsportal.protocols.errors import PortalError
from tests.conftest import World, send_claim, step


def test_reassigning_to_a_group_tpa_moves_the_claim_unlocked_with_its_timer_unchanged(world: World) -> None:
    info = send_claim(world)
    before = Claim.objects.get(pk=info.application_id)
    info = step(world, world.comp_handler, info, "lockClaim")
    info = step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.comp_organisation_id == world.tpa.pk
    assert claim.awaiting_organisation_id == world.tpa.pk
    assert claim.locked_by_id is None
    assert claim.deadline_at == before.deadline_at
    assert claim.phase == "ClaimSubmitted"
    accepted = step(world, world.tpa_handler, info, "acceptClaim")
    assert accepted.phase == "Article75Decision"


def test_the_former_compensator_can_no_longer_see_a_reassigned_claim(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    with pytest.raises(PortalError) as refused:
        step(world, world.comp_handler, info, "acceptClaim")
    assert refused.value.code == "NOT_FOUND"
