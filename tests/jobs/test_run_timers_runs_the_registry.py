"""``claimsportal run-timers``: --once runs every job of the registry once and prints each one's figures;
--job NAME runs one; the loop runs them in their threads, prints one JSON line per run and stops
cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import WorkerHeartbeat
from claimsportal.jobs.portal_jobs import PORTAL_JOBS
from claimsportal.protocols.timers import LONDON
from tests.conftest import World, send_claim

RTA_FIRES = datetime(2026, 3, 24, 0, 0, tzinfo=LONDON)
CLAIMSPORTAL = Path(sys.executable).with_name("claimsportal")


def test_once_runs_every_job_in_priority_order_and_prints_each_ones_figures(
    world: World, clock: FixedClock
) -> None:
    send_claim(world)
    clock.set(RTA_FIRES)
    out = StringIO()
    call_command("run_timers", "--once", stdout=out, stderr=StringIO())
    printed = json.loads(out.getvalue())
    assert list(printed["jobs"]) == PORTAL_JOBS.names
    assert PORTAL_JOBS.names[:2] == ["timeouts", "deadline-warnings"], "the law first"
    assert all(run["result"] == "ok" for run in printed["jobs"].values())
    assert printed["jobs"]["timeouts"]["figures"]["moved"] == 1
    assert printed["jobs"]["notifications-purge"]["figures"] == {"notificationsPurged": 1}, (
        "the 22-day-old one"
    )
    assert printed["jobs"]["idle-users"]["figures"] == {"usersDisabledIdle": 0}
    # The pass's figures, flat, as before (bench/timers.py reads moved, batches and seconds).
    assert (printed["moved"], printed["batches"], printed["byPhase"]) == (1, 1, {"ClaimSubmitted": 1})
    assert {"warnings", "credentialFailuresPurged", "idempotencyRecordsPurged", "usersDeleted"} <= set(
        printed
    )
    beats = WorkerHeartbeat.objects.filter(name__in=PORTAL_JOBS.names)
    assert sorted(beat.name for beat in beats) == sorted(PORTAL_JOBS.names), "one heartbeat row per job"
    assert {beat.result for beat in beats} == {"ok"}


def test_job_runs_that_job_alone(world: World, clock: FixedClock) -> None:
    send_claim(world)
    clock.set(RTA_FIRES)
    out = StringIO()
    call_command("run_timers", "--job", "timeouts", "--batch-size", "1", stdout=out, stderr=StringIO())
    printed = json.loads(out.getvalue())
    assert (printed["job"], printed["result"], printed["figures"]["moved"]) == ("timeouts", "ok", 1)
    assert list(
        WorkerHeartbeat.objects.filter(name__in=PORTAL_JOBS.names).values_list("name", flat=True)
    ) == ["timeouts"]


def test_an_unknown_job_is_refused_with_the_names(db: None) -> None:
    with pytest.raises(CommandError, match="no job named 'pdfs'; the jobs are: timeouts, deadline-warnings"):
        call_command("run_timers", "--job", "pdfs", stdout=StringIO(), stderr=StringIO())


def test_the_loop_prints_a_line_per_run_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {**os.environ, "CLAIMSPORTAL_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run(  # noqa: S603 - our own entry point
        [str(CLAIMSPORTAL), "migrate", "--verbosity", "0"], env=env, check=True, timeout=120
    )
    worker = subprocess.Popen(  # noqa: S603 - our own entry point
        [str(CLAIMSPORTAL), "run-timers", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        seen: dict[str, int] = {}
        deadline = time.monotonic() + 60
        while seen.get("timeouts", 0) < 2 and time.monotonic() < deadline:
            line = worker.stdout.readline()
            if line.startswith("{"):
                run = json.loads(line)
                seen[run["job"]] = seen.get(run["job"], 0) + 1
        assert seen.get("timeouts", 0) >= 2, seen
        worker.send_signal(signal.SIGTERM)
        rest, errors = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, errors
    lines = rest.splitlines()
    start = max(i for i, line in enumerate(lines) if line == "{")  # the summary, printed last
    summary = json.loads("\n".join(lines[start:]))
    assert summary["stopped"] is True and summary["moved"] == 0
    assert "each in its own thread" in errors


def test_only_is_refused_with_once_or_job(db: None) -> None:
    with pytest.raises(CommandError, match="--only is for the loop"):
        call_command(
            "run_timers", "--once", "--only", "webhook-deliveries", stdout=StringIO(), stderr=StringIO()
        )


def test_the_loop_with_only_runs_those_jobs_alone(tmp_path: Path) -> None:
    """A dedicated worker: ``run-timers --only webhook-deliveries`` runs that job and no other."""
    env = {**os.environ, "CLAIMSPORTAL_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run(  # noqa: S603 - our own entry point
        [str(CLAIMSPORTAL), "migrate", "--verbosity", "0"], env=env, check=True, timeout=120
    )
    worker = subprocess.Popen(  # noqa: S603 - our own entry point
        [str(CLAIMSPORTAL), "run-timers", "--only", "webhook-deliveries"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        jobs: list[str] = []
        deadline = time.monotonic() + 60
        while len(jobs) < 3 and time.monotonic() < deadline:
            line = worker.stdout.readline()
            if line.startswith("{"):
                jobs.append(json.loads(line)["job"])
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert jobs == ["webhook-deliveries"] * 3
    assert worker.returncode == 0, errors
    assert "1 jobs, each in its own thread: webhook-deliveries every 0.5 s" in errors
