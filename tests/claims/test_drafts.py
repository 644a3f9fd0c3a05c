"""Draft CNFs: chosen claim type first, partial saves, full validation only when sent, CR only."""

from __future__ import annotations

from typing import Any

import pytest

from claimsportal.claims import drafts
from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.web.selectors import claim_list
from tests.claims.conftest import refused
from tests.conftest import World, cnf

pytestmark = pytest.mark.django_db

CLAIMANT = "claimAndClaimantDetails.claimantDetails"
INSURER = "claimAndClaimantDetails.defendantDetails.insurerInformation"


def draft(world: World, claim_type: str = "RTA", form: dict[str, Any] | None = None) -> ClaimInfo:
    return drafts.create_draft(world.actor(world.cr_handler), claim_type, form)


def addressed(form: dict[str, Any], path: str) -> dict[str, Any]:
    form["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]["insurerOrganizationPath"] = (
        path
    )
    return form


def test_a_new_draft_is_in_claim_data_input_and_only_the_claimant_side_sees_it(world: World) -> None:
    info = draft(world, "EL", {"applicationData": {"claimDetails": {"claimType": "EL"}}})
    claim = Claim.objects.get(pk=info.application_id)
    assert (claim.phase, claim.owner_side, claim.claim_type) == ("ClaimDataInputEdit", "CR", "EL")
    assert claim.comp_organisation_id is None and claim.sent_at is None
    assert info.phase_name
    assert claim_list(world.cr_handler).filter(pk=claim.pk).exists()
    for outsider in (world.comp_handler, world.comp_leader, world.other_cr_handler):
        assert not claim_list(outsider).filter(pk=claim.pk).exists()
    listed = drafts.list_drafts(world.actor(world.cr_handler))
    assert [d.application_id for d in listed] == [f"{claim.pk:08d}"]
    assert drafts.list_drafts(world.actor(world.other_cr_handler)) == []


def test_saving_sections_keeps_the_others_and_issues_a_new_guid(world: World, clock: FixedClock) -> None:
    full = cnf("RTA", surname="Patel")
    info = draft(world, "RTA", {"claimAndClaimantDetails": full["claimAndClaimantDetails"]})
    claim = Claim.objects.get(pk=info.application_id)
    assert (claim.claimant_surname, claim.cr_reference) == ("Patel", "REF-Patel")
    saved = drafts.update_draft(
        world.actor(world.cr_handler),
        info.application_id,
        info.activity_guid,
        sections={"medicalDetails": full["medicalDetails"], "unwanted": None},
    )
    assert saved.activity_guid != info.activity_guid
    claim.refresh_from_db()
    assert claim.cnf is not None and set(claim.cnf) == {"claimAndClaimantDetails", "medicalDetails"}
    with refused(clock, "STALE_ACTIVITY_GUID", "activityEngineGuid"):
        drafts.update_draft(world.actor(world.cr_handler), info.application_id, info.activity_guid, cnf={})
    replaced = drafts.update_draft(
        world.actor(world.cr_handler),
        info.application_id,
        saved.activity_guid,
        cnf={"statementOfTruth": True},
    )
    claim.refresh_from_db()
    assert claim.cnf == {"statementOfTruth": True} and claim.claimant_surname == ""
    assert replaced.phase == "ClaimDataInputEdit"
    assert list(
        ClaimEvent.objects.filter(claim=claim).values_list("operation", flat=True).order_by("pk")
    ) == [
        "createDraft",
        "updateDraft",
        "updateDraft",
    ]


@pytest.mark.parametrize(
    ("form", "field"),
    [(["not", "an", "object"], "cnf"), ({"x": "y" * (300 * 1024)}, "cnf")],
)
def test_a_draft_must_be_a_reasonably_sized_object(world: World, form: Any, field: str) -> None:
    with pytest.raises(PortalError) as caught:
        draft(world, "RTA", form)
    assert caught.value.code == "SCHEMA_INVALID" and caught.value.details[0].field == field
    assert not Claim.objects.exists()


def test_only_a_claimant_representative_with_the_claim_type_drafts(world: World, clock: FixedClock) -> None:
    with refused(clock, "WRONG_SIDE", "operation"):
        drafts.create_draft(world.actor(world.comp_handler), "RTA")
    with refused(clock, "SCHEMA_INVALID", "claimType"):
        drafts.create_draft(world.actor(world.cr_handler), "XL")
    rta_only = User.objects.get(pk=world.cr_handler.pk)
    rta_only.profiles = ["RTA_CLAIM_HANDLER"]
    rta_only.save(update_fields=["profiles"])
    with refused(clock, "FORBIDDEN_PROFILE", "claimType"):
        drafts.create_draft(world.actor(rta_only), "PL")


