"""The claimant's protection dates: the 18th birthday, and 21 years and 1 month for a claimant who was
a minor at the accident date (ADMINISTRATION.md §4.2b), with 29 February and month ends."""

from __future__ import annotations

from datetime import date

import pytest

from claimsportal.claims.protection import anniversary, protection
from claimsportal.protocols.state import age_on


@pytest.mark.parametrize(
    ("start", "years", "months", "expected"),
    [
        (date(2008, 1, 10), 18, 0, date(2026, 1, 10)),
        (date(2008, 2, 29), 18, 0, date(2026, 3, 1)),  # as age_on counts a leap-day birthday
        (date(2008, 2, 29), 16, 0, date(2024, 2, 29)),
        (date(2008, 1, 10), 21, 1, date(2029, 2, 10)),
        (date(2008, 1, 31), 21, 1, date(2029, 3, 1)),  # no 31 February: the next day
        (date(2008, 12, 15), 21, 1, date(2030, 1, 15)),
    ],
)
def test_an_anniversary_is_the_first_day_the_time_has_passed(
    start: date, years: int, months: int, expected: date
) -> None:
    assert anniversary(start, years=years, months=months) == expected


def test_the_18th_birthday_agrees_with_the_protocols_age() -> None:
    for dob in (date(2008, 2, 29), date(2008, 3, 1), date(2007, 12, 31)):
        adult_on = protection(dob, None, child_declared=False, known_on=date(2026, 1, 1)).adult_on
        assert adult_on is not None
        assert age_on(dob, adult_on) == 18 and age_on(dob, date.fromordinal(adult_on.toordinal() - 1)) == 17


def test_a_minor_at_the_accident_is_kept_until_21_years_and_1_month() -> None:
    given = protection(date(2008, 1, 10), date(2024, 3, 15), child_declared=False, known_on=date(2026, 3, 2))
    assert (given.adult_on, given.floor) == (date(2026, 1, 10), date(2029, 2, 10))


def test_an_adult_at_the_accident_has_no_floor_beyond_the_18th_birthday() -> None:
    given = protection(date(1980, 1, 15), date(2024, 3, 15), child_declared=False, known_on=date(2026, 3, 2))
    assert given.floor == given.adult_on == date(1998, 1, 15)


def test_a_declared_child_without_a_date_of_birth_is_a_child_and_kept_21_years_1_month_from_the_accident() -> (
    None
):
    given = protection(None, date(2024, 3, 15), child_declared=True, known_on=date(2026, 3, 2))
    assert given.adult_on == date.max and given.floor == date(2045, 4, 15)


def test_nothing_known_means_no_protection() -> None:
    assert protection(None, None, child_declared=False, known_on=date(2026, 3, 2)).columns() == {
        "claimant_adult_on": None,
        "retention_floor": None,
    }
