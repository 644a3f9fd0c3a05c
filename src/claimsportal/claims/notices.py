"""The words of every notification, in one place.

Each text is a template with named fields. The ledger renders it in Python for a single claim
(:func:`render`) and hands the same template to SQL as a parameter for a set of claims (PostgreSQL's
``format``, SQLite's ``printf``), so a sweep and ``perform`` can never word a notice differently.
No database and no imports from above ``protocols``.
"""

from __future__ import annotations

import re

from claimsportal.protocols.timers import TimerKind

SIDE_LABELS = {"CR": "the claimant representative", "COMP": "the compensator"}
MESSAGE_LENGTH = 300  # notifications_notification.message

# What a time limit is for, as the portal's warnings name it (ADMINISTRATION.md §5.2).
LIMIT_LABELS = {
    TimerKind.LIABILITY.value: "Liability decision",
    TimerKind.INTERIM_DECISION.value: "Stage 2.1 Interim Payment needed",
    TimerKind.STAGE2_CONSIDERATION.value: "Stage 2 Settlement Pack response needed",
    TimerKind.ADDITIONAL_DAMAGES_DECISION.value: "Stage 2 Additional Damages decision needed",
    TimerKind.COURT_PACK_RESPONSE.value: "Court Proceedings Pack response needed",
}
COUNTER_OFFER_PHASES = frozenset(
    {
        "Stage2SettlementPackCounterOfferDecision",
        "Stage2SettlementPackCounterOfferCR",
        "Stage2SettlementPackCounterOfferDecisionCM",
        "Stage2SettlementPackAgreementDecision",
    }
)

# The templates. ``{claim}`` is always the claim's eight-digit application ID.
CHANGE = "Claim {claim}: {operation} by {who}; now {phase_name}"
TIME_LIMIT_REACHED = "{label} for claim {claim}: time limit reached"
DEADLINE_WARNING = "{label} for claim {claim}: {remaining} (last day {last_day})"
AUTO_ACKNOWLEDGED = (
    "Claim {claim}: acknowledged by the portal after {days} days in {phase_name} (retention rule {rule})"
)
CLAIM_DELETED = "Claim {claim}: deleted by {who} under data protection law ({reason}); no longer available"
ATTACHMENT_ADDED = "Claim {claim}: attachment \u201c{title}\u201d ({file_name}) added by {who}"
# A bulk transfer (ADMINISTRATION.md §3), to both organisations of the transfer and the other party.
TRANSFERRED = "The Claim {claim} has been successfully transferred from {from_name} to {to_name}"

_FIELD = re.compile(r"\{(\w+)\}")


def claim_number(application_id: int) -> str:
    return f"{application_id:08d}"


def render(template: str, application_id: int, **fields: str) -> str:
    """``template`` for one claim, cut to the column's length."""
    return template.format(claim=claim_number(application_id), **fields)[:MESSAGE_LENGTH]


def sql_format(template: str) -> tuple[str, list[str]]:
    """``template`` as a ``printf``-style format (``%s`` for each field, ``%%`` for a literal ``%``)
    and the field names in the order they fill it: how the ledger words a set of claims in SQL."""
    names = _FIELD.findall(template)
    return _FIELD.sub("%s", template.replace("%", "%%")), names


def limit_label(kind: str, phase: str) -> str:
    if kind == TimerKind.STAGE2_CONSIDERATION.value and phase in COUNTER_OFFER_PHASES:
        return "Stage 2 Settlement Pack counter offer needed"
    return LIMIT_LABELS.get(kind, "Time limit")


def change_message(application_id: int, operation: str, side: str, phase_name: str) -> str:
    who = SIDE_LABELS.get(side, "the portal")
    return render(CHANGE, application_id, operation=operation, who=who, phase_name=phase_name)


def time_limit_reached_message(application_id: int, kind: str, phase: str) -> str:
    return render(TIME_LIMIT_REACHED, application_id, label=limit_label(kind, phase))
