"""The daily retention job (ADMINISTRATION.md §4.2): every rule of the table in order, set-based, in
batches of its own transaction through the ledger's set forms (``apply_set`` for the automatic
acknowledgements, ``delete_set`` for deletions). Idempotent and safe to kill: a batch commits whole
or not at all, and a re-run takes what is still due; two workers never take the same claim
(``SKIP LOCKED``). A dry run counts, per rule, what is due now and in the next 30 days. Each run is
recorded (``RetentionRun``: counts per rule, no personal data)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.db import connection, transaction

from claimsportal.claims import ledger, notices
from claimsportal.core import clock
from claimsportal.custody import policy
from claimsportal.custody.models import RetentionRun
from claimsportal.custody.rules import Rule, acknowledgements, rules
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import ClaimType

log = structlog.get_logger(__name__)

AUTO_ACKNOWLEDGE_OPERATION = "autoAcknowledge"
UPCOMING_DAYS = 30


@dataclass
class RetentionResult:
    day: str = ""
    dry_run: bool = False
    by_rule: dict[str, dict[str, int]] = field(default_factory=dict)
    deleted: int = 0
    acknowledged: int = 0
    batches: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "dryRun": self.dry_run,
            "deleted": self.deleted,
            "acknowledged": self.acknowledged,
            "batches": self.batches,
            "seconds": round(self.seconds, 3),
            "byRule": self.by_rule,
        }


Progress = Callable[[str, RetentionResult], None]


def run_retention(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = 5000,
    trigger: str = "worker",
    progress: Progress | None = None,
) -> RetentionResult:
    """Apply every rule due on the business day of ``now``."""
    now = now or clock.now()
    today = now.astimezone(LONDON).date()
    result = RetentionResult(day=today.isoformat(), dry_run=dry_run)
    started, real_started = time.monotonic(), clock.real_now()
    pause = float(os.environ.get("CLAIMSPORTAL_RETENTION_PAUSE", "0") or 0)  # tests: kill mid-run
    for rule in rules():
        if dry_run:
            result.by_rule[rule.code] = _count(rule, now)
            continue
        done = 0
        while True:
            with transaction.atomic():
                if rule.action == policy.AUTO_ACKNOWLEDGE:
                    taken = len(ledger.apply_set(_acknowledge(rule, today, batch_size), now=now).moved)
                    result.acknowledged += taken
                else:
                    taken = len(
                        ledger.delete_set(*rule.condition(today), reason=rule.code, now=now, limit=batch_size)
                    )
                    result.deleted += taken
            done += taken
            if taken:
                result.batches += 1
                result.seconds = time.monotonic() - started
                result.by_rule[rule.code] = {"done": done}
                if progress:
                    progress(rule.code, result)
                if pause:
                    time.sleep(pause)
            if taken < batch_size:
                break
    result.seconds = time.monotonic() - started
    RetentionRun.objects.create(
        started_at=real_started,
        finished_at=clock.real_now(),
        business_day=today,
        dry_run=dry_run,
        trigger=trigger,
        figures=result.as_dict(),
    )
    if result.deleted or result.acknowledged:
        log.info("retention.applied", **result.as_dict())
    return result


def _count(rule: Rule, now: datetime) -> dict[str, int]:
    """How many claims ``rule`` takes today, and how many more within the next 30 days."""
    today = now.astimezone(LONDON).date()
    counts = []
    for day in (today, today + timedelta(days=UPCOMING_DAYS)):
        where, params = rule.condition(day)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM claims_claim WHERE {where}", params)
            counts.append(int(cursor.fetchone()[0]))
    return {"dueNow": counts[0], "dueWithin30Days": counts[1] - counts[0]}


def _acknowledge(rule: Rule, today: Any, batch_size: int) -> ledger.ClaimSet:
    """The claims ``rule`` acknowledges today, each moved to the end phase its own acknowledgement
    reaches (an adult's, for R32A), released, with both parties told."""
    ends = acknowledgements()
    names = {**definition_for(ClaimType.EL).phases, **definition_for(ClaimType.RTA).phases}
    mapping: list[Any] = []
    for phase in rule.phases:
        target, _operation = ends[phase]
        mapping += [phase, target, names[phase].name, str(rule.days), rule.code]
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rule.phases))
    where, params = rule.condition(today)
    return ledger.ClaimSet(
        carry=("application_id", "phase", "cr_organisation_id", "comp_organisation_id"),
        where=where,
        params=params,
        limit=batch_size,
        lookup=f"m(source, target, phase_name, days, rule) AS (VALUES {rows})",
        lookup_params=mapping,
        lookup_on="m.source = due.phase",
        lookup_columns=("target", "phase_name", "days", "rule"),
        assignments={
            "phase": "src.target",
            "owner_side": "NULL",
            "awaiting_organisation_id": "NULL",
            "locked_by_id": "NULL",
            "locked_at": "NULL",
            "deadline_at": "NULL",
        },
        operation=AUTO_ACKNOWLEDGE_OPERATION,
        event_payload={"rule": "src.rule", "daysWaited": "src.days"},
        notice_kind="CHANGE",
        notice_template=notices.AUTO_ACKNOWLEDGED,
        notify=("cr_organisation_id", "comp_organisation_id"),
    )
