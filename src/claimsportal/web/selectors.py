"""Read models for the web UI: worklist rows, the notifications panel and a claim's history, through
the one visibility rule (``VisibilityScope``).

The worklist is one indexed lookup per table (``awaiting_organisation``, ``claim_worklist`` index) and
is keyset-paginated: each page is ``WHERE (sort key, application ID) > (last row's) … LIMIT n+1``, so a
page costs the same at claim 100,000 as at claim 1, and a claim moving while someone pages is neither
skipped nor shown twice. Every page is a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, DateTimeField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.selectors import TRANSFER_OPERATION
from claimsportal.claims.visibility import VisibilityScope
from claimsportal.core import clock
from claimsportal.notifications.models import Notification
from claimsportal.notifications.services import RETENTION
from claimsportal.organisations.models import User
from claimsportal.presentation.labels import history_label
from claimsportal.presentation.messages import notification_text
from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.tables import DEFINITIONS, definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.reference.calendar import get_calendar

PAGE_SIZE = 50
LOCKED_LIMIT = 200  # claims locked to one person: a handful; the table is not paginated
DUE_SOON_DAYS = 3  # highlighted when this many business days or fewer are left
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=LONDON)
CLAIM_TYPES = ("RTA", "EL", "ELD", "PL")

# Sortable columns: query name -> (label, the column sorted on).
SORTS: dict[str, tuple[str, str]] = {
    "time-limit": ("Time limit", "sort_deadline"),
    "application-id": ("Application ID", "application_id"),
    "updated": ("Updated", "updated_at"),
}


@dataclass(frozen=True)
class WorklistRow:
    application_id: str
    claim_type: str
    claimant: str
    cr_reference: str
    comp_reference: str
    phase: str
    phase_name: str
    deadline_at: datetime | None
    business_days_left: int | None
    locked_to_me: bool
    updated_at: datetime | None = None
    locked_by: str = ""
    transferred: bool = False  # moved here by a bulk transfer (ADMINISTRATION.md §3: the worklist's icon)
    overdue: bool = False  # the time limit has passed (the timeout job has not moved it yet)

    @property
    def due_soon(self) -> bool:
        return self.business_days_left is not None and self.business_days_left <= DUE_SOON_DAYS

    @property
    def urgency(self) -> str:
        """ "Overdue", "Due soon" (≤ DUE_SOON_DAYS business days) or ""."""
        return "Overdue" if self.overdue else "Due soon" if self.due_soon else ""


@dataclass
class HistoryRow:
    occurred_at: datetime
    actor: str  # "user.id (ORG001)", or "System" for timeouts and sweeps
    operation: str
    phase_before: str  # the phase's name (its code if the protocol no longer has it)
    phase_after: str
    operation_label: str = ""
    count: int = 1  # repeated saves of the draft shown as one row
    first_at: datetime | None = None  # the earliest of them

    @property
    def description(self) -> str:
        """The row in words: "Saved the draft (18 times)"."""
        if self.count > 1:
            return f"{self.operation_label} ({self.count} times)"
        return self.operation_label


def business_days_left(
    deadline_at: datetime, *, today: date, calendar: BusinessCalendar | None = None
) -> int:
    """Business days from today to the last day before the time limit fires (the day it fires is not one)."""
    last_day = deadline_at.astimezone(LONDON).date() - timedelta(days=1)
    return (calendar or get_calendar()).business_days_between(today, last_day)


def claim_list(user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(VisibilityScope.for_user(user).q())


# --------------------------------------------------------------------------------------------------
# The worklist
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorklistQuery:
    """What the worklist's sort links and filters ask for (anything unknown falls back to the default)."""

    sort: str = "time-limit"
    descending: bool = False
    claim_type: str = ""
    phase: str = ""
    cursor: str = ""
    urgent: bool = False  # only claims overdue or due within DUE_SOON_DAYS business days

    @classmethod
    def from_params(cls, params: Any) -> WorklistQuery:
        sort = str(params.get("sort", "time-limit"))
        claim_type = str(params.get("type", ""))
        phase = str(params.get("phase", ""))
        return cls(
            sort=sort if sort in SORTS else "time-limit",
            descending=params.get("order") == "desc",
            claim_type=claim_type if claim_type in CLAIM_TYPES else "",
            phase=phase if phase in phase_names() else "",
            cursor=str(params.get("cursor", "")),
            urgent=params.get("urgent") == "1",
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string of this view with ``changes`` (the cursor is dropped unless given)."""
        values = {
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "type": self.claim_type,
            "phase": self.phase,
            "urgent": "1" if self.urgent else "",
            "cursor": "",
        }
        values.update(changes)
        defaults = {"sort": "time-limit", "order": "asc", "type": "", "phase": "", "urgent": "", "cursor": ""}
        return {k: str(v) for k, v in values.items() if v != defaults[k]}


@dataclass
class WorklistPage:
    locked: list[WorklistRow]
    others: list[WorklistRow]
    next_cursor: str | None = None
    previous_cursor: str | None = None
    query: WorklistQuery = field(default_factory=WorklistQuery)


STAGE_ORDER = (
    "Stage 1",
    "Stage 2.1",
    "Stage 2",
    "Additional Damages",
    "Court Proceedings Pack",
    "Exit",
    "End",
)


def phases_by_stage() -> list[tuple[str, list[tuple[str, str]]]]:
    """The phase filter's options grouped by stage, in the order a claim goes through them:
    ``[(stage, [(phase ID, name), ...]), ...]`` (a name shared by both protocols listed once)."""
    stages: dict[str, dict[str, str]] = {}
    for definition in DEFINITIONS.values():
        for phase in definition.phases.values():
            names = stages.setdefault(phase.stage, {})
            if phase.id not in names:
                names[phase.id] = phase.name
    ordered = sorted(stages, key=lambda s: STAGE_ORDER.index(s) if s in STAGE_ORDER else len(STAGE_ORDER))
    return [(stage, sorted(stages[stage].items(), key=lambda item: item[1])) for stage in ordered]


def urgent_before(today: date, calendar: BusinessCalendar | None = None) -> datetime:
    """Time limits before this instant are "due soon" (or overdue): those with DUE_SOON_DAYS business
    days or fewer left (``business_days_left`` counts to the day before the limit fires)."""
    last = (calendar or get_calendar()).add_business_days(today, DUE_SOON_DAYS + 1)
    return datetime(last.year, last.month, last.day, tzinfo=LONDON) + timedelta(days=1)


@dataclass(frozen=True)
class Urgency:
    overdue: int
    due_soon: int  # not overdue


def worklist_urgency(user: User, query: WorklistQuery, *, today: date, now: datetime) -> Urgency:
    """How many claims of the (filtered) worklist are overdue or due soon: one indexed count."""
    if user.organisation_id is None:
        return Urgency(0, 0)
    counts = _filtered(user, query.__class__(claim_type=query.claim_type, phase=query.phase)).aggregate(
        overdue=Count("pk", filter=Q(deadline_at__lte=now)),
        soon=Count("pk", filter=Q(deadline_at__gt=now, deadline_at__lt=urgent_before(today))),
    )
    return Urgency(int(counts["overdue"] or 0), int(counts["soon"] or 0))


def phase_names() -> dict[str, str]:
    """Every phase of both protocols: ID -> name (for the phase filter)."""
    names: dict[str, str] = {}
    for definition in DEFINITIONS.values():
        for phase in definition.phases.values():
            names.setdefault(phase.id, phase.name)
    return names


_ROW_COLUMNS = (
    "application_id",
    "claim_type",
    "claimant_surname",
    "cr_reference",
    "comp_reference",
    "phase",
    "deadline_at",
    "locked_by_id",
    "updated_at",
    "locked_by__user_id",
    "sort_deadline",
    "transferred",
)


def _rows(values: Sequence[tuple[Any, ...]], user: User, today: date) -> list[WorklistRow]:
    calendar = get_calendar()
    now = clock.now()
    out = []
    for (
        app_id,
        claim_type,
        surname,
        cr_ref,
        comp_ref,
        phase,
        deadline_at,
        locked_by,
        updated,
        locker,
        _,
        transferred,
    ) in values:
        phases = definition_for(claim_type).phases
        out.append(
            WorklistRow(
                format_application_id(app_id),
                claim_type,
                surname,
                cr_ref,
                comp_ref,
                phase,
                phases[phase].name if phase in phases else phase,
                deadline_at,
                business_days_left(deadline_at, today=today, calendar=calendar) if deadline_at else None,
                locked_by == user.pk,
                updated,
                locker or "",
                bool(transferred),
                overdue=deadline_at is not None and deadline_at <= now,
            )
        )
    return out


def _encode_cursor(direction: str, value: Any, application_id: int) -> str:
    raw = json.dumps([direction, value.isoformat() if isinstance(value, datetime) else value, application_id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, column: str) -> tuple[str, Any, int] | None:
    """``(direction, value, application ID)``, or None for a cursor this page did not write."""
    try:
        direction, value, app_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if direction not in ("after", "before") or not isinstance(app_id, int):
            return None
        if column != "application_id":
            value = datetime.fromisoformat(value)
        elif not isinstance(value, int):
            return None
        return direction, value, app_id
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


def _filtered(user: User, query: WorklistQuery) -> QuerySet[Claim]:
    rows = claim_list(user).filter(awaiting_organisation_id=user.organisation_id)
    if query.claim_type:
        rows = rows.filter(claim_type=query.claim_type)
    if query.phase:
        rows = rows.filter(phase=query.phase)
    if query.urgent:
        rows = rows.filter(deadline_at__lt=urgent_before(clock.today()))
    return rows.annotate(
        sort_deadline=Coalesce("deadline_at", Value(FAR_FUTURE), output_field=DateTimeField()),
        # One probe of the claim's history index per row shown
        transferred=Exists(ClaimEvent.objects.filter(claim_id=OuterRef("pk"), operation=TRANSFER_OPERATION)),
    )


def _order(column: str, descending: bool) -> list[Any]:
    order = [F(column).desc() if descending else F(column).asc()]
    if column != "application_id":  # ties broken by the application ID, so the order is total
        order.append(F("application_id").desc() if descending else F("application_id").asc())
    return order


_SORTED_VALUE = {"application_id": 0, "updated_at": 8, "sort_deadline": 10}  # positions in _ROW_COLUMNS


def worklist(
    user: User, query: WorklistQuery | None = None, *, today: date | None = None, page_size: int = PAGE_SIZE
) -> WorklistPage:
    """Claims awaiting the user's organisation that the user can see: those locked to them (all of
    them), then one page of the others, sorted and filtered as ``query`` asks."""
    query = query or WorklistQuery()
    today = today or clock.today()
    if user.organisation_id is None:
        return WorklistPage([], [], query=query)
    column = SORTS[query.sort][1]
    base = _filtered(user, query)
    locked = list(
        base.filter(locked_by_id=user.pk)
        .order_by(*_order(column, query.descending))
        .values_list(*_ROW_COLUMNS)[:LOCKED_LIMIT]
    )
    others = base.exclude(locked_by_id=user.pk)
    cursor = _decode_cursor(query.cursor, column) if query.cursor else None
    backwards = cursor is not None and cursor[0] == "before"
    # Reading backwards (the previous page) is reading the reversed order after the cursor.
    descending = query.descending != backwards
    if cursor is not None:
        _, value, app_id = cursor
        op = "lt" if descending else "gt"
        if column == "application_id":
            others = others.filter(**{f"application_id__{op}": value})
        else:
            others = others.filter(
                Q(**{f"{column}__{op}": value}) | Q(**{column: value, f"application_id__{op}": app_id})
            )
    found = list(others.order_by(*_order(column, descending)).values_list(*_ROW_COLUMNS)[: page_size + 1])
    more = len(found) > page_size
    found = found[:page_size]
    if backwards:
        found.reverse()
    page = WorklistPage(_rows(locked, user, today), _rows(found, user, today), query=query)
    if found:
        first, last = found[0], found[-1]
        key = _SORTED_VALUE[column]
        if (more and not backwards) or backwards:
            page.next_cursor = _encode_cursor("after", last[key], last[0])
        if (cursor is not None and not backwards) or (backwards and more):
            page.previous_cursor = _encode_cursor("before", first[key], first[0])
    return page


EXPORT_LIMIT = 10_000  # rows in one CSV export of the worklist


def worklist_export(user: User, query: WorklistQuery, *, today: date) -> list[WorklistRow]:
    """Every claim of the filtered worklist (not one page), in the worklist's order, for the CSV
    export: one query, at most EXPORT_LIMIT rows."""
    if user.organisation_id is None:
        return []
    column = SORTS[query.sort][1]
    found = _filtered(user, query).order_by(*_order(column, query.descending)).values_list(*_ROW_COLUMNS)
    return _rows(list(found[:EXPORT_LIMIT]), user, today)


# --------------------------------------------------------------------------------------------------
# Notifications panel
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationRow:
    guid: str
    application_id: str
    message: str
    created_at: datetime
    kind: str


def recent_notifications(user: User, *, limit: int = 10) -> tuple[list[NotificationRow], bool]:
    """The newest notifications of the user's organisation about claims the user can see (as the
    notification feed shows them), and whether there are more."""
    if user.organisation_id is None:
        return [], False
    rows = list(
        Notification.objects.filter(
            organisation_id=user.organisation_id,
            claim_id__in=claim_list(user).values("pk"),
            created_at__gte=clock.now() - RETENTION,
        )
        .order_by("-id")
        .values_list("guid", "claim_id", "message", "created_at", "kind")[: limit + 1]
    )
    return [
        NotificationRow(str(guid), format_application_id(claim_id), notification_text(message), created, kind)
        for guid, claim_id, message, created, kind in rows[:limit]
    ], len(rows) > limit


# --------------------------------------------------------------------------------------------------
# One claim
# --------------------------------------------------------------------------------------------------


def claim_get(user: User, application_id: int) -> Claim | None:
    return (
        claim_list(user)
        .filter(pk=application_id)
        .select_related("cr_organisation", "comp_organisation", "locked_by")
        .first()
    )


def claim_history(claim: Claim, *, with_drafts: bool = True) -> list[HistoryRow]:
    """Who did what, when. ``with_drafts=False`` leaves out the saves of the draft (the claimant
    representative's own business: the compensator's history starts when the claim is sent)."""
    phases = definition_for(claim.claim_type).phases
    events: QuerySet[ClaimEvent] = claim.events.order_by("id").select_related(
        "actor_user", "actor_organisation"
    )
    if not with_drafts:
        events = events.exclude(operation__in=("createDraft", "updateDraft"))

    def phase_name(code: str) -> str:
        phase = phases.get(code)
        return phase.name if phase is not None else code

    rows: list[HistoryRow] = []
    for event in events:
        actor = _actor_label(event)
        last = rows[-1] if rows else None
        if (
            last is not None
            and event.operation == "updateDraft"
            and last.operation == "updateDraft"
            and last.actor == actor
        ):  # the saves of a draft, one after another by one person: one line
            last.count += 1
            last.first_at = last.first_at or last.occurred_at
            last.occurred_at = event.occurred_at
            continue
        rows.append(
            HistoryRow(
                occurred_at=event.occurred_at,
                actor=actor,
                operation=event.operation,
                phase_before=phase_name(event.phase_before),
                phase_after=phase_name(event.phase_after),
                operation_label=history_label(event.operation),
            )
        )
    return rows


def _actor_label(event: ClaimEvent) -> str:
    if event.actor_user is None:
        return "System"
    org = event.actor_organisation
    return f"{event.actor_user.user_id} ({org.org_id})" if org is not None else event.actor_user.user_id
