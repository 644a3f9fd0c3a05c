"""The England & Wales business calendar against real years (WORKFLOW.md §5.1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from claimsportal.protocols.calendar import BusinessCalendar

EW = BusinessCalendar.england_and_wales()


def d(text: str) -> date:
    return date.fromisoformat(text)


# --------------------------------------------------------------------------------------------------
# Which days are holidays
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        # 2020: the early May bank holiday moved to Friday 8 May (VE Day 75).
        ("2020-05-08", "early May bank holiday moved to VE Day"),
        # 2022: Spring bank holiday moved to Thursday 2 June, Platinum Jubilee on Friday 3 June.
        ("2022-06-02", "Spring bank holiday (moved)"),
        ("2022-06-03", "Platinum Jubilee"),
        # 2022: the short-notice state funeral of Queen Elizabeth II.
        ("2022-09-19", "State funeral"),
        # 2022: Christmas on a Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27.
        ("2022-12-26", "Boxing Day"),
        ("2022-12-27", "Christmas Day (substitute)"),
        # 2021: Christmas on Saturday, Boxing Day on Sunday: substitutes on Monday 27 and Tuesday 28.
        ("2021-12-27", "Christmas Day (substitute)"),
        ("2021-12-28", "Boxing Day (substitute)"),
        # New Year's Day 2022 on a Saturday: Monday 3 January.
        ("2022-01-03", "New Year's Day (substitute)"),
        # 2023: coronation of King Charles III.
        ("2023-05-08", "Coronation"),
        # 2020: Boxing Day on Saturday: Monday 28 December.
        ("2020-12-28", "Boxing Day (substitute)"),
    ],
)
def test_one_off_moved_and_substitute_holidays_are_not_business_days(day: str, why: str) -> None:
    assert d(day).weekday() < 5, "the case must be a weekday to mean anything"
    assert not EW.is_business_day(d(day)), why
    assert EW.non_working_reason(d(day)) is not None


@pytest.mark.parametrize(
    ("day", "why"),
    [
        ("2020-05-04", "2020: the first Monday of May was a working day (holiday moved to 8 May)"),
        ("2022-05-30", "2022: the last Monday of May was a working day (Spring holiday moved to 2 June)"),
        ("2022-06-01", "the Wednesday before the Jubilee weekend"),
        ("2022-09-20", "the day after the state funeral"),
        ("2022-12-28", "Christmas 2022: Wednesday 28 is a working day"),
        ("2021-12-29", "Christmas 2021: Wednesday 29 is a working day"),
        ("2022-01-04", "the day after the New Year substitute"),
        ("2023-05-09", "the day after the coronation"),
        ("2023-01-03", "the day after the 2023 New Year substitute (Monday 2 January)"),
        ("2026-03-02", "a plain Monday"),
    ],
)
def test_ordinary_weekdays_next_to_holidays_are_business_days(day: str, why: str) -> None:
    assert EW.is_business_day(d(day)), why
    assert EW.non_working_reason(d(day)) is None


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        ("2019-04-19", "2019-04-22"),
        ("2020-04-10", "2020-04-13"),
        ("2021-04-02", "2021-04-05"),
        ("2022-04-15", "2022-04-18"),
        ("2023-04-07", "2023-04-10"),
        ("2024-03-29", "2024-04-01"),
        ("2025-04-18", "2025-04-21"),
        ("2026-04-03", "2026-04-06"),
    ],
)
def test_good_friday_and_easter_monday_are_holidays(good_friday: str, easter_monday: str) -> None:
    friday, monday = d(good_friday), d(easter_monday)
    assert friday.weekday() == 4 and monday.weekday() == 0
    assert not EW.is_business_day(friday)
    assert not EW.is_business_day(monday)
    assert EW.is_business_day(friday - timedelta(days=1))  # Maundy Thursday
    assert EW.is_business_day(monday + timedelta(days=1))  # the Tuesday after
    # Across Easter: the Thursday + 1 business day is the Tuesday.
    assert EW.add_business_days(friday - timedelta(days=1), 1) == monday + timedelta(days=1)


def test_christmas_day_and_weekends_are_not_business_days_even_without_a_substitute() -> None:
    assert not EW.is_business_day(d("2024-12-25"))  # a Wednesday
    assert not EW.is_business_day(d("2022-12-25"))  # a Sunday
    assert EW.non_working_reason(d("2026-03-07")) == "Weekend"  # Saturday
    assert EW.non_working_reason(d("2026-03-08")) == "Weekend"  # Sunday


def test_a_year_has_the_expected_number_of_business_days() -> None:
    # 2022: 260 weekdays minus 10 weekday holidays (3 Jan, 15 & 18 Apr, 2 May, 2 & 3 Jun, 29 Aug, 19 Sep,
    # 26 & 27 Dec) = 250.
    assert EW.business_days_between(d("2021-12-31"), d("2022-12-31")) == 250
    # 2021: 261 weekdays minus 8 weekday holidays (1 Jan, 2 & 5 Apr, 3 & 31 May, 30 Aug, 27 & 28 Dec).
    assert EW.business_days_between(d("2020-12-31"), d("2021-12-31")) == 253


# --------------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------------


def test_counting_starts_on_the_day_after() -> None:
    assert EW.add_business_days(d("2026-03-02"), 0) == d("2026-03-02")
    assert EW.add_business_days(d("2026-03-02"), 1) == d("2026-03-03")  # Monday + 1 = Tuesday
    assert EW.add_business_days(d("2026-03-06"), 1) == d("2026-03-09")  # Friday + 1 = Monday
    assert EW.add_business_days(d("2026-03-07"), 1) == d("2026-03-09")  # Saturday + 1 = Monday
    assert EW.add_business_days(d("2026-03-02"), 5) == d("2026-03-09")  # a week
    # The docstring's example: a CNF sent on Monday 2 March 2026 has its 15th business day on Monday 23.
    assert EW.add_business_days(d("2026-03-02"), 15) == d("2026-03-23")


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        EW.add_business_days(d("2026-03-02"), -1)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2022: Friday 23 Dec; 24-27 are weekend/holidays: the 1st business day is Wednesday 28.
        ("2022-12-23", 1, "2022-12-28"),
        ("2022-12-23", 2, "2022-12-29"),
        # 2021: Friday 24 Dec; 25-28 are weekend/holidays: Wednesday 29.
        ("2021-12-24", 1, "2021-12-29"),
        # From the last working day of 2021 over New Year 2022 (Sat 1, substitute Mon 3): Tuesday 4.
        ("2021-12-31", 1, "2022-01-04"),
        # 2020: Thursday 24 Dec; Christmas Friday 25, Boxing Day Saturday 26 (substitute Monday 28).
        ("2020-12-24", 1, "2020-12-29"),
        # The Jubilee weekend 2022: Wednesday 1 June + 1 = Monday 6 June.
        ("2022-06-01", 1, "2022-06-06"),
        # The state funeral: Friday 16 Sept 2022 + 1 = Tuesday 20.
        ("2022-09-16", 1, "2022-09-20"),
        # May 2020: Thursday 7 + 1 = Monday 11 (Friday 8 was the holiday) ...
        ("2020-05-07", 1, "2020-05-11"),
        # ... and Friday 1 May + 1 = Monday 4 May (no holiday on the first Monday that year).
        ("2020-05-01", 1, "2020-05-04"),
        # The coronation: Friday 5 May 2023 + 1 = Tuesday 9 May (Monday 8 off).
        ("2023-05-05", 1, "2023-05-09"),
        # 15 business days across Christmas 2022: from Thu 15 Dec 2022.
        # 16,19,20,21,22,23 (6) 28,29,30 (9) Jan 3,4,5,6 (13) 9,10 (15) -> Tuesday 10 January 2023.
        ("2022-12-15", 15, "2023-01-10"),
    ],
)
def test_add_business_days_across_holidays(start: str, days: int, expected: str) -> None:
    assert EW.add_business_days(d(start), days) == d(expected)


def test_an_operator_added_day_is_skipped() -> None:
    extra = d("2026-03-10")  # a Tuesday
    calendar = BusinessCalendar.england_and_wales(added=[extra])
    assert not calendar.is_business_day(extra)
    assert calendar.non_working_reason(extra) == "Non-working day added by the operator"
    assert calendar.add_business_days(d("2026-03-09"), 1) == d("2026-03-11")
    assert calendar.add_business_days(d("2026-03-02"), 15) == d("2026-03-24")  # one later than plain
    assert EW.add_business_days(d("2026-03-02"), 15) == d("2026-03-23")


def test_an_operator_removed_holiday_counts_as_a_business_day() -> None:
    funeral = d("2022-09-19")
    calendar = BusinessCalendar.england_and_wales(removed=[funeral])
    assert calendar.is_business_day(funeral)
    assert calendar.add_business_days(d("2022-09-16"), 1) == funeral
    # Removing a weekend day does not make it a business day: only holidays can be removed.
    weekend = BusinessCalendar.england_and_wales(removed=[d("2022-09-17")])
    assert not weekend.is_business_day(d("2022-09-17"))


def test_the_short_notice_2022_state_funeral_puts_deadlines_one_day_later() -> None:
    """The CPL warning of 2022: a calendar without the state funeral is one day off."""
    without = BusinessCalendar.england_and_wales(removed=[d("2022-09-19")])
    sent = d("2022-09-09")
    assert EW.add_business_days(sent, 15) == d("2022-10-03")
    assert without.add_business_days(sent, 15) == d("2022-09-30")


def test_business_days_between() -> None:
    assert EW.business_days_between(d("2026-03-02"), d("2026-03-02")) == 0
    assert EW.business_days_between(d("2026-03-09"), d("2026-03-02")) == 0  # end before start
    assert EW.business_days_between(d("2026-03-06"), d("2026-03-09")) == 1  # Friday -> Monday
    assert EW.business_days_between(d("2026-03-06"), d("2026-03-08")) == 0  # Friday -> Sunday
    assert EW.business_days_between(d("2026-03-02"), d("2026-03-23")) == 15
    assert EW.business_days_between(d("2022-12-23"), d("2022-12-28")) == 1  # over Christmas 2022
    assert EW.business_days_between(d("2022-05-31"), d("2022-06-06")) == 2  # Wed 1, Mon 6
    calendar = BusinessCalendar.england_and_wales(added=[d("2026-03-03")])
    assert calendar.business_days_between(d("2026-03-02"), d("2026-03-06")) == 3


@pytest.mark.parametrize(
    ("start", "days"),
    [("2022-12-15", 15), ("2020-04-01", 30), ("2022-05-20", 40), ("2023-04-28", 10), ("2026-03-02", 35)],
)
def test_business_days_between_inverts_add_business_days(start: str, days: int) -> None:
    end = EW.add_business_days(d(start), days)
    assert EW.business_days_between(d(start), end) == days
    assert EW.is_business_day(end)


def test_last_business_days_window() -> None:
    # The last 5 business days up to Friday 13 March 2026: Monday 9 to Friday 13.
    assert EW.last_business_days(d("2026-03-13"), 5) == d("2026-03-09")
    # Up to Tuesday 10 March: Wednesday 4, Thursday 5, Friday 6, Monday 9, Tuesday 10.
    assert EW.last_business_days(d("2026-03-10"), 5) == d("2026-03-04")
    assert EW.last_business_days(d("2026-03-10"), 1) == d("2026-03-10")
    # Across Christmas 2022: up to Thursday 29 Dec: 29, 28, then 23, 22, 21.
    assert EW.last_business_days(d("2022-12-29"), 5) == d("2022-12-21")
    # Across Easter 2026: up to Tuesday 7 April: 7, 2, 1, 31 Mar, 30 Mar.
    assert EW.last_business_days(d("2026-04-07"), 5) == d("2026-03-30")
    # An operator-added day inside the window pushes its start one business day earlier.
    calendar = BusinessCalendar.england_and_wales(added=[d("2026-03-11")])
    assert calendar.last_business_days(d("2026-03-13"), 5) == d("2026-03-06")
