"""Sending the outbox (the ``webhook-deliveries`` job; docs/webhooks.md).

- **In order per claim**: for each endpoint, only the oldest pending delivery of a claim is taken (a
  later one waits until it is delivered or parked).
- **At-least-once**: a worker leases a few deliveries (``leased_until``), sends them, then records
  each answer; a worker killed mid-way leaves its lease to expire and another worker sends them
  again, with the same event ID (the receiver de-duplicates on it). On PostgreSQL the lease is taken
  ``FOR UPDATE SKIP LOCKED``, so two workers never lease the same row.
- **Retries**: a failure (no answer, or a status other than 2xx) is tried again after an exponential
  backoff (10 s, 20 s, 40 s … at most an hour) for 24 hours from the first try, then the delivery is
  parked (the log's "redeliver" sends it again).
- **One slow endpoint blocks no other**: each endpoint is drained by one thread at a time (at most
  ``CLAIMSPORTAL_WEBHOOK_THREADS`` threads), within a time budget per run, and every request has a
  bounded timeout (``CLAIMSPORTAL_WEBHOOK_TIMEOUT`` seconds for the connection and each read).

Real time throughout (``clock.real_now``): retries are about a receiver being down, not the business
clock an integrator moves in the sandbox.
"""

from __future__ import annotations

import json
import random
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from claimsportal.core import clock
from claimsportal.webhooks import addresses, signing
from claimsportal.webhooks.models import Attempt, Delivery, Endpoint
from claimsportal.webhooks.sealing import unseal

log = structlog.get_logger(__name__)

RETRY_WINDOW = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 20  # deliveries leased at a time by one endpoint's thread (the heads of up to 20 claims)
PER_ENDPOINT = 4  # of which this many are sent at once
LINGER = 1.0  # seconds a drain keeps looking for new deliveries once it has sent some
RUN_SECONDS = 20.0  # an endpoint's time budget in one run of the job
KEPT = timedelta(days=30)  # delivered and parked deliveries are purged after this


def timeout() -> float:
    return float(getattr(settings, "CLAIMSPORTAL_WEBHOOK_TIMEOUT", 10.0))


def threads() -> int:
    return int(getattr(settings, "CLAIMSPORTAL_WEBHOOK_THREADS", 8))


def lease_length() -> timedelta:
    """Long enough for a whole batch to time out (``PER_ENDPOINT`` attempts at a time)."""
    return timedelta(seconds=(BATCH // PER_ENDPOINT + 1) * (timeout() + 1) + 5)


def retry_delay(attempts: int) -> timedelta:
    """After ``attempts`` failures: 10 s, 20 s, 40 s … at most an hour, plus up to 20% so that many
    deliveries failed together do not all come back at once."""
    base: timedelta = min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_RETRY)
    return base * (1 + random.random() / 5)  # noqa: S311 - jitter, not a secret


@dataclass
class DeliveryResult:
    delivered: int = 0
    failed: int = 0
    parked: int = 0
    endpoints: int = 0
    seconds: float = 0.0

    def add(self, other: DeliveryResult) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.parked += other.parked

    def as_dict(self) -> dict[str, float | int]:
        return {
            "webhooksDelivered": self.delivered,
            "webhooksFailed": self.failed,
            "webhooksParked": self.parked,
            "webhookEndpoints": self.endpoints,
        }


def _free(now: datetime) -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lt=now)


def due_endpoints(now: datetime, limit: int = 1000) -> list[int]:
    """The enabled endpoints with a delivery due and not leased."""
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now, endpoint__enabled=True
        )
        .filter(_free(now))
        .order_by()
        .values_list("endpoint_id", flat=True)
        .distinct()[:limit]
    )


