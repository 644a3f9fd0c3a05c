"""The two clocks. Nothing calls ``datetime.now()`` or ``timezone.now()`` directly.

- **The business clock** (``now()``, ``today()``) drives the protocol: deadlines, timers and their
  warnings, claim dates, retention and purges of claim data. In sandbox mode it is real time moved by
  an offset stored in the database (so the web server, the worker and the CLI all agree); an
  integrator moves it to test a timeout or a retention period.
- **Real time** (``real_now()``, ``real_today()``) drives security and accounts: access and refresh
  token lifetimes, A2A secret age, sign-in windows and one-time codes (TOTP), lockouts and guessing
  limits, rate limits, user inactivity, expiry and their reminders, the audit trail's timestamps and
  the workers' heartbeats. It never follows the sandbox offset, so moving the sandbox clock five years
  never locks an integrator out. ``docs/decisions.md`` ("Two clocks") lists each rule's clock.

Tests swap in a :class:`FixedClock`, which serves both clocks from one instant unless given a
separate real time (``FixedClock(at, real=...)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from claimsportal.protocols.timers import LONDON


class Clock(Protocol):
    def now(self) -> datetime:
        """The business clock."""
        ...

    def real_now(self) -> datetime:
        """Real time."""
        ...


class SystemClock:
    """Real time; the business clock adds the sandbox offset (:class:`core.models.SandboxClock`).

    ``real`` replaces the source of real time (tests: the sandbox offset over a fixed real time)."""

    def __init__(self, real: Callable[[], datetime] = timezone.now) -> None:
        self._real = real

    def now(self) -> datetime:
        real = self._real()
        if not settings.SANDBOX:
            return real
        return real + timedelta(seconds=sandbox_offset_seconds())

    def real_now(self) -> datetime:
        return self._real()


class FixedClock:
    """A clock that only moves when told to (tests, replays, benchmarks). Real time is the same
    instant and moves with it, unless ``real`` separates the two (then ``advance`` moves only the
    business clock, like the sandbox's)."""

    def __init__(self, at: datetime, *, real: datetime | None = None) -> None:
        if at.tzinfo is None or (real is not None and real.tzinfo is None):
            raise ValueError("FixedClock needs aware datetimes")
        self._at = at
        self._real = real

    def now(self) -> datetime:
        return self._at

    def real_now(self) -> datetime:
        return self._at if self._real is None else self._real

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def advance_real(self, delta: timedelta) -> None:
        """Move real time alone (only for a clock made with a separate ``real``)."""
        if self._real is None:
            raise ValueError("this FixedClock has no separate real time: use advance()")
        self._real += delta


_clock: Clock = SystemClock()


def get_clock() -> Clock:
    return _clock


def now() -> datetime:
    """The business clock: deadlines, timers, claim dates, retention (moved in sandbox mode)."""
    return _clock.now()


def today() -> date:
    """The business clock's date in Europe/London."""
    return now().astimezone(LONDON).date()


def real_now() -> datetime:
    """Real time: tokens, secrets, sign-in, lockouts, rate limits, user inactivity and expiry, audit."""
    return _clock.real_now()


def real_today() -> date:
    """Real time's date in Europe/London."""
    return real_now().astimezone(LONDON).date()


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
    """Move the business clock so that ``now()`` is ``target`` (sandbox mode only)."""
    from claimsportal.core.models import SandboxClock

    if not settings.SANDBOX:
        raise RuntimeError("the clock can only be moved in sandbox mode (CLAIMSPORTAL_SANDBOX=1)")
    # Whole seconds, rounded up: the clock never reads earlier than ``target`` (set to a deadline's
    # instant, the timer must be due, not a fraction of a second short of it).
    offset = math.ceil((target - real_now()).total_seconds())
    SandboxClock.objects.update_or_create(pk=1, defaults={"offset_seconds": offset})
    return now()