def test_problems_list_what_stops_sending_and_vanish_when_complete(world: World) -> None:
    info = draft(world, "PL", {"statementOfTruth": False})
    problems = {
        p.field: p.message for p in drafts.draft_problems(world.actor(world.cr_handler), info.application_id)
    }
    assert "compensator" in problems
    assert "cnf.claimAndClaimantDetails" in problems
    assert "cnf.statementOfTruth" in problems
    complete = addressed(cnf("PL"), world.comp.path)
    saved = drafts.update_draft(
        world.actor(world.cr_handler), info.application_id, info.activity_guid, cnf=complete
    )
    assert drafts.draft_problems(world.actor(world.cr_handler), saved.application_id) == []


def test_sending_a_partial_draft_is_refused_field_by_field_and_writes_nothing(
    world: World, clock: FixedClock
) -> None:
    form = addressed(cnf("RTA"), world.comp.path)
    del form["medicalDetails"]
    form["claimAndClaimantDetails"]["claimantDetails"]["personalDetails"]["dateOfBirth"] = "2030-01-01"
    info = draft(world, "RTA", form)
    with refused(clock, "SCHEMA_INVALID", "cnf.medicalDetails") as caught:
        drafts.send_draft(world.actor(world.cr_handler), info.application_id, info.activity_guid)
    assert f"cnf.{CLAIMANT}.personalDetails.dateOfBirth" in [d.field for d in caught[0].details]
    assert Claim.objects.get(pk=info.application_id).phase == "ClaimDataInputEdit"


def test_a_complete_draft_is_sent_to_the_compensator_named_in_the_form(world: World) -> None:
    info = draft(world, "EL", addressed(cnf("EL", surname="Jones"), world.tpa.path))
    sent = drafts.send_draft(world.actor(world.cr_handler), info.application_id, info.activity_guid)
    assert sent.application_id == info.application_id
    assert sent.phase == "ClaimAcknowledgement"
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.comp_organisation_id == world.tpa.pk and claim.owner_side == "COMP"
    assert claim.awaiting_organisation_id == world.tpa.pk and claim.sent_at is not None
    assert claim.deadline_at is not None
    assert claim.cnf is not None
    insurer = claim.cnf["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]
    assert (insurer["insurerOrganizationID"], insurer["insurerOrganizationPath"]) == (
        world.tpa.org_id,
        world.tpa.path,
    )
    assert claim.cnf["applicationData"]["claimDetails"]["notificationDate"] == "2026-03-02"
    assert claim_list(world.tpa_handler).filter(pk=claim.pk).exists()
    with pytest.raises(PortalError) as caught:
        drafts.delete_draft(world.actor(world.cr_handler), info.application_id, sent.activity_guid)
    assert caught.value.code == "WRONG_PHASE"


def test_the_compensator_can_be_given_when_sending_and_must_agree_with_the_form(
    world: World, clock: FixedClock
) -> None:
    info = draft(world, "RTA", cnf("RTA"))
    with refused(clock, "BUSINESS_RULE", "compensator"):
        drafts.send_draft(world.actor(world.cr_handler), info.application_id, info.activity_guid)
    form = addressed(cnf("RTA"), world.mib.path)
    saved = drafts.update_draft(
        world.actor(world.cr_handler), info.application_id, info.activity_guid, cnf=form
    )
    with refused(clock, "BUSINESS_RULE", f"cnf.{INSURER}.insurerOrganizationID"):
        drafts.send_draft(
            world.actor(world.cr_handler),
            info.application_id,
            saved.activity_guid,
            compensator=world.comp.path,
        )
    sent = drafts.send_draft(world.actor(world.cr_handler), info.application_id, saved.activity_guid)
    assert Claim.objects.get(pk=sent.application_id).comp_organisation_id == world.mib.pk


def test_a_drafts_claim_type_cannot_change_when_sent(world: World, clock: FixedClock) -> None:
    info = draft(world, "EL", addressed(cnf("PL"), world.comp.path))
    with refused(clock, "SCHEMA_INVALID", "cnf.applicationData.claimDetails.claimType"):
        drafts.send_draft(world.actor(world.cr_handler), info.application_id, info.activity_guid)


def test_only_the_claimant_side_deletes_a_draft_and_it_is_gone(world: World, clock: FixedClock) -> None:
    info = draft(world, "RTA", {})
    for outsider in (world.comp_handler, world.other_cr_handler):
        with refused(clock, "NOT_FOUND", "applicationId"):
            drafts.delete_draft(world.actor(outsider), info.application_id, info.activity_guid)
    drafts.delete_draft(world.actor(world.cr_handler), info.application_id, info.activity_guid)
    assert not Claim.objects.filter(pk=info.application_id).exists()
    assert not ClaimEvent.objects.filter(claim_id=info.application_id).exists()