def lease(endpoint_pk: int, *, limit: int = BATCH) -> tuple[list[Delivery], datetime]:
    """Up to ``limit`` due deliveries of the endpoint, each the oldest pending one of its claim,
    leased to this worker (the lease's end is returned: it is the worker's mark on the rows)."""
    now = clock.real_now()
    until = now + lease_length()
    earlier = Delivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"),
        claim_id=OuterRef("claim_id"),
        status=Delivery.Status.PENDING,
        id__lt=OuterRef("id"),
    )
    with transaction.atomic():
        due = (
            Delivery.objects.filter(
                endpoint_id=endpoint_pk, status=Delivery.Status.PENDING, next_attempt_at__lte=now
            )
            .filter(_free(now))
            .filter(~Exists(earlier))
            .order_by("id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        taken = list(due[:limit])
        if taken:
            Delivery.objects.filter(pk__in=[d.pk for d in taken]).update(leased_until=until)
    return taken, until


def encode(body: object) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Target:
    pk: int
    url: str
    key_id: str
    secret: str

    @classmethod
    def of(cls, endpoint: Endpoint) -> Target:
        return cls(endpoint.pk, endpoint.url, endpoint.key_id, unseal(endpoint.sealed_secret))


@dataclass(frozen=True)
class Sent:
    delivery: Delivery
    sent_at: datetime
    answer: addresses.Answer


def send(target: Target, delivery: Delivery) -> Sent:
    """Sign and POST one delivery (no database access: the senders of a batch run in threads)."""
    body = encode(delivery.body)
    sent_at = clock.real_now()
    headers = signing.headers(
        secret=target.secret,
        key_id=target.key_id,
        event_id=str(delivery.event_id),
        kind=delivery.kind,
        timestamp=int(sent_at.timestamp()),
        body=body,
    )
    return Sent(delivery, sent_at, addresses.post(target.url, body, headers, timeout=timeout()))


def record(target: Target, sent: list[Sent], leased_until: datetime) -> list[str]:
    """Record a batch's answers in one transaction; per delivery "delivered", "failed", "parked" or
    "lost" (its lease was taken over by another worker: nothing recorded)."""
    now = clock.real_now()
    outcomes: list[str] = []
    attempts: list[Attempt] = []
    with transaction.atomic():
        for item in sent:
            delivery, answer = item.delivery, item.answer
            error = (answer.error or ("" if answer.ok else f"HTTP {answer.status}"))[:300]
            tries = delivery.attempts + 1
            changes: dict[str, object] = {
                "attempts": tries,
                "leased_until": None,
                "last_attempt_at": item.sent_at,
                "last_status": answer.status,
                "last_latency_ms": answer.latency_ms,
                "last_error": error,
            }
            if answer.ok:
                outcome = "delivered"
                changes.update(status=Delivery.Status.DELIVERED, delivered_at=now)
            elif now >= delivery.retry_from + RETRY_WINDOW:
                outcome = "parked"
                changes.update(status=Delivery.Status.PARKED)
            else:
                outcome = "failed"
                retry_at = min(now + retry_delay(tries), delivery.retry_from + RETRY_WINDOW)
                changes.update(next_attempt_at=retry_at)
            if not Delivery.objects.filter(pk=delivery.pk, leased_until=leased_until).update(**changes):
                outcomes.append("lost")
                continue
            outcomes.append(outcome)
            attempts.append(
                Attempt(
                    delivery_id=delivery.pk,
                    attempted_at=item.sent_at,
                    status=answer.status,
                    latency_ms=answer.latency_ms,
                    error=error,
                )
            )
            if outcome != "delivered":
                log.info(
                    "webhook.not_delivered",
                    delivery=delivery.pk,
                    endpoint=target.pk,
                    event_id=str(delivery.event_id),
                    outcome=outcome,
                    error=error,
                )
        Attempt.objects.bulk_create(attempts)
    return outcomes


def attempt(target: Target, delivery: Delivery, leased_until: datetime) -> str:
    """Send one delivery now and record the answer (a test event)."""
    return record(target, [send(target, delivery)], leased_until)[0]


def drain(endpoint_pk: int, *, budget: float = RUN_SECONDS, linger: float = 0.0) -> DeliveryResult:
    """Send the endpoint's due deliveries, batch after batch, until none has been due for
    ``linger`` seconds (it looks every 50 ms: the worker's drains pick up new events at once) or ``budget`` seconds have passed.
    The deliveries of a batch (one per claim) are sent by ``PER_ENDPOINT`` threads at once; their
    answers are recorded together."""
    result = DeliveryResult()
    endpoint = Endpoint.objects.filter(pk=endpoint_pk, enabled=True).first()
    if endpoint is None:
        return result
    target = Target.of(endpoint)
    stop_at = time.monotonic() + budget
    quiet_since: float | None = None
    with ThreadPoolExecutor(max_workers=PER_ENDPOINT, thread_name_prefix="webhook-send") as senders:
        while time.monotonic() < stop_at:
            batch, until = lease(endpoint_pk)
            if not batch:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= linger:
                    break
                time.sleep(0.05)
                continue
            quiet_since = None
            sent = list(senders.map(lambda d: send(target, d), batch))
            for outcome in record(target, sent, until):
                if outcome == "delivered":
                    result.delivered += 1
                elif outcome == "parked":
                    result.parked += 1
                elif outcome == "failed":
                    result.failed += 1
    return result


class _Pool:
    """The process's delivery threads. A run hands each due endpoint not already being drained to a
    thread and waits a little for them; a slow endpoint's drain goes on in its thread while the next
    runs hand the other endpoints to the other threads (its figures are reported by a later run)."""

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._size = 0
        self._busy: set[int] = set()
        self._late = DeliveryResult()
        self._lock = threading.Lock()

    def _run(self, endpoint_pk: int, budget: float) -> DeliveryResult:
        try:
            done = drain(endpoint_pk, budget=budget, linger=LINGER)
        finally:
            connection.close()
            with self._lock:
                self._busy.discard(endpoint_pk)
        return done

    def submit(self, endpoints: list[int], budget: float, size: int) -> list[Future[DeliveryResult]]:
        with self._lock:
            if self._executor is None or self._size != size:
                self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="webhook")
                self._size = size
            futures = []
            for endpoint_pk in endpoints:
                if endpoint_pk in self._busy:
                    continue
                self._busy.add(endpoint_pk)
                future = self._executor.submit(self._run, endpoint_pk, budget)
                futures.append(future)
            return futures

    def collect(self, futures: list[Future[DeliveryResult]], wait_seconds: float) -> DeliveryResult:
        done, pending = wait(futures, timeout=wait_seconds)
        result = DeliveryResult()
        for future in done:
            if future.exception() is None:
                result.add(future.result())
        for future in pending:
            future.add_done_callback(self._late_result)
        with self._lock:
            result.add(self._late)
            self._late = DeliveryResult()
        return result

    def _late_result(self, future: Future[DeliveryResult]) -> None:
        if future.exception() is None:
            with self._lock:
                self._late.add(future.result())


_pool = _Pool()


def deliver_due(
    *, budget: float = RUN_SECONDS, workers: int | None = None, wait_seconds: float = 1.0
) -> DeliveryResult:
    """One run of the job: drain every enabled endpoint with a delivery due. On PostgreSQL each
    endpoint is drained by one thread of the process's pool (at most ``workers``), and the run waits
    at most ``wait_seconds`` for them; elsewhere (SQLite, one writer at a time; inside a transaction)
    one endpoint after the other, to the end."""
    began = time.monotonic()
    endpoints = due_endpoints(clock.real_now())
    size = workers if workers is not None else threads()
    if connection.vendor != "postgresql" or size <= 1 or connection.in_atomic_block:
        result = DeliveryResult()
        for endpoint_pk in endpoints:
            result.add(drain(endpoint_pk, budget=budget))
    else:
        result = _pool.collect(_pool.submit(endpoints, budget, size), wait_seconds)
    result.endpoints = len(endpoints)
    result.seconds = time.monotonic() - began
    return result


def purge(now: datetime | None = None) -> int:
    """Delete delivered and parked deliveries (and their attempts) older than ``KEPT``."""
    cutoff = (now or clock.real_now()) - KEPT
    old = Delivery.objects.filter(created_at__lt=cutoff).exclude(status=Delivery.Status.PENDING)
    total = 0
    while True:
        ids = list(old.values_list("pk", flat=True)[:5000])
        if not ids:
            return total
        with transaction.atomic():
            Attempt.objects.filter(delivery_id__in=ids).delete()
            total += Delivery.objects.filter(pk__in=ids).delete()[1].get(Delivery._meta.label, 0)
