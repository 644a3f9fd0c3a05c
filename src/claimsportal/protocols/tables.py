"""The transition tables of the RTA and the EL/ELD/PL protocols (WORKFLOW.md §4, §5, §9).

Both protocols share most of their phases and operations; the differences are declared where they
arise (EL/PL acknowledgement step; RTA-only Article 75, Stage 1 payment and additional damages).
Every route names the phase it leads to; every timed phase names its timer and where its timeout
leads. The generated docs (``docs/phases-rta.md``, ``docs/phases-elpl.md``) are drawn from here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from claimsportal.protocols import access
from claimsportal.protocols import payloads as p
from claimsportal.protocols.codes import EXIT_CODES, INTERIM_NOT_PAID_EXIT_CODE, REJECTION_REASONS
from claimsportal.protocols.definitions import (
    SAME,
    Context,
    Guard,
    Operation,
    Phase,
    ProtocolDefinition,
    Route,
    TimerEffect,
)
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms.court_pack import disbursement_reply_errors
from claimsportal.protocols.forms.facts import cnf_facts
from claimsportal.protocols.forms.losses import (
    Heads,
    Problem,
    additional_heads_errors,
    answer_errors,
    counter_offer_errors,
    heads_from_json,
    heads_to_json,
)
from claimsportal.protocols.partial import Missing
from claimsportal.protocols.state import ClaimState
from claimsportal.protocols.timers import (
    ADDITIONAL_DAMAGES_DAYS,
    COURT_PACK_RESPONSE_DAYS,
    ELPL_ACKNOWLEDGEMENT_DAYS,
    FURTHER_CONSIDERATION_DAYS,
    INTERIM_DAYS_EXTENDED,
    INTERIM_LOW_PAYMENT,
    STAGE2_INITIAL_DAYS,
    STAGE2_TOTAL_DAYS,
    DeadlineSpec,
    TimerKind,
    in_last_business_days,
    interim_decision_days,
    liability_days,
)
from claimsportal.protocols.types import ActingSide, ClaimType, InsurerType, OperationKind, ProtocolName, Side

CR, COMP = Side.CR, Side.COMP

# --------------------------------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------------------------------


def _phases(protocol: ProtocolName) -> dict[str, Phase]:
    rta = protocol is ProtocolName.RTA
    liability = TimerKind.LIABILITY
    s2 = TimerKind.STAGE2_CONSIDERATION
    phases = [
        # Stage 1
        Phase("ClaimDataInputEdit", "Claim Data Input/Edit", "Stage 1", CR, ref="P01"),
        Phase(
            "ClaimSubmitted",
            "CNF Submitted",
            "Stage 1",
            COMP,
            timer=liability,
            on_timeout="LiabilityDecisionTimeout",
            ref="P03",
        ),
        Phase(
            "LiabilityDecision",
            "Liability Decision",
            "Stage 1",
            COMP,
            timer=liability,
            on_timeout="LiabilityDecisionTimeout",
            ref="P05",
        ),
        Phase("LiabilityAdmitted", "Liability Admitted", "Stage 1", CR, ref="P06"),
        Phase("LiabilityAdmittedForChild", "Liability Admitted for Child", "Stage 1", CR, ref="P07"),
        Phase(
            "LiabilityAdmittedWithNegligence", "Liability Admitted with Negligence", "Stage 1", CR, ref="P08"
        ),
        Phase("LiabilityNotAdmitted", "Liability Not Admitted", "Stage 1", CR, ref="P09"),
        Phase("LiabilityDecisionTimeout", "Liability Decision Timeout", "Stage 1", CR, ref="P10"),
        Phase("FraudStated", "Fraud Stated", "Stage 1", CR, ref="P11"),
        Phase("AcknowledgeRejectedClaim", "Acknowledge Rejected Claim", "Stage 1", CR, ref="P12"),
        Phase("ClaimsRejectedToCR", "Claims Rejected to CR", "Stage 1", CR, ref="P13"),
        # Stage 2.1
        Phase("StartOfStage21", "Start of Stage 2.1", "Stage 2.1", CR, ref="P20"),
        Phase("InterimSettlementPackForm", "Interim Settlement Pack Form", "Stage 2.1", CR, ref="P21"),
        Phase(
            "InterimPaymentDecision",
            "Interim Payment Decision",
            "Stage 2.1",
            COMP,
            timer=TimerKind.INTERIM_DECISION,
            on_timeout="InterimPaymentDecisionTimeout",
            ref="P22",
        ),
        Phase(
            "InterimSettlementPackRejected", "Interim Settlement Pack Rejected", "Stage 2.1", CR, ref="P23"
        ),
        Phase(
            "InterimPaymentDecisionTimeout", "Interim Payment Decision Timeout", "Stage 2.1", CR, ref="P24"
        ),
        Phase(
            "AcceptanceOfPartialInterimPayment",
            "Acceptance of Partial Interim Payment",
            "Stage 2.1",
            CR,
            ref="P25",
        ),
        Phase(
            "DecisionOfPartialInterimPayment",
            "Decision of Partial Interim Payment",
            "Stage 2.1",
            COMP,
            ref="P26",
        ),
        Phase(
            "WaitingForInterimPayment",
            "Waiting for Interim Payment",
            "Stage 2.1",
            CR,
            ref="P27",
            note="The payment due date is kept with the claim; 'payment not received' is offered after it.",
        ),
        # Stage 2
        Phase("Stage2SettlementPackForm", "Stage 2 Settlement Pack Form", "Stage 2", CR, ref="P30"),
        Phase(
            "Stage2SettlementPackDecision",
            "Stage 2 Settlement Pack Decision",
            "Stage 2",
            COMP,
            timer=s2,
            on_timeout="Stage2SettlementPackDecisionTimeout",
            ref="P31",
        ),
        Phase(
            "Stage2SettlementPackConfirmation",
            "Stage 2 Settlement Pack Confirmation",
            "Stage 2",
            CR,
            ref="P32",
        ),
        Phase(
            "Stage2SettlementPackRepudiation", "Stage 2 Settlement Pack Repudiation", "Stage 2", CR, ref="P33"
        ),
        Phase(
            "Stage2SettlementPackDecisionTimeout",
            "Stage 2 Settlement Pack Decision Timeout",
            "Stage 2",
            CR,
            ref="P34",
        ),
        Phase(
            "Stage2SettlementPackCounterOfferDecision",
            "Stage 2 Settlement Pack Counter Offer Decision",
            "Stage 2",
            CR,
            timer=s2,
            on_timeout="Stage2SettlementPackAgreementDecision",
            ref="P35",
        ),
        Phase(
            "Stage2SettlementPackCounterOfferCR",
            "Stage 2 Settlement Pack Counter Offer",
            "Stage 2",
            CR,
            timer=s2,
            on_timeout="Stage2SettlementPackAgreementDecision",
            ref="P36",
        ),
        Phase(
            "Stage2SettlementPackCounterOfferDecisionCM",
            "Stage 2 Settlement Pack Counter Offer Decision CM",
            "Stage 2",
            COMP,
            timer=s2,
            on_timeout="Stage2SettlementPackDecisionTimeout",
            ref="P37",
        ),
        Phase(
            "Stage2SettlementPackAgreementDecision",
            "Stage 2 Settlement Pack Agreement Decision",
            "Stage 2",
            CR,
            ref="P38",
        ),
        Phase(
            "Stage2SettlementPackAgreedCR", "Stage 2 Settlement Pack Agreed CR", "Stage 2", COMP, ref="P39"
        ),
        Phase(
            "Stage2SettlementPackNotAgreed", "Stage 2 Settlement Pack Not Agreed CR", "Stage 2", CR, ref="P40"
        ),
        # Court Proceedings Pack
        Phase(
            "CourtProceedingsPackForm", "Court Proceedings Pack Form", "Court Proceedings Pack", CR, ref="P60"
        ),
        Phase(
            "CourtProceedingsPackFormResponse",
            "Court Proceeding Pack Form Response",
            "Court Proceedings Pack",
            COMP,
            timer=TimerKind.COURT_PACK_RESPONSE,
            on_timeout="EndOfStage2",
            ref="P61",
        ),
        Phase("EndOfStage2", "End of Stage 2", "Court Proceedings Pack", CR, ref="P62"),
        # Exits
        Phase(
            "ExitProcess",
            "Exit Process",
            "Exit",
            None,
            ref="P90",
            note="Owned by the side that did not exit, which acknowledges.",
        ),
        # Terminal phases
        Phase("ExitRejectedClaim", "Exit Rejected Claim", "End", None, terminal=True, ref="P91"),
        Phase("ExitProcessEnd", "Exit Process End", "End", None, terminal=True),
        Phase(
            "LiabilityAdmittedWithNegligenceEnd",
            "Liability Admitted with Negligence End",
            "End",
            None,
            terminal=True,
        ),
        Phase("LiabilityNotAdmittedEnd", "Liability Not Admitted End", "End", None, terminal=True),
        Phase("LiabilityDecisionTimeoutEnd", "Liability Decision Timeout End", "End", None, terminal=True),
        Phase("FraudStatedEnd", "Fraud Stated End", "End", None, terminal=True),
        Phase(
            "Stage2SettlementPackConfirmationEnd",
            "Stage 2 Settlement Pack Confirmation End",
            "End",
            None,
            terminal=True,
        ),
        Phase(
            "Stage2SettlementPackAgreedEnd", "Stage 2 Settlement Pack Agreed End", "End", None, terminal=True
        ),
        Phase(
            "Stage2SettlementPackRepudiationEnd",
            "Stage 2 Settlement Pack Repudiation End",
            "End",
            None,
            terminal=True,
        ),
        Phase(
            "Stage2SettlementPackDecisionTimeoutEnd",
            "Stage 2 Settlement Pack Decision Timeout End",
            "End",
            None,
            terminal=True,
        ),
        Phase(
            "EndOfStage2Acknowledged", "End of Stage 2 Acknowledged (archived)", "End", None, terminal=True
        ),
    ]
    if rta:
        phases += [
            Phase(
                "Article75Decision",
                "Article 75 Decision",
                "Stage 1",
                COMP,
                timer=liability,
                on_timeout="LiabilityDecisionTimeout",
                ref="P04",
            ),
            Phase(
                "StartS2SPAdditionalDamages",
                "Start S2SP Additional Damages",
                "Additional Damages",
                CR,
                ref="P50",
            ),
            Phase(
                "S2SPAdditionalDamagesRequestForm",
                "Stage 2 Settlement Pack Additional Damages Request",
                "Additional Damages",
                CR,
                ref="P51",
            ),
            Phase(
                "AdditionalDamagesDecision",
                "Stage 2 Settlement Pack Additional Damages Decision",
                "Additional Damages",
                COMP,
                timer=TimerKind.ADDITIONAL_DAMAGES_DECISION,
                on_timeout="AdditionalDamagesTimeout",
                ref="P52",
            ),
            Phase(
                "AllDamagesAgreed",
                "Stage 2 Settlement Pack All Damages Agreed",
                "Additional Damages",
                CR,
                ref="P53",
            ),
            Phase(
                "AdditionalDamagesDecisionCR",
                "Stage 2 Settlement Pack Additional Damages Decision CR",
                "Additional Damages",
                CR,
                ref="P54",
            ),
            Phase(
                "AdditionalDamagesTimeout",
                "Stage 2 Settlement Pack Additional Damages Timeout",
                "Additional Damages",
                CR,
                ref="P55",
            ),
            Phase(
                "AdditionalDamagesAllAgreedCR",
                "Stage 2 Settlement Pack All Damages Agreed CR",
                "Additional Damages",
                COMP,
                ref="P56",
            ),
            Phase(
                "AdditionalDamagesOriginalNotAgreed",
                "Stage 2 Settlement Pack Original Damages Not Agreed",
                "Additional Damages",
                COMP,
                ref="P56",
            ),
            Phase(
                "AdditionalDamagesNoDamagesAgreedCR",
                "Stage 2 Settlement Pack No Damages Agreed CR",
                "Additional Damages",
                COMP,
                ref="P56",
            ),
            Phase(
                "Stage2SettlementPackAllDamagesAgreedEnd",
                "Stage 2 Settlement Pack All Damages Agreed End",
                "End",
                None,
                terminal=True,
            ),
        ]
    else:
        phases.append(
            Phase(
                "ClaimAcknowledgement",
                "CNF Awaiting Acknowledgement",
                "Stage 1",
                COMP,
                timer=liability,
                on_timeout="LiabilityDecisionTimeout",
                ref="P02",
                note="The liability timer already runs here (WORKFLOW.md Q2).",
            ),
        )
    return {phase.id: phase for phase in phases}


# --------------------------------------------------------------------------------------------------
# Timers: how each kind of timer starts
# --------------------------------------------------------------------------------------------------


def start_timer(kind: TimerKind, ctx: Context, target: str) -> DeadlineSpec:
    state = ctx.state
    if kind is TimerKind.LIABILITY:
        assert state.sent_on is not None
        days = liability_days(state.claim_type, state.insurer_type, bool(state.article75))
        if ctx.protocol is ProtocolName.ELPL:
            # EL/PL protocol: the period runs from the acknowledgement step, due the next business day.
            days += ELPL_ACKNOWLEDGEMENT_DAYS
        return DeadlineSpec(kind, anchor=state.sent_on, business_days=days)
    if kind is TimerKind.INTERIM_DECISION:
        assert state.interim_sent_on is not None and state.interim_requested is not None
        return DeadlineSpec(
            kind, anchor=state.interim_sent_on, business_days=interim_decision_days(state.interim_requested)
        )
    if kind is TimerKind.STAGE2_CONSIDERATION:
        assert state.stage2_sent_on is not None
        return DeadlineSpec(kind, anchor=state.stage2_sent_on, business_days=STAGE2_INITIAL_DAYS)
    if kind is TimerKind.ADDITIONAL_DAMAGES_DECISION:
        assert state.additional_damages_sent_on is not None
        return DeadlineSpec(
            kind, anchor=state.additional_damages_sent_on, business_days=ADDITIONAL_DAMAGES_DAYS
        )
    assert state.court_pack_sent_on is not None
    return DeadlineSpec(kind, anchor=state.court_pack_sent_on, business_days=COURT_PACK_RESPONSE_DAYS)


def _restart(ctx: Context, target: str) -> DeadlineSpec | None:
    kind = DEFINITIONS[ctx.protocol].phases[target].timer
    return start_timer(kind, ctx, target) if kind else None


RESTART = TimerEffect("restart the timer from today's inputs", _restart)


def _acknowledged(ctx: Context, target: str) -> DeadlineSpec | None:
    """EL/PL: an acknowledgement earlier than the day it is due starts the period on that day."""
    assert ctx.deadline is not None and ctx.state.sent_on is not None
    due = ctx.calendar.add_business_days(ctx.state.sent_on, ELPL_ACKNOWLEDGEMENT_DAYS)
    if ctx.today < due:
        days = liability_days(ctx.state.claim_type, ctx.state.insurer_type, False)
        return DeadlineSpec(TimerKind.LIABILITY, anchor=ctx.today, business_days=days)
    return ctx.deadline


ACKNOWLEDGED = TimerEffect(
    "liability period counts from the acknowledgement if made before it was due", _acknowledged
)


def _total_consideration(ctx: Context, target: str) -> DeadlineSpec | None:
    assert ctx.state.stage2_sent_on is not None
    if ctx.deadline is not None and ctx.deadline.fixed_date is not None:
        # The initial period was extended by agreement: the negotiation period follows it (L11).
        return DeadlineSpec(
            TimerKind.STAGE2_CONSIDERATION,
            anchor=ctx.deadline.last_day_for_action(ctx.calendar),
            business_days=STAGE2_TOTAL_DAYS - STAGE2_INITIAL_DAYS,
        )
    return DeadlineSpec(
        TimerKind.STAGE2_CONSIDERATION, anchor=ctx.state.stage2_sent_on, business_days=STAGE2_TOTAL_DAYS
    )


TOTAL_CONSIDERATION = TimerEffect(
    "total consideration period: 35 business days from the pack (20 after an agreed extension of the "
    "initial period)",
    _total_consideration,
)


def _offer_in_last_days(ctx: Context) -> bool:
    return ctx.deadline is not None and in_last_business_days(
        ctx.deadline, ctx.today, ctx.calendar, FURTHER_CONSIDERATION_DAYS
    )


def _counter_offer_timer(ctx: Context, target: str) -> DeadlineSpec | None:
    assert ctx.deadline is not None
    if ctx.state.further_consideration_applied and ctx.deadline.further_days == 0:
        return ctx.deadline.with_further_days(FURTHER_CONSIDERATION_DAYS)
    return ctx.deadline


FURTHER_CONSIDERATION = TimerEffect(
    "keeps the period; an offer made in its last 5 business days adds 5 business days, once",
    _counter_offer_timer,
)


def _fixed_extension(field_name: str) -> TimerEffect:
    def compute(ctx: Context, target: str) -> DeadlineSpec | None:
        assert ctx.deadline is not None
        return DeadlineSpec(ctx.deadline.kind, fixed_date=ctx.field(field_name))

    return TimerEffect(f"the agreed date in {field_name} becomes the day the claim times out", compute)


def _interim_extension(ctx: Context, target: str) -> DeadlineSpec | None:
    assert ctx.state.interim_sent_on is not None
    return DeadlineSpec(
        TimerKind.INTERIM_DECISION, anchor=ctx.state.interim_sent_on, business_days=INTERIM_DAYS_EXTENDED
    )


INTERIM_EXTENSION = TimerEffect(
    "30 business days from the date the interim pack was sent", _interim_extension
)


# --------------------------------------------------------------------------------------------------
# Predicates and guards
# --------------------------------------------------------------------------------------------------


def is_child(ctx: Context) -> bool:
    return ctx.state.is_child_on(ctx.today)


def is_adult(ctx: Context) -> bool:
    return not is_child(ctx)


def flag(name: str, value: Any = True) -> Any:
    def predicate(ctx: Context) -> bool:
        return bool(ctx.field(name) == value)

    return predicate


def _future_date(field_name: str) -> Guard:
    return Guard(
        f"{field_name} after today",
        lambda ctx: ctx.field(field_name) > ctx.today,
        "must be a date after today",
        field_name,
    )


def _later_than_deadline(field_name: str) -> Guard:
    def check(ctx: Context) -> bool:
        return ctx.deadline is None or ctx.field(field_name) > ctx.deadline.fires_on(ctx.calendar)

    return Guard(
        f"{field_name} later than the current time limit",
        check,
        "must be later than the current time limit",
        field_name,
    )


NOT_IN_FURTHER_PERIOD = Guard(
    "not in the further consideration period",
    lambda ctx: not ctx.state.further_consideration_applied,
    "In the further consideration period the offer can only be accepted or declined",
)


def _exit_code_allowed(ctx: Context) -> bool:
    code = EXIT_CODES.get(ctx.field("exitReasonCode"))
    return code is not None and code.allowed_for(ctx.protocol, ctx.side)


def _exit_code_in_phase(ctx: Context) -> bool:
    code = EXIT_CODES[ctx.field("exitReasonCode")]
    return not code.only_before_liability_decision or ctx.phase in BEFORE_LIABILITY_DECISION


def _refuse_problems(problems: list[Problem], message: str) -> None:
    if problems:
        raise PortalError("BUSINESS_RULE", message, [ErrorDetail(path, text) for path, text in problems])


def _claimed(ctx: Context) -> Heads:
    return heads_from_json(ctx.state.claimed_heads)


def _interim_claimed(ctx: Context) -> Heads:
    return heads_from_json(ctx.state.interim_heads)


def _answers_fit_the_claim(
    claimed: Callable[[Context], Heads],
    agreement: Callable[[Context], str | None] = lambda ctx: None,
    every_head: Callable[[Context], bool] = lambda ctx: True,
) -> Guard:
    """Each reply answers a head claimed, never above it; every head is answered; an agreement decision
    carries the claimant's figures (forms.losses.answer_errors). Claims whose heads are not on record
    (packs sent before the forms were typed) are not compared.

    On part of a form (``engine.guard_problems``: the replies given, the decision on a page not
    answered yet) the replies are compared as an offer, by the rules that hold whatever the decision
    (a head claimed, not above it, agreed only at the amount claimed); "every head answered" and "an
    agreement carries the claimant's figures" wait for the decision."""

    def check(ctx: Context) -> bool:
        heads = claimed(ctx)
        if heads:
            problems = answer_errors(
                heads,
                ctx.field("answers"),
                ctx.field("answersPath"),
                agreement=_given(agreement, ctx, None),
                require_every_head=_given(every_head, ctx, False),
            )
            _refuse_problems(problems, "The offer does not fit the heads claimed")
        return True

    return Guard("each head answered, and no offer above the amount claimed for its head", check, "")


