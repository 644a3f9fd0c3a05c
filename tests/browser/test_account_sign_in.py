"""Signing in in the browser: the Section, the first sign-in's new password, the e-mailed code read
from a real SMTP server (live mode), an Administrator's user agreement; one's account, the
authenticator app, a team leader acting as another user, the forgotten-password pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.organisations import accounts
from claimsportal.organisations.models import User
from tests.browser.conftest import BROWSER_TESTS, PASSWORD, check_page
from tests.conftest import World
from tests.web.smtp_sink import SmtpSink, running_smtp_sink

pytestmark = BROWSER_TESTS

GOOD = "Claims-Portal-2026!x"


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    with running_smtp_sink(settings) as sink:
        yield sink


@pytest.fixture
def live(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "live"
    settings.CLAIMSPORTAL_PASSWORD_RULES = "2023"


@pytest.fixture
def training(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"


def fill_sign_in(page: Page, user_id: str, section: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("User ID").fill(user_id)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Section").select_option(label=section)
    page.get_by_role("button", name="Sign in").click()


def test_a_first_sign_in_in_live_mode_enters_the_e_mailed_code_then_changes_the_password(
    world: World, page: Page, live: None, smtp_sink: SmtpSink
) -> None:
    User.objects.filter(pk=world.cr_handler.pk).update(must_change_password=True)
    page.goto("/login/")
    expect(page.get_by_label("Section")).to_have_value("claims")
    check_page(page, "account-sign-in")

    fill_sign_in(page, "cr.handler", "Claims Portal")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    check_page(page, "account-code")
    page.get_by_label("Code").fill(smtp_sink.last_code("cr.handler@example.org"))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has expired")
    check_page(page, "account-password-expired")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("too-weak")
    page.get_by_label("Confirm new password").fill("too-weak")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("New password not set")
    expect(
        summary.get_by_role("link", name="The new password must be at least 12 characters long")
    ).to_have_attribute("href", "#id_new")
    expect(summary.get_by_role("link", name="The new password must contain a digit")).to_be_visible()
    check_page(page, "account-password-not-set")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(GOOD)
    page.get_by_label("Confirm new password").fill(GOOD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    expect(page.get_by_role("banner")).to_contain_text("Signed in as cr.handler")
    check_page(page, "account-signed-in-worklist")


def test_an_administrator_signs_in_to_administration_and_accepts_the_agreement(
    world: World, page: Page, live: None, smtp_sink: SmtpSink
) -> None:
    accounts.publish_agreement(
        version="2026-1",
        title="Claims Portal User Agreement",
        text="Each user has their own credentials.\n\nAdministrators disable leavers at once.",
    )
    fill_sign_in(page, "cr.admin", "Claims Portal")
    summary = page.locator(".govuk-error-summary")
    expect(
        summary.get_by_role(
            "link", name="Your profile can't grant you access to the Rapid Claim Settlement web site"
        )
    ).to_have_attribute("href", "#id_section")
    check_page(page, "account-sign-in-wrong-section")

    fill_sign_in(page, "cr.admin", "Administration")
    page.get_by_label("Code").fill(smtp_sink.last_code("cr.admin@example.org"))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept the user agreement")
    expect(page.locator("main")).to_contain_text("Administrators disable leavers at once.")
    page.get_by_role("button", name="I Accept").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the box")
    check_page(page, "account-agreement-error")
    page.get_by_label("I have read the user agreement and accept it on behalf of my organisation").check()
    page.get_by_role("button", name="I Accept").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration console")
    expect(page.get_by_role("alert")).to_contain_text(
        "Your change has been saved and logged for audit purposes."
    )
    check_page(page, "console-home-after-agreement")

    response = page.goto("/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You signed in to the Administration section")
    check_page(page, "account-wrong-section")


def test_a_team_leader_acts_as_a_handler_and_returns(world: World, page: Page, training: None) -> None:
    fill_sign_in(page, "cr.leader", "Claims Portal")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    check_page(page, "account-home")
    page.get_by_role("link", name="Sign in as another user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in as another user")
    check_page(page, "account-act-as")
    page.get_by_role("radio", name=re.compile(r"cr\.handler")).check()  # chosen from a list (one: a radio)
    page.get_by_role("button", name="Sign in as this user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    banner = page.get_by_role("region", name="Important").filter(has_text="You are acting as cr.handler")
    expect(banner).to_contain_text("return to your own account (cr.leader)")
    check_page(page, "account-acting-as")
    banner.get_by_role("button", name="Return to your own account").click()
    expect(page.get_by_role("banner")).to_contain_text("Signed in as cr.leader")
    expect(page.get_by_text("You are acting as")).to_have_count(0)


def test_the_authenticator_app_and_forgotten_password_pages(world: World, page: Page, training: None) -> None:
    fill_sign_in(page, "cr.handler", "Claims Portal")
    page.goto("/account/authenticator/")
    check_page(page, "account-authenticator")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add the Claims Portal to your app")
    expect(page.locator("#totp-secret")).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4})+$"))
    check_page(page, "account-authenticator-confirm")
    page.get_by_role("button", name="Sign out").click()

    page.get_by_role("link", name="Forgotten your password or first sign-in?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgotten your password or first sign-in?")
    check_page(page, "account-reset")
    page.get_by_label("User ID").fill("cr.admin")
    page.get_by_label("E-mail address").fill("cr.admin@example.org")
    page.get_by_role("button", name="Send verification code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    expect(page.get_by_label("User ID")).to_have_value("cr.admin")
    check_page(page, "account-reset-code")
