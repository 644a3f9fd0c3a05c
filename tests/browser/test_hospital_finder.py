"""The NHS hospital finder in the browser: beside a hospital of the CNF's medical section, a claim handler
finds Leeds General Infirmary by keyboard, fills the hospital in with one button and saves the section;
without JavaScript the same block is a link to the search page (a new tab), which lists the sites."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from claimsportal.claims import drafts
from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim
from claimsportal.reference.hospitals import DEMO_SITES_FILE, import_ods_sites
from claimsportal.web.claims.hospitals import NO_HOSPITAL_CRITERIA
from tests.browser.conftest import BROWSER_TESTS, PASSWORD, check_page
from tests.browser.test_claim_journeys import shot, sign_in_as
from tests.conftest import World

pytestmark = BROWSER_TESTS

HOSPITAL = "cnf.medicalDetails.hospital.0"
FINDER = "#f-cnf-medicalDetails-hospital-0-finder"


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    """No one-time code at sign-in (training mode)."""
    settings.CLAIMSPORTAL_MODE = "training"


@pytest.fixture
def draft(world: World) -> str:
    """An RTA draft of cr.handler's firm, with the 36 demo NHS sites loaded."""
    import_ods_sites(DEMO_SITES_FILE)
    info = drafts.create_draft(world.actor(world.cr_handler), "RTA")
    return format_application_id(info.application_id)


def _field(page: Page, name: str) -> Any:
    return page.locator(f'[name="{HOSPITAL}.{name}"]')


def test_the_finder_fills_in_an_nhs_hospital_and_the_section_saves_it(draft: str, page: Page) -> None:
    sign_in_as(page, "cr.handler")
    section_url = f"/work/drafts/{draft}/sections/medicalDetails/medical-attention/"
    page.goto(section_url)
    shot(page)
    page.get_by_role("button", name="Add hospital").click()
    expect(page.get_by_role("group", name="Hospital 1")).to_be_visible()

    # With JavaScript the link to the search page gives way to a button that opens the finder here.
    expect(page.get_by_role("link", name=re.compile(r"^Find an NHS hospital"))).to_have_count(0)
    toggle = page.get_by_role("button", name="Find an NHS hospital for hospital 1")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator(FINDER)).to_be_hidden()
    check_page(page, "hospital-finder-closed")

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    finder = page.locator(FINDER)
    name = finder.get_by_label("Hospital name")
    expect(name).to_be_focused()

    # Neither criterion: the search's own message, announced and beside the inputs.
    page.keyboard.press("Enter")
    expect(finder.locator("[data-finder-error]")).to_have_text(f"Error: {NO_HOSPITAL_CRITERIA}")
    expect(finder.get_by_role("status")).to_have_text(NO_HOSPITAL_CRITERIA)
    expect(name).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    expect(page).to_have_url(re.compile(re.escape(section_url) + "$"))  # Enter searched, sent nothing
    check_page(page, "hospital-finder-error")

    name.fill("general leeds")
    name.press("Enter")
    expect(finder.get_by_role("status")).to_have_text("1 NHS hospital found")
    expect(finder.locator("[data-finder-error]")).to_be_hidden()
    expect(finder.get_by_role("listitem")).to_have_count(1)
    expect(finder.get_by_role("listitem")).to_contain_text(
        "LEEDS GENERAL INFIRMARY GREAT GEORGE STREET, LEEDS, WEST YORKSHIRE, LS1 3EX", use_inner_text=True
    )
    check_page(page, "hospital-finder-results")

    finder.get_by_label("Postcode").fill("LS9")  # a second search replaces the first
    name.fill("")
    name.press("Enter")
    expect(finder.get_by_role("status")).to_have_text("1 NHS hospital found")
    expect(finder.get_by_role("listitem")).to_contain_text("ST JAMES'S UNIVERSITY HOSPITAL")
    finder.get_by_label("Postcode").fill("")
    name.fill("leeds general")
    finder.get_by_role("button", name="Search NHS hospitals").click()
    use = finder.get_by_role("button", name="Use this hospital (LEEDS GENERAL INFIRMARY, LS1 3EX)")
    use.focus()
    page.keyboard.press("Enter")

    expect(finder).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(_field(page, "hospitalName")).to_have_value("LEEDS GENERAL INFIRMARY")
    expect(_field(page, "hospitalName")).to_be_focused()
    expect(_field(page, "hospitalAddress.addressLine1")).to_have_value("GREAT GEORGE STREET")
    expect(_field(page, "hospitalAddress.addressLine2")).to_have_value("LEEDS")
    expect(_field(page, "hospitalAddress.addressLine3")).to_have_value("WEST YORKSHIRE")
    expect(_field(page, "hospitalAddress.addressLine4")).to_have_value("")
    expect(_field(page, "postCode")).to_have_value("LS1 3EX")
    expect(page.locator(f'[name="{HOSPITAL}.hospitalType"][value="0"]')).to_be_checked()
    expect(page.locator("#f-cnf-medicalDetails-hospital-0-finder-done")).to_have_text(
        "LEEDS GENERAL INFIRMARY, LS1 3EX, filled in as an NHS hospital. Check the details before you save."
    )
    check_page(page, "hospital-finder-filled")

    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    cnf = Claim.objects.get(pk=int(draft)).cnf
    assert isinstance(cnf, dict)
    assert cnf["medicalDetails"]["hospital"] == [
        {
            "hospitalType": "0",
            "hospitalName": "LEEDS GENERAL INFIRMARY",
            "postCode": "LS1 3EX",
            "hospitalAddress": {
                "addressLine1": "GREAT GEORGE STREET",
                "addressLine2": "LEEDS",
                "addressLine3": "WEST YORKSHIRE",
            },
        }
    ]


