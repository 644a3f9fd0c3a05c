"""The claims transfer request's choices in the browser (issue 18), with JavaScript and without: the
fields of each direction in the conditional reveal of its answer (all shown without JavaScript), the
Administrator's own branches as checkboxes and own branch and user as choices, a claimant firm's
typed organisation ID shown back by name, a compensator's list of the other compensators; axe-core
on each."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from claimsportal.organisations.models import Branch
from claimsportal.transfers.models import Transfer
from claimsportal.web.pickers import SELECT_LIMIT
from tests.browser.conftest import BROWSER_TESTS, check_page
from tests.browser.test_console import sign_in_to_administration
from tests.browser.test_transfers import fill_date
from tests.conftest import World, make_user

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"  # no code (the sign-in tests have the live mode)


def fill_contacts(page: Page) -> None:
    for side, name, email, phone in (
        ("Sending", "Sam Sender", "sam@sender.example", "0113 496 0001"),
        ("Receiving", "Rita Receiver", "rita@receiver.example", "0113 496 0002"),
    ):
        page.get_by_label(f"{side} organisation's primary contact: name").fill(name)
        page.get_by_label(f"{side} organisation's primary contact: e-mail address").fill(email)
        page.get_by_label(f"{side} organisation's primary contact: telephone").fill(phone)


def test_with_javascript_only_the_chosen_directions_fields_show(world: World, page: Page) -> None:
    Branch.objects.create(organisation=world.cr, branch_id="004", name="Leeds")
    sign_in_to_administration(page, "cr.admin")
    page.goto("/console/transfers/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a claims transfer")
    sending = page.get_by_role("group", name="Which of your branches?")
    expect(sending.get_by_role("checkbox")).to_have_count(2)
    expect(page.get_by_label("Receiving branch ID")).to_be_visible()
    expect(page.get_by_label("Branch IDs of the sending organisation")).to_be_hidden()
    check_page(page, "console-transfer-new-sending")

    page.get_by_label("We are receiving claims from another organisation").check()
    expect(page.get_by_label("Receiving branch ID")).to_be_hidden()
    expect(page.get_by_label("Branch IDs of the sending organisation")).to_be_visible()
    own_branch = page.get_by_role("group", name="Your receiving branch")
    expect(own_branch.get_by_role("radio")).to_have_count(2)
    own_user = page.get_by_role("group", name="Your user to allocate the claims to (optional)")
    expect(own_user.get_by_role("radio", name="cr.handler")).to_have_count(1)
    check_page(page, "console-transfer-new-receiving")

    page.get_by_label("The other organisation's ID").fill(world.other_cr.org_id)
    page.get_by_role("button", name="Find the organisation of this ID").click()
    expect(page.get_by_role("status")).to_contain_text("The other organisation: Other Firm")
    expect(page.get_by_label("Branch IDs of the sending organisation")).to_be_visible()  # still receiving
    check_page(page, "console-transfer-new-found")
    page.get_by_label("A list of claims").check()
    expect(page.get_by_label("List of claims (CSV file)")).to_be_visible()
    page.get_by_label("All active claims").check()
    expect(page.get_by_label("List of claims (CSV file)")).to_be_hidden()
    page.get_by_role("group", name="Your receiving branch").get_by_label("004 Leeds").check()
    page.get_by_role("group", name="Your user to allocate the claims to (optional)").get_by_label(
        "cr.handler", exact=False
    ).first.check()
    fill_date(page, 5)
    fill_contacts(page)
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(Transfer.objects.get().reference)
    transfer = Transfer.objects.select_related("destination_branch", "destination_user").get()
    assert (transfer.source, transfer.destination) == (world.other_cr, world.cr)
    assert transfer.destination_branch.branch_id == "004"


def test_a_compensator_chooses_the_other_compensator(world: World, page: Page) -> None:
    make_user(world.comp, "comp.admin", "ADMINISTRATOR")
    sign_in_to_administration(page, "comp.admin")
    page.goto("/console/transfers/new/")
    other = page.get_by_role("group", name="The other compensator")
    expect(other.get_by_role("radio")).to_have_count(2)
    expect(other).not_to_contain_text("Claimant Firm")
    check_page(page, "console-transfer-new-compensator")
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the other compensator")
    check_page(page, "console-transfer-new-compensator-errors")


@pytest.mark.parametrize("direction", ["sending", "receiving"])
def test_without_javascript_every_field_shows_and_the_request_works(
    world: World, browser: Browser, live_server: LiveServer, direction: str
) -> None:
    Branch.objects.create(organisation=world.cr, branch_id="004", name="Leeds")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in_to_administration(page, "cr.admin")
        page.goto("/console/transfers/new/")
        for label in (
            "Receiving branch ID",
            "Branch IDs of the sending organisation",
            "List of claims (CSV file)",
        ):
            expect(page.get_by_label(label)).to_be_visible()
        check_page(page, f"console-transfer-new-no-javascript-{direction}", javascript=False)
        page.get_by_label("The other organisation's ID").fill(world.other_cr.org_id)
        page.get_by_label("The active claims of chosen branches").check()
        if direction == "sending":
            page.get_by_label("We are sending claims to another organisation").check()
            page.get_by_role("group", name="Which of your branches?").get_by_label("004 Leeds").check()
        else:
            page.get_by_label("We are receiving claims from another organisation").check()
            page.get_by_label("Branch IDs of the sending organisation").fill("001")
            page.get_by_role("group", name="Your receiving branch").get_by_label("004 Leeds").check()
        fill_date(page, 5)
        fill_contacts(page)
        page.get_by_role("button", name="Ask for the transfer").click()
        # The name is shown first; nothing is filed until it has been
        expect(page.get_by_role("region", name="Important")).to_contain_text(
            f"{'to' if direction == 'sending' else 'from'} Other Firm ({world.other_cr.org_id})"
        )
        check_page(page, f"console-transfer-new-no-javascript-{direction}-check", javascript=False)
        assert not Transfer.objects.exists()
        page.get_by_role("button", name="Ask for the transfer").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(Transfer.objects.get().reference)
        transfer = Transfer.objects.get()
        assert transfer.option == Transfer.Option.BRANCHES
        source_branches = [
            b.source_branch.branch_id for b in transfer.branches.select_related("source_branch")
        ]
        assert source_branches == (["004"] if direction == "sending" else ["001"])
    finally:
        context.close()


def test_a_long_list_of_our_users_is_searched_as_you_type(world: World, page: Page) -> None:
    for n in range(SELECT_LIMIT + 1):
        make_user(world.cr, f"zed.{n:02d}", "RTA_CLAIM_HANDLER")
    sign_in_to_administration(page, "cr.admin")
    page.goto("/console/transfers/new/")
    page.get_by_label("We are receiving claims from another organisation").check()
    box = page.get_by_role("combobox", name="Your user to allocate the claims to (optional)")
    box.focus()
    page.keyboard.type("zed.1")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(10)
    check_page(page, "console-transfer-new-user-search")
    listbox.get_by_role("option", name="zed.12").click()
    expect(box).to_have_value("zed.12")
    page.get_by_label("The other organisation's ID").fill(world.other_cr.org_id)
    page.get_by_role("button", name="Find the organisation of this ID").click()
    expect(page.get_by_role("status").filter(has_text="The other organisation")).to_contain_text("Other Firm")
    expect(box).to_have_value("zed.12")  # kept by the Find
    fill_date(page, 5)
    fill_contacts(page)
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(Transfer.objects.get().reference)
    transfer = Transfer.objects.select_related("destination_user").get()
    assert transfer.destination_user is not None and transfer.destination_user.user_id == "zed.12"