def _counter_offer_revises_the_claim(ctx: Context) -> bool:
    heads = _claimed(ctx)
    if heads:
        problems = counter_offer_errors(heads, ctx.field("counterHeads"), ctx.field("headsPath"))
        _refuse_problems(problems, "The counter offer does not revise the heads claimed")
    return True


def _adds_a_loss(ctx: Context) -> bool:
    problems = additional_heads_errors(_claimed(ctx), ctx.field("claimedHeads"), ctx.field("headsPath"))
    _refuse_problems(problems, "Additional damages claim a loss not claimed before")
    return True


def _replies_to_disputed_disbursements(ctx: Context) -> bool:
    """The response replies only to disbursements the request on the claim disputes (a subset,
    forms.court_pack.disbursement_reply_errors). Packs whose disputed IDs are not on record (sent
    before they were kept) are not compared."""
    disputed = ctx.state.court_pack_disputed
    if disputed is not None:
        problems = disbursement_reply_errors(
            disputed, ctx.field("answeredDisbursementIds"), ctx.field("disbursementsPath")
        )
        _refuse_problems(
            problems, "The response replies to disbursements the court proceedings pack did not dispute"
        )
    return True


def _given[T](read: Callable[[Context], T], ctx: Context, otherwise: T) -> T:
    """``read(ctx)``, or ``otherwise`` while its input is not given (part of a form: ``partial.Missing``)."""
    try:
        return read(ctx)
    except Missing:
        return otherwise


