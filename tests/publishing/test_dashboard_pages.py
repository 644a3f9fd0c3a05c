"""The public Executive Dashboard (no sign-in): the monthly publication with its news item, years and
months, charts with text, tables and CSV, the caveats; the operator's live month; and never an
organisation's name or ID in any public output."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.jobs.portal_jobs import PORTAL_JOBS
from claimsportal.jobs.registry import JobContext
from claimsportal.organisations.models import Organisation
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import figures, service
from claimsportal.publishing.models import NewsItem, PublishedMonth, ServiceSample
from tests.conftest import World
from tests.publishing.test_facts import MARCH, generate_history

pytestmark = pytest.mark.django_db


def run_job(name: str, now: datetime) -> dict[str, object]:
    return PORTAL_JOBS.get(name).run(JobContext(now=now))


def test_the_monthly_job_publishes_the_previous_month_once_with_its_news_item(
    world: World, clock: FixedClock
) -> None:
    generate_history(world, clock)
    clock.set(datetime(2026, 4, 15, 4, 0, tzinfo=LONDON))
    assert run_job("executive-dashboard", clock.now()) == {"monthsPublished": 1}
    assert run_job("executive-dashboard", clock.now()) == {"monthsPublished": 0}
    published = PublishedMonth.objects.get()
    assert published.month == MARCH
    counts = {(f["protocol"], f["metric"], f["reason"]): f["count"] for f in published.figures}
    assert counts[("RTA", "CNF_SENT", "")] == 6
    assert ("RTA", "STAGE1_EXIT", "TIMEOUT") not in counts  # that happened in April
    item = NewsItem.objects.get()
    assert item.title == "Executive Dashboard Management Information Now Available \u2013 March 2026"
    assert item.category == NewsItem.Category.MANAGEMENT_INFO
    assert published.service["organisations"] == Organisation.objects.filter(enabled=True).count()


def test_the_service_report_counts_probes_and_request_times(world: World, clock: FixedClock) -> None:
    clock.set(datetime(2026, 3, 31, 23, 0, tzinfo=LONDON))  # the month's last hour
    for minute in range(50):
        assert service.probe(datetime(2026, 3, 31, 23, minute, tzinfo=LONDON))
    service.write(service.Minute(datetime(2026, 3, 31, 23, 1, tzinfo=LONDON), 4, 0, 2000, 1500, 1))
    clock.set(datetime(2026, 4, 1, 0, 0, tzinfo=LONDON))
    report = figures.service_figures(MARCH, until=datetime(2026, 4, 1, 0, 0, tzinfo=LONDON))
    minutes = 31 * 24 * 60 - 60  # the clocks went forward on 29 March
    assert report["minutes"] == minutes
    assert report["minutesAvailable"] == 50
    assert report["availabilityPercent"] == round(100 * 50 / minutes, 2)
    assert (report["requests"], report["averageResponseMs"], report["withinOneSecondPercent"]) == (
        4,
        500,
        75.0,
    )


def test_requests_are_timed_per_minute_and_written_when_the_minute_is_over(
    world: World, clock: FixedClock
) -> None:
    client = Client()
    assert client.get("/news/").status_code == 200
    assert client.get("/news/").status_code == 200
    assert not ServiceSample.objects.exists()
    clock.advance(datetime(2026, 3, 2, 10, 1, tzinfo=LONDON) - clock.now())
    client.get("/news/")
    sample = ServiceSample.objects.get()
    assert (sample.minute, sample.requests, sample.probe_ok) == (
        datetime(2026, 3, 2, 10, 0, tzinfo=LONDON),
        2,
        None,
    )


@pytest.fixture
def published(world: World, clock: FixedClock) -> PublishedMonth:
    generate_history(world, clock)
    result = figures.publish_month(MARCH)
    assert result is not None
    return result


def public_outputs(client: Client) -> dict[str, str]:
    paths = [
        "/dashboard/2026/",
        "/dashboard/2026/3/",
        "/dashboard/2026.csv",
        "/dashboard/2026/3.csv",
        "/news/",
        "/news/feed.atom",
        f"/news/{NewsItem.objects.get().pk}/",
    ]
    out = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        out[path] = response.content.decode()
    return out


def test_the_public_dashboard_needs_no_sign_in_and_never_names_an_organisation(
    world: World, published: PublishedMonth
) -> None:
    client = Client()
    assert client.get("/dashboard/").headers["Location"] == "/dashboard/2026/"
    outputs = public_outputs(client)
    for organisation in Organisation.objects.all():
        for path, text in outputs.items():
            assert organisation.name not in text, path
            assert organisation.org_id not in text, path
    year = outputs["/dashboard/2026/"]
    assert 'role="img"' in year and "CNFs sent to compensators in 2026, by month and protocol" in year
    assert "RTA: 6 in total" in year  # the chart's text description
    assert 'href="/dashboard/2026/3/"' in year
    month = outputs["/dashboard/2026/3/"]
    assert "Management information for March 2026" in month
    assert "Stage 1 exits: liability denied" in month
    assert "Exit function: Duplicate claim" in month
    assert "Claims Portal service report" in month
    assert "CNFs sent include duplicates" in month  # the caveats
    rows = list(csv.DictReader(io.StringIO(outputs["/dashboard/2026/3.csv"])))
    sent = next(r for r in rows if (r["protocol"], r["measure"]) == ("RTA", "CNF_SENT"))
    assert (sent["month"], sent["value"], sent["rolling12Months"]) == ("2026-03", "6", "6")
    average = next(r for r in rows if (r["protocol"], r["measure"]) == ("EL", figures.AVERAGE))
    assert average["value"] == "3500.00"
    assert "Executive Dashboard Management Information Now Available" in outputs["/news/feed.atom"]


def test_an_unpublished_month_is_not_public(world: World, published: PublishedMonth) -> None:
    client = Client()
    assert client.get("/dashboard/2026/4/").status_code == 404
    assert client.get("/dashboard/2026/4.csv").status_code == 404
    assert client.get("/dashboard/2025/").status_code == 404
    assert client.get("/dashboard/2026/13/").status_code == 404


def test_the_operator_sees_the_current_month_live(
    world: World, clock: FixedClock, operator_client: Client
) -> None:
    generate_history(world, clock)  # ends in April 2026
    response = operator_client.get("/console/dashboard/")
    assert response.status_code == 200
    assert "Figures for April 2026 so far" in response.content.decode()
    rows = list(csv.DictReader(io.StringIO(operator_client.get("/console/dashboard.csv").content.decode())))
    timeout = next(
        r for r in rows if (r["protocol"], r["measure"], r["reason"]) == ("RTA", "STAGE1_EXIT", "TIMEOUT")
    )
    assert timeout["value"] == "1"
    assert Client().get("/console/dashboard/").status_code == 302  # sign in first


def test_months_before_the_first_fact_are_empty_not_an_error(db: None, clock: FixedClock) -> None:
    assert Client().get("/dashboard/").status_code == 200
    rows = figures.month_rows(date(2026, 1, 1), live=True)
    assert all(row.empty for row in rows)
