"""The claim ledger: the only code that writes a claim's row, appends its events and inserts its
notifications (ARCHITECTURE.md §4 rule 2). Everything that changes claims comes here: ``perform``,
draft CNFs and attachments through the single-claim form (:func:`record`, :func:`open_claim`), and the
jobs that change many claims at once (the timer sweep today; retention, archive and transfer next)
through the set-based form (:func:`apply_set`). Each form has a PostgreSQL variant (one round trip,
prepared on the hot path) and a generic one (SQLite). ``tests/claims/test_ledger.py`` greps the
code base so that no other module writes these tables.

The caller runs inside ``transaction.atomic()``: the claim change, its event and its notifications
commit together or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import psycopg
from django.db import connection

from claimsportal.claims import effects, idsets, notices
from claimsportal.claims.acting import Actor
from claimsportal.claims.locked import LockedClaim as LockedClaim  # re-exported: ledger.LockedClaim

SYSTEM_SIDE = "SYSTEM"

_EVENT_COLUMNS = (
    "claim_id, occurred_at, operation, actor_user_id, actor_organisation_id, actor_side, phase_before,"
    " phase_after, payload, activity_guid, deadline_at"
)
_NOTICE_COLUMNS = "guid, organisation_id, claim_id, kind, message, deadline_at, created_at"


# --------------------------------------------------------------------------------------------------
# Values as each database takes them
# --------------------------------------------------------------------------------------------------


def hot(sql: str, params: Sequence[Any], *, fetch: bool = False) -> tuple[Any, ...] | None:
    """Run one statement of the hot path. On PostgreSQL it runs with server-side binding as a prepared
    statement (parsed and planned once per connection; see ``CLAIMSPORTAL_PG_PREPARED``)."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchone() if fetch else None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if fetch else None


def aware(value: Any) -> datetime | None:
    """A timestamp read with raw SQL: SQLite hands back naive UTC text, PostgreSQL an aware datetime."""
    if value is None or (isinstance(value, datetime) and value.tzinfo is not None):
        return value
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC)


def db_datetime(value: datetime | None) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def db_guid(value: uuid.UUID) -> Any:
    return value if connection.features.has_native_uuid_field else value.hex


def db_json(value: Any) -> Any:
    return connection.ops.adapt_json_value(value, None)


@cache
def _claim_column_kinds() -> dict[str, str]:
    from claimsportal.claims.models import Claim

    return {f.column: f.get_internal_type() for f in Claim._meta.concrete_fields if f.column}


def _adapt_claim_column(column: str, value: Any) -> Any:
    kind = _claim_column_kinds().get(column)
    if kind is None:
        raise ValueError(f"claims_claim has no column {column}")
    if value is None:
        return None
    if kind == "DateTimeField":
        return db_datetime(value)
    if kind == "UUIDField":
        return db_guid(value)
    if kind == "JSONField":
        return db_json(value)
    return value


# --------------------------------------------------------------------------------------------------
# One claim
# --------------------------------------------------------------------------------------------------


_ROW_COLUMNS = (
    "application_id",
    "claim_type",
    "phase",
    "owner_side",
    "cr_organisation_id",
    "comp_organisation_id",
    "comp_branch_id",
    "cr_allocated_user_id",
    "comp_allocated_user_id",
    "locked_by_id",
    "activity_guid",
    "deadline_kind",
    "deadline_anchor",
    "deadline_business_days",
    "deadline_further_days",
    "deadline_fixed_date",
    "state",
    "comp_reference",
    "deadline_at",
    "gdpr_deleted_at",
)


def _select_sql() -> str:
    sql = f"SELECT {', '.join(_ROW_COLUMNS)} FROM claims_claim WHERE application_id = %s"
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql


def lock_claim(application_id: int) -> LockedClaim | None:
    """The claim's row, locked for this transaction (``FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
    transactions serialise writers), read lean: the hot path builds no ORM instance."""
    values = hot(_select_sql(), [application_id], fetch=True)
    if values is None:
        return None
    raw = list(values)
    guid, state = raw[10], raw[16]
    raw[10] = guid if isinstance(guid, uuid.UUID) else uuid.UUID(str(guid))
    raw[16] = json.loads(state) if isinstance(state, str) else state
    raw[18] = aware(raw[18])
    raw[19] = aware(raw[19])
    return LockedClaim(*raw)