def _decision(name: str, *accepting: str) -> Callable[[Context], str | None]:
    """The decision code when it accepts the claimant's figures, else None."""
    return lambda ctx: value if (value := ctx.field(name)) in accepting else None


def _record_claimed_heads(ctx: Context) -> dict[str, dict[str, str]]:
    return heads_to_json(ctx.field("claimedHeads"))


_SAME_ELPL_CLAIM_TYPE = Guard(
    "a re-sent EL/PL CNF keeps the claim's type",
    lambda c: c.field("cnf").applicationData.claimDetails.claimType == c.state.claim_type.value,
    "must be the claim's type: a claim's type cannot change (send a new CNF instead)",
    "cnf.applicationData.claimDetails.claimType",
)

BEFORE_LIABILITY_DECISION = frozenset(
    {"ClaimAcknowledgement", "ClaimSubmitted", "Article75Decision", "LiabilityDecision"}
)

# --------------------------------------------------------------------------------------------------
# Effects: the facts an operation records
# --------------------------------------------------------------------------------------------------


def _cnf_facts(ctx: Context, target: str) -> dict[str, Any]:
    facts = cnf_facts(ctx.field("cnf"))
    return {
        "sent_on": ctx.today,
        "claimant_date_of_birth": facts.claimant_date_of_birth,
        "child_declared": facts.child_declared,
        "insurer_type": InsurerType(facts.insurer_type) if facts.insurer_type else None,
        "article75": None,
        "acknowledged_on": None,
    }


