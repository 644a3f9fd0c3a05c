"""The A2A API under load: gunicorn on PostgreSQL, ``wrk`` on loopback, against ``pgbench`` TPC-B.

The server is the product as deployed (``gunicorn claimsportal.config.wsgi``, the same settings, the
log level of production). The load generator is ``wrk`` with a Lua script: each of its connections
(one per wrk thread) is a case-management system's worker carrying its own share of RTA claims,
generated in ``ClaimSubmitted``, through the Stage 1 flow over HTTP, quoting the
``activityEngineGuid`` each answer returns:

    POST /a2a/v1/claims/{id}/acceptClaim → applyArticle75 → sendLiabilityDecision (a full §6.4 form)

Every request is a state change with its bearer token and ``X-Login-As``. Runs at 8 and 32
concurrent clients give operations per second and wrk's latency percentiles; ``pgbench`` TPC-B with
the same number of clients, on a separate database of the same server in the same run, gives the
ratio. A third run throttles the 8 clients to half the peak rate and reports p99 there.

The load generator shares the machine's CPUs with the server, as the issue says.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import feed
from bench.common import (
    BIN_DIR,
    CpuTime,
    DatabaseUrl,
    OtherLoad,
    Summary,
    checkpoint,
    machine_check,
    say,
    verdict,
)
from bench.perform import PgbenchRun, run_pgbench
from claimsportal.core import pgbouncer
from claimsportal.core.serving import granian_command

RATIO_GOAL = 0.5
P99_GOAL_MS = 50.0
PORT = int(os.environ.get("BENCH_API_PORT", "8765"))  # another port when two benchmarks share a machine
PGBOUNCER_PORT = 6439
FLOW = ("acceptClaim", "applyArticle75", "sendLiabilityDecision")

LUA = r"""
-- One connection per wrk thread; each thread walks its own claims through FLOW.
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

local flow = {"acceptClaim", "applyArticle75", "sendLiabilityDecision"}
local bodies = {}
local claims = {}
local position = 0
local step = 1
local guid = nil
local headers = {}
local pause_ms = 0
done_claims = 0
errors = 0
statuses = {}

local function next_claim()
  position = position + 1
  local claim = claims[position]
  if claim == nil then return false end
  guid = claim[2]
  step = 1
  return true
end

function init(args)
  local dir = os.getenv("BENCH_API_DIR")
  pause_ms = tonumber(os.getenv("BENCH_API_PAUSE_MS") or "0")
  for line in io.lines(dir .. "/claims-" .. index .. ".txt") do
    local id, g = line:match("^(%d+) (%S+)$")
    table.insert(claims, {id, g})
  end
  for _, op in ipairs(flow) do
    local f = io.open(dir .. "/body-" .. op .. ".json", "r")
    bodies[op] = f:read("*a")
    f:close()
  end
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. os.getenv("BENCH_API_TOKEN")
  headers["X-Login-As"] = os.getenv("BENCH_API_USER_" .. index)
  next_claim()
end

function delay()
  return pause_ms
end

function request()
  local claim = claims[position]
  if claim == nil then
    return wrk.format("GET", "/healthz")
  end
  local op = flow[step]
  local body = '{"activityEngineGuid": "' .. guid .. '", ' .. bodies[op]:sub(2)
  return wrk.format("POST", "/a2a/v1/claims/" .. claim[1] .. "/" .. op, headers, body)
end

function response(status, hdrs, body)
  if claims[position] == nil then return end
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 200 then
    errors = errors + 1
    next_claim()
    return
  end
  guid = body:match('"activityEngineGuid": "([^"]+)"')
  step = step + 1
  if step > #flow then
    done_claims = done_claims + 1
    next_claim()
  end
end

