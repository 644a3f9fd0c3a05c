"""The retention rules as the sweep and the claim pages read them: from the ``custody_retentionrule``
table (the operator's data), with what each means for one claim (its *fate*: what will happen, when
and why) and for a set of claims (the SQL condition of the claims due on a day). The two readings
are one definition: ``tests/custody`` checks that a claim is in a rule's set on exactly the days its
fate says."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.db import connection

from claimsportal.claims.ledger import db_datetime
from claimsportal.claims.protection import anniversary
from claimsportal.custody import policy
from claimsportal.custody.models import RetentionRule
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import ClaimType, Side

CLOCK_COLUMNS = {
    policy.REACHED: "phase_entered_at",
    policy.LAST_UPDATE: "updated_at",
    policy.CNF_SENT: "sent_at",
    policy.GDPR_DELETED: "gdpr_deleted_at",
}


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    wording: str
    phases: tuple[str, ...]
    clock: str
    days: int
    months: int
    action: str
    adults_only: bool
    protects_children: bool
    note: str

    @classmethod
    def of(cls, row: RetentionRule) -> Rule:
        return cls(
            row.code,
            row.category,
            row.wording,
            tuple(row.phases),
            row.clock,
            row.days,
            row.months,
            row.action,
            row.adults_only,
            row.protects_children,
            row.note,
        )

    @property
    def period(self) -> str:
        if self.months:
            return f"{self.months} months" if self.months != 1 else "1 month"
        return f"{self.days} days" if self.days != 1 else "1 day"

    def cutoff(self, today: date) -> date:
        """Claims whose clock fell before this day are due on ``today`` ("more than N days")."""
        if self.months:
            return _back_months(today, self.months)
        return today - timedelta(days=self.days)

    def due_day(self, clock_day: date) -> date:
        """The first day on which a claim whose clock fell on ``clock_day`` is due."""
        day = (
            clock_day + timedelta(days=self.days + 1)
            if not self.months
            else anniversary(clock_day, months=self.months)
        )
        while self.cutoff(day) <= clock_day:
            day += timedelta(days=1)
        while self.cutoff(day - timedelta(days=1)) > clock_day:
            day -= timedelta(days=1)
        return day

    def condition(self, today: date) -> tuple[str, list[Any]]:
        """The claims this rule takes on ``today``, as SQL over ``claims_claim`` (indexed: phase and
        clock)."""
        column = CLOCK_COLUMNS[self.clock]
        parts = [f"{column} < %s"]
        params: list[Any] = [db_datetime(midnight(self.cutoff(today)))]
        if self.phases:
            parts.insert(0, f"phase IN ({', '.join(['%s'] * len(self.phases))})")
            params[0:0] = list(self.phases)
        elif self.clock != policy.GDPR_DELETED:
            return "1 = 0", []  # a rule of no phase of this portal (R14) takes no claim
        day = connection.ops.adapt_datefield_value(today)
        if self.protects_children:
            parts.append("(retention_floor IS NULL OR retention_floor <= %s)")
            params.append(day)
        if self.adults_only:
            parts.append("(claimant_adult_on IS NULL OR claimant_adult_on <= %s)")
            params.append(day)
        if self.clock != policy.GDPR_DELETED:
            parts.append("gdpr_deleted_at IS NULL")
        return " AND ".join(parts), params


def _back_months(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + (day.month - 1) - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def midnight(day: date) -> datetime:
    """The start of ``day`` in England and Wales, the instant the policy's days turn at."""
    return datetime.combine(day, time(0), tzinfo=LONDON)


def load_policy(model: Any = RetentionRule) -> int:
    """Write the published policy (``custody.policy``) into the rules table, rule by rule (the first
    migration does; so can an operator who wants the published rules back). Returns how many rules."""
    for position, rule in enumerate(policy.POLICY, start=1):
        model.objects.update_or_create(
            code=rule.code,
            defaults={
                "position": position,
                "category": rule.category,
                "wording": rule.wording,
                "phases": list(rule.phases),
                "clock": rule.clock,
                "days": rule.days,
                "months": rule.months,
                "action": rule.action,
                "adults_only": rule.adults_only,
                "protects_children": rule.protects_children,
                "note": rule.note,
            },
        )
    return len(policy.POLICY)


