"""Browser tests: Playwright (sync API) drives the system Chromium against pytest-django's live server.

Every page a test visits goes through :func:`check_page`: GOV.UK Frontend's JavaScript initialised,
axe-core (from ``node_modules``, ``make assets``) reports no violation, and a full-page screenshot is
saved under ``var/test-artefacts/screenshots/``.

Test modules here mark themselves ``browser`` and share one xdist group, so ``make test`` (``-n 2
--dist loadgroup``) runs them all on one worker. Without ``/usr/bin/chromium`` they are skipped with the
reason, or fail under ``CI=true``: CI installs it (``.ci/run``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
GOVUK_CSS = ROOT / "src" / "claimsportal" / "web" / "static" / "govuk" / "govuk-frontend.min.css"
SCREENSHOTS = ROOT / "var" / "test-artefacts" / "screenshots"
PASSWORD = "Passw0rd!Passw0rd"

# Every module of browser tests carries these (pytestmark = BROWSER_TESTS).
BROWSER_TESTS = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _cannot_run(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true the browser tests must run.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _plain_http_from_the_start() -> Iterator[None]:
    """Plain HTTP for the whole session, before the live server loads its middleware (SecurityMiddleware
    reads SECURE_SSL_REDIRECT once, when it is built): a test's own settings come too late for it."""
    with override_settings(SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_from_the_start: None, live_server: LiveServer) -> LiveServer:
    """pytest-django's live server (one per worker, on ``localhost``), started over plain HTTP."""
    return live_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one module of tests (a module's tests run on one worker, one after another)."""
    if not CHROMIUM.exists():
        _cannot_run(f"{CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)")
    for built, how in ((AXE_JS, "npm ci"), (GOVUK_CSS, "make assets")):
        if not built.exists():
            pytest.fail(f"{built.relative_to(ROOT)} is missing: run '{how}' (make test does).", pytrace=False)
    # Playwright's sync API keeps its asyncio loop marked as running in this thread while it is open, so
    # Django would take the tests' own ORM calls (fixtures, assertions) for calls from async code. They are
    # not; the live server answers in its own thread. Allowed only while Chromium is open.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server; relative URLs go to it.

    Fails the test if a page raised a JavaScript error, broke the Content-Security-Policy, or a static
    file did not load.
    """
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.add_init_script(path=AXE_JS)  # injected by the browser itself: no inline script, CSP or not
    problems: list[str] = []

    def on_response(response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"{message.text} (on {message.location.get('url')})")

    new_page = context.new_page()
    new_page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    new_page.on("response", on_response)
    new_page.on("console", on_console)
    yield new_page
    context.close()
    assert not problems, "\n".join(problems)


def check_page(page: Page, name: str, *, javascript: bool = True) -> Path:
    """The checks every page visited passes: GOV.UK Frontend's JavaScript initialised, no axe-core
    violation; then the page's full-page screenshot (returned).

    ``javascript=False`` for a page of a context without JavaScript (``java_script_enabled=False``),
    where axe-core cannot run (its timers never fire): axe-core checks a copy of the page as it is
    there, its scripts removed and its styles kept, in a context of its own."""
    # A click that navigates returns before the next document exists: wait for it to load and for
    # GOV.UK Frontend to mark its body, instead of reading a body that may not be there yet.
    page.wait_for_load_state("load")
    if not javascript:
        assert_no_axe_violations_without_javascript(page)
        return save_screenshot(page, name)
    try:
        page.wait_for_function(
            "() => document.body !== null && document.body.classList.contains('govuk-frontend-supported')",
            timeout=10_000,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(f"GOV.UK Frontend not initialised on {page.url}") from None
    assert_no_axe_violations(page)
    return save_screenshot(page, name)


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core on the page (every rule it runs by default: WCAG 2.0-2.2 A and AA, best practice)."""
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
    )
    if not violations:
        return
    lines = [f"axe-core: {len(violations)} violation(s) on {page.url}"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
    message = "\n".join(lines)
    print(message)
    pytest.fail(message, pytrace=False)


def assert_no_axe_violations_without_javascript(page: Page) -> None:
    """axe-core on a copy of a page shown without JavaScript: the same document (no script in it, so
    nothing changes it), its stylesheets loaded from the live server (``<base>``)."""
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S | re.I)
    markup = markup.replace("<head>", f'<head><base href="{page.url}">', 1)
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.set_content(markup, wait_until="load")
        assert copy.evaluate("document.body.classList.contains('js-enabled')") is False
        copy.add_script_tag(path=str(AXE_JS))
        assert_no_axe_violations(copy)
    finally:
        context.close()


def save_screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def sign_in(page: Page, user_id: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("User ID").fill(user_id)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
