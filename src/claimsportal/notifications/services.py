"""Notifications: what the other party did, and time limits approaching or reached.

* A change that hands a claim to the other party notifies that party's organisation; it is written
  by ``claims.services.perform`` in the same transaction as the change (``change_message``).
* The timer worker warns the organisation whose turn it is 5 business days before a liability time
  limit and 3 business days before any other (no 1-day warnings, ADMINISTRATION.md §5.2), once per
  deadline; the timeout itself notifies both parties ("time limit reached").
* Notifications are informational, one stream per organisation, shown to a user only for claims
  they can see, deleted one by one or all at once, and purged after 15 calendar days.
* The feed is keyset-paginated by the notification's increasing ID: a client polling with the last
  cursor it saw never reads a notification twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q

from claimsportal.claims import ledger, notices
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.notices import limit_label
from claimsportal.core import clock, retention
from claimsportal.notifications.models import Notification
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.timers import LONDON, TimerKind
from claimsportal.reference.calendar import get_calendar

RETENTION = timedelta(days=15)
LIABILITY_WARNING_DAYS = 5
OTHER_WARNING_DAYS = 3
MAX_PAGE = 200

# --------------------------------------------------------------------------------------------------
# Reading and deleting
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationPage:
    notifications: list[Notification]
    next_cursor: str | None  # pass it as ``after`` next time; unchanged when nothing is new
    more: bool  # another page is waiting now


def _mine(actor: Actor) -> Any:
    """The organisation's notifications about claims the actor can see, and its transfer notices: the
    source of a bulk transfer is told of each claim it no longer sees (the notice names only the claim
    number and the two organisations, ADMINISTRATION.md §3).

    The claim is joined on its primary key and checked row by row as the feed walks the
    (organisation, id) index: ``claim_id IN (visible claims)`` (or ``EXISTS``, which PostgreSQL
    turns into the same hashed subplan) read every claim the actor sees first, a scan of the claims
    table growing with it (2.7 s at 1,000,000 claims)."""
    return Notification.objects.filter(organisation_id=actor.organisation_pk).filter(
        actor.scope.q(through="claim__") | Q(kind=Notification.Kind.TRANSFERRED)
    )


def feed(actor: Actor, *, after: str | None = None, limit: int | None = None) -> NotificationPage:
    """The actor's notifications after the cursor ``after``, oldest first."""
    size = 50 if limit is None else limit
    if not 1 <= size <= MAX_PAGE:
        raise PortalError(
            "SCHEMA_INVALID", "limit is out of range", [ErrorDetail("limit", f"1 to {MAX_PAGE}")]
        )
    rows = _mine(actor).filter(created_at__gte=clock.now() - RETENTION)
    if after:
        try:
            last = int(after)
        except ValueError:
            raise PortalError(
                "SCHEMA_INVALID",
                "after is not a cursor this API returned",
                [ErrorDetail("after", "not a cursor")],
            ) from None
        rows = rows.filter(id__gt=last)
    found = list(rows.order_by("id")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return NotificationPage(found, str(found[-1].id) if found else (after or None), more)


def as_record(notification: Notification) -> dict[str, Any]:
    """The five fields of the A2A ``notification`` (WORKFLOW.md §7.2), plus the kind."""
    local = notification.created_at.astimezone(LONDON)
    return {
        "applicationId": format_application_id(notification.claim_id),
        "formattedDate": f"{local:%d/%m/%Y %H:%M}",
        "notificationDateTime": notification.created_at.isoformat(),
        "notificationGuid": str(notification.guid),
        "notificationMessage": notification.message,
        "kind": notification.kind,
    }


def remove(actor: Actor, guid: str | uuid.UUID) -> None:
    try:
        wanted = guid if isinstance(guid, uuid.UUID) else uuid.UUID(str(guid))
    except ValueError:
        raise PortalError(
            "NOT_FOUND", "No such notification", [ErrorDetail("notificationGuid", "not a notification GUID")]
        ) from None
    deleted, _ = _mine(actor).filter(guid=wanted).delete()
    if not deleted:
        raise PortalError("NOT_FOUND", "No such notification", [ErrorDetail("notificationGuid", "unknown")])


def clear_all(actor: Actor) -> int:
    deleted, _ = _mine(actor).delete()
    return int(deleted)


# --------------------------------------------------------------------------------------------------
# The worker's jobs
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningResult:
    created: int


def _fires_at_end_of(day: Any) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=LONDON)


def create_deadline_warnings(now: datetime | None = None) -> WarningResult:
    """Warn the awaiting organisation of each claim whose time limit ends within the warning period
    (5 business days for liability, 3 for the others), once per deadline. Idempotent (a unique
    constraint backs the check); a pass that was missed is caught up by the next one."""
    from claimsportal.claims.models import Claim

    now = now or clock.now()
    today = now.astimezone(LONDON).date()
    calendar = get_calendar()
    already = Notification.objects.filter(
        kind=Notification.Kind.WARNING, claim_id=OuterRef("pk"), deadline_at=OuterRef("deadline_at")
    )
    created = 0
    for days, liability in ((LIABILITY_WARNING_DAYS, True), (OTHER_WARNING_DAYS, False)):
        horizon = _fires_at_end_of(calendar.add_business_days(today, days))
        due = Claim.objects.filter(
            deadline_at__gt=now, deadline_at__lte=horizon, awaiting_organisation__isnull=False
        ).filter(~Exists(already))
        due = (
            due.filter(deadline_kind=TimerKind.LIABILITY.value)
            if liability
            else due.exclude(deadline_kind=TimerKind.LIABILITY.value)
        )
        warnings: list[tuple[int, ledger.Notice]] = []
        for application_id, organisation_id, deadline_at, kind, phase in due.values_list(
            "pk", "awaiting_organisation_id", "deadline_at", "deadline_kind", "phase"
        ).iterator(chunk_size=2000):
            assert deadline_at is not None
            last_day = deadline_at.astimezone(LONDON).date() - timedelta(days=1)
            left = calendar.business_days_between(today, last_day)
            remaining = (
                "the last day is today" if left == 0 else f"{left} {'day' if left == 1 else 'days'} left"
            )
            message = notices.render(
                notices.DEADLINE_WARNING,
                application_id,
                label=limit_label(kind, phase),
                remaining=remaining,
                last_day=f"{last_day:%d/%m/%Y}",
            )
            warnings.append(
                (
                    application_id,
                    ledger.Notice(organisation_id, Notification.Kind.WARNING, message, deadline_at),
                )
            )
        for start in range(0, len(warnings), 2000):
            created += ledger.notify(warnings[start : start + 2000], now=now)
    return WarningResult(created)


def purge_expired(
    now: datetime | None = None, *, batch_size: int = 10_000, retention_period: timedelta | None = None
) -> int:
    """Delete notifications older than their retention period (the ``notifications`` row of
    ``core.RetentionPeriod``: 15 calendar days), in batches."""
    kept = retention.period(retention.NOTIFICATIONS) if retention_period is None else retention_period
    cutoff = (now or clock.now()) - kept
    total = 0
    while True:
        ids = list(
            Notification.objects.filter(created_at__lt=cutoff).values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return total
        deleted, _ = Notification.objects.filter(id__in=ids).delete()
        total += deleted
