"""changePassword: a client replaces its own secret, which expires after 90 days (ADMINISTRATION.md §2.3)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from claimsportal.a2a import auth
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.organisations import a2a_clients
from claimsportal.organisations.accounts import strength_problems
from claimsportal.organisations.models import A2AClient
from claimsportal.protocols.timers import LONDON
from tests.a2a.conftest import BASE, Answer, Callers, token_request
from tests.conftest import World

pytestmark = pytest.mark.django_db

NEW = "Correct-Horse-Battery-2026"


def change(**body: Any) -> Answer:
    response = Client().post(f"{BASE}/changePassword", data=json.dumps(body), content_type="application/json")
    return Answer(response.status_code, json.loads(response.content), dict(response.headers))


def token_with(client_id: str, secret: str) -> Answer:
    return token_request(Client(), grant_type="client_credentials", client_id=client_id, client_secret=secret)


def test_a_changed_password_replaces_the_old_one_at_once_and_revokes_every_token(
    callers: Callers, world: World
) -> None:
    cr = callers.cr
    answer = change(client_id=cr.client_id, oldPassword=cr.secret, newPassword=NEW)
    assert answer.status == 200
    assert answer.body["changed"] is True
    assert token_with(cr.client_id, cr.secret).code == "AUTH_INVALID"
    assert cr.get("/claims", world.cr_handler).code == "AUTH_INVALID"  # the token held before
    assert token_with(cr.client_id, NEW).status == 200
    entry = AuditEntry.objects.get(action="a2a_client.password_changed")
    assert (entry.target, entry.organisation_id, entry.actor_user_id_text) == (
        cr.client_id,
        world.cr.pk,
        "SYSTEM",
    )
    # The other organisation's client is untouched.
    assert callers.comp.get("/claims", world.comp_handler).status == 200


def test_a_wrong_or_unknown_client_is_refused_alike_and_nothing_changes(callers: Callers) -> None:
    cr = callers.cr
    wrong = change(client_id=cr.client_id, oldPassword="not-the-secret", newPassword=NEW)
    unknown = change(client_id="no-such-client", oldPassword=cr.secret, newPassword=NEW)
    assert (wrong.status, wrong.body) == (unknown.status, unknown.body)
    assert wrong.code == "AUTH_INVALID"
    assert token_with(cr.client_id, cr.secret).status == 200
    assert not AuditEntry.objects.filter(action="a2a_client.password_changed").exists()


@pytest.mark.parametrize(
    ("new", "messages"),
    [
        ("Short-1a", ["must be at least 12 characters long"]),
        ("NoSpecialCharacter12", ["must contain a special character from"]),
        ("P@ssw0rd-Portal-2026", ['must not contain "password" or an abbreviation of it (pwd, pswd)']),
        ("all-lower-case-12", ["must contain upper- and lower-case letters"]),
    ],
)
def test_a_new_password_must_meet_the_rules(callers: Callers, new: str, messages: list[str]) -> None:
    cr = callers.cr
    answer = change(client_id=cr.client_id, oldPassword=cr.secret, newPassword=new)
    assert (answer.status, answer.code) == (422, "SCHEMA_INVALID")
    assert set(answer.fields) == {"newPassword"}
    got = [d["message"] for d in answer.body["details"]]
    for expected in messages:
        assert any(m.startswith(expected) for m in got), got
    assert token_with(cr.client_id, cr.secret).status == 200  # nothing changed


def test_the_new_password_may_not_be_the_client_id_or_the_current_one(callers: Callers, world: World) -> None:
    cr = callers.cr
    with_id = change(client_id=cr.client_id, oldPassword=cr.secret, newPassword=f"X-{cr.client_id}-9aA")
    assert "must not contain the client ID" in [d["message"] for d in with_id.body["details"]]
    assert change(client_id=cr.client_id, oldPassword=NEW, newPassword=NEW).code == "AUTH_INVALID"
    assert change(client_id=cr.client_id, oldPassword=cr.secret, newPassword=NEW).status == 200
    again = change(client_id=cr.client_id, oldPassword=NEW, newPassword=NEW)
    assert [d["message"] for d in again.body["details"]] == ["must not be the current password"]


def test_missing_fields_are_named(callers: Callers) -> None:
    answer = change(client_id=callers.cr.client_id)
    assert (answer.status, answer.code) == (422, "SCHEMA_INVALID")
    assert answer.fields == ["oldPassword", "newPassword"]


def test_a_secret_expires_after_90_calendar_days_and_is_renewed_with_change_password(
    clock: FixedClock, callers: Callers
) -> None:
    # (the clock first: the clients are created at its time, Monday 2 March 2026)
    cr = callers.cr
    clock.set(datetime(2026, 5, 30, 23, 59, tzinfo=LONDON))  # day 89, over the change to summer time
    assert token_with(cr.client_id, cr.secret).status == 200
    clock.set(datetime(2026, 5, 31, 0, 0, tzinfo=LONDON))  # day 90
    expired = token_with(cr.client_id, cr.secret)
    assert (expired.status, expired.code) == (401, "AUTH_INVALID")
    assert expired.body["details"] == [
        {"field": "client_secret", "message": "expired: change it with changePassword"}
    ]
    assert change(client_id=cr.client_id, oldPassword=cr.secret, newPassword=NEW).status == 200
    assert token_with(cr.client_id, NEW).status == 200


def test_a_rotation_by_the_administrator_restarts_the_90_days(clock: FixedClock, callers: Callers) -> None:
    client = A2AClient.objects.get(client_id=callers.cr.client_id)
    clock.advance(timedelta(days=80))
    new_secret = a2a_clients.rotate_secret(client)
    clock.advance(timedelta(days=80))
    assert token_with(client.client_id, new_secret).status == 200


def test_the_expiry_can_be_switched_off(clock: FixedClock, callers: Callers, settings: Any) -> None:
    settings.CLAIMSPORTAL_A2A_SECRET_MAX_DAYS = 0
    clock.advance(timedelta(days=400))
    assert token_with(callers.cr.client_id, callers.cr.secret).status == 200


def test_refresh_tokens_do_not_outlive_an_expired_secret(clock: FixedClock, callers: Callers) -> None:
    refresh = callers.cr.refresh_token
    for _ in range(4 * 90):  # refreshed every 6 hours, as a client could, never using the secret
        clock.advance(timedelta(hours=6))
        answer = token_request(Client(), grant_type="refresh_token", refresh_token=refresh)
        if answer.status != 200:
            break
        refresh = answer.body["refresh_token"]
    assert clock.now().astimezone(LONDON).date() == date(2026, 5, 31)  # day 90 of the secret
    assert (answer.status, answer.code) == (401, "AUTH_INVALID")
    assert answer.fields == ["client_secret"]


def test_of_two_changes_racing_from_the_same_secret_the_second_is_refused(
    callers: Callers, monkeypatch: pytest.MonkeyPatch
) -> None:
    cr = callers.cr
    real = strength_problems

    def meanwhile(password: str, personal: Any) -> list[str]:
        # Another request changes the secret after this one checked the old secret.
        client = A2AClient.objects.get(client_id=cr.client_id)
        A2AClient.objects.filter(pk=client.pk).update(secret_hash=make_password("Other-Request-2026!"))
        return real(password, personal)

    monkeypatch.setattr(auth, "strength_problems", meanwhile)
    answer = change(client_id=cr.client_id, oldPassword=cr.secret, newPassword=NEW)
    assert answer.code == "AUTH_INVALID"
    assert token_with(cr.client_id, NEW).code == "AUTH_INVALID"
    assert not AuditEntry.objects.filter(action="a2a_client.password_changed").exists()
