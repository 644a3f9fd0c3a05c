"""The Executive Dashboard's figures: aggregated from the anonymous facts (one ``GROUP BY``), published
month by month (:func:`publish_month`, the ``executive-dashboard`` job), and laid out per measure and
protocol with the month's figure and the rolling 12-month total (:func:`month_table`).

Nothing here names an organisation: the facts have none, and the service section counts organisations
and users without naming any.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum

from claimsportal.core import clock
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.codes import EXIT_CODES
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import facts as fact_rules
from claimsportal.publishing import news
from claimsportal.publishing.models import Fact, NewsItem, PublishedMonth, ServiceSample

PROTOCOLS = ("RTA", "EL", "ELD", "PL")
PROTOCOL_NAMES = {"RTA": "RTA", "EL": "EL (accident)", "ELD": "EL Disease", "PL": "PL"}
AVERAGE = "AVERAGE_SETTLED"
M = Fact.Metric


@dataclass(frozen=True)
class Measure:
    metric: str
    reason: str
    label: str
    money: bool = False


def _measures() -> tuple[Measure, ...]:
    exits = [Measure(M.EXIT, code, f"Exit function: {exit.label}") for code, exit in EXIT_CODES.items()]
    exits.append(
        Measure(
            M.EXIT,
            fact_rules.PARTIAL_REFUSED,
            "Exit function: partial interim offer refused, payment received",
        )
    )
    return (
        Measure(M.CNF_SENT, "", "CNFs sent to compensators"),
        Measure(M.STAGE1_EXIT, "TIMEOUT", "Stage 1 exits: time to reply expired"),
        Measure(M.STAGE1_EXIT, "LIABILITY_DENIED", "Stage 1 exits: liability denied"),
        Measure(
            M.STAGE1_EXIT,
            "CONTRIBUTORY_NEGLIGENCE",
            "Stage 1 exits: liability admitted with contributory negligence",
        ),
        Measure(M.STAGE1_EXIT, "FRAUD_STATED", "Stage 1 exits: fraud stated"),
        *exits,
        Measure(M.STAGE2_EXIT, "REPUDIATED", "Stage 2 exits: settlement pack repudiated"),
        Measure(M.STAGE2_EXIT, "TIMEOUT", "Stage 2 exits: decision period expired"),
        Measure(M.STAGE2_EXIT, "EXIT", "Stage 2 exits: through the Exit function"),
        Measure(M.SETTLED, "", "Claims settled"),
        Measure(M.COURT_PACK, "", "Court Proceedings Packs completed"),
        Measure(AVERAGE, "", "Average settled damages (£)", money=True),
    )


MEASURES = _measures()

CAVEATS = (
    "CNFs sent include duplicates: the same claim sent again by the same or a different claimant representative counts each time.",
    "Court Proceedings Pack counts do not show what happens in court: after the pack the claim leaves the portal.",
    "There are no Stage 3 hearing figures: after the Court Proceedings Pack the claim leaves the portal and Practice Direction 8B applies outside it.",
    "An exit through the Exit function in Stage 2 counts both as an exit by its reason code and as a Stage 2 exit.",
    "Average settled damages are the damages agreed at settlement (each head after any contributory negligence deduction, plus interest), not what was paid.",
    "Figures are recorded when the events happen and are not changed when claims are later deleted under the retention policy.",
    "Only high-level figures are published: no figure about any organisation.",
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def previous_month(today: date) -> date:
    return add_months(month_start(today), -1)


# --------------------------------------------------------------------------------------------------
# Aggregation (one GROUP BY over the indexed facts)
# --------------------------------------------------------------------------------------------------

# (protocol, metric, reason) -> (count, amount)
Counts = dict[tuple[str, str, str], tuple[int, Decimal]]


def aggregate(first: date, last: date) -> dict[date, Counts]:
    """Per month from ``first`` to ``last`` (first days of months, inclusive): the facts counted by
    protocol, metric and reason, and their amounts summed."""
    # COUNT(*), not COUNT(id): with the amount in the index (``fact_month_covering``) the query reads
    # the index alone (an index-only scan), wherever the month's rows lie in the table.
    rows = (
        Fact.objects.filter(month__gte=first, month__lte=last)
        .values("month", "protocol", "metric", "reason")
        .annotate(count=Count("*"), amount=Sum("amount"))
        .order_by()
    )
    out: dict[date, Counts] = {}
    for row in rows:
        out.setdefault(row["month"], {})[(row["protocol"], row["metric"], row["reason"])] = (
            int(row["count"]),
            Decimal(row["amount"] or 0),
        )
    return out


def _figures_json(counts: Counts) -> list[dict[str, Any]]:
    return [
        {"protocol": p, "metric": m, "reason": r, "count": n, "amount": str(a)}
        for (p, m, r), (n, a) in sorted(counts.items())
    ]


def _counts_of(figures: Iterable[Mapping[str, Any]]) -> Counts:
    return {
        (f["protocol"], f["metric"], f["reason"]): (int(f["count"]), Decimal(f["amount"])) for f in figures
    }


# --------------------------------------------------------------------------------------------------
# The service section
# --------------------------------------------------------------------------------------------------


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=LONDON)
    nxt = add_months(month, 1)
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=LONDON)


def service_figures(month: date, *, until: datetime | None = None) -> dict[str, Any]:
    """Availability (the share of the month's minutes in which the product's own probe succeeded; a
    minute with no probe, the worker or the database down, counts as unavailable), response times of
    the requests served, and the organisations and users registered (enabled) now."""
    start, end = _month_bounds(month)
    if until is not None:
        end = min(end, until)
    # In UTC: two times of one zone subtract as wall-clock times (a DST change would be lost).
    minutes = max(int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60), 0)
    samples = ServiceSample.objects.filter(minute__gte=start, minute__lt=end)
    ok_minutes = samples.filter(probe_ok=True).values("minute").distinct().count()
    totals = samples.filter(probe_ok__isnull=True).aggregate(
        requests=Sum("requests"), errors=Sum("server_errors"), total=Sum("total_ms"), slow=Sum("over_second")
    )
    requests = int(totals["requests"] or 0)
    return {
        "availabilityPercent": round(100 * min(ok_minutes, minutes) / minutes, 2) if minutes else None,
        "minutes": minutes,
        "minutesAvailable": ok_minutes,
        "requests": requests,
        "serverErrors": int(totals["errors"] or 0),
        "averageResponseMs": round(int(totals["total"] or 0) / requests) if requests else None,
        "withinOneSecondPercent": (
            round(100 * (requests - int(totals["slow"] or 0)) / requests, 2) if requests else None
        ),
        "organisations": Organisation.objects.filter(enabled=True).count(),
        "users": User.objects.filter(is_enabled=True, is_active=True, organisation__isnull=False).count(),
    }


# --------------------------------------------------------------------------------------------------
# Publishing a month
# --------------------------------------------------------------------------------------------------


def news_title(month: date) -> str:
    return f"Executive Dashboard Management Information Now Available \u2013 {month:%B %Y}"


@transaction.atomic
def publish_month(month: date) -> PublishedMonth | None:
    """Publish ``month``'s figures and post the news item, dated now (real time); None if it was
    published already (a published month is never rewritten)."""
    month = month_start(month)
    if PublishedMonth.objects.filter(month=month).exists():
        return None
    now = clock.real_now()
    counts = aggregate(month, month).get(month, {})
    published = PublishedMonth.objects.create(
        month=month,
        published_at=now,
        figures=_figures_json(counts),
        service=service_figures(month, until=now),
    )
    news.publish(
        category=NewsItem.Category.MANAGEMENT_INFO,
        title=news_title(month),
        body=(
            f"The Executive Dashboard management information for {month:%B %Y} is now available: "
            "claims sent, exits, settlements and court packs per protocol, and the portal's service report."
        ),
    )
    return published


def publish_previous_month(now: datetime) -> int:
    """The monthly job: publish the month before ``now``'s (business clock), once. Returns 1 if it
    published, 0 if it had been published."""
    return 0 if publish_month(previous_month(now.astimezone(LONDON).date())) is None else 1


# --------------------------------------------------------------------------------------------------
# Reading: published months (public) and the live current month (operator)
# --------------------------------------------------------------------------------------------------


def published_counts(first: date, last: date) -> dict[date, Counts]:
    return {
        pm.month: _counts_of(pm.figures)
        for pm in PublishedMonth.objects.filter(month__gte=first, month__lte=last).only("month", "figures")
    }


def published_years() -> list[int]:
    return sorted({d.year for d in PublishedMonth.objects.values_list("month", flat=True)}, reverse=True)


@dataclass
class Row:
    measure: Measure
    month: dict[str, Decimal | int | None] = field(default_factory=dict)
    rolling: dict[str, Decimal | int | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        values = [*self.month.values(), *self.rolling.values()]
        return all(not v for v in values)


def _value(counts: Counts, protocol: str, measure: Measure) -> int | Decimal | None:
    if measure.metric == AVERAGE:
        n, amount = counts.get((protocol, M.SETTLED, ""), (0, Decimal(0)))
        return (amount / n).quantize(Decimal("0.01")) if n else None
    return counts.get((protocol, measure.metric, measure.reason), (0, Decimal(0)))[0]


def _summed(months: Sequence[Counts]) -> Counts:
    total: Counts = {}
    for counts in months:
        for key, (n, amount) in counts.items():
            was = total.get(key, (0, Decimal(0)))
            total[key] = (was[0] + n, was[1] + amount)
    return total


def month_table(month: date, by_month: Mapping[date, Counts]) -> list[Row]:
    """Every measure for ``month`` and the 12 months to it, per protocol, from ``by_month``."""
    this = by_month.get(month, {})
    window = _summed([by_month.get(add_months(month, -i), {}) for i in range(12)])
    rows = []
    for measure in MEASURES:
        row = Row(measure)
        for protocol in PROTOCOLS:
            row.month[protocol] = _value(this, protocol, measure)
            row.rolling[protocol] = _value(window, protocol, measure)
        rows.append(row)
    return rows


def live_counts(first: date, last: date) -> dict[date, Counts]:
    """Per month: the published figures where the month is published, else counted from the facts
    (only the months not yet published are aggregated: usually just the current one)."""
    by_month = published_counts(first, last)
    missing = [m for m in months_between(first, last) if m not in by_month]
    if missing:
        counted = aggregate(min(missing), max(missing))
        by_month.update({m: counted.get(m, {}) for m in missing})
    return by_month


def month_rows(month: date, *, live: bool = False) -> list[Row]:
    """The table of ``month``: from its published figures (and the 11 published months before it), or
    live (the operator's view of the current month: the months not yet published from the facts)."""
    first = add_months(month, -11)
    by_month = live_counts(first, month) if live else published_counts(first, month)
    return month_table(month, by_month)


def year_series(year: int, metric: str, reason: str = "") -> dict[str, list[int]]:
    """Per protocol, the published figure of each month of ``year`` (0 for a month not published)."""
    by_month = published_counts(date(year, 1, 1), date(year, 12, 1))
    return {
        protocol: [
            by_month.get(date(year, m, 1), {}).get((protocol, metric, reason), (0, Decimal(0)))[0]
            for m in range(1, 13)
        ]
        for protocol in PROTOCOLS
    }


def csv_text(months: Sequence[date], *, live: bool = False) -> str:
    """One line per month, measure and protocol: the month's figure and the rolling 12-month total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["month", "protocol", "measure", "reason", "label", "value", "rolling12Months"])
    if not months:
        return out.getvalue()
    first, last = add_months(min(months), -11), max(months)
    by_month = live_counts(first, last) if live else published_counts(first, last)
    for month in sorted(months):
        for row in month_table(month, by_month):
            for protocol in PROTOCOLS:
                value, rolling = row.month[protocol], row.rolling[protocol]
                writer.writerow(
                    [
                        f"{month:%Y-%m}",
                        protocol,
                        row.measure.metric,
                        row.measure.reason,
                        row.measure.label,
                        "" if value is None else value,
                        "" if rolling is None else rolling,
                    ]
                )
    return out.getvalue()


def published_months(year: int) -> list[PublishedMonth]:
    return list(PublishedMonth.objects.filter(month__year=year).order_by("month"))


def current_month(now: datetime | None = None) -> date:
    return month_start((now or clock.now()).astimezone(LONDON).date())


def months_between(first: date, last: date) -> list[date]:
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out
