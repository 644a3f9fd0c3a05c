"""The operator's data retention policy (ADMINISTRATION.md §4.2, tables 4.2a and 4.2b), as the rows
the ``custody_retentionrule`` table is seeded with: rule, the policy's own words for the phase, the
phases of this portal it covers, the clock, the period and what happens. The table is the rules'
home (the sweep and every claim page read it); this module is only its first content and the
reference the tests compare against. Interpretations are tagged in ``note`` and explained in
docs/custody.md and docs/decisions.md ("Claim custody")."""

from __future__ import annotations

from dataclasses import dataclass

REACHED = "REACHED"
LAST_UPDATE = "LAST_UPDATE"
CNF_SENT = "CNF_SENT"
GDPR_DELETED = "GDPR_DELETED"

DELETE = "DELETE"
AUTO_ACKNOWLEDGE = "AUTO_ACKNOWLEDGE"

INACTIVE = "Inactive claims (except claims involving children)"
FIVE_YEARS = "Deleted based on CNF sent date"


@dataclass(frozen=True)
class PolicyRule:
    code: str
    category: str
    wording: str  # the policy's display name of the phase(s)
    phases: tuple[str, ...]
    clock: str
    action: str = DELETE
    days: int = 0
    months: int = 0
    adults_only: bool = False
    protects_children: bool = True
    note: str = ""


SETTLEMENT_ENDS = (
    "Stage2SettlementPackConfirmationEnd",
    "Stage2SettlementPackAgreedEnd",
    "Stage2SettlementPackAllDamagesAgreedEnd",
)
# Terminal phases reached by an acknowledgement (or a rejection) that no other rule names (R33).
ACKNOWLEDGED_ENDS = (
    "ExitRejectedClaim",
    "ExitProcessEnd",
    "LiabilityAdmittedWithNegligenceEnd",
    "LiabilityNotAdmittedEnd",
    "LiabilityDecisionTimeoutEnd",
    "FraudStatedEnd",
    "Stage2SettlementPackRepudiationEnd",
    "Stage2SettlementPackDecisionTimeoutEnd",
)
ARCHIVED = "EndOfStage2Acknowledged"


def _inactive(code: str, wording: str, phases: tuple[str, ...], days: int, note: str = "") -> PolicyRule:
    return PolicyRule(code, INACTIVE, wording, phases, LAST_UPDATE, days=days, note=note)


def _five_years(code: str, wording: str, phases: tuple[str, ...], note: str = "") -> PolicyRule:
    return PolicyRule(code, FIVE_YEARS, wording, phases, CNF_SENT, days=1825, note=note)


