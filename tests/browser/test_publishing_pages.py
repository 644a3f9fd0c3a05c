"""What the portal publishes, in the browser: the Executive Dashboard (year → month drill-down, the
charts, the tables) and the news without signing in; a maintenance window announced on the sign-in
page, the maintenance page during it, the portal back after it. Every page passes axe-core."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.core.clock import FixedClock
from claimsportal.organisations.directory import add_insurer_index_entry
from claimsportal.organisations.models import User
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import figures, insurer_index, maintenance, xlsx
from claimsportal.publishing.models import Fact
from tests.browser.conftest import BROWSER_TESTS, check_page
from tests.browser.test_console import make_operator, sign_in_to_administration
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


def test_the_operator_uploads_an_xlsx_index_checks_the_differences_and_publishes_it(
    world: World, clock: FixedClock, page: Page, settings: Any, tmp_path: Path
) -> None:
    settings.CLAIMSPORTAL_MODE = "training"  # no one-time code at sign-in
    add_insurer_index_entry(insurer_name="Acme Insurance", org_id=world.comp.org_id, compensator_type="I")
    make_operator(world)
    columns = list(insurer_index.COLUMNS)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx.write(
            [
                columns,
                ["II0001", "Acme", world.comp.org_id, "I", "Y"],
                ["II0001", "Again", world.comp.org_id, "I", "Y"],
            ]
        )
    )
    good = tmp_path / "new-index.xlsx"
    good.write_bytes(
        xlsx.write(
            [
                columns,
                ["II0001", "Acme Insurance", world.comp.org_id, "I", "Y"],
                ["II0002", "Brand Motor", world.tpa.org_id, "I", "Y"],
            ]
        )
    )
    sign_in_to_administration(page, "portal.operator")
    page.goto("/console/insurer-index/")
    expect(page.get_by_role("heading", level=1)).to_have_text("RTA Insurer Index")
    check_page(page, "console-insurer-index")
    page.get_by_label("The new Insurer Index (CSV or XLSX)").set_input_files(bad)
    page.get_by_role("button", name="Check the differences").click()
    expect(page.get_by_role("alert")).to_contain_text("row 3, insurerIndexId: II0001 is also on row 2")
    check_page(page, "console-insurer-index-errors")
    page.get_by_label("The new Insurer Index (CSV or XLSX)").set_input_files(good)
    page.get_by_role("button", name="Check the differences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Differences from v1")
    expect(page.get_by_role("table", name="Added (1)")).to_contain_text("Brand Motor")
    check_page(page, "console-insurer-index-check")
    page.get_by_role("button", name="Publish as v2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("RTA Insurer Index")
    expect(page.locator("main")).to_contain_text("Version 2 of the Insurer Index is published")
    page.goto("/insurer-index/")
    check_page(page, "insurer-index-versions")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX of version 2").click()
    saved = tmp_path / "downloaded.xlsx"
    download.value.save_as(saved)
    assert [cells[0] for _, cells in xlsx.read(saved.read_bytes())] == ["insurerIndexId", "II0001", "II0002"]
