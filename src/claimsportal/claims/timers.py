"""The timer sweep: every claim whose deadline has passed moves to its timeout phase.

Set-based and idempotent (ARCHITECTURE.md §4 rule 6): due claims are picked by the partial index on
``deadline_at`` in batches; each batch is one transaction that moves the claims, clears their deadline,
issues new ``activityEngineGuid``s and writes one ``timeout`` event per claim. On PostgreSQL the batch
is a single statement with ``FOR UPDATE SKIP LOCKED``, so two workers never take the same claim; a
killed pass leaves nothing half-done and the next pass picks up where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from django.db import transaction

from claimsportal.claims import ledger, notices
from claimsportal.claims.notices import limit_label
from claimsportal.core import clock
from claimsportal.protocols.tables import DEFINITIONS, timeouts_by_phase

log = structlog.get_logger(__name__)

TIMEOUT_OPERATION = "timeout"
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
    while True:
        with transaction.atomic():
            moved = ledger.apply_set(_due_timeouts(now, batch_size), now=now).moved
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
    if result.moved:
        log.info("timers.swept", **result.as_dict())
    return result


def _due_timeouts(now: datetime, batch_size: int) -> ledger.ClaimSet:
    """The claims whose deadline has passed, each moved to its phase's timeout target (the lookup
    ``m``), its deadline cleared and its lock kept only if the same side still owns it; both
    parties are told, in the words of ``notices.TIME_LIMIT_REACHED``."""
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(TIMEOUTS))
    mapping: list[str] = []
    for source, (target, owner) in sorted(TIMEOUTS.items()):
        assert owner is not None
        mapping += [source, target, owner.value, LIMIT_LABELS.get(source, "Time limit")]
    return ledger.ClaimSet(
        carry=(
            "application_id",
            "phase",
            "owner_side",
            "deadline_kind",
            "deadline_at",
            "cr_organisation_id",
            "comp_organisation_id",
            "locked_by_id",
            "locked_at",
        ),
        where="deadline_at IS NOT NULL AND deadline_at <= %s",
        params=[ledger.db_datetime(now)],
        order_by="deadline_at",
        limit=batch_size,
        lookup=f"m(source, target, owner, label) AS (VALUES {rows})",
        lookup_params=mapping,
        lookup_on="m.source = due.phase",
        lookup_columns=("target", "owner", "label"),
        assignments={
            "phase": "src.target",
            "owner_side": "src.owner",
            "awaiting_organisation_id": (
                "CASE WHEN src.owner = 'CR' THEN src.cr_organisation_id ELSE src.comp_organisation_id END"
            ),
            "locked_by_id": "CASE WHEN src.owner = src.owner_side THEN src.locked_by_id END",
            "locked_at": "CASE WHEN src.owner = src.owner_side THEN src.locked_at END",
            "deadline_at": "NULL",
            "deadline_kind": "''",
            "deadline_anchor": "NULL",
            "deadline_business_days": "0",
            "deadline_further_days": "0",
            "deadline_fixed_date": "NULL",
        },
        operation=TIMEOUT_OPERATION,
        event_payload={"timer": "src.deadline_kind", "deadlineAt": "src.deadline_at"},
        notice_kind="TIME_LIMIT_REACHED",
        notice_template=notices.TIME_LIMIT_REACHED,
        notice_deadline="src.deadline_at",
        notify=("cr_organisation_id", "comp_organisation_id"),
    )