def _record(**values: Any) -> Any:
    def effect(ctx: Context, target: str) -> dict[str, Any]:
        return {k: (v(ctx) if callable(v) else v) for k, v in values.items()}

    return effect


def _child_snapshot(milestone: str) -> Any:
    def effect(ctx: Context, target: str) -> dict[str, Any]:
        return {"child_at": {**ctx.state.child_at, milestone: is_child(ctx)}}

    return effect


def _interim_request(ctx: Context, target: str) -> dict[str, Any]:
    return {
        "interim_count": ctx.state.interim_count + 1,
        "interim_requested": ctx.field("amountRequested"),
        "interim_heads": _record_claimed_heads(ctx),
        "interim_offered": None,
        "interim_sent_on": ctx.today,
        "interim_extension_used": False,
        "interim_partial_refused": False,
        "interim_payment_due_on": None,
    }


def _interim_response(ctx: Context, target: str) -> dict[str, Any]:
    assert ctx.deadline is not None
    # The payment is due by the end of the interim decision period (L7-L9).
    return {
        "interim_offered": ctx.field("amountOffered"),
        "interim_payment_due_on": ctx.deadline.fires_on(ctx.calendar),
    }


def _counter_offer(ctx: Context, target: str) -> dict[str, Any]:
    changes: dict[str, Any] = {"last_offer_by": ctx.side}
    if not ctx.state.further_consideration_applied and _offer_in_last_days(ctx):
        changes["further_consideration_applied"] = True
    if ctx.side is Side.CR:
        changes["claimed_heads"] = _record_claimed_heads(ctx)
    return changes


def _exit(ctx: Context, target: str) -> dict[str, Any]:
    return {"exit_side": ctx.side, "exit_code": ctx.field("exitReasonCode")}


def _interim_paid(ctx: Context, target: str) -> dict[str, Any]:
    if target == "ExitProcess":
        return {"exit_side": Side.CR, "exit_code": None}
    return {}


def _interim_not_paid(ctx: Context, target: str) -> dict[str, Any]:
    return {"exit_side": Side.CR, "exit_code": INTERIM_NOT_PAID_EXIT_CODE}


# --------------------------------------------------------------------------------------------------
# Operations
# --------------------------------------------------------------------------------------------------

EXIT_PHASES_COMMON = frozenset(
    {
        "ClaimSubmitted",
        "LiabilityDecision",
        "StartOfStage21",
        "InterimSettlementPackForm",
        "InterimPaymentDecision",
        "InterimPaymentDecisionTimeout",
        "AcceptanceOfPartialInterimPayment",
        "DecisionOfPartialInterimPayment",
        "WaitingForInterimPayment",
        "Stage2SettlementPackForm",
        "Stage2SettlementPackDecision",
        "Stage2SettlementPackCounterOfferDecision",
        "Stage2SettlementPackCounterOfferCR",
        "Stage2SettlementPackCounterOfferDecisionCM",
        "Stage2SettlementPackAgreementDecision",
        "CourtProceedingsPackForm",
    }
)
EXIT_PHASES_RTA = EXIT_PHASES_COMMON | {
    "Article75Decision",
    "StartS2SPAdditionalDamages",
    "S2SPAdditionalDamagesRequestForm",
    "AdditionalDamagesDecision",
    "AdditionalDamagesDecisionCR",
}
EXIT_PHASES_ELPL = EXIT_PHASES_COMMON | {"ClaimAcknowledgement"}

STAGE1_PAYMENT_PHASES = frozenset(
    {
        "LiabilityAdmitted",
        "StartOfStage21",
        "InterimSettlementPackForm",
        "InterimSettlementPackRejected",
        "InterimPaymentDecisionTimeout",
        "AcceptanceOfPartialInterimPayment",
        "WaitingForInterimPayment",
        "Stage2SettlementPackForm",
        "Stage2SettlementPackCounterOfferDecision",
        "Stage2SettlementPackCounterOfferCR",
        "Stage2SettlementPackAgreementDecision",
        "Stage2SettlementPackNotAgreed",
        "StartS2SPAdditionalDamages",
        "S2SPAdditionalDamagesRequestForm",
        "CourtProceedingsPackForm",
    }
)


def _op(
    name: str,
    refs: str,
    actor: ActingSide,
    sources: set[str] | frozenset[str] | str,
    *routes: Route,
    payload: type[BaseModel] = p.EmptyPayload,
    **kw: Any,
) -> Operation:
    src = frozenset({sources}) if isinstance(sources, str) else frozenset(sources)
    return Operation(
        name=name, refs=refs, actor=actor, sources=src, routes=tuple(routes), payload=payload, **kw
    )


def _to(target: str, when: Any = None, label: str = "", timer: TimerEffect | None = None) -> Route:
    return Route(target=target, when=when, label=label, timer=timer)


