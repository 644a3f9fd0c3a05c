"""What a job is: a name, a schedule, the clock it reads, what it does and the figures it reports."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from claimsportal.core import clock
from claimsportal.core.retention import Retention
from claimsportal.protocols.timers import LONDON

Figures = dict[str, Any]


class JobClock(StrEnum):
    """Which clock a job's rule reads (docs/decisions.md, "Two clocks"). Schedules and heartbeats are
    always real time."""

    BUSINESS = "business"
    REAL = "real"


@dataclass(frozen=True)
class Every:
    """Run every ``seconds`` (from the start of one run to the start of the next; a run that takes
    longer is followed at once by the next)."""

    seconds: float

    def describe(self) -> str:
        return f"every {self.seconds:g} s"


@dataclass(frozen=True)
class DailyAt:
    """Run once a day at ``at`` Europe/London (real time), by one worker only; a worker started after
    that time catches up the same day."""

    at: time

    def describe(self) -> str:
        return f"daily at {self.at:%H:%M} Europe/London"

    def slot(self, day: date) -> datetime:
        return datetime.combine(day, self.at, tzinfo=LONDON)

    def last_slot(self, now: datetime) -> datetime:
        """The latest slot at or before ``now``."""
        today = now.astimezone(LONDON).date()
        slot = self.slot(today)
        return slot if slot <= now else self.slot(today - timedelta(days=1))


Schedule = Every | DailyAt


@dataclass(frozen=True)
class JobContext:
    """What one run is given. ``now`` fixes the business clock for the run (a pass, a test, the
    sandbox); None reads it when the job runs. ``batch_size`` and ``progress`` are the timeout
    sweep's (``run-timers --batch-size``)."""

    now: datetime | None = None
    batch_size: int = 5000
    progress: Callable[[Any], None] | None = None

    def business_now(self) -> datetime:
        return self.now or clock.now()


@dataclass(frozen=True)
class Job:
    name: str
    summary: str
    schedule: Schedule
    clock: JobClock
    run: Callable[[JobContext], Figures]
    # The keys of its figures (merged into one pass's figures: they must not collide across jobs).
    figure_keys: tuple[str, ...]
    # How late against its schedule it may be before the health check says so.
    lag_budget: timedelta
    retention: tuple[Retention, ...] = field(default=())
    # An ``Every`` job's wait between runs in the worker (seconds, the worker's stop event); it may
    # return early when there is work (the webhook deliveries wake on commit). None: just wait.
    wake: Callable[[float, threading.Event], object] | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary,
            "schedule": self.schedule.describe(),
            "clock": self.clock.value,
            "lagBudgetSeconds": self.lag_budget.total_seconds(),
            "retention": [retention.name for retention in self.retention],
        }


class Registry:
    """Jobs in priority order (``run-timers --once`` runs them in this order: the law first)."""

    def __init__(self, jobs: Iterable[Job]) -> None:
        self._jobs = tuple(jobs)
        names = [job.name for job in self._jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names repeat: {names}")
        keys = [key for job in self._jobs for key in job.figure_keys]
        if len(set(keys)) != len(keys):
            raise ValueError(f"figure keys repeat across jobs: {keys}")

    def __iter__(self) -> Iterator[Job]:
        return iter(self._jobs)

    def __len__(self) -> int:
        return len(self._jobs)

    @property
    def names(self) -> list[str]:
        return [job.name for job in self._jobs]

    def get(self, name: str) -> Job:
        for job in self._jobs:
            if job.name == name:
                return job
        raise ValueError(f"no job named {name!r}; the jobs are: {', '.join(self.names)}")

    def only(self, names: Iterable[str]) -> Registry:
        wanted = [self.get(name).name for name in names]
        return Registry(job for job in self._jobs if job.name in wanted)

    def replaced(self, name: str, **changes: Any) -> Registry:
        """The same jobs, ``name``'s with ``changes`` (a schedule, a run function)."""
        self.get(name)
        return Registry(replace(job, **changes) if job.name == name else job for job in self._jobs)