class NoSuchClaim(LookupError):
    """A change addressed to a claim that does not exist (never an orphan event)."""


@dataclass(frozen=True)
class Entry:
    """The event appended to a claim's history."""

    operation: str
    actor: Actor | None  # None: the portal itself (a timer, a job)
    phase_before: str
    phase_after: str
    payload: Mapping[str, Any]
    activity_guid: uuid.UUID  # the claim's activityEngineGuid after the change
    deadline_at: datetime | None  # the claim's deadline after the change


@dataclass(frozen=True)
class Notice:
    """A notification to one organisation about the claim."""

    organisation_id: int
    kind: str  # notifications.Notification.Kind
    message: str
    deadline_at: datetime | None = None
    guid: uuid.UUID = field(default_factory=uuid.uuid4)  # the feed's notificationGuid


def _event_values(application_id: int | None, entry: Entry, now: datetime) -> list[Any]:
    actor = entry.actor
    values = [
        db_datetime(now),
        entry.operation,
        actor.user_pk if actor else None,
        actor.organisation_pk if actor else None,
        actor.side.value if actor else SYSTEM_SIDE,
        entry.phase_before,
        entry.phase_after,
        db_json(dict(entry.payload)),
        db_guid(entry.activity_guid),
        db_datetime(entry.deadline_at),
    ]
    return values if application_id is None else [application_id, *values]


def _notice_values(notice: Notice, now: datetime) -> list[Any]:
    return [
        db_guid(notice.guid),
        notice.organisation_id,
        notice.kind,
        notice.message[: notices.MESSAGE_LENGTH],
        db_datetime(notice.deadline_at),
        db_datetime(now),
    ]


def record(
    application_id: int,
    *,
    columns: Mapping[str, Any],
    entry: Entry,
    told: Sequence[Notice] = (),
    now: datetime,
    claim: LockedClaim | None = None,
) -> None:
    """Change one claim: update ``columns`` (values as Python objects; ``updated_at`` is set to
    ``now``), append ``entry`` and insert ``told``. On PostgreSQL one prepared statement whose
    event takes its claim ID from the UPDATE, so an event can never be written for a claim that was
    not updated; elsewhere one statement each. Then the observers are told (``claim``, the row as
    locked, saves them a read of the claim's type and parties)."""
    _write_record(application_id, columns, entry, told, now)
    if effects.observers():
        parties = _parties(application_id, columns, claim)
        effects.observe([_written(application_id, parties, entry, told, now)])


def _parties(
    application_id: int, columns: Mapping[str, Any], claim: LockedClaim | None
) -> tuple[str, int | None, int | None]:
    """The claim's type and its two organisations after a change of ``columns``."""
    if claim is None:
        row = hot(
            "SELECT claim_type, cr_organisation_id, comp_organisation_id FROM claims_claim"
            " WHERE application_id = %s",
            [application_id],
            fetch=True,
        )
        if row is None:
            raise NoSuchClaim(f"claim {application_id} does not exist")
        return str(row[0]), row[1], row[2]
    return (
        claim.claim_type,
        columns.get("cr_organisation_id", claim.cr_organisation_id),
        columns.get("comp_organisation_id", claim.comp_organisation_id),
    )


def _written(
    application_id: int,
    parties: tuple[str, int | None, int | None],
    entry: Entry,
    told: Sequence[Notice],
    now: datetime,
) -> effects.Written:
    actor = entry.actor
    return effects.Written(
        application_id=application_id,
        claim_type=parties[0],
        cr_organisation_id=parties[1],
        comp_organisation_id=parties[2],
        operation=entry.operation,
        actor_side=actor.side.value if actor else SYSTEM_SIDE,
        actor_organisation_id=actor.organisation_pk if actor else None,
        actor_user_id=actor.user_pk if actor else None,
        phase_before=entry.phase_before,
        phase_after=entry.phase_after,
        activity_guid=entry.activity_guid,
        deadline_at=entry.deadline_at,
        occurred_at=now,
        payload=entry.payload,
        told=tuple(
            effects.Told(n.organisation_id, n.kind, n.message[: notices.MESSAGE_LENGTH], n.guid) for n in told
        ),
    )


