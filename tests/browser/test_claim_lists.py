"""The pages around the claims: drafts (resume, delete), search, the notifications panel, the
worklist's sorting and filters, and a team leader's force unlock and allocation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim
from tests.browser.conftest import BROWSER_TESTS
from tests.browser.test_claim_journeys import shot, sign_in_as
from tests.conftest import World, send_claim, step

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"


def test_drafts_are_resumed_and_deleted_after_confirmation(world: World, page: Page) -> None:
    sign_in_as(page, "cr.handler")
    page.get_by_role("link", name="Start a new claim").click()
    page.get_by_label("Employers' liability, accident (EL)").check()
    page.get_by_role("button", name="Create the draft").click()
    number = page.url.rstrip("/").split("/")[-1]
    page.goto("/")
    page.get_by_role("link", name="Draft claims").click()
    row = page.get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("EL")
    shot(page, "drafts")
    row.get_by_role("link", name=f"Continue draft {number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claim Notification Form")
    shot(page)
    page.get_by_role("link", name="Delete this draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Are you sure you want to delete draft {number}?"
    )
    shot(page, "draft-delete")
    page.get_by_role("button", name="Delete the draft").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Draft {number} deleted")
    expect(page.get_by_text("You have no draft claims.")).to_be_visible()
    shot(page)
    assert not Claim.objects.filter(pk=int(number)).exists()


def test_search_notifications_and_worklist_sorting(world: World, page: Page) -> None:
    first = send_claim(world, surname="Okafor")
    send_claim(world, "PL", surname="Lindqvist")
    sign_in_as(page, "comp.handler")
    panel = page.locator(".cp-notifications")
    expect(panel.get_by_role("listitem")).to_have_count(2)
    others = page.get_by_role("table", name="Other activities")
    page.get_by_label("Claim type").select_option("PL")
    page.get_by_role("button", name="Apply filters").click()
    expect(others).to_contain_text("Lindqvist")
    expect(others).not_to_contain_text("Okafor")
    shot(page, "worklist-filtered")
    page.get_by_role("link", name="Clear filters").click()
    others.get_by_role("link", name="Application ID (sort)").click()
    expect(others.locator("th[aria-sort=ascending]")).to_contain_text("Application ID")
    others.get_by_role("link", name="Application ID (sort)").click()
    expect(others.locator("th[aria-sort=descending]")).to_contain_text("Application ID")
    expect(others.get_by_role("row").nth(1)).to_contain_text("Lindqvist")
    shot(page, "worklist-sorted")
    page.set_viewport_size({"width": 320, "height": 800})  # WCAG 1.4.10: no sideways scrolling at 320px
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    shot(page, "worklist-sorted-320px")
    page.goto(f"/claims/{format_application_id(first.application_id)}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    shot(page, "claim-320px")
    page.goto("/")
    page.set_viewport_size({"width": 1280, "height": 800})

    panel.get_by_role(
        "button", name=f"Delete notification about {format_application_id(first.application_id)}"
    ).click()
    expect(page.get_by_role("alert")).to_contain_text("Notification deleted")
    expect(panel.get_by_role("listitem")).to_have_count(1)
    shot(page)
    panel.get_by_role("link", name="Clear all notifications").click()
    shot(page, "notifications-clear")
    page.get_by_role("button", name="Clear all notifications").click()
    expect(page.locator(".cp-notifications")).to_contain_text("No notifications.")
    shot(page)

    page.get_by_role("link", name="Search claims").click()
    shot(page)
    page.get_by_label("Application ID").fill(str(first.application_id))  # without the leading zeros
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("table", name="Results")
    expect(results.get_by_role("row")).to_have_count(2)
    expect(results).to_contain_text("Okafor")
    shot(page, "search")
    page.get_by_label("Application ID").fill("")
    page.locator("#sentDateFrom-day").fill("31")
    page.locator("#sentDateFrom-month").fill("2")
    page.locator("#sentDateFrom-year").fill("2026")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Sent on or after: must be a real date")
    shot(page, "search-error")


def test_a_team_leader_force_unlocks_and_allocates(world: World, page: Page) -> None:
    info = step(world, world.comp_handler, send_claim(world, surname="Okafor"), "lockClaim")
    number = format_application_id(info.application_id)
    sign_in_as(page, "comp.leader")
    page.goto(f"/claims/{number}/")
    summary = page.locator(".govuk-summary-list").first
    expect(summary).to_contain_text("Locked to comp.handler")
    page.get_by_role("button", name="Force unlock").click()
    expect(page.get_by_role("alert")).to_contain_text("The claim is unlocked")
    expect(summary).to_contain_text("Not locked")
    shot(page)
    page.get_by_role("link", name="Allocate to a user").click()
    page.get_by_label("comp.handler").check()
    shot(page, "allocate")
    page.get_by_role("button", name="Allocate to a user").click()
    expect(page.get_by_role("alert")).to_contain_text("The claim is allocated")
    expect(summary).to_contain_text("comp.handler")
    shot(page, "claim-allocated")
    page.get_by_role("button", name="Remove the allocation").click()
    expect(summary).to_contain_text("Nobody")
    shot(page)
