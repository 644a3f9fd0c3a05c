"""Registering and running webhook endpoints: the services behind the A2A routes and the console
pages (docs/webhooks.md). Each takes the organisation and the Administrator acting for it (None: the
organisation's A2A client acting through an Administrator the route has checked); every change is
audited and changes the endpoints' stamp in its own transaction."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from claimsportal.claims.acting import format_application_id
from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.webhooks import addresses, delivery, events, wakeup
from claimsportal.webhooks.models import Attempt, Delivery, Endpoint
from claimsportal.webhooks.outbox import endpoints_changed
from claimsportal.webhooks.sealing import seal

MAX_ENDPOINTS = 10  # per organisation
MAX_PAGE = 200
DESCRIPTION_LENGTH = 120


def _invalid(field: str, reason: str, message: str | None = None) -> PortalError:
    return PortalError("SCHEMA_INVALID", message or f"{field}: {reason}", [ErrorDetail(field, reason)])


def _not_found(what: str = "endpointId") -> PortalError:
    return PortalError(
        "NOT_FOUND", "No such webhook endpoint in your organisation", [ErrorDetail(what, "unknown")]
    )


def check_events(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _invalid("events", "a non-empty list of event kinds", "Choose at least one event")
    unknown = [v for v in value if not isinstance(v, str) or v not in events.KINDS]
    if unknown:
        raise _invalid(
            "events",
            f"unknown event kind(s): {', '.join(map(str, unknown))}; the kinds are {', '.join(events.KINDS)}",
        )
    return [kind for kind in events.KINDS if kind in value]


def check_description(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value.strip()) > DESCRIPTION_LENGTH:
        raise _invalid("description", f"text of at most {DESCRIPTION_LENGTH} characters")
    return value.strip()


@dataclass(frozen=True)
class NewSecret:
    endpoint: Endpoint
    secret: str  # shown once


def _new_secret() -> tuple[str, str]:
    return "whsec_" + secrets.token_urlsafe(32), "whk_" + secrets.token_hex(8)


def register(
    organisation: Organisation, by: User | None, *, url: Any, events_wanted: Any, description: Any = None
) -> NewSecret:
    if not isinstance(url, str) or not url.strip():
        raise _invalid("url", "required: the https:// address to send events to", "Enter the endpoint's URL")
    checked_events = check_events(events_wanted)
    checked_description = check_description(description)
    checked_url = addresses.check_url(url)
    secret, key_id = _new_secret()
    now = clock.real_now()
    with transaction.atomic():
        if Endpoint.objects.filter(organisation=organisation).count() >= MAX_ENDPOINTS:
            raise _invalid(
                "url",
                f"at most {MAX_ENDPOINTS} endpoints per organisation",
                "Your organisation has the most endpoints it may have",
            )
        endpoint = Endpoint.objects.create(
            organisation=organisation,
            url=checked_url,
            description=checked_description,
            events=checked_events,
            key_id=key_id,
            sealed_secret=seal(secret),
            enabled=True,
            created_at=now,
            secret_changed_at=now,
        )
        endpoints_changed()
        audit(
            by,
            "webhook.created",
            str(endpoint.endpoint_id),
            organisation,
            url=checked_url,
            events=checked_events,
        )
    return NewSecret(endpoint, secret)


def endpoints_of(organisation: Organisation) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(organisation=organisation).order_by("created_at", "id")


def endpoint_of(organisation: Organisation, endpoint_id: Any) -> Endpoint:
    try:
        wanted = endpoint_id if isinstance(endpoint_id, uuid.UUID) else uuid.UUID(str(endpoint_id))
    except ValueError:
        raise _not_found() from None
    found = Endpoint.objects.filter(organisation=organisation, endpoint_id=wanted).first()
    if found is None:
        raise _not_found()
    return found


def set_enabled(organisation: Organisation, by: User | None, endpoint_id: Any, *, enabled: bool) -> Endpoint:
    endpoint = endpoint_of(organisation, endpoint_id)
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(
            enabled=enabled, disabled_at=None if enabled else clock.real_now()
        )
        endpoints_changed()
        audit(
            by, "webhook.enabled" if enabled else "webhook.disabled", str(endpoint.endpoint_id), organisation
        )
    endpoint.refresh_from_db()
    return endpoint


def change_events(
    organisation: Organisation, by: User | None, endpoint_id: Any, events_wanted: Any
) -> Endpoint:
    endpoint = endpoint_of(organisation, endpoint_id)
    checked = check_events(events_wanted)
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(events=checked)
        endpoints_changed()
        audit(by, "webhook.events_changed", str(endpoint.endpoint_id), organisation, events=checked)
    endpoint.refresh_from_db()
    return endpoint


def rotate_secret(organisation: Organisation, by: User | None, endpoint_id: Any) -> NewSecret:
    """A new secret and key ID, shown once; every attempt from now on is signed with them."""
    endpoint = endpoint_of(organisation, endpoint_id)
    secret, key_id = _new_secret()
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(
            sealed_secret=seal(secret), key_id=key_id, secret_changed_at=clock.real_now()
        )
        audit(by, "webhook.secret_rotated", str(endpoint.endpoint_id), organisation, key_id=key_id)
    endpoint.refresh_from_db()
    return NewSecret(endpoint, secret)


def remove(organisation: Organisation, by: User | None, endpoint_id: Any) -> None:
    """Delete the endpoint and its log (what was not delivered is not sent)."""
    endpoint = endpoint_of(organisation, endpoint_id)
    with transaction.atomic():
        ids = Delivery.objects.filter(endpoint=endpoint).values("pk")
        Attempt.objects.filter(delivery_id__in=ids).delete()
        Delivery.objects.filter(endpoint=endpoint).delete()
        endpoint.delete()
        endpoints_changed()
        audit(by, "webhook.deleted", str(endpoint.endpoint_id), organisation, url=endpoint.url)


def send_test(organisation: Organisation, by: User | None, endpoint_id: Any) -> Delivery:
    """Send a ``webhook.test`` event to the endpoint now (enabled or not) and return its delivery, with
    the answer (it is retried like any other if it failed)."""
    endpoint = endpoint_of(organisation, endpoint_id)
    now = clock.real_now()
    event_id = uuid.uuid4()
    until = now + delivery.lease_length()
    body = events.body(
        event_id=event_id,
        kind=events.TEST,
        occurred_at=now,
        claim=None,
        endpointId=str(endpoint.endpoint_id),
    )
    with transaction.atomic():
        created = Delivery.objects.create(
            event_id=event_id,
            endpoint=endpoint,
            claim_id=None,
            kind=events.TEST,
            body=body,
            created_at=now,
            retry_from=now,
            next_attempt_at=now,
            leased_until=until,
        )
        audit(by, "webhook.test_sent", str(endpoint.endpoint_id), organisation, event_id=str(event_id))
    delivery.attempt(delivery.Target.of(endpoint), created, until)
    created.refresh_from_db()
    return created


def deliveries_of(
    organisation: Organisation, endpoint_id: Any, *, before: int | None = None, limit: int = 50
) -> tuple[Endpoint, list[Delivery], int | None]:
    """The endpoint's log, newest first, keyset-paginated by delivery ID; returns the next cursor."""
    endpoint = endpoint_of(organisation, endpoint_id)
    if not 1 <= limit <= MAX_PAGE:
        raise _invalid("limit", f"1 to {MAX_PAGE}")
    rows = Delivery.objects.filter(endpoint=endpoint)
    if before is not None:
        rows = rows.filter(id__lt=before)
    found = list(rows.order_by("-id")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return endpoint, found, (found[-1].id if more and found else None)


def delivery_of(endpoint: Endpoint, event_id: Any) -> Delivery:
    try:
        wanted = event_id if isinstance(event_id, uuid.UUID) else uuid.UUID(str(event_id))
    except ValueError:
        raise PortalError("NOT_FOUND", "No such delivery", [ErrorDetail("eventId", "unknown")]) from None
    found = Delivery.objects.filter(endpoint=endpoint, event_id=wanted).first()
    if found is None:
        raise PortalError("NOT_FOUND", "No such delivery", [ErrorDetail("eventId", "unknown")])
    return found


def attempts_of(found: Delivery) -> list[Attempt]:
    return list(Attempt.objects.filter(delivery_id=found.pk).order_by("-id")[:50])


def redeliver(organisation: Organisation, by: User | None, endpoint_id: Any, event_id: Any) -> Delivery:
    """Send the event again (delivered, parked or waiting): it goes back to the queue now, with 24
    hours of retries from now, and the same event ID."""
    endpoint = endpoint_of(organisation, endpoint_id)
    found = delivery_of(endpoint, event_id)
    now = clock.real_now()
    with transaction.atomic():
        Delivery.objects.filter(pk=found.pk).update(
            status=Delivery.Status.PENDING, next_attempt_at=now, retry_from=now, leased_until=None
        )
        wakeup.notify([endpoint.pk])
        audit(
            by, "webhook.redelivered", str(endpoint.endpoint_id), organisation, event_id=str(found.event_id)
        )
    found.refresh_from_db()
    return found


# --------------------------------------------------------------------------------------------------
# As the API shows them
# --------------------------------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def endpoint_record(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "endpointId": str(endpoint.endpoint_id),
        "url": endpoint.url,
        "description": endpoint.description,
        "events": list(endpoint.events),
        "keyId": endpoint.key_id,
        "enabled": endpoint.enabled,
        "createdAt": _iso(endpoint.created_at),
        "secretChangedAt": _iso(endpoint.secret_changed_at),
    }


def delivery_record(found: Delivery) -> dict[str, Any]:
    return {
        "eventId": str(found.event_id),
        "kind": found.kind,
        "applicationId": format_application_id(found.claim_id) if found.claim_id else None,
        "status": found.status,
        "attempts": found.attempts,
        "createdAt": _iso(found.created_at),
        "nextAttemptAt": _iso(found.next_attempt_at) if found.status == Delivery.Status.PENDING else None,
        "deliveredAt": _iso(found.delivered_at),
        "lastAttemptAt": _iso(found.last_attempt_at),
        "lastStatus": found.last_status,
        "lastLatencyMs": found.last_latency_ms,
        "lastError": found.last_error,
    }
