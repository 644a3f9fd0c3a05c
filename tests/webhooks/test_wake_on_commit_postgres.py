"""The delivery worker wakes when a change commits (PostgreSQL LISTEN/NOTIFY), not at its next poll;
a change that rolls back wakes nobody; a drain sends its batches over kept-alive connections."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from claimsportal.core.clock import FixedClock
from claimsportal.jobs import runner
from claimsportal.jobs.portal_jobs import PORTAL_JOBS, WEBHOOK_DELIVERIES
from claimsportal.jobs.registry import Every
from claimsportal.webhooks import delivery, events, wakeup
from claimsportal.webhooks.models import Delivery
from tests.conftest import CONCURRENT_POSTGRES, World, send_claim, step
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver

pytestmark = CONCURRENT_POSTGRES

POLL = 60.0  # the job's schedule in these tests: far longer than any delivery they wait for


@pytest.fixture
def worker() -> Iterator[runner.Worker]:
    """The webhook-deliveries job as a worker runs it, but polling only once a minute."""
    registry = PORTAL_JOBS.only([WEBHOOK_DELIVERIES]).replaced(WEBHOOK_DELIVERIES, schedule=Every(POLL))
    running = runner.Worker(registry)
    running.start()
    try:
        deadline = time.monotonic() + 30
        while not wakeup.LISTENER.listening.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wakeup.LISTENER.listening.is_set(), "the worker listens once its first run is done"
        yield running
    finally:
        running.stop()
        running.join(timeout=30)
        wakeup.LISTENER.stop()


def test_a_committed_change_is_delivered_at_once_not_at_the_next_poll(
    world: World, clock: FixedClock, receiver: Receiver, worker: runner.Worker
) -> None:
    subscribe(receiver, world.cr, events.CHANGED)
    time.sleep(delivery.LINGER + 0.5)  # the first run's drains are over: only a wake-up can send now
    began = time.monotonic()
    send_claim(world)
    receiver.wait_for(1, timeout=20)
    took = time.monotonic() - began
    assert len(receiver.unique_event_ids) == 1
    assert took < POLL / 4, f"delivered after {took:.1f} s: the worker waited for its poll"
    assert wakeup.LISTENER.notifications >= 1


def test_a_change_that_rolls_back_wakes_nobody(
    world: World, clock: FixedClock, receiver: Receiver, worker: runner.Worker
) -> None:
    subscribe(receiver, world.cr, events.CHANGED)
    time.sleep(0.5)
    before = wakeup.LISTENER.notifications
    written: list[int] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            send_claim(world)
            written.append(Delivery.objects.count())
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert written == [1], "the outbox row was written in the transaction"
    time.sleep(1.0)
    assert wakeup.LISTENER.notifications == before
    assert not Delivery.objects.exists()
    assert receiver.received == []


def test_a_drain_sends_its_deliveries_over_kept_alive_connections(
    world: World, clock: FixedClock, receiver: Receiver, settings: Any
) -> None:
    subscribe(receiver, world.comp, events.CHANGED)
    for _ in range(6):
        info = send_claim(world)
        info = step(world, world.comp_handler, info, "acceptClaim")
        step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    count = Delivery.objects.count()
    assert count == 18
    delivery.deliver_due(workers=1)  # one endpoint drained to the end, batch after batch
    assert len(receiver.unique_event_ids) == count
    assert receiver.connections <= delivery.PER_ENDPOINT, "connections are reused, not one per event"
    assert not Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists()
