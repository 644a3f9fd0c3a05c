"""Plumbing shared by the benchmarks: Django configuration, the benchmark database, progress, summary.

Nothing here imports Django at module level: :func:`configure` must set the environment first.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/claimsportal_bench"
DEFAULT_PGBENCH_DATABASE = "claimsportal_pgbench"
SETTINGS_MODULE = "claimsportal.config.settings"
BIN_DIR = Path(sys.executable).parent  # the venv's bin/: python, claimsportal
_STARTED = time.monotonic()


# --------------------------------------------------------------------------------------------------
# Progress and the final summary
# --------------------------------------------------------------------------------------------------


def say(message: str) -> None:
    """One progress line, with the time since the benchmark started."""
    print(f"[{time.monotonic() - _STARTED:7.1f}s] {message}", flush=True)


def heading(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 96 - len(title)), flush=True)


@dataclass
class Row:
    section: str
    metric: str
    value: str
    goal: str = ""
    verdict: str = ""


@dataclass
class Summary:
    rows: list[Row] = field(default_factory=list)

    def add(self, section: str, metric: str, value: str, goal: str = "", verdict: str = "") -> None:
        self.rows.append(Row(section, metric, value, goal, verdict))

    def print(self) -> None:
        heading("Summary")
        if not self.rows:
            print("(nothing measured)")
            return
        header = Row("benchmark", "figure", "value", "goal", "")
        widths = [
            max(len(getattr(r, name)) for r in [header, *self.rows])
            for name in ("section", "metric", "value", "goal", "verdict")
        ]

        def line(r: Row) -> str:
            cells = (r.section, r.metric, r.value, r.goal, r.verdict)
            return "  ".join(
                c.ljust(w) if i != 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )

        print(line(header).rstrip())
        print("  ".join("-" * w for w in widths))
        for r in self.rows:
            print(line(r).rstrip())
        print(flush=True)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (``nan`` when empty)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def _process_ticks() -> dict[int, tuple[str, int]]:
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        name = raw[raw.find("(") + 1 : raw.rfind(")")]
        fields = raw[raw.rfind(")") + 2 :].split()
        out[int(entry)] = (name, int(fields[11]) + int(fields[12]))
    return out


@dataclass(frozen=True)
class CpuTime:
    """CPU seconds (user + system) of PostgreSQL (every ``postgres`` process, and the backends that
    have ended, which the postmaster has reaped) and of this process's finished children (wrk,
    pgbench: ``RUSAGE_CHILDREN``, counted once they are waited for)."""

    postgres: float
    children: float

    @staticmethod
    def now() -> CpuTime:
        import resource

        ticks = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    raw = f.read()
            except OSError:
                continue
            if raw[raw.find("(") + 1 : raw.rfind(")")] != "postgres":
                continue
            fields = raw[raw.rfind(")") + 2 :].split()
            ticks += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return CpuTime(ticks / os.sysconf("SC_CLK_TCK"), usage.ru_utime + usage.ru_stime)

    def since(self, before: CpuTime) -> CpuTime:
        return CpuTime(self.postgres - before.postgres, self.children - before.children)


OURS = frozenset(
    {"postgres", "pgbench", "claimsportal", "time", "gunicorn", "granian", "pgbouncer", "wrk"}
)  # the benchmark's processes


class OtherLoad:
    """CPU used by processes that are not the benchmark's while a measurement runs (a fraction of all
    CPUs): the benchmark's workers, PostgreSQL, pgbench and run-timers are excluded."""

    def __init__(self, own_pids: set[int] | None = None) -> None:
        self.own = {os.getpid(), *(own_pids or set())}
        self.before = _process_ticks()
        self.started = time.monotonic()

    def stop(self, own_pids: set[int] | None = None) -> float:
        after = _process_ticks()
        own = self.own | (own_pids or set())
        elapsed = max(1e-3, time.monotonic() - self.started)
        ticks = sum(
            t - self.before[pid][1]
            for pid, (name, t) in after.items()
            if pid in self.before and pid not in own and name not in OURS
        )
        return ticks / os.sysconf("SC_CLK_TCK") / elapsed / (os.cpu_count() or 1)