def _write_record(
    application_id: int,
    columns: Mapping[str, Any],
    entry: Entry,
    told: Sequence[Notice],
    now: datetime,
) -> None:
    changed = {**columns, "updated_at": now}
    if entry.phase_after != entry.phase_before:
        changed["phase_entered_at"] = now  # the retention policy's "reached"
    assignments = ", ".join(f"{name} = %s" for name in changed)
    values = [_adapt_claim_column(name, value) for name, value in changed.items()]
    update = f"UPDATE claims_claim SET {assignments} WHERE application_id = %s"
    event = _event_values(None, entry, now)
    notice_rows = [_notice_values(n, now) for n in told]
    if connection.vendor == "postgresql":
        holes = "(SELECT application_id FROM updated), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s"
        sql = (
            f"WITH updated AS ({update} RETURNING application_id),"
            f" logged AS (INSERT INTO claims_claimevent ({_EVENT_COLUMNS}) VALUES ({holes}) RETURNING claim_id)"
        )
        params: list[Any] = [*values, application_id, *event]
        if notice_rows:
            rows = ", ".join(
                ["(%s::uuid, %s::bigint, %s, %s, %s::timestamptz, %s::timestamptz)"] * len(notice_rows)
            )
            sql += (
                f" INSERT INTO notifications_notification ({_NOTICE_COLUMNS})"
                " SELECT n.guid, n.organisation_id, logged.claim_id, n.kind, n.message, n.deadline_at, n.created_at"
                f" FROM logged, (VALUES {rows}) AS n(guid, organisation_id, kind, message, deadline_at, created_at)"
            )
            params += [value for row in notice_rows for value in row]
        else:
            sql += " SELECT claim_id FROM logged"
        hot(sql, params)
        return
    with connection.cursor() as cursor:
        cursor.execute(update, [*values, application_id])
        if cursor.rowcount != 1:  # SQLite checks foreign keys only at commit: refuse the orphan now
            raise NoSuchClaim(f"claim {application_id} does not exist")
    hot(
        f"INSERT INTO claims_claimevent ({_EVENT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [application_id, *event],
    )
    for row in notice_rows:
        guid, organisation, *rest = row
        hot(
            f"INSERT INTO notifications_notification ({_NOTICE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [guid, organisation, application_id, *rest],
        )


def append(application_id: int, *, entry: Entry, told: Sequence[Notice] = (), now: datetime) -> None:
    """Append ``entry`` (and ``told``) to a claim whose row does not change (an attachment added:
    the activityEngineGuid stays); then the observers are told."""
    _write_append(application_id, entry, told, now)
    if effects.observers():
        effects.observe([_written(application_id, _parties(application_id, {}, None), entry, told, now)])


def _write_append(application_id: int, entry: Entry, told: Sequence[Notice], now: datetime) -> None:
    hot(
        f"INSERT INTO claims_claimevent ({_EVENT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        _event_values(application_id, entry, now),
    )
    for notice in told:
        guid, organisation, *rest = _notice_values(notice, now)
        hot(
            f"INSERT INTO notifications_notification ({_NOTICE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [guid, organisation, application_id, *rest],
        )


def open_claim(*, columns: Mapping[str, Any], entry: Entry | None, now: datetime) -> int:
    """Insert a new claim row (``created_at`` and ``updated_at`` are ``now``) and, when given, its first
    event; returns the application ID."""
    values = {**columns, "created_at": now, "updated_at": now, "phase_entered_at": now}
    names = ", ".join(values)
    holes = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO claims_claim ({names}) VALUES ({holes}) RETURNING application_id",
            [_adapt_claim_column(name, value) for name, value in values.items()],
        )
        row = cursor.fetchone()
    application_id = int(row[0])  # psycopg cursors have no lastrowid
    if entry is not None:
        append(application_id, entry=entry, now=now)
    return application_id


