"""Client credentials, tokens, refresh, revocation, secret rotation and the acting user (X-Login-As)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from claimsportal.a2a import auth
from claimsportal.core.clock import FixedClock
from claimsportal.organisations import a2a_clients
from claimsportal.organisations.models import A2AClient, User
from tests.a2a.conftest import BASE, Callers, token_request
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_client_credentials_give_a_bearer_token_for_an_hour(callers: Callers, world: World) -> None:
    answer = token_request(
        Client(),
        grant_type="client_credentials",
        client_id=callers.cr.client_id,
        client_secret=callers.cr.secret,
    )
    assert answer.status == 200
    assert answer.body["token_type"] == "Bearer" and answer.body["expires_in"] == 3600
    assert answer.body["refresh_expires_in"] > 3600
    assert callers.cr.get("/claims", world.cr_handler, token=answer.body["access_token"]).status == 200


def test_the_token_endpoint_also_takes_a_form(callers: Callers) -> None:
    response = Client().post(
        f"{BASE}/token",
        data={
            "grant_type": "client_credentials",
            "client_id": callers.comp.client_id,
            "client_secret": callers.comp.secret,
        },
    )
    assert response.status_code == 200 and "access_token" in json.loads(response.content)


@pytest.mark.parametrize(
    ("form", "code", "field"),
    [
        (
            {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"},
            "AUTH_INVALID",
            "Authorization",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "CR", "client_secret": "wrong"},
            "AUTH_INVALID",
            "Authorization",
        ),
        ({"grant_type": "password", "client_id": "CR"}, "SCHEMA_INVALID", "grant_type"),
        ({"grant_type": "refresh_token", "refresh_token": "not-a-token"}, "AUTH_INVALID", "Authorization"),
    ],
)
def test_bad_credentials_are_refused_alike(
    callers: Callers, form: dict[str, str], code: str, field: str
) -> None:
    form = {k: (callers.cr.client_id if v == "CR" else v) for k, v in form.items()}
    answer = token_request(Client(), **form)
    assert (answer.code, answer.fields) == (code, [field])
    assert answer.status == (422 if code == "SCHEMA_INVALID" else 401)
    assert "access_token" not in answer.body


def test_a_refresh_token_gives_a_new_pair_once(callers: Callers, world: World) -> None:
    first = token_request(Client(), grant_type="refresh_token", refresh_token=callers.cr.refresh_token)
    assert first.status == 200
    again = token_request(Client(), grant_type="refresh_token", refresh_token=callers.cr.refresh_token)
    assert again.code == "AUTH_INVALID", "a refresh token is used once"
    old = callers.cr.get("/claims", world.cr_handler)
    assert old.code == "AUTH_INVALID", "refreshing revokes the old access token"
    assert callers.cr.get("/claims", world.cr_handler, token=first.body["access_token"]).status == 200


def test_an_access_token_expires_after_an_hour(callers: Callers, world: World, clock: FixedClock) -> None:
    clock.advance(timedelta(seconds=3599))
    assert callers.cr.get("/claims", world.cr_handler).status == 200
    clock.advance(timedelta(seconds=1))
    answer = callers.cr.get("/claims", world.cr_handler)
    assert (answer.status, answer.code) == (401, "TOKEN_EXPIRED")
    assert answer.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_missing_and_revoked_tokens_are_refused(callers: Callers, world: World) -> None:
    assert callers.cr.get("/claims", world.cr_handler, token="").code == "AUTH_INVALID"
    assert callers.cr.get("/claims", world.cr_handler, token="made-up").code == "AUTH_INVALID"
    assert auth.revoke_token(callers.cr.token)
    assert callers.cr.get("/claims", world.cr_handler).code == "AUTH_INVALID"
    client = A2AClient.objects.get(client_id=callers.comp.client_id)
    a2a_clients.revoke_client(client)
    assert callers.comp.get("/claims", world.comp_handler).code == "AUTH_INVALID"
    refused = token_request(
        Client(),
        grant_type="client_credentials",
        client_id=callers.comp.client_id,
        client_secret=callers.comp.secret,
    )
    assert refused.code == "AUTH_INVALID"


def test_a_rotated_secret_keeps_the_old_one_for_the_grace_period(callers: Callers, clock: FixedClock) -> None:
    client = A2AClient.objects.get(client_id=callers.cr.client_id)
    new_secret = a2a_clients.rotate_secret(client, grace=timedelta(days=7))
    for secret in (new_secret, callers.cr.secret):
        answer = token_request(
            Client(), grant_type="client_credentials", client_id=client.client_id, client_secret=secret
        )
        assert answer.status == 200
    clock.advance(timedelta(days=7))
    old = token_request(
        Client(), grant_type="client_credentials", client_id=client.client_id, client_secret=callers.cr.secret
    )
    assert old.code == "AUTH_INVALID"
    assert client.secret_hash != new_secret and new_secret not in client.secret_hash


@pytest.mark.parametrize(
    "who", ["missing", "unknown", "other organisation", "disabled", "inactive", "expired"]
)
def test_the_acting_user_must_be_an_enabled_in_date_user_of_the_clients_organisation(
    callers: Callers, world: World, who: str
) -> None:
    user: User | str | None = world.cr_handler
    if who == "missing":
        user = None
    elif who == "unknown":
        user = "nobody.here"
    elif who == "other organisation":
        user = world.comp_handler
    else:
        changed = User.objects.get(pk=world.cr_handler.pk)
        if who == "disabled":
            changed.is_enabled = False
        elif who == "inactive":
            changed.is_active = False
        else:
            changed.expiry_date = world.cr_handler.created_at.date() - timedelta(days=1)
        changed.save()
    answer = callers.cr.get("/claims", user)
    assert (answer.status, answer.code) == (403, "LOGIN_AS_INVALID")


def test_the_acting_user_id_is_case_insensitive(callers: Callers, world: World) -> None:
    assert callers.cr.get("/claims", world.cr_handler.user_id.upper()).status == 200


def test_an_administrator_only_user_cannot_work_on_claims(callers: Callers, world: World) -> None:
    answer = callers.cr.get("/claims", world.cr_admin)
    assert (answer.status, answer.code) == (403, "FORBIDDEN_PROFILE")
    assert callers.cr.get("/compensators", world.cr_admin).status == 200, "reference data is open to any user"


def test_secrets_and_tokens_are_stored_hashed(callers: Callers) -> None:
    from claimsportal.a2a.models import AccessToken

    stored = list(AccessToken.objects.values_list("token_hash", flat=True))
    assert callers.cr.token not in stored and auth.token_hash(callers.cr.token) in stored
    assert callers.cr.secret not in A2AClient.objects.get(client_id=callers.cr.client_id).secret_hash
