"""One's own account: the sign-in steps after the password, the forgotten-password reset, the
authenticator app, one's password, and a team leader's "Sign in as another user".

Every rule is the services' (organisations.accounts, organisations.administration); these views
only carry the person from one step to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from claimsportal.claims.acting import Actor
from claimsportal.core import clock
from claimsportal.organisations import accounts, administration
from claimsportal.organisations.accounts import Section
from claimsportal.organisations.models import User
from claimsportal.presentation.profiles import PROFILE_LABELS
from claimsportal.protocols.errors import PortalError
from claimsportal.web import pickers
from claimsportal.web.account import sections, signin
from claimsportal.web.account.forms import (
    ActAsForm,
    AgreementForm,
    CodeForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    add_password_problems,
    add_portal_error,
)

RESET_USER_KEY = "cp_reset_user_id"
TOTP_URI_KEY = "cp_totp_uri"
NEW_PASSWORD_NOT_SET = accounts.NEW_PASSWORD_NOT_SET
PASSWORD_CHANGED = "Your password has been changed."  # noqa: S105 - a message
WRONG_CODE = "The code is not correct or has expired"
NOT_WHILE_ACTING = "You are acting as another user: return to your own account first"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def own_account[V: Callable[..., HttpResponse]](view: V) -> V:
    """Signed in, and not acting as someone else (one's own password and app are one's own)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if sections.acting_as(request):
            messages.error(request, NOT_WHILE_ACTING)
            return redirect("account-home")
        return view(request, *args, **kwargs)

    return login_required(wrapper)  # type: ignore[return-value]


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 2)}@{domain}"


# --------------------------------------------------------------------------------------------------
# The sign-in steps (a pending sign-in: nobody is signed in yet)
# --------------------------------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("current", "new", "confirm")
def password_expired(request: HttpRequest) -> HttpResponse:
    found = signin.pending(request)
    if found is None or found[0]["code"] or not found[0]["password"]:
        return signin.next_step(request) if found else redirect("login")  # the code comes first
    state, user = found
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        problems = accounts.change_password(
            user, form.cleaned_data["current"], form.cleaned_data["new"], form.cleaned_data["confirm"]
        )
        if not problems:
            state["password"] = False
            signin.save(request, state)
            messages.success(request, PASSWORD_CHANGED)
            return signin.next_step(request)
        add_password_problems(form, problems.messages)
    return render(
        request,
        "web/account/password.html",
        {
            "form": form,
            "expired": True,
            "heading": accounts.PASSWORD_EXPIRED,
            "error_title": NEW_PASSWORD_NOT_SET,
            "signing_in": user,
        },
    )


@never_cache
def code(request: HttpRequest) -> HttpResponse:
    found = signin.pending(request)
    if found is None or not found[0]["code"]:
        return signin.next_step(request) if found else redirect("login")
    state, user = found
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        accounts.send_sign_in_code(user)
        messages.success(request, "We have sent you a new code.")
        return redirect("account-code")
    if request.method == "POST" and form.is_valid():
        if accounts.check_sign_in_code(user, form.cleaned_data["code"]):
            state["code"] = False
            signin.save(request, state)
            return signin.next_step(request)
        state["wrong_codes"] += 1
        signin.save(request, state)
        if state["wrong_codes"] >= signin.MAX_WRONG_CODES:
            return signin.abandon(request, signin.TOO_MANY_CODES)
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "web/account/code.html",
        {"form": form, "app": user.totp_enabled, "email": mask_email(user.email)},
    )


@never_cache
def agreement(request: HttpRequest) -> HttpResponse:
    found = signin.pending(request)
    if found is None or found[0]["password"] or found[0]["code"] or not found[0]["agreement"]:
        return signin.next_step(request) if found else redirect("login")
    state, user = found
    current = accounts.current_agreement()
    form = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmation = administration.accept_agreement(user)
        except PortalError as error:
            add_portal_error(form, error)
        else:
            state["agreement"] = False
            signin.save(request, state)
            messages.success(request, confirmation)
            return signin.next_step(request)
    return render(request, "web/account/agreement.html", {"form": form, "agreement": current})


# --------------------------------------------------------------------------------------------------
# Forgotten password, or the first sign-in of a new Administrator (a code by e-mail)
# --------------------------------------------------------------------------------------------------


@never_cache
def reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answer = accounts.request_password_reset(
            form.cleaned_data["user_id"],
            form.cleaned_data["email"],
            address=request.META.get("REMOTE_ADDR") or "unknown",
        )
        if answer.message == accounts.RESET_SENT:
            request.session[RESET_USER_KEY] = form.cleaned_data["user_id"].strip()
            messages.success(request, answer.message)
            return redirect("account-reset-code")
        form.add_error("user_id", answer.message)
    return render(request, "web/account/reset_request.html", {"form": form})


