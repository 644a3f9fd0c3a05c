"""How each job is doing: its last run (from its heartbeat row) and its lag, how late it is against its
schedule, counted from its last successful run (so a job that keeps failing becomes late too)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from claimsportal.core import clock
from claimsportal.core.models import WorkerHeartbeat
from claimsportal.jobs.registry import Every, Job, Registry


def lag(job: Job, beat: WorkerHeartbeat | None, now: datetime) -> timedelta | None:
    """How late ``job`` is at ``now``; None if it never succeeded and runs every few seconds (unknown:
    the worker may never have run)."""
    succeeded = beat.succeeded_at if beat is not None else None
    if isinstance(job.schedule, Every):
        if succeeded is None:
            return None
        due = succeeded + timedelta(seconds=job.schedule.seconds)
    else:
        due = job.schedule.last_slot(now)
        if succeeded is not None and succeeded >= due:
            return timedelta(0)
    return max(timedelta(0), now - due)


def _last_run(beat: WorkerHeartbeat | None, *, details: bool) -> dict[str, Any] | None:
    if beat is None or beat.started_at is None:
        return None
    out: dict[str, Any] = {
        "startedAt": beat.started_at.isoformat(),
        "finishedAt": None if beat.finished_at is None else beat.finished_at.isoformat(),
        "durationSeconds": beat.duration_seconds,
        "result": beat.result,
        "succeededAt": None if beat.succeeded_at is None else beat.succeeded_at.isoformat(),
    }
    if details:
        out |= {"figures": beat.last_pass, "error": beat.error, "host": beat.host, "pid": beat.pid}
    return out


def report(registry: Registry, *, details: bool = True, now: datetime | None = None) -> dict[str, Any]:
    """Every job's schedule, clock, last run and lag; ``healthy`` when each is within its lag budget.
    ``details`` adds the figures, the error text and the worker (the operator's command, not the
    unauthenticated health view)."""
    now = now or clock.real_now()
    beats = {beat.name: beat for beat in WorkerHeartbeat.objects.filter(name__in=registry.names)}
    jobs = []
    for job in registry:
        beat = beats.get(job.name)
        late_by = lag(job, beat, now)
        late = late_by is None or late_by > job.lag_budget
        described = job.describe()
        if not details:
            described.pop("summary")
            described.pop("retention")
        jobs.append(
            {
                **described,
                "lastRun": _last_run(beat, details=details),
                "lagSeconds": None if late_by is None else round(late_by.total_seconds(), 3),
                "late": late,
            }
        )
    return {"healthy": not any(job["late"] for job in jobs), "now": now.isoformat(), "jobs": jobs}
