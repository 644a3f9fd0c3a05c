"""Refusals in the browser: a bad CNF's errors beside the fields and in the GOV.UK error summary, with
the API's own messages; a claim of another organisation is not found."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms.examples import cnf_example
from claimsportal.protocols.payloads import RtaAddClaimPayload
from claimsportal.protocols.state import heads_in_order
from claimsportal.web.claims.forms import cnf_settings
from claimsportal.web.claims.pages import FIRM, find_page, page_data, pages_for
from claimsportal.web.claims.schema_form import values_from_data
from tests.browser.conftest import BROWSER_TESTS
from tests.browser.test_claim_journeys import fill, shot, sign_in_as
from tests.conftest import DEFAULT_NOW, World, send_claim, step

pytestmark = BROWSER_TESTS

PERSON = "claimAndClaimantDetails.claimantDetails.personalDetails"


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"


def _api_messages(cnf: dict[str, Any]) -> dict[str, str]:
    """What the API says about this CNF (field path -> message)."""
    payload = {"claimType": "RTA", "compensator": "/COMP001", "cnf": cnf}
    with pytest.raises(PortalError) as refused:
        validate_payload(RtaAddClaimPayload, payload, DEFAULT_NOW.date())
    return {d.field: d.message for d in refused.value.details}


def test_a_bad_cnf_shows_its_errors_in_words_beside_the_fields_and_in_the_summary(
    world: World, page: Page
) -> None:
    good = cnf_example("RTA")
    bad = copy.deepcopy(good)
    person = bad["claimAndClaimantDetails"]["claimantDetails"]["personalDetails"]
    person["dateOfBirth"] = "2031-05-04"  # in the future
    del person["surname"]
    bad["claimAndClaimantDetails"]["claimantDetails"]["askCUEPIReference"] = "not-a-reference"
    api = _api_messages(bad)
    wanted = {
        f"cnf.{PERSON}.dateOfBirth",
        f"cnf.{PERSON}.surname",
        "cnf.claimAndClaimantDetails.claimantDetails.askCUEPIReference",
    }
    assert wanted <= set(api)

    sign_in_as(page, "cr.handler")
    page.get_by_role("link", name="Start a new claim").click()
    page.get_by_label("Road traffic accident (RTA)").check()
    page.get_by_role("button", name="Create the draft").click()
    page.get_by_role("link", name="The claimant", exact=True).click()
    claimant = find_page(
        pages_for("RTA", FIRM, cnf_settings("RTA", None)), "claimAndClaimantDetails", "claimant"
    )
    assert claimant is not None
    absent = fill(page, values_from_data(claimant.root, page_data(claimant, bad)))
    assert not absent
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_title(re.compile(r"^Error: The claimant"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(summary).to_contain_text("Your answers have been saved")
    for path in sorted(wanted):
        field_id = "f-" + path.replace(".", "-")
        link = summary.locator(f'a[href^="#{field_id}"]')
        expect(link).not_to_contain_text(api[path])  # the API's words are worded for a person
        expect(page.locator(f"#{field_id}-error")).not_to_be_empty()
        expect(page.locator(f"#{field_id}-error")).not_to_contain_text("should match pattern")
    expect(page.locator(f"#f-cnf-{PERSON.replace('.', '-')}-dateOfBirth-year")).to_have_value("2031")
    shot(page, "cnf-errors")
    summary.locator(f'a[href="#f-cnf-{PERSON.replace(".", "-")}-dateOfBirth-day"]').click()
    expect(page.locator(f"#f-cnf-{PERSON.replace('.', '-')}-dateOfBirth-day")).to_be_focused()

    # The check page lists what stops the claim being sent, each linking to its field.
    number = re.findall(r"/drafts/(\d+)/", page.url)[0]
    page.goto(f"/work/drafts/{number}/check/")
    check = page.locator(".govuk-error-summary")
    expect(check).to_contain_text("Compensator: choose the compensator before sending the claim")
    expect(check).to_contain_text("Date of birth must be in the past")  # in words, not the API's
    shot(page, "cnf-check-with-problems")
    page.get_by_role("button", name="Send the claim").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The claim was not sent")
    shot(page)


def test_a_user_of_a_third_organisation_cannot_open_the_claim(world: World, page: Page) -> None:
    info = send_claim(world)
    number = format_application_id(info.application_id)
    sign_in_as(page, "other.handler")
    for path in (
        f"/claims/{number}/",
        f"/claims/{info.application_id}/",
        f"/work/claims/{number}/operations/acceptClaim/",
        f"/work/claims/{number}/defendant-only-cnf/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        shot(page)
    page.goto(f"/work/search/?applicationId={info.application_id}")
    expect(page.get_by_text("No claims match your search.")).to_be_visible()
    shot(page, "search-nothing-found")


def test_an_offer_above_the_claim_is_refused_on_its_page_with_the_summary_linked_to_the_field(
    world: World, page: Page
) -> None:
    """Issue 18: the Stage 2 response's first page (the replies) checks the offers against the heads
    claimed on "Continue": the page again, its error in the summary (focused) and beside the field."""
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    info = step(world, world.cr_handler, info, "addStage2SPFRequest")
    claim = Claim.objects.get(pk=info.application_id)
    head = heads_in_order(claim.state["claimed_heads"])
    figures = next(iter(head.values()))
    above = f"{Decimal(figures['gross']) + 100:.2f}"
    reply = "s2spfResponse-defendantReplies-currentDefendantResponse-0-grossValueClaimed"

    sign_in_as(page, "comp.handler")
    page.goto(f"/work/claims/{format_application_id(info.application_id)}/operations/addStage2SPFResponse/")
    expect(page.locator('input[name="_page"]')).to_have_value("replies")
    replies = "s2spfResponse.defendantReplies.currentDefendantResponse"
    agreed = {f"{replies}.{index}.isGrossAmountAgreed": "0" for index in range(len(head))}
    assert not fill(page, {**agreed, "s2spfResponse.total.currentTotal.cruDeductions": "0.00"})
    page.locator(f"#f-{reply}").fill(above)
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page.locator('input[name="_page"]')).to_have_value("replies")  # not the next page
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(1)
    link = summary.locator(f'a[href="#f-{reply}"]')
    expect(link).to_contain_text(f"must not be more than the {figures['gross']} claimed")
    expect(page.locator(f"#f-{reply}-error")).to_contain_text(f"must not be more than the {figures['gross']}")
    shot(page, "stage2-response-offer-above-the-claim")
    link.click()
    expect(page.locator(f"#f-{reply}")).to_be_focused()
