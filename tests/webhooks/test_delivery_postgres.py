"""Delivery under real concurrency (PostgreSQL): a worker killed with SIGKILL mid-delivery loses
nothing and repeats only with the same event IDs; a slow endpoint does not hold back another."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

from claimsportal.core.clock import FixedClock
from claimsportal.webhooks import delivery, events
from claimsportal.webhooks.models import Delivery
from tests.conftest import CONCURRENT_POSTGRES, World, send_claim, step
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver, running_receiver

pytestmark = CONCURRENT_POSTGRES

ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import time, django
django.setup()
from claimsportal.webhooks import delivery
print("ready", flush=True)
while True:
    delivery.deliver_due(workers=4, wait_seconds=0.2)
    time.sleep(0.05)
"""


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def worker_process() -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "claimsportal.config.settings",
        "CLAIMSPORTAL_MODE": "training",
        "CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES": "1",
        "CLAIMSPORTAL_WEBHOOK_TIMEOUT": "1",
        "CLAIMSPORTAL_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(  # noqa: S603 - our own code
        [sys.executable, "-c", WORKER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _make_events(world: World, claims: int) -> None:
    for _ in range(claims):
        info = send_claim(world)
        info = step(world, world.comp_handler, info, "acceptClaim")
        step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)


def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_only_with_the_same_event_ids(
    world: World, clock: FixedClock, settings: Any
) -> None:
    with running_receiver() as receiver:
        subscribe(receiver, world.comp, events.CHANGED)
        _make_events(world, 8)
        expected = list(Delivery.objects.order_by("id").values_list("event_id", "claim_id"))
        assert len(expected) == 24
        receiver.delay = 0.2  # slow enough to be killed in the middle of a batch
        with worker_process() as first:
            receiver.wait_for(5)
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        killed_at = len(receiver.unique_event_ids)
        assert 5 <= killed_at < 24, "killed mid-way"
        receiver.delay = 0.0
        with worker_process():
            receiver.wait_for(24, timeout=90)  # after the dead worker's lease runs out
            deadline = time.monotonic() + 10
            while (
                Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists()
                and time.monotonic() < deadline
            ):
                time.sleep(0.1)
        got = [r.event_id for r in receiver.genuine]
        assert all(r.refused is None for r in receiver.received)
        assert set(got) == {str(e) for e, _ in expected}, "nothing lost"
        repeated = len(got) - len(set(got))
        assert repeated <= delivery.BATCH * delivery.LANES, "only the dead worker's leases are sent again"
        assert not Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists()
        # In order per claim (first arrivals)
        first_seen: list[str] = []
        for event_id in got:
            if event_id not in first_seen:
                first_seen.append(event_id)
        for claim_id in {c for _, c in expected}:
            mine = [str(e) for e, c in expected if c == claim_id]
            assert [e for e in first_seen if e in mine] == mine


def test_a_slow_endpoint_does_not_hold_back_another(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    with running_receiver() as slow:
        slow.delay = 1.5  # within the 2-second timeout, but slow
        slow.now = receiver.now
        subscribe(slow, world.comp, events.CHANGED)
        subscribe(receiver, world.cr, events.CHANGED)
        _make_events(world, 3)
        fast_count = Delivery.objects.filter(endpoint__organisation=world.cr).count()
        began = time.monotonic()
        while len(receiver.unique_event_ids) < fast_count and time.monotonic() - began < 20:
            delivery.deliver_due(wait_seconds=0.1)
            time.sleep(0.05)
        took = time.monotonic() - began
        assert len(receiver.unique_event_ids) == fast_count
        assert len(slow.unique_event_ids) < 9, "the slow one is still at it"
        assert took < 4.5, f"the fast endpoint waited {took:.1f} s for the slow one"
        slow.wait_for(9, timeout=30)
        while (
            Delivery.objects.exclude(status=Delivery.Status.DELIVERED).exists()
            and time.monotonic() - began < 40
        ):
            delivery.deliver_due(wait_seconds=0.5)
            time.sleep(0.1)
        assert len(slow.unique_event_ids) == 9
