"""Authentication: ``POST /token`` (client credentials or a refresh token) and ``POST /changePassword``
(the client's own secret). Both answer without a token; a client that keeps sending wrong secrets is
refused for a while (``a2a.guessing``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from claimsportal.a2a import auth, guessing
from claimsportal.a2a.caller import json_object
from claimsportal.a2a.schemas import ErrorOut, PasswordChangedOut, TokenOut
from claimsportal.protocols.errors import ErrorDetail, PortalError

router = Router()

# POST /token's body, JSON or form-encoded: the grant and what it needs (a missing or wrong credential
# is 401 AUTH_INVALID, not a schema error). Other fields are ignored.
TOKEN_REQUEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials", "refresh_token"]},
        "client_id": {"type": "string", "description": "With grant_type=client_credentials"},
        "client_secret": {"type": "string", "description": "With grant_type=client_credentials"},
        "refresh_token": {"type": "string", "description": "With grant_type=refresh_token"},
    },
    "required": ["grant_type"],
}


def _guarded[T](request: HttpRequest, client_id: str, field: str, attempt: Callable[[], T]) -> T:
    """``attempt`` a client's secret unless too many wrong ones came for it (``a2a.guessing``): the
    attempt is counted first, then checked; only a wrong secret stays counted."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    guessing.count_attempt(client_id, address, field)
    try:
        result = attempt()
    except auth.WrongCredentials:
        raise
    except BaseException:
        guessing.not_a_guess(client_id, address)
        raise
    guessing.right_secret(client_id, address)
    return result


@router.post(
    "/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="getToken",
    summary="Get or refresh a token (client credentials or refresh token)",
    tags=["authentication"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": TOKEN_REQUEST,
                    "examples": {
                        "client_credentials": {
                            "value": {
                                "grant_type": "client_credentials",
                                "client_id": "demo-comp-a2a",
                                "client_secret": "demo-comp-a2a-secret-change-me",
                            }
                        }
                    },
                },
                "application/x-www-form-urlencoded": {"schema": TOKEN_REQUEST},
            },
        }
    },
)
def token(request: HttpRequest) -> dict[str, object]:
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form: dict[str, Any] = request.POST.dict()
    else:
        form = json_object(request)
    grant = form.get("grant_type")
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    if grant == "client_credentials":
        client_id, secret = values.get("client_id", ""), values.get("client_secret", "")
        pair = _guarded(
            request, client_id, "client_secret", lambda: auth.token_for_client_credentials(client_id, secret)
        )
    elif grant == "refresh_token":
        pair = auth.token_for_refresh_token(values.get("refresh_token", ""))
    else:
        raise PortalError(
            "SCHEMA_INVALID",
            "grant_type must be client_credentials or refresh_token",
            [ErrorDetail("grant_type", "must be client_credentials or refresh_token")],
        )
    return pair.as_dict()


@router.post(
    "/changePassword",
    response={200: PasswordChangedOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="changePassword",
    summary="Change the client's own secret (its A2A password), which expires every 90 days",
    description=(
        "Authenticated by the current secret (an expired one too), not by a token. The new secret "
        "must meet the portal's password rules: at least 12 characters with a special character, a "
        'digit, upper- and lower-case letters; no "password" or an abbreviation of it; not the '
        "client ID or organisation ID; not the current or previous secret. The old secret stops "
        "working at once and every token of the client is revoked: ask for a new token with the new "
        "secret."
    ),
    tags=["authentication"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "client_id": {"type": "string", "minLength": 1},
                            "oldPassword": {"type": "string", "minLength": 1},
                            "newPassword": {"type": "string", "minLength": 1},
                        },
                        "required": ["client_id", "oldPassword", "newPassword"],
                    },
                    "example": {
                        "client_id": "demo-comp-a2a",
                        "oldPassword": "demo-comp-a2a-secret-change-me",
                        "newPassword": "Correct-Horse-Battery-2026",
                    },
                }
            },
        }
    },
)
def change_password(request: HttpRequest) -> dict[str, object]:
    body = json_object(request)
    values = {k: v if isinstance(v, str) else "" for k, v in body.items()}
    missing = [name for name in ("client_id", "oldPassword", "newPassword") if not values.get(name)]
    if missing:
        raise PortalError(
            "SCHEMA_INVALID",
            "client_id, oldPassword and newPassword are required",
            [ErrorDetail(name, "required") for name in missing],
        )
    _guarded(
        request,
        values["client_id"],
        "oldPassword",
        lambda: auth.change_secret(values["client_id"], values["oldPassword"], values["newPassword"]),
    )
    return {"changed": True, "message": "Password changed: ask for a token with the new one"}
