"""Time limits: what starts a timer, how its deadline is computed, and what inputs are stored.

A deadline is stored as the *first instant at which the timeout fires* (WORKFLOW.md §5.1): 00:00
Europe/London on the day after the last day for action. It is always derived from a
:class:`DeadlineSpec` (the inputs) and the business calendar, so that a change to the calendar can
recompute every open deadline from the stored inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.types import ClaimType, InsurerType

LONDON = ZoneInfo("Europe/London")


class TimerKind(StrEnum):
    LIABILITY = "LIABILITY"
    INTERIM_DECISION = "INTERIM_DECISION"
    STAGE2_CONSIDERATION = "STAGE2_CONSIDERATION"
    ADDITIONAL_DAMAGES_DECISION = "ADDITIONAL_DAMAGES_DECISION"
    COURT_PACK_RESPONSE = "COURT_PACK_RESPONSE"


# --- The periods (WORKFLOW.md §5.2). One place for every number. ---------------------------------
LIABILITY_DAYS_RTA = 15  # L2
LIABILITY_DAYS_RTA_MIB_OR_ARTICLE_75 = 30  # L3
LIABILITY_DAYS = {ClaimType.EL: 30, ClaimType.ELD: 30, ClaimType.PL: 40}  # L4, L5 (ELD as EL [I])
ELPL_ACKNOWLEDGEMENT_DAYS = 1  # L1: the acknowledgement step is due the next business day
INTERIM_LOW_PAYMENT = 1000  # GBP: a request of exactly this amount is a "LowPayment"
INTERIM_DAYS_LOW = 10  # L7
INTERIM_DAYS_HIGH = 15  # L8
INTERIM_DAYS_EXTENDED = 30  # L9: once, only above 1,000 GBP, from the date the ISP was sent
STAGE2_INITIAL_DAYS = 15  # L10
STAGE2_TOTAL_DAYS = 35  # L10 + L11
FURTHER_CONSIDERATION_DAYS = 5  # L12
ADDITIONAL_DAMAGES_DAYS = 15  # L13: length unknown in the sources; 15 as Q7 proposes [I]
COURT_PACK_RESPONSE_DAYS = 5  # L15


def liability_days(claim_type: ClaimType, insurer_type: InsurerType | None, article75: bool) -> int:
    """The liability decision period in business days (L2-L5)."""
    if claim_type is ClaimType.RTA:
        if insurer_type is InsurerType.MIB or article75:
            return LIABILITY_DAYS_RTA_MIB_OR_ARTICLE_75
        return LIABILITY_DAYS_RTA
    return LIABILITY_DAYS[claim_type]


def interim_decision_days(requested: Any) -> int:
    """10 business days for a request of exactly 1,000 GBP, 15 above it (L7, L8)."""
    return INTERIM_DAYS_LOW if requested <= INTERIM_LOW_PAYMENT else INTERIM_DAYS_HIGH


@dataclass(frozen=True)
class DeadlineSpec:
    """The inputs that produce a deadline.

    Either ``anchor`` + ``business_days`` (the period counts from the day after ``anchor``) or
    ``fixed_date`` (an agreed extension: the day on which the claim times out, as the user typed it).
    ``further_days`` are the automatic further consideration days added once (L12).
    """

    kind: TimerKind
    anchor: date | None = None
    business_days: int = 0
    fixed_date: date | None = None
    further_days: int = 0

    def __post_init__(self) -> None:
        if (self.anchor is None) == (self.fixed_date is None):
            raise ValueError("a deadline needs exactly one of anchor or fixed_date")

    def last_day_for_action(self, calendar: BusinessCalendar) -> date:
        if self.fixed_date is not None:
            last = self.fixed_date - timedelta(days=1)
        else:
            assert self.anchor is not None
            last = calendar.add_business_days(self.anchor, self.business_days)
        if self.further_days:
            last = calendar.add_business_days(last, self.further_days)
        return last

    def fires_on(self, calendar: BusinessCalendar) -> date:
        """The day on which the claim times out (the day after the last day for action)."""
        return self.last_day_for_action(calendar) + timedelta(days=1)

    def fires_at(self, calendar: BusinessCalendar) -> datetime:
        return datetime.combine(self.fires_on(calendar), time(0, 0), tzinfo=LONDON)

    def with_further_days(self, days: int) -> DeadlineSpec:
        return replace(self, further_days=self.further_days + days)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "anchor": self.anchor.isoformat() if self.anchor else None,
            "businessDays": self.business_days,
            "fixedDate": self.fixed_date.isoformat() if self.fixed_date else None,
            "furtherDays": self.further_days,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeadlineSpec:
        return cls(
            kind=TimerKind(data["kind"]),
            anchor=date.fromisoformat(data["anchor"]) if data.get("anchor") else None,
            business_days=int(data.get("businessDays") or 0),
            fixed_date=date.fromisoformat(data["fixedDate"]) if data.get("fixedDate") else None,
            further_days=int(data.get("furtherDays") or 0),
        )


def in_last_business_days(spec: DeadlineSpec, today: date, calendar: BusinessCalendar, days: int) -> bool:
    """Whether ``today`` falls within the last ``days`` business days before the deadline (L12)."""
    last = spec.last_day_for_action(calendar)
    return calendar.last_business_days(last, days) <= today <= last
