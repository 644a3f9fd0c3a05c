"""Notifications: the cursor feed (``GET /notifications``), deleting one, clearing them all."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.params.functions import Query

from claimsportal.a2a.caller import caller
from claimsportal.a2a.schemas import READ_ERRORS, ClearedOut, NotificationPageOut
from claimsportal.notifications import services as notification_services

router = Router()


@router.get(
    "/notifications",
    response={200: NotificationPageOut, **READ_ERRORS},
    operation_id="getNotificationsList",
    summary="Notifications after a cursor (oldest first): poll with the last nextCursor you received",
    tags=["notifications"],
)
def get_notifications(
    request: HttpRequest,
    after: Annotated[
        str | None,
        Query(
            None,
            pattern=r"^[0-9]{1,18}$",
            description="The nextCursor of the previous answer (leave it out, or 0, to start)",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        Query(
            None,
            ge=1,
            le=notification_services.MAX_PAGE,
            description=f"At most this many (1 to {notification_services.MAX_PAGE}; default 50)",
        ),
    ] = None,
) -> dict[str, Any]:
    _client, actor = caller(request)
    page = notification_services.feed(actor, after=after, limit=limit)
    return {
        "notifications": [notification_services.as_record(n) for n in page.notifications],
        "nextCursor": page.next_cursor,
        "more": page.more,
    }


@router.delete(
    "/notifications/{notificationGuid}",
    response={204: None, **READ_ERRORS},
    operation_id="removeNotification",
    summary="Delete one notification (for the whole organisation)",
    tags=["notifications"],
)
def remove_notification(request: HttpRequest, notificationGuid: str) -> Status[None]:
    _client, actor = caller(request)
    notification_services.remove(actor, notificationGuid)
    return Status(204, None)


@router.delete(
    "/notifications",
    response={200: ClearedOut, **READ_ERRORS},
    operation_id="clearNotifications",
    summary="Delete every notification the acting user can see",
    tags=["notifications"],
)
def clear_notifications(request: HttpRequest) -> dict[str, int]:
    _client, actor = caller(request)
    return {"deleted": notification_services.clear_all(actor)}
