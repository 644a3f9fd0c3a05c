"""``perform()`` on PostgreSQL with concurrent worker processes, against ``pgbench`` TPC-B.

Each worker is a separate process (``multiprocessing`` spawn: its own interpreter, ``django.setup()``,
its own connection), acting as its own compensator claim handler on its own disjoint share of RTA
claims that were generated in ``ClaimSubmitted``. Each claim goes through the Stage 1 flow, one
``perform()`` per step, quoting the ``activityEngineGuid`` the previous step returned:

    acceptClaim (→ Article75Decision) → applyArticle75 (→ LiabilityDecision)
    → sendLiabilityDecision, a full §6.4 insurer response admitting liability (→ LiabilityAdmitted)

Operations per second are counted over a fixed duration, after a warm-up claim per worker. The same
run measures ``pgbench -c 8 -j 2`` (TPC-B) on a separate database of the same server: the ratio
perform ops/s ÷ pgbench tps is the figure of merit (goal ≥ 0.6). One worker alone gives the
single-process rate and latency.

Workers write their log lines (``claim.operation``, at the configured level) to /dev/null: the cost of
rendering them is measured, a terminal's is not.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing as mp
import os
import random
import re
import resource
import shutil
import subprocess
import time
import traceback
from array import array
from dataclasses import dataclass, field
from typing import Any

from bench.common import (
    CpuTime,
    DatabaseUrl,
    OtherLoad,
    Summary,
    checkpoint,
    machine_check,
    percentile,
    recreate_database,
    say,
    scalar,
    setup_django,
    verdict,
)

FLOW = ("acceptClaim", "applyArticle75", "sendLiabilityDecision")
RATIO_GOAL = 0.6
OTHER_LOAD_LIMIT = 0.1


@functools.cache
def _insurer_response() -> dict[str, Any]:
    """The §6.4 insurer response admitting liability (RTA), built once (never changed afterwards)."""
    from claimsportal.protocols.forms.examples import insurer_response_example

    return insurer_response_example("RTA", "A")


def _payload(operation: str, application_id: int) -> dict[str, Any]:
    if operation == "acceptClaim":
        return {"insurerClaimReferenceNumber": f"INS-{application_id}"}
    if operation == "applyArticle75":
        return {"isArticle75": False}
    # sendLiabilityDecision: the same response for every claim, quoting the claim's own reference
    # (the one acceptClaim recorded); only the changed branch is copied.
    response = _insurer_response()
    services = response["providedServices"]
    insurer = {**services["defendantsInsurer"], "referenceNumber": f"INS-{application_id}"}
    return {"insurerResponse": {**response, "providedServices": {**services, "defendantsInsurer": insurer}}}


@dataclass
class WorkerResult:
    index: int
    ops: int = 0
    claims: int = 0
    elapsed: float = 0.0
    cpu_seconds: float = 0.0
    latencies: dict[str, bytes] = field(default_factory=dict)  # operation -> array('d') of seconds
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    exhausted: bool = False
    failure: str = ""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker(
    index: int,
    user_id: str,
    claim_ids: list[int],
    seconds: float,
    barrier: Any,
    results: Any,
    counters: Any,
    quiet: bool,
) -> None:
    result = WorkerResult(index)
    try:
        if quiet:  # the log handler writes to fd 2: send it to /dev/null, keep the rendering cost
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
        setup_django()
        from django.db import connection, connections

        from claimsportal.claims.acting import Actor
        from claimsportal.claims.services import perform
        from claimsportal.organisations.models import User

        connections.close_all()  # nothing inherited: every worker opens its own connection
        actor = Actor.for_user(User.objects.select_related("organisation").get(user_id=user_id))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT application_id, activity_guid FROM claims_claim WHERE application_id = ANY(%s)",
                [claim_ids],
            )
            guids = dict(cursor.fetchall())
        latencies = {op: array("d") for op in FLOW}
        pending = iter(claim_ids)

        def one_claim(application_id: int, deadline: float, timed: bool) -> None:
            guid = guids[application_id]
            for operation in FLOW:
                t0 = time.perf_counter()
                try:
                    info = perform(
                        actor=actor,
                        operation=operation,
                        application_id=application_id,
                        activity_guid=guid,
                        payload=_payload(operation, application_id),
                    )
                except Exception as exc:
                    result.errors += 1
                    if len(result.error_samples) < 3:
                        result.error_samples.append(f"{operation} on {application_id}: {exc!r}")
                    return
                t1 = time.perf_counter()
                guid = info.activity_guid
                if timed:
                    latencies[operation].append(t1 - t0)
                    result.ops += 1
                    counters[index] = result.ops
                    if t1 >= deadline:
                        return
            if timed:
                result.claims += 1

        one_claim(next(pending), float("inf"), timed=False)  # warm-up: imports, schemas, calendar
        barrier.wait(timeout=600)
        cpu0 = _cpu()
        start = time.perf_counter()
        deadline = start + seconds
        while time.perf_counter() < deadline:
            application_id = next(pending, None)
            if application_id is None:
                result.exhausted = True
                break
            one_claim(application_id, deadline, timed=True)
        result.elapsed = time.perf_counter() - start
        result.cpu_seconds = _cpu() - cpu0
        result.latencies = {op: values.tobytes() for op, values in latencies.items()}
        connections.close_all()
    except BaseException:
        result.failure = traceback.format_exc()
        barrier.abort()
    results.put(result)


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return (0, 0)
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values) - idle, sum(values))


@dataclass
class Measured:
    workers: int
    ops: int
    claims: int
    seconds: float
    rate: float
    latencies: list[float]
    by_operation: dict[str, list[float]]
    errors: int
    error_samples: list[str]
    exhausted: int
    worker_cpu_per_op_ms: float
    postgres_cpu_per_op_ms: float  # PostgreSQL's CPU during the measurement, per operation
    machine_busy: float  # fraction of all CPUs busy during the measurement
    other_load: float  # fraction of all CPUs used by processes that are not the benchmark's

    def p(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


def measure(users: list[str], shares: list[list[int]], seconds: float, quiet: bool) -> Measured:
    """Run one worker process per share for ``seconds``; aggregate what they report."""
    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("spawn")
    n = len(shares)
    barrier = ctx.Barrier(n + 1)
    results = ctx.Queue()
    counters = ctx.RawArray("q", n)
    procs = [
        ctx.Process(
            target=_worker,
            args=(i, users[i], shares[i], seconds, barrier, results, counters, quiet),
            name=f"bench-perform-{i}",
        )
        for i in range(n)
    ]
    for proc in procs:
        proc.start()
    say(f"  {n} worker process{'es' if n > 1 else ''} starting (django.setup, warm-up claim)")
    try:
        barrier.wait(timeout=600)
    except Exception:
        say("  a worker failed before the start")
    busy0, total0 = _cpu_ticks()
    postgres0 = CpuTime.now()
    others = OtherLoad({p.pid for p in procs if p.pid})
    started = time.monotonic()
    say(f"  measuring for {seconds:g} s")
    last_ops, last_t = 0, started
    while time.monotonic() < started + seconds and any(p.is_alive() for p in procs):
        time.sleep(min(5.0, max(0.1, started + seconds - time.monotonic())))
        ops, now = sum(counters), time.monotonic()
        say(f"    {ops:>9,} ops   {(ops - last_ops) / (now - last_t):8,.0f} ops/s")
        last_ops, last_t = ops, now
    busy1, total1 = _cpu_ticks()
    postgres_cpu = CpuTime.now().since(postgres0).postgres
    measured_ops = sum(counters)
    other_load = others.stop()
    collected: list[WorkerResult] = []
    for _ in procs:
        try:
            collected.append(results.get(timeout=seconds + 120))
        except Exception:
            break
    for proc in procs:
        proc.join(timeout=30)
    failures = [r for r in collected if r.failure]
    if failures or len(collected) != n:
        for r in failures:
            say(f"  worker {r.index} failed:\n{r.failure}")
        if len(collected) != n:
            say(f"  only {len(collected)} of {n} workers reported")
    ok = [r for r in collected if not r.failure]
    by_operation: dict[str, list[float]] = {op: [] for op in FLOW}
    for r in ok:
        for op, raw in r.latencies.items():
            samples = array("d")
            samples.frombytes(raw)
            by_operation[op].extend(samples)
    latencies = sorted(v for values in by_operation.values() for v in values)
    for values in by_operation.values():
        values.sort()
    ops = sum(r.ops for r in ok)
    mean_elapsed = sum(r.elapsed for r in ok) / len(ok) if ok else float("nan")
    rate = sum(r.ops / r.elapsed for r in ok if r.elapsed) if ok else 0.0
    cpu = sum(r.cpu_seconds for r in ok)
    return Measured(
        workers=n,
        ops=ops,
        claims=sum(r.claims for r in ok),
        seconds=mean_elapsed,
        rate=rate,
        latencies=latencies,
        by_operation=by_operation,
        errors=sum(r.errors for r in ok),
        error_samples=[s for r in ok for s in r.error_samples][:5],
        exhausted=sum(1 for r in ok if r.exhausted),
        worker_cpu_per_op_ms=cpu / ops * 1000 if ops else float("nan"),
        postgres_cpu_per_op_ms=postgres_cpu / measured_ops * 1000 if measured_ops else float("nan"),
        machine_busy=(busy1 - busy0) / (total1 - total0) if total1 > total0 else float("nan"),
        other_load=other_load,
    )


def _report(label: str, m: Measured) -> None:
    say(
        f"{label}: {m.ops:,} ops ({m.claims:,} claims through Stage 1) in {m.seconds:.1f} s = "
        f"{m.rate:,.0f} ops/s; latency p50 {m.p(0.5):.2f} ms, p99 {m.p(0.99):.2f} ms"
    )
    for op, values in m.by_operation.items():
        if values:
            say(
                f"    {op:<22} n={len(values):>8,}  p50 {percentile(values, 0.5) * 1000:6.2f} ms"
                f"  p99 {percentile(values, 0.99) * 1000:6.2f} ms"
            )
    say(
        f"    worker CPU {m.worker_cpu_per_op_ms:.2f} ms, PostgreSQL CPU {m.postgres_cpu_per_op_ms:.2f} ms per "
        f"operation; machine CPU busy "
        f"{m.machine_busy * 100:.0f}% during the run, {m.other_load:.0%} of it by other processes"
    )
    if m.other_load > OTHER_LOAD_LIMIT:
        say(
            f"    WARNING: other processes used {m.other_load:.0%} of the CPUs during this run: figures are low"
        )
    if m.errors:
        say(f"    {m.errors} operations refused or failed, e.g.:")
        for sample in m.error_samples:
            say(f"      {sample}")
    if m.exhausted:
        say(f"    WARNING: {m.exhausted} worker(s) ran out of claims before the end (raise --perform-claims)")


# --------------------------------------------------------------------------------------------------
# pgbench
# --------------------------------------------------------------------------------------------------

_TPS = re.compile(r"tps = ([0-9.]+) \(without initial connection time\)")


@dataclass(frozen=True)
class PgbenchRun:
    """One TPC-B run: tps (None when pgbench could not run), the share of the CPUs other processes
    used meanwhile, and the CPU milliseconds per transaction of PostgreSQL and of pgbench itself."""

    tps: float | None
    other_load: float
    postgres_cpu_ms: float = float("nan")
    client_cpu_ms: float = float("nan")


def run_pgbench(
    db: DatabaseUrl, name: str, *, scale: int, clients: int, threads: int, seconds: float
) -> PgbenchRun:
    """TPC-B (``pgbench -i -s scale``, then ``-c clients -j threads -T seconds -n``)."""
    import psycopg

    if shutil.which("pgbench") is None:
        say("pgbench is not installed: skipped")
        return PgbenchRun(None, float("nan"))
    target = db.with_name(name)
    say(f"pgbench: initialising {name} at scale {scale}")
    recreate_database(target, marker="pgbench")
    env = target.libpq_env()
    init = subprocess.run(
        ["pgbench", "-i", "-q", "-s", str(scale), name], env=env, capture_output=True, text=True, check=False
    )
    if init.returncode:
        say(f"pgbench -i failed:\n{init.stderr}")
        return PgbenchRun(None, float("nan"))
    with psycopg.connect(target.url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    machine_check("pgbench")
    command = [
        "pgbench",
        "-c",
        str(clients),
        "-j",
        str(threads),
        "-T",
        str(max(1, round(seconds))),
        "-n",
        name,
    ]
    say(f"pgbench: {' '.join(command)}")
    others = OtherLoad()
    cpu_before = CpuTime.now()
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    cpu = CpuTime.now().since(cpu_before)
    other_load = others.stop()
    if other_load > OTHER_LOAD_LIMIT:
        say(f"    WARNING: other processes used {other_load:.0%} of the CPUs during pgbench: tps is low")
    match = _TPS.search(run.stdout)
    if run.returncode or not match:
        say(f"pgbench failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")
        return PgbenchRun(None, other_load)
    done = 0
    for line in run.stdout.splitlines():
        if line.startswith(("number of transactions actually processed", "latency average", "tps")):
            say(f"    {line}")
        if line.startswith("number of transactions actually processed"):
            done = int(line.split(":", 1)[1].split("/")[0].strip())
    result = PgbenchRun(
        float(match.group(1)),
        other_load,
        cpu.postgres * 1000 / done if done else float("nan"),
        cpu.children * 1000 / done if done else float("nan"),
    )
    say(
        f"    CPU per transaction: PostgreSQL {result.postgres_cpu_ms:.3f} ms, pgbench {result.client_cpu_ms:.3f} ms"
    )
    return result


# --------------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------------


def run(args: Any, db: DatabaseUrl, summary: Summary) -> None:
    from bench.generate import World, ensure_comp_users, ensure_world, generate_claims, shape_check

    workers = args.workers
    seconds = args.seconds
    world = ensure_world()
    users = ensure_comp_users(world, workers)
    pool = args.perform_claims or max(2000, int(3000 * seconds))
    single_pool = max(200, pool // 5)
    parallel_pool = pool - single_pool
    background = scalar("SELECT count(*) FROM claims_claim")
    say(f"the claims table holds {background:,} claims before the pool is added")
    generated = generate_claims(
        World([world.cr_org], [world.comp_org], [world.comp_branches[0]]),
        count=pool,
        due=0,
        mix=[("RTA", "ClaimSubmitted", 1)],
        label="perform claims in ClaimSubmitted",
    )
    logging.disable(logging.INFO)  # the reference addClaim's log line is not a figure
    try:
        problems = shape_check(world, generated.first_id)
    finally:
        logging.disable(logging.NOTSET)
    if problems:
        say("row shape check against perform(addClaim): DIFFERENCES")
        for problem in problems:
            say(f"    {problem}")
    else:
        say("row shape check: a generated claim matches the one perform(addClaim) writes")
    summary.add("perform", "row shape vs perform(addClaim)", "same" if not problems else "differs (see log)")
    ids = list(range(generated.first_id, generated.last_id + 1))
    random.Random(42).shuffle(ids)
    parallel_ids, single_ids = ids[:parallel_pool], ids[parallel_pool:]
    shares = [parallel_ids[i::workers] for i in range(workers)]
    quiet = not args.worker_logs

    busy: dict[str, float] = {}
    checkpoint()
    machine_check(f"perform x{workers}")
    say(f"perform: {workers} processes, {len(parallel_ids):,} claims ({len(shares[0]):,} each)")
    parallel = measure(users, shares, seconds, quiet)
    busy[f"x{workers}"] = parallel.other_load
    _report(f"perform x{workers}", parallel)

    checkpoint()
    machine_check("perform x1")
    say(f"perform: 1 process, {len(single_ids):,} claims")
    single = measure(users[:1], [single_ids], seconds, quiet)
    busy["x1"] = single.other_load
    _report("perform x1", single)

    tps = None
    if not args.no_pgbench:
        bench_run = run_pgbench(
            db, args.pgbench_database, scale=args.pgbench_scale, clients=workers, threads=2, seconds=seconds
        )
        tps, busy["pgbench"] = bench_run.tps, bench_run.other_load
        if tps is not None:
            say(f"pgbench: {tps:,.0f} tps (TPC-B, {workers} clients)")

    summary.add(
        "machine",
        "other processes' CPU during " + " / ".join(busy),
        " / ".join(f"{v:.0%}" for v in busy.values()),
        f"≤ {OTHER_LOAD_LIMIT:.0%}",
        "" if all(v <= OTHER_LOAD_LIMIT for v in busy.values()) else "BUSY: figures low",
    )
    summary.add("perform", f"ops/s, {workers} processes", f"{parallel.rate:,.0f}")
    summary.add(
        "perform", f"p50 / p99 ms, {workers} processes", f"{parallel.p(0.5):.2f} / {parallel.p(0.99):.2f}"
    )
    summary.add("perform", "ops/s, 1 process", f"{single.rate:,.0f}")
    summary.add("perform", "p50 / p99 ms, 1 process", f"{single.p(0.5):.2f} / {single.p(0.99):.2f}")
    summary.add(
        "perform",
        "worker CPU ms per op (x1 / xN)",
        f"{single.worker_cpu_per_op_ms:.2f} / {parallel.worker_cpu_per_op_ms:.2f}",
    )
    if parallel.errors or single.errors:
        summary.add(
            "perform", "operations refused", f"{parallel.errors + single.errors:,}", "0", verdict(False)
        )
    if tps is not None:
        ratio = parallel.rate / tps if tps else float("nan")
        summary.add("pgbench", f"TPC-B tps, {workers} clients", f"{tps:,.0f}")
        summary.add(
            "perform", "ops/s ÷ pgbench tps", f"{ratio:.2f}", f"≥ {RATIO_GOAL}", verdict(ratio >= RATIO_GOAL)
        )
        if bench_run.tps:
            cpus = os.cpu_count() or 1
            pg_ms = parallel.postgres_cpu_per_op_ms
            summary.add(
                "pgbench",
                f"PostgreSQL / pgbench CPU ms per transaction, {workers} clients",
                f"{bench_run.postgres_cpu_ms:.2f} / {bench_run.client_cpu_ms:.2f}",
            )
            summary.add("perform", "PostgreSQL CPU ms per op", f"{pg_ms:.2f}")
            summary.add(
                "perform",
                "ratio with workers costing no CPU",
                f"{cpus * 1000 / pg_ms / tps:.2f}",
                "",
                "(CPU bound)",
            )
            summary.add(
                "perform",
                "worker CPU ms per op the goal allows",
                f"{allowed:.2f}"
                if (allowed := cpus * 1000 / (RATIO_GOAL * tps) - pg_ms) > 0
                else "none: out of reach",
                f"(now {parallel.worker_cpu_per_op_ms:.2f})",
            )