@never_cache
@sensitive_post_parameters("code", "new", "confirm")
def reset_complete(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(
        request.POST if request.method == "POST" else None,
        initial={"user_id": request.session.get(RESET_USER_KEY, "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problems = accounts.complete_password_reset(
            data["user_id"], data["code"], data["new"], data["confirm"]
        )
        if not problems:
            request.session.pop(RESET_USER_KEY, None)
            messages.success(request, "Your password has been set. Sign in with your new password.")
            return redirect("login")
        add_password_problems(form, problems.messages)
    return render(
        request, "web/account/reset_complete.html", {"form": form, "error_title": NEW_PASSWORD_NOT_SET}
    )


# --------------------------------------------------------------------------------------------------
# Signed in: the account page, one's password, the authenticator app
# --------------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profiles = [PROFILE_LABELS.get(p, p) for p in user.profiles]
    return render(
        request,
        "web/account/home.html",
        {
            "account": user,
            "profiles": profiles,
            "section_name": sections.SECTION_NAMES[sections.section_of(request)],
            "team_leader": any(p.team_leader for p in user.claims_profiles())
            and sections.section_of(request) is Section.CLAIMS,
            "acting": sections.acting_as(request),
        },
    )


@own_account
@never_cache
@sensitive_post_parameters("current", "new", "confirm")
def change_password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problems = accounts.change_password(user, data["current"], data["new"], data["confirm"])
        if not problems:
            update_session_auth_hash(request, user)  # this session stays signed in
            messages.success(request, PASSWORD_CHANGED)
            return redirect("account-home")
        add_password_problems(form, problems.messages)
    return render(
        request,
        "web/account/password.html",
        {
            "form": form,
            "expired": False,
            "heading": "Change your password",
            "error_title": NEW_PASSWORD_NOT_SET,
        },
    )


@own_account
@never_cache
def authenticator(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        request.session[TOTP_URI_KEY] = accounts.start_totp_setup(user)
        return redirect("account-authenticator-confirm")
    return render(request, "web/account/authenticator.html", {"enabled": user.totp_enabled})


@own_account
@never_cache
def authenticator_confirm(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    uri = request.session.get(TOTP_URI_KEY)
    if not uri or user.totp_enabled:
        return redirect("account-authenticator")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if accounts.confirm_totp(user, form.cleaned_data["code"]):
            request.session.pop(TOTP_URI_KEY, None)
            messages.success(
                request, "Your authenticator app is set up: from now on, sign in with the code it shows."
            )
            return redirect("account-home")
        form.add_error("code", "The code is not correct: check the time on your device and try again")
    secret = parse_qs(urlsplit(uri).query).get("secret", [""])[0]
    return render(
        request,
        "web/account/authenticator_confirm.html",
        {"form": form, "uri": uri, "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))},
    )


# --------------------------------------------------------------------------------------------------
# Team leaders: sign in as another user (ADMINISTRATION.md §1.6)
# --------------------------------------------------------------------------------------------------


@login_required
@never_cache
def act_as(request: HttpRequest) -> HttpResponse:
    if sections.acting_as(request):
        messages.error(request, NOT_WHILE_ACTING)
        return redirect("account-home")
    if sections.section_of(request) is not Section.CLAIMS:
        return sections.wrong_section(request)
    leader = _user(request)
    people = [  # the claims users of the organisation (those the service lets a leader act as)
        (
            u.user_id,
            f"{' '.join(p for p in (u.forename, u.surname) if p)} ({u.user_id})" if u.surname else u.user_id,
        )
        for u in User.objects.filter(
            organisation=leader.organisation, is_enabled=True, is_active=True, is_operator=False
        )
        .exclude(pk=leader.pk)
        .order_by("surname", "forename", "user_id")
        if u.claims_profiles()
    ]
    searching = request.method == "POST" and pickers.searching(request.POST, "user_id")
    form = ActAsForm(request.POST if request.method == "POST" and not searching else None, people=people)
    if request.method == "POST" and not searching and form.is_valid():
        try:
            target = administration.login_as(leader, form.cleaned_data["user_id"])  # audited
        except PortalError as error:
            if error.code == "FORBIDDEN_PROFILE":
                return render(request, "web/account/forbidden.html", {"message": error.message}, status=403)
            add_portal_error(form, error, {"userId": "user_id"})
        else:
            previous_login = target.last_login
            login(request, target)  # a new session for the user acted as …
            # … without counting as their own sign-in (Django's signal sets last_login)
            User.objects.filter(pk=target.pk).update(last_login=previous_login)
            request.session[sections.SECTION_KEY] = Section.CLAIMS.value
            request.session[sections.REAL_USER_KEY] = leader.pk
            request.session[sections.REAL_USER_ID_KEY] = leader.user_id
            messages.success(request, f"You are now acting as {target.user_id}.")
            return redirect("worklist")
    if not any(p.team_leader for p in leader.claims_profiles()):  # what the service will say
        return render(
            request,
            "web/account/forbidden.html",
            {"message": "Only a team leader can sign in as another user"},
            status=403,
        )
    try:
        source = pickers.user_source(Actor.for_user(leader), acting_as=True)
    except PortalError as error:
        return render(request, "web/account/forbidden.html", {"message": error.message}, status=403)
    picker = pickers.build_picker(
        source,
        name="user_id",
        id=form["user_id"].auto_id,
        label=str(form["user_id"].label),
        hint=str(form["user_id"].help_text),
        kind="user",
        params={"purpose": "act-as"},
        value=str(request.POST.get("user_id", "")),
        query=str(request.POST.get("user_id-q", "")),
        errors=[str(e) for e in form.errors.get("user_id", [])],
        empty_text="Choose a person",
        label_class="",
    )
    return render(request, "web/account/act_as.html", {"form": form, "picker": picker})


@require_POST
@login_required
def act_as_return(request: HttpRequest) -> HttpResponse:
    real_pk = request.session.get(sections.REAL_USER_KEY)
    if real_pk is None:
        return redirect("account-home")
    real = User.objects.select_related("organisation").filter(pk=real_pk).first()
    if real is None or not real.may_sign_in(clock.real_today()):
        logout(request)
        messages.error(request, accounts.YOUR_LOGIN_FAILED)
        return redirect("login")
    previous_login = real.last_login
    login(request, real)
    User.objects.filter(pk=real.pk).update(last_login=previous_login)
    request.session[sections.SECTION_KEY] = Section.CLAIMS.value
    messages.success(request, "You are back in your own account.")
    return redirect("worklist")
