"""Helpers of the account and console tests: a session in a section, the pages' error summaries."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.test import Client

from claimsportal.organisations.models import User
from claimsportal.web.account.sections import SECTION_KEY

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PASSWORD = "Passw0rd!Passw0rd"  # the world's users' password
GOOD = "Claims-Portal-2026!x"  # a password that passes the 2023 rules


def in_section(client: Client, user: User, section: str) -> None:
    """A signed-in session in a section, without the sign-in pages (tested on their own)."""
    client.force_login(user)
    session = client.session
    session[SECTION_KEY] = section
    session.save()


def sign_in(client: Client, user_id: str, *, section: str = "claims", password: str = PASSWORD) -> Response:
    return client.post("/login/", {"username": user_id, "password": password, "section": section})


def page(response: Any) -> str:
    return str(response.content.decode())


def error_summary(response: Any) -> str:
    """The error summary's text (title and items), or "" when the page has none."""
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page(response), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip() if found else ""


def summary_links(response: Any) -> list[tuple[str, str]]:
    """(href, text) of each link of the error summary."""
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page(response), re.S)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', found.group(0)) if found else []


def signed_in_user_pk(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None
