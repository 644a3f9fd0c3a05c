"""The protocol facts a claim carries between operations (child status, amounts, periods used ...).

Stored as JSON beside the claim; the engine reads it and returns an updated copy. Everything the
transition table's guards and routes need is here, so the engine stays a pure function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from claimsportal.protocols.types import ClaimType, InsurerType, Side

ADULT_AGE = 18


def age_on(date_of_birth: date, day: date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@dataclass(frozen=True)
class ClaimState:
    claim_type: ClaimType
    insurer_type: InsurerType | None = None
    claimant_date_of_birth: date | None = None
    child_declared: bool = False
    sent_on: date | None = None
    acknowledged_on: date | None = None
    article75: bool | None = None
    stage1_paid: bool | None = None
    interim_count: int = 0
    interim_requested: Decimal | None = None
    interim_offered: Decimal | None = None
    interim_sent_on: date | None = None
    interim_extension_used: bool = False
    interim_partial_refused: bool = False
    interim_payment_due_on: date | None = None
    # The heads of the open interim request (loss type -> figures as JSON, forms.losses.HeadFigures).
    interim_heads: dict[str, dict[str, str]] = field(default_factory=dict)
    stage2_sent_on: date | None = None
    further_consideration_applied: bool = False
    last_offer_by: Side | None = None
    # The claimant's current figures per head (S2SP, counter offer, additional damages, court pack),
    # which the compensator's next reply answers (loss type -> figures as JSON).
    claimed_heads: dict[str, dict[str, str]] = field(default_factory=dict)
    original_damages_agreed: bool | None = None
    additional_damages_sent_on: date | None = None
    court_pack_sent_on: date | None = None
    # The disbursement IDs the court proceedings pack request disputes, which the response may reply
    # to (None: not on record, for packs sent before they were kept; [] none disputed).
    court_pack_disputed: list[int] | None = None
    exit_side: Side | None = None
    exit_code: str | None = None
    child_at: dict[str, bool] = field(default_factory=dict)

    def is_child_on(self, day: date) -> bool:
        """Child = under 18 on ``day`` (WORKFLOW.md §8.4); the declared flag when the date of birth
        is unknown."""
        if self.claimant_date_of_birth is None:
            return self.child_declared
        return age_on(self.claimant_date_of_birth, day) < ADULT_AGE

    def update(self, **changes: Any) -> ClaimState:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, StrEnum):
                value = value.value
            elif name in _HEADS_FIELDS:
                # [loss type, figures] pairs, not an object: PostgreSQL's jsonb reorders an object's
                # keys, and the heads keep the order the claimant listed them in (forms, pages, PDFs).
                value = [[loss_type, dict(figures)] for loss_type, figures in value.items()]
            elif isinstance(value, dict):
                value = dict(value)
            out[name] = value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClaimState:
        kwargs: dict[str, Any] = {}
        for name, value in data.items():
            if value is None or name not in _FIELD_NAMES:
                continue
            parse = _PARSERS.get(name)
            if name in _HEADS_FIELDS:
                kwargs[name] = heads_in_order(value)
            else:
                kwargs[name] = parse(value) if parse else value
        return cls(**kwargs)


_FIELD_NAMES = tuple(f.name for f in fields(ClaimState))
_HEADS_FIELDS = frozenset({"interim_heads", "claimed_heads"})


def heads_in_order(value: Any) -> dict[str, dict[str, str]]:
    """Heads of damage by loss type, in the claimant's order, from their stored form: a list of
    [loss type, figures] pairs, or (as written before the pairs) an object."""
    pairs = value.items() if isinstance(value, dict) else value
    return {str(loss_type): dict(figures) for loss_type, figures in pairs}


def _parser(type_name: str) -> Callable[[Any], Any] | None:
    for prefix, parse in (
        ("date", date.fromisoformat),
        ("Decimal", Decimal),
        ("ClaimType", ClaimType),
        ("InsurerType", InsurerType),
        ("Side", Side),
    ):
        if type_name.startswith(prefix):
            return parse
    return None


_PARSERS: dict[str, Callable[[Any], Any]] = {
    f.name: parse for f in fields(ClaimState) if (parse := _parser(str(f.type))) is not None
}