def delete_claims(deleted: Sequence[effects.Deleted]) -> int:
    """Delete these claims for good, in the caller's transaction: first the on-delete hooks (the
    documents app deletes the attachments' and printable documents' rows, and their files once this
    commits; anonymous counters are recorded), then the claims' notifications, events and rows.
    Nothing can restore them. Returns how many claims went."""
    ids = [claim.application_id for claim in deleted]
    if not ids:
        return 0
    for hook in effects.on_delete():
        hook(deleted)
    idsets.delete_rows("notifications_notification", "claim_id", ids)
    idsets.delete_rows("claims_claimevent", "claim_id", ids)
    return idsets.delete_rows("claims_claim", "application_id", ids)


def delete_set(
    where: str, params: Sequence[Any], *, reason: str, now: datetime, limit: int = 5000
) -> list[effects.Deleted]:
    """The set-based form of :func:`delete_claims`: delete at most ``limit`` claims matching ``where``
    (over ``claims_claim``), in the caller's transaction; claims locked by another worker are skipped
    on PostgreSQL, so two workers never take the same claim. Returns what went (the caller repeats
    until fewer than ``limit`` come back)."""
    sql = (
        "SELECT application_id, claim_type, phase, cr_organisation_id, comp_organisation_id"
        f" FROM claims_claim WHERE {where} ORDER BY application_id LIMIT %s"
    )
    if connection.vendor == "postgresql":
        sql += " FOR UPDATE SKIP LOCKED"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    deleted = [
        effects.Deleted(
            application_id=int(row[0]),
            claim_type=str(row[1]),
            phase=str(row[2]),
            cr_organisation_id=row[3],
            comp_organisation_id=row[4],
            reason=reason,
            occurred_at=now,
        )
        for row in rows
    ]
    delete_claims(deleted)
    return deleted


def notify(items: Sequence[tuple[int, Notice]], *, now: datetime) -> int:
    """Insert notifications about claims that do not change (deadline warnings), many at a time. A
    notice the unique constraint already holds (one warning per deadline) is skipped. Then the notice
    observers are told of every notice offered (``effects.Noticed``; one skipped has no row with its
    GUID). Returns how many were offered."""
    rows = []
    for application_id, notice in items:
        guid, organisation, *rest = _notice_values(notice, now)
        rows.append([guid, organisation, application_id, *rest])
    if not rows:
        return 0
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO notifications_notification ({_NOTICE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            rows,
        )
    if effects.notice_observers():
        effects.observe_notices(
            [
                effects.Noticed(
                    application_id=application_id,
                    organisation_id=notice.organisation_id,
                    kind=notice.kind,
                    message=notice.message[: notices.MESSAGE_LENGTH],
                    deadline_at=notice.deadline_at,
                    guid=notice.guid,
                    occurred_at=now,
                )
                for application_id, notice in items
            ]
        )
    return len(rows)


# --------------------------------------------------------------------------------------------------
# Many claims at once
# --------------------------------------------------------------------------------------------------


def move_deadlines(
    fires_at: datetime,
    *,
    kind: str,
    business_days: int,
    further_days: int,
    anchor: Any,
    fixed_date: Any,
) -> int:
    """Set ``deadline_at`` to ``fires_at`` on every open deadline computed from these inputs (the
    calendar changed: the instant moves, the inputs and the claim do not, so no event). Returns how
    many claims moved."""
    # As the ORM stores it (SQLite: naive UTC text), so that the comparisons below and the timer
    # sweep's ``deadline_at <= now`` compare like with like.
    stored = db_datetime(fires_at)
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET deadline_at = %s WHERE deadline_at IS NOT NULL AND deadline_at <> %s"
            " AND deadline_kind = %s AND deadline_business_days = %s AND deadline_further_days = %s"
            f" AND deadline_anchor {same} %s AND deadline_fixed_date {same} %s",
            [stored, stored, kind, business_days, further_days, anchor, fixed_date],
        )
        return int(cursor.rowcount)


