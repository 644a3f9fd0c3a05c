"""A daily job runs once a day however many workers there are: each worker's daily thread claims the
day with a conditional UPDATE on the job's heartbeat row, and only the one that wins runs it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection

from claimsportal.core import heartbeat
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import WorkerHeartbeat
from claimsportal.jobs import runner
from claimsportal.jobs.registry import JobContext, Registry
from claimsportal.protocols.timers import LONDON
from tests.jobs.conftest import Counter, nightly, wait_for

AFTER_THE_SLOT = datetime(2026, 3, 2, 3, 30, tzinfo=LONDON)  # the nightly slot is 03:00


@pytest.mark.django_db
def test_two_runners_polling_the_same_day_run_it_once(clock: FixedClock) -> None:
    clock.set(AFTER_THE_SLOT)
    body = Counter()
    job = nightly("nightly", body)
    first = runner.run_daily_if_due(job, JobContext())
    second = runner.run_daily_if_due(job, JobContext())
    assert first is not None and first.ok and second is None
    assert body.runs == 1
    clock.advance(timedelta(hours=20))  # 23:30 the same day: still done
    assert runner.run_daily_if_due(job, JobContext()) is None
    clock.advance(timedelta(hours=4))  # 03:30 the next day
    assert runner.run_daily_if_due(job, JobContext()) is not None
    assert body.runs == 2
    assert WorkerHeartbeat.objects.get(name="nightly").claimed_for == AFTER_THE_SLOT.date() + timedelta(
        days=1
    )


@pytest.mark.django_db
def test_before_the_slot_a_worker_catches_up_the_day_before_then_waits_for_the_slot(
    clock: FixedClock,
) -> None:
    clock.set(AFTER_THE_SLOT - timedelta(hours=2))  # 01:30: today's 03:00 has not come
    body = Counter()
    job = nightly("nightly", body)
    assert runner.run_daily_if_due(job, JobContext()) is not None, "yesterday's run was missed: caught up"
    assert runner.run_daily_if_due(job, JobContext()) is None
    clock.set(AFTER_THE_SLOT)
    assert runner.run_daily_if_due(job, JobContext()) is not None
    assert body.runs == 2


@pytest.mark.django_db
def test_a_failed_daily_run_is_retried_after_the_retry_delay_only(clock: FixedClock) -> None:
    clock.set(AFTER_THE_SLOT)
    body = Counter(fails=True)
    job = nightly("nightly", body)
    failed = runner.run_daily_if_due(job, JobContext())
    assert failed is not None and not failed.ok
    clock.advance(timedelta(minutes=14))
    assert runner.run_daily_if_due(job, JobContext()) is None
    clock.advance(timedelta(minutes=1))
    body.fails = False
    retried = runner.run_daily_if_due(job, JobContext())
    assert retried is not None and retried.ok
    assert runner.run_daily_if_due(job, JobContext()) is None
    assert body.runs == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_each_with_a_daily_thread_run_it_once(clock: FixedClock) -> None:
    clock.set(AFTER_THE_SLOT)
    body = Counter()
    registry = Registry([nightly("nightly", body)])
    workers = [runner.Worker(registry, daily_poll=0.01) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        assert wait_for(lambda: body.runs >= 1)
        assert not wait_for(lambda: body.runs > 1, timeout=1.0), "the second worker never ran it"
    finally:
        for worker in workers:
            worker.stop()
        assert all(worker.join(timeout=10) for worker in workers)
    assert body.runs == 1
    beat = WorkerHeartbeat.objects.get(name="nightly")
    assert (beat.claimed_for, beat.result) == (AFTER_THE_SLOT.date(), WorkerHeartbeat.Result.OK)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent transactions")
def test_concurrent_claims_of_one_day_have_one_winner(clock: FixedClock) -> None:
    clock.set(AFTER_THE_SLOT)
    WorkerHeartbeat.objects.create(name="nightly", beat_at=AFTER_THE_SLOT)
    start = threading.Barrier(8)
    won: list[bool] = []

    def claim() -> None:
        try:
            start.wait()
            won.append(
                heartbeat.claim_day(
                    "nightly",
                    AFTER_THE_SLOT.date(),
                    AFTER_THE_SLOT,
                    retry_after=timedelta(minutes=15),
                    stale_after=timedelta(hours=6),
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 7 + [True]
