"""Claim custody in the browser, axe-core on every page: the claim page says when and why the claim
will be deleted; Delete claim asks why and for a confirmation, then the claim is gone; the archive
search and an archived claim for the Search Archived Claims User; the operator's retention rules and
deletion report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.claims.models import Claim
from claimsportal.custody.rules import load_policy
from tests.browser.conftest import BROWSER_TESTS, check_page, sign_in
from tests.browser.test_console import make_operator, sign_in_to_administration
from tests.conftest import World, make_user, send_claim
from tests.custody.conftest import at

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"


@pytest.fixture(autouse=True)
def _policy(world: World) -> None:
    """The browser tests' database is emptied between tests, the migration's rules with it."""
    load_policy()


def test_a_claim_says_when_it_will_be_deleted_and_can_be_deleted_under_gdpr(world: World, page: Page) -> None:
    make_user(world.cr, "cr.deleter", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER,DELETE_CLAIMS")
    info = send_claim(world)
    Claim.objects.filter(pk=info.application_id).update(
        phase="FraudStated", owner_side="CR", updated_at=at(date(2026, 3, 2)), deadline_at=None
    )
    number = f"{info.application_id:08d}"
    sign_in(page, "cr.deleter")
    page.goto(f"/claims/{number}/")
    expect(page.locator("#retention")).to_contain_text("The portal will delete this claim on 2 April 2026")
    expect(page.locator("#retention")).to_contain_text("rule R02")
    check_page(page, "custody-claim-retention")

    page.get_by_role("link", name="Delete this claim under data protection law").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Delete claim {number} under data protection law"
    )
    check_page(page, "custody-delete-claim")
    page.get_by_role("button", name="Delete the claim").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why the claim must be deleted")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you understand")
    check_page(page, "custody-delete-claim-errors")
    page.get_by_label("Rectification: the claim was sent with wrong personal data").check()
    page.get_by_label(f"I understand that claim {number} will be deleted").check()
    page.get_by_role("button", name="Delete the claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {number} deleted")
    check_page(page, "custody-claim-deleted")
    page.goto(f"/claims/{number}/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(f"Claim {number}")


def test_the_archive_search_and_an_archived_claim(world: World, page: Page) -> None:
    make_user(world.cr, "cr.archive", "SEARCH_ARCHIVE")
    info = send_claim(world, surname="Archer")
    Claim.objects.filter(pk=info.application_id).update(
        phase="EndOfStage2Acknowledged",
        phase_entered_at=at(date(2026, 3, 2)),
        deadline_at=None,
        owner_side=None,
    )
    sign_in_to_administration(page, "cr.archive")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration console")
    page.get_by_role("link", name="Search archived claims").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search archived claims")
    check_page(page, "custody-archive-search")
    page.get_by_label("Application ID").fill("abc")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an application ID as a number")
    check_page(page, "custody-archive-search-error")
    page.get_by_label("Application ID").fill("")
    page.get_by_label("Claimant's surname").fill("arch")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=2, name="1 archived claim found")).to_be_visible()
    page.get_by_role("link", name=f"{info.application_id:08d}").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "The portal will delete this claim on 3 March 2027"
    )
    check_page(page, "custody-archive-claim")


def test_the_operator_reads_the_retention_rules_and_the_deletion_report(world: World, page: Page) -> None:
    make_operator(world)
    sign_in_to_administration(page, "portal.operator")
    page.get_by_role("link", name="Data retention").click()
    expect(page.get_by_role("table").first).to_contain_text("Fraud stated")
    check_page(page, "custody-operator-retention")
    page.goto("/console/")
    page.get_by_role("link", name="Deleted claims").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims deleted with Delete claim")
    check_page(page, "custody-operator-gdpr-report")