@dataclass(frozen=True)
class ClaimSet:
    """Which claims a job changes, and what each becomes: the set-based form's one argument.

    - ``carry``: claim columns read into the working set ``src`` as they were (``src.<column>``);
    - ``where``/``order_by``/``limit``: the claims, over ``claims_claim`` (indexed columns, please);
    - ``lookup``: optional rows joined to each claim (``name(columns) AS (VALUES …)``, ``on``);
    - ``assignments``: the new value of each changed claim column, an SQL expression over ``src``
      (the claim as it was plus the lookup) that both databases understand; the ledger always sets a
      new ``activity_guid`` and ``updated_at``;
    - ``operation`` and ``event_payload`` (key → expression over ``src``): the event each claim gets,
      by the portal (``SYSTEM``), from ``src.phase`` to the new phase;
    - ``notice_kind``, ``notice_template`` (a :mod:`claims.notices` template; each field other than
      ``{claim}`` is a ``src`` column), ``notice_deadline`` (expression over ``src``) and
      ``notify``: the claim columns, after the change, naming the organisations told;
      ``notify_before``: carried columns, as they were before the change, naming more organisations
      told (a transfer tells the organisation the claim leaves).
    """

    carry: tuple[str, ...]
    where: str
    params: Sequence[Any] = ()
    order_by: str = "application_id"
    limit: int = 5000
    lookup: str = ""  # e.g. "m(source, target) AS (VALUES (%s, %s), …)"
    lookup_params: Sequence[Any] = ()
    lookup_on: str = ""  # e.g. "m.source = due.phase"
    lookup_columns: tuple[str, ...] = ()
    assignments: Mapping[str, str] = field(default_factory=dict)
    operation: str = ""
    event_payload: Mapping[str, str] = field(default_factory=dict)
    notice_kind: str = ""
    notice_template: str = ""
    notice_deadline: str = "NULL"
    notify: tuple[str, ...] = ()
    notify_before: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetResult:
    """Per claim changed: its phase before and after (``moved``) and its event as the observers
    were told of it (``written``, in the same order)."""

    moved: list[tuple[str, str]]
    written: list[effects.Written] = field(default_factory=list)


def apply_set(change: ClaimSet, *, now: datetime) -> SetResult:
    """Change one batch of claims (at most ``change.limit``) in the caller's transaction: claims
    locked by another worker are skipped on PostgreSQL (``FOR UPDATE SKIP LOCKED``), so two workers
    never take the same claim; the caller repeats until fewer than ``limit`` come back. The observers
    are told of every event written."""
    if not change.carry or "application_id" not in change.carry or "phase" not in change.carry:
        raise ValueError("a claim set carries at least application_id and phase")
    if connection.vendor == "postgresql":
        rows = _apply_set_postgresql(change, now)
    else:
        rows = _apply_set_generic(change, now)
    parsed: dict[str, dict[str, Any]] = {}  # a job's payloads are mostly alike: each read once
    written = [_set_written(change, row, now, parsed) for row in rows]
    effects.observe(written)
    return SetResult([(w.phase_before, w.phase_after) for w in written], written)


# What each form returns per claim changed, in this order.
_SET_RETURNS = (
    "application_id, phase_before, phase_after, activity_guid, deadline_at, claim_type,"
    " cr_organisation_id, comp_organisation_id, event_payload, notice_message"
)


def _set_written(
    change: ClaimSet, row: Sequence[Any], now: datetime, parsed: dict[str, dict[str, Any]]
) -> effects.Written:
    application_id, before, after, guid, deadline, claim_type, cr, comp, payload, message = row[:10]
    told: tuple[effects.Told, ...] = ()
    if change.notify or change.notify_before:
        kind, words = change.notice_kind, str(message)
        told = tuple(
            effects.Told(int(organisation), kind, words)
            for organisation in row[10:]
            if organisation is not None
        )
    if isinstance(payload, str):
        if payload not in parsed:
            parsed[payload] = json.loads(payload)
        payload = dict(parsed[payload])  # each event its own copy
    return effects.Written(
        application_id=int(application_id),
        claim_type=str(claim_type),
        cr_organisation_id=cr,
        comp_organisation_id=comp,
        operation=change.operation,
        actor_side=SYSTEM_SIDE,
        actor_organisation_id=None,
        actor_user_id=None,
        phase_before=str(before),
        phase_after=str(after),
        activity_guid=guid if isinstance(guid, uuid.UUID) else uuid.UUID(str(guid)),
        deadline_at=aware(deadline),
        occurred_at=now,
        payload=dict(payload or {}),
        told=told,
    )


