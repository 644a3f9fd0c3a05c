"""A GOV.UK conditional reveal of the CNF (derived from the forms' conditional rules): the other title
opens when the title "Other" is chosen, closes with another title, passes axe-core both ways; and
without JavaScript it is shown from the start."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from claimsportal.claims import drafts
from claimsportal.claims.acting import format_application_id
from tests.browser.conftest import BROWSER_TESTS, check_page, sign_in
from tests.browser.test_claim_journeys import sign_in_as
from tests.conftest import World

pytestmark = BROWSER_TESTS

AT = "cnf.claimAndClaimantDetails.claimantDetails.personalDetails"


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    """No one-time code at sign-in (training mode)."""
    settings.CLAIMSPORTAL_MODE = "training"


@pytest.fixture
def draft(world: World) -> str:
    info = drafts.create_draft(world.actor(world.cr_handler), "RTA")
    return format_application_id(info.application_id)


def test_the_other_title_opens_with_the_title_other(draft: str, page: Page) -> None:
    sign_in_as(page, "cr.handler")
    page.goto(f"/work/drafts/{draft}/sections/claimAndClaimantDetails/")
    other_title = page.locator(f'[name="{AT}.otherTitle"]')
    other = page.locator(f'[name="{AT}.titleType"][value="5"]')
    mr = page.locator(f'[name="{AT}.titleType"][value="1"]')
    expect(other_title).to_be_hidden()
    expect(other).not_to_have_attribute("aria-expanded", re.compile(".*"))  # ARIA allows none on a radio

    other.check()
    expect(other_title).to_be_visible()
    expect(other).not_to_have_attribute("aria-expanded", re.compile(".*"))
    check_page(page, "conditional-reveal-open")

    mr.check()
    expect(other_title).to_be_hidden()
    check_page(page, "conditional-reveal-closed")


def test_without_javascript_every_reveal_is_shown(
    draft: str, browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "cr.handler")
        page.goto(f"/work/drafts/{draft}/sections/claimAndClaimantDetails/")
        expect(page.locator(f'[name="{AT}.otherTitle"]')).to_be_visible()
    finally:
        context.close()
