"""Throttles on web sign-in and password-reset codes (issue 17 item 6): per address and per account,
every attempt counted before it is checked, in the database, driven by real time."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from claimsportal.core import clock as portal_clock
from claimsportal.core.clock import FixedClock
from claimsportal.organisations import accounts
from claimsportal.organisations.accounts import Section
from claimsportal.organisations.models import AttemptCount, User
from tests.conftest import World

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd!Passw0rd"  # the world's users' password
OFFICE = "10.0.0.1"
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def _live_mode(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "live"


def signed_in_recently(*users: User) -> None:
    User.objects.filter(pk__in=[u.pk for u in users]).update(last_login=portal_clock.real_now())


def sign_in_page(address: str, user_id: str, password: str) -> str:
    response = Client(REMOTE_ADDR=address).post(
        "/login/", {"username": user_id, "password": password, "section": "claims"}
    )
    return html.unescape(response.content.decode()) if response.status_code == 200 else "signed in"


def test_many_user_ids_from_one_address_are_slowed(world: World, clock: FixedClock) -> None:
    signed_in_recently(world.cr_handler)
    for number in range(accounts.SIGN_IN_ADDRESS_LIMIT):
        assert "Login failed" in sign_in_page(ELSEWHERE, f"user.{number}", "Spray-2026!")
    page = sign_in_page(ELSEWHERE, "cr.handler", PASSWORD)  # even a right password is not checked
    assert "Too many sign-in attempts: wait 15 minutes, then try again" in page
    assert User.objects.get(pk=world.cr_handler.pk).failed_logins == 0
    assert sign_in_page(OFFICE, "cr.handler", PASSWORD) == "signed in"  # other addresses are not
    clock.advance(timedelta(minutes=15))
    assert "Login failed" in sign_in_page(ELSEWHERE, "user.x", "Spray-2026!")


def test_one_user_id_from_many_addresses_is_slowed(world: World, clock: FixedClock) -> None:
    for number in range(accounts.SIGN_IN_ACCOUNT_LIMIT):
        outcome = accounts.sign_in(
            "nobody.here", "Guess-2026!", Section.CLAIMS, address=f"203.0.113.{number}"
        )
        assert outcome.message == accounts.LOGIN_FAILED
    refused = accounts.sign_in("nobody.here", "Guess-2026!", Section.CLAIMS, address="203.0.113.200")
    assert refused.message.startswith("Too many sign-in attempts") and refused.retry_after == 15 * 60
    clock.advance(timedelta(minutes=5))
    again = accounts.sign_in("Nobody.Here", "Guess-2026!", Section.CLAIMS, address="203.0.113.201")
    assert again.retry_after == 10 * 60, "the user ID's count, whatever its case"


def test_a_busy_office_signing_in_successfully_is_not_slowed(world: World) -> None:
    signed_in_recently(world.cr_handler, world.comp_handler)
    for _ in range(accounts.SIGN_IN_ADDRESS_LIMIT * 2):
        for user in (world.cr_handler, world.comp_handler):
            assert not accounts.sign_in(user.user_id, PASSWORD, Section.CLAIMS, address=OFFICE).refused
    assert not AttemptCount.objects.filter(failures__gt=0).exists()


def test_a_right_password_starts_the_user_ids_count_again(world: World) -> None:
    signed_in_recently(world.cr_handler)
    for _ in range(accounts.MAX_FAILED_LOGINS - 1):
        accounts.sign_in("cr.handler", "wrong", Section.CLAIMS, address=OFFICE)
    assert not accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS, address=OFFICE).refused
    assert not AttemptCount.objects.filter(key="sign-in:user:cr.handler").exists()


def reset_page(address: str, user_id: str, email: str) -> tuple[int, str]:
    response = Client(REMOTE_ADDR=address).post(
        reverse("account-reset"), {"user_id": user_id, "email": email}
    )
    return response.status_code, html.unescape(response.content.decode())


def test_reset_codes_for_one_user_id_are_limited(world: World, clock: FixedClock) -> None:
    admin = world.cr_admin
    for number in range(accounts.RESET_ACCOUNT_LIMIT):
        status, _ = reset_page(f"203.0.113.{number}", admin.user_id, admin.email)
        assert status == 302  # on to the code page
    assert len(mail.outbox) == accounts.RESET_ACCOUNT_LIMIT
    status, page = reset_page("203.0.113.99", admin.user_id, admin.email)
    assert status == 200
    assert "Too many verification codes have been asked for: wait 60 minutes, then try again" in page
    assert len(mail.outbox) == accounts.RESET_ACCOUNT_LIMIT, "no more e-mails"
    # The refusal tells nothing about the account: an unknown user ID is refused the same way.
    for number in range(accounts.RESET_ACCOUNT_LIMIT):
        accounts.request_password_reset("nobody.here", "x@example.com", address=f"192.0.2.{number}")
    unknown = accounts.request_password_reset("nobody.here", "x@example.com", address="192.0.2.99")
    known = accounts.request_password_reset(admin.user_id, admin.email, address="192.0.2.98")
    assert re.sub(r"\d+ minutes", "", unknown.message) == re.sub(r"\d+ minutes", "", known.message)
    clock.advance(timedelta(hours=1))
    assert accounts.request_password_reset(admin.user_id, admin.email, address=OFFICE).sent


def test_reset_codes_from_one_address_are_limited(world: World) -> None:
    for number in range(accounts.RESET_ADDRESS_LIMIT):
        answer = accounts.request_password_reset(f"user.{number}", "x@example.com", address=ELSEWHERE)
        assert answer.message == accounts.WRONG_USER_OR_PASSWORD
    admin = world.cr_admin
    refused = accounts.request_password_reset(admin.user_id, admin.email, address=ELSEWHERE)
    assert refused.message.startswith("Too many verification codes") and not refused.sent
    assert accounts.request_password_reset(admin.user_id, admin.email, address=OFFICE).sent