def test_the_search_page_works_on_its_own(draft: str, page: Page) -> None:
    sign_in_as(page, "cr.handler")
    page.goto("/work/hospitals/")
    check_page(page, "hospital-search")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_title(re.compile(r"^Error: Find an NHS hospital"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    check_page(page, "hospital-search-error")
    summary.get_by_role("link", name=NO_HOSPITAL_CRITERIA).click()
    expect(page.get_by_label("Hospital name")).to_be_focused()
    page.get_by_label("Postcode").fill("sw17")
    page.get_by_role("button", name="Search").click()
    table = page.get_by_role("table", name="1 NHS hospital found")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("ST GEORGE'S HOSPITAL BLACKSHAW ROAD, TOOTING, LONDON SW17 0QT")
    check_page(page, "hospital-search-results")


def test_without_javascript_the_finder_is_a_link_to_the_search_page_in_a_new_tab(
    world: World, draft: str, browser: Browser, live_server: LiveServer
) -> None:
    actor = world.actor(world.cr_handler)
    guid = Claim.objects.get(pk=int(draft)).activity_guid
    drafts.update_draft(
        actor, draft, guid, sections={"medicalDetails": {"hospital": [{"hospitalType": "1"}]}}
    )
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("User ID").fill("cr.handler")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
        page.goto(f"/work/drafts/{draft}/sections/medicalDetails/medical-attention/")
        expect(page.get_by_role("button", name=re.compile(r"^Find an NHS hospital"))).to_be_hidden()
        link = page.get_by_role("link", name="Find an NHS hospital for hospital 1 (opens in new tab)")
        expect(link).to_be_visible()
        expect(page.locator(FINDER)).to_be_hidden()
        with context.expect_page() as opened:
            link.click()
        search = opened.value
        search.wait_for_load_state()
        expect(search.get_by_role("heading", level=1)).to_have_text("Find an NHS hospital")
        search.get_by_label("Hospital name").fill("leeds general")
        search.get_by_role("button", name="Search").click()
        expect(search.get_by_role("table", name="1 NHS hospital found")).to_contain_text(
            "LEEDS GENERAL INFIRMARY GREAT GEORGE STREET, LEEDS, WEST YORKSHIRE LS1 3EX"
        )
        expect(page.locator(f'[name="{HOSPITAL}.hospitalType"][value="1"]')).to_be_checked()  # untouched
    finally:
        context.close()
