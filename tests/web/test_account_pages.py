"""One's own account: the forgotten-password reset, changing one's password, the authenticator app,
and a team leader signing in as another user (audited, with a way back)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.organisations import accounts
from claimsportal.organisations.models import User
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

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _training(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "training"
    settings.CLAIMSPORTAL_PASSWORD_RULES = "2023"


def _code(message: Any) -> str:
    found = re.search(r"\b([0-9]{6})\b", message.body)
    assert found, message.body
    return found.group(1)


@pytest.mark.parametrize(
    "path",
    [
        "/account/",
        "/account/password/",
        "/account/authenticator/",
        "/account/authenticator/confirm/",
        "/account/act-as/",
    ],
)
def test_account_pages_need_a_signed_in_user(db: None, client: Client, path: str) -> None:
    assert client.get(path)["Location"] == f"/login/?next={path}"


# --------------------------------------------------------------------------------------------------
# Forgotten password or first sign-in
# --------------------------------------------------------------------------------------------------


def test_an_administrator_resets_a_forgotten_password_with_an_e_mailed_code(
    world: World, client: Client
) -> None:
    assert "Forgotten your password or first sign-in?" in page(client.get("/account/reset/"))
    response = client.post(
        "/account/reset/", {"user_id": "CR.ADMIN", "email": "cr.admin@example.org"}, follow=True
    )
    assert response.redirect_chain == [("/account/reset/code/", 302)]
    html = page(response)
    assert "If the details match an account, a verification code has been sent" in html
    assert 'value="CR.ADMIN"' in html, "the user ID is filled in"
    (message,) = mail.outbox
    code = _code(message)

    weak = client.post(
        "/account/reset/code/", {"user_id": "cr.admin", "code": code, "new": "weak", "confirm": "weak"}
    )
    assert error_summary(weak).startswith("New password not set")
    assert ("#id_new", "The new password must be at least 12 characters long") in summary_links(weak)

    wrong_code = "000000" if code != "000000" else "111111"
    response = client.post(
        "/account/reset/code/", {"user_id": "cr.admin", "code": wrong_code, "new": GOOD, "confirm": GOOD}
    )
    assert summary_links(response) == [("#id_code", "The verification code is not valid or has expired")]

    response = client.post(
        "/account/reset/code/",
        {"user_id": "cr.admin", "code": code, "new": GOOD, "confirm": GOOD},
        follow=True,
    )
    assert response.redirect_chain == [("/login/", 302)]
    assert "Your password has been set. Sign in with your new password." in page(response)
    assert sign_in(client, "cr.admin", section="admin", password=GOOD)["Location"] == "/console/"


def test_wrong_details_get_the_documented_message_and_no_e_mail(world: World, client: Client) -> None:
    response = client.post("/account/reset/", {"user_id": "cr.admin", "email": "someone@else.example"})
    assert summary_links(response) == [("#id_user_id", "Wrong user name or password")]
    assert mail.outbox == []


def test_a_claim_handler_is_told_the_same_but_gets_no_code(world: World, client: Client) -> None:
    response = client.post("/account/reset/", {"user_id": "cr.handler", "email": "cr.handler@example.org"})
    assert response["Location"] == "/account/reset/code/", "the answer does not tell who may reset"
    assert mail.outbox == []


def test_an_expired_administrator_is_told_to_ask_another_administrator(
    world: World, client: Client, clock: FixedClock
) -> None:
    User.objects.filter(pk=world.cr_admin.pk).update(expiry_date=clock.now().date() - timedelta(days=1))
    response = client.post("/account/reset/", {"user_id": "cr.admin", "email": "cr.admin@example.org"})
    assert summary_links(response) == [("#id_user_id", accounts.RESET_ADMIN_EXPIRED)]


# --------------------------------------------------------------------------------------------------
# Signed in: password, authenticator app, the account page
# --------------------------------------------------------------------------------------------------


def test_the_account_page_lists_the_user_s_details(world: World, client: Client) -> None:
    in_section(client, world.cr_leader, "claims")
    html = page(client.get("/account/"))
    assert "cr.leader@example.org" in html
    assert "RTA Team Leader" in html
    assert 'href="/account/act-as/">Sign in as another user</a>' in html
    client.logout()
    in_section(client, world.cr_handler, "claims")
    assert "Sign in as another user" not in page(client.get("/account/"))


def test_a_user_changes_their_password_and_stays_signed_in(world: World, client: Client) -> None:
    in_section(client, world.cr_handler, "claims")
    response = client.post("/account/password/", {"current": PASSWORD, "new": "Passw0rd!", "confirm": "x"})
    assert error_summary(response).startswith("New password not set")
    response = client.post(
        "/account/password/", {"current": PASSWORD, "new": GOOD, "confirm": GOOD}, follow=True
    )
    assert response.redirect_chain == [("/account/", 302)]
    assert "Your password has been changed." in page(response)
    assert signed_in_user_pk(client) == world.cr_handler.pk


def test_an_authenticator_app_is_set_up_by_confirming_one_of_its_codes(
    world: World, client: Client, clock: FixedClock
) -> None:
    in_section(client, world.cr_handler, "claims")
    assert client.get("/account/authenticator/confirm/")["Location"] == "/account/authenticator/"
    assert client.post("/account/authenticator/")["Location"] == "/account/authenticator/confirm/"
    html = page(client.get("/account/authenticator/confirm/"))
    user = User.objects.get(pk=world.cr_handler.pk)
    spaced = " ".join(user.totp_secret[i : i + 4] for i in range(0, len(user.totp_secret), 4))
    assert spaced in html
    assert f"otpauth://totp/Claims%20Portal%3Acr.handler?secret={user.totp_secret}" in html.replace(
        "&amp;", "&"
    )
    response = client.post("/account/authenticator/confirm/", {"code": "000000"})
    assert summary_links(response) == [
        ("#id_code", "The code is not correct: check the time on your device and try again")
    ]
    clock.advance(timedelta(seconds=30))
    response = client.post(
        "/account/authenticator/confirm/", {"code": accounts._totp(user.totp_secret, accounts._step())}
    )
    assert response["Location"] == "/account/"
    assert User.objects.get(pk=world.cr_handler.pk).totp_enabled


# --------------------------------------------------------------------------------------------------
# Team leaders: sign in as another user
# --------------------------------------------------------------------------------------------------


def test_a_team_leader_acts_as_a_handler_and_returns(world: World, client: Client) -> None:
    in_section(client, world.cr_leader, "claims")
    last_login = User.objects.get(pk=world.cr_handler.pk).last_login
    form = page(client.get("/account/act-as/"))
    assert 'name="user_id" type="radio" value="cr.handler"' in form  # chosen from a list, not typed
    assert 'value="cr.admin"' not in form  # no claims profile: not offered
    response = client.post("/account/act-as/", {"user_id": "cr.handler"})
    assert response["Location"] == "/"
    assert signed_in_user_pk(client) == world.cr_handler.pk
    assert client.session["cp_real_user"] == world.cr_leader.pk
    assert User.objects.get(pk=world.cr_handler.pk).last_login == last_login, "not the handler's own sign-in"
    entry = AuditEntry.objects.get(action="user.login_as")
    assert (entry.actor_user_id_text, entry.target) == ("cr.leader", "cr.handler")

    html = page(client.get("/account/"))
    assert "You are acting as cr.handler — return to your own account (cr.leader)" in html
    assert 'action="/account/act-as/return/"' in html
    assert client.get("/account/password/")["Location"] == "/account/", "not the handler's password"
    assert client.get("/account/act-as/")["Location"] == "/account/"

    assert client.post("/account/act-as/return/")["Location"] == "/"
    assert signed_in_user_pk(client) == world.cr_leader.pk
    assert "cp_real_user" not in client.session
    assert "You are back in your own account." in page(client.get("/account/"))


def test_only_a_team_leader_acts_as_another_user_of_the_organisation(world: World, client: Client) -> None:
    in_section(client, world.cr_handler, "claims")
    assert client.get("/account/act-as/").status_code == 403
    assert client.post("/account/act-as/", {"user_id": "cr.leader"}).status_code == 403
    assert signed_in_user_pk(client) == world.cr_handler.pk
    client.logout()
    in_section(client, world.cr_leader, "claims")
    for user_id, message in (
        ("comp.handler", "Choose one of the people listed"),
        ("cr.admin", "Choose one of the people listed"),
    ):
        response = client.post("/account/act-as/", {"user_id": user_id})
        assert error_summary(response) == f"There is a problem {message}", user_id
    assert signed_in_user_pk(client) == world.cr_leader.pk


def test_an_administration_session_cannot_act_as_anyone(world: World, client: Client) -> None:
    User.objects.filter(pk=world.cr_leader.pk).update(profiles=["ADMINISTRATOR", "RTA_TEAM_LEADER"])
    in_section(client, User.objects.get(pk=world.cr_leader.pk), "admin")
    assert client.get("/account/act-as/").status_code == 403
