"""Every operation on an existing claim, each at ``POST /claims/{applicationId}/{name}`` with its
own request schema and examples; :func:`perform_operation`, which addClaim uses too; and
:func:`serve_operation`, the same without django-ninja's per-request machinery (``a2a.dispatch``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Status

from claimsportal.a2a.caller import claims_caller, json_object
from claimsportal.a2a.idempotency import run_idempotently
from claimsportal.a2a.schemas import ERROR_RESPONSES, PAYLOAD_MODELS, ClaimInfoOut, request_body
from claimsportal.claims.services import perform
from claimsportal.protocols.tables import DEFINITIONS

router = Router()

WRITE_RESPONSES: dict[int, Any] = {200: ClaimInfoOut, **ERROR_RESPONSES}


def perform_operation(
    request: HttpRequest, operation: str, application_id: str | None
) -> Status[dict[str, Any]]:
    """``operation`` through ``perform`` (the one door) for the caller, the body as its payload
    (``activityEngineGuid`` taken out of it); repeatable with an ``Idempotency-Key``."""
    client, actor = claims_caller(request)
    body = json_object(request)
    guid = body.pop("activityEngineGuid", None) if application_id is not None else None

    def run() -> tuple[int, dict[str, Any]]:
        info = perform(
            actor=actor, operation=operation, application_id=application_id, activity_guid=guid, payload=body
        )
        return (201 if application_id is None else 200), info.as_dict()

    status, answer = run_idempotently(request, client.client_pk, run)
    return Status(status, answer)


def _operation_view(name: str) -> Callable[[HttpRequest, str], Status[dict[str, Any]]]:
    def view(request: HttpRequest, applicationId: str) -> Status[dict[str, Any]]:
        return perform_operation(request, name, applicationId)

    view.__name__ = name
    return view


def serve_operation(api: NinjaAPI, request: HttpRequest, applicationId: str, name: str) -> HttpResponse:
    """``POST /claims/{applicationId}/{name}`` without django-ninja's per-request machinery (parsing
    the one path parameter into a model, validating our own answer against ``ClaimInfoOut``): the
    same ``perform_operation`` and the API's own error handlers and renderer, so the answer is byte for byte
    what ninja's view gives (tests/a2a/test_dispatch.py). ``a2a.dispatch`` routes to it."""
    try:
        result = perform_operation(request, name, applicationId)
        return api.create_response(request, result.value, status=result.status_code)
    except Exception as error:
        return api.on_exception(request, error)


def _describe(name: str) -> tuple[str, str]:
    for definition in DEFINITIONS.values():
        for op in definition.operations:
            if op.name == name:
                protocols = sorted(d.name.value for d in DEFINITIONS.values() if name in d.operation_names)
                sources = sorted(
                    {s for d in DEFINITIONS.values() for o in d.operations_named(name) for s in o.sources}
                )
                summary = op.description or f"{name} ({op.refs})"
                detail = (
                    f"{op.description}\n\nProtocols: {', '.join(protocols)}. Caller: {op.actor.value}. "
                    f"Allowed in phases: {', '.join(sources)}. Transitions: {op.refs}."
                )
                return summary.split(". ")[0][:120], detail
    raise KeyError(name)


# Every operation on an existing claim, each at POST /claims/{applicationId}/{name}.
OPERATION_NAMES = frozenset(PAYLOAD_MODELS) - {"addClaim"}

for _name in sorted(OPERATION_NAMES):
    _summary, _description = _describe(_name)
    router.add_api_operation(
        f"/claims/{{applicationId}}/{_name}",
        ["POST"],
        _operation_view(_name),
        response=WRITE_RESPONSES,
        operation_id=_name,
        summary=_summary,
        description=_description,
        tags=["operations"],
        openapi_extra={"requestBody": request_body(_name)},
    )
