"""A change to the business calendar recomputes every open deadline (WORKFLOW.md §5.1: the 2022 state
funeral was loaded late and the real portal's timeouts ran a day out)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim
from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.protocols.timers import LONDON
from claimsportal.reference.calendar import get_calendar, invalidate, remove_override, set_override
from claimsportal.reference.models import NonWorkingDayOverride
from tests.conftest import World, send_claim, step

# Claims are sent on Monday 2 March 2026 (the clock fixture).
TUESDAY_10_MARCH = date(2026, 3, 10)  # inside every liability period below
RTA_FIRES = datetime(2026, 3, 24, 0, 0, tzinfo=LONDON)  # 15 bd: last day Monday 23 March (GMT)
EL_FIRES = datetime(2026, 4, 17, 0, 0, tzinfo=LONDON)  # 1 + 30 bd: last day Thursday 16 April (BST)
PL_FIRES = datetime(2026, 5, 1, 0, 0, tzinfo=LONDON)  # 1 + 40 bd: last day Thursday 30 April (BST)
RTA_MOVED = datetime(2026, 3, 25, 0, 0, tzinfo=LONDON)  # last day Tuesday 24 March
EL_MOVED = datetime(2026, 4, 18, 0, 0, tzinfo=LONDON)  # last day Friday 17 April: fires on the Saturday
PL_MOVED = datetime(2026, 5, 2, 0, 0, tzinfo=LONDON)  # last day Friday 1 May


def deadline(application_id: int) -> datetime | None:
    return Claim.objects.get(pk=application_id).deadline_at


def to_stage2_decision(world: World) -> int:
    """An RTA claim in Stage2SettlementPackDecision (15 bd from the pack, sent on 2 March)."""
    info = send_claim(world, surname="Stage")
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    info = step(world, world.cr_handler, info, "addStage2SPFRequest", generalDamages="1000.00")
    assert info.phase == "Stage2SettlementPackDecision"
    return info.application_id


def with_fixed_extension(world: World) -> int:
    application_id = to_stage2_decision(world)
    claim = Claim.objects.get(pk=application_id)
    info = step(
        world,
        world.comp_handler,
        _info(claim),
        "extendStage2SPFDecisionTimeout",
        newTimeOut="2026-04-02",
        reasonForExtension="1",
    )
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.deadline_fixed_date == date(2026, 4, 2)
    assert claim.deadline_at == datetime(2026, 4, 2, 0, 0, tzinfo=LONDON)
    return application_id


def _info(claim: Claim) -> ClaimInfo:
    return ClaimInfo(claim.application_id, claim.activity_guid, claim.phase, claim.phase)


@pytest.fixture
def claims(world: World) -> dict[str, int]:
    rta = send_claim(world, surname="Rta").application_id
    rta2 = send_claim(world, surname="Rta2").application_id
    el = send_claim(world, "EL", surname="El").application_id
    pl = send_claim(world, "PL", surname="Pl").application_id
    admitted = send_claim(world, surname="Admitted")
    admitted = step(world, world.comp_handler, admitted, "acceptClaim")
    admitted = step(world, world.comp_handler, admitted, "applyArticle75", isArticle75=False)
    admitted = step(world, world.comp_handler, admitted, "sendLiabilityDecision", liabilityDecision="A")
    fixed = with_fixed_extension(world)
    out = {
        "rta": rta,
        "rta2": rta2,
        "el": el,
        "pl": pl,
        "no_deadline": admitted.application_id,
        "fixed": fixed,
    }
    assert deadline(rta) == RTA_FIRES
    assert deadline(rta2) == RTA_FIRES
    assert deadline(el) == EL_FIRES
    assert deadline(pl) == PL_FIRES
    assert deadline(admitted.application_id) is None
    return out


def test_an_added_non_working_day_moves_every_open_deadline_one_business_day_later(
    claims: dict[str, int],
) -> None:
    fixed_before = Claim.objects.get(pk=claims["fixed"]).deadline_at
    changed = set_override(day=TUESDAY_10_MARCH, kind="ADDED", reason="Short-notice bank holiday")
    assert changed == 4  # rta, rta2, el, pl
    assert deadline(claims["rta"]) == RTA_MOVED
    assert deadline(claims["rta2"]) == RTA_MOVED
    assert deadline(claims["el"]) == EL_MOVED
    assert deadline(claims["pl"]) == PL_MOVED
    # The exact instants in UTC: GMT in March, BST in April and May.
    assert deadline(claims["rta"]) == datetime(2026, 3, 25, 0, 0, tzinfo=UTC)
    assert deadline(claims["el"]) == datetime(2026, 4, 17, 23, 0, tzinfo=UTC)
    assert deadline(claims["pl"]) == datetime(2026, 5, 1, 23, 0, tzinfo=UTC)
    # Untouched: the claim with no deadline and the agreed fixed date.
    assert deadline(claims["no_deadline"]) is None
    assert Claim.objects.get(pk=claims["fixed"]).deadline_at == fixed_before
    # The stored inputs do not change: only the computed instant.
    claim = Claim.objects.get(pk=claims["rta"])
    assert (claim.deadline_kind, claim.deadline_anchor, claim.deadline_business_days) == (
        "LIABILITY",
        date(2026, 3, 2),
        15,
    )


def test_removing_the_override_moves_them_back(claims: dict[str, int]) -> None:
    set_override(day=TUESDAY_10_MARCH, kind="ADDED", reason="Short-notice bank holiday")
    assert remove_override(day=TUESDAY_10_MARCH) == 4
    assert deadline(claims["rta"]) == RTA_FIRES
    assert deadline(claims["rta2"]) == RTA_FIRES
    assert deadline(claims["el"]) == EL_FIRES
    assert deadline(claims["pl"]) == PL_FIRES
    assert deadline(claims["no_deadline"]) is None
    assert not NonWorkingDayOverride.objects.exists()
    assert get_calendar().is_business_day(TUESDAY_10_MARCH)


def test_a_day_outside_every_period_changes_nothing(claims: dict[str, int]) -> None:
    before = dict(Claim.objects.values_list("pk", "deadline_at"))
    assert set_override(day=date(2026, 6, 10), kind="ADDED", reason="After every deadline") == 0
    assert dict(Claim.objects.values_list("pk", "deadline_at")) == before


def test_setting_the_same_override_twice_changes_nothing_the_second_time(claims: dict[str, int]) -> None:
    assert set_override(day=TUESDAY_10_MARCH, kind="ADDED", reason="first") == 4
    assert set_override(day=TUESDAY_10_MARCH, kind="ADDED", reason="reason reworded") == 0
    assert NonWorkingDayOverride.objects.get(day=TUESDAY_10_MARCH).reason == "reason reworded"


def test_a_removed_holiday_brings_deadlines_one_business_day_earlier(world: World, clock: FixedClock) -> None:
    # Sent on Thursday 2 April 2026: 15 bd skip Good Friday and Easter Monday -> last day Monday 27 April.
    clock.set(datetime(2026, 4, 2, 10, 0, tzinfo=LONDON))
    info = send_claim(world)
    assert deadline(info.application_id) == datetime(2026, 4, 28, 0, 0, tzinfo=LONDON)
    assert set_override(day=date(2026, 4, 6), kind="REMOVED", reason="Easter Monday worked") == 1
    # Easter Monday now counts: last day Friday 24 April, the claim times out on Saturday 25.
    assert deadline(info.application_id) == datetime(2026, 4, 25, 0, 0, tzinfo=LONDON)
    assert remove_override(day=date(2026, 4, 6)) == 1
    assert deadline(info.application_id) == datetime(2026, 4, 28, 0, 0, tzinfo=LONDON)


def test_bad_override_input_is_refused_and_nothing_changes(claims: dict[str, int]) -> None:
    before = dict(Claim.objects.values_list("pk", "deadline_at"))
    with pytest.raises(ValueError, match="kind must be one of"):
        set_override(day=TUESDAY_10_MARCH, kind="HOLIDAY", reason="x")
    with pytest.raises(ValueError, match="reason is required"):
        set_override(day=TUESDAY_10_MARCH, kind="ADDED", reason="   ")
    with pytest.raises(ValueError, match="no override"):
        remove_override(day=TUESDAY_10_MARCH)
    assert not NonWorkingDayOverride.objects.exists()
    assert dict(Claim.objects.values_list("pk", "deadline_at")) == before


def test_the_timer_sweep_fires_exactly_at_a_recomputed_deadline(claims: dict[str, int]) -> None:
    """A recomputed deadline is stored like any other: due at its instant, not a moment before or after
    (on SQLite a differently formatted value would compare as text and be missed for an hour in BST)."""
    set_override(day=TUESDAY_10_MARCH, kind="ADDED", reason="Short-notice bank holiday")
    el_fires = EL_MOVED
    assert run_due_timeouts(now=el_fires - timedelta(seconds=1)).by_phase.get("ClaimAcknowledgement", 0) == 0
    assert Claim.objects.get(pk=claims["el"]).phase == "ClaimAcknowledgement"
    result = run_due_timeouts(now=el_fires)
    assert result.by_phase.get("ClaimAcknowledgement") == 1
    assert Claim.objects.get(pk=claims["el"]).phase == "LiabilityDecisionTimeout"


def test_recompute_deadlines_command_prints_the_claims_changed(claims: dict[str, int]) -> None:
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert json.loads(out.getvalue()) == {"claimsChanged": 0}  # nothing to do: all are current
    # Load an override behind the service's back (as a bulk import would): the command catches up.
    NonWorkingDayOverride.objects.create(
        day=TUESDAY_10_MARCH,
        kind=NonWorkingDayOverride.Kind.ADDED,
        reason="imported",
        created_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    invalidate()
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert json.loads(out.getvalue()) == {"claimsChanged": 4}
    assert deadline(claims["rta"]) == RTA_MOVED
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert json.loads(out.getvalue()) == {"claimsChanged": 0}
