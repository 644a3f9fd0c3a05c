"""What the portal publishes, in the browser: the Executive Dashboard (year → month drill-down, the
charts, the tables) and the news without signing in; a maintenance window announced on the sign-in
page, the maintenance page during it, the portal back after it. Every page passes axe-core."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import User
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import figures, maintenance
from claimsportal.publishing.models import Fact
from tests.browser.conftest import BROWSER_TESTS, check_page
from tests.conftest import World

pytestmark = BROWSER_TESTS


def test_anyone_drills_down_from_the_year_to_a_month_and_reads_the_news(
    world: World, clock: FixedClock, page: Page
) -> None:
    march = date(2026, 2, 1)
    Fact.objects.bulk_create(
        [Fact(month=march, protocol="RTA", metric="CNF_SENT") for _ in range(7)]
        + [Fact(month=march, protocol="EL", metric="CNF_SENT") for _ in range(3)]
        + [Fact(month=march, protocol="RTA", metric="SETTLED", amount="2500.00")]
        + [Fact(month=march, protocol="PL", metric="EXIT", reason="6")]
    )
    assert figures.publish_month(march) is not None
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Management information for 2026")
    expect(
        page.get_by_role("img", name="CNFs sent to compensators in 2026, by month and protocol")
    ).to_be_visible()
    check_page(page, "dashboard-year")
    page.get_by_role("link", name="February 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Management information for February 2026")
    expect(page.get_by_role("table")).to_contain_text("Exit function: Duplicate claim")
    check_page(page, "dashboard-month")
    page.goto("/news/")
    page.get_by_role(
        "link", name="Executive Dashboard Management Information Now Available \u2013 February 2026"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("February 2026")
    check_page(page, "news-item")
    page.goto("/news/")
    check_page(page, "news")


def test_a_maintenance_window_is_announced_then_shown_then_over(
    world: World, clock: FixedClock, page: Page
) -> None:
    User.objects.filter(user_id="cr.admin").update(is_operator=True)
    operator = User.objects.get(user_id="cr.admin")
    start = datetime(2026, 3, 7, 5, 0, tzinfo=LONDON)
    maintenance.schedule(
        starts_at=start,
        ends_at=start + timedelta(hours=14),
        message="Production upgrade.",
        web=True,
        a2a=True,
        by=operator,
    )
    page.goto("/login/")
    expect(page.get_by_role("region", name="Scheduled maintenance")).to_contain_text(
        "Saturday 7 March 2026 at 05:00"
    )
    check_page(page, "maintenance-announced")
    clock.set(start + timedelta(hours=1))
    maintenance.invalidate()
    page.goto("/news/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Claims Portal is unavailable for scheduled maintenance"
    )
    check_page(page, "maintenance-page")
    clock.set(start + timedelta(hours=14))
    maintenance.invalidate()
    page.goto("/news/")
    expect(page.get_by_role("heading", level=1)).to_have_text("News and updates")


@pytest.fixture(autouse=True)
def _fresh_maintenance_cache() -> None:
    maintenance.invalidate()
