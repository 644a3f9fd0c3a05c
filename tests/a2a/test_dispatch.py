"""The one-regex shortcut to the claim operation paths reaches exactly the views ninja documents."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from claimsportal.a2a.api import api
from claimsportal.a2a.dispatch import claim_path_views
from claimsportal.a2a.schemas import PAYLOAD_MODELS

OPERATION_NAMES = sorted(set(PAYLOAD_MODELS) - {"addClaim"})


def test_every_operation_and_claim_read_path_resolves_through_the_shortcut() -> None:
    views = claim_path_views(api)
    assert set(OPERATION_NAMES) | {"status", "history"} == set(views)
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
