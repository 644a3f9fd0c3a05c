"""The Executive Dashboard over 5,000,000 facts (five years to the current month, every protocol and
measure): the public pages' first load (a published month, from its frozen figures and the 11 months
before it; a year), a year's CSV, and the operator's live view of the current month, not yet
published (its page and its CSV: the month's facts counted, the 11 months before it published).
Figures printed beside their goals (issue 16: first load < 1 s, CSV < 2 s), never asserted, with the
load average and, beside the wall time, the time spent in the database and the process's CPU time.

The facts are laid out as the portal records them: the 59 past months interleaved (the worst layout
for a month's rows) and vacuumed, as autovacuum does an append-only table; the current month's facts
appended after, not yet vacuumed (their pages are not all-visible: the index-only scan visits them).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from bench.common import DatabaseUrl, Summary, say

GOAL_PAGE, GOAL_CSV = 1.0, 2.0
MONTHS = 60


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _insert(cursor: Any, count: int, first: date, months: int, offset: int) -> None:
    # Spread over the months, the four protocols and the measures (settlements with an amount).
    cursor.execute(
        """
        INSERT INTO publishing_fact (month, protocol, metric, reason, amount)
        SELECT (%s::date + ((i %% %s) || ' month')::interval)::date,
               (ARRAY['RTA','EL','ELD','PL'])[1 + (i / 7) %% 4],
               (ARRAY['CNF_SENT','CNF_SENT','CNF_SENT','STAGE1_EXIT','EXIT','SETTLED','COURT_PACK'])[1 + i %% 7],
               CASE i %% 7 WHEN 3 THEN 'TIMEOUT' WHEN 4 THEN ((i / 11) %% 15 + 1)::text ELSE '' END,
               CASE i %% 7 WHEN 5 THEN 1000 + (i %% 5000) ELSE NULL END
        FROM generate_series(%s, %s) AS i
        """,
        [first, months, offset + 1, offset + count],
    )


def _insert_facts(count: int, first: date, current: date) -> float:
    from django.db import connection

    started = time.monotonic()
    past = count * (MONTHS - 1) // MONTHS
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE publishing_fact, publishing_publishedmonth")
        _insert(cursor, past, first, MONTHS - 1, 0)
        cursor.execute("VACUUM ANALYZE publishing_fact")
        _insert(cursor, count - past, current, 1, past)
        cursor.execute("ANALYZE publishing_fact")
    return time.monotonic() - started


@dataclass
class Timed:
    wall: float
    database: float
    queries: int
    cpu: float
    result: Any


@contextmanager
def _database_time() -> Iterator[list[float]]:
    from django.db import connection

    spent: list[float] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    with connection.execute_wrapper(wrapper):
        yield spent


def _timed(run: Callable[[], Any]) -> Timed:
    with _database_time() as spent:
        cpu, started = time.process_time(), time.perf_counter()
        result = run()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Timed(wall, sum(spent), len(spent), cpu, result)


def _report(summary: Summary, label: str, timed: Timed, goal: float) -> None:
    status = getattr(timed.result, "status_code", 200)
    value = (
        f"{timed.wall:.3f} s (db {timed.database:.3f} s in {timed.queries} queries,"
        f" cpu {timed.cpu:.3f} s; load {_load()})" + ("" if status == 200 else f" HTTP {status}")
    )
    ok = status == 200 and timed.wall < goal
    summary.add("dashboard", label, value, f"< {goal:g} s", "ok" if ok else "MISSED")


def _operator_client() -> Any:
    from django.test import Client
    from django.utils import timezone

    from claimsportal.organisations.models import User
    from claimsportal.web.account.sections import SECTION_KEY

    operator, _ = User.objects.get_or_create(
        user_id="bench.operator",
        defaults={
            "email": "bench.operator@example.org",
            "is_operator": True,
            "must_change_password": False,
            "created_at": timezone.now(),
        },
    )
    client = Client()
    client.force_login(operator)
    session = client.session
    session[SECTION_KEY] = "admin"
    session.save()
    return client


def _get(client: Any, path: str) -> Callable[[], Any]:
    return lambda: client.get(path, HTTP_HOST="localhost", secure=True)


def run(args: argparse.Namespace, db: DatabaseUrl, summary: Summary) -> None:
    from django.test import Client

    from claimsportal.publishing import figures

    current = figures.current_month()
    first = figures.add_months(current, -(MONTHS - 1))
    last_published = figures.add_months(current, -1)
    count = args.facts
    seconds = _insert_facts(count, first, current)
    say(f"{count:,} facts over {MONTHS} months to {current:%B %Y} inserted in {seconds:.1f} s")
    summary.add("dashboard", "facts inserted", f"{count:,} ({seconds:.1f} s)")
    started = time.monotonic()
    for month in figures.months_between(first, last_published):
        figures.publish_month(month)
    summary.add(
        "dashboard",
        f"publish {MONTHS - 1} months (job, each one GROUP BY)",
        f"{time.monotonic() - started:.1f} s (load {_load()})",
    )
    public = Client()
    # A server that has answered one request (URLs, templates, the API loaded): "first load" is the
    # dashboard's own first load, nothing of it cached.
    public.get("/news/", HTTP_HOST="localhost", secure=True)
    year, month_number = last_published.year, last_published.month
    for label, path, goal in (
        ("month page, first load", f"/dashboard/{year}/{month_number}/", GOAL_PAGE),
        ("year page, first load", f"/dashboard/{year}/", GOAL_PAGE),
        ("year CSV", f"/dashboard/{year}.csv", GOAL_CSV),
    ):
        timed = _timed(_get(public, path))
        _report(summary, label, timed, goal)
    operator = _operator_client()
    operator.get("/console/", HTTP_HOST="localhost", secure=True)
    live = figures.aggregate(current, current).get(current, {})
    say(f"the current month {current:%B %Y}: {sum(n for n, _ in live.values()):,} facts")
    for label, path, goal in (
        ("operator's live month page (not yet published), first load", "/console/dashboard/", GOAL_PAGE),
        ("operator's live month CSV", "/console/dashboard.csv", GOAL_CSV),
    ):
        timed = _timed(_get(operator, path))
        _report(summary, label, timed, goal)
    timed = _timed(lambda: figures.month_rows(current, live=True))
    _report(summary, "live month figures alone (figures.month_rows)", timed, GOAL_PAGE)
    timed = _timed(
        lambda: figures.csv_text(figures.months_between(figures.add_months(current, -11), current), live=True)
    )
    _report(summary, f"live CSV of the last 12 months ({len(timed.result):,} bytes)", timed, GOAL_CSV)
