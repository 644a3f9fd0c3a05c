"""Business days on the England & Wales calendar (WORKFLOW.md §5.1).

A business day is any day except Saturday, Sunday, a bank holiday (Banking and Financial Dealings
Act 1971), Good Friday and Christmas Day. The statutory holidays come from the ``holidays`` package
(GB, subdivision ENG: it includes substitute days and one-off holidays such as the 2022 state
funeral); operators can add or remove days on top, because the calendar is data, not code (the real
portal once ran a day out because a short-notice holiday was not loaded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_pkg

FIRST_YEAR = 2010  # the RTA portal opened on 30 April 2010
LAST_YEAR = 2060


@lru_cache(maxsize=1)
def statutory_holidays() -> dict[date, str]:
    """England & Wales bank holidays, including Good Friday, Christmas Day and substitute days."""
    calendar = holidays_pkg.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    return {day: str(name) for day, name in calendar.items()}


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days are business days. ``added`` days are extra non-working days, ``removed`` days are
    statutory holidays the operator has declared working days."""

    added: frozenset[date] = field(default_factory=frozenset)
    removed: frozenset[date] = field(default_factory=frozenset)
    # add_business_days is on every operation's path; its answers never change for one calendar.
    _sums: dict[tuple[date, int], date] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def england_and_wales(
        cls, *, added: Iterable[date] = (), removed: Iterable[date] = ()
    ) -> BusinessCalendar:
        return cls(added=frozenset(added), removed=frozenset(removed))

    def non_working_reason(self, day: date) -> str | None:
        """Why ``day`` is not a business day, or ``None`` if it is one."""
        if day in self.added:
            return "Non-working day added by the operator"
        if day.weekday() >= 5:
            return "Weekend"
        if day in self.removed:
            return None
        return statutory_holidays().get(day)

    def is_business_day(self, day: date) -> bool:
        return self.non_working_reason(day) is None

    def add_business_days(self, start: date, days: int) -> date:
        """The date ``days`` business days after ``start``; counting starts on the day after ``start``.

        ``add_business_days(d, 0)`` is ``d`` itself. This is how every protocol period is counted: the
        liability period of 15 days for a CNF sent on Monday 2 March 2026 ends on Monday 23 March.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        cached = self._sums.get((start, days))
        if cached is not None:
            return cached
        day = start
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_business_day(day):
                remaining -= 1
        if len(self._sums) < 100_000:
            self._sums[(start, days)] = day
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """How many business days fall after ``start`` up to and including ``end`` (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count

    def last_business_days(self, last_day: date, days: int) -> date:
        """The first date of the window made of ``last_day`` and the business days before it, ``days``
        business days in all (the "last 5 days" of a consideration period)."""
        day = last_day
        counted = 1 if self.is_business_day(last_day) else 0
        while counted < days:
            day -= timedelta(days=1)
            if self.is_business_day(day):
                counted += 1
        return day
