"""A job that raises is logged with its traceback, recorded in its heartbeat as failed with the error,
and stops neither the jobs after it nor the worker's loop (ARCHITECTURE.md §4 rule 6)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
import structlog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from claimsportal.core import heartbeat
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import WorkerHeartbeat
from claimsportal.core.worker import run_pass
from claimsportal.jobs import runner
from claimsportal.jobs.registry import JobContext, Registry
from claimsportal.organisations import accounts
from tests.conftest import World, send_claim
from tests.jobs.conftest import Counter, synthetic_job, wait_for

RESULT = WorkerHeartbeat.Result


def idle_users_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> int:
        raise RuntimeError("the user table is on fire")

    monkeypatch.setattr(accounts, "disable_idle_users", broken)


def test_a_failing_job_is_recorded_and_the_next_job_still_runs(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    send_claim(world)
    idle_users_broken(monkeypatch)
    with structlog.testing.capture_logs() as logs:
        figures = run_pass()
    assert figures["usersDisabledIdle"] is None, "a failed job's figures are None"
    assert figures["expiryReminders"] == 0 and figures["usersDeleted"] == 0, "the jobs after it ran"
    assert figures["documentsRendered"] >= 1, "the last job too"
    failed = WorkerHeartbeat.objects.get(name="idle-users")
    assert failed.result == RESULT.FAILED
    assert "RuntimeError: the user table is on fire" in failed.error
    assert failed.error.startswith("Traceback") and ", in broken" in failed.error, "with its traceback"
    assert failed.succeeded_at is None and failed.finished_at == clock.real_now()
    assert WorkerHeartbeat.objects.get(name="expiry-reminders").result == RESULT.OK
    logged = [entry for entry in logs if entry["event"] == "jobs.failed"]
    assert [entry["job"] for entry in logged] == ["idle-users"]
    assert logged[0]["exc_info"] is True and logged[0]["log_level"] == "error"


def test_a_job_that_recovers_is_recorded_ok_again(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    idle_users_broken(monkeypatch)
    run_pass()
    monkeypatch.undo()
    assert run_pass()["usersDisabledIdle"] == 0
    beat = WorkerHeartbeat.objects.get(name="idle-users")
    assert (beat.result, beat.error, beat.succeeded_at) == (RESULT.OK, "", clock.real_now())


def test_run_timers_once_reports_the_failure_and_exits_non_zero_after_running_every_job(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    idle_users_broken(monkeypatch)
    out = StringIO()
    with pytest.raises(CommandError, match="job\\(s\\) failed: idle-users"):
        call_command("run_timers", "--once", stdout=out, stderr=StringIO())
    printed = json.loads(out.getvalue())
    assert printed["jobs"]["idle-users"]["result"] == "failed"
    assert printed["jobs"]["idle-users"]["error"] == "RuntimeError: the user table is on fire"
    assert printed["jobs"]["disabled-users-deletion"]["result"] == "ok"
    assert printed["moved"] == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_goes_on_after_failures(clock: FixedClock) -> None:
    failing, healthy = Counter(fails=True), Counter()
    worker = runner.Worker(
        Registry([synthetic_job("breaks", failing), synthetic_job("works", healthy)]), daily_poll=0.01
    )
    worker.start()
    try:
        assert wait_for(lambda: failing.runs >= 3 and healthy.runs >= 3), (failing.runs, healthy.runs)
    finally:
        worker.stop()
        assert worker.join(timeout=10)
    assert WorkerHeartbeat.objects.get(name="breaks").result == RESULT.FAILED
    assert "RuntimeError: the job broke" in WorkerHeartbeat.objects.get(name="breaks").error
    assert WorkerHeartbeat.objects.get(name="works").result == RESULT.OK


def test_a_heartbeat_write_that_meets_a_lock_is_tried_again(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite reports another thread's write lock as "database table is locked" at once (shared-cache
    test database): the runner tries the heartbeat again instead of leaving the job "running"."""
    real_finished = heartbeat.finished
    attempts = []

    def locked_twice(*args: Any, **kwargs: Any) -> None:
        attempts.append(1)
        if len(attempts) <= 2:
            raise OperationalError("database table is locked")
        real_finished(*args, **kwargs)

    monkeypatch.setattr(heartbeat, "finished", locked_twice)
    outcome = runner.run_job(synthetic_job("breaks", Counter(fails=True)), JobContext(now=clock.now()))
    assert not outcome.ok and len(attempts) == 3
    beat = WorkerHeartbeat.objects.get(name="breaks")
    assert beat.result == RESULT.FAILED and "RuntimeError: the job broke" in beat.error


def test_a_heartbeat_write_that_keeps_failing_is_given_up_and_logged(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_locked(*_: Any, **__: Any) -> None:
        raise OperationalError("database table is locked")

    monkeypatch.setattr(heartbeat, "finished", always_locked)
    monkeypatch.setattr(runner, "HEARTBEAT_ATTEMPTS", 3)
    with structlog.testing.capture_logs() as logs:
        outcome = runner.run_job(synthetic_job("works", Counter()), JobContext(now=clock.now()))
    assert outcome.ok, "the job's own result does not depend on its heartbeat"
    events = [entry["event"] for entry in logs]
    assert events.count("jobs.heartbeat_retried") == 2 and events.count("jobs.heartbeat_not_recorded") == 1
