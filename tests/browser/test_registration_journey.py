"""Issue #7's journey, in live mode (MFA codes read from a real SMTP sink): an organisation registers
online → the operator approves it → the new Administrator sets a password with the welcome code and
signs in with an e-mailed code → creates a claim handler → the handler signs in (code, then the
first-sign-in password change) and reaches the worklist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.core.models import AuditEntry
from claimsportal.organisations.models import User
from tests.browser.conftest import BROWSER_TESTS, PASSWORD, check_page
from tests.browser.test_console import make_operator, register_online
from tests.conftest import World
from tests.web.smtp_sink import SmtpSink, running_smtp_sink

pytestmark = BROWSER_TESTS

ADMIN_PASSWORD = "Northern-Claims-2026!"
HANDLER_PASSWORD = "Handler-Claims-2026!x"


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    with running_smtp_sink(settings) as sink:
        yield sink


@pytest.fixture(autouse=True)
def _live(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "live"


def sign_in_with_code(
    page: Page, sink: SmtpSink, user_id: str, password: str, section: str, email: str
) -> None:
    page.goto("/login/")
    page.get_by_label("User ID").fill(user_id)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Section").select_option(label=section)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    page.get_by_label("Code").fill(sink.last_code(email))
    page.get_by_role("button", name="Continue").click()


def test_registration_to_a_handler_signing_in(world: World, page: Page, smtp_sink: SmtpSink) -> None:
    make_operator(world)
    register_online(page)

    sign_in_with_code(page, smtp_sink, "portal.operator", PASSWORD, "Administration", "op@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Operator's console")
    page.get_by_role("link", name="Registration applications").click()
    page.get_by_role("link", name="REG-000001").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert")).to_contain_text("Northern Claims Solicitors LLP is now CR00003")
    page.get_by_role("button", name="Sign out").click()

    # The welcome e-mail: the user ID and a code to set the first password.
    welcome = smtp_sink.last_code("asha.patel@northernclaims.example")
    page.goto("/login/")
    page.get_by_role("link", name="Forgotten your password or first sign-in?").click()
    page.goto("/account/reset/code/")
    page.get_by_label("User ID").fill("nc.admin")
    page.get_by_label("Verification code").fill(welcome)
    page.get_by_label("New password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Confirm new password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password has been set.")).to_be_visible()
    check_page(page, "journey-admin-password-set")

    sign_in_with_code(
        page, smtp_sink, "nc.admin", ADMIN_PASSWORD, "Administration", "asha.patel@northernclaims.example"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration console")
    check_page(page, "journey-admin-console")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Create a new user").click()
    page.get_by_label("User ID").fill("nc.handler")
    page.get_by_label("First name").fill("Tom")
    page.get_by_label("Last name").fill("Reed")
    page.get_by_label("MFA e-mail address").fill("tom.reed@northernclaims.example")
    page.get_by_label("RTA Claim Handler").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("User nc.handler created")
    issued = page.locator("#issued-password").inner_text().strip()
    check_page(page, "journey-handler-created")
    page.get_by_role("button", name="Sign out").click()

    sign_in_with_code(
        page, smtp_sink, "nc.handler", issued, "Claims Portal", "tom.reed@northernclaims.example"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has expired")
    page.get_by_label("Current password").fill(issued)
    page.get_by_label("New password", exact=True).fill(HANDLER_PASSWORD)
    page.get_by_label("Confirm new password").fill(HANDLER_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    expect(page.get_by_role("banner")).to_contain_text("Signed in as nc.handler")
    check_page(page, "journey-handler-worklist")

    handler = User.objects.get(user_id="nc.handler")
    assert handler.last_login is not None and not handler.must_change_password
    created = AuditEntry.objects.get(action="user.created", target="nc.handler")
    assert created.actor_user_id_text == "nc.admin" and created.organisation == handler.organisation
