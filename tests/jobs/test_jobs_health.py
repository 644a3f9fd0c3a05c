"""``claimsportal jobs`` and ``GET /healthz/jobs``: each job's schedule, clock, last run and lag; the view
answers 503 as soon as one job is late past its budget (or never ran)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import WorkerHeartbeat
from claimsportal.core.worker import run_pass
from claimsportal.jobs import health
from claimsportal.jobs.portal_jobs import PORTAL_JOBS
from claimsportal.organisations import accounts

pytestmark = pytest.mark.django_db


def jobs_command() -> dict[str, Any]:
    out = StringIO()
    call_command("jobs", stdout=out)
    answer: dict[str, Any] = json.loads(out.getvalue())
    return answer


def by_name(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {job["name"]: job for job in answer["jobs"]}


def test_the_command_lists_each_jobs_schedule_clock_last_run_and_lag(clock: FixedClock) -> None:
    before = by_name(jobs_command())
    assert before["timeouts"]["lastRun"] is None and before["timeouts"]["late"] is True
    run_pass()
    clock.advance(timedelta(seconds=40))
    answer = jobs_command()
    assert answer["healthy"] is True
    jobs = by_name(answer)
    assert list(jobs) == PORTAL_JOBS.names
    timeouts = jobs["timeouts"]
    assert (timeouts["schedule"], timeouts["clock"]) == ("every 30 s", "business")
    assert timeouts["lastRun"]["result"] == "ok"
    assert timeouts["lastRun"]["startedAt"] == (clock.real_now() - timedelta(seconds=40)).isoformat()
    assert timeouts["lastRun"]["figures"]["moved"] == 0
    assert timeouts["lagSeconds"] == 10.0, "40 s after a run due every 30 s"
    assert (jobs["idle-users"]["schedule"], jobs["idle-users"]["clock"]) == (
        "daily at 03:00 Europe/London",
        "real",
    )
    assert jobs["idle-users"]["lagSeconds"] == 0
    assert jobs["notifications-purge"]["retention"] == ["notifications"]
    retention = {row["name"]: row for row in answer["retention"]}
    assert retention["notifications"]["period"] == "15 days"
    assert retention["idempotency-records"]["period"] == "24 hours"
    assert retention["idle-users"]["period"] == "90 days"


def test_a_failed_run_shows_its_error_and_becomes_late_past_its_budget(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_pass()

    def broken(*_: Any, **__: Any) -> int:
        raise RuntimeError("no database")

    monkeypatch.setattr(accounts, "disable_idle_users", broken)
    clock.advance(timedelta(days=1))  # the next night's slot has passed; this night's run fails
    run_pass()
    idle = by_name(jobs_command())["idle-users"]
    assert idle["lastRun"]["result"] == "failed"
    assert "RuntimeError: no database" in idle["lastRun"]["error"]
    assert idle["lagSeconds"] == timedelta(hours=7).total_seconds(), "late since 03:00 (it is 10:00)"
    assert idle["late"] is True, "past its two-hour budget"


def test_the_view_answers_503_until_every_job_has_run_then_200_then_503_when_one_is_late(
    clock: FixedClock, client: Client
) -> None:
    never = client.get("/healthz/jobs")
    assert never.status_code == 503
    assert all(job["late"] for job in never.json()["jobs"])
    run_pass()
    fresh = client.get("/healthz/jobs")
    assert fresh.status_code == 200, fresh.json()
    assert fresh.json()["healthy"] is True
    job = fresh.json()["jobs"][0]
    assert set(job) == {"name", "schedule", "clock", "lagBudgetSeconds", "lastRun", "lagSeconds", "late"}
    assert "figures" not in job["lastRun"] and "error" not in job["lastRun"], "for the operator only"
    # Ten minutes on, only the hourly and daily jobs are within their budget: the sweep is stale.
    clock.advance(timedelta(minutes=10))
    WorkerHeartbeat.objects.filter(name__in=["printable-documents", "webhook-deliveries"]).update(
        succeeded_at=clock.real_now()
    )
    stale = client.get("/healthz/jobs")
    assert stale.status_code == 503
    late = [job["name"] for job in stale.json()["jobs"] if job["late"]]
    assert late == ["timeouts", "deadline-warnings"]


def test_lag_of_a_job_that_runs_every_few_seconds_counts_from_its_last_success(clock: FixedClock) -> None:
    job = PORTAL_JOBS.get("printable-documents")
    assert health.lag(job, None, clock.real_now()) is None
    beat = WorkerHeartbeat(name=job.name, beat_at=clock.real_now(), succeeded_at=clock.real_now())
    assert health.lag(job, beat, clock.real_now() + timedelta(seconds=3)) == timedelta(0)
    assert health.lag(job, beat, clock.real_now() + timedelta(seconds=65)) == timedelta(seconds=60)
