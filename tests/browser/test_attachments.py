"""Attachments in the browser: upload from the claim page, the list and the download link, the form's
errors on a page of their own; every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from claimsportal.claims.acting import format_application_id
from claimsportal.documents.models import Attachment
from tests.browser.conftest import BROWSER_TESTS, check_page, sign_in
from tests.conftest import World, send_claim

pytestmark = BROWSER_TESTS

CONTENT = b"%PDF-1.4 a medical report"


@pytest.fixture(autouse=True)
def _training_mode(settings: Any) -> None:
    """No e-mailed sign-in code (live mode's, tested in test_account_sign_in.py)."""
    settings.CLAIMSPORTAL_MODE = "training"


def test_a_handler_adds_an_attachment_from_the_claim_page(world: World, page: Page) -> None:
    number = format_application_id(send_claim(world).application_id)
    sign_in(page, "cr.handler")
    page.goto(f"/claims/{number}/")
    expect(page.get_by_role("heading", name="Attachments")).to_be_visible()
    expect(page.get_by_text("No attachments yet.")).to_be_visible()

    # Nothing chosen: the errors, beside their fields, on the upload's own page.
    page.get_by_text("Add an attachment").click()
    page.get_by_role("button", name="Add attachment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an attachment")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a file to upload")
    expect(summary).to_contain_text("Enter a title")
    check_page(page, "attachment-errors")

    page.get_by_label("File", exact=True).set_input_files(
        files=FilePayload(name="report.pdf", mimeType="application/pdf", buffer=CONTENT)
    )
    page.get_by_label("Title", exact=True).fill("Medical report")
    page.get_by_label("Description (optional)").fill("By Dr Patel")
    page.get_by_role("button", name="Add attachment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {number}")
    expect(page.get_by_role("alert")).to_contain_text("Attachment “Medical report” added (report.pdf)")
    table = page.get_by_role("table", name="Attachments")
    expect(table).to_contain_text("By Dr Patel")
    expect(table).to_contain_text("cr.handler (Claimant Firm LLP)")
    check_page(page, "claim-with-attachment")

    with page.expect_download() as download:
        table.get_by_role("link", name="report.pdf").click()
    assert download.value.suggested_filename == "report.pdf"
    assert Attachment.objects.get().size == len(CONTENT)
