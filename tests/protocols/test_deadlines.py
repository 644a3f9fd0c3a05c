"""DeadlineSpec: from stored inputs to the first instant a timeout fires (WORKFLOW.md §5.1, §5.2)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.timers import (
    LONDON,
    DeadlineSpec,
    TimerKind,
    in_last_business_days,
    interim_decision_days,
    liability_days,
)
from claimsportal.protocols.types import ClaimType, InsurerType

EW = BusinessCalendar.england_and_wales()
MONDAY = date(2026, 3, 2)  # a plain Monday, four weeks before Easter 2026 (Good Friday 3 April)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_rta_liability_15_business_days_fires_at_midnight_after_the_last_day() -> None:
    spec = DeadlineSpec(TimerKind.LIABILITY, anchor=MONDAY, business_days=15)
    assert spec.last_day_for_action(EW) == date(2026, 3, 23)
    assert spec.fires_on(EW) == date(2026, 3, 24)
    fires = spec.fires_at(EW)
    assert fires == datetime(2026, 3, 24, 0, 0, tzinfo=LONDON)
    # Winter (GMT): London midnight is midnight UTC.
    assert fires.astimezone(UTC) == utc(2026, 3, 24, 0, 0)
    assert fires.utcoffset() == timedelta(0)


def test_liability_30_business_days_across_easter_fires_at_midnight_bst() -> None:
    # 2 March + 30 bd, skipping Good Friday 3 April and Easter Monday 6 April: Wednesday 15 April.
    spec = DeadlineSpec(TimerKind.LIABILITY, anchor=MONDAY, business_days=30)
    assert spec.last_day_for_action(EW) == date(2026, 4, 15)
    assert spec.fires_on(EW) == date(2026, 4, 16)
    fires = spec.fires_at(EW)
    # Summer (BST): 00:00 in London is 23:00 UTC the evening before.
    assert fires.astimezone(UTC) == utc(2026, 4, 15, 23, 0)
    assert fires.utcoffset() == timedelta(hours=1)
    assert fires.astimezone(LONDON).hour == 0


def test_el_liability_31_business_days_and_pl_41() -> None:
    el = DeadlineSpec(TimerKind.LIABILITY, anchor=MONDAY, business_days=31)
    pl = DeadlineSpec(TimerKind.LIABILITY, anchor=MONDAY, business_days=41)
    assert el.fires_on(EW) == date(2026, 4, 17)  # last day Thursday 16 April
    # 41 bd: Thursday 16 + 10 bd (17, 20-24, 27-30) = Thursday 30 April; May Day is Monday 4 May.
    assert pl.last_day_for_action(EW) == date(2026, 4, 30)
    assert pl.fires_on(EW) == date(2026, 5, 1)


def test_a_period_ending_in_winter_fires_at_midnight_utc() -> None:
    # Sent Tuesday 20 October 2026 (BST); clocks go back on Sunday 25 October; 15 bd -> Tuesday 10 Nov.
    spec = DeadlineSpec(TimerKind.LIABILITY, anchor=date(2026, 10, 20), business_days=15)
    assert spec.last_day_for_action(EW) == date(2026, 11, 10)
    assert spec.fires_at(EW).astimezone(UTC) == utc(2026, 11, 11, 0, 0)


@pytest.mark.parametrize(
    ("fixed", "expected_utc"),
    [
        (date(2026, 3, 29), utc(2026, 3, 29, 0, 0)),  # the day BST starts (at 01:00): still GMT at 00:00
        (date(2026, 3, 30), utc(2026, 3, 29, 23, 0)),  # the first whole BST day
        (date(2026, 10, 25), utc(2026, 10, 24, 23, 0)),  # the day BST ends (at 02:00): still BST at 00:00
        (date(2026, 10, 26), utc(2026, 10, 26, 0, 0)),
    ],
)
def test_fires_at_on_the_clock_change_days(fixed: date, expected_utc: datetime) -> None:
    spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=fixed)
    assert spec.fires_at(EW).astimezone(UTC) == expected_utc


def test_a_fixed_extension_date_is_the_day_the_claim_times_out() -> None:
    """To extend "to Wednesday", the user enters Thursday (WORKFLOW.md §5.1)."""
    thursday = date(2026, 4, 16)
    spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=thursday)
    assert spec.last_day_for_action(EW) == date(2026, 4, 15)
    assert spec.fires_on(EW) == thursday
    assert spec.fires_at(EW).astimezone(UTC) == utc(2026, 4, 15, 23, 0)
    # As typed, even a Saturday or a bank holiday.
    saturday = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=date(2026, 3, 7))
    assert saturday.fires_on(EW) == date(2026, 3, 7)
    easter_monday = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=date(2026, 4, 6))
    assert easter_monday.fires_on(EW) == date(2026, 4, 6)


def test_a_fixed_date_ignores_calendar_changes_but_a_period_does_not() -> None:
    added = BusinessCalendar.england_and_wales(added=[date(2026, 3, 10)])
    fixed = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=date(2026, 3, 20))
    period = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=MONDAY, business_days=15)
    assert fixed.fires_at(added) == fixed.fires_at(EW)
    assert period.fires_on(added) == period.fires_on(EW) + timedelta(days=1)


def test_further_consideration_days_add_business_days_after_the_last_day() -> None:
    spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=MONDAY, business_days=15)
    further = spec.with_further_days(5)
    assert further.further_days == 5
    assert spec.further_days == 0  # frozen: a new spec
    # Monday 23 March + 5 bd = Monday 30 March; it fires on Tuesday 31 March at 00:00 BST.
    assert further.last_day_for_action(EW) == date(2026, 3, 30)
    assert further.fires_on(EW) == date(2026, 3, 31)
    assert further.fires_at(EW).astimezone(UTC) == utc(2026, 3, 30, 23, 0)
    assert spec.with_further_days(5).with_further_days(5).further_days == 10


def test_further_days_on_a_fixed_extension_count_from_its_last_day() -> None:
    spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=date(2026, 4, 16)).with_further_days(5)
    # Last day Wednesday 15 April + 5 bd = Wednesday 22 April.
    assert spec.last_day_for_action(EW) == date(2026, 4, 22)
    assert spec.fires_on(EW) == date(2026, 4, 23)


def test_a_spec_needs_exactly_one_of_anchor_or_fixed_date() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        DeadlineSpec(TimerKind.LIABILITY)
    with pytest.raises(ValueError, match="exactly one"):
        DeadlineSpec(TimerKind.LIABILITY, anchor=MONDAY, business_days=15, fixed_date=date(2026, 4, 1))


@pytest.mark.parametrize(
    "spec",
    [
        DeadlineSpec(TimerKind.LIABILITY, anchor=MONDAY, business_days=15),
        DeadlineSpec(TimerKind.LIABILITY, anchor=MONDAY, business_days=31),
        DeadlineSpec(TimerKind.INTERIM_DECISION, anchor=date(2026, 6, 1), business_days=30),
        DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=MONDAY, business_days=35, further_days=5),
        DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=date(2026, 4, 16)),
        DeadlineSpec(TimerKind.ADDITIONAL_DAMAGES_DECISION, fixed_date=date(2026, 4, 16), further_days=5),
        DeadlineSpec(TimerKind.COURT_PACK_RESPONSE, anchor=date(2026, 12, 24), business_days=5),
    ],
    ids=lambda s: f"{s.kind}-{s.anchor or s.fixed_date}-{s.business_days}-{s.further_days}",
)
def test_a_spec_round_trips_through_its_dict_and_json(spec: DeadlineSpec) -> None:
    data = spec.as_dict()
    assert set(data) == {"kind", "anchor", "businessDays", "fixedDate", "furtherDays"}
    assert DeadlineSpec.from_dict(data) == spec
    assert DeadlineSpec.from_dict(json.loads(json.dumps(data))) == spec
    assert DeadlineSpec.from_dict(data).fires_at(EW) == spec.fires_at(EW)


def test_as_dict_shape() -> None:
    spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=date(2026, 4, 16), further_days=5)
    assert spec.as_dict() == {
        "kind": "STAGE2_CONSIDERATION",
        "anchor": None,
        "businessDays": 0,
        "fixedDate": "2026-04-16",
        "furtherDays": 5,
    }


@pytest.mark.parametrize(
    ("claim_type", "insurer", "article75", "days"),
    [
        (ClaimType.RTA, InsurerType.INSURER, False, 15),
        (ClaimType.RTA, InsurerType.SELF_INSURED, False, 15),
        (ClaimType.RTA, InsurerType.MIB, False, 30),
        (ClaimType.RTA, InsurerType.INSURER, True, 30),
        (ClaimType.EL, None, False, 30),
        (ClaimType.ELD, None, False, 30),
        (ClaimType.PL, None, False, 40),
    ],
)
def test_liability_periods(
    claim_type: ClaimType, insurer: InsurerType | None, article75: bool, days: int
) -> None:
    assert liability_days(claim_type, insurer, article75) == days


def test_interim_decision_periods() -> None:
    assert interim_decision_days(Decimal("1000.00")) == 10
    assert interim_decision_days(Decimal("1000.01")) == 15
    assert interim_decision_days(Decimal("25000")) == 15


def test_in_last_business_days() -> None:
    spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=MONDAY, business_days=15)  # last day 23 March
    assert not in_last_business_days(spec, date(2026, 3, 16), EW, 5)
    assert in_last_business_days(spec, date(2026, 3, 17), EW, 5)  # 17, 18, 19, 20, 23
    assert in_last_business_days(spec, date(2026, 3, 21), EW, 5)  # a Saturday inside the window
    assert in_last_business_days(spec, date(2026, 3, 23), EW, 5)
    assert not in_last_business_days(spec, date(2026, 3, 24), EW, 5)  # past the deadline
