"""Throttles counted in the database, so that every server process sees the same counts.

An attempt is **counted before it is checked**: :func:`hit` adds one to each of its keys atomically
(an ``UPDATE … SET failures = failures + 1`` that holds the key's row lock until the transaction
ends, then reads the count back) and only then decides. Of forty concurrent attempts against a limit
of ten, exactly ten are let through to be checked; checking first and counting afterwards let every
attempt that raced the count through. Windows are fixed (``window`` long from the first attempt);
an ended window starts again at one. Real time (``clock.real_now()``) drives them.

Used by ``organisations.accounts`` (web sign-in and password-reset codes, on ``AttemptCount``) and
``a2a.guessing`` (client secrets, on its own ``CredentialFailure`` table: same columns).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import F

from claimsportal.core import clock
from claimsportal.organisations.models import AttemptCount


@dataclass(frozen=True)
class Rule:
    """At most ``limit`` attempts for one ``key`` per ``window``."""

    key: str
    limit: int
    window: timedelta


@dataclass(frozen=True)
class Refusal:
    """A key over its limit: the attempt is refused for ``retry_after`` seconds."""

    rule: Rule
    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def hit(rules: list[Rule], model: type[models.Model] = AttemptCount) -> Refusal | None:
    """Count one attempt against every rule (in one transaction, keys in a fixed order so that two
    attempts never wait on each other's rows crosswise), then return the first rule now over its
    limit, if any. The attempt stays counted either way."""
    now = clock.real_now()
    refusal: Refusal | None = None
    with transaction.atomic():
        for rule in sorted(rules, key=lambda r: r.key):
            count, started = _count(model, rule, now)
            if count > rule.limit and refusal is None:
                ends = started + rule.window
                refusal = Refusal(rule, max(1, math.ceil((ends - now).total_seconds())))
    return refusal


def _count(model: type[models.Model], rule: Rule, now: datetime) -> tuple[int, datetime]:
    manager = model._default_manager
    fresh = now - rule.window
    # A window that has ended starts again at one; otherwise one more. Each UPDATE takes the row's
    # lock (kept to the end of the transaction), so the count read back is this attempt's own.
    restarted = manager.filter(key=rule.key, window_started_at__lte=fresh).update(
        failures=1, window_started_at=now
    )
    if not restarted and not manager.filter(key=rule.key).update(failures=F("failures") + 1):
        try:
            with transaction.atomic():
                manager.create(key=rule.key, failures=1, window_started_at=now)
        except IntegrityError:  # created meanwhile by a concurrent attempt
            manager.filter(key=rule.key).update(failures=F("failures") + 1)
    failures, started = manager.filter(key=rule.key).values_list("failures", "window_started_at").get()
    return int(failures), started


def forget(key: str, model: type[models.Model] = AttemptCount) -> None:
    """Start a key's count again (e.g. a right password for that account)."""
    model._default_manager.filter(key=key).delete()


def uncount(key: str, model: type[models.Model] = AttemptCount) -> None:
    """Take back one attempt counted by :func:`hit` (one that turned out not to be a guess)."""
    manager = model._default_manager
    if not manager.filter(key=key, failures__gt=1).update(failures=F("failures") - 1):
        manager.filter(key=key, failures__lte=1).delete()  # back to nothing: no row


def purge_expired(longest: timedelta, model: type[models.Model] = AttemptCount) -> int:
    """Delete counts whose window (at most ``longest``) has ended."""
    deleted, _ = model._default_manager.filter(window_started_at__lt=clock.real_now() - longest).delete()
    return deleted