def _phase_entered(change: ClaimSet, now: Any) -> tuple[str, list[Any]]:
    """The ``phase_entered_at`` assignment of a set that may move claims to another phase."""
    phase = change.assignments.get("phase")
    if phase is None:
        return "", []
    return f", phase_entered_at = CASE WHEN ({phase}) <> src.phase THEN %s ELSE c.phase_entered_at END", [now]


def _source(change: ClaimSet, *, lock: bool) -> tuple[str, list[Any]]:
    """``WITH [lookup,] due AS (…), src AS (…)`` (without the word WITH) and its parameters."""
    due = (
        f"SELECT {', '.join(change.carry)} FROM claims_claim WHERE {change.where}"
        f" ORDER BY {change.order_by} LIMIT %s"
    )
    if lock:
        due += " FOR UPDATE SKIP LOCKED"
    parts: list[str] = []
    params: list[Any] = []
    if change.lookup:
        parts.append(change.lookup)
        params += change.lookup_params
    parts.append(f"due AS ({due})")
    params += [*change.params, change.limit]
    if change.lookup:
        lookup_name = change.lookup.split("(", 1)[0].strip()
        picked = ", ".join(f"{lookup_name}.{c}" for c in change.lookup_columns)
        parts.append(f"src AS (SELECT due.*, {picked} FROM due JOIN {lookup_name} ON {change.lookup_on})")
    else:
        parts.append("src AS (SELECT * FROM due)")
    return ", ".join(parts), params


def _json_object(pairs: Mapping[str, str], function: str) -> tuple[str, list[Any]]:
    args: list[str] = []
    params: list[Any] = []
    key = "%s::text" if connection.vendor == "postgresql" else "%s"
    for name, expression in pairs.items():
        args += [key, expression]
        params.append(name)
    return f"{function}({', '.join(args)})", params


