"""The webhook pages in the browser, checked with axe-core: an Administrator adds an endpoint (the
secret shown once), sends a test event to the reference receiver, reads the log and redelivers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claimsportal.core import clock as clock_module
from claimsportal.webhooks.models import Delivery
from tests.browser.conftest import BROWSER_TESTS, check_page
from tests.browser.test_console import sign_in_to_administration
from tests.conftest import World
from tests.webhooks.receiver import running_receiver

pytestmark = BROWSER_TESTS


@pytest.fixture(autouse=True)
def _training_with_loopback(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"
    settings.CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = True  # the receiver listens on loopback
    settings.CLAIMSPORTAL_WEBHOOK_TIMEOUT = 2.0


def test_an_administrator_adds_an_endpoint_tests_it_and_redelivers(world: World, page: Page) -> None:
    with running_receiver() as receiver:
        receiver.now = lambda: clock_module.real_now().timestamp()  # the tests' fixed real time
        sign_in_to_administration(page, "cr.admin")
        page.get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
        check_page(page, "console-webhooks-empty")
        page.get_by_role("link", name="Add an endpoint").click()
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the URL")
        check_page(page, "console-webhook-new-errors")
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("A claim was handed to your organisation by the other party").check()
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhook endpoint added")
        expect(page.locator("#signing-secret")).to_have_text(re.compile(r"^whsec_\S+$"))
        check_page(page, "console-webhook-secret")
        receiver.secrets[page.locator("#key-id").inner_text()] = page.locator("#signing-secret").inner_text()
        page.get_by_role("link", name="Go to the endpoint").click()
        page.get_by_role("button", name="Send a test event").click()
        expect(page.get_by_role("alert")).to_contain_text("Your endpoint accepted the test event")
        expect(page.get_by_role("table")).to_contain_text("Delivered")
        check_page(page, "console-webhook")
        assert [r.kind for r in receiver.genuine] == ["webhook.test"]
        page.get_by_role("button", name=re.compile("^Redeliver")).click()
        expect(page.get_by_role("alert")).to_contain_text("The event will be sent again in a moment")
        assert Delivery.objects.get().status == Delivery.Status.PENDING
        page.get_by_role("link", name="Delete endpoint").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Delete the endpoint")
        check_page(page, "console-webhook-delete")
