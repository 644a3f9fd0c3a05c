"""Signing in through the pages (ADMINISTRATION.md §2.6): the Section, each refusal with its exact
message, then the steps the outcome asks for (new password, code, agreement) before anybody is signed
in; the code read from a real SMTP server; sections keep to their pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.organisations import accounts
from claimsportal.organisations.models import OneTimeCode, User
from claimsportal.organisations.services import create_user
from tests.conftest import World
from tests.web.signing_in import (
    GOOD,
    PASSWORD,
    error_summary,
    in_section,
    page,
    sign_in,
    signed_in_user_pk,
    summary_links,
)
from tests.web.smtp_sink import SmtpSink, running_smtp_sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "live"
    settings.CLAIMSPORTAL_PASSWORD_RULES = "2023"


@pytest.fixture
def training(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"
    settings.CLAIMSPORTAL_PASSWORD_RULES = "2023"


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    with running_smtp_sink(settings) as sink:
        yield sink


@pytest.fixture
def operator(world: World) -> User:
    user = create_user(
        organisation=world.cr,
        user_id="portal.operator",
        email="op@example.org",
        profiles="ADMINISTRATOR",
        password=PASSWORD,
    ).user
    User.objects.filter(pk=user.pk).update(is_operator=True, organisation=None, must_change_password=False)
    return User.objects.get(pk=user.pk)


# --------------------------------------------------------------------------------------------------
# The form and its refusals
# --------------------------------------------------------------------------------------------------


def test_the_sign_in_page_asks_for_the_section(db: None, client: Client) -> None:
    html = page(client.get("/login/"))
    assert '<label class="govuk-label" for="id_section">Section</label>' in html
    assert '<option value="claims" selected>Claims Portal</option>' in html
    assert '<option value="admin">Administration</option>' in html
    assert 'href="/account/reset/">Forgotten your password or first sign-in?</a>' in html


def _disable(user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_enabled=False, disabled_reason="ADMIN")


def _expire(user: User) -> None:
    User.objects.filter(pk=user.pk).update(expiry_date="2026-03-01")


def _publish(_user: User) -> None:
    accounts.publish_agreement(version="2026-1", title="User Agreement", text="The agreement's text.")


@pytest.mark.parametrize(
    ("user_id", "password", "section", "prepare", "message", "field"),
    [
        ("nobody.here", PASSWORD, "claims", None, "Login failed", "#id_username"),
        ("cr.handler", "wrong", "claims", None, "Login failed", "#id_username"),
        ("cr.handler", PASSWORD, "claims", _disable, "Your login failed", "#id_username"),
        ("cr.handler", PASSWORD, "claims", _expire, "Your account has expired", "#id_username"),
        (
            "cr.admin",
            PASSWORD,
            "claims",
            None,
            "Your profile can't grant you access to the Rapid Claim Settlement web site",
            "#id_section",
        ),
        (
            "cr.handler",
            PASSWORD,
            "admin",
            None,
            "Your profile can't grant you access to the Rapid Claim Settlement web site",
            "#id_section",
        ),
    ],
)
def test_each_refusal_shows_the_documented_message_linked_to_its_field(
    world: World,
    client: Client,
    training: None,
    user_id: str,
    password: str,
    section: str,
    prepare: Any,
    message: str,
    field: str,
) -> None:
    if prepare is not None:
        prepare(User.objects.get(user_id=user_id) if user_id != "nobody.here" else world.cr_handler)
    response = sign_in(client, user_id, password=password, section=section)
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page(response)
    assert summary_links(response) == [(field, message.replace("'", "&#x27;"))]
    assert signed_in_user_pk(client) is None


def test_an_organisation_without_the_current_agreement_is_sent_to_its_administrator(
    world: World, client: Client, training: None
) -> None:
    _publish(world.cr_handler)
    response = sign_in(client, "cr.handler")
    assert (
        "Your organisation has not accepted the current user agreement: please contact your Administrator"
        in error_summary(response)
    )
    assert signed_in_user_pk(client) is None


def test_an_unknown_user_and_a_wrong_password_get_the_same_page(
    world: World, client: Client, training: None
) -> None:
    unknown = sign_in(client, "nobody.here", password="Wrong-Password-1")
    wrong = sign_in(client, "cr.handler", password="Wrong-Password-1")
    assert error_summary(unknown) == error_summary(wrong) == "There is a problem Login failed"


def test_empty_fields_are_named(db: None, client: Client) -> None:
    response = client.post("/login/", {"username": "", "password": "", "section": ""})
    assert summary_links(response) == [
        ("#id_username", "Enter your user ID"),
        ("#id_password", "Enter your password"),
        ("#id_section", "Choose the section to sign in to"),
    ]


# --------------------------------------------------------------------------------------------------
# Training mode: no code
# --------------------------------------------------------------------------------------------------


def test_in_training_mode_a_claims_user_reaches_the_worklist_at_once(
    world: World, client: Client, clock: FixedClock, training: None
) -> None:
    response = sign_in(client, "CR.Handler")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user_pk(client) == world.cr_handler.pk
    assert client.session["cp_section"] == "claims"
    assert User.objects.get(pk=world.cr_handler.pk).last_login == clock.now()  # the portal's clock


def test_an_administrator_signs_in_to_the_console(world: World, client: Client, training: None) -> None:
    response = sign_in(client, "cr.admin", section="admin")
    assert response["Location"] == "/console/"
    assert client.session["cp_section"] == "admin"
    assert "Administration console" in page(client.get("/console/"))


def test_the_page_asked_for_is_opened_after_signing_in_but_not_another_site(
    world: World, client: Client, training: None
) -> None:
    response = client.post(
        "/login/?next=/account/",
        {"username": "cr.handler", "password": PASSWORD, "section": "claims", "next": "/account/"},
    )
    assert response["Location"] == "/account/"
    client.logout()
    response = client.post(
        "/login/",
        {
            "username": "cr.handler",
            "password": PASSWORD,
            "section": "claims",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"
    client.logout()
    response = client.post(
        "/login/", {"username": "cr.admin", "password": PASSWORD, "section": "admin", "next": "/"}
    )
    assert response["Location"] == "/console/", "an Administration session does not open the worklist"


def test_a_signed_in_user_going_to_the_sign_in_page_goes_home(
    world: World, client: Client, training: None
) -> None:
    in_section(client, world.cr_admin, "admin")
    assert client.get("/login/")["Location"] == "/console/"


def test_the_operator_signs_in_to_administration_only(operator: User, client: Client, training: None) -> None:
    refused = sign_in(client, "portal.operator")
    assert "Your profile can&#x27;t grant you access" in error_summary(refused)
    response = sign_in(client, "portal.operator", section="admin")
    assert response["Location"] == "/console/"
    assert "Operator's console" in page(client.get("/console/"))


# --------------------------------------------------------------------------------------------------
# Live mode: the code, from a real SMTP server
# --------------------------------------------------------------------------------------------------


def test_in_live_mode_the_code_comes_by_e_mail_and_only_then_is_the_user_signed_in(
    world: World, client: Client, clock: FixedClock, live: None, smtp_sink: SmtpSink
) -> None:
    response = sign_in(client, "cr.handler")
    assert response["Location"] == "/account/code/"
    assert signed_in_user_pk(client) is None
    assert client.get("/")["Location"].startswith("/login/"), "nobody is signed in yet"

    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "cr.handler@example.org"
    assert message["Subject"] == "Your Claims Portal sign-in code"
    code_page = page(client.get("/account/code/"))
    assert "We have sent a 6-digit code to <strong>c•••••••••@example.org</strong>" in code_page

    response = client.post("/account/code/", {"code": smtp_sink.last_code("cr.handler@example.org")})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user_pk(client) == world.cr_handler.pk
    assert client.session["cp_section"] == "claims"
    assert User.objects.get(pk=world.cr_handler.pk).last_login == clock.now()


def test_a_wrong_code_is_refused_and_five_end_the_attempt(world: World, client: Client, live: None) -> None:
    sign_in(client, "cr.handler")
    (message,) = mail.outbox
    right = next(w for w in message.body.split() if w.rstrip(".").isdigit()).rstrip(".")
    wrong = "000000" if right != "000000" else "111111"
    response = client.post("/account/code/", {"code": wrong})
    assert summary_links(response) == [("#id_code", "The code is not correct or has expired")]
    response = client.post("/account/code/", {"code": "12ab"})
    assert summary_links(response) == [("#id_code", "The code must be 6 digits")]
    for _ in range(4):
        response = client.post("/account/code/", {"code": wrong})
    assert response["Location"] == "/login/"
    assert "The code was wrong too many times: sign in again" in page(client.get("/login/"))
    assert client.post("/account/code/", {"code": right})["Location"] == "/login/"
    assert signed_in_user_pk(client) is None


def test_a_new_code_can_be_sent(world: World, client: Client, live: None) -> None:
    sign_in(client, "cr.handler")
    response = client.post("/account/code/", {"action": "resend"}, follow=True)
    assert "We have sent you a new code." in page(response)
    assert len(mail.outbox) == 2
    assert OneTimeCode.objects.filter(user=world.cr_handler, used_at__isnull=True).count() == 1


def test_a_user_of_an_authenticator_app_enters_its_code_and_gets_no_e_mail(
    world: World, client: Client, clock: FixedClock, live: None
) -> None:
    user = User.objects.get(pk=world.cr_handler.pk)
    accounts.start_totp_setup(user)
    assert accounts.confirm_totp(user, accounts._totp(user.totp_secret, accounts._step()))
    clock.advance(timedelta(seconds=30))
    sign_in(client, "cr.handler")
    assert mail.outbox == []
    assert "Open the authenticator app" in page(client.get("/account/code/"))
    response = client.post("/account/code/", {"code": accounts._totp(user.totp_secret, accounts._step())})
    assert response["Location"] == "/"


def test_a_sign_in_under_way_times_out_after_15_minutes(
    world: World, client: Client, clock: FixedClock, live: None
) -> None:
    sign_in(client, "cr.handler")
    clock.advance(timedelta(minutes=16))
    assert client.get("/account/code/")["Location"] == "/login/"
    assert "Your sign-in took too long: sign in again" in page(client.get("/login/"))


# --------------------------------------------------------------------------------------------------
# An expired password (first sign-in) and the user agreement
# --------------------------------------------------------------------------------------------------


def test_a_first_sign_in_changes_the_password_showing_every_broken_rule(
    world: World, client: Client, training: None
) -> None:
    User.objects.filter(pk=world.cr_handler.pk).update(must_change_password=True)
    response = sign_in(client, "cr.handler")
    assert response["Location"] == "/account/password-expired/"
    form_page = page(client.get("/account/password-expired/"))
    assert '<h1 class="govuk-heading-l">Your password has expired</h1>' in form_page
    assert signed_in_user_pk(client) is None

    response = client.post(
        "/account/password-expired/", {"current": PASSWORD, "new": "short", "confirm": "short"}
    )
    summary = error_summary(response)
    assert summary.startswith("New password not set")
    links = summary_links(response)
    assert ("#id_new", "The new password must be at least 12 characters long") in links
    assert ("#id_new", "The new password must contain a digit") in links
    assert ("#id_new", "The new password must contain upper- and lower-case letters") in links
    assert len(links) >= 4

    response = client.post("/account/password-expired/", {"current": "wrong", "new": GOOD, "confirm": GOOD})
    assert summary_links(response) == [("#id_current", "The current password is not correct")]
    response = client.post(
        "/account/password-expired/", {"current": PASSWORD, "new": GOOD, "confirm": GOOD + "x"}
    )
    assert summary_links(response) == [("#id_confirm", "The new password and its confirmation do not match")]

    response = client.post("/account/password-expired/", {"current": PASSWORD, "new": GOOD, "confirm": GOOD})
    assert response["Location"] == "/"
    assert signed_in_user_pk(client) == world.cr_handler.pk
    assert not User.objects.get(pk=world.cr_handler.pk).must_change_password


def test_in_live_mode_the_code_comes_before_the_password_change(
    world: World, client: Client, live: None
) -> None:
    """Knowing the issued (or an old) password alone must not let anyone set a new one."""
    User.objects.filter(pk=world.cr_handler.pk).update(must_change_password=True)
    assert sign_in(client, "cr.handler")["Location"] == "/account/code/"
    assert len(mail.outbox) == 1
    assert client.get("/account/password-expired/")["Location"] == "/account/code/"
    code = re.search(r"\b([0-9]{6})\b", str(mail.outbox[0].body))
    assert code is not None
    response = client.post("/account/code/", {"code": code.group(1)})
    assert response["Location"] == "/account/password-expired/"
    response = client.post("/account/password-expired/", {"current": PASSWORD, "new": GOOD, "confirm": GOOD})
    assert response["Location"] == "/"


def test_an_administrator_accepts_the_new_agreement_before_entering_the_console(
    world: World, client: Client, training: None
) -> None:
    _publish(world.cr_admin)
    assert sign_in(client, "cr.admin", section="admin")["Location"] == "/account/agreement/"
    html = page(client.get("/account/agreement/"))
    assert "The agreement&#x27;s text." in html
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">I Accept</button>' in html
    response = client.post("/account/agreement/", {})
    assert summary_links(response) == [
        ("#id_accept", "Tick the box to confirm you have read and accept the user agreement")
    ]
    assert signed_in_user_pk(client) is None
    response = client.post("/account/agreement/", {"accept": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == "/console/"
    assert "Your change has been saved and logged for audit purposes." in page(response)
    assert AuditEntry.objects.filter(action="agreement.accepted", actor_user=world.cr_admin).exists()
    client.logout()
    assert sign_in(client, "cr.handler")["Location"] == "/", "the organisation's handlers work again"


def test_the_steps_cannot_be_opened_without_a_sign_in_under_way(db: None, client: Client) -> None:
    for path in ("/account/password-expired/", "/account/code/", "/account/agreement/"):
        assert client.get(path)["Location"] == "/login/"


# --------------------------------------------------------------------------------------------------
# Each section keeps to its pages
# --------------------------------------------------------------------------------------------------


def test_an_administration_session_opens_no_claim_page(world: World, client: Client) -> None:
    User.objects.filter(pk=world.cr_handler.pk).update(profiles=["ADMINISTRATOR", "RTA_CLAIM_HANDLER"])
    in_section(client, User.objects.get(pk=world.cr_handler.pk), "admin")
    for path in ("/", "/claims/00000001/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You signed in to the Administration section" in page(response)
        assert "Your profile can&#x27;t grant you access to the Rapid Claim Settlement web site" in page(
            response
        )
    assert client.get("/console/").status_code == 200
    assert client.get("/account/").status_code == 200


def test_a_claims_session_opens_no_console_page(world: World, client: Client) -> None:
    User.objects.filter(pk=world.cr_handler.pk).update(profiles=["ADMINISTRATOR", "RTA_CLAIM_HANDLER"])
    in_section(client, User.objects.get(pk=world.cr_handler.pk), "claims")
    for path in ("/console/", "/console/users/", "/console/applications/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You signed in to the Claims Portal section" in page(response)
    assert client.get("/console/register/").status_code == 200, "the registration form is public"


def test_the_header_links_to_the_section_s_home(world: World, client: Client) -> None:
    in_section(client, world.cr_admin, "admin")
    html = page(client.get("/console/"))
    assert '<a href="/console/" class="govuk-service-navigation__link">Claims Portal</a>' in html
    assert ">Administration console</strong>" in html
    assert "Worklist" not in html
    client.logout()
    in_section(client, world.cr_handler, "claims")
    html = page(client.get("/account/"))
    assert '<a href="/" class="govuk-service-navigation__link">Claims Portal</a>' in html
    assert "Worklist" in html and "Administration console" not in html
