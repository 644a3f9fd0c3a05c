"""Running the jobs: once, in priority order, in the caller's thread (``run-timers --once``, a pass,
the sandbox); or each job in a thread of its own until stopped (the worker), so that a slow or
failing job never delays another: 200 PDFs rendering do not hold back a timeout.

Every run is isolated: an exception is logged with its traceback, recorded in the job's heartbeat
row (result ``failed``, the error text) and ends that run only; the other jobs and the loop go on.
Each thread has its own database connection, closed when the thread ends. Two workers may run side
by side: the sweeps take their rows ``FOR UPDATE SKIP LOCKED``, the purges are idempotent deletes,
and a daily job is run by the one worker that claims its day (``core.heartbeat.claim_day``).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.db import OperationalError, connection, transaction

from claimsportal.core import clock, heartbeat
from claimsportal.jobs.registry import DailyAt, Every, Figures, Job, JobContext, Registry
from claimsportal.protocols.timers import LONDON

log = structlog.get_logger(__name__)

MAX_ERROR_CHARS = 8000  # the heartbeat keeps the end of the traceback: the raise and its message


@dataclass(frozen=True)
class Outcome:
    job: str
    started_at: datetime
    seconds: float
    figures: Figures
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "job": self.job,
            "result": "ok" if self.ok else "failed",
            "startedAt": self.started_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "figures": self.figures,
        }
        if self.error:
            out["error"] = self.error.rstrip().splitlines()[-1]
        return out


@contextmanager
def _isolated() -> Iterator[None]:
    """Inside a transaction (a test, a request), a savepoint: a failed job's database error must not
    abort the transaction the next job runs in. Outside one (the worker), nothing: each job commits as
    it goes (the sweep in its batches), which one enclosing transaction would undo."""
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
    else:
        yield


HEARTBEAT_ATTEMPTS = 5  # a heartbeat write that meets a lock is tried again, then given up


def _is_lock_conflict(exc: Exception) -> bool:
    """SQLite's "database is locked" / "database table is locked": another thread holds the write
    lock for a moment. A shared-cache database (the test database) reports a table lock at once,
    whatever the busy timeout, so a short retry is what keeps two jobs' heartbeats both written."""
    return isinstance(exc, OperationalError) and "locked" in str(exc)


def _record(name: str, write: Callable[[], None], *, pause: float = 0.02) -> None:
    for attempt in range(1, HEARTBEAT_ATTEMPTS + 1):
        try:
            with _isolated():
                write()
            return
        except Exception as exc:  # the heartbeat must not be what stops the job or the loop
            if attempt < HEARTBEAT_ATTEMPTS and _is_lock_conflict(exc):
                log.info("jobs.heartbeat_retried", job=name, attempt=attempt)
                time.sleep(pause * 2 ** (attempt - 1))
                continue
            log.exception("jobs.heartbeat_not_recorded", job=name)
            return


def run_job(job: Job, context: JobContext, *, claimed: bool = False) -> Outcome:
    """One run of ``job``, isolated and recorded in its heartbeat. ``claimed``: the start was already
    recorded by the daily claim."""
    started_at = clock.real_now()
    began = time.monotonic()
    if not claimed:
        _record(job.name, lambda: heartbeat.started(job.name, started_at))
    figures: Figures = {}
    error = ""
    try:
        with _isolated():
            figures = job.run(context)
    except Exception as exc:
        log.exception("jobs.failed", job=job.name)
        error = "".join(traceback.format_exception(exc))[-MAX_ERROR_CHARS:]
    outcome = Outcome(job.name, started_at, time.monotonic() - began, figures, error)
    _record(
        job.name,
        lambda: heartbeat.finished(
            job.name,
            started_at=started_at,
            at=clock.real_now(),
            seconds=outcome.seconds,
            figures=figures,
            error=error,
        ),
    )
    return outcome


def run_once(
    registry: Registry, context: JobContext, *, on_outcome: Callable[[Outcome], None] | None = None
) -> list[Outcome]:
    """Every job once, in priority order, whatever its schedule (a daily job too)."""
    outcomes = []
    for job in registry:
        outcome = run_job(job, context)
        if on_outcome:
            on_outcome(outcome)
        outcomes.append(outcome)
    return outcomes


