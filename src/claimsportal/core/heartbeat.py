"""Worker heartbeats: each run of a background job records when it ran and what it did, in real time.

``beat`` is a pass's plain sign of life; ``started``/``finished`` record a job of the registry
(``claimsportal.jobs``): last started, finished, duration, result, error and figures; ``claim_day``
lets exactly one worker run a daily job for a day (a conditional UPDATE on the job's row)."""

from __future__ import annotations

import os
import socket
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q

from claimsportal.core import clock
from claimsportal.core.models import WorkerHeartbeat

Result = WorkerHeartbeat.Result


def _me() -> dict[str, Any]:
    return {"host": socket.gethostname()[:128], "pid": os.getpid()}


def beat(name: str, last_pass: dict[str, Any]) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={"beat_at": clock.real_now(), **_me(), "last_pass": last_pass},
    )


def started(name: str, at: datetime) -> None:
    """A job's run began (its figures stay those of the last run until it finishes)."""
    WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={"beat_at": at, "started_at": at, "result": Result.RUNNING, "error": "", **_me()},
    )


def finished(
    name: str, *, started_at: datetime, at: datetime, seconds: float, figures: dict[str, Any], error: str
) -> None:
    """A job's run ended: ``error`` empty means ok."""
    values: dict[str, Any] = {
        "beat_at": at,
        "started_at": started_at,
        "finished_at": at,
        "duration_seconds": round(seconds, 3),
        "result": Result.FAILED if error else Result.OK,
        "error": error,
        "last_pass": figures,
        **_me(),
    }
    if not error:
        values["succeeded_at"] = at
    WorkerHeartbeat.objects.update_or_create(name=name, defaults=values)


def claim_day(name: str, day: date, at: datetime, *, retry_after: timedelta, stale_after: timedelta) -> bool:
    """Claim the run of daily job ``name`` for ``day``: True for exactly one caller, whatever the number
    of workers. The claim is one conditional UPDATE (on PostgreSQL the second worker waits on the row
    lock, then finds the row already claimed for the day). A failed run may be claimed again after
    ``retry_after``; a run still "running" after ``stale_after`` (its worker was killed) too."""
    WorkerHeartbeat.objects.get_or_create(name=name, defaults={"beat_at": at, **_me()})
    open_for_day = (
        Q(claimed_for__isnull=True)
        | Q(claimed_for__lt=day)
        | Q(claimed_for=day, result=Result.FAILED, finished_at__lte=at - retry_after)
        | Q(claimed_for=day, result=Result.RUNNING, started_at__lte=at - stale_after)
    )
    claimed = (
        WorkerHeartbeat.objects.filter(name=name)
        .filter(open_for_day)
        .update(claimed_for=day, beat_at=at, started_at=at, result=Result.RUNNING, error="", **_me())
    )
    return claimed == 1
