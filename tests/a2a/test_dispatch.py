"""The one-regex shortcut to the claim operation paths reaches exactly the views ninja documents."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve

from claimsportal.a2a.api import api
from claimsportal.a2a.dispatch import claim_path_views
from claimsportal.a2a.schemas import PAYLOAD_MODELS
from tests.a2a.conftest import Answer, Callers
from tests.conftest import World, send_claim

OPERATION_NAMES = sorted(set(PAYLOAD_MODELS) - {"addClaim"})


def _documented_claim_paths() -> set[str]:
    """The names of every documented ``/claims/{applicationId}/<name>`` path (operations, reads such
    as status, history, attachments and documents)."""
    marker = "/claims/{applicationId}/"
    names = set()
    for path in api.get_openapi_schema()["paths"]:
        name = path.partition(marker)[2]
        if name and "/" not in name and "{" not in name:
            names.add(name)
    return names


def test_every_operation_and_claim_read_path_resolves_through_the_shortcut() -> None:
    views = claim_path_views(api)
    assert set(views) == _documented_claim_paths()
    assert set(OPERATION_NAMES) | {"status", "history", "attachments"} <= set(views)
    for name, view in views.items():
        match = resolve(f"/a2a/v1/claims/00000042/{name}")
        assert match.url_name == "a2a-claim-path"
        assert match.kwargs == {"applicationId": "00000042", "name": name}
        assert views[match.kwargs["name"]] is view


@pytest.mark.django_db
def test_the_shortcut_answers_as_the_api_would(client: Client) -> None:
    # No token: the API's own 401 with its error body, not a Django page.
    answer = client.post("/a2a/v1/claims/00000042/acceptClaim", data={}, content_type="application/json")
    assert answer.status_code == 401
    assert answer.json()["code"] == "AUTH_INVALID"
    # The operation paths take POST only: ninja's 405 for any other method.
    assert client.get("/a2a/v1/claims/00000042/acceptClaim").status_code == 405
    # A name the API does not document is not taken by the shortcut.
    assert client.post("/a2a/v1/claims/00000042/noSuchOperation").status_code == 404
    assert resolve("/a2a/v1/claims/search").url_name == "search_claims"


def _through_ninja(name: str, application_id: int, body: dict[str, Any], headers: dict[str, str]) -> Answer:
    request = RequestFactory().post(
        f"/a2a/v1/claims/{application_id}/{name}",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
    response = claim_path_views(api)[name](request, applicationId=str(application_id))
    return Answer(response.status_code, json.loads(response.content), dict(response.headers))


def test_a_post_through_the_shortcut_answers_exactly_as_ninjas_own_view(
    world: World, callers: Callers
) -> None:
    first, second = send_claim(world), send_claim(world)
    user = world.comp_handler.user_id
    headers = {"Authorization": f"Bearer {callers.comp.token}", "X-Login-As": user}
    body = {"insurerClaimReferenceNumber": "INS-1"}
    # Refused: a stale activityEngineGuid.
    stale = {**body, "activityEngineGuid": "00000000-0000-0000-0000-000000000000"}
    shortcut = callers.comp.post(f"/claims/{first.application_id}/acceptClaim", user, stale)
    ninja = _through_ninja("acceptClaim", first.application_id, stale, headers)
    assert (shortcut.status, shortcut.body) == (ninja.status, ninja.body)
    assert shortcut.code == "STALE_ACTIVITY_GUID"
    # Done: the same answer for two claims in the same phase (only their IDs and GUIDs differ).
    shortcut = callers.comp.post(
        f"/claims/{first.application_id}/acceptClaim",
        user,
        {**body, "activityEngineGuid": str(first.activity_guid)},
    )
    ninja = _through_ninja(
        "acceptClaim",
        second.application_id,
        {**body, "activityEngineGuid": str(second.activity_guid)},
        headers,
    )
    assert shortcut.status == ninja.status == 200
    assert shortcut.headers["Content-Type"] == ninja.headers["Content-Type"]
    assert shortcut.body.keys() == ninja.body.keys()
    assert shortcut.body["phaseCacheName"] == ninja.body["phaseCacheName"] != first.phase
