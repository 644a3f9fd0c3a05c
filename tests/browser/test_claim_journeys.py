"""Claims taken through the protocol entirely in the browser, by a claimant representative and a
compensator signed in side by side: an RTA claim from a new CNF to settlement, and an EL claim to the
Court Proceedings Pack.

The forms are filled from the protocols' own complete examples (``protocols.forms.examples``, and
``tests.shorthands`` for the Stage 2 packs that must answer the heads claimed), turned into the pages'
inputs by the renderer's :func:`values_from_data` — so whatever fields the current schemas have, the
journeys fill them. Every page visited passes axe-core and is kept as a screenshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from claimsportal.claims.models import Claim
from claimsportal.presentation.form_tree import form_tree
from claimsportal.protocols.forms.examples import cnf_example
from claimsportal.protocols.types import ClaimType
from claimsportal.web.claims.forms import cnf_settings, operation_model
from claimsportal.web.claims.pages import FIRM, FormPage, operation_pages, page_data, pages_for
from claimsportal.web.claims.schema_form import values_from_data
from tests.browser.conftest import AXE_JS, BROWSER_TESTS, PASSWORD, assert_no_axe_violations, check_page
from tests.conftest import World
from tests.shorthands import form_shorthand

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    """No one-time code at sign-in (training mode), whatever the sign-in steps are."""
    settings.CLAIMSPORTAL_MODE = "training"


# --------------------------------------------------------------------------------------------------
# Helpers (shared by the other test_claim_* modules)
# --------------------------------------------------------------------------------------------------


def new_page(browser: Browser, live_server: LiveServer) -> tuple[BrowserContext, Page]:
    """A second person's browser (its own cookies), with the same checks as the ``page`` fixture."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.add_init_script(path=AXE_JS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None
        ),
    )
    context.on("close", lambda _: _assert_none(errors))
    return context, page


NARROW = 320  # the narrowest screen a page reflows to without scrolling sideways (WCAG 1.4.10)


def narrow(page: Page) -> None:
    """From now on, a 320 px wide screen: every page ``shot`` checks that nothing scrolls sideways."""
    page.set_viewport_size({"width": NARROW, "height": 800})


def shot(page: Page, name: str = "") -> None:
    """Every page visited: once it has loaded and GOV.UK Frontend has started on it, axe-core finds
    no violation (and on a 320 px screen nothing scrolls sideways); a ``name``d page is also kept as
    a screenshot."""
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    viewport = page.viewport_size
    if viewport is not None and viewport["width"] <= NARROW:
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= NARROW, f"{page.url} scrolls sideways at {NARROW} px: {width} px wide"
        name = f"{name}-320" if name else ""
    if name:
        check_page(page, name)
    else:
        assert_no_axe_violations(page)


def _assert_none(errors: list[str]) -> None:
    assert not errors, "\n".join(errors)


def sign_in_as(page: Page, user_id: str) -> None:
    """Through the sign-in page, in the Claims Portal section (when the page asks which)."""
    page.goto("/login/")
    shot(page)
    page.get_by_label("User ID").fill(user_id)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    section = page.locator('select[name="section"]')
    if section.count():
        section.select_option(label="Claims Portal")
    elif page.locator('input[name="section"]').count():
        page.get_by_label("Claims Portal").check()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    shot(page)


def add_groups(page: Page, values: dict[str, str]) -> None:
    """Click "Add" until each list shows as many groups as ``values`` fill (outer lists first)."""
    counts = sorted(
        ((k[: -len("[count]")], int(v)) for k, v in values.items() if k.endswith("[count]")),
        key=lambda item: item[0].count("."),
    )
    for path, wanted in counts:
        for _ in range(wanted + 1):
            shown = page.locator(f'input[type="hidden"][name="{path}[count]"]')
            if int(shown.input_value()) >= wanted:
                break
            page.locator(f'button[name="_add"][value="{path}"]').click()
        expect(page.locator(f'input[type="hidden"][name="{path}[count]"]')).to_have_value(str(wanted))