def rules() -> list[Rule]:
    return [Rule.of(row) for row in RetentionRule.objects.order_by("position")]


@cache
def acknowledgements() -> dict[str, tuple[str, str]]:
    """Phase awaiting a final acknowledgement → (the end phase its acknowledgement reaches for an
    adult claimant, the operation), from the protocol tables (RTA and EL/PL agree)."""
    found: dict[str, tuple[str, str]] = {}
    for claim_type in (ClaimType.RTA, ClaimType.EL):
        definition = definition_for(claim_type)
        for operation in definition.operations:
            if not operation.name.startswith("acknowledge"):
                continue
            for source in sorted(operation.sources):
                for route in operation.routes:
                    target = route.target
                    if target in definition.phases and definition.phases[target].terminal:
                        found.setdefault(source, (target, operation.name))
                        break
    return found


# --------------------------------------------------------------------------------------------------
# One claim's fate: what the rules will do to it, when and why
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fate:
    rule: Rule
    day: date  # the day the daily job will act (the claim being left as it is)
    held_by_protection: bool  # the day is the claimant's protection, not the rule's period

    @property
    def deletes(self) -> bool:
        return self.rule.action == policy.DELETE

    def words(self) -> str:
        """The sentence a claim page shows."""
        when = f"{self.day.day} {self.day:%B %Y}"
        rule = self.rule
        if not self.deletes:
            return (
                f"If nobody acknowledges it, the portal will acknowledge this claim on {when} "
                f"(rule {rule.code}: {rule.category.lower()}, {rule.period} after it reached this stage)."
            )
        clock = {
            policy.REACHED: "after it reached this stage",
            policy.LAST_UPDATE: "after its last update",
            policy.CNF_SENT: "after the CNF was sent",
            policy.GDPR_DELETED: "after it was deleted",
        }[rule.clock]
        sentence = f"The portal will delete this claim on {when} (rule {rule.code}: {rule.category}, {rule.period} {clock}"
        if self.held_by_protection:
            sentence += "; kept until then because the claimant is or was a child"
        return sentence + "). Save copies of anything you need before then."


def _day_of(value: datetime | None) -> date | None:
    return value.astimezone(LONDON).date() if value is not None else None


def fate(claim: Any, today: date, *, active_rules: list[Rule] | None = None) -> Fate | None:
    """The first rule that will act on ``claim`` (a row with the custody columns) if nothing changes,
    and on which day; None when no rule applies (a running time limit moves the claim first)."""
    clocks = {
        policy.REACHED: _day_of(claim.phase_entered_at),
        policy.LAST_UPDATE: _day_of(claim.updated_at),
        policy.CNF_SENT: _day_of(claim.sent_at),
        policy.GDPR_DELETED: _day_of(claim.gdpr_deleted_at),
    }
    best: Fate | None = None
    for rule in active_rules if active_rules is not None else rules():
        if rule.clock == policy.GDPR_DELETED:
            if claim.gdpr_deleted_at is None:
                continue
        elif claim.gdpr_deleted_at is not None or claim.phase not in rule.phases:
            continue
        clock_day = clocks[rule.clock]
        if clock_day is None:
            continue
        day = rule.due_day(clock_day)
        held = False
        if rule.adults_only and claim.claimant_adult_on is not None and claim.claimant_adult_on > day:
            day, held = claim.claimant_adult_on, True
        if rule.protects_children and claim.retention_floor is not None and claim.retention_floor > day:
            day, held = claim.retention_floor, True
        day = max(day, today)
        candidate = Fate(rule, day, held)
        if best is None or candidate.day < best.day:
            best = candidate
    return best


def side_label(side: Side) -> str:
    return "the claimant representative" if side is Side.CR else "the compensator"
