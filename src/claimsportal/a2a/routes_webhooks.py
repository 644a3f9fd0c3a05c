"""Webhook endpoints over the API (docs/webhooks.md): register one (its signing secret is in the
answer, once), list them, enable or disable, change the events, rotate the secret, delete, send a
test event, read the delivery log and redeliver. The acting user (``X-Login-As``) must be an
Administrator of the client's organisation; every change is audited."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.params.functions import Query

from claimsportal.a2a.caller import caller, json_object
from claimsportal.a2a.schemas import ERROR_RESPONSES, READ_ERRORS
from claimsportal.organisations import administration
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.webhooks import events, services

router = Router()
TAGS = ["webhooks"]
EXAMPLE_URL = "https://cms.example.com/claims-portal/events"


class EndpointOut(Schema):
    endpointId: str
    url: str
    description: str
    events: list[str]
    keyId: str
    enabled: bool
    createdAt: str
    secretChangedAt: str


class NewEndpointOut(EndpointOut):
    secret: str


class EndpointListOut(Schema):
    endpoints: list[EndpointOut]
    eventKinds: dict[str, str]


class DeliveryOut(Schema):
    eventId: str
    kind: str
    applicationId: str | None
    status: str
    attempts: int
    createdAt: str
    nextAttemptAt: str | None
    deliveredAt: str | None
    lastAttemptAt: str | None
    lastStatus: int | None
    lastLatencyMs: int | None
    lastError: str


class DeliveryPageOut(Schema):
    deliveries: list[DeliveryOut]
    nextCursor: str | None


def _administrator(
    request: HttpRequest, *, with_body: bool = False
) -> tuple[Organisation, User, dict[str, Any]]:
    """The acting Administrator's organisation; with ``with_body``, the JSON body is read (strictly,
    by ``a2a.body``) before the profile is checked, as every POST of the API does."""
    _client, actor = caller(request)
    body = json_object(request) if with_body else {}
    user = User.objects.select_related("organisation").filter(pk=actor.user_pk).first()
    if user is None:  # pragma: no cover - caller() resolved this user a moment ago
        raise PortalError("LOGIN_AS_INVALID", "The acting user is unknown")
    try:
        return administration.check_administrator(user), user, body
    except PortalError:
        raise PortalError(
            "FORBIDDEN_PROFILE",
            "Only an Administrator of the organisation manages its webhooks",
            [ErrorDetail("X-Login-As", "not an Administrator")],
        ) from None


def _body(required: tuple[str, ...], example: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": list(required),
                        "additionalProperties": False,
                        "properties": properties,
                    },
                    "example": example,
                }
            },
        }
    }


_EVENTS_SCHEMA = {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(events.KINDS)}}


def _only(body: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(body) - allowed)
    if extra:
        raise PortalError(
            "SCHEMA_INVALID",
            f"Unknown field(s): {', '.join(extra)}",
            [ErrorDetail(name, "not a field of this request") for name in extra],
        )


@router.post(
    "/webhooks",
    response={201: NewEndpointOut, **ERROR_RESPONSES},
    operation_id="createWebhookEndpoint",
    summary="Register a webhook endpoint; the answer holds its signing secret, shown only this once",
    tags=TAGS,
    openapi_extra=_body(
        ("url", "events"),
        {
            "url": EXAMPLE_URL,
            "events": [events.HANDED_OVER, events.TIME_LIMIT_WARNING],
            "description": "Our CMS",
        },
        {
            "url": {"type": "string", "format": "uri", "maxLength": 500, "description": "https:// only"},
            "events": _EVENTS_SCHEMA,
            "description": {"type": "string", "maxLength": services.DESCRIPTION_LENGTH},
        },
    ),
)
def create_endpoint(request: HttpRequest) -> Status[dict[str, Any]]:
    organisation, user, body = _administrator(request, with_body=True)
    _only(body, {"url", "events", "description"})
    created = services.register(
        organisation,
        user,
        url=body.get("url"),
        events_wanted=body.get("events"),
        description=body.get("description"),
    )
    return Status(201, {**services.endpoint_record(created.endpoint), "secret": created.secret})


@router.get(
    "/webhooks",
    response={200: EndpointListOut, **READ_ERRORS},
    operation_id="getWebhookEndpoints",
    summary="The organisation's webhook endpoints, and the event kinds there are",
    tags=TAGS,
)
def list_endpoints(request: HttpRequest) -> dict[str, Any]:
    organisation, _user, _ = _administrator(request)
    return {
        "endpoints": [services.endpoint_record(e) for e in services.endpoints_of(organisation)],
        "eventKinds": dict(events.KINDS),
    }


@router.get(
    "/webhooks/{endpointId}",
    response={200: EndpointOut, **READ_ERRORS},
    operation_id="getWebhookEndpoint",
    summary="One webhook endpoint",
    tags=TAGS,
)
def get_endpoint(request: HttpRequest, endpointId: str) -> dict[str, Any]:
    organisation, _user, _ = _administrator(request)
    return services.endpoint_record(services.endpoint_of(organisation, endpointId))


@router.post(
    "/webhooks/{endpointId}/update",
    response={200: EndpointOut, **ERROR_RESPONSES},
    operation_id="updateWebhookEndpoint",
    summary="Enable or disable an endpoint, or change the events it wants",
    tags=TAGS,
    openapi_extra=_body(
        (),
        {"enabled": False},
        {"enabled": {"type": "boolean"}, "events": _EVENTS_SCHEMA},
    ),
)
def update_endpoint(request: HttpRequest, endpointId: str) -> dict[str, Any]:
    organisation, user, body = _administrator(request, with_body=True)
    _only(body, {"enabled", "events"})
    if not body:
        raise PortalError(
            "SCHEMA_INVALID", "Send enabled, events or both", [ErrorDetail("request", "nothing to change")]
        )
    enabled = body.get("enabled")
    if "enabled" in body and not isinstance(enabled, bool):
        raise PortalError(
            "SCHEMA_INVALID", "enabled must be true or false", [ErrorDetail("enabled", "boolean")]
        )
    endpoint = services.endpoint_of(organisation, endpointId)
    if "events" in body:
        endpoint = services.change_events(organisation, user, endpointId, body["events"])
    if isinstance(enabled, bool) and enabled != endpoint.enabled:
        endpoint = services.set_enabled(organisation, user, endpointId, enabled=enabled)
    return services.endpoint_record(endpoint)


@router.post(
    "/webhooks/{endpointId}/rotateSecret",
    response={200: NewEndpointOut, **ERROR_RESPONSES},
    operation_id="rotateWebhookSecret",
    summary="A new signing secret and key ID, shown only this once; every attempt from now on uses them",
    tags=TAGS,
)
def rotate_secret(request: HttpRequest, endpointId: str) -> dict[str, Any]:
    organisation, user, _ = _administrator(request, with_body=True)
    rotated = services.rotate_secret(organisation, user, endpointId)
    return {**services.endpoint_record(rotated.endpoint), "secret": rotated.secret}


@router.delete(
    "/webhooks/{endpointId}",
    response={204: None, **ERROR_RESPONSES},
    operation_id="deleteWebhookEndpoint",
    summary="Delete an endpoint and its delivery log (what is still waiting is not sent)",
    tags=TAGS,
)
def delete_endpoint(request: HttpRequest, endpointId: str) -> Status[None]:
    organisation, user, _ = _administrator(request)
    services.remove(organisation, user, endpointId)
    return Status(204, None)


@router.post(
    "/webhooks/{endpointId}/test",
    response={200: DeliveryOut, **ERROR_RESPONSES},
    operation_id="testWebhookEndpoint",
    summary="Send a signed webhook.test event now; the answer says how the endpoint answered",
    tags=TAGS,
)
def test_endpoint(request: HttpRequest, endpointId: str) -> dict[str, Any]:
    organisation, user, _ = _administrator(request, with_body=True)
    return services.delivery_record(services.send_test(organisation, user, endpointId))


@router.get(
    "/webhooks/{endpointId}/deliveries",
    response={200: DeliveryPageOut, **READ_ERRORS},
    operation_id="getWebhookDeliveries",
    summary="The endpoint's delivery log, newest first: status, attempts, last answer and latency",
    tags=TAGS,
)
def list_deliveries(
    request: HttpRequest,
    endpointId: str,
    before: Annotated[
        str | None,
        Query(None, pattern=r"^[0-9]{1,18}$", description="The nextCursor of the previous page"),
    ] = None,
    limit: Annotated[
        int | None,
        Query(None, ge=1, le=services.MAX_PAGE, description=f"1 to {services.MAX_PAGE}; default 50"),
    ] = None,
) -> dict[str, Any]:
    organisation, _user, _ = _administrator(request)
    _endpoint, found, cursor = services.deliveries_of(
        organisation, endpointId, before=int(before) if before else None, limit=limit or 50
    )
    return {
        "deliveries": [services.delivery_record(d) for d in found],
        "nextCursor": str(cursor) if cursor is not None else None,
    }


@router.post(
    "/webhooks/{endpointId}/deliveries/{eventId}/redeliver",
    response={200: DeliveryOut, **ERROR_RESPONSES},
    operation_id="redeliverWebhookEvent",
    summary="Send an event again, with the same event ID (back in the queue now, 24 hours of retries)",
    tags=TAGS,
)
def redeliver(request: HttpRequest, endpointId: str, eventId: str) -> dict[str, Any]:
    organisation, user, _ = _administrator(request, with_body=True)
    return services.delivery_record(services.redeliver(organisation, user, endpointId, eventId))
