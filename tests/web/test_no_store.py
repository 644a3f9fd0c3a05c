"""``Cache-Control: no-store`` on every response Django renders (issue 17, item 5): a meta-test over
the URL map (every web page, signed in, in each section) and over every path and method of the A2A
OpenAPI document (with a token and an acting user), plus the credential endpoints of RFC 6749 §5.1.

Whatever the answer (200, a redirect, 404, 405, 422), it must not be stored: the middleware
(``config.caching``) marks every response, so a page or operation added later is covered too.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from claimsportal.claims.acting import format_application_id
from claimsportal.organisations.models import User
from claimsportal.organisations.services import create_a2a_client, create_user
from tests.a2a.conftest import Callers, token_request
from tests.a2a.conftest import _fresh_a2a_caches as _fresh_a2a_caches  # (a fixture)
from tests.a2a.conftest import callers as callers  # (a fixture)
from tests.conftest import World, send_claim
from tests.web.signing_in import in_section

PLACEHOLDER = re.compile(r"<(?:str:)?(\w+)>")


def _web_routes() -> list[str]:
    """Every route of the URL map outside the A2A API (whose paths come from its document)."""
    out: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                out.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return [route for route in out if not route.startswith(("a2a/", "^a2a/"))]


def _no_store(response: object) -> bool:
    headers = getattr(response, "headers")  # noqa: B009 (Django's test response)
    return "no-store" in headers.get("Cache-Control", "")


def _operator(world: World) -> User:
    user = create_user(
        organisation=world.cr, user_id="portal.operator", email="op@example.org", profiles="ADMINISTRATOR"
    ).user
    User.objects.filter(pk=user.pk).update(is_operator=True, organisation=None, profiles=[])
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db  # (the A2A caches fixture resets a database row)
def test_the_web_routes_are_found() -> None:
    routes = _web_routes()
    assert "" in routes and "claims/<str:application_id>/" in routes and "console/users/" in routes
    assert len(routes) > 50


@pytest.mark.django_db
def test_every_web_page_is_no_store_for_every_kind_of_signed_in_user(world: World) -> None:
    claim = send_claim(world, "RTA")
    client_id = create_a2a_client(organisation=world.cr, name="CMS").client.client_id
    values = {
        "application_id": format_application_id(claim.application_id),
        "user_id": world.cr_handler.user_id,
        "branch_id": "001",
        "client_id": client_id,
        "operation": "acceptClaim",
        "section": "claimant",
    }
    sessions = []
    for user, section in (
        (world.comp_handler, "claims"),
        (world.cr_handler, "claims"),
        (world.cr_admin, "admin"),
        (_operator(world), "admin"),
    ):
        client = Client()
        in_section(client, user, section)
        sessions.append((f"{user.user_id} ({section})", client))
    sessions.append(("signed out", Client()))
    stored: list[str] = []
    for route in _web_routes():
        path = "/" + PLACEHOLDER.sub(lambda m: values.get(m.group(1), "x"), route)
        for who, client in sessions:
            response = client.get(path)
            if not _no_store(response):
                stored.append(f"GET {path} as {who}: {response.status_code} {response.get('Cache-Control')}")
    assert not stored, "\n".join(stored)


@pytest.mark.django_db
def test_every_a2a_path_and_method_of_the_document_is_no_store(world: World, callers: Callers) -> None:
    claim = send_claim(world, "RTA")
    http = Client()
    document = http.get("/a2a/v1/openapi.json")
    paths = json.loads(document.content)["paths"]
    assert len(paths) > 60
    stored: list[str] = []
    headers = {"Authorization": f"Bearer {callers.comp.token}", "X-Login-As": world.comp_handler.user_id}
    for template, item in paths.items():
        path = re.sub(
            r"\{(\w+)\}",
            lambda m: format_application_id(claim.application_id) if m.group(1) == "applicationId" else "x",
            template,
        )
        for method in item:
            send = getattr(http, method)
            if method in ("post", "put", "patch"):
                response = send(path, data="{}", content_type="application/json", headers=headers)
            else:
                response = send(path, headers=headers)
            if not _no_store(response):
                stored.append(f"{method.upper()} {path}: {response.status_code}")
    # A read that succeeds, and a write that succeeds through the fast path (a2a.dispatch)
    read = http.get(f"/a2a/v1/claims/{format_application_id(claim.application_id)}", headers=headers)
    assert read.status_code == 200 and _no_store(read)
    status = http.get(f"/a2a/v1/claims/{format_application_id(claim.application_id)}/status", headers=headers)
    guid = status.json()["claimInfo"]["activityEngineGuid"]
    accepted = http.post(
        f"/a2a/v1/claims/{format_application_id(claim.application_id)}/acceptClaim",
        data=json.dumps({"activityEngineGuid": guid}),
        content_type="application/json",
        headers=headers,
    )
    assert accepted.status_code == 200, accepted.content
    assert _no_store(accepted)
    assert not stored, "\n".join(stored)


@pytest.mark.django_db
def test_the_credential_endpoints_say_no_store_and_pragma_no_cache(world: World, callers: Callers) -> None:
    """RFC 6749 §5.1: a token answer (and a refused one) carries both headers."""
    http = Client()
    granted = token_request(
        http,
        grant_type="client_credentials",
        client_id=callers.comp.client_id,
        client_secret=callers.comp.secret,
    )
    refused = token_request(http, grant_type="client_credentials", client_id="nobody", client_secret="x")
    refreshed = token_request(http, grant_type="refresh_token", refresh_token=callers.comp.refresh_token)
    form = http.post(
        "/a2a/v1/token",
        {
            "grant_type": "client_credentials",
            "client_id": callers.cr.client_id,
            "client_secret": callers.cr.secret,
        },
    )
    changed = http.post(
        "/a2a/v1/changePassword",
        data=json.dumps(
            {
                "client_id": callers.cr.client_id,
                "oldPassword": callers.cr.secret,
                "newPassword": "Correct-Horse-9!x",
            }
        ),
        content_type="application/json",
    )
    assert (granted.status, refused.status, refreshed.status, form.status_code) == (200, 401, 200, 200)
    assert changed.status_code == 200, changed.content
    for headers in (granted.headers, refused.headers, refreshed.headers, form.headers, changed.headers):
        assert "no-store" in headers["Cache-Control"]
        assert headers["Pragma"] == "no-cache"
