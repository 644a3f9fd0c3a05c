"""A person's first steps in the browser: sign in, the worklist, a claim, sign out; and the refusals."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.claims.acting import format_application_id
from tests.browser.conftest import BROWSER_TESTS, PASSWORD, check_page, sign_in
from tests.conftest import World, send_claim, step

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    """No e-mailed sign-in code (live mode's, tested in test_account_sign_in.py)."""
    settings.CLAIMSPORTAL_MODE = "training"


def test_claim_handler_signs_in_works_from_the_worklist_and_signs_out(world: World, page: Page) -> None:
    waiting = send_claim(world, surname="Okafor")
    locked = step(world, world.comp_handler, send_claim(world, surname="Lindqvist"), "lockClaim")
    waiting_id = format_application_id(waiting.application_id)
    locked_id = format_application_id(locked.application_id)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_page(page, "sign-in")

    page.get_by_label("User ID").fill("comp.handler")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    expect(page.get_by_role("banner")).to_contain_text("Signed in as comp.handler, Insurer plc")
    locked_to_me = page.get_by_role("table", name="Locked to me")
    others = page.get_by_role("table", name="Other activities")
    expect(locked_to_me.get_by_role("row").filter(has_text=locked_id)).to_contain_text("Lindqvist")
    row = others.get_by_role("row").filter(has_text=waiting_id)
    expect(row).to_contain_text("Okafor")
    expect(row).to_contain_text("REF-Okafor")
    expect(row).to_contain_text("CNF Submitted")
    # Sent Monday 2 March 2026: 15 business days end on Monday 23 March, so 15 are left today.
    expect(row).to_contain_text("24 March 2026 (15 business days left)")
    expect(others).not_to_contain_text("Lindqvist")
    check_page(page, "worklist")
    page.set_viewport_size({"width": 320, "height": 800})  # WCAG 1.4.10: no sideways scrolling at 320px
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_page(page, "worklist-320px")
    page.set_viewport_size({"width": 1280, "height": 800})

    locked_to_me.get_by_role("link", name=locked_id).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {locked_id}")
    summary = page.locator(".govuk-summary-list").first  # the claim summary, before the stored forms
    expect(summary).to_contain_text("Lindqvist")
    expect(summary).to_contain_text("Claimant Firm LLP")
    expect(summary).to_contain_text("Insurer plc")
    expect(summary).to_contain_text("Locked to you")
    history = page.get_by_role("table", name="Process history")
    expect(history.get_by_role("row").filter(has_text="Sent the claim notification form")).to_contain_text(
        "cr.handler"
    )
    expect(history.get_by_role("row").filter(has_text="Locked the claim")).to_contain_text("comp.handler")
    check_page(page, "claim")

    page.get_by_role("link", name="Back to worklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("You have signed out.")
    check_page(page, "signed-out")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_a_claim_of_another_organisation_is_not_found(world: World, page: Page) -> None:
    info = send_claim(world)
    sign_in(page, "other.handler")
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    response = page.goto(f"/claims/{format_application_id(info.application_id)}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "claim-not-found")


def test_wrong_password_shows_the_error_summary_linked_to_the_field(world: World, page: Page) -> None:
    sign_in(page, "comp.handler", password="not the password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JavaScript moves focus to the summary
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Login failed")).to_have_attribute("href", "#id_username")
    expect(page.locator("#id_username-error")).to_have_text("Error: Login failed")
    expect(page.get_by_label("User ID")).to_have_value("comp.handler")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    check_page(page, "sign-in-wrong-password")

    page.get_by_label("User ID").fill("")
    page.get_by_role("button", name="Sign in").click()
    expect(summary.get_by_role("link", name="Enter your user ID")).to_have_attribute("href", "#id_username")
    expect(summary.get_by_role("link", name="Enter your password")).to_have_attribute("href", "#id_password")
    check_page(page, "sign-in-blank")
