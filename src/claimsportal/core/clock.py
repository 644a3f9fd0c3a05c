"""The one clock. Everything asks ``clock.now()``; nothing calls ``datetime.now()`` directly.

Real time, moved by an offset stored in the database when sandbox mode is on (so the web server,
the worker and the CLI all agree), or a fixed clock that tests set and advance.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from claimsportal.protocols.timers import LONDON


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Real time; in sandbox mode plus the offset persisted in :class:`core.models.SandboxClock`."""

    def now(self) -> datetime:
        real = timezone.now()
        if not settings.SANDBOX:
            return real
        return real + timedelta(seconds=sandbox_offset_seconds())


class FixedClock:
    """A clock that only moves when told to (tests, replays, benchmarks)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


_clock: Clock = SystemClock()


def get_clock() -> Clock:
    return _clock


def now() -> datetime:
    return _clock.now()


def today() -> date:
    """Today's date in Europe/London."""
    return now().astimezone(LONDON).date()


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    global _clock
    previous = _clock
    _clock = clock
    try:
        yield clock
    finally:
        _clock = previous


def sandbox_offset_seconds() -> int:
    from claimsportal.core.models import SandboxClock

    row = SandboxClock.objects.filter(pk=1).values_list("offset_seconds", flat=True).first()
    return int(row or 0)


def set_sandbox_now(target: datetime) -> datetime:
    """Move the sandbox clock so that ``now()`` is ``target`` (sandbox mode only)."""
    from claimsportal.core.models import SandboxClock

    if not settings.SANDBOX:
        raise RuntimeError("the clock can only be moved in sandbox mode (CLAIMSPORTAL_SANDBOX=1)")
    # Whole seconds, rounded up: the clock never reads earlier than ``target`` (set to a deadline's
    # instant, the timer must be due, not a fraction of a second short of it).
    offset = math.ceil((target - timezone.now()).total_seconds())
    SandboxClock.objects.update_or_create(pk=1, defaults={"offset_seconds": offset})
    return now()
