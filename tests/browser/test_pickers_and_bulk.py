"""The picker and the worklist's bulk actions in the browser (issue 18): a team leader allocates a claim
by keyboard with the search-as-you-type combobox; without JavaScript the same picker is a search field
whose "Search" button sends the form; claims are locked, unlocked and allocated several at a time from
the worklist (a claim of another organisation slipped into the form is refused); the header keeps one
line at 1280 px with a long organisation name and the worklist reflows at 320 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.organisations.models import Organisation, User
from tests.browser.conftest import BROWSER_TESTS, PASSWORD, check_page
from tests.browser.test_claim_journeys import shot, sign_in_as
from tests.conftest import World, make_user, send_claim, step

pytestmark = BROWSER_TESTS

USERS = 35  # more than a select shows: the picker is a search


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    """No one-time code at sign-in (training mode)."""
    settings.CLAIMSPORTAL_MODE = "training"


def _many_users(world: World) -> None:
    for n in range(USERS):
        make_user(world.comp, f"zed.{n:02d}", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER")


def _id(info: ClaimInfo) -> str:
    return format_application_id(info.application_id)


def test_a_claim_is_allocated_by_keyboard_with_the_combobox(world: World, page: Page) -> None:
    _many_users(world)
    info = send_claim(world)
    sign_in_as(page, "comp.leader")
    page.goto(f"/work/claims/{_id(info)}/operations/allocateUser/")
    box = page.get_by_role("combobox", name="User")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name=re.compile(r"^Search"))).to_have_count(0)  # searching as you type
    check_page(page, "picker-closed")

    box.focus()
    page.keyboard.type("zed.1")
    listbox = page.get_by_role("listbox", name="User")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(10)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="10 found")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
    expect(active).to_have_text("zed.11")
    expect(active).to_have_attribute("aria-selected", "true")
    check_page(page, "picker-open")
    page.keyboard.press("ArrowUp")
    expect(page.locator(f"#{box.get_attribute('aria-activedescendant')}")).to_have_text("zed.10")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses; the form is not sent
    expect(box).to_have_value("zed.11")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/operations/allocateUser/$"))
    assert Claim.objects.get(pk=info.application_id).comp_allocated_user_id is None

    # Escape closes the list without choosing; typing again clears the choice until one is chosen.
    box.press("End")
    page.keyboard.type("x")
    page.keyboard.press("Backspace")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(box).to_have_value("zed.11")

    page.get_by_role("button", name="Allocate to a user").click()
    expect(page.get_by_role("alert")).to_contain_text("The claim is allocated")
    shot(page)
    allocated = Claim.objects.get(pk=info.application_id).comp_allocated_user_id
    assert allocated == User.objects.get(user_id="zed.11").pk


def test_without_javascript_the_picker_is_a_search_that_sends_the_form(
    world: World, browser: Browser, live_server: LiveServer
) -> None:
    _many_users(world)
    info = send_claim(world)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("User ID").fill("comp.leader")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
        page.goto(f"/work/claims/{_id(info)}/operations/allocateUser/")
        expect(page.get_by_role("combobox")).to_have_count(0)
        field = page.get_by_role("searchbox", name="User")
        expect(field).to_be_visible()
        check_page(page, "picker-no-javascript", javascript=False)
        field.fill("zed.1")
        page.get_by_role("button", name="Search user").click()
        group = page.get_by_role("group", name="10 found")
        expect(group.get_by_role("radio")).to_have_count(10)
        check_page(page, "picker-no-javascript-found", javascript=False)
        assert Claim.objects.get(pk=info.application_id).comp_allocated_user_id is None  # nothing sent
        group.get_by_label("zed.12").check()
        page.get_by_role("button", name="Allocate to a user").click()
        expect(page.get_by_role("alert")).to_contain_text("The claim is allocated")
        allocated = Claim.objects.get(pk=info.application_id).comp_allocated_user_id
        assert allocated == User.objects.get(user_id="zed.12").pk
    finally:
        context.close()


def test_the_compensator_of_a_draft_is_chosen_from_the_current_insurer_index(
    world: World, page: Page
) -> None:
    from claimsportal.claims import drafts
    from claimsportal.organisations.directory import add_insurer_index_entry

    entry = add_insurer_index_entry(
        insurer_name="Brand Motor Insurance", org_id=world.comp.org_id, compensator_type="I"
    )
    number = format_application_id(drafts.create_draft(world.actor(world.cr_handler), "RTA").application_id)
    sign_in_as(page, "cr.handler")
    page.goto(f"/work/drafts/{number}/compensator/")
    page.get_by_label("The RTA Insurer Index (current version)").check()
    expect(page.get_by_role("button", name="Show this list")).to_be_hidden()
    box = page.get_by_role("combobox", name="Name of the compensator or insurer")
    box.fill("brand")
    option = page.get_by_role("option", name=re.compile(rf"^Brand Motor Insurance \({entry.index_id}\)"))
    expect(option).to_contain_text("Claims go to Insurer plc")
    check_page(page, "picker-insurer-index")
    box.press("ArrowDown")
    box.press("Enter")
    page.get_by_role("button", name="Choose this compensator").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"The claim will be sent to Brand Motor Insurance ({entry.index_id})"
    )
    insurer = Claim.objects.get(pk=int(number)).cnf["claimAndClaimantDetails"]["defendantDetails"]  # type: ignore[index]
    assert insurer["insurerInformation"]["insurerName"] == "Brand Motor Insurance"


def _row_checkbox(page: Page, info: ClaimInfo) -> Any:
    return page.get_by_role("checkbox", name=f"Select claim {_id(info)}")


def test_claims_are_locked_unlocked_and_allocated_several_at_a_time(world: World, page: Page) -> None:
    first, second, third = send_claim(world), send_claim(world), send_claim(world)
    theirs = send_claim(world, compensator=world.mib.path)
    sign_in_as(page, "comp.leader")
    check_page(page, "worklist-bulk")

    # Select all on this page, then lock them; a claim of another organisation is slipped in.
    page.get_by_role("checkbox", name="Select all claims on this page").check()
    expect(page.get_by_role("status").filter(has_text="3 claims selected")).to_be_visible()
    page.evaluate(
        """(id) => { const input = document.createElement('input'); input.type = 'hidden';
        input.name = 'claims'; input.value = id; document.getElementById('bulk-actions').append(input); }""",
        _id(theirs),
    )
    page.get_by_role("button", name="Lock the selected claims", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3 of 4 claims locked")
    results = page.get_by_role("table", name="What was done to each claim")
    for info in (first, second, third):
        expect(results.get_by_role("row").filter(has_text=_id(info))).to_contain_text("Locked to you")
    expect(results.get_by_role("row").filter(has_text=_id(theirs))).to_contain_text(
        "There is no claim with this number that you can see"
    )
    check_page(page, "worklist-bulk-locked")
    assert Claim.objects.get(pk=theirs.application_id).locked_by_id is None
    assert Claim.objects.filter(locked_by=world.comp_leader).count() == 3

    # Unlock two of them, chosen one by one.
    page.get_by_role("link", name="Back to the worklist").click()
    expect(page.get_by_role("table", name="Locked to me").get_by_role("row")).to_have_count(4)
    _row_checkbox(page, first).check()
    _row_checkbox(page, second).check()
    expect(page.get_by_role("status").filter(has_text="2 claims selected")).to_be_visible()
    page.get_by_role("button", name="Unlock the selected claims").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2 of 2 claims unlocked")
    shot(page)
    assert Claim.objects.get(pk=third.application_id).locked_by_id == world.comp_leader.pk

    # Allocate two to a handler: the next page asks to whom.
    page.get_by_role("link", name="Back to the worklist").click()
    _row_checkbox(page, first).check()
    _row_checkbox(page, third).check()
    page.get_by_role("button", name="Allocate the selected claims to a user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocate 2 claims")
    check_page(page, "worklist-bulk-allocate")
    page.get_by_role("button", name="Allocate the claims").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the user to allocate the claims to")
    check_page(page, "worklist-bulk-allocate-error")
    page.get_by_role("link", name="Choose the user to allocate the claims to").click()
    page.get_by_role("radio", name="comp.handler").check()
    page.get_by_role("button", name="Allocate the claims").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2 of 2 claims allocated")
    check_page(page, "worklist-bulk-allocated")
    for info in (first, third):
        assert Claim.objects.get(pk=info.application_id).comp_allocated_user_id == world.comp_handler.pk
    assert Claim.objects.get(pk=second.application_id).comp_allocated_user_id is None


def test_the_header_keeps_one_line_at_1280_and_the_worklist_reflows_at_320(world: World, page: Page) -> None:
    Organisation.objects.filter(pk=world.comp.pk).update(
        name="The Northern and Midlands Mutual Motor and Commercial Insurance Society of Great Britain Limited"
    )
    for _ in range(3):
        info = send_claim(world)
    step(world, world.comp_handler, info, "lockClaim")
    sign_in_as(page, "comp.handler")
    service = page.get_by_role("region", name="Service information").get_by_role("link", name="Claims Portal")
    worklist = page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worklist")
    signed_in = page.get_by_text("Signed in as comp.handler")
    sign_out = page.get_by_role("button", name="Sign out")
    boxes = [item.bounding_box() for item in (service, worklist, signed_in, sign_out)]
    assert all(box is not None for box in boxes)
    centres = [box["y"] + box["height"] / 2 for box in boxes if box is not None]
    assert max(centres) - min(centres) < 6, f"the header wraps: {boxes}"
    assert boxes[3] is not None and boxes[3]["x"] + boxes[3]["width"] <= 1280
    check_page(page, "worklist-long-organisation-1280")

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways at 320 px ({width} px wide)"
    expect(page.get_by_role("button", name="Lock the selected claims", exact=True)).to_be_visible()
    check_page(page, "worklist-320")