POLICY: tuple[PolicyRule, ...] = (
    PolicyRule("R01", "Settled claims", "Settlement end phases", SETTLEMENT_ENDS, REACHED, days=30),
    _inactive("R02", "Fraud stated", ("FraudStated",), 30),
    _inactive(
        "R03",
        "Claims Rejected to CR",
        ("ClaimsRejectedToCR", "AcknowledgeRejectedClaim"),
        60,
        "[I] Acknowledge Rejected Claim, which no rule names, is treated like Claims Rejected to CR.",
    ),
    _inactive(
        "R04",
        "Claims Data Input/Edit (drafts created but not sent to a compensator)",
        ("ClaimDataInputEdit",),
        90,
    ),
    _inactive("R05", "Court Proceedings Pack Form", ("CourtProceedingsPackForm",), 365),
    _inactive(
        "R06",
        "Court Proceeding Pack Form Response",
        ("CourtProceedingsPackFormResponse",),
        365,
        "A compensator phase with a running time limit: the claim moves on when it expires.",
    ),
    _inactive(
        "R07", "Stage 2 Settlement Pack Additional Damages Decision CR", ("AdditionalDamagesDecisionCR",), 365
    ),
    _inactive(
        "R08",
        "Stage 2 Settlement Pack Additional Damages Request",
        ("S2SPAdditionalDamagesRequestForm",),
        365,
    ),
    _inactive("R09", "Stage 2 Settlement Pack Agreed CR", ("Stage2SettlementPackAgreedCR",), 365),
    _inactive("R10", "Stage 2 Settlement Pack All Damages Agreed", ("AllDamagesAgreed",), 365),
    _inactive("R11", "Stage 2 Settlement Pack All Damages Agreed CR", ("AdditionalDamagesAllAgreedCR",), 365),
    _inactive("R12", "Stage 2 Settlement Pack Counter Offer", ("Stage2SettlementPackCounterOfferCR",), 365),
    _inactive(
        "R13",
        "Stage 2 Settlement Pack Counter Offer Decision",
        ("Stage2SettlementPackCounterOfferDecision", "Stage2SettlementPackCounterOfferDecisionCM"),
        365,
        "[I] Also the compensator's Counter Offer Decision (P37), which has the same display name.",
    ),
    _inactive(
        "R14",
        "Stage 2 Settlement Pack No Damages Agreed",
        (),
        365,
        "[I] This portal has one 'No Damages Agreed' phase, reached after the CR's decision: R15 covers it.",
    ),
    _inactive(
        "R15", "Stage 2 Settlement Pack No Damages Agreed CR", ("AdditionalDamagesNoDamagesAgreedCR",), 365
    ),
    _inactive("R16", "Stage 2 Settlement Pack Not Agreed CR", ("Stage2SettlementPackNotAgreed",), 365),
    _inactive(
        "R17",
        "Stage 2 Settlement Pack Original Damages Not Agreed",
        ("AdditionalDamagesOriginalNotAgreed",),
        365,
    ),
    _inactive("R18", "Start S2SP Additional Damages", ("StartS2SPAdditionalDamages",), 365),
    _inactive(
        "R19", "Stage 2 Settlement Pack Additional Damages Timeout", ("AdditionalDamagesTimeout",), 365
    ),
    _inactive(
        "R20", "Stage 2 Settlement Pack Agreement Decision", ("Stage2SettlementPackAgreementDecision",), 365
    ),
    _five_years("R21", "Acceptance of Partial Interim Payment", ("AcceptanceOfPartialInterimPayment",)),
    _five_years("R22", "Decision of Partial Interim Payment", ("DecisionOfPartialInterimPayment",)),
    _five_years("R23", "Interim Settlement Pack Form", ("InterimSettlementPackForm",)),
    _five_years("R24", "Interim Settlement Pack Rejected", ("InterimSettlementPackRejected",)),
    _five_years(
        "R25",
        "Liability Admitted",
        ("LiabilityAdmitted", "LiabilityAdmittedForChild"),
        "[I] Also Liability Admitted for Child, once the child protection no longer holds the claim.",
    ),
    _five_years("R26", "Liability Admitted with Negligence", ("LiabilityAdmittedWithNegligence",)),
    _five_years("R27", "Stage 2 Settlement Pack Form", ("Stage2SettlementPackForm",)),
    _five_years("R28", "Start of Stage 2.1", ("StartOfStage21",)),
    _five_years("R29", "Waiting for Interim Payment", ("WaitingForInterimPayment",)),
    _five_years("R30", "Interim Payment Decision", ("InterimPaymentDecision",)),
    _five_years("R31", "Interim Payment Decision Timeout", ("InterimPaymentDecisionTimeout",)),
    PolicyRule(
        "R32",
        "Auto-acknowledgement",
        "Phases awaiting a final acknowledgement",
        (
            "LiabilityNotAdmitted",
            "LiabilityDecisionTimeout",
            "Stage2SettlementPackRepudiation",
            "Stage2SettlementPackDecisionTimeout",
            "EndOfStage2",
            "ExitProcess",
        ),
        REACHED,
        action=AUTO_ACKNOWLEDGE,
        days=30,
        protects_children=False,
        note="[I] The phase set of note (b): acknowledged by the portal 30 days after being reached.",
    ),
    PolicyRule(
        "R32A",
        "Auto-acknowledgement",
        "Stage 2 Settlement Pack Confirmation (adult claimant)",
        ("Stage2SettlementPackConfirmation",),
        REACHED,
        action=AUTO_ACKNOWLEDGE,
        days=30,
        adults_only=True,
        protects_children=False,
        note="[I] Only for an adult claimant: a child's settlement goes on to court approval.",
    ),
    PolicyRule(
        "R33",
        "Manual acknowledgement",
        "Any phase in which a user acknowledged the end of the process",
        ACKNOWLEDGED_ENDS,
        REACHED,
        days=30,
        note="[I] Every end phase other than the settlement ends (R01) and the archive (R34).",
    ),
    PolicyRule(
        "R34",
        "End of Stage 2",
        "End of Stage 2 (a Court Proceedings Pack has been created), in the archive",
        (ARCHIVED,),
        REACHED,
        months=12,
        note="[I] The 12 months start at the acknowledgement of End of Stage 2, manual or automatic (note d).",
    ),
    PolicyRule(
        "G01",
        "GDPR-deleted claims",
        "Any phase: a claim deleted with Delete claim",
        (),
        GDPR_DELETED,
        days=14,
        protects_children=False,
        note="Hidden from everyone at the deletion; purged two weeks later (§4.4).",
    ),
)
