"""Sign-in rules, passwords, one-time codes, user agreements and the account jobs (ADMINISTRATION.md §1.9, §2)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from claimsportal.claims.acting import Actor
from claimsportal.claims.models import ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.organisations import accounts
from claimsportal.organisations.accounts import Section
from claimsportal.organisations.models import OneTimeCode, User
from claimsportal.protocols.errors import PortalError
from tests.conftest import World, send_claim

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd!Passw0rd"  # the world's users' password
GOOD = "Claims-Portal-2026!x"


@pytest.fixture(autouse=True)
def _live_mode(settings: Any) -> None:
    settings.CLAIMSPORTAL_MODE = "live"
    settings.CLAIMSPORTAL_PASSWORD_RULES = "2023"


def fresh(user: User) -> User:
    return User.objects.select_related("organisation").get(pk=user.pk)


def signed_in_before(user: User, clock: FixedClock, days_ago: int = 1) -> None:
    User.objects.filter(pk=user.pk).update(last_login=clock.now() - timedelta(days=days_ago))


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(world: World) -> None:
    assert accounts.sign_in("nobody.here", PASSWORD, Section.CLAIMS).message == "Login failed"
    assert accounts.sign_in("cr.handler", "wrong", Section.CLAIMS).message == "Login failed"
    assert fresh(world.cr_handler).failed_logins == 1


def test_five_failures_lock_the_user_and_the_sixth_fails_even_with_the_right_password(
    world: World, clock: FixedClock
) -> None:
    signed_in_before(world.cr_handler, clock)
    for _ in range(4):
        accounts.sign_in("cr.handler", "wrong", Section.CLAIMS)
    assert fresh(world.cr_handler).is_enabled
    accounts.sign_in("CR.HANDLER", "wrong", Section.CLAIMS)
    locked = fresh(world.cr_handler)
    assert (locked.is_enabled, locked.is_active, locked.disabled_reason) == (False, True, "LOCKOUT")
    right = accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS)
    wrong = accounts.sign_in("cr.handler", "wrong", Section.CLAIMS)
    unknown = accounts.sign_in("nobody.here", "wrong", Section.CLAIMS)
    # A locked account tells nothing: the right password, a wrong one and an unknown user look alike.
    assert right == wrong == unknown == accounts.SignInOutcome(message="Login failed")
    assert fresh(world.cr_handler).disabled_reason == "LOCKOUT"


def test_a_locked_account_answers_the_same_whatever_the_password_on_the_page(
    world: World, clock: FixedClock
) -> None:
    signed_in_before(world.cr_handler, clock)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        accounts.sign_in("cr.handler", "wrong", Section.CLAIMS)
    pages = [
        Client(REMOTE_ADDR=f"10.1.0.{n}").post(
            "/login/", {"username": "cr.handler", "password": password, "section": "claims"}
        )
        for n, password in enumerate((PASSWORD, "wrong", PASSWORD, "Wrong-Guess-2026!"))
    ]
    assert {page.status_code for page in pages} == {200}
    bodies = {_without_csrf(page.content.decode()) for page in pages}
    assert len(bodies) == 1 and "Login failed" in bodies.pop()


def test_a_good_sign_in_resets_the_failure_count(world: World, clock: FixedClock) -> None:
    signed_in_before(world.cr_handler, clock)
    for _ in range(4):
        accounts.sign_in("cr.handler", "wrong", Section.CLAIMS)
    outcome = accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS)
    assert not outcome.refused and fresh(world.cr_handler).failed_logins == 0


def test_90_days_without_a_sign_in_disable_the_user_at_the_next_attempt(
    world: World, clock: FixedClock
) -> None:
    signed_in_before(world.cr_handler, clock, days_ago=89)
    assert not accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS).refused
    signed_in_before(world.cr_handler, clock, days_ago=90)
    assert accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS).message == "Your login failed"
    assert fresh(world.cr_handler).disabled_reason == "INACTIVITY"


def test_past_the_expiry_date_the_account_has_expired(world: World, clock: FixedClock) -> None:
    signed_in_before(world.cr_handler, clock)
    User.objects.filter(pk=world.cr_handler.pk).update(expiry_date=clock.now().date())
    assert not accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS).refused, (
        "the expiry day itself is in date"
    )
    User.objects.filter(pk=world.cr_handler.pk).update(expiry_date=clock.now().date() - timedelta(days=1))
    assert accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS).message == "Your account has expired"
    expired = fresh(world.cr_handler)
    assert (expired.is_enabled, expired.disabled_reason) == (False, "EXPIRED")


@pytest.mark.parametrize(
    ("user", "section", "allowed"),
    [
        ("cr_handler", Section.CLAIMS, True),
        ("cr_handler", Section.ADMIN, False),
        ("cr_admin", Section.ADMIN, True),
        ("cr_admin", Section.CLAIMS, False),
    ],
)
def test_the_section_must_suit_the_profiles(
    world: World, clock: FixedClock, user: str, section: Section, allowed: bool
) -> None:
    account: User = getattr(world, user)
    signed_in_before(account, clock)
    outcome = accounts.sign_in(account.user_id, PASSWORD, section)
    assert outcome.refused is not allowed
    if not allowed:
        assert outcome.message == "Your profile can't grant you access to the Rapid Claim Settlement web site"


def test_a_user_with_both_profiles_may_enter_either_section(world: World, clock: FixedClock) -> None:
    User.objects.filter(pk=world.cr_handler.pk).update(profiles=["ADMINISTRATOR", "RTA_CLAIM_HANDLER"])
    signed_in_before(world.cr_handler, clock)
    for section in Section:
        assert not accounts.sign_in("cr.handler", PASSWORD, section).refused


def test_until_an_administrator_accepts_the_agreement_nobody_of_the_organisation_works_on_claims(
    world: World, clock: FixedClock
) -> None:
    for user in (world.cr_handler, world.cr_admin, world.comp_handler):
        signed_in_before(user, clock)
    agreement = accounts.publish_agreement(version="2026-1", title="Portal User Agreement", text="…")
    assert accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS).message == accounts.AGREEMENT_NOT_ACCEPTED
    with pytest.raises(PortalError) as refused:
        Actor.for_user(fresh(world.cr_handler))
    assert refused.value.code == "LOGIN_AS_INVALID"
    admin = accounts.sign_in("cr.admin", PASSWORD, Section.ADMIN)
    assert not admin.refused and admin.needs_agreement
    with pytest.raises(PermissionError):
        accounts.accept_agreement(fresh(world.cr_handler), agreement)
    accounts.accept_agreement(fresh(world.cr_admin), agreement)
    assert not accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS).refused, "at once"
    Actor.for_user(fresh(world.cr_handler))
    assert (
        accounts.sign_in("comp.handler", PASSWORD, Section.CLAIMS).message == accounts.AGREEMENT_NOT_ACCEPTED
    )


def test_a_first_sign_in_asks_for_a_new_password(world: World, clock: FixedClock) -> None:
    User.objects.filter(pk=world.cr_handler.pk).update(must_change_password=True)
    signed_in_before(world.cr_handler, clock)
    outcome = accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS)
    assert outcome.must_change_password
    user = fresh(world.cr_handler)
    assert accounts.change_password(user, "wrong", GOOD, GOOD).messages == [
        "the current password is not correct"
    ]
    assert accounts.change_password(user, PASSWORD, GOOD, GOOD + "x").messages == [
        "the new password and its confirmation do not match"
    ]
    assert not accounts.change_password(user, PASSWORD, GOOD, GOOD)
    assert not accounts.sign_in("cr.handler", GOOD, Section.CLAIMS).must_change_password


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-1a", "must be at least 12 characters long"),
        ("NoSpecialChar12345", "must contain a special character"),
        ("No-Digits-Here-At-All", "must contain a digit"),
        ("all-lower-case-123", "must contain upper- and lower-case letters"),
        ("ALL-UPPER-CASE-123", "must contain upper- and lower-case letters"),
        ("My-Password-2026x", 'must not contain "password"'),
        ("Good-Pwd-2026-abc", 'must not contain "password"'),
        ("Xy-cr.handler-2026", "must not contain your user ID"),
        ("Xy-CR00001-2026-ab", "must not contain your organisation ID"),
        ("Passw0rd!Passw0rd", 'must not contain "password"'),
    ],
)
def test_the_2023_password_rules(world: World, password: str, message: str) -> None:
    problems = accounts.password_problems(fresh(world.cr_handler), password)
    assert any(m.startswith(message) for m in problems.messages), problems.messages


def test_a_good_password_passes_and_a_previous_one_is_refused(world: World, clock: FixedClock) -> None:
    user = fresh(world.cr_handler)
    assert not accounts.password_problems(user, GOOD)
    accounts.set_password(user, GOOD)
    second = "Another-Claims-2026!"
    accounts.set_password(user, second)
    assert "must not be one of your last 12 passwords" in accounts.password_problems(user, GOOD).messages
    assert "must not be one of your last 12 passwords" in accounts.password_problems(user, second).messages


def test_the_2025_rules_expire_a_password_after_60_days(
    world: World, clock: FixedClock, settings: Any
) -> None:
    user = fresh(world.cr_handler)
    accounts.set_password(user, GOOD)
    signed_in_before(user, clock)
    clock.advance(timedelta(days=59))
    signed_in_before(user, clock)
    assert not accounts.sign_in("cr.handler", GOOD, Section.CLAIMS).must_change_password
    settings.CLAIMSPORTAL_PASSWORD_RULES = "2025"
    clock.advance(timedelta(days=1))
    assert accounts.sign_in("cr.handler", GOOD, Section.CLAIMS).must_change_password


def _code_in(message: Any) -> str:
    found = re.search(r"\b([0-9]{6})\b", message.body)
    assert found, message.body
    return found.group(1)


def test_in_live_mode_a_sign_in_code_is_e_mailed_and_works_once(
    world: World, clock: FixedClock, settings: Any
) -> None:
    signed_in_before(world.cr_handler, clock)
    outcome = accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS)
    assert outcome.needs_code and outcome.user is not None
    accounts.send_sign_in_code(outcome.user)
    (message,) = mail.outbox
    assert message.to == [world.cr_handler.email]
    code = _code_in(message)
    purpose = OneTimeCode.Purpose.SIGN_IN
    assert not accounts.check_code(outcome.user, purpose, "000000" if code != "000000" else "111111")
    assert accounts.check_code(outcome.user, purpose, code)
    assert not accounts.check_code(outcome.user, purpose, code), "used once"
    settings.CLAIMSPORTAL_MODE = "training"
    assert not accounts.sign_in("cr.handler", PASSWORD, Section.CLAIMS).needs_code


def test_a_sign_in_code_expires_and_allows_five_attempts(world: World, clock: FixedClock) -> None:
    user = fresh(world.cr_handler)
    purpose = OneTimeCode.Purpose.SIGN_IN
    accounts.send_sign_in_code(user)
    code = _code_in(mail.outbox[-1])
    clock.advance(timedelta(minutes=15))
    assert not accounts.check_code(user, purpose, code), "expired"
    accounts.send_sign_in_code(user)
    code = _code_in(mail.outbox[-1])
    wrong = "999999" if code != "999999" else "888888"
    for _ in range(5):
        assert not accounts.check_code(user, purpose, wrong)
    assert not accounts.check_code(user, purpose, code), "too many attempts"


def test_a_locked_out_administrator_resets_their_own_password_and_is_enabled_again(
    world: World, clock: FixedClock
) -> None:
    signed_in_before(world.cr_admin, clock)
    for _ in range(5):
        accounts.sign_in("cr.admin", "wrong", Section.ADMIN)
    assert fresh(world.cr_admin).disabled_reason == "LOCKOUT"
    assert accounts.request_password_reset("cr.admin", "someone@else.example").message == (
        "Wrong user name or password"
    )
    request = accounts.request_password_reset("cr.admin", world.cr_admin.email.upper())
    assert request.sent
    code = _code_in(mail.outbox[-1])
    problems = accounts.complete_password_reset("cr.admin", code, "short", "short")
    assert problems.messages and fresh(world.cr_admin).disabled_reason == "LOCKOUT"
    assert not accounts.complete_password_reset("cr.admin", code, GOOD, GOOD)
    admin = fresh(world.cr_admin)
    assert (admin.is_enabled, admin.disabled_reason, admin.failed_logins) == (True, "", 0)
    assert not accounts.sign_in("cr.admin", GOOD, Section.ADMIN).refused


def test_a_reset_code_is_valid_for_24_hours(world: World, clock: FixedClock) -> None:
    accounts.request_password_reset("cr.admin", world.cr_admin.email)
    code = _code_in(mail.outbox[-1])
    clock.advance(timedelta(hours=24))
    assert accounts.complete_password_reset("cr.admin", code, GOOD, GOOD).messages == [
        "the verification code is not valid or has expired"
    ]


def test_handlers_and_manually_disabled_or_expired_administrators_cannot_reset(
    world: World, clock: FixedClock
) -> None:
    handler = accounts.request_password_reset("cr.handler", world.cr_handler.email)
    assert not handler.sent and handler.message == accounts.RESET_SENT  # nothing tells them apart
    accounts.disable(fresh(world.cr_admin), accounts.Disabled.ADMIN)
    assert not accounts.request_password_reset("cr.admin", world.cr_admin.email).sent
    User.objects.filter(pk=world.cr_admin.pk).update(
        is_enabled=True, is_active=True, expiry_date=clock.now().date() - timedelta(days=1)
    )
    expired = accounts.request_password_reset("cr.admin", world.cr_admin.email)
    assert not expired.sent and "expired" in expired.message
    assert mail.outbox == []


def test_the_expiry_reminder_goes_to_administrators_14_days_ahead_exactly_once(
    world: World, clock: FixedClock
) -> None:
    expires = clock.now().date() + timedelta(days=15)
    User.objects.filter(pk__in=[world.cr_admin.pk, world.cr_handler.pk]).update(expiry_date=expires)
    assert accounts.send_expiry_reminders() == 0
    clock.advance(timedelta(days=1))
    assert accounts.send_expiry_reminders() == 1
    assert accounts.send_expiry_reminders() == 0, "once"
    (message,) = mail.outbox
    assert message.to == [world.cr_admin.email] and "expires" in message.subject
    clock.advance(timedelta(days=1))
    assert accounts.send_expiry_reminders() == 0


def test_idle_users_are_disabled_by_the_worker(world: World, clock: FixedClock) -> None:
    clock.advance(timedelta(days=89))  # the world's users were created 89 days ago and never signed in
    signed_in_before(world.cr_handler, clock, days_ago=90)
    signed_in_before(world.comp_handler, clock, days_ago=10)
    assert accounts.disable_idle_users() == 1
    assert fresh(world.cr_handler).disabled_reason == "INACTIVITY"
    assert fresh(world.comp_handler).is_enabled and fresh(world.cr_leader).is_enabled


def test_users_disabled_for_a_year_without_claim_actions_are_deleted(world: World, clock: FixedClock) -> None:
    send_claim(world)  # cr.handler acted on a claim
    for user in (world.cr_handler, world.cr_leader, world.comp_leader):
        accounts.disable(fresh(user), accounts.Disabled.ADMIN)
    clock.advance(timedelta(days=364))
    assert accounts.delete_long_disabled_users() == 0
    clock.advance(timedelta(days=2))
    assert accounts.delete_long_disabled_users() == 2
    assert User.objects.filter(pk=world.cr_handler.pk).exists(), "kept: it acted on a claim"
    assert not User.objects.filter(pk__in=[world.cr_leader.pk, world.comp_leader.pk]).exists()
    assert ClaimEvent.objects.filter(actor_user_id=world.cr_handler.pk).exists()


def test_an_authenticator_app_replaces_the_e_mailed_code(world: World, clock: FixedClock) -> None:
    user = fresh(world.cr_handler)
    uri = accounts.start_totp_setup(user)
    secret = re.search(r"secret=([A-Z2-7]+)", uri)
    assert secret is not None and uri.startswith("otpauth://totp/Claims%20Portal%3Acr.handler")
    step = accounts._step()
    assert not accounts.confirm_totp(
        user, "000000" if accounts._totp(secret.group(1), step) != "000000" else "1"
    )
    assert not user.totp_enabled
    assert accounts.confirm_totp(user, accounts._totp(secret.group(1), step))
    clock.advance(timedelta(seconds=30))
    code = accounts._totp(secret.group(1), accounts._step())
    accounts.send_sign_in_code(user)
    assert mail.outbox == [], "no e-mail when the app is set up"
    assert accounts.check_sign_in_code(user, code)
    assert not accounts.check_sign_in_code(user, code), "a code works once"
    clock.advance(timedelta(minutes=5))
    assert not accounts.check_sign_in_code(user, code), "an old code is refused"


def test_the_totp_codes_match_rfc_6238() -> None:
    # RFC 6238 appendix B, SHA-1, secret "12345678901234567890": 59 s -> 94287082 (8 digits; 6 -> 287082)
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert accounts._totp(secret, 59 // 30) == "287082"
    assert accounts._totp(secret, 1111111109 // 30) == "081804"


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
