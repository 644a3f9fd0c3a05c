"""The texts of notifications (no database, no imports from the claims app: perform() uses them)."""

from __future__ import annotations

from claimsportal.protocols.timers import TimerKind

SIDE_LABELS = {"CR": "the claimant representative", "COMP": "the compensator"}

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


def claim_number(application_id: int) -> str:
    return f"{application_id:08d}"


def limit_label(kind: str, phase: str) -> str:
    if kind == TimerKind.STAGE2_CONSIDERATION.value and phase in COUNTER_OFFER_PHASES:
        return "Stage 2 Settlement Pack counter offer needed"
    return LIMIT_LABELS.get(kind, "Time limit")


def change_message(application_id: int, operation: str, side: str, phase_name: str) -> str:
    who = SIDE_LABELS.get(side, "the portal")
    return f"Claim {claim_number(application_id)}: {operation} by {who}; now {phase_name}"[:300]


def time_limit_reached_message(application_id: int, kind: str, phase: str) -> str:
    return f"{limit_label(kind, phase)} for claim {claim_number(application_id)}: time limit reached"
