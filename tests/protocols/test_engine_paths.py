"""Every path through the RTA and EL/PL transition tables, walked through the pure engine.

Each test drives ``engine.decide`` the way ``claims.services.perform`` does (phase, owner, facts and
deadline carried from one outcome to the next) with a plain ``now`` and the England & Wales
calendar. Deadlines are checked to the day against dates counted by hand around real bank holidays
(Easter 2026: Good Friday 3 April, Easter Monday 6 April; Early May 4 May; Spring 25 May; Christmas
2026: Friday 25 December, Monday 28 December in lieu of Boxing Day, New Year's Day Friday 1 January).

The path tests are registered with ``@path``; the last test re-runs them all and checks that together
they take every route of every workflow operation and every timeout of both protocols.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.definitions import SAME, ProtocolDefinition
from claimsportal.protocols.engine import Outcome, decide
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms.examples import (
    additional_damages_request_example,
    additional_damages_response_example,
    cnf_example,
    counter_offer_by_cm_example,
    counter_offer_by_cr_example,
    insurer_response_example,
    interim_request_example,
    interim_response_example,
    stage2_response_example,
)
from claimsportal.protocols.state import ADULT_AGE, ClaimState, age_on
from claimsportal.protocols.tables import DEFINITIONS, ELPL, RTA, definition_for
from claimsportal.protocols.timers import LONDON, DeadlineSpec, TimerKind
from claimsportal.protocols.types import ClaimType, OperationKind, ProtocolName, Side
from tests.shorthands import form_shorthand

CAL = BusinessCalendar.england_and_wales()
CR, COMP = Side.CR, Side.COMP
ADULT = date(1980, 1, 15)
CHILD = date(2015, 6, 1)

# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def d(day: str | date) -> date:
    return day if isinstance(day, date) else date.fromisoformat(day)


def at(day: str | date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(d(day), time(hour, minute), tzinfo=LONDON)


def midnight(day: str | date) -> datetime:
    return at(day, 0)


def cnf(
    claim_type: str = "RTA", *, dob: date | None = ADULT, insurer: str | None = "I", child: bool = False
) -> dict[str, Any]:
    """A complete valid CNF (the form itself is tested in tests/protocols/forms)."""
    return cnf_example(
        claim_type,
        date_of_birth=dob,
        child=child,
        insurer_type=insurer if claim_type == "RTA" else None,
    )


RouteKey = tuple[str, ...]
PathTest = Callable[..., None]
COVERED: set[RouteKey] = set()
PATHS: list[tuple[PathTest, tuple[str, ...]]] = []


def path(*claim_types: str) -> Callable[[PathTest], PathTest]:
    """Register a path test for the coverage check at the end of the module. Given claim types, the
    test takes ``claim_type`` and runs once for each of them."""

    def register(test: PathTest) -> PathTest:
        PATHS.append((test, claim_types))
        return pytest.mark.parametrize("claim_type", claim_types)(test) if claim_types else test

    return register


def route_key(definition: ProtocolDefinition, outcome: Outcome) -> RouteKey:
    op = outcome.operation
    for route in op.routes:
        target = outcome.phase_before if route.target == SAME else route.target
        if route.label == outcome.route_label and target == outcome.phase_after:
            return (definition.name.value, op.name, op.actor.value, route.target, route.label)
    raise AssertionError(f"{op.name}: no route matches {outcome.route_label!r} -> {outcome.phase_after}")


def timeout_key(definition: ProtocolDefinition, phase: str) -> RouteKey:
    return (definition.name.value, "timeout", phase, str(definition.phases[phase].on_timeout))


def all_route_keys() -> set[RouteKey]:
    keys: set[RouteKey] = set()
    for definition in DEFINITIONS.values():
        for op in definition.operations:
            if op.kind is OperationKind.WORKFLOW:
                for route in op.routes:
                    keys.add((definition.name.value, op.name, op.actor.value, route.target, route.label))
        for phase in definition.timed_phases():
            keys.add(timeout_key(definition, phase.id))
    return keys


class Walk:
    """One claim carried through the engine: the columns ``perform`` would store, without a database."""

    def __init__(
        self,
        claim_type: str = "RTA",
        *,
        on: str | date = "2026-03-02",
        hour: int = 10,
        dob: date | None = ADULT,
        insurer: str | None = "I",
        child: bool = False,
    ) -> None:
        self.definition = definition_for(claim_type)
        self.phase = self.definition.initial_phase
        self.owner: Side | None = CR
        self.state = ClaimState(claim_type=ClaimType(claim_type))
        self.deadline: DeadlineSpec | None = None
        self.now = at(on, hour)
        self.outcome: Outcome | None = None
        self.do(
            "addClaim",
            claimType=claim_type,
            compensator="/COMP00001",
            # the CNF's child flag must match the claimant's age on the day it is sent
            cnf=cnf(
                claim_type,
                dob=dob,
                insurer=insurer,
                child=child or (dob is not None and age_on(dob, d(on)) < ADULT_AGE),
            ),
        )

    # -- moving the claim --------------------------------------------------------------------------
    def _move_clock(self, on: str | date | None, hour: int, minute: int) -> None:
        if on is not None:
            when = at(on, hour, minute)
            assert when >= self.now, "a walk never goes back in time"
            self.now = when

    def _decide(self, operation: str, side: Side | None, payload: dict[str, Any]) -> Outcome:
        payload = form_shorthand(self.definition.name.value, operation, payload, self.state)
        return decide(
            self.definition,
            phase=self.phase,
            owner=self.owner,
            state=self.state,
            deadline=self.deadline,
            operation=operation,
            side=side or self.owner or CR,
            payload=payload,
            now=self.now,
            calendar=CAL,
        )

    def do(
        self,
        operation: str,
        *,
        side: Side | None = None,
        on: str | date | None = None,
        hour: int = 10,
        minute: int = 0,
        **payload: Any,
    ) -> Walk:
        """Perform ``operation`` (by the side whose turn it is, unless ``side`` is given)."""
        self._move_clock(on, hour, minute)
        outcome = self._decide(operation, side, payload)
        if outcome.operation.kind is OperationKind.WORKFLOW:
            COVERED.add(route_key(self.definition, outcome))
        self.phase, self.owner = outcome.phase_after, outcome.owner_after
        self.state, self.deadline, self.outcome = outcome.state, outcome.deadline, outcome
        return self

    def current_state(self) -> ClaimState:
        """The facts now (a call, so that type narrowing from earlier asserts does not stick)."""
        return self.state

    def refuse(
        self,
        operation: str,
        code: str,
        *,
        side: Side | None = None,
        on: str | date | None = None,
        hour: int = 10,
        minute: int = 0,
        **payload: Any,
    ) -> PortalError:
        """``operation`` is refused with ``code``; the walk stays where it is."""
        self._move_clock(on, hour, minute)
        with pytest.raises(PortalError) as refused:
            self._decide(operation, side, payload)
        assert refused.value.code == code, str(refused.value)
        return refused.value

    def timeout(self) -> Walk:
        """Let the clock run to the deadline: the claim moves to the phase's timeout target."""
        phase = self.definition.phases[self.phase]
        assert self.deadline is not None and phase.timer is self.deadline.kind and phase.on_timeout
        self.now = self.deadline.fires_at(CAL)
        COVERED.add(timeout_key(self.definition, self.phase))
        self.phase = phase.on_timeout
        self.owner = self.definition.phases[self.phase].owner
        self.deadline = None
        return self

    def jump(self, phase: str, *, owner: Side | None = None, **facts: Any) -> Walk:
        """Put the claim straight into ``phase`` (for checks that need no history)."""
        self.phase = phase
        self.owner = owner or self.definition.phases[phase].owner
        self.state = self.state.update(**facts)
        self.deadline = None
        return self

    # -- reading it --------------------------------------------------------------------------------
    @property
    def terminal(self) -> bool:
        return self.definition.phases[self.phase].terminal

    @property
    def last_day(self) -> date:
        assert self.deadline is not None
        return self.deadline.last_day_for_action(CAL)

    @property
    def fires_at(self) -> datetime:
        assert self.deadline is not None
        return self.deadline.fires_at(CAL)

    def at_phase(self, phase: str, owner: Side | None) -> None:
        assert (self.phase, self.owner) == (phase, owner), (self.phase, self.owner)
        timed = self.definition.phases[phase].timer is not None
        assert (self.deadline is not None) == timed, "a deadline exists exactly when the phase is timed"


def liability_decision(claim_type: str = "RTA", **kw: Any) -> Walk:
    """Sent and accepted (EL/PL: acknowledged first; RTA: Article 75 does not apply)."""
    w = Walk(claim_type, **kw)
    if w.phase == "ClaimAcknowledgement":
        w.do("acknowledgeClaim")
    w.do("acceptClaim")
    if w.phase == "Article75Decision":
        w.do("applyArticle75", isArticle75=False)
    w.at_phase("LiabilityDecision", COMP)
    return w


def admitted(claim_type: str = "RTA", *, on: str = "2026-02-02", dob: date | None = ADULT, **kw: Any) -> Walk:
    """Sent, accepted and liability admitted, acknowledged: the claim is at the start of Stage 2.1."""
    w = liability_decision(claim_type, on=on, dob=dob, **kw)
    w.do("sendLiabilityDecision", liabilityDecision="A")
    w.do(
        "acknowledgeLiabilityAdmitted"
        if w.phase == "LiabilityAdmitted"
        else "acknowledgeLiabilityAdmittedForChild"
    )
    w.at_phase("StartOfStage21", CR)
    return w


