"""An unrepresented claimant, in the browser and in live mode (every code read from a real SMTP sink):
registers one question a page (e-mail verified), signs in with the e-mailed code, starts and sends
their one claim (one question a page, their details already filled in), follows it in plain English
while a compensator works it on the normal screens, and accepts the insurer's offer on the guided
page. Every page visited passes axe-core; the claimant's pages at 320 px wide, without scrolling
sideways."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from claimsportal.claims.models import Claim
from claimsportal.organisations.models import User
from claimsportal.web.claims.forms import cnf_settings
from claimsportal.web.claims.pages import LITIGANT, pages_for
from tests.browser.conftest import BROWSER_TESTS, PASSWORD
from tests.browser.test_claim_journeys import at_phase, do_operation, fill_pages, narrow, new_page, shot
from tests.conftest import World
from tests.litigants.conftest import litigant_cnf
from tests.web.smtp_sink import SmtpSink, running_smtp_sink

pytestmark = BROWSER_TESTS

EMAIL = "sam.okoro@example.net"
LITIGANT_PASSWORD = "Injury-Claim-2026!x"


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    with running_smtp_sink(settings) as sink:
        yield sink


@pytest.fixture(autouse=True)
def _live(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "live"


@pytest.fixture
def comp_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context, page = new_page(browser, live_server)
    yield page
    context.close()


def answer(page: Page, option: str, name: str = "") -> None:
    shot(page, name)
    page.get_by_label(option, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def sign_in(page: Page, sink: SmtpSink, user_id: str, password: str, email: str, *, then: str) -> None:
    """The sign-in page in the Claims Portal section, then the e-mailed code."""
    page.goto("/login/?next=" + then)
    shot(page)
    page.get_by_label("User ID").fill(user_id)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Section").select_option(label="Claims Portal")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    shot(page)
    page.get_by_label("Code").fill(sink.last_code(email))
    page.get_by_role("button", name="Continue").click()


def register(page: Page, sink: SmtpSink) -> None:
    page.goto("/login/")
    page.get_by_role("link", name="Register as an unrepresented claimant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Make a personal injury claim without a solicitor"
    )
    shot(page, "litigant-start")
    page.get_by_role("button", name="Start now").click()
    # A person with a solicitor is turned away, with the reason.
    answer(page, "Yes", "litigant-question-solicitor")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot use this service")
    shot(page, "litigant-cannot-use")
    page.get_by_role("link", name="Back", exact=True).click()
    answer(page, "No")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Is the claim for your own injury, and are you 18 or over?"
    )
    answer(page, "Yes", "litigant-question-own-claim")
    page.get_by_role("button", name="Continue").click()  # nothing typed: the errors, GOV.UK style
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your first name")
    shot(page, "litigant-question-name-errors")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Okoro")
    page.get_by_role("button", name="Continue").click()
    shot(page)
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    shot(page, "litigant-question-code")
    page.get_by_label("Confirmation code").fill(sink.last_code(EMAIL))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a user ID")
    page.get_by_label("User ID").fill("cr.handler")  # taken
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already taken")
    shot(page)
    page.get_by_label("User ID").fill("sam.okoro")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The user agreement")
    shot(page)
    page.get_by_label("I accept the user agreement").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list")).to_contain_text(EMAIL)
    shot(page, "litigant-check-answers")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password", exact=True).fill(LITIGANT_PASSWORD)
    page.get_by_label("Confirm the password").fill(LITIGANT_PASSWORD)
    shot(page)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been created")
    expect(page.locator(".govuk-panel__body")).to_contain_text("sam.okoro")
    shot(page, "litigant-registered")


def send_the_claim(page: Page) -> str:
    """From "Your claim": the claim type question, then their claim form one question a page (their
    own details already there), the insurer, check, sign and send."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your claim")
    shot(page, "litigant-no-claim")
    page.get_by_role("button", name="Start your claim").click()
    answer(page, "A road traffic accident", "litigant-question-claim-type")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your claim form")
    draft = Claim.objects.get()
    application_id = f"{draft.pk:08d}"
    representative = draft.cnf["claimAndClaimantDetails"]["claimantRepresentative"]  # type: ignore[index]
    assert representative["litigantInPerson"] == "1"
    assert representative["companyDetails"]["contactSurname"] == "Okoro"
    shot(page, "litigant-form-overview")
    page.get_by_role("link", name="Choose the insurer").click()
    # The compensator's picker searches as you type (a combobox): type, then choose a match.
    page.get_by_role("combobox", name="Name of the compensator or insurer").fill("Insurer")
    page.get_by_role("option", name=re.compile(r"^Insurer plc")).click()
    expect(page.get_by_role("combobox", name="Name of the compensator or insurer")).to_have_value(
        re.compile(r"^Insurer plc")
    )
    shot(page)
    page.get_by_role("button", name="Choose this compensator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your claim form")
    form = litigant_cnf("RTA", surname="Okoro")
    form["claimAndClaimantDetails"]["claimantDetails"]["personalDetails"]["name"] = "Sam"
    page.get_by_role("button", name="Continue your claim form").click()  # the first question unanswered
    expect(page.get_by_role("heading", level=1)).to_have_text("What is your date of birth?")
    page.get_by_role("link", name="Back", exact=True).click()
    # One question a page; an unanswered question says what is missing, on that page.
    expect(page.get_by_role("heading", level=1)).to_have_text("What is your name?")
    page.get_by_label("First name").fill("")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    shot(page, "litigant-form-question-errors")
    pages = pages_for("RTA", LITIGANT, cnf_settings("RTA", Claim.objects.get().cnf))
    fill_pages(page, pages, form, shots="litigant-form", button="Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your claim")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    shot(page, "litigant-form-check")
    page.get_by_role("button", name="Sign and send my claim").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your claim has been sent to the insurer"
    )
    return application_id


