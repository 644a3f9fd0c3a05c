"""The two sections of the portal (ADMINISTRATION.md §1.1, §2.6): a session knows the one chosen at
sign-in, and opens only its pages.

A Claims Portal session opens the worklist and the claim pages but not the console; an Administration
session opens the console (the Administrator's and the operator's) but no claim page. The account
pages (password, authenticator app, sign in as another user) belong to both. A refused page is a 403
page with the §2.6 message, never a silent redirect.

A session signed in by other means than the sign-in page (the tests' ``client.login``) has no section
and counts as a Claims Portal session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claimsportal.organisations import accounts
from claimsportal.organisations.accounts import Section

SECTION_KEY = "cp_section"
PENDING_KEY = "cp_pending_sign_in"  # a sign-in with steps still to do (password, code, agreement)
REAL_USER_KEY = "cp_real_user"  # while a team leader acts as another user: who really acts (pk)
REAL_USER_ID_KEY = "cp_real_user_id"  # … and their user ID, for the banner

SECTION_NAMES = {Section.CLAIMS: "Claims Portal", Section.ADMIN: "Administration"}

# Console pages anybody may open: the online registration of an organisation.
PUBLIC_CONSOLE_PAGES = frozenset({"console-register", "console-register-check", "console-register-done"})


def section_of(request: HttpRequest) -> Section:
    return Section(request.session.get(SECTION_KEY, Section.CLAIMS.value))


def area_of(route: str, url_name: str | None) -> Section | None:
    """Which section a page belongs to; None for pages of both (account) or of none (sign-in)."""
    if route.startswith("console/"):
        return None if url_name in PUBLIC_CONSOLE_PAGES else Section.ADMIN
    if route == "" or route.startswith(("claims/", "work/")):
        return Section.CLAIMS
    return None


def wrong_section(request: HttpRequest) -> HttpResponse:
    section = section_of(request)
    return render(
        request,
        "web/account/wrong_section.html",
        {
            "message": accounts.WRONG_SECTION,
            "section_name": SECTION_NAMES[section],
            "other_section_name": SECTION_NAMES[
                Section.ADMIN if section is Section.CLAIMS else Section.CLAIMS
            ],
        },
        status=403,
    )


class SectionMiddleware:
    """Refuses a page of the other section (after authentication, before the view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        area = area_of(match.route, match.url_name)
        if area is not None and area is not section_of(request):
            return wrong_section(request)
        return None


def acting_as(request: HttpRequest) -> bool:
    """True while a team leader acts as another user (the session remembers the real one)."""
    return REAL_USER_KEY in request.session
