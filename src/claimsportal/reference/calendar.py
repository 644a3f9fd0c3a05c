"""The business calendar in force: statutory E&W holidays plus the operator's overrides.

Overrides are few rows; they are cached per process for a few seconds. Changing them goes through
:func:`set_override` / :func:`remove_override`, which also recompute every open deadline.
"""

from __future__ import annotations

import time
from datetime import date

from django.db import transaction

from claimsportal.core import clock
from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.reference.models import NonWorkingDayOverride

_CACHE_SECONDS = 5.0
_cached: tuple[float, BusinessCalendar] | None = None


def get_calendar() -> BusinessCalendar:
    global _cached
    now = time.monotonic()
    if _cached is not None and now - _cached[0] < _CACHE_SECONDS:
        return _cached[1]
    rows = list(NonWorkingDayOverride.objects.values_list("day", "kind"))
    calendar = BusinessCalendar.england_and_wales(
        added=[d for d, k in rows if k == NonWorkingDayOverride.Kind.ADDED],
        removed=[d for d, k in rows if k == NonWorkingDayOverride.Kind.REMOVED],
    )
    _cached = (now, calendar)
    return calendar


def invalidate() -> None:
    global _cached
    _cached = None


def set_override(*, day: date, kind: str, reason: str) -> int:
    """Add (or change) a non-working-day override and recompute open deadlines; returns how many changed."""
    from claimsportal.claims.deadlines import recompute_open_deadlines

    if kind not in NonWorkingDayOverride.Kind.values:
        raise ValueError(f"kind must be one of {', '.join(NonWorkingDayOverride.Kind.values)}")
    if not reason.strip():
        raise ValueError("a reason is required")
    with transaction.atomic():
        NonWorkingDayOverride.objects.update_or_create(
            day=day, defaults={"kind": kind, "reason": reason.strip(), "created_at": clock.real_now()}
        )
        transaction.on_commit(invalidate)
    invalidate()
    return recompute_open_deadlines()


def remove_override(*, day: date) -> int:
    from claimsportal.claims.deadlines import recompute_open_deadlines

    deleted, _ = NonWorkingDayOverride.objects.filter(day=day).delete()
    if not deleted:
        raise ValueError(f"there is no override for {day.isoformat()}")
    invalidate()
    return recompute_open_deadlines()
