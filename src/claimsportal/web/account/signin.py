"""The steps of a sign-in after the password (ADMINISTRATION.md §2.3-§2.6, §1.9).

``accounts.sign_in`` says what is still to do; the session keeps a *pending* sign-in (the user, the
section, the steps left) and nobody is signed in until every step is done:

1. a new password, when the password has expired (first sign-in, reset by an Administrator, too old);
2. the one-time code, in live mode (e-mailed, or from the user's authenticator app);
3. the user agreement, for an Administrator of an organisation that has not accepted the current one.

Then ``django.contrib.auth.login`` (a new session key) and ``accounts.complete_sign_in``. A pending
sign-in lasts 15 minutes and allows 5 wrong codes; then the person signs in again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from claimsportal.core import clock
from claimsportal.organisations import accounts
from claimsportal.organisations.accounts import Section, SignInOutcome
from claimsportal.organisations.models import User
from claimsportal.web.account.sections import PENDING_KEY, SECTION_KEY, area_of

PENDING_MINUTES = 15
MAX_WRONG_CODES = accounts.MAX_CODE_ATTEMPTS
TIMED_OUT = "Your sign-in took too long: sign in again"
TOO_MANY_CODES = "The code was wrong too many times: sign in again"


def home_url(section: Section) -> str:
    return reverse("console-home") if section is Section.ADMIN else reverse("worklist")


def safe_next(request: HttpRequest, next_url: str, section: Section) -> str:
    """``next`` when it is a page of this portal that the section opens, else the section's home."""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        try:
            match = resolve(next_url.split("?")[0])
        except Resolver404:
            return home_url(section)
        if area_of(match.route, match.url_name) in (None, section) and match.url_name != "login":
            return next_url
    return home_url(section)


def start(request: HttpRequest, outcome: SignInOutcome, section: Section, next_url: str) -> HttpResponse:
    user = outcome.user
    assert user is not None
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "section": section.value,
        "password": outcome.must_change_password,
        "code": outcome.needs_code,
        "agreement": outcome.needs_agreement,
        "next": safe_next(request, next_url, section),
        "started": clock.real_now().isoformat(),
        "code_sent": False,
        "wrong_codes": 0,
    }
    return next_step(request)


def pending(request: HttpRequest) -> tuple[dict[str, Any], User] | None:
    """The pending sign-in and its user, if one is under way and not timed out."""
    state = request.session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    started = datetime.fromisoformat(state["started"])
    if clock.real_now() - started > timedelta(minutes=PENDING_MINUTES):
        request.session.pop(PENDING_KEY, None)
        messages.error(request, TIMED_OUT)
        return None
    user = User.objects.select_related("organisation").filter(pk=state["user"]).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    return state, user


def save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[PENDING_KEY] = state  # reassigned so that the session is saved


def abandon(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    messages.error(request, message)
    return redirect("login")


def next_step(request: HttpRequest) -> HttpResponse:
    found = pending(request)
    if found is None:
        return redirect("login")
    state, user = found
    # The second factor first: knowing the (issued or old) password alone must not let anyone set a
    # new one.
    if state["code"]:
        if not state["code_sent"]:
            accounts.send_sign_in_code(user)  # nothing is sent to a user of an authenticator app
            state["code_sent"] = True
            save(request, state)
        return redirect("account-code")
    if state["password"]:
        return redirect("account-password-expired")
    if state["agreement"]:
        return redirect("account-agreement")
    return finish(request, state, user)


def finish(request: HttpRequest, state: dict[str, Any], user: User) -> HttpResponse:
    if not user.may_sign_in(clock.real_today()):  # disabled while signing in
        return abandon(request, accounts.YOUR_LOGIN_FAILED)
    request.session.pop(PENDING_KEY, None)
    login(request, user)  # a new session key; Django's own last_login is replaced just below
    accounts.complete_sign_in(user)
    request.session[SECTION_KEY] = state["section"]
    return redirect(state["next"])