_FILL_JS = """values => {
    const absent = [];
    for (const [name, value] of Object.entries(values)) {
        const fields = document.getElementsByName(name);
        if (!fields.length) { absent.push(name); continue; }
        for (const field of fields) {
            if (field.type === "radio") field.checked = field.value === value;
            else if (field.type === "checkbox") field.checked = value === "1";
            else field.value = value;
        }
    }
    return absent;
}"""


def fill(page: Page, values: dict[str, str]) -> list[str]:
    """Put ``values`` (input name -> text) into the form's inputs, radios, checkboxes and selects (in
    one go: a long form field by field takes seconds); the names not on the page."""
    add_groups(page, values)
    inputs = {name: value for name, value in values.items() if not name.endswith("[count]")}
    absent: list[str] = page.evaluate(_FILL_JS, inputs)
    return absent


def operation_values(claim: Claim, operation: str, payload: dict[str, Any]) -> dict[str, str]:
    op = operation_model(claim, operation)
    assert op is not None
    return values_from_data(form_tree(op.payload), payload)


def do_operation(
    page: Page, application_id: str, operation: str, payload: dict[str, Any] | None = None, *, name: str = ""
) -> None:
    """From the claim page: the operation's link, its form filled with ``payload`` (or a complete form
    of tests.shorthands, answering the claim's heads), submitted; back on the claim page, updated."""
    claim = Claim.objects.get(pk=int(application_id))
    protocol = ClaimType(claim.claim_type).protocol.value
    payload = form_shorthand(protocol, operation, dict(payload or {}), claim.state)
    page.goto(f"/claims/{application_id}/")  # as it is now (the other party may have acted)
    shot(page)
    page.locator(f'a[href$="/operations/{operation}/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/operations/{operation}/$"))
    values = operation_values(claim, operation, payload)
    errors = page.locator(".govuk-error-summary")
    if page.locator('input[name="_page"]').count():  # a long form: one topic a page, then the check page
        op = operation_model(claim, operation)
        assert op is not None
        form_pages = operation_pages(operation, form_tree(op.payload))
        for number, form_page in enumerate(form_pages, start=1):
            expect(page.locator('input[name="_page"]')).to_have_value(form_page.key)
            expect(page.get_by_role("heading", level=1)).to_have_text(form_page.title)
            mine = {k: v for k, v in values.items() if form_page.owns(k.split("[", 1)[0])}
            absent = fill(page, mine)
            assert not absent, f"{operation}, {form_page.title}: no input for {absent}"
            shot(page, f"{name}-page-{number}" if name else "")
            page.get_by_role("button", name="Continue", exact=True).click()
            if errors.count():
                pytest.fail(f"{operation}, {form_page.title}: {errors.inner_text()}", pytrace=False)
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
        shot(page, f"{name}-check" if name else "")
        page.locator('.govuk-button-group button[name="_action"][value="send"]').click()
    else:
        absent = fill(page, values)
        assert not absent, f"{operation}: no input for {absent}"
        shot(page, name)
        page.locator('.govuk-button-group button[name="_action"][value="submit"]').click()
    if errors.count():
        pytest.fail(f"{operation} refused: {errors.inner_text()}", pytrace=False)
    if page.get_by_role("button", name="Confirm and send").count():  # the amounts, checked first
        shot(page, f"{name}-confirm" if name else "")
        page.get_by_role("button", name="Confirm and send").click()
        if errors.count():
            pytest.fail(f"{operation} refused: {errors.inner_text()}", pytrace=False)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {application_id}")


def at_phase(page: Page, application_id: str, phase_name: str) -> None:
    page.goto(f"/claims/{application_id}/")
    shot(page)
    expect(page.locator(".govuk-summary-list").first).to_contain_text(phase_name)


def fill_pages(
    page: Page, pages: tuple[FormPage, ...], cnf: dict[str, Any], *, shots: str, button: str
) -> None:
    """Each page in turn, filled with its part of ``cnf``; its button leads to the next page."""
    for index, form_page in enumerate(pages):
        expect(page.get_by_role("heading", level=1)).to_have_text(form_page.title)
        absent = fill(page, values_from_data(form_page.root, page_data(form_page, cnf)))
        assert not absent, (form_page.title, absent)
        shot(page, f"{shots}-page-{form_page.section}-{form_page.key}" if index < 3 else "")
        page.get_by_role("button", name=button, exact=True).click()
        if page.locator(".govuk-error-summary").count():
            pytest.fail(
                f"{form_page.title}: {page.locator('.govuk-error-summary').inner_text()}", pytrace=False
            )


def new_cnf(page: Page, claim_type: str, cnf: dict[str, Any], *, shots: str) -> str:
    """A claimant representative's new claim: type, compensator, every page (one topic each), check,
    send. Returns the application ID."""
    page.get_by_role("link", name="Start a new claim").click()
    shot(page, f"{shots}-new-claim")
    page.locator(f'input[name="claimType"][value="{claim_type}"]').check()
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claim Notification Form")
    application_id = str(re.findall(r"/drafts/(\d+)/", page.url)[0])
    shot(page, f"{shots}-draft-tasks")

    page.get_by_role("link", name="Compensator").click()
    shot(page)
    # The compensator's picker searches as you type (a combobox): type, then choose a match.
    page.get_by_role("combobox", name="Name of the compensator or insurer").fill("Insurer")
    page.get_by_role("option", name=re.compile(r"^Insurer plc")).click()
    expect(page.get_by_role("combobox", name="Name of the compensator or insurer")).to_have_value(
        re.compile(r"^Insurer plc")
    )
    shot(page, f"{shots}-draft-compensator")
    page.get_by_role("button", name="Choose this compensator").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The claim will be sent to Insurer plc"
    )
    shot(page)

    # Page by page (one topic each): "Save and continue" leads from each page to the next, then to the
    # check. The pages' fields are the form's (the compensator chosen, the EL/PL claim type and the
    # send date are filled by the portal).
    pages = pages_for(
        claim_type, FIRM, cnf_settings(claim_type, Claim.objects.get(pk=int(application_id)).cnf)
    )
    page.get_by_role("link", name=pages[0].title, exact=True).click()
    fill_pages(page, pages, cnf, shots=shots, button="Save and continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the claim")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    shot(page, f"{shots}-draft-check")
    change = page.locator('a[href*="/sections/"][href*="#"]').first  # an answer's "Change" link
    target = str(change.get_attribute("href"))
    change.click()
    expect(page).to_have_url(re.compile(re.escape(target.partition("#")[0]) + "#"))
    expect(page.locator(f"#{target.partition('#')[2]}")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the claim")
    page.get_by_role("button", name="Send the claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {application_id}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Claim {application_id} sent")
    return application_id


# --------------------------------------------------------------------------------------------------
# The journeys
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def comp_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context, page = new_page(browser, live_server)
    yield page
    context.close()


def test_rta_claim_from_a_new_cnf_to_settlement(world: World, page: Page, comp_page: Page) -> None:
    cr, comp = page, comp_page
    sign_in_as(cr, "cr.handler")
    shot(cr, "journey-rta-cr-worklist")
    app = new_cnf(cr, "RTA", cnf_example("RTA", surname="Adeyemi"), shots="journey-rta")
    shot(cr, "journey-rta-claim-sent")

    sign_in_as(comp, "comp.handler")
    row = comp.get_by_role("table", name="Other activities").get_by_role("row").filter(has_text=app)
    expect(row).to_contain_text("Adeyemi")
    expect(row).to_contain_text("CNF Submitted")
    shot(comp, "journey-rta-comp-worklist")
    row.get_by_role("link", name=app).click()
    shot(comp, "journey-rta-comp-claim")
    comp.get_by_role("button", name="Lock the claim").click()
    expect(comp.locator(".govuk-summary-list").first).to_contain_text("Locked to you")
    shot(comp)
    do_operation(
        comp, app, "acceptClaim", {"insurerClaimReferenceNumber": "INS/2026/77"}, name="journey-rta-accept"
    )
    do_operation(comp, app, "applyArticle75", {"isArticle75": False})
    do_operation(comp, app, "sendLiabilityDecision", {"liabilityDecision": "A"}, name="journey-rta-liability")
    at_phase(comp, app, "Liability Admitted")

    do_operation(cr, app, "acknowledgeLiabilityAdmitted", {}, name="journey-rta-acknowledge")
    do_operation(cr, app, "setInterimPaymentNeeded", {"isInterimPaymentNeeded": False})
    do_operation(cr, app, "addStage2SPFRequest", name="journey-rta-stage2-request")
    do_operation(
        comp, app, "addStage2SPFResponse", {"settlementPackDecision": "C"}, name="journey-rta-stage2-response"
    )
    do_operation(cr, app, "acknowledgeStage2SPFConfirmation", {})
    at_phase(cr, app, "Stage 2 Settlement Pack Confirmation End")
    history = cr.get_by_role("table", name="Process history")
    expect(
        history.get_by_role("row").filter(has_text="Responded to the Stage 2 Settlement Pack")
    ).to_contain_text("comp.handler")
    cr.get_by_text("Respond to the Stage 2 Settlement Pack").first.click()  # the form, readable
    shot(cr, "journey-rta-settled")


def test_el_claim_to_the_court_proceedings_pack(world: World, page: Page, comp_page: Page) -> None:
    """The claimant representative's side on a 320 px wide screen."""
    cr, comp = page, comp_page
    narrow(cr)
    sign_in_as(cr, "cr.handler")
    app = new_cnf(cr, "EL", cnf_example("EL", surname="Kowalski"), shots="journey-el")
    sign_in_as(comp, "comp.handler")
    do_operation(comp, app, "acknowledgeClaim", {})
    do_operation(comp, app, "acceptClaim", {})
    do_operation(comp, app, "sendLiabilityDecision", {"liabilityDecision": "A"})
    do_operation(cr, app, "acknowledgeLiabilityAdmitted", {})
    do_operation(cr, app, "setInterimPaymentNeeded", {"isInterimPaymentNeeded": False})
    do_operation(cr, app, "addStage2SPFRequest")
    do_operation(comp, app, "addStage2SPFResponse", {"settlementPackDecision": "CO"})
    do_operation(cr, app, "setStage2SPFCounterOfferNeeded", {"isStage2SPFCounterOfferNeeded": False})
    do_operation(cr, app, "setStage2SPFAgreementDecision", {"isAgreed": False}, name="journey-el-not-agreed")
    at_phase(cr, app, "Court Proceedings Pack Form")
    do_operation(cr, app, "addCPPFRequest", name="journey-el-court-pack")
    do_operation(comp, app, "addCPPFResponse", name="journey-el-court-pack-response")
    at_phase(cr, app, "End of Stage 2")
    shot(cr, "journey-el-end-of-stage-2")


def test_an_rta_cnf_page_by_page_on_a_320_px_screen(world: World, page: Page) -> None:
    """The RTA form's pages (its longest) on a narrow screen: each reflows without scrolling sideways,
    axe-core clean; "Change" on the check page lands on the page's field."""
    narrow(page)
    sign_in_as(page, "cr.handler")
    app = new_cnf(page, "RTA", cnf_example("RTA", surname="Nwosu"), shots="journey-rta-narrow")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {app}")
    shot(page, "journey-rta-narrow-sent")
