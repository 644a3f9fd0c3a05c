"""Webhook delivery after commit at a steady rate of claim changes (``python -m bench webhooks``, and
the end of ``python -m bench feed``).

* **Load**: ``--webhook-generators`` processes (multiprocessing *spawn*, each its own interpreter and
  connection) change claims through ``perform()`` — the one door, the ledger and its observers, so each
  change writes its outbox row in its own transaction — at ``--webhook-rate`` changes per second
  together for ``--webhook-seconds``. Each takes its own RTA claims, generated in ``ClaimSubmitted``,
  through Stage 1 (``acceptClaim``, ``applyArticle75``, ``sendLiabilityDecision``: three changes of
  one claim, one after the other, so the order per claim is exercised), on a fixed schedule (a
  change that falls behind is not made up by sleeping less later: the achieved rate is printed).
* **Commit time**: each generator reads the wall clock (``time.time()``) right after ``perform()``
  returns, that is after its ``COMMIT`` has returned, and keys it by the ``activityEngineGuid`` the
  change created (the same GUID is in the event's body). That errs low by the time from the commit to
  that line (microseconds); the outbox row's ``created_at`` is taken inside the transaction, before
  the commit (it errs high by the rest of the transaction), and is printed beside it.
* **Delivery**: the product's worker, ``claimsportal run-timers --only webhook-deliveries``
  (``--webhook-deliverers`` processes), exactly the job a production worker runs.
* **Receiver**: a reference receiver (HTTP/1.1, keep-alive) in this process, verifying every
  signature (``webhooks.signing.verify``) and recording when each event arrived; the claimant firm's
  one endpoint wants ``claim.changed``: one delivery per change.

Latency = arrival - commit, per event (first arrival; duplicates are counted). Printed: p50, p95,
p99, max, the achieved change rate, deliveries per second, the order per claim, the load average, the
CPU the deliverers and the generators used, and each ``perform()``'s own time.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import threading
import time
import traceback
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.common import (
    BIN_DIR,
    OtherLoad,
    Summary,
    checkpoint,
    heading,
    machine_check,
    percentile,
    say,
    verdict,
)

FLOW = ("acceptClaim", "applyArticle75", "sendLiabilityDecision")
GOAL_MS = 1000.0
GOAL_RATE = 200.0


def load_average() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def _process_cpu(pid: int) -> float:
    """User + system seconds of a process and its reaped children (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except OSError:
        return 0.0
    fields = raw[raw.rfind(")") + 2 :].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------------------
# The load: perform() in several processes at a steady rate
# --------------------------------------------------------------------------------------------------


@dataclass
class GeneratorResult:
    index: int
    changes: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    guids: list[str] = field(default_factory=list)  # the GUID each change created, in order
    committed: bytes = b""  # array('d'): time.time() right after each perform() returned
    perform_seconds: bytes = b""  # array('d'): each perform()'s own duration
    claims: list[int] = field(default_factory=list)  # the claim of each change
    elapsed: float = 0.0
    cpu_seconds: float = 0.0
    exhausted: bool = False
    failure: str = ""


def _generator(
    index: int,
    user_id: str,
    claim_ids: list[int],
    per_second: float,
    seconds: float,
    window: int,
    barrier: Any,
    results: Any,
    counters: Any,
) -> None:
    import resource

    from bench.perform import _payload

    result = GeneratorResult(index)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # the log lines cost what they cost; a terminal's is not measured
        import django

        django.setup()
        from django.db import connection, connections

        from claimsportal.claims.acting import Actor
        from claimsportal.claims.services import perform
        from claimsportal.organisations.models import User

        connections.close_all()
        actor = Actor.for_user(User.objects.select_related("organisation").get(user_id=user_id))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT application_id, activity_guid FROM claims_claim WHERE application_id = ANY(%s)",
                [claim_ids],
            )
            guids = dict(cursor.fetchall())
        committed, took = array("d"), array("d")
        pending = iter(claim_ids)
        warm = next(pending)  # imports, schemas, calendar: not measured
        guid = guids[warm]
        for operation in FLOW:
            guid = perform(
                actor=actor,
                operation=operation,
                application_id=warm,
                activity_guid=guid,
                payload=_payload(operation, warm),
            ).activity_guid
        barrier.wait(timeout=600)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu0 = usage.ru_utime + usage.ru_stime
        start = time.monotonic()
        stop_at = start + seconds
        interval = 1.0 / per_second
        due = start
        # ``window`` claims in flight, changed in turn: one claim's changes come window / per_second
        # seconds apart (1: one after the other, the hardest case for the order per claim).
        flight: list[list[Any]] = []  # [claim, next step, GUID]
        turn = 0
        while time.monotonic() < stop_at:
            while len(flight) < window:
                application_id = next(pending, None)
                if application_id is None:
                    break
                flight.append([application_id, 0, guids[application_id]])
            if not flight:
                result.exhausted = True
                break
            turn %= len(flight)
            slot = flight[turn]
            application_id, step, guid = slot
            operation = FLOW[step]
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            due += interval
            if time.monotonic() >= stop_at:
                break
            began = time.perf_counter()
            try:
                guid = perform(
                    actor=actor,
                    operation=operation,
                    application_id=application_id,
                    activity_guid=guid,
                    payload=_payload(operation, application_id),
                ).activity_guid
            except Exception as exc:
                result.errors += 1
                if len(result.error_samples) < 3:
                    result.error_samples.append(f"{operation} on {application_id}: {exc!r}")
                flight.pop(turn)
                continue
            committed.append(time.time())  # after perform() returned: after its COMMIT
            took.append(time.perf_counter() - began)
            result.guids.append(str(guid))
            result.claims.append(application_id)
            result.changes += 1
            counters[index] = result.changes
            if step + 1 == len(FLOW):
                flight.pop(turn)
            else:
                slot[1], slot[2] = step + 1, guid
                turn += 1
        result.elapsed = time.monotonic() - start
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result.cpu_seconds = usage.ru_utime + usage.ru_stime - cpu0
        result.committed = committed.tobytes()
        result.perform_seconds = took.tobytes()
        connections.close_all()
    except BaseException:
        result.failure = traceback.format_exc()
        barrier.abort()
    results.put(result)