def test_an_unrepresented_claimant_from_registration_to_an_accepted_offer(
    world: World, page: Page, comp_page: Page, smtp_sink: SmtpSink
) -> None:
    me, comp = page, comp_page
    narrow(me)  # the claimant's side on a 320 px wide screen
    register(me, smtp_sink)
    me.get_by_role("button", name="Sign in").click()
    sign_in(me, smtp_sink, "sam.okoro", LITIGANT_PASSWORD, EMAIL, then="/claimant/your-claim/")
    app = send_the_claim(me)

    me.goto("/claimant/your-claim/")
    expect(me.get_by_role("heading", level=1)).to_have_text("Your claim: your claim has been sent")
    expect(me.locator(".govuk-summary-list").first).to_contain_text("The insurer must act by")
    expect(me.locator(".govuk-summary-list").first).to_contain_text("Monday 23 March 2026")
    shot(me, "litigant-claim-sent")

    # The compensator, on the normal screens, sees a litigant in person.
    sign_in(comp, smtp_sink, "comp.handler", PASSWORD, world.comp_handler.email, then="/")
    comp.goto(f"/claims/{app}/")
    expect(comp.locator(".govuk-summary-list").first).to_contain_text("Litigant in person")
    expect(comp.locator("body")).to_contain_text("The claimant is not legally represented")
    expect(comp.locator("body")).to_contain_text("The claimant in person")
    shot(comp, "litigant-comp-claim")
    comp.get_by_role("button", name="Lock the claim").click()
    do_operation(comp, app, "acceptClaim", {"insurerClaimReferenceNumber": "INS/2026/88"})
    do_operation(comp, app, "applyArticle75", {"isArticle75": False})
    do_operation(comp, app, "sendLiabilityDecision", {"liabilityDecision": "A"})

    me.goto("/claimant/your-claim/")
    expect(me.get_by_role("heading", level=1)).to_have_text("Your claim: the insurer accepts liability")
    shot(me, "litigant-liability-admitted")
    me.get_by_role("link", name="Confirm you have read the insurer's decision").click()
    expect(me).to_have_url(re.compile(r"/operations/acknowledgeLiabilityAdmitted/$"))
    shot(me)
    me.locator('.govuk-button-group button[name="_action"][value="submit"]').click()
    do_operation(me, app, "setInterimPaymentNeeded", {"isInterimPaymentNeeded": False})
    do_operation(me, app, "addStage2SPFRequest")

    do_operation(comp, app, "addStage2SPFResponse", {"settlementPackDecision": "CO"})

    me.goto("/claimant/your-claim/")
    expect(me.get_by_role("heading", level=1)).to_have_text("Your claim: the insurer has made you an offer")
    expect(me.locator(".govuk-summary-list").first).to_contain_text("You must act by")
    expect(me.locator(".govuk-summary-list").first).to_contain_text("Wednesday 22 April 2026")
    shot(me, "litigant-offer-made")
    me.get_by_role("link", name="Decide on the insurer's offer").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Do you accept the insurer's offer?")
    me.get_by_role("button", name="Continue").click()
    expect(me.locator(".govuk-error-summary")).to_contain_text("Select yes if you accept the offer")
    shot(me, "litigant-offer-question")
    me.get_by_label("Yes, I accept the offer").check()
    me.get_by_role("button", name="Continue").click()
    expect(me.locator(".govuk-notification-banner")).to_contain_text("You have accepted the offer")
    expect(me.get_by_role("heading", level=1)).to_have_text("Your claim: you have accepted the offer")
    shot(me, "litigant-offer-accepted")

    do_operation(comp, app, "acknowledgeStage2SPFAgreed", {})
    at_phase(comp, app, "Stage 2 Settlement Pack Agreed End")
    me.goto("/claimant/your-claim/")
    expect(me.get_by_role("heading", level=1)).to_have_text("Your claim: your claim is settled")
    me.get_by_role("link", name="A printable copy of your claim and where it is").click()
    expect(me.get_by_role("heading", level=1)).to_contain_text("a copy for your records")
    expect(me.locator("main")).to_contain_text("You and the insurer agreed the amount")
    expect(me.locator("main")).to_contain_text("Okoro")  # the claim form, for the record
    shot(me, "litigant-print")
    litigant = User.objects.get(user_id="sam.okoro")
    assert litigant.organisation is not None and litigant.organisation.litigant_in_person
