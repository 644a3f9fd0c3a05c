"""Help for anyone stuck at sign-in, in the browser: a sign-in error leads to its entry in the
troubleshooting guide; "Resend my user ID" e-mails an Administrator's user ID and says the same for
an unknown address; the contact form's message reaches the operator's queue. Every page passes
axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import BROWSER_TESTS, PASSWORD, check_page
from tests.browser.test_console import make_operator
from tests.conftest import World

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"


def test_a_sign_in_error_leads_to_the_guide_then_the_user_id_then_the_helpdesk(
    world: World, page: Page
) -> None:
    page.goto("/login/")
    page.get_by_label("User ID").fill("cr.admin")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Login failed")
    check_page(page, "help-sign-in-error")
    page.get_by_role("link", name="What this message means and what to do").click()
    expect(page).to_have_url("/help/sign-in/#login-failed")
    expect(page.locator("#login-failed")).to_have_text("“Login failed”")
    check_page(page, "help-guide")

    page.get_by_role("link", name="Forgotten your user ID? Get it by e-mail").click()
    page.get_by_role("button", name="Send my user ID").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your e-mail address")
    check_page(page, "help-user-id-error")
    page.get_by_label("E-mail address").fill("cr.admin@example.org")
    page.get_by_role("button", name="Send my user ID").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("If that e-mail address belongs")
    check_page(page, "help-user-id-sent")
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_role("button", name="Send my user ID").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("If that e-mail address belongs")
    assert [m.to for m in mail.outbox] == [["cr.admin@example.org"]]
    assert "cr.admin" in mail.outbox[0].body

    page.goto("/help/sign-in/")
    page.get_by_role("link", name="Still stuck? Contact the helpdesk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact the helpdesk")
    expect(page.locator("main")).to_contain_text("Monday to Friday")
    page.get_by_label("Your name").fill("Chris Admin")
    page.get_by_label("Your e-mail address").fill("cr.admin@example.org")
    page.get_by_label("Administrator", exact=True).check()
    page.get_by_label("Administration", exact=True).check()
    page.get_by_label("The exact message you saw").fill("Login failed")
    page.get_by_label("What is the problem?").fill("I typed my password three times and it is refused.")
    check_page(page, "help-contact")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Message sent")
    expect(page.locator("main")).to_contain_text("by Monday 9 March 2026")
    check_page(page, "help-contact-sent")

    make_operator(world)
    page.goto("/login/")
    page.get_by_label("User ID").fill("portal.operator")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Section").select_option(label="Administration")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Helpdesk messages").click()
    expect(page.locator("main")).to_contain_text("I typed my password three times")
    expect(page.locator("main")).to_contain_text("Reply by")
    check_page(page, "help-operator-queue")
    page.get_by_role("button", name="Mark as answered").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("marked as answered")
    expect(page.locator("main")).to_contain_text("No message is waiting")
    check_page(page, "help-operator-queue-empty")