def _operations(protocol: ProtocolName, phases: dict[str, Phase]) -> list[Operation]:
    rta = protocol is ProtocolName.RTA
    first_phase = "ClaimSubmitted" if rta else "ClaimAcknowledgement"
    after_agreement_child = "StartS2SPAdditionalDamages" if rta else "CourtProceedingsPackForm"
    not_agreed_next = after_agreement_child
    stage1_comp = {"ClaimSubmitted", "LiabilityDecision"} | (
        {"Article75Decision"} if rta else {"ClaimAcknowledgement"}
    )
    active = frozenset(pid for pid, ph in phases.items() if not ph.terminal)
    rejection_codes = REJECTION_REASONS[protocol]

    ops: list[Operation] = [
        # ---- Stage 1 -------------------------------------------------------------------------------
        _op(
            "addClaim",
            "T01",
            ActingSide.CR,
            "ClaimDataInputEdit",
            _to(first_phase),
            payload=p.RtaAddClaimPayload if rta else p.ElplAddClaimPayload,
            effect=_cnf_facts,
            description="Send the Claim Notification Form to the compensator.",
            decisions=("A2A addClaim creates and sends in one step; the draft phase is its source.",),
        ),
        _op(
            "resendRejectedClaim",
            "T20",
            ActingSide.CR,
            "ClaimsRejectedToCR",
            _to(first_phase),
            payload=p.RtaResendRejectedClaimPayload if rta else p.ElplResendRejectedClaimPayload,
            guards=() if rta else (_SAME_ELPL_CLAIM_TYPE,),
            effect=_cnf_facts,
            timer=RESTART,
            description="Correct and re-send a rejected CNF, possibly to another compensator; the "
            "notification date becomes today and the liability timer restarts.",
        ),
        _op("exitRejectedClaim", "T21", ActingSide.CR, "ClaimsRejectedToCR", _to("ExitRejectedClaim")),
        _op(
            "acknowledgeRejectedClaim",
            "T19",
            ActingSide.CR,
            "AcknowledgeRejectedClaim",
            _to("ClaimsRejectedToCR"),
        ),
        _op(
            "acceptClaim",
            "T03",
            ActingSide.COMP,
            "ClaimSubmitted",
            *(
                (
                    _to(
                        "LiabilityDecision",
                        lambda c: c.state.insurer_type is InsurerType.MIB,
                        "insurer is the MIB",
                    ),
                    _to("Article75Decision", label="insurer is not the MIB"),
                )
                if rta
                else (_to("LiabilityDecision"),)
            ),
            payload=p.AcceptClaimPayload,
            description="Accept the claim; the compensator can no longer reject or reassign it.",
        ),
        _op(
            "rejectClaimToCR",
            "T04",
            ActingSide.COMP,
            "ClaimSubmitted",
            _to("AcknowledgeRejectedClaim"),
            payload=p.RejectClaimPayload,
            guards=(
                Guard(
                    "rejection reason in the protocol's list",
                    lambda c: c.field("rejectionReasonCode") in rejection_codes,
                    f"must be one of {', '.join(sorted(rejection_codes))}",
                    "rejectionReasonCode",
                ),
            ),
            timer=TimerEffect("clears the liability timer"),
            decisions=("Rejection is allowed only in ClaimSubmitted (before acceptance).",),
        ),
        _op(
            "reassignToAnotherCM",
            "T05",
            ActingSide.COMP,
            {"ClaimSubmitted"} | (set() if rta else {"ClaimAcknowledgement"}),
            _to(SAME),
            payload=p.ReassignPayload,
            description="Move the claim to a related compensator; timer unchanged.",
            decisions=("Q15: only before acceptance (the stricter reading).",),
        ),
        _op(
            "stateFraud",
            "T11",
            ActingSide.COMP,
            stage1_comp,
            _to("FraudStated"),
            payload=p.FraudPayload,
            decisions=("Q13: allowed in every Stage 1 compensator phase.",),
        ),
        _op(
            "sendLiabilityDecision",
            "T08-T10",
            ActingSide.COMP,
            "LiabilityDecision",
            _to(
                "LiabilityAdmitted", lambda c: c.field("liabilityDecision") == "A" and is_adult(c), "A, adult"
            ),
            _to("LiabilityAdmittedForChild", flag("liabilityDecision", "A"), "A, child"),
            _to("LiabilityAdmittedWithNegligence", flag("liabilityDecision", "AN"), "AN"),
            _to("LiabilityNotAdmitted", flag("liabilityDecision", "N"), "N"),
            payload=p.RtaLiabilityDecisionPayload if rta else p.ElplLiabilityDecisionPayload,
            effect=_child_snapshot("stage1Response"),
            decisions=("A child at the liability decision goes to LiabilityAdmittedForChild [I].",),
        ),
        _op("acknowledgeLiabilityAdmitted", "T13", ActingSide.CR, "LiabilityAdmitted", _to("StartOfStage21")),
        _op(
            "acknowledgeLiabilityAdmittedForChild",
            "T14",
            ActingSide.CR,
            "LiabilityAdmittedForChild",
            _to("StartOfStage21"),
        ),
        _op(
            "acknowledgeLiabilityAdmittedWithNeg",
            "T15",
            ActingSide.CR,
            "LiabilityAdmittedWithNegligence",
            _to("LiabilityAdmittedWithNegligenceEnd"),
        ),
        _op(
            "acknowledgeDeniedLiability",
            "T16",
            ActingSide.CR,
            "LiabilityNotAdmitted",
            _to("LiabilityNotAdmittedEnd"),
        ),
        _op(
            "acknowledgeLiabilityDecisionTimeout",
            "T17",
            ActingSide.CR,
            "LiabilityDecisionTimeout",
            _to("LiabilityDecisionTimeoutEnd"),
        ),
        _op("acknowledgeFraudStated", "T18", ActingSide.CR, "FraudStated", _to("FraudStatedEnd")),
        # ---- Stage 2.1 ----------------------------------------------------------------------------
        _op(
            "setInterimPaymentNeeded",
            "T22-T23",
            ActingSide.CR,
            "StartOfStage21",
            _to("InterimSettlementPackForm", flag("isInterimPaymentNeeded"), "needed"),
            _to("Stage2SettlementPackForm", label="not needed"),
            payload=p.InterimNeededPayload,
            guards=(
                Guard(
                    "interim payments only for adults",
                    lambda c: not c.field("isInterimPaymentNeeded") or is_adult(c),
                    "Interim settlement packs are not available for a child claimant "
                    "(exit with code 8 if an interim payment is needed)",
                    "isInterimPaymentNeeded",
                ),
            ),
            decisions=("Child status is taken on the day of the request (under 18 on that day).",),
        ),
        _op(
            "addInterimSPFRequest",
            "T24",
            ActingSide.CR,
            "InterimSettlementPackForm",
            _to("InterimPaymentDecision"),
            payload=p.RtaInterimRequestPayload if rta else p.ElplInterimRequestPayload,
            effect=_interim_request,
            guards=(
                Guard(
                    "losses requested total at least 1,000 GBP",
                    lambda c: c.field("amountRequested") >= Decimal(INTERIM_LOW_PAYMENT),
                    "The losses requested (the heads pursued, after contributory negligence) must total at "
                    "least 1000.00",
                    p.InterimRequestPayload.headsPath,
                ),
            ),
            decisions=(
                "amountRequested is computed: the heads pursued, each less its contributory negligence "
                "deduction [I].",
            ),
        ),
        _op(
            "addInterimSPFResponse",
            "T25-T26",
            ActingSide.COMP,
            "InterimPaymentDecision",
            _to(
                "WaitingForInterimPayment",
                lambda c: c.field("amountOffered") == c.state.interim_requested,
                "offered = requested",
            ),
            _to("AcceptanceOfPartialInterimPayment", label="offered < requested"),
            payload=p.RtaInterimResponsePayload if rta else p.ElplInterimResponsePayload,
            effect=_interim_response,
            guards=(
                _answers_fit_the_claim(_interim_claimed),
                Guard(
                    "offer not above the request",
                    lambda c: (
                        c.state.interim_requested is not None
                        and c.field("amountOffered") <= c.state.interim_requested
                    ),
                    "must not be more than the amount requested",
                    p.InterimResponsePayload.answersPath,
                ),
            ),
        ),
        _op(
            "rejectInterimSettlementPack",
            "T27",
            ActingSide.COMP,
            "InterimPaymentDecision",
            _to("InterimSettlementPackRejected"),
            payload=p.RejectInterimPayload,
        ),
        _op(
            "extendInterimPaymentDecisionTimeout",
            "T28",
            ActingSide.COMP,
            "InterimPaymentDecision",
            _to(SAME),
            effect=_record(interim_extension_used=True),
            timer=INTERIM_EXTENSION,
            guards=(
                Guard(
                    "request above 1,000 GBP",
                    lambda c: (
                        c.state.interim_requested is not None
                        and c.state.interim_requested > Decimal(INTERIM_LOW_PAYMENT)
                    ),
                    "The extension is only available for requests above 1000.00",
                ),
                Guard(
                    "not extended before",
                    lambda c: not c.state.interim_extension_used,
                    "The interim decision time limit has already been extended once",
                ),
            ),
        ),
        _op(
            "acknowledgeRejectedInterimSettlementPack",
            "T30",
            ActingSide.CR,
            "InterimSettlementPackRejected",
            _to("StartOfStage21"),
        ),
        _op(
            "acknowledgeInterimPaymentDecisionTimeout",
            "T31",
            ActingSide.CR,
            "InterimPaymentDecisionTimeout",
            _to("Stage2SettlementPackForm"),
        ),
        _op(
            "returnToStartOfStage21",
            "T32",
            ActingSide.CR,
            "InterimPaymentDecisionTimeout",
            _to("StartOfStage21"),
        ),
        _op(
            "acceptPartialInterimPayment",
            "T33",
            ActingSide.CR,
            "AcceptanceOfPartialInterimPayment",
            _to("DecisionOfPartialInterimPayment"),
            payload=p.PartialAcceptancePayload,
            effect=_record(interim_partial_refused=lambda c: not c.field("isPartialInterimPaymentAccepted")),
        ),
        _op(
            "acknowledgePartialPaymentDecision",
            "T34",
            ActingSide.COMP,
            "DecisionOfPartialInterimPayment",
            _to("WaitingForInterimPayment"),
        ),
        _op(
            "setStage21Payment",
            "T35-T36",
            ActingSide.CR,
            "WaitingForInterimPayment",
            _to(
                "StartOfStage21",
                lambda c: c.field("isStage21Paid") and not c.state.interim_partial_refused,
                "paid",
            ),
            _to("ExitProcess", flag("isStage21Paid"), "paid, partial offer was refused"),
            _to("ExitProcess", label="not paid (after the payment due date): exit code 12"),
            payload=p.Stage21PaymentPayload,
            effect=lambda c, t: _interim_paid(c, t) if c.field("isStage21Paid") else _interim_not_paid(c, t),
            guards=(
                Guard(
                    "'not received' only after the payment due date",
                    lambda c: (
                        c.field("isStage21Paid")
                        or (
                            c.state.interim_payment_due_on is not None
                            and c.today >= c.state.interim_payment_due_on
                        )
                    ),
                    "Payment not received can only be recorded after the payment due date",
                    "isStage21Paid",
                ),
            ),
            decisions=(
                "Q9: a refused partial offer leaves the process once the payment is received (ExitProcess, "
                "the compensator acknowledges).",
                "Payment not received leaves the process as a CR exit with code 12.",
            ),
        ),
        # ---- Stage 2 ------------------------------------------------------------------------------
        _op(
            "addStage2SPFRequest",
            "T37",
            ActingSide.CR,
            "Stage2SettlementPackForm",
            _to("Stage2SettlementPackDecision"),
            payload=p.RtaStage2RequestPayload if rta else p.ElplStage2RequestPayload,
            effect=lambda c, t: {
                "stage2_sent_on": c.today,
                "further_consideration_applied": False,
                "last_offer_by": Side.CR,
                "claimed_heads": _record_claimed_heads(c),
                "child_at": {**c.state.child_at, "stage2Request": is_child(c)},
            },
        ),
        _op(
            "addStage2SPFResponse",
            "T38-T40",
            ActingSide.COMP,
            "Stage2SettlementPackDecision",
            _to("Stage2SettlementPackConfirmation", flag("settlementPackDecision", "C"), "C confirm"),
            _to(
                "Stage2SettlementPackCounterOfferDecision",
                flag("settlementPackDecision", "CO"),
                "CO counter offer",
                timer=TOTAL_CONSIDERATION,
            ),
            _to("Stage2SettlementPackRepudiation", label="R repudiate"),
            payload=p.RtaStage2ResponsePayload if rta else p.ElplStage2ResponsePayload,
            effect=_record(last_offer_by=Side.COMP),
            guards=(
                _answers_fit_the_claim(
                    _claimed,
                    _decision("settlementPackDecision", "C"),
                    lambda c: c.field("settlementPackDecision") != "R",
                ),
            ),
            decisions=(
                "C confirms the claimant's figures for every head; C and CO answer every head claimed, R "
                "may answer none; no head is offered more than claimed [I].",
            ),
        ),
        _op(
            "extendStage2SPFDecisionTimeout",
            "T42",
            ActingSide.COMP,
            {"Stage2SettlementPackDecision", "Stage2SettlementPackCounterOfferDecisionCM"},
            _to(SAME),
            payload=p.ExtensionPayload,
            timer=_fixed_extension("newTimeOut"),
            guards=(_future_date("newTimeOut"), _later_than_deadline("newTimeOut"), NOT_IN_FURTHER_PERIOD),
        ),
        _op(
            "extendStage2SPFCounterOfferTimeout",
            "T49",
            ActingSide.OWNER,
            {
                "Stage2SettlementPackCounterOfferDecision",
                "Stage2SettlementPackCounterOfferCR",
                "Stage2SettlementPackCounterOfferDecisionCM",
            },
            _to(SAME),
            payload=p.ExtensionPayload,
            timer=_fixed_extension("newTimeOut"),
            guards=(_future_date("newTimeOut"), _later_than_deadline("newTimeOut"), NOT_IN_FURTHER_PERIOD),
        ),
        _op(
            "acknowledgeStage2SPFConfirmation",
            "T43-T44",
            ActingSide.CR,
            "Stage2SettlementPackConfirmation",
            _to("Stage2SettlementPackConfirmationEnd", is_adult, "adult"),
            _to(after_agreement_child, label="child"),
            effect=lambda c, t: {
                "original_damages_agreed": True,
                "child_at": {**c.state.child_at, "stage2Agreement": is_child(c)},
            },
        ),
        _op(
            "acknowledgeStage2SPFRepudiation",
            "T45",
            ActingSide.CR,
            "Stage2SettlementPackRepudiation",
            _to("Stage2SettlementPackRepudiationEnd"),
        ),
        _op(
            "acknowledgeStage2SPFDecisionTimeout",
            "T46",
            ActingSide.CR,
            "Stage2SettlementPackDecisionTimeout",
            _to("Stage2SettlementPackDecisionTimeoutEnd"),
        ),
        _op(
            "setStage2SPFCounterOfferNeeded",
            "T47-T48",
            ActingSide.CR,
            "Stage2SettlementPackCounterOfferDecision",
            _to(
                "Stage2SettlementPackCounterOfferCR",
                flag("isStage2SPFCounterOfferNeeded"),
                "counter offer needed",
            ),
            _to("Stage2SettlementPackAgreementDecision", label="no new counter offer"),
            payload=p.CounterOfferNeededPayload,
            guards=(
                Guard(
                    "no new counter offer in the further consideration period",
                    lambda c: (
                        not (
                            c.field("isStage2SPFCounterOfferNeeded") and c.state.further_consideration_applied
                        )
                    ),
                    NOT_IN_FURTHER_PERIOD.message,
                    "isStage2SPFCounterOfferNeeded",
                ),
            ),
        ),
        _op(
            "addStage2SPFCounterOfferByCR",
            "T50",
            ActingSide.CR,
            "Stage2SettlementPackCounterOfferCR",
            _to("Stage2SettlementPackCounterOfferDecisionCM"),
            payload=p.RtaCounterOfferByCRPayload if rta else p.ElplCounterOfferByCRPayload,
            effect=_counter_offer,
            timer=FURTHER_CONSIDERATION,
            guards=(
                Guard(
                    "repeats every head claimed, none raised or added",
                    _counter_offer_revises_the_claim,
                    "",
                ),
            ),
            decisions=(
                "A claimant's counter offer revises the heads claimed: it may lower a head (its gross "
                "value and its value after deduction) but not raise or add one; interest may grow [I].",
            ),
        ),
        _op(
            "addStage2SPFCounterOfferByCM",
            "T51-T52",
            ActingSide.COMP,
            "Stage2SettlementPackCounterOfferDecisionCM",
            _to(
                "Stage2SettlementPackConfirmation",
                flag("settlementPackCounterOfferDecision", "ACO"),
                "ACO accept the CR's counter offer",
            ),
            _to("Stage2SettlementPackCounterOfferDecision", label="NEWCO new counter offer"),
            payload=p.RtaCounterOfferByCMPayload if rta else p.ElplCounterOfferByCMPayload,
            effect=_counter_offer,
            timer=FURTHER_CONSIDERATION,
            guards=(
                Guard(
                    "no new counter offer in the further consideration period",
                    lambda c: (
                        not (
                            c.field("settlementPackCounterOfferDecision") == "NEWCO"
                            and c.state.further_consideration_applied
                        )
                    ),
                    NOT_IN_FURTHER_PERIOD.message,
                    "s2spfCounterOfferByCM.agreementData.finalAgreementDetails.settlementPackCounterOfferDecision",
                ),
                _answers_fit_the_claim(_claimed, _decision("settlementPackCounterOfferDecision", "ACO")),
            ),
        ),
        _op(
            "setStage2SPFAgreementDecision",
            "T53-T54",
            ActingSide.CR,
            "Stage2SettlementPackAgreementDecision",
            _to("Stage2SettlementPackAgreedCR", flag("isAgreed"), "agreed"),
            _to(not_agreed_next, label="not agreed"),
            payload=p.AgreementPayload,
            effect=lambda c, t: {"original_damages_agreed": bool(c.field("isAgreed"))},
        ),
        _op(
            "setStage2SPFAgreementDecision",
            "T51/T54 [I]",
            ActingSide.COMP,
            "Stage2SettlementPackCounterOfferDecisionCM",
            _to("Stage2SettlementPackConfirmation", flag("isAgreed"), "agreed"),
            _to("Stage2SettlementPackNotAgreed", label="declined"),
            payload=p.AgreementPayload,
            guards=(
                Guard(
                    "only in the further consideration period",
                    lambda c: c.state.further_consideration_applied,
                    "The compensator gives an agreement decision only in the further consideration period; "
                    "otherwise use addStage2SPFCounterOfferByCM",
                ),
            ),
            decisions=(
                "In the further consideration period the compensator may only accept or decline the CR's "
                "offer: accept → confirmation, decline → Stage2SettlementPackNotAgreed [I].",
            ),
        ),
        _op(
            "acknowledgeStage2SPFAgreed",
            "T55-T56",
            ActingSide.COMP,
            "Stage2SettlementPackAgreedCR",
            _to("Stage2SettlementPackAgreedEnd", is_adult, "adult"),
            _to(after_agreement_child, label="child"),
            effect=lambda c, t: {
                "original_damages_agreed": True,
                "child_at": {**c.state.child_at, "stage2Agreement": is_child(c)},
            },
        ),
        _op(
            "acknowledgeStage2SPFNotAgreed",
            "T57",
            ActingSide.CR,
            "Stage2SettlementPackNotAgreed",
            _to(not_agreed_next),
            effect=_record(original_damages_agreed=False),
        ),
        # ---- Court Proceedings Pack ---------------------------------------------------------------
        _op(
            "addCPPFRequest",
            "T69",
            ActingSide.CR,
            "CourtProceedingsPackForm",
            _to("CourtProceedingsPackFormResponse"),
            payload=p.RtaCourtPackRequestPayload if rta else p.ElplCourtPackRequestPayload,
            effect=_record(
                court_pack_sent_on=lambda c: c.today,
                claimed_heads=_record_claimed_heads,
                court_pack_disputed=lambda c: list(c.field("disputedDisbursementIds")),
            ),
        ),
        _op(
            "addCPPFResponse",
            "T70",
            ActingSide.COMP,
            "CourtProceedingsPackFormResponse",
            _to("EndOfStage2"),
            payload=p.RtaCourtPackResponsePayload if rta else p.ElplCourtPackResponsePayload,
            guards=(
                _answers_fit_the_claim(_claimed),
                Guard(
                    "each disbursement replied to was disputed in the court proceedings pack",
                    _replies_to_disputed_disbursements,
                    "",
                ),
            ),
        ),
        _op("acknowledgeCPPFResponse", "T71", ActingSide.CR, "EndOfStage2", _to("EndOfStage2Acknowledged")),
        # ---- Exits --------------------------------------------------------------------------------
        _op(
            "exitProcess",
            "T72",
            ActingSide.OWNER,
            EXIT_PHASES_RTA if rta else EXIT_PHASES_ELPL,
            _to("ExitProcess"),
            payload=p.ExitPayload,
            effect=_exit,
            guards=(
                Guard(
                    "exit code allowed for the caller's side",
                    _exit_code_allowed,
                    "is not an exit reason this side may use in this protocol",
                    "exitReasonCode",
                ),
                Guard(
                    "code 1 only before the liability decision",
                    _exit_code_in_phase,
                    "Exit code 1 (incomplete CNF) is only allowed before the liability decision",
                    "exitReasonCode",
                ),
            ),
            decisions=(
                "Exit is an action of the side that owns the phase; not allowed in LiabilityAdmitted, in "
                "acknowledgement-only phases, or while the compensator checks the court pack [I].",
            ),
        ),
        _op("acknowledgeExitProcess", "T73", ActingSide.OWNER, "ExitProcess", _to("ExitProcessEnd")),
        # ---- Housekeeping (no phase change) ---------------------------------------------------------
        _op(
            "lockClaim",
            "§7.3",
            ActingSide.OWNER,
            active,
            _to(SAME),
            kind=OperationKind.HOUSEKEEPING,
            access=(access.NOT_LOCKED_BY_ANOTHER, access.UNLOCKED),
            description="Lock the claim to the acting user; only the lock holder may change it.",
        ),
        _op(
            "unlockClaim",
            "§7.3",
            ActingSide.OWNER,
            active,
            _to(SAME),
            kind=OperationKind.HOUSEKEEPING,
            access=(access.NOT_LOCKED_BY_ANOTHER, access.LOCKED_BY_ME),
            description="The lock holder releases the claim.",
        ),
        _op(
            "forceUnlockClaim",
            "§7.3",
            ActingSide.OWNER,
            active,
            _to(SAME),
            kind=OperationKind.HOUSEKEEPING,
            access=(access.TEAM_LEADER, access.LOCKED),
            description="Team leaders release anybody's lock.",
        ),
        _op(
            "allocateUser",
            "§7.3",
            ActingSide.EITHER,
            active,
            _to(SAME),
            payload=p.AllocateUserPayload,
            kind=OperationKind.HOUSEKEEPING,
            access=(access.NOT_LOCKED_BY_ANOTHER, access.TEAM_LEADER),
            description="Team leaders allocate the claim to a user of their own organisation (each side keeps "
            "its own allocation).",
        ),
        _op(
            "deallocateUser",
            "§7.3",
            ActingSide.EITHER,
            active,
            _to(SAME),
            kind=OperationKind.HOUSEKEEPING,
            access=(access.NOT_LOCKED_BY_ANOTHER, access.TEAM_LEADER, access.ALLOCATED),
            description="Team leaders remove their side's allocation of the claim to a user.",
        ),
        _op(
            "allocateClaimToBranch",
            "T06",
            ActingSide.COMP,
            active - {"ClaimDataInputEdit"},
            _to(SAME),
            payload=p.AllocateBranchPayload,
            kind=OperationKind.HOUSEKEEPING,
            access=(access.NOT_LOCKED_BY_ANOTHER, access.MAY_ALLOCATE_BRANCH),
            description="Move the claim to one of the compensator's own branches.",
        ),
    ]
    if rta:
        ops += [
            _op(
                "applyArticle75",
                "T07",
                ActingSide.COMP,
                "Article75Decision",
                _to(
                    "LiabilityDecision",
                    flag("isArticle75"),
                    "Article 75 applies: 30 business days",
                    timer=RESTART,
                ),
                _to("LiabilityDecision", label="Article 75 does not apply"),
                payload=p.Article75Payload,
                effect=_record(article75=lambda c: c.field("isArticle75")),
            ),
            _op(
                "setStage1Payment",
                "N1",
                ActingSide.CR,
                STAGE1_PAYMENT_PHASES,
                _to(SAME),
                payload=p.Stage1PaymentPayload,
                effect=_record(stage1_paid=lambda c: c.field("isStage1Paid")),
                decisions=(
                    "N1/Q3: records Stage 1 fixed costs received or not; optional and never blocks Stage 2.",
                ),
            ),
            _op(
                "setAdditionalDamagesExistence",
                "T58-T59",
                ActingSide.CR,
                "StartS2SPAdditionalDamages",
                _to("S2SPAdditionalDamagesRequestForm", flag("additionalDamagesExist"), "additional damages"),
                _to("CourtProceedingsPackForm", label="none"),
                payload=p.AdditionalDamagesExistencePayload,
            ),
            _op(
                "addS2SPFAdditionalDamagesRequest",
                "T60",
                ActingSide.CR,
                "S2SPAdditionalDamagesRequestForm",
                _to("AdditionalDamagesDecision"),
                payload=p.AdditionalDamagesRequestPayload,
                effect=_record(
                    additional_damages_sent_on=lambda c: c.today, claimed_heads=_record_claimed_heads
                ),
                guards=(Guard("claims at least one loss not claimed before", _adds_a_loss, ""),),
            ),
            _op(
                "addS2SPFAdditionalDamagesResponse",
                "T61-T62",
                ActingSide.COMP,
                "AdditionalDamagesDecision",
                _to("AllDamagesAgreed", flag("additionalDamagesDecision", "A"), "A agreed"),
                _to("AdditionalDamagesDecisionCR", label="CO counter offer"),
                payload=p.AdditionalDamagesResponsePayload,
                guards=(_answers_fit_the_claim(_claimed, _decision("additionalDamagesDecision", "A")),),
            ),
            _op(
                "extendAdditionalDamagesDecisionTimeout",
                "T63",
                ActingSide.COMP,
                "AdditionalDamagesDecision",
                _to(SAME),
                payload=p.AdditionalDamagesExtensionPayload,
                timer=_fixed_extension("newTimeOutDate"),
                guards=(_future_date("newTimeOutDate"), _later_than_deadline("newTimeOutDate")),
            ),
            _op(
                "acknowledgeAllDamagesAgreed",
                "T65",
                ActingSide.CR,
                "AllDamagesAgreed",
                _to(
                    "Stage2SettlementPackAllDamagesAgreedEnd",
                    lambda c: is_adult(c) and bool(c.state.original_damages_agreed),
                    "adult, original damages agreed",
                ),
                _to("CourtProceedingsPackForm", label="child, or original damages not agreed"),
                effect=_child_snapshot("stage2AgreementAD"),
                decisions=(
                    "Settles only when the original damages were agreed too; otherwise the claim goes to "
                    "the court proceedings pack [I].",
                ),
            ),
            _op(
                "setS2SPFAdditionalDamagesDecision",
                "T66",
                ActingSide.CR,
                "AdditionalDamagesDecisionCR",
                _to(
                    "AdditionalDamagesAllAgreedCR",
                    lambda c: c.field("isAgreed") and bool(c.state.original_damages_agreed),
                    "agreed, original damages agreed",
                ),
                _to(
                    "AdditionalDamagesOriginalNotAgreed",
                    flag("isAgreed"),
                    "agreed, original damages not agreed",
                ),
                _to("AdditionalDamagesNoDamagesAgreedCR", label="not agreed"),
                payload=p.AgreementPayload,
                decisions=("The outcome phase (P56) is one of three, named as in the retention policy [I].",),
            ),
            _op(
                "acknowledgeAdditionalDamagesAgreement",
                "T67",
                ActingSide.COMP,
                {
                    "AdditionalDamagesAllAgreedCR",
                    "AdditionalDamagesOriginalNotAgreed",
                    "AdditionalDamagesNoDamagesAgreedCR",
                },
                _to(
                    "Stage2SettlementPackAllDamagesAgreedEnd",
                    lambda c: c.phase == "AdditionalDamagesAllAgreedCR" and is_adult(c),
                    "all agreed, adult",
                ),
                _to("CourtProceedingsPackForm", label="anything unresolved, or child"),
                effect=_child_snapshot("stage2AgreementAD"),
            ),
            _op(
                "acknowledgeAdditionalDamagesAgreement",
                "T67/T68",
                ActingSide.CR,
                "AdditionalDamagesTimeout",
                _to("CourtProceedingsPackForm"),
                decisions=("The CR may also acknowledge an additional damages timeout with this operation.",),
            ),
            _op(
                "acknowledgeAdditionalDamagesDecisionTimeout",
                "T68",
                ActingSide.CR,
                "AdditionalDamagesTimeout",
                _to("CourtProceedingsPackForm"),
            ),
        ]
    else:
        ops.append(
            _op(
                "acknowledgeClaim",
                "T02",
                ActingSide.COMP,
                "ClaimAcknowledgement",
                _to("ClaimSubmitted"),
                effect=_record(acknowledged_on=lambda c: c.today),
                timer=ACKNOWLEDGED,
                decisions=(
                    "Q2: a phase of its own with no timeout of its own; the liability timer runs from "
                    "sending and counts from the acknowledgement step (due the next business day).",
                ),
            ),
        )
    return ops


