"""A claims transfer in the browser: the claimant firm's Administrator asks for it (the errors first),
the other firm's Administrator agrees, the operator approves and schedules it; every page is checked
with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.transfers.models import Transfer
from tests.browser.conftest import BROWSER_TESTS, check_page
from tests.browser.test_console import SAVED, make_operator, sign_in_to_administration
from tests.conftest import World, make_user, send_claim
from tests.transfers.conftest import working_days_on

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"  # no code (the sign-in tests have the live mode)


def fill_date(page: Page, days: int) -> None:
    when = working_days_on(days)
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))


def test_a_transfer_is_asked_for_agreed_and_approved_in_the_consoles(world: World, page: Page) -> None:
    send_claim(world)
    make_user(world.other_cr, "other.admin", "ADMINISTRATOR")
    make_operator(world)

    sign_in_to_administration(page, "cr.admin")
    page.get_by_role("link", name="Claims transfers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims transfers")
    check_page(page, "console-transfers")
    page.get_by_role("button", name="Ask for a transfer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a claims transfer")
    check_page(page, "console-transfer-new")
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the other organisation's ID")
    check_page(page, "console-transfer-new-errors")

    page.get_by_label("The other organisation's ID").fill(world.other_cr.org_id)
    page.get_by_role("button", name="Find the organisation of this ID").click()
    expect(page.get_by_role("status")).to_contain_text("The other organisation: Other Firm")
    page.get_by_label("All active claims").check()
    fill_date(page, 5)
    page.get_by_label("Sending organisation's primary contact: name").fill("Sam Sender")
    page.get_by_label("Sending organisation's primary contact: e-mail address").fill("sam@claimant.example")
    page.get_by_label("Sending organisation's primary contact: telephone").fill("0113 496 0001")
    page.get_by_label("Receiving organisation's primary contact: name").fill("Rita Receiver")
    page.get_by_label("Receiving organisation's primary contact: e-mail address").fill("rita@other.example")
    page.get_by_label("Receiving organisation's primary contact: telephone").fill("0113 496 0002")
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.get_by_role("alert")).to_contain_text(SAVED)
    # The reference comes from the table's sequence, which PostgreSQL does not reset between tests.
    reference = Transfer.objects.get().reference
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("1 claim would move")
    check_page(page, "console-transfer")

    page.context.clear_cookies()
    sign_in_to_administration(page, "other.admin")
    page.goto(f"/console/transfers/{reference}/")
    page.get_by_role("button", name="Agree to the transfer").click()
    expect(page.get_by_role("alert")).to_contain_text(SAVED)
    check_page(page, "console-transfer-agreed")

    page.context.clear_cookies()
    sign_in_to_administration(page, "portal.operator")
    page.get_by_role("link", name="Claims transfers").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Approve and schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve and schedule the transfer")
    check_page(page, "console-transfer-approve")
    fill_date(page, 6)
    page.get_by_role("button", name="Approve and schedule").click()
    expect(page.get_by_role("alert")).to_contain_text(SAVED)
    check_page(page, "console-transfer-approved")
    assert Transfer.objects.get().status == Transfer.Status.APPROVED
