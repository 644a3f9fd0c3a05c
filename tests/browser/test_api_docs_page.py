"""The A2A API's documentation page is accessible (axe-core, WCAG 2.2 AA; issue 18): our own page read
from the OpenAPI document, at desktop width and at 320 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import BROWSER_TESTS, check_page

pytestmark = BROWSER_TESTS


def test_the_api_documentation_passes_axe_and_reflows(db: None, page: Page) -> None:
    page.goto("/a2a/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims Portal A2A API")
    expect(page.get_by_role("link", name="OpenAPI document (JSON)")).to_be_visible()
    page.get_by_role("link", name="POST /a2a/v1/token", exact=True).click()
    expect(page.get_by_role("heading", name="POST /a2a/v1/token", level=2)).to_be_in_viewport()
    check_page(page, "api-docs")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_page(page, "api-docs-320")