PROTOCOL_DECISIONS: dict[ProtocolName, tuple[str, ...]] = {
    ProtocolName.RTA: (
        "Liability: 15 business days from the day after sending; 30 if the insurer is the MIB or applies "
        "Article 75 (applying it recomputes the deadline from the same sending date).",
        "Timeouts in the CR's counter-offer phases (P35, P36) lead to the agreement decision (Q6 [I]).",
        "Additional damages decision: 15 business days (Q7 [I]); court pack response: 5 business days, expiry "
        "moves the claim to End of Stage 2 with no compensator response (Q8 [I]).",
    ),
    ProtocolName.ELPL: (
        "Liability: EL and ELD 30, PL 40 business days counted from the acknowledgement step (L4, L5); the step "
        "is due the next business day after sending, so the deadline is fixed at sending as 1 + 30 (or 1 + 40) "
        "business days, and an acknowledgement made earlier than due starts the period on that day [I].",
        "No additional damages in EL/PL: a child's agreement and a failed negotiation go to the court "
        "proceedings pack.",
        "Timeouts in the CR's counter-offer phases (P35, P36) lead to the agreement decision (Q6 [I]).",
        "Court pack response: 5 business days; expiry moves the claim to End of Stage 2 (Q8 [I]).",
    ),
}

COMMON_DECISIONS = (
    "Deadlines are stored as the first instant the timeout fires: 00:00 Europe/London on the day after the "
    "last day for action. An agreed extension date is that day itself (WORKFLOW.md §5.1).",
    "Further consideration period (L12): an offer made within the last 5 business days before the deadline "
    "adds 5 business days once; afterwards no new counter offer and no extension is accepted.",
    "Every change issues a new activityEngineGuid; a lock is released when the phase passes to the other side.",
    "End phases not named in the sources are [I]: LiabilityAdmittedWithNegligenceEnd, LiabilityNotAdmittedEnd, "
    "LiabilityDecisionTimeoutEnd, FraudStatedEnd, Stage2SettlementPackRepudiationEnd, EndOfStage2Acknowledged "
    "(the CPP claim archived for 12 months) and ExitProcessEnd.",
    "WaitingForInterimPayment has no timeout of its own: the payment is due by the end of the interim decision "
    "period (L7-L9), kept with the claim, and 'payment not received' is offered from that day [I].",
    "Exit codes 9-15 and the extension reasons 1-2 are labelled from inference only ([?] Q4/Q5); the allowed "
    "sets per side and protocol are those of the schemas (WORKFLOW.md §9.2).",
    "A child is a claimant under 18 on the day of the event, from the CNF date of birth (the CNF child flag "
    "when no date of birth is given); the status is snapshotted at the liability decision, the Stage 2 "
    "request and each agreement (WORKFLOW.md §8.4).",
)