def interim_form(claim_type: str = "RTA", **kw: Any) -> Walk:
    w = admitted(claim_type, **kw)
    w.do("setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    w.at_phase("InterimSettlementPackForm", CR)
    return w


def stage2_sent(claim_type: str = "RTA", *, on: str = "2026-03-02", dob: date | None = ADULT) -> Walk:
    """The Stage 2 Settlement Pack sent on ``on`` (Monday 2 March 2026 unless told)."""
    w = admitted(claim_type, dob=dob)
    w.do("setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    w.at_phase("Stage2SettlementPackForm", CR)
    w.do("addStage2SPFRequest", on=on, generalDamages="3500.00")
    return w


def negotiating(claim_type: str = "RTA", *, dob: date | None = ADULT) -> Walk:
    """Pack sent Monday 2 March 2026, compensator's counter offer on Friday 20 March."""
    w = stage2_sent(claim_type, dob=dob)
    w.do("addStage2SPFResponse", on="2026-03-20", settlementPackDecision="CO")
    return w


def no_agreement_phase(claim_type: str) -> str:
    """Where a failed negotiation or a child's agreement leads: additional damages (RTA) or the CPP."""
    return "StartS2SPAdditionalDamages" if claim_type == "RTA" else "CourtProceedingsPackForm"


def not_agreed(claim_type: str = "RTA", *, dob: date | None = ADULT) -> Walk:
    """Negotiation failed: RTA at the start of additional damages, EL/PL at the court proceedings pack."""
    w = negotiating(claim_type, dob=dob)
    w.do("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=False)
    w.do("setStage2SPFAgreementDecision", isAgreed=False)
    return w


# --------------------------------------------------------------------------------------------------
# Stage 1
# --------------------------------------------------------------------------------------------------


@path()
def test_an_rta_claim_to_an_insurer_goes_through_article_75_with_15_business_days() -> None:
    w = Walk("RTA", on="2026-03-02")  # Monday
    w.at_phase("ClaimSubmitted", COMP)
    assert w.state.sent_on == d("2026-03-02")
    assert w.deadline == DeadlineSpec(TimerKind.LIABILITY, anchor=d("2026-03-02"), business_days=15)
    assert w.last_day == d("2026-03-23")
    assert w.fires_at == midnight("2026-03-24")

    w.do("acceptClaim", on="2026-03-03", insurerClaimReferenceNumber="INS-1")
    w.at_phase("Article75Decision", COMP)
    assert w.last_day == d("2026-03-23"), "acceptance does not reset the liability timer"

    w.do("applyArticle75", isArticle75=False)
    w.at_phase("LiabilityDecision", COMP)
    assert w.state.article75 is False
    assert w.last_day == d("2026-03-23")

    w.do("sendLiabilityDecision", on="2026-03-23", hour=23, minute=59, liabilityDecision="A")
    w.at_phase("LiabilityAdmitted", CR)
    assert w.state.child_at == {"stage1Response": False}
    w.do("acknowledgeLiabilityAdmitted")
    w.at_phase("StartOfStage21", CR)


@path()
def test_an_mib_claim_skips_article_75_and_has_30_business_days_over_easter() -> None:
    w = Walk("RTA", on="2026-03-02", insurer="M")
    w.at_phase("ClaimSubmitted", COMP)
    assert w.last_day == d("2026-04-15")  # 30 bd, skipping Good Friday 3 and Easter Monday 6 April
    assert w.fires_at == midnight("2026-04-16")

    w.do("acceptClaim")
    w.at_phase("LiabilityDecision", COMP)
    assert w.last_day == d("2026-04-15")
    w.refuse("applyArticle75", "WRONG_PHASE", isArticle75=True)

    w.do("sendLiabilityDecision", liabilityDecision="AN")
    w.at_phase("LiabilityAdmittedWithNegligence", CR)
    w.do("acknowledgeLiabilityAdmittedWithNeg")
    w.at_phase("LiabilityAdmittedWithNegligenceEnd", None)
    assert w.terminal


@path()
def test_article_75_recomputes_the_liability_deadline_to_30_days_from_the_same_sending_date() -> None:
    w = Walk("RTA", on="2026-03-02")
    w.do("acceptClaim", on="2026-03-05")
    w.do("applyArticle75", on="2026-03-10", isArticle75=True)
    w.at_phase("LiabilityDecision", COMP)
    assert w.state.article75 is True
    assert w.deadline == DeadlineSpec(TimerKind.LIABILITY, anchor=d("2026-03-02"), business_days=30)
    assert w.last_day == d("2026-04-15")  # not 23 April (30 bd from the decision on 10 March)
    assert w.fires_at == midnight("2026-04-16")

    no_reasons = insurer_response_example("RTA", "N")
    del no_reasons["liabilityCausation"]["unadmittedLiabilityReasons"]
    refused = w.refuse("sendLiabilityDecision", "SCHEMA_INVALID", insurerResponse=no_reasons)
    assert refused.details[0].field == "insurerResponse.liabilityCausation.unadmittedLiabilityReasons"
    w.refuse("sendLiabilityDecision", "SCHEMA_INVALID", liabilityDecision="Y")
    w.do("sendLiabilityDecision", liabilityDecision="N", reasonsForDenial="Our insured was not there")
    w.at_phase("LiabilityNotAdmitted", CR)
    w.do("acknowledgeDeniedLiability")
    w.at_phase("LiabilityNotAdmittedEnd", None)


@path()
def test_a_liability_timeout_fires_from_every_stage_1_compensator_phase() -> None:
    rta = Walk("RTA", on="2026-03-02")
    rta.timeout()
    assert rta.now == midnight("2026-03-24")
    rta.at_phase("LiabilityDecisionTimeout", CR)
    rta.do("acknowledgeLiabilityDecisionTimeout")
    rta.at_phase("LiabilityDecisionTimeoutEnd", None)

    Walk("RTA").do("acceptClaim").timeout().at_phase("LiabilityDecisionTimeout", CR)
    accepted = Walk("RTA").do("acceptClaim").do("applyArticle75", isArticle75=False)
    accepted.timeout().at_phase("LiabilityDecisionTimeout", CR)

    el = Walk("EL", on="2026-03-02")
    el.timeout()
    assert el.now == midnight("2026-04-17")
    el.at_phase("LiabilityDecisionTimeout", CR)
    el.refuse("acknowledgeLiabilityDecisionTimeout", "WRONG_SIDE", side=COMP)
    el.do("acknowledgeLiabilityDecisionTimeout")
    el.at_phase("LiabilityDecisionTimeoutEnd", None)
    Walk("EL").do("acknowledgeClaim").timeout().at_phase("LiabilityDecisionTimeout", CR)
    Walk("PL").do("acknowledgeClaim").do("acceptClaim").timeout().at_phase("LiabilityDecisionTimeout", CR)


@path("RTA", "EL")
def test_liability_admitted_with_negligence_or_denied_ends_after_the_claimants_acknowledgement(
    claim_type: str,
) -> None:
    negligence = liability_decision(claim_type)
    negligence.do("sendLiabilityDecision", liabilityDecision="AN")
    negligence.at_phase("LiabilityAdmittedWithNegligence", CR)
    negligence.refuse("acknowledgeLiabilityAdmittedWithNeg", "WRONG_SIDE", side=COMP)
    negligence.do("acknowledgeLiabilityAdmittedWithNeg")
    negligence.at_phase("LiabilityAdmittedWithNegligenceEnd", None)

    denied = liability_decision(claim_type)
    denied.do("sendLiabilityDecision", liabilityDecision="N", reasonsForDenial="No accident took place")
    denied.at_phase("LiabilityNotAdmitted", CR)
    denied.do("acknowledgeDeniedLiability")
    denied.at_phase("LiabilityNotAdmittedEnd", None)


def test_liability_periods_over_christmas_2026() -> None:
    rta = Walk("RTA", on="2026-12-18")  # Friday
    # 21-24 Dec, (25 Dec, 28 Dec in lieu of Boxing Day), 29-31 Dec, (1 Jan), 4-8 Jan, 11-13 Jan
    assert rta.last_day == d("2027-01-13")
    assert rta.fires_at == midnight("2027-01-14")
    mib = Walk("RTA", on="2026-12-18", insurer="M")
    assert mib.last_day == d("2027-02-03")


@path()
def test_rejection_and_resend_restart_the_liability_timer_from_the_new_sending_date() -> None:
    w = Walk("RTA", on="2026-03-02")
    assert w.last_day == d("2026-03-23")
    w.refuse("rejectClaimToCR", "BUSINESS_RULE", rejectionReasonCode="3")
    w.refuse("rejectClaimToCR", "SCHEMA_INVALID")
    w.refuse("rejectClaimToCR", "WRONG_SIDE", side=CR, rejectionReasonCode="0")
    w.do("rejectClaimToCR", on="2026-03-04", rejectionReasonCode="2")
    w.at_phase("AcknowledgeRejectedClaim", CR)
    w.refuse("resendRejectedClaim", "WRONG_PHASE", cnf=cnf())

    w.do("acknowledgeRejectedClaim")
    w.at_phase("ClaimsRejectedToCR", CR)
    refused = w.refuse("resendRejectedClaim", "SCHEMA_INVALID", cnf={"claimant": {"surname": "Smith"}})
    assert "cnf.applicationData" in {detail.field for detail in refused.details}
    w.do("resendRejectedClaim", on="2026-03-31", cnf=cnf(), compensator="/COMP00002")
    w.at_phase("ClaimSubmitted", COMP)
    assert w.state.sent_on == d("2026-03-31")
    assert w.deadline == DeadlineSpec(TimerKind.LIABILITY, anchor=d("2026-03-31"), business_days=15)
    assert w.last_day == d("2026-04-23")  # 15 bd from Tuesday 31 March, over Easter
    assert w.fires_at == midnight("2026-04-24")
    w.do("acceptClaim")
    w.at_phase("Article75Decision", COMP)


@path()
def test_an_el_claim_resent_after_rejection_waits_for_acknowledgement_again() -> None:
    w = Walk("EL", on="2026-03-02")
    w.do("acknowledgeClaim", on="2026-03-03")
    w.refuse("rejectClaimToCR", "BUSINESS_RULE", rejectionReasonCode="2")  # AskCUE reason: RTA only
    w.do("rejectClaimToCR", rejectionReasonCode="1")
    w.do("acknowledgeRejectedClaim")
    w.do("resendRejectedClaim", on="2026-03-31", cnf=cnf("EL"))
    w.at_phase("ClaimAcknowledgement", COMP)
    assert w.state.acknowledged_on is None
    assert w.last_day == d("2026-05-18")  # 1 + 30 bd from 31 March, over Easter and 4 May


@path("RTA", "PL")
def test_an_abandoned_rejected_claim_ends(claim_type: str) -> None:
    w = Walk(claim_type)
    if claim_type != "RTA":
        w.do("acknowledgeClaim")
    w.do("rejectClaimToCR", rejectionReasonCode="0")
    w.do("acknowledgeRejectedClaim")
    w.do("exitRejectedClaim")
    w.at_phase("ExitRejectedClaim", None)
    assert w.terminal


@path()
def test_reassignment_keeps_the_phase_and_the_liability_timer_and_is_over_once_accepted() -> None:
    w = Walk("RTA", on="2026-03-02")
    before = w.deadline
    w.do("reassignToAnotherCM", on="2026-03-10", organisationPath="/COMP00002")
    w.at_phase("ClaimSubmitted", COMP)
    assert w.deadline == before
    w.refuse("reassignToAnotherCM", "SCHEMA_INVALID", organisationPath="COMP00002")
    w.refuse("reassignToAnotherCM", "WRONG_SIDE", side=CR, organisationPath="/COMP00002")
    w.do("acceptClaim")
    w.refuse("reassignToAnotherCM", "WRONG_PHASE", organisationPath="/COMP00002")
    w.refuse("rejectClaimToCR", "WRONG_PHASE", rejectionReasonCode="0")

    el = Walk("EL")
    el.do("reassignToAnotherCM", organisationPath="/COMP00002")
    el.at_phase("ClaimAcknowledgement", COMP)


@path()
def test_fraud_can_be_stated_in_every_stage_1_compensator_phase_and_ends_after_acknowledgement() -> None:
    walks = [
        Walk("RTA"),
        Walk("RTA").do("acceptClaim"),
        Walk("RTA").do("acceptClaim").do("applyArticle75", isArticle75=True),
        Walk("EL"),
        Walk("EL").do("acknowledgeClaim"),
        Walk("PL").do("acknowledgeClaim").do("acceptClaim"),
    ]
    assert {w.phase for w in walks} == {
        "ClaimSubmitted",
        "Article75Decision",
        "LiabilityDecision",
        "ClaimAcknowledgement",
    }
    for w in walks:
        w.refuse("stateFraud", "SCHEMA_INVALID", reasonCode="1", reasonDescription="Staged")
        w.do("stateFraud", reasonCode="0", reasonDescription="Staged accident")
        w.at_phase("FraudStated", CR)
        w.do("acknowledgeFraudStated")
        w.at_phase("FraudStatedEnd", None)
    admitted().refuse("stateFraud", "WRONG_PHASE", side=COMP, reasonCode="0", reasonDescription="Late")


@path()
def test_an_el_claim_is_acknowledged_first_and_its_liability_period_counts_from_the_next_day() -> None:
    w = Walk("EL", on="2026-03-02")
    w.at_phase("ClaimAcknowledgement", COMP)
    assert w.deadline == DeadlineSpec(TimerKind.LIABILITY, anchor=d("2026-03-02"), business_days=31)
    assert w.last_day == d("2026-04-16")  # 1 + 30 bd, over Easter
    assert w.fires_at == midnight("2026-04-17")
    w.refuse("acceptClaim", "WRONG_PHASE")
    w.refuse("acknowledgeClaim", "WRONG_SIDE", side=CR)
    w.refuse("acknowledgeClaim", "SCHEMA_INVALID", note="seen")
    w.refuse("applyArticle75", "NOT_FOUND", isArticle75=True)

    w.do("acknowledgeClaim", on="2026-03-03")  # the day it is due
    w.at_phase("ClaimSubmitted", COMP)
    assert w.state.acknowledged_on == d("2026-03-03")
    assert w.last_day == d("2026-04-16")
    w.do("acceptClaim")
    w.at_phase("LiabilityDecision", COMP)
    assert w.last_day == d("2026-04-16")
    w.do("sendLiabilityDecision", liabilityDecision="A")
    w.at_phase("LiabilityAdmitted", CR)


def test_eld_has_the_el_period_and_pl_has_40_days() -> None:
    assert Walk("ELD", on="2026-03-02").last_day == d("2026-04-16")
    pl = Walk("PL", on="2026-03-02")
    assert pl.last_day == d("2026-04-30")  # 1 + 40 bd
    assert pl.fires_at == midnight("2026-05-01")


def test_an_acknowledgement_earlier_than_due_starts_the_period_that_day() -> None:
    same_day = Walk("PL", on="2026-03-02").do("acknowledgeClaim", on="2026-03-02", hour=15)
    assert same_day.deadline == DeadlineSpec(TimerKind.LIABILITY, anchor=d("2026-03-02"), business_days=40)
    assert same_day.last_day == d("2026-04-29")
    late = Walk("PL", on="2026-03-02").do("acknowledgeClaim", on="2026-03-10")
    assert late.last_day == d("2026-04-30"), "a late acknowledgement does not extend the period"


@path()
def test_a_child_at_the_liability_decision_is_admitted_for_child_and_gets_no_interim_payment() -> None:
    for claim_type in ("RTA", "EL"):
        w = Walk(claim_type, dob=CHILD)
        if claim_type == "EL":
            w.do("acknowledgeClaim")
        w.do("acceptClaim")
        if claim_type == "RTA":
            w.do("applyArticle75", isArticle75=False)
        w.do("sendLiabilityDecision", liabilityDecision="A")
        w.at_phase("LiabilityAdmittedForChild", CR)
        assert w.state.child_at == {"stage1Response": True}
        w.refuse("acknowledgeLiabilityAdmitted", "WRONG_PHASE")
        w.do("acknowledgeLiabilityAdmittedForChild")
        w.at_phase("StartOfStage21", CR)
        refused = w.refuse("setInterimPaymentNeeded", "BUSINESS_RULE", isInterimPaymentNeeded=True)
        assert refused.details[0].field == "isInterimPaymentNeeded"
        w.do("setInterimPaymentNeeded", isInterimPaymentNeeded=False)
        w.at_phase("Stage2SettlementPackForm", CR)


def test_child_status_is_taken_on_the_day_of_the_decision() -> None:
    turns_18_on_10_march = date(2008, 3, 10)
    before = Walk("RTA", on="2026-03-02", dob=turns_18_on_10_march).do("acceptClaim")
    before.do("applyArticle75", isArticle75=False)
    after = Walk("RTA", on="2026-03-02", dob=turns_18_on_10_march).do("acceptClaim")
    after.do("applyArticle75", isArticle75=False)
    before.do("sendLiabilityDecision", on="2026-03-09", hour=23, liabilityDecision="A")
    after.do("sendLiabilityDecision", on="2026-03-10", hour=0, liabilityDecision="A")
    assert before.phase == "LiabilityAdmittedForChild"
    assert after.phase == "LiabilityAdmitted"
    declared = Walk("EL", dob=None, child=True).do("acknowledgeClaim").do("acceptClaim")
    declared.do("sendLiabilityDecision", liabilityDecision="A")
    assert declared.phase == "LiabilityAdmittedForChild", "a child claim as declared on the CNF"


@path()
def test_stage_1_fixed_costs_are_recorded_without_changing_the_phase_rta_only() -> None:
    w = Walk("RTA").do("acceptClaim").do("applyArticle75", isArticle75=False)
    w.refuse("setStage1Payment", "WRONG_PHASE", side=CR, isStage1Paid=True)
    w.do("sendLiabilityDecision", liabilityDecision="A")
    w.do("setStage1Payment", isStage1Paid=True)
    w.at_phase("LiabilityAdmitted", CR)
    assert w.state.stage1_paid is True
    w.refuse("setStage1Payment", "WRONG_SIDE", side=COMP, isStage1Paid=False)
    n = negotiating()
    before = n.deadline
    n.do("setStage1Payment", isStage1Paid=False)
    n.at_phase("Stage2SettlementPackCounterOfferDecision", CR)
    assert n.deadline == before and n.state.stage1_paid is False
    admitted("EL").refuse("setStage1Payment", "NOT_FOUND", isStage1Paid=True)


# --------------------------------------------------------------------------------------------------
# Stage 2.1: interim settlement packs
# --------------------------------------------------------------------------------------------------


@path("RTA", "EL")
def test_an_interim_request_of_exactly_1000_has_10_business_days_and_cannot_be_extended(
    claim_type: str,
) -> None:
    w = interim_form(claim_type)
    w.refuse("addInterimSPFRequest", "BUSINESS_RULE", amountRequested="999.99")
    w.refuse("addInterimSPFRequest", "SCHEMA_INVALID", amountRequested="1000.001")
    w.refuse("addInterimSPFRequest", "BUSINESS_RULE", amountRequested="0")
    w.refuse("addInterimSPFRequest", "SCHEMA_INVALID", amountRequested="-1000.00")
    w.do("addInterimSPFRequest", on="2026-03-30", amountRequested="1000.00")
    w.at_phase("InterimPaymentDecision", COMP)
    assert w.deadline == DeadlineSpec(TimerKind.INTERIM_DECISION, anchor=d("2026-03-30"), business_days=10)
    assert w.last_day == d("2026-04-15")  # over Easter
    assert w.fires_at == midnight("2026-04-16")
    w.refuse("extendInterimPaymentDecisionTimeout", "BUSINESS_RULE")
    w.refuse("addInterimSPFResponse", "BUSINESS_RULE", amountOffered="1000.01")

    w.do("addInterimSPFResponse", on="2026-04-01", amountOffered="1000.00")
    w.at_phase("WaitingForInterimPayment", CR)
    assert w.state.interim_payment_due_on == d("2026-04-16")
    w.refuse("setStage21Payment", "BUSINESS_RULE", on="2026-04-15", hour=23, isStage21Paid=False)
    w.do("setStage21Payment", isStage21Paid=True)
    w.at_phase("StartOfStage21", CR)

    w.do("setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    w.do("addInterimSPFRequest", on="2026-04-20", amountRequested="2000.00")
    assert w.state.interim_count == 2
    assert w.state.interim_offered is None and w.state.interim_payment_due_on is None


@path("RTA", "EL")
def test_an_interim_request_above_1000_has_15_days_and_one_extension_to_30_days_from_sending(
    claim_type: str,
) -> None:
    w = interim_form(claim_type)
    w.do("addInterimSPFRequest", on="2026-03-30", amountRequested="1000.01")
    assert w.last_day == d("2026-04-22")
    assert w.fires_at == midnight("2026-04-23")
    w.refuse("extendInterimPaymentDecisionTimeout", "WRONG_SIDE", side=CR)
    w.do("extendInterimPaymentDecisionTimeout", on="2026-04-21")
    w.at_phase("InterimPaymentDecision", COMP)
    assert w.state.interim_extension_used
    assert w.deadline == DeadlineSpec(TimerKind.INTERIM_DECISION, anchor=d("2026-03-30"), business_days=30)
    assert w.last_day == d("2026-05-14")  # from the date the pack was sent, over Easter and 4 May
    assert w.fires_at == midnight("2026-05-15")
    w.refuse("extendInterimPaymentDecisionTimeout", "BUSINESS_RULE")

    w.timeout()
    assert w.now == midnight("2026-05-15")
    w.at_phase("InterimPaymentDecisionTimeout", CR)
    w.do("returnToStartOfStage21", on="2026-05-15")
    w.at_phase("StartOfStage21", CR)

    w.do("setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    w.do("addInterimSPFRequest", amountRequested="1500.00")
    assert not w.current_state().interim_extension_used, "each new pack may be extended once"
    w.do("extendInterimPaymentDecisionTimeout")
    w.timeout()
    w.do("acknowledgeInterimPaymentDecisionTimeout")
    w.at_phase("Stage2SettlementPackForm", CR)


def test_interim_periods_over_christmas_2026() -> None:
    low = interim_form(on="2026-12-01").do("addInterimSPFRequest", on="2026-12-14", amountRequested="1000")
    assert low.last_day == d("2026-12-30")
    high = interim_form(on="2026-12-01").do("addInterimSPFRequest", on="2026-12-14", amountRequested="2500")
    assert high.last_day == d("2027-01-07")
    high.do("extendInterimPaymentDecisionTimeout", on="2027-01-06")
    assert high.last_day == d("2027-01-28")
    assert high.fires_at == midnight("2027-01-29")


@path("RTA", "EL")
def test_a_rejected_interim_pack_returns_to_the_start_of_stage_2_1(claim_type: str) -> None:
    w = interim_form(claim_type)
    w.do("addInterimSPFRequest", amountRequested="1200.00")
    w.refuse("rejectInterimSettlementPack", "SCHEMA_INVALID", rejectionComment="   ")
    w.do("rejectInterimSettlementPack", rejectionComment="Waiting for the CRU certificate")
    w.at_phase("InterimSettlementPackRejected", CR)
    w.do("acknowledgeRejectedInterimSettlementPack")
    w.at_phase("StartOfStage21", CR)


@path("RTA", "EL")
def test_an_accepted_partial_interim_offer_is_paid_and_returns_to_the_start_of_stage_2_1(
    claim_type: str,
) -> None:
    w = interim_form(claim_type)
    w.do("addInterimSPFRequest", on="2026-03-30", amountRequested="1500.00")
    w.do("addInterimSPFResponse", on="2026-04-01", amountOffered="600.00")
    w.at_phase("AcceptanceOfPartialInterimPayment", CR)
    assert w.state.interim_offered == 600
    assert w.state.interim_payment_due_on == d("2026-04-23")
    w.do("acceptPartialInterimPayment", isPartialInterimPaymentAccepted=True)
    w.at_phase("DecisionOfPartialInterimPayment", COMP)
    w.refuse("acknowledgePartialPaymentDecision", "WRONG_SIDE", side=CR)
    w.do("acknowledgePartialPaymentDecision")
    w.at_phase("WaitingForInterimPayment", CR)
    w.do("setStage21Payment", isStage21Paid=True)
    w.at_phase("StartOfStage21", CR)


@path("RTA", "EL")
def test_a_refused_partial_interim_offer_leaves_the_process_once_the_payment_is_received(
    claim_type: str,
) -> None:
    w = interim_form(claim_type)
    w.do("addInterimSPFRequest", amountRequested="1500.00")
    w.do("addInterimSPFResponse", amountOffered="1499.99")
    w.do("acceptPartialInterimPayment", isPartialInterimPaymentAccepted=False)
    assert w.state.interim_partial_refused
    w.do("acknowledgePartialPaymentDecision")
    w.do("setStage21Payment", isStage21Paid=True)
    w.at_phase("ExitProcess", COMP)
    assert (w.state.exit_side, w.state.exit_code) == (CR, None)
    w.refuse("acknowledgeExitProcess", "WRONG_SIDE", side=CR)
    w.do("acknowledgeExitProcess", side=COMP)
    w.at_phase("ExitProcessEnd", None)


@path("RTA", "EL")
def test_payment_not_received_is_only_accepted_after_the_due_date_and_exits_with_code_12(
    claim_type: str,
) -> None:
    w = interim_form(claim_type)
    w.do("addInterimSPFRequest", on="2026-03-30", amountRequested="1000.00")
    w.do("addInterimSPFResponse", on="2026-04-15", amountOffered="1000.00")
    assert w.state.interim_payment_due_on == d("2026-04-16")
    w.refuse("setStage21Payment", "BUSINESS_RULE", on="2026-04-15", hour=23, minute=59, isStage21Paid=False)
    w.do("setStage21Payment", on="2026-04-16", hour=0, isStage21Paid=False)
    w.at_phase("ExitProcess", COMP)
    assert (w.state.exit_side, w.state.exit_code) == (CR, "12")
    w.do("acknowledgeExitProcess")
    w.at_phase("ExitProcessEnd", None)


def test_an_extended_interim_decision_moves_the_payment_due_date_with_it() -> None:
    w = interim_form()
    w.do("addInterimSPFRequest", on="2026-03-30", amountRequested="3000.00")
    w.do("extendInterimPaymentDecisionTimeout", on="2026-04-20")
    w.do("addInterimSPFResponse", on="2026-05-01", amountOffered="3000.00")
    assert w.state.interim_payment_due_on == d("2026-05-15")
    w.refuse("setStage21Payment", "BUSINESS_RULE", on="2026-05-14", isStage21Paid=False)


# --------------------------------------------------------------------------------------------------
# Stage 2: the settlement pack and the negotiation
# --------------------------------------------------------------------------------------------------


@path("RTA", "PL")
def test_the_stage_2_pack_has_15_days_and_a_confirmation_settles_an_adult_claim(claim_type: str) -> None:
    w = stage2_sent(claim_type, on="2026-03-02")
    w.at_phase("Stage2SettlementPackDecision", COMP)
    assert w.deadline == DeadlineSpec(
        TimerKind.STAGE2_CONSIDERATION, anchor=d("2026-03-02"), business_days=15
    )
    assert w.last_day == d("2026-03-23")
    assert w.fires_at == midnight("2026-03-24")
    assert w.state.child_at["stage2Request"] is False
    w.refuse("addStage2SPFResponse", "SCHEMA_INVALID", settlementPackDecision="A")
    w.do("addStage2SPFResponse", settlementPackDecision="C")
    w.at_phase("Stage2SettlementPackConfirmation", CR)
    w.do("acknowledgeStage2SPFConfirmation")
    w.at_phase("Stage2SettlementPackConfirmationEnd", None)
    assert w.state.original_damages_agreed is True


@path("RTA", "PL")
def test_a_repudiation_or_a_decision_timeout_ends_the_claim_after_acknowledgement(claim_type: str) -> None:
    r = stage2_sent(claim_type)
    r.do("addStage2SPFResponse", settlementPackDecision="R")
    r.at_phase("Stage2SettlementPackRepudiation", CR)
    r.do("acknowledgeStage2SPFRepudiation")
    r.at_phase("Stage2SettlementPackRepudiationEnd", None)

    t = stage2_sent(claim_type, on="2026-03-02")
    t.timeout()
    assert t.now == midnight("2026-03-24")
    t.at_phase("Stage2SettlementPackDecisionTimeout", CR)
    t.do("acknowledgeStage2SPFDecisionTimeout")
    t.at_phase("Stage2SettlementPackDecisionTimeoutEnd", None)


@path("RTA", "EL")
def test_the_initial_consideration_period_is_extended_only_to_a_later_agreed_date(claim_type: str) -> None:
    w = stage2_sent(claim_type, on="2026-03-02")
    w.refuse(
        "extendStage2SPFDecisionTimeout",
        "WRONG_SIDE",
        side=CR,
        newTimeOut="2026-04-01",
        reasonForExtension="1",
    )
    w.refuse(
        "extendStage2SPFDecisionTimeout", "SCHEMA_INVALID", newTimeOut="2026-04-01", reasonForExtension="3"
    )
    w.refuse(
        "extendStage2SPFDecisionTimeout", "BUSINESS_RULE", newTimeOut="2026-03-24", reasonForExtension="1"
    )
    past = w.refuse(
        "extendStage2SPFDecisionTimeout", "BUSINESS_RULE", newTimeOut="2026-03-01", reasonForExtension="1"
    )
    assert past.details[0].message == "must be a date after today"
    w.do("extendStage2SPFDecisionTimeout", on="2026-03-10", newTimeOut="2026-04-01", reasonForExtension="1")
    w.at_phase("Stage2SettlementPackDecision", COMP)
    assert w.deadline == DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, fixed_date=d("2026-04-01"))
    assert w.last_day == d("2026-03-31")
    assert w.fires_at == midnight("2026-04-01"), "the agreed date is the day the claim times out"
    w.timeout()
    w.at_phase("Stage2SettlementPackDecisionTimeout", CR)


def test_a_counter_offer_after_an_extended_initial_period_gets_20_days_of_negotiation_after_it() -> None:
    w = stage2_sent(on="2026-03-02")
    w.do("extendStage2SPFDecisionTimeout", on="2026-03-20", newTimeOut="2026-05-01", reasonForExtension="1")
    assert w.last_day == d("2026-04-30")
    w.do("addStage2SPFResponse", on="2026-04-28", settlementPackDecision="CO")
    w.at_phase("Stage2SettlementPackCounterOfferDecision", CR)
    # 35 bd from the pack (22 April) would already have passed; the 20 bd of negotiation follow the
    # extended initial period: 1 May, (4 May), 5-22 May, (25 May), 26 May - 1 June.
    assert w.last_day == d("2026-06-01")
    assert w.fires_at > w.now


@path("RTA", "EL")
def test_a_counter_offer_moves_the_time_limit_to_the_35_day_total_consideration_period(
    claim_type: str,
) -> None:
    w = negotiating(claim_type)  # pack Monday 2 March, counter offer Friday 20 March
    w.at_phase("Stage2SettlementPackCounterOfferDecision", CR)
    assert w.deadline == DeadlineSpec(
        TimerKind.STAGE2_CONSIDERATION, anchor=d("2026-03-02"), business_days=35
    )
    assert w.last_day == d("2026-04-22")  # over Easter
    assert w.fires_at == midnight("2026-04-23")
    assert w.state.last_offer_by is COMP

    w.do("setStage2SPFCounterOfferNeeded", on="2026-04-15", isStage2SPFCounterOfferNeeded=True)
    w.at_phase("Stage2SettlementPackCounterOfferCR", CR)
    assert w.last_day == d("2026-04-22")
    w.do("addStage2SPFCounterOfferByCR", on="2026-04-15", hour=23, generalDamages="3400.00")
    w.at_phase("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert not w.state.further_consideration_applied, "15 April is before the last 5 bd (16-22 April)"
    assert w.last_day == d("2026-04-22")
    assert w.state.last_offer_by is CR

    w.do("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="ACO")
    w.at_phase("Stage2SettlementPackConfirmation", CR)
    w.do("acknowledgeStage2SPFConfirmation")
    w.at_phase("Stage2SettlementPackConfirmationEnd", None)


@path("RTA", "PL")
def test_a_compensator_offer_in_the_last_5_days_adds_5_days_once_and_the_claimant_may_only_accept_or_decline(
    claim_type: str,
) -> None:
    w = negotiating(claim_type)
    w.do("setStage2SPFCounterOfferNeeded", on="2026-04-14", isStage2SPFCounterOfferNeeded=True)
    w.do("addStage2SPFCounterOfferByCR", on="2026-04-14")
    assert w.last_day == d("2026-04-22")
    w.do("addStage2SPFCounterOfferByCM", on="2026-04-16", hour=0, settlementPackCounterOfferDecision="NEWCO")
    w.at_phase("Stage2SettlementPackCounterOfferDecision", CR)
    assert w.state.further_consideration_applied
    assert w.deadline is not None and w.deadline.further_days == 5
    assert w.last_day == d("2026-04-29")  # 23, 24, 27, 28, 29 April
    assert w.fires_at == midnight("2026-04-30")

    refused = w.refuse("setStage2SPFCounterOfferNeeded", "BUSINESS_RULE", isStage2SPFCounterOfferNeeded=True)
    assert refused.details[0].field == "isStage2SPFCounterOfferNeeded"
    w.refuse(
        "extendStage2SPFCounterOfferTimeout", "BUSINESS_RULE", newTimeOut="2026-05-15", reasonForExtension="1"
    )
    w.do("setStage2SPFCounterOfferNeeded", on="2026-04-29", isStage2SPFCounterOfferNeeded=False)
    w.at_phase("Stage2SettlementPackAgreementDecision", CR)
    w.refuse("setStage2SPFAgreementDecision", "WRONG_SIDE", side=COMP, isAgreed=True)
    w.do("setStage2SPFAgreementDecision", isAgreed=True)
    w.at_phase("Stage2SettlementPackAgreedCR", COMP)
    w.do("acknowledgeStage2SPFAgreed")
    w.at_phase("Stage2SettlementPackAgreedEnd", None)
    assert w.state.original_damages_agreed is True


@path("RTA", "EL")
def test_a_claimant_offer_on_the_last_day_leaves_the_compensator_only_accept_or_decline(
    claim_type: str,
) -> None:
    w = negotiating(claim_type)
    w.do("setStage2SPFCounterOfferNeeded", on="2026-04-22", isStage2SPFCounterOfferNeeded=True)
    w.do("addStage2SPFCounterOfferByCR", on="2026-04-22", hour=23, minute=59)
    w.at_phase("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert w.last_day == d("2026-04-29")
    w.refuse("addStage2SPFCounterOfferByCM", "BUSINESS_RULE", settlementPackCounterOfferDecision="NEWCO")
    w.refuse(
        "extendStage2SPFDecisionTimeout", "BUSINESS_RULE", newTimeOut="2026-05-15", reasonForExtension="1"
    )
    w.refuse(
        "extendStage2SPFCounterOfferTimeout", "BUSINESS_RULE", newTimeOut="2026-05-15", reasonForExtension="2"
    )
    w.refuse("setStage2SPFAgreementDecision", "WRONG_SIDE", side=CR, isAgreed=True)
    w.do("setStage2SPFAgreementDecision", on="2026-04-29", isAgreed=False)
    w.at_phase("Stage2SettlementPackNotAgreed", CR)
    w.do("acknowledgeStage2SPFNotAgreed")
    w.at_phase(no_agreement_phase(claim_type), CR)
    assert w.state.original_damages_agreed is False

    accepted = negotiating(claim_type)
    accepted.do("setStage2SPFCounterOfferNeeded", on="2026-04-20", isStage2SPFCounterOfferNeeded=True)
    accepted.do("addStage2SPFCounterOfferByCR")
    accepted.do("setStage2SPFAgreementDecision", isAgreed=True)
    accepted.at_phase("Stage2SettlementPackConfirmation", CR)
    accepted.do("acknowledgeStage2SPFConfirmation")
    accepted.at_phase("Stage2SettlementPackConfirmationEnd", None)


def test_the_compensator_answers_with_a_counter_offer_outside_the_further_consideration_period() -> None:
    w = negotiating()
    w.do("setStage2SPFCounterOfferNeeded", on="2026-04-01", isStage2SPFCounterOfferNeeded=True)
    w.do("addStage2SPFCounterOfferByCR")
    refused = w.refuse("setStage2SPFAgreementDecision", "BUSINESS_RULE", isAgreed=True)
    assert "addStage2SPFCounterOfferByCM" in refused.message
    w.do("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO")
    assert w.last_day == d("2026-04-22") and not w.state.further_consideration_applied


def test_the_further_consideration_days_are_added_only_once() -> None:
    w = negotiating().do(
        "setStage2SPFCounterOfferNeeded", on="2026-04-16", isStage2SPFCounterOfferNeeded=True
    )
    w.do("addStage2SPFCounterOfferByCR")
    assert w.deadline is not None and w.deadline.further_days == 5
    # Even an offer in the last 5 days of the further period itself (which the guards do not let
    # the parties make) would not add another 5 days.
    w.jump("Stage2SettlementPackCounterOfferCR")
    w.deadline = DeadlineSpec(
        TimerKind.STAGE2_CONSIDERATION, anchor=d("2026-03-02"), business_days=35, further_days=5
    )
    w.do("addStage2SPFCounterOfferByCR", on="2026-04-29")
    assert w.deadline.further_days == 5
    assert w.last_day == d("2026-04-29")


def test_the_further_consideration_window_starts_on_the_fifth_business_day_before_the_end() -> None:
    early = negotiating().do(
        "setStage2SPFCounterOfferNeeded", on="2026-04-15", isStage2SPFCounterOfferNeeded=True
    )
    early.do("addStage2SPFCounterOfferByCR", on="2026-04-15", hour=23, minute=59)
    assert early.last_day == d("2026-04-22")
    late = negotiating().do(
        "setStage2SPFCounterOfferNeeded", on="2026-04-15", isStage2SPFCounterOfferNeeded=True
    )
    late.do("addStage2SPFCounterOfferByCR", on="2026-04-16", hour=0)
    assert late.last_day == d("2026-04-29")


@path("RTA", "PL")
def test_negotiation_timeouts_lead_to_the_agreement_decision_or_end_when_the_compensator_is_silent(
    claim_type: str,
) -> None:
    p35 = negotiating(claim_type)
    p35.timeout()
    assert p35.now == midnight("2026-04-23")
    p35.at_phase("Stage2SettlementPackAgreementDecision", CR)
    p35.do("setStage2SPFAgreementDecision", isAgreed=False)
    p35.at_phase(no_agreement_phase(claim_type), CR)

    p36 = negotiating(claim_type).do("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    p36.timeout().at_phase("Stage2SettlementPackAgreementDecision", CR)

    p37 = negotiating(claim_type).do(
        "setStage2SPFCounterOfferNeeded", on="2026-04-22", isStage2SPFCounterOfferNeeded=True
    )
    p37.do("addStage2SPFCounterOfferByCR")
    p37.timeout()
    assert p37.now == midnight("2026-04-30"), "the further consideration period counts"
    p37.at_phase("Stage2SettlementPackDecisionTimeout", CR)
    p37.do("acknowledgeStage2SPFDecisionTimeout")
    p37.at_phase("Stage2SettlementPackDecisionTimeoutEnd", None)


@path("RTA", "EL")
def test_negotiation_extensions_are_agreed_dates_set_by_the_side_whose_turn_it_is(claim_type: str) -> None:
    w = negotiating(claim_type)
    w.refuse(
        "extendStage2SPFCounterOfferTimeout",
        "WRONG_SIDE",
        side=COMP,
        newTimeOut="2026-05-08",
        reasonForExtension="1",
    )
    w.do("extendStage2SPFCounterOfferTimeout", newTimeOut="2026-05-08", reasonForExtension="2")
    w.at_phase("Stage2SettlementPackCounterOfferDecision", CR)
    assert w.last_day == d("2026-05-07")
    w.do("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    # The last 5 bd before Thursday 7 May are 30 April, 1, 5, 6 and 7 May (4 May is a bank holiday).
    w.do("addStage2SPFCounterOfferByCR", on="2026-04-30")
    w.at_phase("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert w.state.further_consideration_applied
    assert w.last_day == d("2026-05-14")  # 8, 11, 12, 13, 14 May

    cm = negotiating(claim_type).do("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    cm.do("addStage2SPFCounterOfferByCR", on="2026-04-01")
    cm.do("extendStage2SPFDecisionTimeout", newTimeOut="2026-05-01", reasonForExtension="1")
    cm.at_phase("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert cm.fires_at == midnight("2026-05-01")
    cm.do("extendStage2SPFCounterOfferTimeout", newTimeOut="2026-05-06", reasonForExtension="1")
    assert cm.fires_at == midnight("2026-05-06")
    cm.do("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO")
    cm.at_phase("Stage2SettlementPackCounterOfferDecision", CR)
    cm.do("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    cm.do("extendStage2SPFCounterOfferTimeout", newTimeOut="2026-05-20", reasonForExtension="1")
    cm.at_phase("Stage2SettlementPackCounterOfferCR", CR)
    assert cm.fires_at == midnight("2026-05-20")


@path("RTA", "PL")
def test_a_child_claim_never_settles_by_agreement(claim_type: str) -> None:
    next_phase = no_agreement_phase(claim_type)
    confirmed = stage2_sent(claim_type, dob=CHILD)
    assert confirmed.state.child_at["stage2Request"] is True
    confirmed.do("addStage2SPFResponse", settlementPackDecision="C")
    confirmed.do("acknowledgeStage2SPFConfirmation")
    confirmed.at_phase(next_phase, CR)
    assert confirmed.state.original_damages_agreed is True
    assert confirmed.state.child_at["stage2Agreement"] is True

    agreed = negotiating(claim_type, dob=CHILD)
    agreed.do("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=False)
    agreed.do("setStage2SPFAgreementDecision", isAgreed=True)
    agreed.at_phase("Stage2SettlementPackAgreedCR", COMP)
    agreed.do("acknowledgeStage2SPFAgreed")
    agreed.at_phase(next_phase, CR)
    assert agreed.state.original_damages_agreed is True

    not_agreed(claim_type).at_phase(next_phase, CR)


# --------------------------------------------------------------------------------------------------
# Additional damages (RTA only)
# --------------------------------------------------------------------------------------------------


@path()
def test_without_additional_damages_the_claim_goes_to_the_court_proceedings_pack() -> None:
    w = not_agreed("RTA")
    w.at_phase("StartS2SPAdditionalDamages", CR)
    w.do("setAdditionalDamagesExistence", additionalDamagesExist=False)
    w.at_phase("CourtProceedingsPackForm", CR)
    not_agreed("EL").refuse("setAdditionalDamagesExistence", "NOT_FOUND", additionalDamagesExist=True)


@path()
def test_additional_damages_have_15_days_and_an_agreement_on_them_alone_goes_to_the_court_pack() -> None:
    w = not_agreed("RTA")
    w.do("setAdditionalDamagesExistence", additionalDamagesExist=True)
    w.at_phase("S2SPAdditionalDamagesRequestForm", CR)
    w.do("addS2SPFAdditionalDamagesRequest", on="2026-12-14", hireCharges="1200.00")
    w.at_phase("AdditionalDamagesDecision", COMP)
    assert w.deadline == DeadlineSpec(
        TimerKind.ADDITIONAL_DAMAGES_DECISION, anchor=d("2026-12-14"), business_days=15
    )
    assert w.last_day == d("2027-01-07")  # over Christmas and New Year
    assert w.fires_at == midnight("2027-01-08")
    w.refuse("addS2SPFAdditionalDamagesResponse", "SCHEMA_INVALID", additionalDamagesDecision="N")
    w.do("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="A")
    w.at_phase("AllDamagesAgreed", CR)
    w.do("acknowledgeAllDamagesAgreed")
    w.at_phase("CourtProceedingsPackForm", CR)


def _child_in_additional_damages() -> Walk:
    """A claimant who turns 18 on 1 June 2026, a child when the original damages were agreed."""
    w = stage2_sent("RTA", dob=date(2008, 6, 1))
    w.do("addStage2SPFResponse", on="2026-03-10", settlementPackDecision="C")
    w.do("acknowledgeStage2SPFConfirmation")
    w.at_phase("StartS2SPAdditionalDamages", CR)
    w.do("setAdditionalDamagesExistence", additionalDamagesExist=True)
    w.do("addS2SPFAdditionalDamagesRequest", on="2026-05-11")
    assert w.last_day == d("2026-06-02")  # over the Spring bank holiday on 25 May
    return w


@path()
def test_all_damages_agreed_settles_only_when_the_claimant_is_an_adult() -> None:
    child = _child_in_additional_damages().do(
        "addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="A"
    )
    child.do("acknowledgeAllDamagesAgreed", on="2026-05-29")
    child.at_phase("CourtProceedingsPackForm", CR)
    assert child.state.child_at["stage2AgreementAD"] is True

    adult = _child_in_additional_damages().do(
        "addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="A"
    )
    adult.do("acknowledgeAllDamagesAgreed", on="2026-06-01", hour=0)
    adult.at_phase("Stage2SettlementPackAllDamagesAgreedEnd", None)
    assert adult.state.child_at["stage2AgreementAD"] is False


@path()
def test_additional_damages_counter_offer_outcomes() -> None:
    agreed = _child_in_additional_damages()
    agreed.do("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="CO")
    agreed.at_phase("AdditionalDamagesDecisionCR", CR)
    agreed.do("setS2SPFAdditionalDamagesDecision", isAgreed=True)
    agreed.at_phase("AdditionalDamagesAllAgreedCR", COMP)
    agreed.do("acknowledgeAdditionalDamagesAgreement", on="2026-06-01")
    agreed.at_phase("Stage2SettlementPackAllDamagesAgreedEnd", None)

    still_child = _child_in_additional_damages()
    still_child.do("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="CO")
    still_child.do("setS2SPFAdditionalDamagesDecision", isAgreed=True)
    still_child.do("acknowledgeAdditionalDamagesAgreement", on="2026-05-29")
    still_child.at_phase("CourtProceedingsPackForm", CR)

    original_open = not_agreed("RTA").do("setAdditionalDamagesExistence", additionalDamagesExist=True)
    original_open.do("addS2SPFAdditionalDamagesRequest")
    original_open.do("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="CO")
    original_open.do("setS2SPFAdditionalDamagesDecision", isAgreed=True)
    original_open.at_phase("AdditionalDamagesOriginalNotAgreed", COMP)
    original_open.refuse("acknowledgeAdditionalDamagesAgreement", "WRONG_SIDE", side=CR)
    original_open.do("acknowledgeAdditionalDamagesAgreement")
    original_open.at_phase("CourtProceedingsPackForm", CR)

    none_agreed = _child_in_additional_damages()
    none_agreed.do("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="CO")
    none_agreed.do("setS2SPFAdditionalDamagesDecision", isAgreed=False)
    none_agreed.at_phase("AdditionalDamagesNoDamagesAgreedCR", COMP)
    none_agreed.do("acknowledgeAdditionalDamagesAgreement", on="2026-06-01")
    none_agreed.at_phase("CourtProceedingsPackForm", CR)


@path()
def test_an_additional_damages_timeout_is_acknowledged_by_the_claimant_and_goes_to_the_court_pack() -> None:
    for acknowledgement in (
        "acknowledgeAdditionalDamagesDecisionTimeout",
        "acknowledgeAdditionalDamagesAgreement",
    ):
        w = _child_in_additional_damages()
        w.refuse(
            "extendAdditionalDamagesDecisionTimeout",
            "BUSINESS_RULE",
            newTimeOutDate="2026-06-03",
            reasonForExtension="1",
        )
        w.do("extendAdditionalDamagesDecisionTimeout", newTimeOutDate="2026-06-10", reasonForExtension="1")
        w.at_phase("AdditionalDamagesDecision", COMP)
        assert w.fires_at == midnight("2026-06-10")
        w.timeout()
        w.at_phase("AdditionalDamagesTimeout", CR)
        w.refuse(acknowledgement, "WRONG_SIDE", side=COMP)
        w.do(acknowledgement)
        w.at_phase("CourtProceedingsPackForm", CR)


# --------------------------------------------------------------------------------------------------
# Court proceedings pack
# --------------------------------------------------------------------------------------------------


@path("RTA", "ELD")
def test_the_court_proceedings_pack_has_a_5_day_response_and_then_ends_in_the_portal(claim_type: str) -> None:
    w = not_agreed(claim_type)
    if claim_type == "RTA":
        w.do("setAdditionalDamagesExistence", additionalDamagesExist=False)
    w.at_phase("CourtProceedingsPackForm", CR)
    w.do("addCPPFRequest", on="2026-12-21", claimantFinalOffer="3500.00")
    w.at_phase("CourtProceedingsPackFormResponse", COMP)
    assert w.state.court_pack_sent_on == d("2026-12-21")
    assert w.last_day == d("2026-12-30")  # 22, 23, 24, 29, 30 December
    assert w.fires_at == midnight("2026-12-31")
    w.refuse("exitProcess", "WRONG_PHASE", exitReasonCode="2", exitComment="Too late to leave")
    w.do("addCPPFResponse", finalOffer="3000.00")
    w.at_phase("EndOfStage2", CR)
    w.do("acknowledgeCPPFResponse")
    w.at_phase("EndOfStage2Acknowledged", None)

    silent = not_agreed(claim_type)
    if claim_type == "RTA":
        silent.do("setAdditionalDamagesExistence", additionalDamagesExist=False)
    silent.do("addCPPFRequest", on="2026-12-21")
    silent.timeout()
    assert silent.now == midnight("2026-12-31")
    silent.at_phase("EndOfStage2", CR)


# --------------------------------------------------------------------------------------------------
# Exits
# --------------------------------------------------------------------------------------------------

# WORKFLOW.md §9.2 (C24_ReasonForExitCR / C25_ReasonForExitCM), written out by hand.
EXIT_CODES_ALLOWED = {
    (ProtocolName.RTA, CR): {2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14},
    (ProtocolName.RTA, COMP): {1, 2, 3, 6, 7, 9, 10, 14},
    (ProtocolName.ELPL, CR): {2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15},
    (ProtocolName.ELPL, COMP): {1, 2, 3, 6, 7, 9, 10},
}

# The phases from which the side whose turn it is may exit (WORKFLOW.md §4.2 and the decisions in the
# generated docs: not in LiabilityAdmitted, not in acknowledgement-only phases, not while the
# compensator checks the court pack).
EXIT_PHASES = {
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
EXIT_PHASES_BY_PROTOCOL = {
    ProtocolName.RTA: EXIT_PHASES
    | {
        "Article75Decision",
        "StartS2SPAdditionalDamages",
        "S2SPAdditionalDamagesRequestForm",
        "AdditionalDamagesDecision",
        "AdditionalDamagesDecisionCR",
    },
    ProtocolName.ELPL: EXIT_PHASES | {"ClaimAcknowledgement"},
}


@pytest.mark.parametrize(
    ("claim_type", "phase"),
    [("RTA", p) for p in sorted(RTA.phases)] + [("EL", p) for p in sorted(ELPL.phases)],
)
def test_exit_is_allowed_exactly_in_the_exit_phases(claim_type: str, phase: str) -> None:
    w = Walk(claim_type).jump(phase, owner=Side.COMP if phase == "ExitProcess" else None)
    side = w.owner or CR
    if phase in EXIT_PHASES_BY_PROTOCOL[w.definition.name]:
        w.do("exitProcess", side=side, exitReasonCode="2", exitComment="Value below the lower limit")
        w.at_phase("ExitProcess", side.other)
        assert (w.state.exit_side, w.state.exit_code) == (side, "2")
    else:
        w.refuse("exitProcess", "WRONG_PHASE", side=side, exitReasonCode="2", exitComment="Below the limit")


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
@pytest.mark.parametrize("side", [CR, COMP])
@pytest.mark.parametrize("code", range(1, 17))
def test_exit_codes_by_side_and_protocol_and_code_1_only_before_the_liability_decision(
    claim_type: str, side: Side, code: int
) -> None:
    protocol = ClaimType(claim_type).protocol
    allowed = EXIT_CODES_ALLOWED[(protocol, side)]
    phases = ["LiabilityDecision", "InterimPaymentDecision"] if side is COMP else ["StartOfStage21"]
    for phase in phases:
        w = Walk(claim_type).jump(phase)
        payload: dict[str, Any] = {"exitReasonCode": str(code), "exitComment": "Leaving the process"}
        if code in allowed and (code != 1 or phase == "LiabilityDecision"):
            w.do("exitProcess", side=side, **payload)
            w.at_phase("ExitProcess", side.other)
        else:
            w.refuse("exitProcess", "BUSINESS_RULE", side=side, **payload)


@path()
def test_an_exit_is_acknowledged_only_by_the_other_side() -> None:
    w = Walk("RTA")
    w.refuse("exitProcess", "WRONG_SIDE", side=CR, exitReasonCode="5", exitComment="Withdrawn")
    w.refuse("exitProcess", "SCHEMA_INVALID", exitReasonCode="1")
    w.refuse("exitProcess", "SCHEMA_INVALID", exitReasonCode="one", exitComment="Incomplete")
    w.do("exitProcess", exitReasonCode="1", exitComment="CNF incomplete")
    w.at_phase("ExitProcess", CR)
    assert (w.state.exit_side, w.state.exit_code) == (COMP, "1")
    w.refuse("acknowledgeExitProcess", "WRONG_SIDE", side=COMP)
    w.do("acknowledgeExitProcess", side=CR)
    w.at_phase("ExitProcessEnd", None)

    cr_exit = admitted("PL")
    cr_exit.do("exitProcess", exitReasonCode="15", exitComment="EL/PL claimant reason")
    cr_exit.at_phase("ExitProcess", COMP)
    cr_exit.refuse("acknowledgeExitProcess", "WRONG_SIDE", side=CR)
    cr_exit.do("acknowledgeExitProcess", side=COMP)
    cr_exit.at_phase("ExitProcessEnd", None)


def test_no_exit_while_liability_is_admitted() -> None:
    w = Walk("RTA").do("acceptClaim").do("applyArticle75", isArticle75=False)
    w.do("sendLiabilityDecision", liabilityDecision="A")
    w.at_phase("LiabilityAdmitted", CR)
    for side, code in ((CR, "5"), (COMP, "2")):
        w.refuse("exitProcess", "WRONG_PHASE", side=side, exitReasonCode=code, exitComment="Leaving")


def test_code_1_is_refused_after_the_liability_decision_with_a_reason() -> None:
    w = stage2_sent()
    refused = w.refuse("exitProcess", "BUSINESS_RULE", exitReasonCode="1", exitComment="CNF incomplete")
    assert refused.details[0].field == "exitReasonCode"
    assert "before the liability decision" in refused.message


# --------------------------------------------------------------------------------------------------
# Refusals that hold everywhere
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim_type", "phase"),
    [("RTA", p) for p, ph in sorted(RTA.phases.items()) if ph.terminal]
    + [("PL", p) for p, ph in sorted(ELPL.phases.items()) if ph.terminal],
)
def test_a_terminal_phase_refuses_every_operation(claim_type: str, phase: str) -> None:
    w = Walk(claim_type).jump(phase)
    assert w.terminal and w.owner is None
    for name in sorted(w.definition.operation_names):
        for side in (CR, COMP):
            w.refuse(name, "WRONG_PHASE", side=side)


def test_unknown_operations_and_the_other_protocols_operations_are_not_found() -> None:
    Walk("RTA").refuse("noSuchOperation", "NOT_FOUND")
    Walk("RTA").refuse("acknowledgeClaim", "NOT_FOUND")
    for name in ("applyArticle75", "setStage1Payment", "setAdditionalDamagesExistence"):
        Walk("EL").refuse(name, "NOT_FOUND")


def test_a_refusal_reports_the_first_failing_check_in_order_phase_side_schema_rule() -> None:
    w = Walk("RTA")
    assert (
        w.refuse("sendLiabilityDecision", "WRONG_PHASE", side=CR, liabilityDecision="Q").code == "WRONG_PHASE"
    )
    w.refuse("acceptClaim", "WRONG_SIDE", side=CR, unexpected=True)
    w.refuse("rejectClaimToCR", "SCHEMA_INVALID", rejectionReasonCode="99")
    w.refuse("rejectClaimToCR", "BUSINESS_RULE", rejectionReasonCode="9")


# --------------------------------------------------------------------------------------------------
# Stage 2 forms: the heads claimed, and offers per head (forms/losses.py rules as the tables' guards)
# --------------------------------------------------------------------------------------------------

HEAD_11 = {"gross": "3500.00", "percent": "0.00", "interest": "0.00"}


def details(error: PortalError) -> dict[str, str]:
    return {d.field: d.message for d in error.details}


def test_the_interim_response_answers_each_head_requested_and_never_more() -> None:
    w = interim_form()
    w.do("addInterimSPFRequest", ispfRequest=interim_request_example("RTA"))
    assert w.state.interim_requested == Decimal("1550.00")
    assert w.state.interim_heads == {
        "5": {"gross": "350.00", "percent": "0.00"},
        "8": {"gross": "1200.00", "percent": "0.00"},
    }
    replies = "ispfResponse.defendantReplies.defendantResponse"
    wrong_head = w.refuse(
        "addInterimSPFResponse",
        "BUSINESS_RULE",
        ispfResponse=interim_response_example(
            "RTA", claimed={"5": {"gross": "350.00"}, "4": {"gross": "10.00"}}
        ),
    )
    assert details(wrong_head) == {
        f"{replies}.1.lossType": "loss type 4 (Fares) is not a head of the claim: answer only the heads claimed (5, 8)",
        replies: "loss type 8 (Loss of earnings (claimant)) is claimed but not answered: reply to every head claimed",
    }
    above = w.refuse(
        "addInterimSPFResponse",
        "BUSINESS_RULE",
        ispfResponse=interim_response_example("RTA", offered={"5": "350.01"}),
    )
    assert details(above) == {
        f"{replies}.0.grossValueOffered": "must not be more than the 350.00 claimed for loss type 5 (Medical expenses)"
    }
    w.do("addInterimSPFResponse", ispfResponse=interim_response_example("RTA", offered={"8": "1000.00"}))
    w.at_phase("AcceptanceOfPartialInterimPayment", CR)
    assert w.state.interim_offered == Decimal("1350.00")


def test_a_head_not_pursued_is_not_requested_nor_answered() -> None:
    w = interim_form("EL")
    request = interim_request_example("EL", heads={"8": {"gross": "1000.00"}, "5": {"gross": "400.00"}})
    request["claimantLosses"]["claimantLossesToDate"][1]["itemBeingPursued"] = "0"
    w.do("addInterimSPFRequest", ispfRequest=request)
    assert w.state.interim_requested == Decimal("1000.00") and set(w.state.interim_heads) == {"8"}
    w.do("addInterimSPFResponse", amountOffered="1000.00")
    w.at_phase("WaitingForInterimPayment", CR)


def test_the_first_response_confirms_the_claimants_figures_or_offers_no_more_per_head() -> None:
    w = stage2_sent()
    assert w.state.claimed_heads == {"11": HEAD_11}
    replies = "s2spfResponse.defendantReplies.currentDefendantResponse"
    lowered = {"11": {**HEAD_11, "gross": "3000.00"}}
    confirm = stage2_response_example("RTA", "C", claimed=lowered)
    refused = w.refuse("addStage2SPFResponse", "BUSINESS_RULE", s2spfResponse=confirm)
    assert details(refused) == {
        f"{replies}.0.grossValueClaimed": "must be the 3500.00 claimed for loss type 11 (General damages (PSLA)): C "
        "accepts the claimant's figures"
    }
    above = stage2_response_example("RTA", "CO", claimed={"11": HEAD_11}, offered={"11": "3500.01"})
    refused = w.refuse("addStage2SPFResponse", "BUSINESS_RULE", s2spfResponse=above)
    assert list(details(refused)) == [f"{replies}.0.grossValueClaimed"]
    none = stage2_response_example("RTA", "CO", claimed={})
    assert list(details(w.refuse("addStage2SPFResponse", "SCHEMA_INVALID", s2spfResponse=none))) == [replies]
    w.do("addStage2SPFResponse", s2spfResponse=stage2_response_example("RTA", "R", claimed={}))
    w.at_phase("Stage2SettlementPackRepudiation", CR)


def test_a_counter_offer_revises_the_claim_and_the_compensator_answers_the_revision() -> None:
    w = negotiating("PL").do("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    heads = "s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer"
    raised = w.refuse("addStage2SPFCounterOfferByCR", "BUSINESS_RULE", generalDamages="3500.01")
    assert details(raised) == {
        f"{heads}.0.grossValueClaimed": "must not be more than the 3500.00 claimed before for loss type 11 "
        "(General damages (PSLA)): a counter offer cannot raise a head"
    }
    added = counter_offer_by_cr_example("PL", heads={"11": HEAD_11, "5": {"gross": "10.00"}})
    assert list(
        details(w.refuse("addStage2SPFCounterOfferByCR", "BUSINESS_RULE", s2spfCounterOfferByCR=added))
    ) == [f"{heads}.1.lossType"]
    w.do("addStage2SPFCounterOfferByCR", generalDamages="3200.00")
    assert w.state.claimed_heads == {"11": {**HEAD_11, "gross": "3200.00"}}
    accept_old = counter_offer_by_cm_example("PL", "ACO", claimed={"11": HEAD_11})
    refused = w.refuse("addStage2SPFCounterOfferByCM", "BUSINESS_RULE", s2spfCounterOfferByCM=accept_old)
    assert details(refused) == {
        "s2spfCounterOfferByCM.defendantReplies.currentDefendantResponse.0.grossValueOffered": "must be the "
        "3200.00 claimed for loss type 11 (General damages (PSLA)): ACO accepts the claimant's figures"
    }
    w.do("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO", offer="3000.00")
    assert w.state.claimed_heads == {"11": {**HEAD_11, "gross": "3200.00"}}, (
        "the compensator's offer is not a claim"
    )
    w.at_phase("Stage2SettlementPackCounterOfferDecision", CR)


def test_additional_damages_add_a_loss_and_the_response_answers_every_head() -> None:
    w = not_agreed("RTA").do("setAdditionalDamagesExistence", additionalDamagesExist=True)
    nothing_new = additional_damages_request_example(heads={"11": HEAD_11})
    refused = w.refuse(
        "addS2SPFAdditionalDamagesRequest", "BUSINESS_RULE", additionalDamagesRequest=nothing_new
    )
    assert details(refused) == {
        "additionalDamagesRequest.claimantLosses.currentClaimantOffer": "must claim at least one loss type that "
        "the Stage 2 Settlement Pack did not claim (claimed: 11): additional damages are losses not claimed before"
    }
    w.do("addS2SPFAdditionalDamagesRequest", hireCharges="1200.00")
    assert set(w.state.claimed_heads) == {"11", "2"}
    partial = additional_damages_response_example("A", claimed={"2": w.state.claimed_heads["2"]})
    refused = w.refuse(
        "addS2SPFAdditionalDamagesResponse", "BUSINESS_RULE", additionalDamagesResponse=partial
    )
    assert details(refused) == {
        "additionalDamagesResponse.defendantReplies.currentDefendantResponse": "loss type 11 (General damages "
        "(PSLA)) is claimed but not answered: reply to every head claimed"
    }
    w.do("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="CO", offer="4000.00")
    w.at_phase("AdditionalDamagesDecisionCR", CR)


def test_the_court_pack_response_offers_no_more_than_the_last_offer_per_head() -> None:
    w = not_agreed("ELD")
    w.do("addCPPFRequest", claimantFinalOffer="3500.00")
    assert w.state.claimed_heads == {"11": {"gross": "3500.00", "percent": "0.00"}}
    refused = w.refuse("addCPPFResponse", "BUSINESS_RULE", offer="3600.00")
    assert details(refused) == {
        "cppfResponse.defendantReplies.lastDefendantResponse.0.grossValueOffered": "must not be more than the "
        "3500.00 claimed for loss type 11 (General damages (PSLA))"
    }
    w.do("addCPPFResponse", offer="2900.00", finalOffer="2900.00")
    w.at_phase("EndOfStage2", CR)


def test_packs_sent_before_the_heads_were_recorded_are_not_compared() -> None:
    w = Walk("RTA").jump("Stage2SettlementPackDecision", stage2_sent_on=d("2026-03-02"))
    w.deadline = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=d("2026-03-02"), business_days=15)
    w.do("addStage2SPFResponse", s2spfResponse=stage2_response_example("RTA", "CO"))
    w.at_phase("Stage2SettlementPackCounterOfferDecision", CR)


# --------------------------------------------------------------------------------------------------
# Coverage of the tables by the path tests above
# --------------------------------------------------------------------------------------------------


def test_the_path_tests_take_every_route_of_every_workflow_operation_and_every_timeout() -> None:
    COVERED.clear()
    for walk_the_path, claim_types in PATHS:
        for claim_type in claim_types:
            walk_the_path(claim_type)
        if not claim_types:
            walk_the_path()
    expected = all_route_keys()
    assert len(expected) > 100
    missing = sorted(expected - COVERED)
    assert missing == [], f"routes no path test takes: {missing}"
    assert expected == COVERED
