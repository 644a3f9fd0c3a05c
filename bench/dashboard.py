"""The Executive Dashboard over 5,000,000 facts (five years, every protocol and measure): the public
month page's first load (a published month, from its frozen figures and the 11 months before it), the
operator's live month (one GROUP BY over the facts of 12 months), and a year's CSV. Figures printed
beside their goals (issue 16: first load < 1 s, CSV < 2 s), never asserted."""

from __future__ import annotations

import argparse
import time
from datetime import date

from bench.common import DatabaseUrl, Summary, say

GOAL_PAGE, GOAL_CSV = 1.0, 2.0


def _insert_facts(count: int, first: date, months: int) -> float:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE publishing_fact, publishing_publishedmonth")
        # Spread over the months, the four protocols and the measures (settlements with an amount).
        cursor.execute(
            """
            INSERT INTO publishing_fact (month, protocol, metric, reason, amount)
            SELECT (%s::date + ((i %% %s) || ' month')::interval)::date,
                   (ARRAY['RTA','EL','ELD','PL'])[1 + (i / 7) %% 4],
                   (ARRAY['CNF_SENT','CNF_SENT','CNF_SENT','STAGE1_EXIT','EXIT','SETTLED','COURT_PACK'])[1 + i %% 7],
                   CASE i %% 7 WHEN 3 THEN 'TIMEOUT' WHEN 4 THEN ((i / 11) %% 15 + 1)::text ELSE '' END,
                   CASE i %% 7 WHEN 5 THEN 1000 + (i %% 5000) ELSE NULL END
            FROM generate_series(1, %s) AS i
            """,
            [first, months, count],
        )
        cursor.execute("ANALYZE publishing_fact")
    return time.monotonic() - started


def run(args: argparse.Namespace, db: DatabaseUrl, summary: Summary) -> None:
    from django.test import Client

    from claimsportal.publishing import figures

    count, first, months = args.facts, date(2021, 1, 1), 60
    seconds = _insert_facts(count, first, months)
    say(f"{count:,} facts over {months} months inserted in {seconds:.1f} s")
    summary.add("dashboard", "facts inserted", f"{count:,} ({seconds:.1f} s)")
    started = time.monotonic()
    for month in figures.months_between(first, date(2025, 12, 1)):
        figures.publish_month(month)
    summary.add(
        "dashboard", "publish 60 months (job, each one GROUP BY)", f"{time.monotonic() - started:.1f} s"
    )
    client = Client()
    # A server that has answered one request (URLs, templates, the API loaded): "first load" is the
    # dashboard's own first load, nothing of it cached.
    client.get("/news/", HTTP_HOST="localhost", secure=True)
    for label, path, goal in (
        ("month page, first load", "/dashboard/2025/12/", GOAL_PAGE),
        ("year page, first load", "/dashboard/2025/", GOAL_PAGE),
        ("year CSV", "/dashboard/2025.csv", GOAL_CSV),
    ):
        started = time.monotonic()
        response = client.get(path, HTTP_HOST="localhost", secure=True)
        took = time.monotonic() - started
        ok = response.status_code == 200
        summary.add(
            "dashboard",
            label,
            f"{took:.3f} s" + ("" if ok else f" (HTTP {response.status_code})"),
            f"< {goal:g} s",
            "ok" if ok and took < goal else "MISSED",
        )
    started = time.monotonic()
    figures.month_rows(date(2025, 12, 1), live=True)
    took = time.monotonic() - started
    summary.add(
        "dashboard",
        "operator's live view of a published month",
        f"{took:.3f} s",
        f"< {GOAL_PAGE:g} s",
        "ok" if took < GOAL_PAGE else "MISSED",
    )
    started = time.monotonic()
    # The current month not yet published: the live view counts its facts, the other 11 are published.
    from claimsportal.publishing.models import PublishedMonth

    PublishedMonth.objects.filter(month=date(2025, 12, 1)).delete()
    started = time.monotonic()
    figures.month_rows(date(2025, 12, 1), live=True)
    took = time.monotonic() - started
    summary.add(
        "dashboard",
        "operator's live month, not yet published",
        f"{took:.3f} s",
        f"< {GOAL_PAGE:g} s",
        "ok" if took < GOAL_PAGE else "MISSED",
    )
    started = time.monotonic()
    text = figures.csv_text(figures.months_between(date(2025, 1, 1), date(2025, 12, 1)), live=True)
    took = time.monotonic() - started
    summary.add(
        "dashboard",
        f"live CSV of a year ({len(text):,} bytes)",
        f"{took:.3f} s",
        f"< {GOAL_CSV:g} s",
        "ok" if took < GOAL_CSV else "MISSED",
    )
