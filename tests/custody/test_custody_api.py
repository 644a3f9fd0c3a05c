"""Custody on the A2A API: getClaim says when and why the claim will be deleted; deleteClaim for the
profile's holders; the archive's search and read-only claim for the Search Archived Claims profile,
to a party's users only; the sandbox's runTimers runs the retention job."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.documents import attachments
from tests.a2a.conftest import Callers
from tests.conftest import World, make_user, send_claim
from tests.custody.conftest import at, placed

pytestmark = pytest.mark.django_db


def test_get_claim_says_when_and_why_the_claim_will_be_deleted(
    world: World, clock: FixedClock, callers: Callers
) -> None:
    info = send_claim(world)
    running = callers.cr.get(f"/claims/{info.application_id}", world.cr_handler)
    assert running.status == 200 and running.body["retention"] is None  # a time limit runs
    assert running.body["gdprClaimDeleted"] == 0
    Claim.objects.filter(pk=info.application_id).update(phase="FraudStated", updated_at=at(date(2026, 3, 2)))
    stated = callers.cr.get(f"/claims/{info.application_id}", world.cr_handler).body["retention"]
    assert (stated["rule"], stated["action"], stated["on"], stated["heldForChild"]) == (
        "R02",
        "DELETE",
        "2026-04-02",
        False,
    )
    assert "2 April 2026" in stated["text"] and "Fraud stated" in stated["ruleText"]


def test_delete_claim_over_the_api(world: World, clock: FixedClock, callers: Callers) -> None:
    deleter = make_user(world.comp, "comp.deleter", "RTA_CLAIM_HANDLER,DELETE_CLAIMS")
    info = send_claim(world)
    path = f"/claims/{info.application_id}/deleteClaim"
    body = {"activityEngineGuid": str(info.activity_guid), "reason": "RECTIFICATION"}
    refused = callers.comp.post(path, world.comp_handler, body)
    assert (refused.status, refused.code) == (403, "FORBIDDEN_PROFILE")
    bad = callers.comp.post(path, deleter, {**body, "reason": "whim"})
    assert (bad.status, bad.code, bad.fields) == (422, "SCHEMA_INVALID", ["reason"])
    extra = callers.comp.post(path, deleter, {**body, "note": "x"})
    assert (extra.status, extra.fields) == (422, ["note"])
    done = callers.comp.post(path, deleter, body, headers={"Idempotency-Key": "gdpr-1"})
    assert done.status == 200 and done.body == {
        "applicationId": f"{info.application_id:08d}",
        "deleted": True,
        "purgeOn": "2026-03-17",
    }
    again = callers.comp.post(path, deleter, body, headers={"Idempotency-Key": "gdpr-1"})
    assert again.body == done.body  # the stored answer
    gone = callers.cr.get(f"/claims/{info.application_id}", world.cr_handler)
    assert (gone.status, gone.code) == (404, "NOT_FOUND") and "deleted" in gone.body["message"]


def test_the_archive_is_read_only_for_the_profile_of_a_party(
    world: World, clock: FixedClock, callers: Callers
) -> None:
    archivist = make_user(world.cr, "cr.archive", "SEARCH_ARCHIVE")
    stranger = make_user(world.other_cr, "other.archive", "SEARCH_ARCHIVE")
    info = send_claim(world, surname="Archer")
    attachment = attachments.add_attachment(
        world.actor(world.cr_handler),
        info.application_id,
        title="Court pack",
        description="",
        file_name="pack.pdf",
        content=b"%PDF-1.4 pack",
    )
    Claim.objects.filter(pk=info.application_id).update(
        phase="EndOfStage2Acknowledged", phase_entered_at=at(date(2026, 3, 2)), deadline_at=None
    )
    assert callers.cr.get(f"/claims/{info.application_id}", world.cr_handler).status == 404  # out of claims
    assert (
        callers.cr.get("/archive/claims?claimantSurname=Arch", world.cr_handler).code == "FORBIDDEN_PROFILE"
    )

    found = callers.cr.get("/archive/claims?claimantSurname=arch", archivist)
    assert found.status == 200, found.body
    assert [(c["applicationId"], c["deleteOn"]) for c in found.body["claims"]] == [
        (f"{info.application_id:08d}", "2027-03-03")
    ]
    claim = callers.cr.get(f"/archive/claims/{info.application_id}", archivist)
    assert claim.status == 200 and claim.body["attachments"][0]["title"] == "Court pack"
    assert [e["operation"] for e in claim.body["history"]][:1] == ["addClaim"]
    raw = callers.cr.call(
        "GET", f"/archive/claims/{info.application_id}/attachments/{attachment.guid}", archivist
    )
    assert raw.status == 200
    assert callers.other_cr.get(f"/archive/claims/{info.application_id}", stranger).status == 404
    assert callers.other_cr.get("/archive/claims?claimantSurname=Arch", stranger).body == {"claims": []}
    empty = callers.cr.get("/archive/claims", archivist)
    assert (empty.status, empty.code) == (422, "SCHEMA_INVALID")


def test_the_sandbox_runs_retention_when_its_clock_moves(
    world: World, clock: FixedClock, callers: Callers, settings: object
) -> None:
    settings.SANDBOX = True  # type: ignore[attr-defined]
    claim = placed(world, "FraudStated", updated_at=at(date(2026, 3, 2) - timedelta(days=31)))
    kept = placed(world, "FraudStated", updated_at=at(date(2026, 3, 2) - timedelta(days=30)))
    answer = callers.cr.post("/sandbox/runTimers", world.cr_handler, {})
    assert answer.status == 200, answer.body
    assert not Claim.objects.filter(pk=claim).exists()
    assert Claim.objects.filter(pk=kept).exists()
