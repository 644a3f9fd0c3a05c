"""The business calendar in force: statutory E&W holidays plus the operator's overrides.

Overrides are few rows; they are cached per process for a few seconds. Changing them goes through
:func:`set_override` / :func:`remove_override`, which then send :data:`calendar_changed`: the claims'
deadlines listen to it and recompute every open deadline (``claims.deadlines``). Reference data sits
below the claims, so it names no claims module: the claims app connects its receiver in ``ready()``.
"""

from __future__ import annotations

import time
from datetime import date

from django.db import transaction
from django.dispatch import Signal

from claimsportal.core import clock
from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.reference.models import NonWorkingDayOverride

_CACHE_SECONDS = 5.0
_cached: tuple[float, BusinessCalendar] | None = None

# Sent after an override is added, changed or removed (and the cache dropped). A receiver returns how
# many claims it changed; :func:`set_override` and :func:`remove_override` return the sum.
calendar_changed = Signal()


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


def _changed() -> int:
    """Tell the listeners that the calendar changed; how many claims they changed between them."""
    changed = 0
    for _receiver, answer in calendar_changed.send(sender=BusinessCalendar):
        changed += answer if isinstance(answer, int) else 0
    return changed


def set_override(*, day: date, kind: str, reason: str) -> int:
    """Add (or change) a non-working-day override and recompute open deadlines; returns how many changed."""
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
    return _changed()


def remove_override(*, day: date) -> int:
    deleted, _ = NonWorkingDayOverride.objects.filter(day=day).delete()
    if not deleted:
        raise ValueError(f"there is no override for {day.isoformat()}")
    invalidate()
    return _changed()