function done(summary, latency, requests)
  local total_claims, total_errors = 0, 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    total_claims = total_claims + thread:get("done_claims")
    total_errors = total_errors + thread:get("errors")
    for code, n in pairs(thread:get("statuses")) do
      by_status[code] = (by_status[code] or 0) + n
    end
  end
  io.write("BENCH_RESULT ")
  io.write(string.format('{"requests": %d, "seconds": %.6f, "claims": %d, "errors": %d, ',
    summary.requests, summary.duration / 1e6, total_claims, total_errors))
  io.write(string.format('"socket_errors": %d, ', summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
  io.write(string.format('"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "statuses": {',
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
  local first = true
  for code, n in pairs(by_status) do
    if not first then io.write(", ") end
    io.write(string.format('"%d": %d', code, n))
    first = false
  end
  io.write("}}\n")
end
"""


@dataclass
class LoadResult:
    clients: int
    requests: int
    seconds: float
    claims: int
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    other_load: float
    statuses: dict[str, int]
    server_cpu_ms: float = float("nan")  # the server's processes' CPU time per successful request
    postgres_cpu_ms: float = float("nan")  # PostgreSQL's, per successful request
    client_cpu_ms: float = float("nan")  # wrk's (the load generator's), per successful request

    @property
    def cpu_ms(self) -> float:
        """The whole machine's CPU per operation: server, PostgreSQL and the load generator."""
        return self.server_cpu_ms + self.postgres_cpu_ms + self.client_cpu_ms

    @property
    def rate(self) -> float:
        ok = self.requests - self.errors
        return ok / self.seconds if self.seconds else float("nan")


def _prepare(workdir: Path, clients: int, claims_per_client: int, world: Any) -> dict[str, str]:
    """Claims, users, an A2A client and its token; the request bodies. Returns wrk's environment."""
    from django.db import connection

    from bench.generate import World, ensure_comp_users, generate_claims
    from claimsportal.a2a.auth import token_for_client_credentials
    from claimsportal.organisations.models import Organisation
    from claimsportal.organisations.services import create_a2a_client
    from claimsportal.protocols.forms.examples import insurer_response_example

    users = ensure_comp_users(world, clients)
    generated = generate_claims(
        World([world.cr_org], [world.comp_org], [world.comp_branches[0]]),
        count=clients * claims_per_client,
        due=0,
        mix=[("RTA", "ClaimSubmitted", 1)],
        label=f"API claims in ClaimSubmitted for {clients} clients",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_id, activity_guid FROM claims_claim"
            " WHERE application_id BETWEEN %s AND %s AND phase = 'ClaimSubmitted' ORDER BY application_id",
            [generated.first_id, generated.last_id],
        )
        rows = cursor.fetchall()
    for index in range(clients):
        share = rows[index::clients]
        (workdir / f"claims-{index + 1}.txt").write_text("".join(f"{pk} {guid}\n" for pk, guid in share))
    bodies = {
        "acceptClaim": {"insurerClaimReferenceNumber": "INS-BENCH-API"},
        "applyArticle75": {"isArticle75": False},
        "sendLiabilityDecision": {"insurerResponse": insurer_response_example("RTA", "A")},
    }
    for operation, body in bodies.items():
        (workdir / f"body-{operation}.json").write_text(json.dumps(body))
    organisation = Organisation.objects.get(pk=world.comp_org)
    created = create_a2a_client(organisation=organisation, name=f"bench wrk x{clients}")
    token = token_for_client_credentials(created.client.client_id, created.secret).access_token
    env = {"BENCH_API_DIR": str(workdir), "BENCH_API_TOKEN": token}
    for index in range(clients):
        env[f"BENCH_API_USER_{index + 1}"] = users[index % len(users)]
    return env


def server_command(args: Any, port: int = PORT, host: str = "127.0.0.1") -> list[str]:
    """The product's server as the benchmark runs it: granian (the default, as ``make run`` and
    production) or gunicorn (``--api-server gunicorn``)."""
    if args.api_server == "granian":
        return granian_command(
            host=host, port=port, workers=args.api_workers, threads=args.api_threads, log_level="warning"
        )
    return [
        str(BIN_DIR / "gunicorn"),
        "claimsportal.config.wsgi",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(args.api_workers),
        "--worker-class",
        args.api_worker_class,
        "--threads",
        str(args.api_threads),
        "--backlog",
        "2048",
        "--preload",  # import the application once, before forking: no worker pays it mid-measurement
        "--log-level",
        "warning",
        "--access-logfile",
        "/dev/null",
    ]


def _start_server(
    db: DatabaseUrl, args: Any, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db.url,
        CLAIMSPORTAL_A2A_RATE="0",  # the benchmark measures throughput, not the rate limiter
        CLAIMSPORTAL_SANDBOX="0",
        CLAIMSPORTAL_INSECURE_HTTP="1",  # plain HTTP on loopback (production sits behind TLS)
    )
    env.update(extra_env or {})  # --topology prod: the URL through PgBouncer
    command = server_command(args)
    say(f"server: {' '.join(Path(command[0]).name if i == 0 else part for i, part in enumerate(command))}")
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 180  # a busy machine takes a minute to import Django in every worker
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGKILL)  # the server and its workers (their own session)
    raise SystemExit("bench: the API server did not answer /healthz within 180 s")


def server_label(args: Any) -> str:
    if args.api_server == "granian":
        return f"granian {args.api_workers} workers x {args.api_threads} blocking threads"
    return f"gunicorn {args.api_workers} x {args.api_worker_class}" + (
        f" ({args.api_threads} threads)" if args.api_worker_class == "gthread" else ""
    )


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


_RESULT = re.compile(r"^BENCH_RESULT (\{.*\})$", re.MULTILINE)


def _wrk(script: Path, env: dict[str, str], clients: int, seconds: float, pause_ms: float = 0) -> LoadResult:
    command = [
        "wrk",
        "-t",
        str(clients),
        "-c",
        str(clients),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{PORT}",
    ]
    full_env = {**os.environ, **env, "BENCH_API_PAUSE_MS": f"{pause_ms:.3f}"}
    others = OtherLoad()
    run = subprocess.run(command, env=full_env, capture_output=True, text=True, check=False)
    other_load = others.stop()
    match = _RESULT.search(run.stdout)
    if run.returncode or not match:
        raise SystemExit(f"bench: wrk failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")
    data = json.loads(match.group(1))
    return LoadResult(
        clients=clients,
        requests=int(data["requests"]),
        seconds=float(data["seconds"]),
        claims=int(data["claims"]),
        errors=int(data["errors"]) + int(data["socket_errors"]),
        p50_ms=float(data["p50_ms"]),
        p90_ms=float(data["p90_ms"]),
        p99_ms=float(data["p99_ms"]),
        max_ms=float(data["max_ms"]),
        other_load=other_load,
        statuses={str(k): int(v) for k, v in data["statuses"].items()},
    )


def session_cpu_seconds(session: int) -> float:
    """User + system CPU time of every live process of ``session`` (the server and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of stat: the session id
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _measured(server: subprocess.Popen[bytes], run: Any) -> LoadResult:
    """``run()`` (a wrk run), with the server's own CPU time per request: it moves much less than the rate
    when other processes share the CPUs, so it compares servers and changes run in the same minutes."""
    before = session_cpu_seconds(server.pid)
    cpu_before = CpuTime.now()
    result: LoadResult = run()
    cpu = CpuTime.now().since(cpu_before)
    ok = result.requests - result.errors
    if ok:
        result.server_cpu_ms = (session_cpu_seconds(server.pid) - before) * 1000 / ok
        result.postgres_cpu_ms = cpu.postgres * 1000 / ok
        result.client_cpu_ms = cpu.children * 1000 / ok
    return result


@dataclass(frozen=True)
class CpuBudget:
    """What the machine's CPUs allow, from the CPU each side costs per operation: when the server,
    PostgreSQL and the load generator share the CPUs, ops/s can never exceed CPUs ÷ (CPU per op), and
    pgbench's tps never exceeds CPUs ÷ (its CPU per transaction)."""

    cpus: int
    operation_ms: float  # server + PostgreSQL + wrk per API operation
    transaction_ms: float  # PostgreSQL + pgbench per TPC-B transaction
    tps: float
    postgres_ms: float
    client_ms: float

    @property
    def ceiling(self) -> float:
        return self.cpus * 1000 / self.operation_ms

    @property
    def ratio_without_server(self) -> float:
        """The ratio if the application server cost no CPU at all (PostgreSQL's and wrk's work remain)."""
        return self.cpus * 1000 / (self.postgres_ms + self.client_ms) / self.tps

    @property
    def server_ms_allowed(self) -> float:
        """The server CPU per request at which the CPUs could just reach the ratio goal."""
        return self.cpus * 1000 / (RATIO_GOAL * self.tps) - self.postgres_ms - self.client_ms

    def lines(self) -> list[str]:
        return [
            f"CPU per operation {self.operation_ms:.2f} ms on {self.cpus} CPUs: at most {self.ceiling:,.0f} ops/s; "
            f"pgbench {self.transaction_ms:.2f} ms per transaction ({self.tps:,.0f} tps)",
            f"with a server costing no CPU the ratio could reach {self.ratio_without_server:.2f}; "
            + (
                f"the goal ({RATIO_GOAL}) allows {self.server_ms_allowed:.2f} ms of server CPU per request"
                if self.server_ms_allowed > 0
                else f"the goal ({RATIO_GOAL}) is out of reach whatever the server costs"
            ),
        ]


def cpu_budget(result: LoadResult, bench_run: PgbenchRun) -> CpuBudget:
    return CpuBudget(
        cpus=os.cpu_count() or 1,
        operation_ms=result.cpu_ms,
        transaction_ms=bench_run.postgres_cpu_ms + bench_run.client_cpu_ms,
        tps=bench_run.tps or float("nan"),
        postgres_ms=result.postgres_cpu_ms,
        client_ms=result.client_cpu_ms,
    )


def _report(label: str, result: LoadResult) -> None:
    say(
        f"{label}: {result.rate:,.0f} ops/s ({result.requests:,} requests in {result.seconds:.1f} s, "
        f"{result.claims:,} claims through Stage 1, {result.errors:,} errors); latency p50 "
        f"{result.p50_ms:.1f} ms, p90 {result.p90_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, max "
        f"{result.max_ms:.1f} ms; statuses {result.statuses}; CPU per request: server {result.server_cpu_ms:.2f} ms, "
        f"PostgreSQL {result.postgres_cpu_ms:.2f} ms, wrk {result.client_cpu_ms:.2f} ms"
    )
    if result.other_load > 0.1:
        say(f"    WARNING: other processes used {result.other_load:.0%} of the CPUs meanwhile")


def run_feed(args: Any, db: DatabaseUrl, summary: Summary) -> None:
    """``python -m bench feed``: the polling, feed and webhook clients alone (bench/feed.py)."""
    server = _start_server(db, args)
    try:
        feed.run(args, PORT, summary)
    finally:
        _stop_server(server)


def run(args: Any, db: DatabaseUrl, summary: Summary) -> None:
    from bench.generate import ensure_world

    if shutil.which("wrk") is None:
        say("wrk is not installed (Debian: apt-get install -y wrk): the API benchmark is skipped")
        summary.add("api", "wrk", "not installed", "", "SKIPPED")
        return
    seconds = args.seconds
    world = ensure_world()
    workdir = Path(tempfile.mkdtemp(prefix="bench-api-"))
    script = workdir / "flow.lua"
    script.write_text(LUA)
    per_client = max(300, int(args.api_claims_per_client or 120 * seconds))
    bouncer = None
    server_env: dict[str, str] = {}
    if args.topology == "prod":
        upstream = pgbouncer.Upstream.from_url(db.url)
        bouncer = pgbouncer.start(
            upstream,
            port=PGBOUNCER_PORT,
            directory=Path(tempfile.mkdtemp(prefix="bench-pgbouncer-")),  # PgBouncer's user must reach it
            pool_size=args.pgbouncer_pool,
        )
        server_env = {"DATABASE_URL": upstream.through(PGBOUNCER_PORT), "CLAIMSPORTAL_DB_POOL": "transaction"}
        say(
            f"PgBouncer (transaction pooling, {args.pgbouncer_pool} server connections) on port {PGBOUNCER_PORT}"
        )
    try:
        server = _start_server(db, args, server_env)
    except BaseException:
        if bouncer is not None:
            pgbouncer.stop(bouncer)
        raise
    try:
        warm_dir = workdir / "warm-up"
        warm_dir.mkdir()
        say("warm-up: 8 clients for a few seconds (not measured)")
        _wrk(script, _prepare(warm_dir, 8, per_client, world), 8, max(3.0, seconds / 2))
        results: dict[int, LoadResult] = {}
        tps: dict[int, PgbenchRun | None] = {}
        for clients in (8, 32):
            run_dir = workdir / f"x{clients}"
            run_dir.mkdir()
            env = _prepare(run_dir, clients, per_client, world)
            checkpoint()
            machine_check(f"api x{clients}")
            results[clients] = _measured(server, lambda: _wrk(script, env, clients, seconds))  # noqa: B023
            _report(f"api x{clients}", results[clients])
            # pgbench right after, in the same conditions (the machine may be shared): the ratio is
            # the figure of merit, and the other processes' load moves both the same way.
            tps[clients] = (
                None
                if args.no_pgbench
                else run_pgbench(
                    db,
                    args.pgbench_database,
                    scale=args.pgbench_scale,
                    clients=clients,
                    threads=2,
                    seconds=seconds,
                )
            )
            bench_run = tps[clients]
            if bench_run is not None and bench_run.tps:
                say(f"api x{clients}: ratio {results[clients].rate / bench_run.tps:.2f} to pgbench")
                for line in cpu_budget(results[clients], bench_run).lines():
                    say(f"    {line}")
        peak = max(r.rate for r in results.values())
        half_dir = workdir / "half"
        half_dir.mkdir()
        env = _prepare(half_dir, 8, per_client, world)
        # Each of 8 clients pauses between requests so that together they offer about half the peak.
        pause_ms = max(0.0, 1000.0 * 8 / (peak / 2) - results[8].p50_ms)
        checkpoint()
        half = _measured(server, lambda: _wrk(script, env, 8, seconds, pause_ms=pause_ms))
        _report(f"api x8 at about half the peak ({pause_ms:.1f} ms pause)", half)
        feed.run(args, PORT, summary)
    finally:
        _stop_server(server)
        if bouncer is not None:
            pgbouncer.stop(bouncer)
    summary.add(
        "api",
        "server",
        server_label(args)
        + (
            f", through PgBouncer (transaction pooling, {args.pgbouncer_pool} connections)" if bouncer else ""
        ),
    )
    for clients, result in results.items():
        summary.add("api", f"ops/s, {clients} clients", f"{result.rate:,.0f}")
        summary.add("api", f"p50 / p99 ms, {clients} clients", f"{result.p50_ms:.1f} / {result.p99_ms:.1f}")
        summary.add("api", f"server CPU ms per request, {clients} clients", f"{result.server_cpu_ms:.2f}")
        if result.errors:
            summary.add("api", f"errors, {clients} clients", f"{result.errors:,}", "0", verdict(False))
        summary.add(
            "api",
            f"PostgreSQL / wrk CPU ms per request, {clients} clients",
            f"{result.postgres_cpu_ms:.2f} / {result.client_cpu_ms:.2f}",
        )
        bench_run = tps[clients]
        if bench_run is not None and bench_run.tps:
            ratio = result.rate / bench_run.tps
            budget = cpu_budget(result, bench_run)
            summary.add("pgbench", f"TPC-B tps, {clients} clients", f"{bench_run.tps:,.0f}")
            summary.add(
                "pgbench",
                f"PostgreSQL / pgbench CPU ms per transaction, {clients} clients",
                f"{bench_run.postgres_cpu_ms:.2f} / {bench_run.client_cpu_ms:.2f}",
            )
            summary.add(
                "api",
                f"ops/s ÷ pgbench tps, {clients} clients",
                f"{ratio:.2f}",
                f"≥ {RATIO_GOAL}",
                verdict(ratio >= RATIO_GOAL),
            )
            summary.add(
                "api",
                f"ratio with a server costing no CPU, {clients} clients",
                f"{budget.ratio_without_server:.2f}",
                "",
                "(CPU bound)",
            )
            summary.add(
                "api",
                f"server CPU ms per request the goal allows, {clients} clients",
                f"{budget.server_ms_allowed:.2f}" if budget.server_ms_allowed > 0 else "none: out of reach",
                f"(now {result.server_cpu_ms:.2f})",
            )
    summary.add(
        "api",
        f"p99 ms at {half.rate:,.0f} ops/s (~half of {peak:,.0f})",
        f"{half.p99_ms:.1f}",
        f"< {P99_GOAL_MS:.0f}",
        verdict(half.p99_ms < P99_GOAL_MS),
    )
