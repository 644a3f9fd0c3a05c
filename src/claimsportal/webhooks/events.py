"""The events an endpoint can ask for, and the body each delivery carries (docs/webhooks.md).

A body is enough to act on without a second call: the claim's application ID, type, phase (ID and
name), ``activityEngineGuid`` and deadline after the change, the notification's words when the change
notified the organisation, and the event ID (the same for every retry; for an event that is also a
notification, the feed's ``notificationGuid``). No form data: a body carries nothing a party could
not read in its own notifications.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from claimsportal.claims.acting import format_application_id
from claimsportal.protocols.tables import definition_for

HANDED_OVER = "claim.handedOver"
TIME_LIMIT_WARNING = "timeLimit.warning"
TIME_LIMIT_REACHED = "timeLimit.reached"
TRANSFERRED = "claim.transferred"
DELETED = "claim.deleted"
DOCUMENT_READY = "document.ready"
ATTACHMENT_ADDED = "attachment.added"
CHANGED = "claim.changed"
TEST = "webhook.test"  # sent on request to one endpoint; never subscribed to

# What an endpoint may ask for, in the order pages list them, with their words.
KINDS: dict[str, str] = {
    HANDED_OVER: "A claim was handed to your organisation by the other party",
    TIME_LIMIT_WARNING: "A time limit of yours is approaching",
    TIME_LIMIT_REACHED: "A time limit was reached and the claim moved on",
    TRANSFERRED: "A claim was transferred to or from your organisation",
    DELETED: "A claim of yours was deleted (retention, data protection, a draft)",
    DOCUMENT_READY: "A printable document of a claim of yours is ready to download",
    ATTACHMENT_ADDED: "The other party added an attachment to a claim of yours",
    CHANGED: "Any change to a claim of yours, by either party or the portal",
}

# The notification kinds (notifications.Notification.Kind) that are webhook events of their own.
BY_NOTICE_KIND = {
    "CHANGE": HANDED_OVER,
    "WARNING": TIME_LIMIT_WARNING,
    "TIME_LIMIT_REACHED": TIME_LIMIT_REACHED,
}
TRANSFER_OPERATION = "claimTransferred"
ATTACHMENT_OPERATION = "addAttachment"  # its CHANGE notice is not a hand-over: the claim stays put


def notice_event(notice_kind: str, operation: str) -> str | None:
    """The webhook event a notification is, if any."""
    if notice_kind == "CHANGE" and operation == ATTACHMENT_OPERATION:
        return ATTACHMENT_ADDED
    return BY_NOTICE_KIND.get(notice_kind)


def phase_name(claim_type: str, phase: str) -> str:
    try:
        return definition_for(claim_type).phases[phase].name
    except (KeyError, ValueError):
        return phase


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def claim_part(
    application_id: int,
    claim_type: str,
    phase: str,
    activity_guid: uuid.UUID | None,
    deadline_at: datetime | None,
) -> dict[str, Any]:
    return {
        "applicationId": format_application_id(application_id),
        "claimType": claim_type,
        "phaseCacheId": phase,
        "phaseCacheName": phase_name(claim_type, phase),
        "activityEngineGuid": str(activity_guid) if activity_guid else None,
        "deadline": _iso(deadline_at),
    }


def body(
    *,
    event_id: uuid.UUID,
    kind: str,
    occurred_at: datetime,
    claim: dict[str, Any] | None,
    notification: dict[str, Any] | None = None,
    **more: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "eventId": str(event_id),
        "kind": kind,
        "occurredAt": occurred_at.isoformat(),
        "claim": claim,
        "notification": notification,
    }
    out.update(more)
    return out


def notification_part(guid: uuid.UUID, kind: str, message: str) -> dict[str, Any]:
    return {"notificationGuid": str(guid), "kind": kind, "notificationMessage": message}
