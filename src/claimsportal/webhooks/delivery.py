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
from typing import Any

import structlog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from claimsportal.core import clock
from claimsportal.webhooks import addresses, signing, wakeup
from claimsportal.webhooks.models import Attempt, Delivery, Endpoint
from claimsportal.webhooks.sealing import unseal

log = structlog.get_logger(__name__)

RETRY_WINDOW = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 50  # deliveries leased at a time by one endpoint's thread (the heads of up to 50 claims)
PER_ENDPOINT = 8  # of which this many are sent at once, each sender on its own keep-alive connection
LINGER = 1.0  # seconds a drain keeps looking for new deliveries once it has sent some
POLL_SECONDS = 0.05  # how often a lingering drain looks (at once when woken on commit)
LANES = 2  # batches of one endpoint in flight at once (PostgreSQL): one is sent while another is leased
RUN_SECONDS = 20.0  # an endpoint's time budget in one run of the job
KEPT = timedelta(days=30)  # delivered and parked deliveries are purged after this


def timeout() -> float:
    return float(getattr(settings, "CLAIMSPORTAL_WEBHOOK_TIMEOUT", 10.0))


def threads() -> int:
    return int(getattr(settings, "CLAIMSPORTAL_WEBHOOK_THREADS", 8))


def lease_length() -> timedelta:
    """Long enough for a whole batch to time out while the drain's other lanes' batches share the
    ``PER_ENDPOINT`` senders."""
    return timedelta(seconds=(BATCH * LANES // PER_ENDPOINT + 1) * (timeout() + 1) + 5)


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


# ``OFFSET 0`` keeps the NOT EXISTS a subplan, one probe of the chain index (endpoint, claim, id) per
# candidate, whatever the statistics say: pulled up into an anti-join, a plan made on stale
# statistics (a backlog after an outage) compared every pending row with every other (5.5 s per
# lease with 2,000 pending, instead of 19 ms).
_LEASE_SQL = """
UPDATE webhooks_delivery SET leased_until = %(until)s
WHERE id IN (
    SELECT d.id FROM webhooks_delivery d
    WHERE d.endpoint_id = %(endpoint)s AND d.status = 'PENDING' AND d.next_attempt_at <= %(now)s
      AND (d.leased_until IS NULL OR d.leased_until < %(now)s)
      AND NOT EXISTS (
          SELECT 1 FROM webhooks_delivery e
          WHERE e.endpoint_id = d.endpoint_id AND e.claim_id = d.claim_id AND e.status = 'PENDING'
            AND e.id < d.id
          OFFSET 0
      )
    ORDER BY d.id LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING id, event_id, endpoint_id, claim_id, kind, body, attempts, created_at, retry_from
"""


def lease(endpoint_pk: int, *, limit: int = BATCH) -> tuple[list[Delivery], datetime]:
    """Up to ``limit`` due deliveries of the endpoint, each the oldest pending one of its claim,
    leased to this worker (the lease's end is returned: it is the worker's mark on the rows). On
    PostgreSQL one statement (``FOR UPDATE SKIP LOCKED``: two workers never lease the same row)."""
    now = clock.real_now()
    until = now + lease_length()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_LEASE_SQL, {"until": until, "endpoint": endpoint_pk, "now": now, "limit": limit})
            rows = cursor.fetchall()
        taken = [
            Delivery(
                id=pk,
                event_id=event_id,
                endpoint_id=endpoint_id,
                claim_id=claim_id,
                kind=kind,
                body=json.loads(body) if isinstance(body, str) else body,
                attempts=attempts,
                created_at=created_at,
                retry_from=retry_from,
                next_attempt_at=now,
                leased_until=until,
            )
            for pk, event_id, endpoint_id, claim_id, kind, body, attempts, created_at, retry_from in rows
        ]
        taken.sort(key=lambda d: d.pk)
        return taken, until
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


def send(target: Target, delivery: Delivery, kept: addresses.KeptConnections | None = None) -> Sent:
    """Sign and POST one delivery (no database access: the senders of a batch run in threads); with
    ``kept``, on the thread's keep-alive connection to the endpoint."""
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
    return Sent(delivery, sent_at, addresses.post(target.url, body, headers, timeout=timeout(), kept=kept))


@dataclass(frozen=True)
class _Answered:
    """What one attempt changes in its delivery row, and the attempt row it adds."""

    delivery: Delivery
    sent_at: datetime
    answer: addresses.Answer
    outcome: str  # delivered, failed, parked
    error: str
    next_attempt_at: datetime | None  # a failure's retry


def _answered(item: Sent, now: datetime) -> _Answered:
    delivery, answer = item.delivery, item.answer
    error = (answer.error or ("" if answer.ok else f"HTTP {answer.status}"))[:300]
    if answer.ok:
        return _Answered(delivery, item.sent_at, answer, "delivered", error, None)
    if now >= delivery.retry_from + RETRY_WINDOW:
        return _Answered(delivery, item.sent_at, answer, "parked", error, None)
    retry_at = min(now + retry_delay(delivery.attempts + 1), delivery.retry_from + RETRY_WINDOW)
    return _Answered(delivery, item.sent_at, answer, "failed", error, retry_at)


_ROW = "(%s::bigint, %s::timestamptz, %s::integer, %s::integer, %s::varchar, %s::varchar, %s::timestamptz)"
_RECORD_SQL = """
WITH answer (id, sent_at, status, latency_ms, error, outcome, retry_at) AS (VALUES {rows}),
done AS (
    UPDATE webhooks_delivery d SET
        attempts = d.attempts + 1,
        leased_until = NULL,
        last_attempt_at = a.sent_at,
        last_status = a.status,
        last_latency_ms = a.latency_ms,
        last_error = a.error,
        status = CASE a.outcome WHEN 'delivered' THEN 'DELIVERED' WHEN 'parked' THEN 'PARKED' ELSE d.status END,
        delivered_at = CASE WHEN a.outcome = 'delivered' THEN %s::timestamptz ELSE d.delivered_at END,
        next_attempt_at = COALESCE(a.retry_at, d.next_attempt_at)
    FROM answer a
    WHERE d.id = a.id AND d.leased_until = %s::timestamptz
    RETURNING d.id, a.sent_at, a.status, a.latency_ms, a.error
)
INSERT INTO webhooks_attempt (delivery_id, attempted_at, status, latency_ms, error)
SELECT id, sent_at, status, latency_ms, error FROM done
RETURNING delivery_id
"""


def _record_rows(answered: list[_Answered], now: datetime, leased_until: datetime) -> set[int]:
    """Write the answers; the IDs of the deliveries whose lease was still this worker's (the others'
    answers are not recorded). On PostgreSQL one statement (atomic on its own); elsewhere one
    transaction of one update per delivery."""
    if connection.vendor == "postgresql":
        params: list[Any] = []
        for a in answered:
            params += [
                a.delivery.pk,
                a.sent_at,
                a.answer.status,
                a.answer.latency_ms,
                a.error,
                a.outcome,
                a.next_attempt_at,
            ]
        params += [now, leased_until]
        with connection.cursor() as cursor:
            cursor.execute(_RECORD_SQL.format(rows=", ".join([_ROW] * len(answered))), params)
            return {row[0] for row in cursor.fetchall()}
    recorded: set[int] = set()
    attempts: list[Attempt] = []
    with transaction.atomic():
        for a in answered:
            changes: dict[str, object] = {
                "attempts": a.delivery.attempts + 1,
                "leased_until": None,
                "last_attempt_at": a.sent_at,
                "last_status": a.answer.status,
                "last_latency_ms": a.answer.latency_ms,
                "last_error": a.error,
            }
            if a.outcome == "delivered":
                changes.update(status=Delivery.Status.DELIVERED, delivered_at=now)
            elif a.outcome == "parked":
                changes.update(status=Delivery.Status.PARKED)
            else:
                changes.update(next_attempt_at=a.next_attempt_at)
            if Delivery.objects.filter(pk=a.delivery.pk, leased_until=leased_until).update(**changes):
                recorded.add(a.delivery.pk)
                attempts.append(
                    Attempt(
                        delivery_id=a.delivery.pk,
                        attempted_at=a.sent_at,
                        status=a.answer.status,
                        latency_ms=a.answer.latency_ms,
                        error=a.error,
                    )
                )
        Attempt.objects.bulk_create(attempts)
    return recorded


def record(target: Target, sent: list[Sent], leased_until: datetime) -> list[str]:
    """Record a batch's answers together; per delivery "delivered", "failed", "parked" or "lost" (its
    lease was taken over by another worker: nothing recorded)."""
    if not sent:
        return []
    now = clock.real_now()
    answered = [_answered(item, now) for item in sent]
    recorded = _record_rows(answered, now, leased_until)
    outcomes = []
    for a in answered:
        if a.delivery.pk not in recorded:
            outcomes.append("lost")
            continue
        outcomes.append(a.outcome)
        if a.outcome != "delivered":
            log.info(
                "webhook.not_delivered",
                delivery=a.delivery.pk,
                endpoint=target.pk,
                event_id=str(a.delivery.event_id),
                outcome=a.outcome,
                error=a.error,
            )
    return outcomes


def attempt(target: Target, delivery: Delivery, leased_until: datetime) -> str:
    """Send one delivery now and record the answer (a test event)."""
    return record(target, [send(target, delivery)], leased_until)[0]


def _lane(
    endpoint_pk: int,
    target: Target,
    senders: ThreadPoolExecutor,
    kept: addresses.KeptConnections,
    stop_at: float,
    linger: float,
) -> DeliveryResult:
    """One lane of a drain: lease a batch, send it, record the answers, again, until nothing has been
    due for ``linger`` seconds (looking every 50 ms, or at once when woken on commit) or ``stop_at``."""
    result = DeliveryResult()
    quiet_since: float | None = None
    listening = wakeup.LISTENER.listening.is_set()
    while time.monotonic() < stop_at:
        seen = wakeup.LISTENER.generation(endpoint_pk)
        batch, until = lease(endpoint_pk)
        if not batch:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= linger:
                break
            if listening:
                wakeup.LISTENER.wait_endpoint(endpoint_pk, seen, POLL_SECONDS)
            else:
                time.sleep(POLL_SECONDS)
            continue
        quiet_since = None
        sent = list(senders.map(lambda d: send(target, d, kept), batch))
        for outcome in record(target, sent, until):
            if outcome == "delivered":
                result.delivered += 1
            elif outcome == "parked":
                result.parked += 1
            elif outcome == "failed":
                result.failed += 1
    return result


def _lane_in_thread(*args: Any) -> DeliveryResult:
    try:
        return _lane(*args)
    finally:
        connection.close()  # the lane's thread had its own connection


def drain(
    endpoint_pk: int, *, budget: float = RUN_SECONDS, linger: float = 0.0, lanes: int | None = None
) -> DeliveryResult:
    """Send the endpoint's due deliveries, batch after batch, until none has been due for ``linger``
    seconds or ``budget`` seconds have passed. On PostgreSQL outside a transaction ``LANES`` lanes
    work at once, each leasing, sending and recording its own batches, so that one batch is sent
    while another is leased or recorded (the order per claim holds: a lease skips a claim whose
    earlier event is still pending). The deliveries are sent by ``PER_ENDPOINT`` threads at once in
    all, each on its own keep-alive connection to the endpoint for the whole drain."""
    endpoint = Endpoint.objects.filter(pk=endpoint_pk, enabled=True).first()
    if endpoint is None:
        return DeliveryResult()
    target = Target.of(endpoint)
    stop_at = time.monotonic() + budget
    kept = addresses.KeptConnections()
    count = LANES if lanes is None else lanes
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        count = 1
    try:
        with ThreadPoolExecutor(max_workers=PER_ENDPOINT, thread_name_prefix="webhook-send") as senders:
            args = (endpoint_pk, target, senders, kept, stop_at, linger)
            if count == 1:
                return _lane(*args)
            with ThreadPoolExecutor(max_workers=count - 1, thread_name_prefix="webhook-lane") as others:
                futures = [others.submit(_lane_in_thread, *args) for _ in range(count - 1)]
                result = _lane(*args)
                for future in futures:
                    result.add(future.result())
            return result
    finally:
        kept.close_all()


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

    def busy(self) -> set[int]:
        with self._lock:
            return set(self._busy)

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


def wait_between_runs(seconds: float, stopping: threading.Event) -> None:
    """``Job.wake`` of ``webhook-deliveries``: the worker's wait between two runs, cut short when a
    change that wrote deliveries for an endpoint this process is not draining commits (``wakeup``)."""
    wakeup.wait_for_work(seconds, stopping, _pool.busy)


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
