"""Guessing a client's secret at /token and /changePassword is stopped (a2a.guessing)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from claimsportal.a2a import guessing
from claimsportal.a2a.models import CredentialFailure
from claimsportal.core.clock import FixedClock
from tests.a2a.conftest import BASE, Answer, Callers

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"  # the firm's own case-management system
ELSEWHERE = "198.51.100.7"  # someone guessing


def post(path: str, address: str, **body: Any) -> Answer:
    response = Client(REMOTE_ADDR=address).post(
        f"{BASE}{path}", data=json.dumps(body), content_type="application/json"
    )
    return Answer(response.status_code, json.loads(response.content), dict(response.headers))


def token(client_id: str, secret: str, address: str) -> Answer:
    return post("/token", address, grant_type="client_credentials", client_id=client_id, client_secret=secret)


def test_ten_wrong_secrets_stop_that_address_for_15_minutes_but_not_the_firms_own(
    clock: FixedClock, callers: Callers
) -> None:
    cr = callers.cr
    for _ in range(guessing.CLIENT_LIMIT):
        assert token(cr.client_id, "guess", ELSEWHERE).code == "AUTH_INVALID"
    stopped = token(cr.client_id, cr.secret, ELSEWHERE)  # even the right secret
    assert (stopped.status, stopped.code) == (429, "RATE_LIMITED")
    assert stopped.body["details"] == [{"field": "client_secret", "message": "too many wrong attempts"}]
    assert stopped.headers["Retry-After"] == str(15 * 60)
    assert token(cr.client_id, cr.secret, HOME).status == 200  # the firm is not locked out
    clock.advance(timedelta(minutes=15))
    assert token(cr.client_id, cr.secret, ELSEWHERE).status == 200


def test_a_right_secret_clears_the_count_from_its_address(callers: Callers) -> None:
    cr = callers.cr
    for _ in range(guessing.CLIENT_LIMIT - 1):
        token(cr.client_id, "typo", HOME)
    assert token(cr.client_id, cr.secret, HOME).status == 200
    for _ in range(guessing.CLIENT_LIMIT - 1):
        token(cr.client_id, "typo", HOME)
    assert token(cr.client_id, cr.secret, HOME).status == 200


def test_one_address_guessing_many_clients_is_stopped(callers: Callers) -> None:
    for number in range(guessing.ADDRESS_LIMIT):
        assert token(f"made-up-{number}", "guess", ELSEWHERE).code == "AUTH_INVALID"
    assert token(callers.comp.client_id, callers.comp.secret, ELSEWHERE).code == "RATE_LIMITED"
    assert token(callers.comp.client_id, callers.comp.secret, HOME).status == 200


def test_change_password_counts_and_is_stopped_alike(callers: Callers) -> None:
    cr = callers.cr
    for _ in range(guessing.CLIENT_LIMIT):
        wrong = post(
            "/changePassword", ELSEWHERE, client_id=cr.client_id, oldPassword="guess", newPassword="X"
        )
        assert wrong.code == "AUTH_INVALID"
    stopped = post(
        "/changePassword",
        ELSEWHERE,
        client_id=cr.client_id,
        oldPassword=cr.secret,
        newPassword="Correct-Horse-2026",
    )
    assert (stopped.status, stopped.fields) == (429, ["oldPassword"])
    assert token(cr.client_id, cr.secret, HOME).status == 200  # nothing was changed


def test_a_right_secret_refused_for_another_reason_is_not_a_guess(
    clock: FixedClock, callers: Callers
) -> None:
    cr = callers.cr
    clock.advance(timedelta(days=90))  # the secret has expired: AUTH_INVALID, but not a wrong secret
    for _ in range(guessing.CLIENT_LIMIT + 1):
        assert token(cr.client_id, cr.secret, HOME).body["details"][0]["field"] == "client_secret"
    assert not CredentialFailure.objects.exists()


def test_the_worker_forgets_ended_windows(clock: FixedClock, callers: Callers) -> None:
    token(callers.cr.client_id, "guess", ELSEWHERE)
    assert CredentialFailure.objects.count() == 2  # the client from that address, and the address
    clock.advance(timedelta(minutes=14))
    assert guessing.purge_expired() == 0
    clock.advance(timedelta(minutes=1, seconds=1))
    assert guessing.purge_expired() == 2