# --------------------------------------------------------------------------------------------------
# The reference receiver
# --------------------------------------------------------------------------------------------------


@dataclass
class Arrivals:
    keys: dict[str, str] = field(default_factory=dict)  # key ID -> secret
    first: dict[str, float] = field(default_factory=dict)  # GUID of the change -> first arrival
    order: list[str] = field(default_factory=list)  # GUIDs in order of first arrival
    seen: set[str] = field(default_factory=set)  # event IDs
    duplicates: int = 0
    refused: int = 0
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def receiver() -> Iterator[tuple[str, Arrivals]]:
    """A reference receiver on loopback: verifies each signature and freshness as docs/webhooks.md
    tells integrators to, records the first arrival of each event, answers 204 (keep-alive)."""
    from claimsportal.webhooks import signing

    arrivals = Arrivals()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a sender may reuse its connection

        def setup(self) -> None:
            super().setup()
            with arrivals.lock:
                arrivals.connections += 1

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            arrived = time.time()
            refused = signing.verify(arrivals.keys, dict(self.headers.items()), raw, now=arrived)
            self.send_response(401 if refused else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            if refused:
                with arrivals.lock:
                    arrivals.refused += 1
                return
            body = json.loads(raw)
            guid = str((body.get("claim") or {}).get("activityEngineGuid"))
            with arrivals.lock:
                if body["eventId"] in arrivals.seen:
                    arrivals.duplicates += 1
                    return
                arrivals.seen.add(body["eventId"])
                arrivals.first[guid] = arrived
                arrivals.order.append(guid)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/claims-portal/events", arrivals
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------------
# The measurement
# --------------------------------------------------------------------------------------------------


@dataclass
class Measured:
    rate: float
    seconds: float
    changes: int
    delivered: int
    missing: int
    latencies_ms: list[float]
    outbox_latencies_ms: list[float]
    deliveries_per_second: float
    out_of_order: int
    duplicates: int
    refused: int
    connections: int
    perform_ms: list[float]
    deliverer_cpu_ms: float
    generator_cpu_ms: float
    errors: int
    load_before: str
    load_after: str
    other_load: float


class Deliverers:
    """``claimsportal run-timers --only webhook-deliveries`` processes; ready once each has printed
    its first run (its start-up is not part of the measurement). Their JSON lines are read and
    counted, not shown."""

    def __init__(self, count: int) -> None:
        env = {
            **os.environ,
            "CLAIMSPORTAL_MODE": "training",  # the switch below is refused in live mode
            "CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES": "1",  # the receiver is on loopback
        }
        self.processes = [
            subprocess.Popen(
                [str(BIN_DIR / "claimsportal"), "run-timers", "--only", "webhook-deliveries"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for _ in range(count)
        ]
        self.runs = [0] * count
        self.ready = [threading.Event() for _ in range(count)]
        for i in range(count):
            threading.Thread(target=self._read, args=(i,), daemon=True).start()

    def _read(self, i: int) -> None:
        stdout = self.processes[i].stdout
        assert stdout is not None
        for _line in stdout:
            self.runs[i] += 1
            self.ready[i].set()
        self.ready[i].set()

    def wait_ready(self, timeout: float = 300.0) -> bool:
        deadline = time.monotonic() + timeout
        return all(e.wait(max(0.0, deadline - time.monotonic())) for e in self.ready)

    @property
    def pids(self) -> set[int]:
        return {p.pid for p in self.processes}

    def cpu(self) -> float:
        return sum(_process_cpu(p.pid) for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


class Generators:
    """The generator processes (spawned: each its own interpreter and connection), started at once;
    they warm up, then wait at ``barrier`` for the measurement to begin."""

    def __init__(
        self, users: list[str], shares: list[list[int]], per_second: float, seconds: float, window: int
    ) -> None:
        ctx = mp.get_context("spawn")
        count = len(shares)
        self.barrier = ctx.Barrier(count + 1)
        self.results = ctx.Queue()
        self.counters = ctx.RawArray("q", count)
        self.procs = [
            ctx.Process(
                target=_generator,
                args=(
                    i,
                    users[i],
                    shares[i],
                    per_second,
                    seconds,
                    window,
                    self.barrier,
                    self.results,
                    self.counters,
                ),
                name=f"bench-webhook-load-{i}",
            )
            for i in range(count)
        ]
        for proc in self.procs:
            proc.start()

    def collect(self, timeout: float) -> list[GeneratorResult]:
        collected = [self.results.get(timeout=timeout) for _ in self.procs]
        for proc in self.procs:
            proc.join(timeout=30)
        return collected

    def stop(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()

    @staticmethod
    def report(collected: list[GeneratorResult]) -> None:
        for r in collected:
            if r.failure:
                say(f"  generator {r.index} failed:\n{r.failure}")
            for sample in r.error_samples:
                say(f"  refused: {sample}")


def _claims(count: int, label: str) -> list[int]:
    from bench.generate import World, ensure_world, generate_claims

    world = ensure_world()
    generated = generate_claims(
        World([world.cr_org], [world.comp_org], [world.comp_branches[0]]),
        count=count,
        due=0,
        mix=[("RTA", "ClaimSubmitted", 1)],
        label=label,
    )
    return list(range(generated.first_id, generated.last_id + 1))


def _register(url: str, arrivals: Arrivals) -> Any:
    """The claimant firm's endpoint for every change of its claims, its secret given to the receiver."""
    from django.conf import settings

    from bench.generate import ensure_world
    from claimsportal.organisations.models import Organisation
    from claimsportal.webhooks import events, services

    settings.CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = True  # registering the loopback receiver
    created = services.register(
        Organisation.objects.get(pk=ensure_world().cr_org), None, url=url, events_wanted=[events.CHANGED]
    )
    arrivals.keys[created.endpoint.key_id] = created.secret
    return created.endpoint


def _unregister(endpoint: Any) -> None:
    from claimsportal.webhooks import services

    services.remove(endpoint.organisation, None, endpoint.endpoint_id)


def measure(
    *, rate: float, seconds: float, generators: int, deliverers: int, window: int, grace: float = 30.0
) -> Measured:
    from django.db import connections

    from bench.generate import ensure_comp_users, ensure_world
    from claimsportal.webhooks.models import Delivery

    users = ensure_comp_users(ensure_world(), generators)
    count = int(rate * seconds / len(FLOW) * 1.2) + (4 + window) * generators
    ids = _claims(count, "claims the generators change")
    shares = [ids[i::generators] for i in range(generators)]
    with receiver() as (url, arrivals):
        endpoint = _register(url, arrivals)
        connections.close_all()
        checkpoint()
        workers = Deliverers(deliverers)
        if not workers.wait_ready():
            say("  WARNING: a deliverer did not start within 5 minutes")
        load = Generators(users, shares, rate / generators, seconds, window)
        procs, barrier, counters = load.procs, load.barrier, load.counters
        try:
            say(
                f"  {generators} generator processes ({rate / generators:g} changes/s each), {deliverers} "
                f"run-timers --only webhook-deliveries process{'es' if deliverers > 1 else ''}; warming up"
            )
            barrier.wait(timeout=600)
            machine_before = load_average()
            others = OtherLoad({p.pid for p in procs if p.pid} | workers.pids)
            cpu_before = workers.cpu()
            began = time.monotonic()
            say(f"  measuring for {seconds:g} s (load average {machine_before})")
            last, last_t = 0, began
            while time.monotonic() < began + seconds and any(p.is_alive() for p in procs):
                time.sleep(min(5.0, max(0.1, began + seconds - time.monotonic())))
                made, now = sum(counters), time.monotonic()
                with arrivals.lock:
                    got = len(arrivals.first)
                say(
                    f"    {made:>7,} changes ({(made - last) / (now - last_t):5.0f}/s), {got:>7,} delivered, "
                    f"load {load_average()}"
                )
                last, last_t = made, now
            collected = load.collect(seconds + 120)
            changes = sum(r.changes for r in collected)
            made = {g for r in collected for g in r.guids}
            waited = time.monotonic()
            while time.monotonic() - waited < grace:
                with arrivals.lock:
                    if made <= arrivals.first.keys():
                        break
                time.sleep(0.05)
            other_load = others.stop()
            deliverer_cpu = workers.cpu() - cpu_before
            machine_after = load_average()
        finally:
            workers.stop()
            load.stop()
        load.report(collected)
        with arrivals.lock:
            first = dict(arrivals.first)
            order = list(arrivals.order)
        commit: dict[str, float] = {}
        changes_of_claim: dict[int, list[str]] = {}
        perform_ms: list[float] = []
        for r in collected:
            committed, took = array("d"), array("d")
            committed.frombytes(r.committed)
            took.frombytes(r.perform_seconds)
            perform_ms += [1000 * t for t in took]
            for guid, at, claim in zip(r.guids, committed, r.claims, strict=True):
                commit[guid] = at
                changes_of_claim.setdefault(claim, []).append(guid)
        latencies = sorted(1000 * (first[g] - at) for g, at in commit.items() if g in first)
        # The outbox row's created_at (inside the transaction, before the commit), for comparison.
        written_at = {
            str((body.get("claim") or {}).get("activityEngineGuid")): at.timestamp()
            for body, at in Delivery.objects.filter(endpoint=endpoint).values_list("body", "created_at")
        }
        outbox = sorted(1000 * (first[g] - written_at[g]) for g in commit if g in first and g in written_at)
        position = {guid: i for i, guid in enumerate(order)}
        out_of_order = sum(
            1
            for guids in changes_of_claim.values()
            if [g for g in sorted(guids, key=lambda g: position.get(g, -1)) if g in position]
            != [g for g in guids if g in position]
        )
        arrived = sorted(first[g] for g in commit if g in first)
        span = (arrived[-1] - arrived[0]) if len(arrived) > 1 else float("nan")
        elapsed = max((r.elapsed for r in collected), default=float("nan"))
        delivered = sum(1 for g in commit if g in first)
        _unregister(endpoint)  # its receiver goes away: nothing more for it
        return Measured(
            rate=changes / elapsed if elapsed else float("nan"),
            seconds=elapsed,
            changes=changes,
            delivered=delivered,
            missing=changes - delivered,
            latencies_ms=latencies,
            outbox_latencies_ms=outbox,
            deliveries_per_second=(delivered - 1) / span if span and span == span else float("nan"),
            out_of_order=out_of_order,
            duplicates=arrivals.duplicates,
            refused=arrivals.refused,
            connections=arrivals.connections,
            perform_ms=sorted(perform_ms),
            deliverer_cpu_ms=1000 * deliverer_cpu / max(1, delivered),
            generator_cpu_ms=1000 * sum(r.cpu_seconds for r in collected) / max(1, changes),
            errors=sum(r.errors for r in collected),
            load_before=machine_before,
            load_after=machine_after,
            other_load=other_load,
        )


@dataclass
class Capacity:
    changes: int
    generated_per_second: float
    delivered: int
    seconds: float  # first to last arrival
    per_second: float
    first_after: float  # seconds from the deliverer's start to the first arrival
    deliverer_cpu_ms: float
    out_of_order: int
    duplicates: int
    load_before: str
    load_after: str


def capacity(*, changes: int, generators: int, deliverers: int, timeout: float = 600.0) -> Capacity:
    """How fast the deliverers empty a backlog: ``changes`` made as fast as the generators can, with
    no deliverer running; then the deliverers start and the receiver times the deliveries from the
    first to the last (the generators no longer compete with them for the CPUs)."""
    from django.db import connections

    from bench.generate import ensure_comp_users, ensure_world

    users = ensure_comp_users(ensure_world(), generators)
    claims_each = -(-changes // (len(FLOW) * generators))
    ids = _claims(claims_each * generators + generators, "claims of the backlog")
    shares = [ids[i::generators] for i in range(generators)]
    with receiver() as (url, arrivals):
        endpoint = _register(url, arrivals)
        connections.close_all()
        load = Generators(users, shares, 1e6, timeout, window=10)
        try:
            load.barrier.wait(timeout=600)
            began = time.monotonic()
            collected = load.collect(timeout)
        finally:
            load.stop()
        load.report(collected)
        made_in = time.monotonic() - began
        made = {g for r in collected for g in r.guids}
        say(f"  backlog: {len(made):,} changes made in {made_in:.1f} s with no deliverer running")
        checkpoint()
        load_before = load_average()
        started = time.time()
        workers = Deliverers(deliverers)
        cpu_before = 0.0
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                with arrivals.lock:
                    if made <= arrivals.first.keys():
                        break
                time.sleep(0.05)
            cpu = workers.cpu() - cpu_before
        finally:
            workers.stop()
        load_after = load_average()
        with arrivals.lock:
            first = {g: t for g, t in arrivals.first.items() if g in made}
            order = [g for g in arrivals.order if g in made]
            duplicates = arrivals.duplicates
        _unregister(endpoint)
    arrived = sorted(first.values())
    span = arrived[-1] - arrived[0] if len(arrived) > 1 else float("nan")
    position = {g: i for i, g in enumerate(order)}
    by_claim: dict[int, list[str]] = {}
    for r in collected:
        for guid, claim in zip(r.guids, r.claims, strict=True):
            by_claim.setdefault(claim, []).append(guid)
    out_of_order = sum(
        1
        for guids in by_claim.values()
        if sorted((g for g in guids if g in position), key=position.__getitem__)
        != [g for g in guids if g in position]
    )
    return Capacity(
        changes=len(made),
        generated_per_second=len(made) / made_in if made_in else float("nan"),
        delivered=len(first),
        seconds=span,
        per_second=(len(first) - 1) / span if span and span == span else float("nan"),
        first_after=(arrived[0] - started) if arrived else float("nan"),
        deliverer_cpu_ms=1000 * cpu / max(1, len(first)),
        out_of_order=out_of_order,
        duplicates=duplicates,
        load_before=load_before,
        load_after=load_after,
    )


def run(args: Any, summary: Summary) -> None:
    rate = float(args.webhook_rate)
    seconds = float(args.webhook_seconds)
    machine_check("webhook delivery")
    say(
        f"webhook delivery: {rate:g} changes/s through perform() for {seconds:g} s, delivered by "
        f"run-timers --only webhook-deliveries, received and verified on loopback"
    )
    m = measure(
        rate=rate,
        seconds=seconds,
        generators=args.webhook_generators,
        deliverers=args.webhook_deliverers,
        window=args.webhook_window,
    )

    def p(values: list[float], fraction: float) -> float:
        return percentile(values, fraction)

    lat = m.latencies_ms
    say(
        f"webhook delivery: {m.changes:,} changes in {m.seconds:.1f} s = {m.rate:.0f} changes/s "
        f"({m.errors} refused); {m.delivered:,} delivered ({m.missing} missing), {m.deliveries_per_second:.0f} "
        f"deliveries/s over {m.connections} connection(s); {m.duplicates} duplicates, {m.refused} bad "
        f"signatures, {m.out_of_order} claims out of order"
    )
    say(
        f"    after commit: p50 {p(lat, 0.5):.0f} ms, p95 {p(lat, 0.95):.0f} ms, p99 {p(lat, 0.99):.0f} ms, "
        f"max {p(lat, 1.0):.0f} ms"
    )
    out = m.outbox_latencies_ms
    say(
        f"    after the outbox row was written (created_at, before the commit): p50 {p(out, 0.5):.0f} ms, "
        f"p99 {p(out, 0.99):.0f} ms"
    )
    say(
        f"    perform() p50 {p(m.perform_ms, 0.5):.1f} ms, p99 {p(m.perform_ms, 0.99):.1f} ms; CPU per change: "
        f"generators {m.generator_cpu_ms:.1f} ms, deliverers {m.deliverer_cpu_ms:.2f} ms per delivery; "
        f"load average {m.load_before} -> {m.load_after}; other processes {m.other_load:.0%} of the CPUs"
    )
    summary.add(
        "webhooks",
        f"delivery after commit p50 / p95 / p99 / max at {m.rate:.0f} changes/s",
        f"{p(lat, 0.5):.0f} / {p(lat, 0.95):.0f} / {p(lat, 0.99):.0f} / {p(lat, 1.0):.0f} ms",
        f"p99 < {GOAL_MS:.0f} ms at {GOAL_RATE:.0f}/s",
        verdict(bool(lat) and p(lat, 0.99) < GOAL_MS and m.rate >= GOAL_RATE * 0.95 and not m.missing),
    )
    summary.add(
        "webhooks",
        "delivered / missing / duplicates / out of order / deliveries per s",
        f"{m.delivered:,} / {m.missing} / {m.duplicates} / {m.out_of_order} / {m.deliveries_per_second:.0f}",
    )
    summary.add(
        "webhooks",
        "load average before -> after; other processes' CPU",
        f"{m.load_before} -> {m.load_after}; {m.other_load:.0%}",
    )
    if args.webhook_backlog:
        heading("webhooks: how fast the deliverers empty a backlog")
        machine_check("webhook backlog")
        c = capacity(
            changes=args.webhook_backlog,
            generators=args.webhook_generators,
            deliverers=args.webhook_deliverers,
        )
        say(
            f"webhook backlog: {c.changes:,} changes (made at {c.generated_per_second:.0f}/s with no deliverer); "
            f"{c.delivered:,} delivered in {c.seconds:.1f} s = {c.per_second:.0f} deliveries/s, the first "
            f"{c.first_after:.1f} s after the deliverer started; {c.deliverer_cpu_ms:.2f} ms of deliverer CPU "
            f"per delivery (start-up included); {c.duplicates} duplicates, {c.out_of_order} claims out of "
            f"order; load average {c.load_before} -> {c.load_after}"
        )
        summary.add(
            "webhooks",
            f"backlog of {c.changes:,}: deliveries per s (deliverer CPU ms each)",
            f"{c.per_second:.0f} ({c.deliverer_cpu_ms:.2f} ms)",
            f">= {GOAL_RATE:.0f}/s",
            verdict(c.per_second >= GOAL_RATE and c.delivered == c.changes),
        )
