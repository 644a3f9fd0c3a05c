"""The consoles in the browser: an Administrator creates a user (check your answers, the password shown
once) and disables one (are you sure?), and visits every console page; an organisation registers
online and the operator approves it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.organisations.models import Organisation, OrganisationApplication, User
from claimsportal.organisations.services import create_a2a_client, create_user
from tests.browser.conftest import BROWSER_TESTS, PASSWORD, check_page
from tests.conftest import World

pytestmark = BROWSER_TESTS

SAVED = "Your change has been saved and logged for audit purposes."
SECRET = re.compile(r"^\S{12,}$")  # an issued password or a client secret


@pytest.fixture(autouse=True)
def _training(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"  # no code (the sign-in tests have the live mode)


def sign_in_to_administration(page: Page, user_id: str) -> None:
    page.goto("/login/")
    page.get_by_label("User ID").fill(user_id)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Section").select_option(label="Administration")
    page.get_by_role("button", name="Sign in").click()


def test_an_administrator_creates_a_user_and_disables_another(world: World, page: Page) -> None:
    sign_in_to_administration(page, "cr.admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration console")
    check_page(page, "console-home")

    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    check_page(page, "console-users")
    page.get_by_label("Status").select_option(label="Active and Enabled")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("table")).to_contain_text("cr.handler")

    page.get_by_role("link", name="Create a new user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a new user")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a user ID")
    check_page(page, "console-user-new-errors")
    page.get_by_label("User ID").fill("cr.newbie")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Jones")
    page.get_by_label("MFA e-mail address").fill("nia.jones@example.org")
    page.get_by_label("RTA Claim Handler").check()
    page.get_by_label("ELPL Claim Handler").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the new user's details")
    check_page(page, "console-user-new-check")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("User cr.newbie created")
    expect(page.get_by_role("alert")).to_contain_text(SAVED)
    expect(page.locator("#issued-password")).to_have_text(SECRET)
    check_page(page, "console-user-created")
    assert User.objects.get(user_id="cr.newbie").must_change_password

    page.get_by_role("link", name="View cr.newbie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("cr.newbie")
    check_page(page, "console-user")
    page.get_by_role("link", name="Change details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the user's details")
    check_page(page, "console-user-edit")

    page.goto("/console/users/cr.handler/")
    page.get_by_role("link", name="Disable user").click()
    expect(
        page.get_by_role("group", name="Are you sure you want to remove this user's access?")
    ).to_be_visible()
    check_page(page, "console-user-disable")
    page.get_by_label("Yes, remove their access").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(SAVED)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Not Active and Disabled")
    check_page(page, "console-user-disabled")
    handler = User.objects.get(pk=world.cr_handler.pk)
    assert (handler.is_enabled, handler.is_active) == (False, False)


def test_every_page_of_the_administration_console_passes_the_checks(world: World, page: Page) -> None:
    create_a2a_client(organisation=world.cr, client_id="cr-case-system", name="Case system")
    sign_in_to_administration(page, "cr.admin")
    for path, heading, name in (
        ("/console/branches/", "Branches", "console-branches"),
        ("/console/branches/new/", "Create a new branch", "console-branch-new"),
        ("/console/branches/001/", "Change the branch", "console-branch-edit"),
        ("/console/organisation/", "My organisation", "console-organisation"),
        ("/console/organisation/edit/", "Change your organisation's details", "console-organisation-edit"),
        ("/console/a2a/", "A2A clients", "console-a2a"),
        ("/console/a2a/new/", "Create a new A2A client", "console-a2a-new"),
        ("/console/a2a/cr-case-system/rotate/", "Rotate the secret", "console-a2a-rotate"),
        ("/console/a2a/cr-case-system/revoke/", "Revoke the client", "console-a2a-revoke"),
        ("/console/users/cr.handler/reset-password/", "Reset the password", "console-user-reset-password"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_page(page, name)
    page.goto("/console/a2a/new/")
    page.get_by_label("Name").fill("Second system")
    page.get_by_role("button", name="Create client").click()
    expect(page.locator("#client-secret")).to_have_text(SECRET)
    check_page(page, "console-a2a-secret")
    page.goto("/console/audit/")
    expect(page.get_by_role("table")).to_contain_text("A2A client created")
    check_page(page, "console-audit")

    page.set_viewport_size({"width": 320, "height": 800})  # WCAG 1.4.10: tables scroll in their own box
    for path in (
        "/console/users/",
        "/console/branches/",
        "/console/a2a/",
        "/console/audit/",
        "/console/register/",
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    check_page(page, "console-register-320px")


def make_operator(world: World) -> User:
    """A Claims Portal operator (no organisation), password PASSWORD."""
    operator = create_user(
        organisation=world.cr,
        user_id="portal.operator",
        email="op@example.org",
        profiles="ADMINISTRATOR",
        password=PASSWORD,
    ).user
    User.objects.filter(pk=operator.pk).update(
        is_operator=True, organisation=None, profiles=[], must_change_password=False
    )

    return User.objects.get(pk=operator.pk)


def register_online(page: Page) -> None:
    """Northern Claims Solicitors LLP applies through the public registration form."""
    page.goto("/login/")
    page.get_by_role("link", name="Register your organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your organisation")
    check_page(page, "console-register")
    page.get_by_label("Claimant representative").check()
    page.get_by_label("Road traffic accidents (RTA)").check()
    page.get_by_label("Organisation name").fill("Northern Claims Solicitors LLP")
    page.get_by_label("Address line 1").fill("2 Park Square")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("LS1 2NE")
    page.get_by_label("Telephone").fill("0113 496 0123")
    page.get_by_label("Organisation e-mail address").fill("office@northernclaims.example")
    page.get_by_label("ICO registration number").fill("ZA123456")
    page.get_by_label("Regulator", exact=True).select_option("SRA")
    page.get_by_label("Regulator's number").fill("654321")
    page.get_by_label("Branches besides your head office").fill("Sheffield Office")
    page.get_by_label("Administrator's user ID").fill("nc.admin")
    page.get_by_label("Administrator's first name").fill("Asha")
    page.get_by_label("Administrator's last name").fill("Patel")
    page.get_by_label("Administrator's business e-mail address").fill("asha.patel@northernclaims.example")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your application"
    )
    check_page(page, "console-register-check")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator(".govuk-panel")).to_contain_text("REG-000001")
    expect(page.locator("main")).to_contain_text("by Monday 9 March 2026")
    check_page(page, "console-register-done")


def test_an_organisation_registers_and_the_operator_approves_it(world: World, page: Page) -> None:
    make_operator(world)
    register_online(page)

    sign_in_to_administration(page, "portal.operator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Operator's console")
    check_page(page, "console-operator-home")
    page.get_by_role("link", name="Registration applications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration applications")
    check_page(page, "console-applications")
    page.get_by_role("link", name="REG-000001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northern Claims Solicitors LLP")
    check_page(page, "console-application")
    page.get_by_role("link", name="Reject").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reject the application")
    check_page(page, "console-application-reject")
    page.get_by_role("link", name="Back to the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northern Claims Solicitors LLP")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert")).to_contain_text(SAVED)
    expect(page.get_by_role("alert")).to_contain_text("Northern Claims Solicitors LLP is now CR00003")
    check_page(page, "console-application-approved")
    assert OrganisationApplication.objects.get().status == "APPROVED"
    assert Organisation.objects.get(org_id="CR00003").users.get().user_id == "nc.admin"

    page.get_by_role("link", name="Operator's console").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operator's console")
    page.get_by_role("link", name="User agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("User agreement")
    check_page(page, "console-agreements")
    page.get_by_role("link", name="Publish a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish a new user agreement")
    check_page(page, "console-agreement-new")