def _apply_set_postgresql(change: ClaimSet, now: datetime) -> list[tuple[Any, ...]]:
    source, params = _source(change, lock=True)
    assignments = ", ".join(f"{column} = {expression}" for column, expression in change.assignments.items())
    payload, payload_params = _json_object(change.event_payload, "jsonb_build_object")
    message = "NULL::text"
    message_params: list[Any] = []
    if change.notice_template:
        fmt, fields = notices.sql_format(change.notice_template)
        notice_args = [
            "lpad(c.application_id::text, 8, '0')" if name == "claim" else f"src.{name}" for name in fields
        ]
        message = f"left(format(%s::text, {', '.join(notice_args)}), {notices.MESSAGE_LENGTH})"
        message_params = [fmt]
    returning = [
        "c.application_id",
        "src.phase AS phase_before",
        "c.phase AS phase_after",
        "c.activity_guid",
        "c.deadline_at",
        "c.claim_type",
        "c.cr_organisation_id",
        "c.comp_organisation_id",
        f"{payload} AS event_payload",
        f"{message} AS notice_message",
        f"CAST({change.notice_deadline} AS timestamp with time zone) AS notice_deadline",
        *(f"c.{column} AS notify_{i}" for i, column in enumerate(change.notify)),
        *(
            f"src.{column} AS notify_{len(change.notify) + i}"
            for i, column in enumerate(change.notify_before)
        ),
    ]
    entered, entered_params = _phase_entered(change, now)
    told = len(change.notify) + len(change.notify_before)
    sql = (
        f"WITH {source}, moved AS ("
        f" UPDATE claims_claim AS c SET {assignments}, activity_guid = gen_random_uuid(), updated_at = %s"
        f"{entered} FROM src WHERE c.application_id = src.application_id"
        f" RETURNING {', '.join(returning)})"
    )
    params += [now, *entered_params, *payload_params, *message_params]
    if told:
        organisations = ", ".join(f"(moved.notify_{i})" for i in range(told))
        sql += (
            f", notified AS (INSERT INTO notifications_notification ({_NOTICE_COLUMNS})"
            " SELECT gen_random_uuid(), o.organisation_id, moved.application_id, %s::text,"
            " moved.notice_message, moved.notice_deadline, %s"
            f" FROM moved CROSS JOIN LATERAL (VALUES {organisations}) AS o(organisation_id)"
            " WHERE o.organisation_id IS NOT NULL)"
        )
        params += [change.notice_kind, now]
    notified = "".join(f", notify_{i}" for i in range(told))
    sql += (
        f", logged AS (INSERT INTO claims_claimevent ({_EVENT_COLUMNS})"
        f" SELECT application_id, %s, %s::text, NULL, NULL, '{SYSTEM_SIDE}', phase_before, phase_after,"
        " event_payload, activity_guid, deadline_at FROM moved)"
        f" SELECT {_SET_RETURNS}{notified} FROM moved ORDER BY application_id"
    )
    params += [now, change.operation]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _apply_set_generic(change: ClaimSet, now: datetime) -> list[tuple[Any, ...]]:
    """SQLite: the transaction is IMMEDIATE (one writer at a time). The working set is a temporary
    table; then one UPDATE … FROM, one INSERT … SELECT per organisation told, one for the events."""
    source, params = _source(change, lock=False)
    db_now = db_datetime(now)
    payload, payload_params = _json_object(change.event_payload, "json_object")
    message = "NULL"
    message_params: list[Any] = []
    if change.notice_template:
        fmt, fields = notices.sql_format(change.notice_template)
        notice_args = [
            "substr('00000000' || src.application_id, -8)" if name == "claim" else f"src.{name}"
            for name in fields
        ]
        message = f"substr(printf(%s, {', '.join(notice_args)}), 1, {notices.MESSAGE_LENGTH})"
        message_params = [fmt]
    assignments = ", ".join(f"{column} = {expression}" for column, expression in change.assignments.items())
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS temp.ledger_src")
        cursor.execute(
            f"CREATE TEMP TABLE ledger_src AS WITH {source}"
            f" SELECT src.*, {payload} AS ledger_payload, {message} AS ledger_message,"
            f" {change.notice_deadline} AS ledger_notice_deadline FROM src",
            [*params, *payload_params, *message_params],
        )
        entered, entered_params = _phase_entered(change, db_now)
        cursor.execute(
            f"UPDATE claims_claim AS c SET {assignments}, activity_guid = lower(hex(randomblob(16))),"
            f" updated_at = %s{entered} FROM ledger_src AS src WHERE c.application_id = src.application_id",
            [db_now, *entered_params],
        )
        told = [f"c.{column}" for column in change.notify] + [
            f"src.{column}" for column in change.notify_before
        ]
        for organisation in told:
            cursor.execute(
                f"INSERT INTO notifications_notification ({_NOTICE_COLUMNS})"
                f" SELECT lower(hex(randomblob(16))), {organisation}, c.application_id, %s,"
                " src.ledger_message, src.ledger_notice_deadline, %s"
                " FROM ledger_src AS src JOIN claims_claim AS c ON c.application_id = src.application_id"
                f" WHERE {organisation} IS NOT NULL",
                [change.notice_kind, db_now],
            )
        cursor.execute(
            f"INSERT INTO claims_claimevent ({_EVENT_COLUMNS})"
            f" SELECT c.application_id, %s, %s, NULL, NULL, '{SYSTEM_SIDE}', src.phase, c.phase,"
            " src.ledger_payload, c.activity_guid, c.deadline_at"
            " FROM ledger_src AS src JOIN claims_claim AS c ON c.application_id = src.application_id",
            [db_now, change.operation],
        )
        notified = "".join(f", {organisation}" for organisation in told)
        cursor.execute(
            "SELECT c.application_id, src.phase, c.phase, c.activity_guid, c.deadline_at, c.claim_type,"
            " c.cr_organisation_id, c.comp_organisation_id, src.ledger_payload, src.ledger_message"
            f"{notified} FROM ledger_src AS src"
            " JOIN claims_claim AS c ON c.application_id = src.application_id ORDER BY c.application_id"
        )
        rows = list(cursor.fetchall())
        cursor.execute("DROP TABLE temp.ledger_src")
    return rows


def payload_text(value: Any) -> str:
    """An event payload as stored text (for comparisons in tests and the docs)."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)
