"""The child and minor protection of the retention policy (ADMINISTRATION.md §4.2b, note (c);
docs/custody.md), as two dates stored on the claim when its claimant's details are known, so that the
retention sweep compares dates instead of doing date arithmetic in SQL:

- ``claimant_adult_on``: the day the claimant turns 18 (NULL: an adult, or nothing known). A claim
  whose claimant is a declared child with no date of birth is a child for ever, as the protocol's own
  ``ClaimState.is_child_on`` says: ``date.max``.
- ``retention_floor``: no retention rule deletes the claim before this day (GDPR deletion excepted).
  The 18th birthday; for a claimant under 18 at the accident date, 21 years and 1 month after birth.
  Unknown date of birth but declared a child: 21 years and 1 month after the accident (an upper bound
  of the same date, as the child was born after the accident's date minus 18 years).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ADULT_YEARS = 18
MINOR_KEPT_YEARS, MINOR_KEPT_MONTHS = 21, 1


def anniversary(start: date, *, years: int = 0, months: int = 0) -> date:
    """The first day on which ``years`` years and ``months`` months have passed since ``start``: the
    same day of the month, or the first of the next month when that day does not exist (a 29 February
    birthday is reached on 1 March of a common year, as ``protocols.state.age_on`` counts)."""
    total = start.year * 12 + (start.month - 1) + years * 12 + months
    year, month = divmod(total, 12)
    month += 1
    try:
        return date(year, month, start.day)
    except ValueError:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return date(year, month, 1)


@dataclass(frozen=True)
class Protection:
    adult_on: date | None
    floor: date | None

    def columns(self) -> dict[str, date | None]:
        return {"claimant_adult_on": self.adult_on, "retention_floor": self.floor}


def protection(
    date_of_birth: date | None, accident_date: date | None, *, child_declared: bool, known_on: date
) -> Protection:
    """The protection of a claim whose claimant was born on ``date_of_birth`` (``known_on``: the day
    the details were given, standing in for an unknown accident date)."""
    if date_of_birth is None:
        if not child_declared:
            return Protection(None, None)
        return Protection(
            date.max, anniversary(accident_date or known_on, years=MINOR_KEPT_YEARS, months=MINOR_KEPT_MONTHS)
        )
    adult_on = anniversary(date_of_birth, years=ADULT_YEARS)
    minor_at_accident = (accident_date or known_on) < adult_on
    if minor_at_accident:
        return Protection(
            adult_on, anniversary(date_of_birth, years=MINOR_KEPT_YEARS, months=MINOR_KEPT_MONTHS)
        )
    return Protection(adult_on, adult_on)
