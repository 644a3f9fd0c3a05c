"""The timer sweep: every claim whose deadline has passed moves to its timeout phase.

Set-based and idempotent (ARCHITECTURE.md §4 rule 6): due claims are picked by the partial index on
``deadline_at`` in batches; each batch is one transaction that moves the claims, clears their deadline,
issues new ``activityEngineGuid``s and writes one ``timeout`` event per claim. On PostgreSQL the batch
is a single statement with ``FOR UPDATE SKIP LOCKED``, so two workers never take the same claim; a
killed pass leaves nothing half-done and the next pass picks up where it stopped.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from django.db import connection, transaction

from claimsportal.core import clock, heartbeat
from claimsportal.notifications.messages import limit_label, time_limit_reached_message
from claimsportal.protocols.tables import DEFINITIONS, timeouts_by_phase

log = structlog.get_logger(__name__)

TIMEOUT_OPERATION = "timeout"
HEARTBEAT_NAME = "run-timers"
TIMEOUTS = timeouts_by_phase()
# What each timed phase's limit is for, for the "time limit reached" notifications.
LIMIT_LABELS = {
    phase.id: limit_label(phase.timer.value, phase.id)
    for definition in DEFINITIONS.values()
    for phase in definition.timed_phases()
    if phase.timer is not None
}

for _definition in DEFINITIONS.values():  # a timeout always lands in an untimed phase: it clears the deadline
    for _source, (_target, _owner) in TIMEOUTS.items():
        if _target in _definition.phases:
            assert _definition.phases[_target].timer is None, _target
        assert _owner is not None, _target


@dataclass
class SweepResult:
    moved: int = 0
    batches: int = 0
    seconds: float = 0.0
    by_phase: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "moved": self.moved,
            "batches": self.batches,
            "seconds": round(self.seconds, 3),
            "byPhase": dict(sorted(self.by_phase.items())),
        }


def run_due_timeouts(
    *,
    now: datetime | None = None,
    batch_size: int = 5000,
    progress: Callable[[SweepResult], None] | None = None,
) -> SweepResult:
    """Apply every timeout due at ``now``; returns what moved. Safe to kill and re-run."""
    now = now or clock.now()
    result = SweepResult()
    started = time.monotonic()
    sweep = _sweep_batch_postgresql if connection.vendor == "postgresql" else _sweep_batch_generic
    while True:
        with transaction.atomic():
            moved = sweep(now, batch_size)
        if not moved:
            break
        result.batches += 1
        for before, _after in moved:
            result.by_phase[before] = result.by_phase.get(before, 0) + 1
        result.moved += len(moved)
        result.seconds = time.monotonic() - started
        if progress:
            progress(result)
        if len(moved) < batch_size:
            break
    result.seconds = time.monotonic() - started
    heartbeat.beat(HEARTBEAT_NAME, {"at": now.isoformat(), **result.as_dict()})
    if result.moved:
        log.info("timers.swept", **result.as_dict())
    return result


def _mapping_values() -> tuple[str, list[str]]:
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(TIMEOUTS))
    params: list[str] = []
    for source, (target, owner) in sorted(TIMEOUTS.items()):
        assert owner is not None
        params += [source, target, owner.value, LIMIT_LABELS.get(source, "Time limit")]
    return rows, params


def _sweep_batch_postgresql(now: datetime, batch_size: int) -> list[tuple[str, str]]:
    values, mapping_params = _mapping_values()
    sql = f"""
        WITH due AS (
            SELECT application_id, phase, deadline_kind, deadline_at FROM claims_claim
            WHERE deadline_at <= %s ORDER BY deadline_at LIMIT %s FOR UPDATE SKIP LOCKED
        ), moved AS (
            UPDATE claims_claim AS c SET
                phase = m.target,
                owner_side = m.owner,
                awaiting_organisation_id = CASE WHEN m.owner = 'CR' THEN c.cr_organisation_id
                                                ELSE c.comp_organisation_id END,
                locked_by_id = CASE WHEN m.owner = c.owner_side THEN c.locked_by_id END,
                locked_at = CASE WHEN m.owner = c.owner_side THEN c.locked_at END,
                activity_guid = gen_random_uuid(),
                deadline_at = NULL, deadline_kind = '', deadline_anchor = NULL, deadline_business_days = 0,
                deadline_further_days = 0, deadline_fixed_date = NULL,
                updated_at = %s
            FROM due JOIN (VALUES {values}) AS m(source, target, owner, label) ON m.source = due.phase
            WHERE c.application_id = due.application_id
            RETURNING c.application_id, due.phase AS before, c.phase AS after, c.activity_guid,
                      due.deadline_kind, due.deadline_at, m.label, c.cr_organisation_id, c.comp_organisation_id
        ), notified AS (
            INSERT INTO notifications_notification (guid, organisation_id, claim_id, kind, message,
                deadline_at, created_at)
            SELECT gen_random_uuid(), o.organisation_id, moved.application_id, 'TIME_LIMIT_REACHED',
                   moved.label || ' for claim ' || lpad(moved.application_id::text, 8, '0')
                       || ': time limit reached',
                   moved.deadline_at, %s
            FROM moved CROSS JOIN LATERAL (VALUES (moved.cr_organisation_id), (moved.comp_organisation_id))
                 AS o(organisation_id)
            WHERE o.organisation_id IS NOT NULL
        ), logged AS (
            INSERT INTO claims_claimevent (claim_id, occurred_at, operation, actor_user_id, actor_organisation_id,
                actor_side, phase_before, phase_after, payload, activity_guid, deadline_at)
            SELECT application_id, %s, %s, NULL, NULL, 'SYSTEM', before, after,
                   jsonb_build_object('timer', deadline_kind, 'deadlineAt', deadline_at), activity_guid, NULL
            FROM moved
        )
        SELECT before, after FROM moved
    """
    with connection.cursor() as cursor:
        # In the order the placeholders appear: due (now, limit), SET updated_at, the mapping, the
        # notifications, the event.
        cursor.execute(sql, [now, batch_size, now, *mapping_params, now, now, TIMEOUT_OPERATION])
        return [(b, a) for b, a in cursor.fetchall()]


def _sweep_batch_generic(now: datetime, batch_size: int) -> list[tuple[str, str]]:
    """SQLite: the transaction is IMMEDIATE (one writer at a time); a batch is two executemany calls."""
    ops = connection.ops
    db_now = ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_id, phase, owner_side, deadline_kind, deadline_at, cr_organisation_id,"
            " comp_organisation_id FROM claims_claim"
            " WHERE deadline_at IS NOT NULL AND deadline_at <= %s ORDER BY deadline_at LIMIT %s",
            [db_now, batch_size],
        )
        due = [r for r in cursor.fetchall() if r[1] in TIMEOUTS]
        updates = []
        events = []
        notices = []
        moved = []
        for application_id, phase, owner_side, kind, deadline_at, cr_org, comp_org in due:
            message = time_limit_reached_message(application_id, kind, phase)
            notices += [
                (uuid.uuid4().hex, org, application_id, message, deadline_at, db_now)
                for org in (cr_org, comp_org)
                if org is not None
            ]
            target, owner = TIMEOUTS[phase]
            assert owner is not None
            guid = uuid.uuid4().hex
            keep_lock = owner.value == owner_side
            updates.append(
                (target, owner.value, owner.value, keep_lock, keep_lock, guid, db_now, application_id)
            )
            events.append(
                (
                    application_id,
                    db_now,
                    TIMEOUT_OPERATION,
                    phase,
                    target,
                    json.dumps({"timer": kind, "deadlineAt": str(deadline_at)}),
                    guid,
                )
            )
            moved.append((phase, target))
        cursor.executemany(
            "UPDATE claims_claim SET phase = %s, owner_side = %s,"
            " awaiting_organisation_id = CASE WHEN %s = 'CR' THEN cr_organisation_id ELSE comp_organisation_id END,"
            " locked_by_id = CASE WHEN %s THEN locked_by_id END, locked_at = CASE WHEN %s THEN locked_at END,"
            " activity_guid = %s, deadline_at = NULL, deadline_kind = '', deadline_anchor = NULL,"
            " deadline_business_days = 0, deadline_further_days = 0, deadline_fixed_date = NULL, updated_at = %s"
            " WHERE application_id = %s",
            updates,
        )
        cursor.executemany(
            "INSERT INTO claims_claimevent (claim_id, occurred_at, operation, actor_user_id, actor_organisation_id,"
            " actor_side, phase_before, phase_after, payload, activity_guid, deadline_at)"
            " VALUES (%s, %s, %s, NULL, NULL, 'SYSTEM', %s, %s, %s, %s, NULL)",
            events,
        )
        cursor.executemany(
            "INSERT INTO notifications_notification (guid, organisation_id, claim_id, kind, message, deadline_at,"
            " created_at) VALUES (%s, %s, %s, 'TIME_LIMIT_REACHED', %s, %s, %s)",
            notices,
        )
    return moved
