"""GDPR "Delete claim" (ADMINISTRATION.md §4.4): either party at any stage with the ADVANCED USER
Delete Claims profile, drafts only by the claimant side; the claim disappears for everyone at once,
its time limit stops, the other party is told; it is purged 14 days later; nothing restores it; the
operator's report counts deletions per organisation, month and reason, naming no claim."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from claimsportal.claims.drafts import create_draft
from claimsportal.claims.models import Claim
from claimsportal.claims.selectors import get_visible_claim
from claimsportal.core.clock import FixedClock
from claimsportal.custody import gdpr
from claimsportal.custody.models import GdprDeletionTally
from claimsportal.notifications.models import Notification
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from tests.conftest import World, make_user, send_claim
from tests.custody.conftest import retention_on

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "claimsportal"


@pytest.fixture
def deleters(world: World) -> dict[str, User]:
    return {
        "cr": make_user(world.cr, "cr.deleter", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER,DELETE_CLAIMS"),
        "comp": make_user(world.comp, "comp.deleter", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER,DELETE_CLAIMS"),
    }


@pytest.mark.parametrize("side", ["cr", "comp"])
def test_either_party_deletes_a_claim_and_it_disappears_for_everyone(
    world: World, clock: FixedClock, deleters: dict[str, User], side: str
) -> None:
    info = send_claim(world)
    deleter = world.actor(deleters[side])
    done = gdpr.delete_claim(deleter, info.application_id, info.activity_guid, "RECTIFICATION")
    assert done.purge_on == date(2026, 3, 17)
    for user in (world.cr_handler, world.comp_handler, world.cr_leader, world.comp_leader):
        with pytest.raises(PortalError) as refused:
            get_visible_claim(world.actor(user), info.application_id)
        assert refused.value.code == "NOT_FOUND"
    row = Claim.objects.get(pk=info.application_id)
    assert row.deadline_at is None and row.awaiting_organisation_id is None  # no time limit runs on it
    other = world.comp if side == "cr" else world.cr
    told = Notification.objects.filter(claim_id=info.application_id, organisation=other).latest("id")
    assert "deleted by" in told.message and "rectification" in told.message
    tally = GdprDeletionTally.objects.get()
    assert (tally.organisation_id, tally.reason, tally.count, tally.month) == (
        deleter.organisation_pk,
        "RECTIFICATION",
        1,
        date(2026, 3, 1),
    )


def test_a_party_is_told_the_claim_was_deleted_and_a_stranger_only_that_there_is_none(
    world: World, clock: FixedClock, deleters: dict[str, User]
) -> None:
    info = send_claim(world)
    gdpr.delete_claim(world.actor(deleters["cr"]), info.application_id, info.activity_guid, "ERASURE")
    with pytest.raises(PortalError) as party:
        get_visible_claim(world.actor(world.comp_handler), info.application_id)
    with pytest.raises(PortalError) as stranger:
        get_visible_claim(world.actor(world.other_cr_handler), info.application_id)
    assert "deleted under data protection law" in party.value.message
    assert stranger.value.message == "No such claim"


def test_deleting_needs_the_delete_claims_profile(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    with pytest.raises(PortalError) as refused:
        gdpr.delete_claim(world.actor(world.cr_handler), info.application_id, info.activity_guid, "ERASURE")
    assert refused.value.code == "FORBIDDEN_PROFILE"
    assert Claim.objects.get(pk=info.application_id).gdpr_deleted_at is None


def test_a_stranger_with_the_profile_cannot_delete_someone_elses_claim(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world)
    stranger = make_user(world.other_cr, "other.deleter", "RTA_CLAIM_HANDLER,DELETE_CLAIMS")
    with pytest.raises(PortalError) as refused:
        gdpr.delete_claim(world.actor(stranger), info.application_id, info.activity_guid, "ERASURE")
    assert refused.value.code == "NOT_FOUND"


def test_a_stale_guid_a_bad_reason_and_a_second_deletion_are_refused(
    world: World, clock: FixedClock, deleters: dict[str, User]
) -> None:
    info = send_claim(world)
    actor = world.actor(deleters["cr"])
    with pytest.raises(PortalError) as bad:
        gdpr.delete_claim(actor, info.application_id, info.activity_guid, "because")
    assert (bad.value.code, bad.value.details[0].field) == ("SCHEMA_INVALID", "reason")
    with pytest.raises(PortalError) as stale:
        gdpr.delete_claim(actor, info.application_id, "8d5f3c1e-1b2a-4c3d-9e8f-7a6b5c4d3e2f", "ERASURE")
    assert stale.value.code == "STALE_ACTIVITY_GUID"
    gdpr.delete_claim(actor, info.application_id, info.activity_guid, "ERASURE")
    with pytest.raises(PortalError) as again:
        gdpr.delete_claim(actor, info.application_id, info.activity_guid, "ERASURE")
    assert again.value.code == "NOT_FOUND"
    assert GdprDeletionTally.objects.get().count == 1


def test_drafts_are_deleted_only_by_the_claimant_side(
    world: World, clock: FixedClock, deleters: dict[str, User]
) -> None:
    draft = create_draft(world.actor(world.cr_handler), "RTA")
    with pytest.raises(PortalError) as compensator:
        gdpr.delete_claim(
            world.actor(deleters["comp"]), draft.application_id, draft.activity_guid, "SENT_IN_ERROR"
        )
    assert compensator.value.code == "NOT_FOUND"
    gdpr.delete_claim(world.actor(deleters["cr"]), draft.application_id, draft.activity_guid, "SENT_IN_ERROR")
    assert GdprDeletionTally.objects.get().drafts is True


def test_a_deleted_claim_is_purged_after_14_days(
    world: World, clock: FixedClock, deleters: dict[str, User]
) -> None:
    info = send_claim(world)
    gdpr.delete_claim(world.actor(deleters["comp"]), info.application_id, info.activity_guid, "DUPLICATE")
    retention_on(date(2026, 3, 16))
    assert Claim.objects.filter(pk=info.application_id).exists()
    applied = retention_on(date(2026, 3, 17))
    assert not Claim.objects.filter(pk=info.application_id).exists()
    assert applied.by_rule["G01"] == {"done": 1}
    assert GdprDeletionTally.objects.get().count == 1  # the anonymous count survives the purge


def test_no_code_path_restores_a_deleted_claim() -> None:
    """``gdpr_deleted_at`` is only ever set: no module assigns it None or clears it."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if "/migrations/" in path.as_posix():
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            clears = "None" in line.split("gdpr_deleted_at", 1)[-1][:12] or "undelete" in line
            tests = "is None" in line or "is not None" in line or "isnull" in line
            if "gdpr_deleted_at" in line and clears and not tests:
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_operators_report_counts_per_organisation_month_and_reason(
    world: World, clock: FixedClock, deleters: dict[str, User]
) -> None:
    for reason in ("ERASURE", "ERASURE", "DUPLICATE"):
        info = send_claim(world)
        gdpr.delete_claim(world.actor(deleters["cr"]), info.application_id, info.activity_guid, reason)
    clock.advance(timedelta(days=31))
    info = send_claim(world)
    gdpr.delete_claim(world.actor(deleters["comp"]), info.application_id, info.activity_guid, "ERASURE")
    lines = [(line.month, line.organisation, line.reason[:7], line.count) for line in gdpr.report()]
    assert lines == [
        (date(2026, 4, 1), world.comp.org_id, "Erasure", 1),
        (date(2026, 3, 1), world.cr.org_id, "Duplica", 1),
        (date(2026, 3, 1), world.cr.org_id, "Erasure", 2),
    ]