def _build(protocol: ProtocolName) -> ProtocolDefinition:
    phases = _phases(protocol)
    return ProtocolDefinition(
        name=protocol,
        phases=phases,
        operations=tuple(_operations(protocol, phases)),
        initial_phase="ClaimDataInputEdit",
        decisions=COMMON_DECISIONS + PROTOCOL_DECISIONS[protocol],
        start_timer=start_timer,
    )


DEFINITIONS: dict[ProtocolName, ProtocolDefinition] = {name: _build(name) for name in ProtocolName}
RTA = DEFINITIONS[ProtocolName.RTA]
ELPL = DEFINITIONS[ProtocolName.ELPL]


def definition_for(claim_type: ClaimType | str) -> ProtocolDefinition:
    return DEFINITIONS[ClaimType(claim_type).protocol]


def new_state(claim_type: ClaimType) -> ClaimState:
    return ClaimState(claim_type=claim_type)


def timeouts_by_phase() -> dict[str, tuple[str, Side | None]]:
    """Every timed phase (of either protocol) → (phase its timeout leads to, owner of that phase)."""
    out: dict[str, tuple[str, Side | None]] = {}
    for definition in DEFINITIONS.values():
        for phase in definition.timed_phases():
            assert phase.on_timeout is not None
            target = definition.phases[phase.on_timeout]
            out[phase.id] = (target.id, target.owner)
    return out
