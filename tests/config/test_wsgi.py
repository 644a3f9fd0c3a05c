"""The A2A API runs on a lean middleware chain (``config.wsgi``): same answers, same protective
headers, no session or CSRF cookie; every other path keeps the full chain."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver

from claimsportal.config import wsgi
from tests.a2a.conftest import Caller, caller_for
from tests.conftest import World, send_claim


class ApiClientHandler(wsgi.ApiMiddleware, ClientHandler):
    """The test client's handler with the API's chain."""


def api_client() -> Client:
    client = Client()
    client.handler = ApiClientHandler()
    return client


def test_the_api_chain_is_the_full_chain_less_what_a_bearer_token_call_does_not_use() -> None:
    chain = wsgi.api_middleware()
    assert chain == [m for m in settings.MIDDLEWARE if m in chain]  # same order
    for kept in (
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
        "claimsportal.config.caching.NoStoreMiddleware",
        "django.middleware.common.CommonMiddleware",
        "claimsportal.core.request_guard.RequestGuardMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ):
        assert kept in chain
    assert not wsgi.API_SKIPPED & set(chain)


def _views_under(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, Any]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _views_under(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


@pytest.mark.django_db
def test_every_api_view_that_takes_a_write_is_csrf_exempt_so_the_api_chain_needs_no_csrf_middleware() -> None:
    api_views = [
        (route.lstrip("^/"), view)
        for route, view in _views_under(get_resolver(), "")
        if route.lstrip("^/").startswith("a2a/")
    ]
    assert len(api_views) > 20
    not_exempt = sorted(route for route, view in api_views if not getattr(view, "csrf_exempt", False))
    # The API's home, its OpenAPI document and its docs page (which keeps the full chain) are read-only.
    assert not_exempt == ["a2a/v1/", "a2a/v1/docs", "a2a/v1/openapi.json"]
    for route in not_exempt:
        if ("/" + route).startswith(wsgi.FULL_STACK_UNDER_API):
            continue
        assert api_client().post("/" + route).status_code in (404, 405), route


@pytest.mark.django_db
def test_an_operation_through_the_api_chain_answers_as_through_the_full_chain(world: World) -> None:
    full = caller_for(world.comp)
    lean = Caller(full.client_id, full.secret, full.token, full.refresh_token, api_client())
    user = world.comp_handler.user_id
    first, second = send_claim(world), send_claim(world)
    answers = []
    for caller, claim in ((full, first), (lean, second)):
        body = {"insurerClaimReferenceNumber": "INS-1", "activityEngineGuid": str(claim.activity_guid)}
        answers.append(caller.post(f"/claims/{claim.application_id}/acceptClaim", user, body))
    through_full, through_lean = answers
    assert through_full.status == through_lean.status == 200
    assert through_full.body["phaseCacheName"] == through_lean.body["phaseCacheName"]
    assert through_full.body.keys() == through_lean.body.keys()
    for header in (
        "Content-Type",
        "Cache-Control",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Content-Security-Policy",
    ):
        assert through_lean.headers.get(header) == through_full.headers.get(header), header
    assert "no-store" in through_lean.headers["Cache-Control"]
    assert "Set-Cookie" not in through_lean.headers
    # Errors too: a refused call is the API's JSON, the same through both chains.
    stale = {"insurerClaimReferenceNumber": "INS-1", "activityEngineGuid": str(first.activity_guid)}
    refused = [c.post(f"/claims/{first.application_id}/acceptClaim", user, stale) for c in (full, lean)]
    assert refused[0].status == refused[1].status
    assert refused[0].body == refused[1].body
    # And the request guard still answers on the API chain.
    guarded = lean.get("/claims/search?claimantSurname=a%00b", user)
    assert guarded.status == 422


def _call(path: str) -> tuple[str, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        started["status"], started["headers"] = status, headers

    # As Django's test client does: keep the test's transaction (the handler would close it).
    request_started.disconnect(close_old_connections)
    try:
        body = b"".join(wsgi.application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
    headers: dict[str, str] = {}
    for name, value in started["headers"]:
        headers[name] = headers[name] + "\n" + value if name in headers else value
    return started["status"], headers, body


@pytest.mark.django_db
def test_the_application_sends_the_api_to_the_api_chain_and_pages_to_the_full_chain() -> None:
    status, headers, body = _call("/a2a/v1/claims")
    assert status.startswith("401")
    assert json.loads(body)["code"] == "AUTH_INVALID"
    assert "no-store" in headers["Cache-Control"]
    assert "Set-Cookie" not in headers
    # A web page goes through sessions and CSRF: the sign-in form sets its CSRF cookie.
    status, headers, body = _call("/login/")
    assert status.startswith("200")
    assert "csrftoken" in headers.get("Set-Cookie", "")
    # The API's documentation page, a page for people, keeps the full chain too.
    status, headers, _ = _call("/a2a/v1/docs")
    assert status.startswith("200")
