"""Helpers for the jobs' tests: small synthetic jobs and waiting for a condition in another thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import time as time_of_day
from datetime import timedelta

from django.db import OperationalError

from claimsportal.jobs.registry import DailyAt, Every, Figures, Job, JobClock, JobContext, Schedule


def wait_for(condition: Callable[[], bool], *, timeout: float = 10.0) -> bool:
    """Poll ``condition`` until true or ``timeout``. A read that meets a table lock counts as false:
    the tests' SQLite database is in memory with a shared cache, where a writer in another thread makes
    a reader fail at once instead of waiting (a file database waits: WAL and a busy timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return True
        except OperationalError:
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


class Counter:
    """A job's body that counts its runs (thread-safe) and may fail each time."""

    def __init__(self, *, fails: bool = False) -> None:
        self.runs = 0
        self.fails = fails
        self._lock = threading.Lock()

    def __call__(self, context: JobContext) -> Figures:
        with self._lock:
            self.runs += 1
        if self.fails:
            raise RuntimeError("the job broke")
        return {"runs": self.runs}


def synthetic_job(
    name: str, run: Callable[[JobContext], Figures], schedule: Schedule | None = None, *, key: str = ""
) -> Job:
    return Job(
        name,
        f"a test job ({name})",
        schedule or Every(0.01),
        JobClock.REAL,
        run,
        (key or f"{name}Runs",),
        timedelta(minutes=5),
    )


def nightly(name: str, run: Callable[[JobContext], Figures]) -> Job:
    return synthetic_job(name, run, DailyAt(time_of_day(3, 0)))