def machine_check(label: str, seconds: float = 1.0) -> float:
    """How much CPU other processes use *before* a measurement (they skew every figure); the
    benchmark's own processes and PostgreSQL are not counted. Prints a warning naming the busiest
    processes when they use more than 20% of the CPUs."""
    try:
        before = _process_ticks()
        time.sleep(seconds)
        after = _process_ticks()
    except OSError:
        return float("nan")
    hz = os.sysconf("SC_CLK_TCK")
    used = sorted(
        (
            (ticks - before[pid][1], name, pid)
            for pid, (name, ticks) in after.items()
            if pid in before and pid != os.getpid() and name not in OURS
        ),
        reverse=True,
    )
    busy = sum(t for t, _, _ in used) / hz / seconds / (os.cpu_count() or 1)
    if busy > 0.2:
        names = ", ".join(f"{name}[{pid}] {100 * t / hz / seconds:.0f}%" for t, name, pid in used[:3] if t)
        say(
            f"WARNING: other processes use {busy:.0%} of the CPUs before {label} ({names}): figures will be low"
        )
    else:
        say(f"other processes use {busy:.0%} of the CPUs before {label}")
    return busy


# --------------------------------------------------------------------------------------------------
# The benchmark database
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseUrl:
    url: str
    host: str
    port: int
    user: str
    password: str
    name: str

    @classmethod
    def parse(cls, url: str) -> DatabaseUrl:
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise SystemExit(f"bench: {url!r} is not a PostgreSQL URL (the benchmarks need PostgreSQL)")
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SystemExit(f"bench: {url!r} names no database")
        return cls(
            url=url,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            name=name,
        )

    def with_name(self, name: str) -> DatabaseUrl:
        auth = self.user + (f":{self.password}" if self.password else "")
        return DatabaseUrl(
            f"postgres://{auth}@{self.host}:{self.port}/{name}",
            self.host,
            self.port,
            self.user,
            self.password,
            name,
        )

    def libpq_env(self) -> dict[str, str]:
        """Environment for the PostgreSQL command-line tools (pgbench, psql)."""
        env = dict(os.environ)
        env.update(PGHOST=self.host, PGPORT=str(self.port), PGUSER=self.user)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def configure(database_url: str, log_level: str) -> None:
    """Point Django at the benchmark database; inherited by every process the benchmark starts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["DATABASE_URL"] = database_url
    os.environ["CLAIMSPORTAL_LOG_LEVEL"] = log_level
    os.environ.setdefault("CLAIMSPORTAL_LOG_FORMAT", "json")
    os.environ["CLAIMSPORTAL_SANDBOX"] = "0"  # real time: run-timers and the generator agree on "now"


def setup_django() -> None:
    import django

    django.setup()


def _check_disposable(name: str, marker: str) -> None:
    if marker not in name:
        raise SystemExit(
            f"bench: refusing to drop database {name!r}: a benchmark database's name must contain {marker!r}"
        )


def recreate_database(db: DatabaseUrl, marker: str = "bench") -> None:
    """DROP and CREATE ``db.name`` (its name must contain ``marker``: the benchmark never drops yours)."""
    import psycopg
    from psycopg import sql

    _check_disposable(db.name, marker)
    with psycopg.connect(
        host=db.host,
        port=db.port,
        user=db.user,
        password=db.password or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db.name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db.name)))


def prepare_database(db: DatabaseUrl) -> None:
    """A fresh, migrated benchmark database (Django must already be set up)."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    say(f"recreating database {db.name} on {db.host}:{db.port}")
    recreate_database(db)
    say("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    say("migrated")


def server_summary() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'),"
            " current_setting('synchronous_commit'), current_setting('max_wal_size')"
        )
        version, shared_buffers, sync, wal = cursor.fetchone()
    return (
        f"PostgreSQL {version} (shared_buffers={shared_buffers}, synchronous_commit={sync}, "
        f"max_wal_size={wal}); {os.cpu_count()} CPUs"
    )


def checkpoint() -> None:
    """Flush dirty buffers so a measurement does not pay for the previous step's writes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def scalar(sql_text: str, params: Any = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql_text, params or [])
        row = cursor.fetchone()
    return None if row is None else row[0]
