"""Deadlines on the claim row: from a spec to columns, and back; recomputing after a calendar change
(``reference.calendar.calendar_changed``, received here: the calendar names no claims module)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import structlog
from django.db import connection, transaction
from django.dispatch import receiver

from claimsportal.claims import ledger
from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.timers import DeadlineSpec, TimerKind
from claimsportal.reference.calendar import calendar_changed, get_calendar

log = structlog.get_logger(__name__)

DEADLINE_COLUMNS = (
    "deadline_at",
    "deadline_kind",
    "deadline_anchor",
    "deadline_business_days",
    "deadline_further_days",
    "deadline_fixed_date",
)


def deadline_columns(spec: DeadlineSpec | None, calendar: BusinessCalendar) -> dict[str, Any]:
    if spec is None:
        return {
            "deadline_at": None,
            "deadline_kind": "",
            "deadline_anchor": None,
            "deadline_business_days": 0,
            "deadline_further_days": 0,
            "deadline_fixed_date": None,
        }
    return {
        "deadline_at": spec.fires_at(calendar),
        "deadline_kind": spec.kind.value,
        "deadline_anchor": spec.anchor,
        "deadline_business_days": spec.business_days,
        "deadline_further_days": spec.further_days,
        "deadline_fixed_date": spec.fixed_date,
    }


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def spec_from_row(
    kind: str, anchor: Any, business_days: int, further_days: int, fixed: Any
) -> DeadlineSpec | None:
    if not kind:
        return None
    return DeadlineSpec(
        TimerKind(kind),
        anchor=_as_date(anchor),
        business_days=int(business_days),
        fixed_date=_as_date(fixed),
        further_days=int(further_days),
    )


def recompute_open_deadlines(calendar: BusinessCalendar | None = None) -> int:
    """Recompute every open deadline from its stored inputs, set-based: one UPDATE per distinct set
    of inputs (a few thousand at most, whatever the number of claims). Returns the claims changed."""
    calendar = calendar or get_calendar()
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT deadline_kind, deadline_anchor, deadline_business_days, deadline_further_days, "
            "deadline_fixed_date FROM claims_claim WHERE deadline_at IS NOT NULL"
        )
        combos = cursor.fetchall()
    for kind, anchor, business_days, further_days, fixed in combos:
        spec = spec_from_row(kind, anchor, business_days, further_days, fixed)
        assert spec is not None
        fires_at: datetime = spec.fires_at(calendar)
        with transaction.atomic():
            changed += ledger.move_deadlines(
                fires_at,
                kind=kind,
                business_days=business_days,
                further_days=further_days,
                anchor=_as_date(anchor),
                fixed_date=_as_date(fixed),
            )
    log.info("deadlines.recomputed", input_sets=len(combos), claims_changed=changed)
    return changed


@receiver(calendar_changed, dispatch_uid="claims.deadlines.recompute_open_deadlines")
def _recompute_after_calendar_change(sender: object, **kwargs: Any) -> int:
    """An override was added, changed or removed: every open deadline again, with the new calendar."""
    return recompute_open_deadlines()
