"""Who is calling: the A2A client (bearer token, rate limit), the acting user (``X-Login-As``), a
caller who may work on claims, and the request's JSON body (``a2a.body``). Every route module uses these."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from claimsportal.a2a import auth
from claimsportal.a2a.body import json_body
from claimsportal.a2a.ratelimit import check_rate
from claimsportal.claims.acting import Actor
from claimsportal.protocols.errors import ErrorDetail, PortalError


def client_of(request: HttpRequest) -> auth.ClientContext:
    """The A2A client of the bearer token (within its rate limit)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PortalError(
            "AUTH_INVALID",
            "Send Authorization: Bearer <access_token> (from POST /a2a/v1/token)",
            [ErrorDetail("Authorization", "missing or not a bearer token")],
        )
    client = auth.client_for_access_token(token.strip())
    check_rate(client.client_pk)
    return client


def caller(request: HttpRequest) -> tuple[auth.ClientContext, Actor]:
    """The client and the user it acts for (``X-Login-As``)."""
    client = client_of(request)
    return client, auth.acting_user(client, request.headers.get("X-Login-As"))


def claims_caller(request: HttpRequest) -> tuple[auth.ClientContext, Actor]:
    """A caller who may work on claims: the acting user holds a claims profile."""
    client, actor = caller(request)
    if not actor.scope.rules:
        raise PortalError(
            "FORBIDDEN_PROFILE",
            "The acting user has no claims profile (claim handler, team leader, branch claim handler or "
            "dispatcher)",
            [ErrorDetail("X-Login-As", "no claims profile")],
        )
    return client, actor


def json_object(request: HttpRequest, max_bytes: int | None = None) -> dict[str, Any]:
    """The request's body, which must be a JSON object (none: ``{}``), parsed strictly by ``a2a.body``:
    size, content type, UTF-8, depth, duplicate keys, numbers and control characters."""
    return json_body(request, max_bytes)
