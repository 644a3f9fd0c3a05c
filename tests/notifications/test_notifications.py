"""Notifications: the other party's changes, time-limit warnings, time limit reached, feed, purge."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.core.worker import run_pass
from claimsportal.notifications import services
from claimsportal.notifications.models import Notification
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from tests.conftest import World, send_claim, step

pytestmark = pytest.mark.django_db


def messages(world: World, org_id: int, kind: str | None = None) -> list[str]:
    rows = Notification.objects.filter(organisation_id=org_id).order_by("id")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("message", flat=True))


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=LONDON)


def test_a_change_that_hands_the_claim_over_notifies_the_other_organisation(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world)
    number = f"{info.application_id:08d}"
    submitted = definition_for("RTA").phases["ClaimSubmitted"].name
    assert messages(world, world.comp.pk) == [
        f"Claim {number}: addClaim by the claimant representative; now {submitted}"
    ]
    assert messages(world, world.cr.pk) == []
    info = step(world, world.comp_handler, info, "acceptClaim")  # stays with the compensator: no notice
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    assert len(messages(world, world.comp.pk)) == 1 and messages(world, world.cr.pk) == []
    step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    (notice,) = messages(world, world.cr.pk)
    assert notice.startswith(f"Claim {number}: sendLiabilityDecision by the compensator; now ")


def test_a_refused_operation_notifies_nobody(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    before = Notification.objects.count()
    with pytest.raises(PortalError):
        step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="9")
    assert Notification.objects.count() == before


def test_the_liability_warning_comes_5_business_days_before_the_last_day_once(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world)  # Monday 2 March: last day Monday 23 March
    clock.set(at("2026-03-13"))  # Friday: 5 business days on is Friday 20 March
    assert services.create_deadline_warnings().created == 0
    clock.set(at("2026-03-16"))  # Monday: 5 business days on is Monday 23 March
    assert services.create_deadline_warnings().created == 1
    assert services.create_deadline_warnings().created == 0, "once per deadline"
    clock.set(at("2026-03-18"))
    assert services.create_deadline_warnings().created == 0, "no 3-day warning for liability"
    (warning,) = messages(world, world.comp.pk, "WARNING")
    assert warning == (
        f"Liability decision for claim {info.application_id:08d}: 5 days left (last day 23/03/2026)"
    )
    assert messages(world, world.cr.pk, "WARNING") == []


def test_other_time_limits_warn_3_business_days_before(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    info = step(world, world.cr_handler, info, "addInterimSPFRequest", amountRequested="1000.00")
    assert info.phase == "InterimPaymentDecision"  # 10 business days: last day Monday 16 March
    clock.set(at("2026-03-10"))  # Tuesday: 3 business days on is Friday 13 March
    assert services.create_deadline_warnings().created == 0
    clock.set(at("2026-03-11"))
    assert services.create_deadline_warnings().created == 1
    (warning,) = messages(world, world.comp.pk, "WARNING")
    assert warning.startswith("Stage 2.1 Interim Payment needed for claim") and "3 days left" in warning


def test_the_timeout_tells_both_parties_the_time_limit_is_reached(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    clock.set(at("2026-03-24", 0))
    assert run_due_timeouts().moved == 1
    expected = f"Liability decision for claim {info.application_id:08d}: time limit reached"
    assert messages(world, world.cr.pk, "TIME_LIMIT_REACHED") == [expected]
    assert messages(world, world.comp.pk, "TIME_LIMIT_REACHED") == [expected]


def test_the_feed_never_repeats_and_deletion_is_per_organisation(world: World, clock: FixedClock) -> None:
    actor = world.actor(world.comp_handler)
    first = send_claim(world, surname="One")
    page = services.feed(actor)
    assert [n.claim_id for n in page.notifications] == [first.application_id] and not page.more
    assert services.feed(actor, after=page.next_cursor).notifications == []
    assert services.feed(actor, after=page.next_cursor).next_cursor == page.next_cursor
    second = send_claim(world, surname="Two")
    third = send_claim(world, surname="Three")
    newer = services.feed(actor, after=page.next_cursor, limit=1)
    assert [n.claim_id for n in newer.notifications] == [second.application_id] and newer.more
    rest = services.feed(actor, after=newer.next_cursor)
    assert [n.claim_id for n in rest.notifications] == [third.application_id]
    with pytest.raises(PortalError) as refused:
        services.remove(world.actor(world.other_cr_handler), newer.notifications[0].guid)
    assert refused.value.code == "NOT_FOUND"
    services.remove(world.actor(world.comp_leader), newer.notifications[0].guid)
    assert [n.claim_id for n in services.feed(actor).notifications] == [
        first.application_id,
        third.application_id,
    ]
    assert services.clear_all(actor) == 2
    assert services.feed(actor).notifications == []


def test_a_branch_handler_sees_notifications_of_their_branchs_claims_only(
    world: World, clock: FixedClock
) -> None:
    send_claim(world)  # arrives at the central point (branch 001)
    assert services.feed(world.actor(world.comp_handler)).notifications
    assert services.feed(world.actor(world.comp_branch_handler)).notifications == []


def test_notifications_are_purged_after_15_calendar_days(world: World, clock: FixedClock) -> None:
    send_claim(world)

    def changes() -> list[Notification]:
        return [n for n in services.feed(world.actor(world.comp_handler)).notifications if n.kind == "CHANGE"]

    clock.advance(timedelta(days=15) - timedelta(minutes=1))
    assert run_pass()["notificationsPurged"] == 0
    assert changes()
    clock.advance(timedelta(minutes=2))
    assert changes() == [], "not shown once expired"
    assert run_pass()["notificationsPurged"] == 1
    assert not Notification.objects.filter(kind="CHANGE").exists()