def merged(registry: Registry, outcomes: Sequence[Outcome]) -> Figures:
    """One pass's figures in one flat dict (``run-timers --once``'s output, ``core.worker.run_pass``);
    a failed job's keys are None."""
    by_job = {outcome.job: outcome for outcome in outcomes}
    out: Figures = {}
    for job in registry:
        outcome = by_job.get(job.name)
        if outcome is None:
            continue
        out.update(outcome.figures if outcome.ok else dict.fromkeys(job.figure_keys))
    return out


class Worker:
    """Each job of ``registry`` in its own thread, on its schedule, until :meth:`stop`.

    An ``Every`` job runs at once, then every ``seconds`` from the start of its previous run. A
    ``DailyAt`` job polls every ``daily_poll`` seconds and runs when it wins the claim for the day of
    its latest slot (so a worker started late catches up; a failed run is retried after
    ``retry_after``; a run left "running" by a killed worker is taken over after ``stale_after``)."""

    def __init__(
        self,
        registry: Registry,
        *,
        context: Callable[[], JobContext] = JobContext,
        on_outcome: Callable[[Outcome], None] | None = None,
        daily_poll: float = 60.0,
        retry_after: timedelta = timedelta(minutes=15),
        stale_after: timedelta = timedelta(hours=6),
    ) -> None:
        self.registry = registry
        self.stopping = threading.Event()
        self._context = context
        self._on_outcome = on_outcome
        self._daily_poll = daily_poll
        self._retry_after = retry_after
        self._stale_after = stale_after
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for job in self.registry:
            thread = threading.Thread(target=self._loop, args=(job,), name=f"job:{job.name}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self) -> None:
        self.stopping.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the threads (a run in progress finishes first); False if some are still running."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in self._threads)

    def _loop(self, job: Job) -> None:
        try:
            while not self.stopping.is_set():
                woken = job.wake is not None and isinstance(job.schedule, Every)
                try:
                    wait = self._tick(job)
                except Exception:  # e.g. the database is down: try again after a pause
                    log.exception("jobs.loop_failed", job=job.name)
                    wait, woken = min(self._daily_poll, 30.0), False
                finally:
                    connection.close_if_unusable_or_obsolete()
                if woken and job.wake is not None:
                    try:
                        job.wake(wait, self.stopping)
                    except Exception:  # the wake-up is an optimisation: fall back to the schedule
                        log.exception("jobs.wake_failed", job=job.name)
                        self.stopping.wait(wait)
                else:
                    self.stopping.wait(wait)
        finally:
            connection.close()

    def _tick(self, job: Job) -> float:
        """Run ``job`` if it is due; return the seconds until it should be looked at again."""
        schedule = job.schedule
        if isinstance(schedule, Every):
            began = time.monotonic()
            self._report(job, run_job(job, self._context()))
            return max(0.0, schedule.seconds - (time.monotonic() - began))
        outcome = run_daily_if_due(
            job, self._context(), retry_after=self._retry_after, stale_after=self._stale_after
        )
        if outcome is not None:
            self._report(job, outcome)
        return self._daily_poll

    def _report(self, job: Job, outcome: Outcome) -> None:
        if self._on_outcome:
            try:
                self._on_outcome(outcome)
            except Exception:
                log.exception("jobs.report_failed", job=job.name)


def run_daily_if_due(
    job: Job,
    context: JobContext,
    *,
    retry_after: timedelta = timedelta(minutes=15),
    stale_after: timedelta = timedelta(hours=6),
) -> Outcome | None:
    """What a worker's daily thread does on each poll: run ``job`` if this caller wins its day's claim."""
    assert isinstance(job.schedule, DailyAt), job.name
    now = clock.real_now()
    day = job.schedule.last_slot(now).astimezone(LONDON).date()
    if not heartbeat.claim_day(job.name, day, now, retry_after=retry_after, stale_after=stale_after):
        return None
    return run_job(job, context, claimed=True)
