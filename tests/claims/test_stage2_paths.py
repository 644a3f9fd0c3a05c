"""Every Stage 2.1 and Stage 2 path, end to end through ``perform`` and the timer sweep.

The map is tests/protocols/test_engine_paths.py and docs/phases-*.md; here the claims go through
``claimsportal.claims.services.perform`` and ``run_due_timeouts`` and the database is checked: the
phase, the owner, the worklist, the deadline columns, the state and the events.

Claims are sent and admitted on Monday 2 March 2026 (the ``clock`` fixture). England & Wales bank
holidays on the way: Good Friday 3 April, Easter Monday 6 April, early May 4 May, Spring 25 May,
Christmas Friday 25 December and Monday 28 December 2026 (substitute for Boxing Day), 1 January 2027.
The dates expected are counted by hand in the comments, not read from the calendar.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import User
from claimsportal.protocols.state import heads_in_order
from claimsportal.protocols.timers import LONDON
from tests.claims.conftest import refused
from tests.claims.test_stage1_paths import COMP, CR, current, expect, midnight, trail
from tests.conftest import World, send_claim, step

CHILD_DOB = date(2015, 6, 1)
TURNS_18_ON_1_JUNE = date(2008, 6, 1)

INTERIM = "INTERIM_DECISION"
STAGE2 = "STAGE2_CONSIDERATION"
ADDITIONAL = "ADDITIONAL_DAMAGES_DECISION"
COURT_PACK = "COURT_PACK_RESPONSE"

# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def on(clock: FixedClock, day: date, hour: int = 10, minute: int = 0) -> None:
    clock.set(datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON))


def no_agreement_phase(claim_type: str) -> str:
    return "StartS2SPAdditionalDamages" if claim_type == "RTA" else "CourtProceedingsPackForm"


class Walker:
    """One claim walked through ``perform``; ``cr``/``comp`` perform as the claimant's firm or the
    insurer and check the phase, the owner and the worklist afterwards."""

    def __init__(self, world: World, clock: FixedClock, info: ClaimInfo) -> None:
        self.world, self.clock, self.info = world, clock, info

    def _do(self, user: User, operation: str, payload: dict[str, Any]) -> Walker:
        self.info = step(self.world, user, self.info, operation, **payload)
        return self

    def cr(self, operation: str, **payload: Any) -> Walker:
        return self._do(self.world.cr_handler, operation, payload)

    def comp(self, operation: str, **payload: Any) -> Walker:
        return self._do(self.world.comp_handler, operation, payload)

    def at(self, phase: str, owner: str | None) -> Claim:
        awaiting = {CR: self.world.cr, COMP: self.world.comp, None: None}[owner]
        return expect(self.info, phase, owner, awaiting)

    @property
    def claim(self) -> Claim:
        return Claim.objects.get(pk=self.info.application_id)

    def refuse(self, side: str, code: str, operation: str, field: str | None = None, **payload: Any) -> None:
        user = self.world.cr_handler if side == CR else self.world.comp_handler
        with refused(self.clock, code, field):
            step(self.world, user, self.info, operation, **payload)

    def timeout(self, fires: datetime, phase: str, owner: str | None) -> Claim:
        """Nothing moves a minute before ``fires``; at ``fires`` the sweep moves this claim."""
        before = self.info.phase
        self.clock.set(fires - timedelta(minutes=1))
        assert run_due_timeouts().moved == 0
        self.clock.set(fires)
        assert run_due_timeouts().by_phase == {before: 1}
        self.info = current(self.info)
        claim = self.at(phase, owner)
        assert trail(self.info)[-1] == ("timeout", before, phase)
        return claim


def assert_deadline(
    claim: Claim,
    kind: str,
    *,
    last_day: date,
    anchor: date | None = None,
    days: int = 0,
    further: int = 0,
) -> None:
    """A period of business days: stored as 00:00 London the day after ``last_day``."""
    assert claim.deadline_kind == kind
    assert (claim.deadline_anchor, claim.deadline_business_days) == (anchor, days)
    assert (claim.deadline_further_days, claim.deadline_fixed_date) == (further, None)
    assert claim.deadline_at == midnight(last_day + timedelta(days=1))


def assert_agreed_date(claim: Claim, kind: str, agreed: date) -> None:
    """An agreed extension: the agreed date is the day the claim times out."""
    assert claim.deadline_kind == kind
    assert claim.deadline_fixed_date == agreed
    assert claim.deadline_at == midnight(agreed)


def assert_no_deadline(claim: Claim) -> None:
    assert claim.deadline_at is None
    assert (claim.deadline_kind, claim.deadline_anchor, claim.deadline_fixed_date) == ("", None, None)


def start_of_stage21(
    world: World, clock: FixedClock, claim_type: str = "RTA", *, dob: date | None = None
) -> Walker:
    """Sent, accepted, liability admitted and acknowledged, all on Monday 2 March 2026."""
    w = Walker(world, clock, send_claim(world, claim_type, dob=dob))
    if claim_type == "RTA":
        w.comp("acceptClaim").comp("applyArticle75", isArticle75=False)
    else:
        w.comp("acknowledgeClaim").comp("acceptClaim")
    w.comp("sendLiabilityDecision", liabilityDecision="A")
    if w.info.phase == "LiabilityAdmittedForChild":
        w.cr("acknowledgeLiabilityAdmittedForChild")
    else:
        w.cr("acknowledgeLiabilityAdmitted")
    assert_no_deadline(w.at("StartOfStage21", CR))
    return w


def interim_form(world: World, clock: FixedClock, claim_type: str = "RTA") -> Walker:
    w = start_of_stage21(world, clock, claim_type)
    w.cr("setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    assert_no_deadline(w.at("InterimSettlementPackForm", CR))
    return w


def stage2_sent(
    world: World,
    clock: FixedClock,
    claim_type: str = "RTA",
    *,
    sent: date = date(2026, 3, 2),
    dob: date | None = None,
) -> Walker:
    """The Stage 2 Settlement Pack (general damages 3,500.00) sent on ``sent``."""
    w = start_of_stage21(world, clock, claim_type, dob=dob)
    w.cr("setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    assert_no_deadline(w.at("Stage2SettlementPackForm", CR))
    on(clock, sent)
    w.cr("addStage2SPFRequest", generalDamages="3500.00")
    return w


def negotiating(
    world: World, clock: FixedClock, claim_type: str = "RTA", *, dob: date | None = None
) -> Walker:
    """Pack sent Monday 2 March; the insurer's counter offer on Friday 20 March. The total
    consideration period is 35 business days from the pack: Wednesday 22 April (over Easter)."""
    w = stage2_sent(world, clock, claim_type, dob=dob)
    on(clock, date(2026, 3, 20))
    w.comp("addStage2SPFResponse", settlementPackDecision="CO")
    claim = w.at("Stage2SettlementPackCounterOfferDecision", CR)
    assert_deadline(claim, STAGE2, anchor=date(2026, 3, 2), days=35, last_day=date(2026, 4, 22))
    return w


def not_agreed(
    world: World, clock: FixedClock, claim_type: str = "RTA", *, dob: date | None = None
) -> Walker:
    w = negotiating(world, clock, claim_type, dob=dob)
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=False)
    w.at("Stage2SettlementPackAgreementDecision", CR)
    w.cr("setStage2SPFAgreementDecision", isAgreed=False)
    assert_no_deadline(w.at(no_agreement_phase(claim_type), CR))
    return w


def court_pack_form(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = not_agreed(world, clock, claim_type)
    if claim_type == "RTA":
        w.cr("setAdditionalDamagesExistence", additionalDamagesExist=False)
    assert_no_deadline(w.at("CourtProceedingsPackForm", CR))
    return w


ADULT_TYPES = pytest.mark.parametrize("claim_type", ["RTA", "EL", "PL"])


# --------------------------------------------------------------------------------------------------
# Stage 2.1: interim settlement packs
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_an_interim_request_of_1000_has_10_business_days_no_extension_and_is_paid(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = interim_form(world, clock, claim_type)
    on(clock, date(2026, 3, 30))
    w.refuse(CR, "BUSINESS_RULE", "addInterimSPFRequest", amountRequested="999.99")
    w.cr("addInterimSPFRequest", amountRequested="1000.00")
    claim = w.at("InterimPaymentDecision", COMP)
    # 31 Mar, 1, 2, (Good Friday, Easter Monday) 7, 8, 9, 10, 13, 14, 15 April
    assert_deadline(claim, INTERIM, anchor=date(2026, 3, 30), days=10, last_day=date(2026, 4, 15))
    w.refuse(COMP, "BUSINESS_RULE", "extendInterimPaymentDecisionTimeout")
    w.refuse(COMP, "BUSINESS_RULE", "addInterimSPFResponse", amountOffered="1000.01")

    on(clock, date(2026, 4, 1))
    w.comp("addInterimSPFResponse", amountOffered="1000.00")
    claim = w.at("WaitingForInterimPayment", CR)
    assert_no_deadline(claim)
    assert claim.state["interim_payment_due_on"] == "2026-04-16"
    on(clock, date(2026, 4, 15), 23, 50)
    w.refuse(CR, "BUSINESS_RULE", "setStage21Payment", isStage21Paid=False)
    w.cr("setStage21Payment", isStage21Paid=True)
    w.at("StartOfStage21", CR)

    # Adults may ask again: a second interim pack, counted afresh.
    w.cr("setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    on(clock, date(2026, 4, 20))
    w.cr("addInterimSPFRequest", amountRequested="2000.00")
    claim = w.at("InterimPaymentDecision", COMP)
    # 21-24, 27-30 April, 1, (4 May) 5-8, 11, 12 May: 15 business days
    assert_deadline(claim, INTERIM, anchor=date(2026, 4, 20), days=15, last_day=date(2026, 5, 12))
    assert claim.state["interim_count"] == 2
    assert claim.state["interim_payment_due_on"] is None


@pytest.mark.parametrize("claim_type", ["RTA", "PL"])
def test_an_interim_request_above_1000_has_15_days_and_one_extension_to_30_days_from_sending(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = interim_form(world, clock, claim_type)
    on(clock, date(2026, 3, 30))
    w.cr("addInterimSPFRequest", amountRequested="1000.01")
    claim = w.at("InterimPaymentDecision", COMP)
    assert_deadline(claim, INTERIM, anchor=date(2026, 3, 30), days=15, last_day=date(2026, 4, 22))
    w.refuse(CR, "WRONG_SIDE", "extendInterimPaymentDecisionTimeout")

    on(clock, date(2026, 4, 21))
    w.comp("extendInterimPaymentDecisionTimeout")
    claim = w.at("InterimPaymentDecision", COMP)
    # 30 business days from the sending on 30 March, over Easter and the early May bank holiday.
    assert_deadline(claim, INTERIM, anchor=date(2026, 3, 30), days=30, last_day=date(2026, 5, 14))
    assert claim.state["interim_extension_used"] is True
    w.refuse(COMP, "BUSINESS_RULE", "extendInterimPaymentDecisionTimeout")

    claim = w.timeout(midnight(date(2026, 5, 15)), "InterimPaymentDecisionTimeout", CR)
    assert_no_deadline(claim)
    on(clock, date(2026, 5, 15))
    w.cr("returnToStartOfStage21")
    w.at("StartOfStage21", CR)

    w.cr("setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    w.cr("addInterimSPFRequest", amountRequested="1500.00")
    claim = w.at("InterimPaymentDecision", COMP)
    assert claim.state["interim_extension_used"] is False, "each new pack may be extended once"
    # 18-22, (25 May) 26-29 May, 1-5, 8 June: 15 business days from Friday 15 May
    assert_deadline(claim, INTERIM, anchor=date(2026, 5, 15), days=15, last_day=date(2026, 6, 8))
    w.timeout(midnight(date(2026, 6, 9)), "InterimPaymentDecisionTimeout", CR)
    w.cr("acknowledgeInterimPaymentDecisionTimeout")
    assert_no_deadline(w.at("Stage2SettlementPackForm", CR))


def test_interim_periods_over_christmas_2026(world: World, clock: FixedClock) -> None:
    w = interim_form(world, clock)
    on(clock, date(2026, 12, 14))
    w.cr("addInterimSPFRequest", amountRequested="2500.00")
    claim = w.at("InterimPaymentDecision", COMP)
    # 15-18, 21-24, (25, 28 Dec) 29, 30, 31 Dec, (1 Jan) 4, 5, 6, 7 January 2027
    assert_deadline(claim, INTERIM, anchor=date(2026, 12, 14), days=15, last_day=date(2027, 1, 7))
    on(clock, date(2027, 1, 6))
    w.comp("extendInterimPaymentDecisionTimeout")
    assert_deadline(w.claim, INTERIM, anchor=date(2026, 12, 14), days=30, last_day=date(2027, 1, 28))


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_a_rejected_interim_pack_is_acknowledged_back_to_the_start_of_stage_2_1(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = interim_form(world, clock, claim_type)
    w.cr("addInterimSPFRequest", amountRequested="1200.00")
    w.refuse(COMP, "SCHEMA_INVALID", "rejectInterimSettlementPack", rejectionComment="   ")
    w.comp("rejectInterimSettlementPack", rejectionComment="Waiting for the CRU certificate")
    assert_no_deadline(w.at("InterimSettlementPackRejected", CR))
    w.cr("acknowledgeRejectedInterimSettlementPack")
    w.at("StartOfStage21", CR)
    assert [t[0] for t in trail(w.info)][-2:] == [
        "rejectInterimSettlementPack",
        "acknowledgeRejectedInterimSettlementPack",
    ]


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_an_accepted_partial_interim_offer_is_paid_and_returns_to_the_start_of_stage_2_1(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = interim_form(world, clock, claim_type)
    on(clock, date(2026, 3, 30))
    w.cr("addInterimSPFRequest", amountRequested="1500.00")
    on(clock, date(2026, 4, 1))
    w.comp("addInterimSPFResponse", amountOffered="600.00")
    claim = w.at("AcceptanceOfPartialInterimPayment", CR)
    assert claim.state["interim_payment_due_on"] == "2026-04-23"
    w.cr("acceptPartialInterimPayment", isPartialInterimPaymentAccepted=True)
    w.at("DecisionOfPartialInterimPayment", COMP)
    w.refuse(CR, "WRONG_SIDE", "acknowledgePartialPaymentDecision")
    w.comp("acknowledgePartialPaymentDecision")
    w.at("WaitingForInterimPayment", CR)
    w.cr("setStage21Payment", isStage21Paid=True)
    w.at("StartOfStage21", CR)


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_a_declined_partial_interim_offer_leaves_the_process_once_paid(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = interim_form(world, clock, claim_type)
    w.cr("addInterimSPFRequest", amountRequested="1500.00")
    w.comp("addInterimSPFResponse", amountOffered="1499.99")
    w.cr("acceptPartialInterimPayment", isPartialInterimPaymentAccepted=False)
    assert w.at("DecisionOfPartialInterimPayment", COMP).state["interim_partial_refused"] is True
    w.comp("acknowledgePartialPaymentDecision")
    w.cr("setStage21Payment", isStage21Paid=True)
    claim = w.at("ExitProcess", COMP)
    assert (claim.state["exit_side"], claim.state["exit_code"]) == (CR, None)
    w.refuse(CR, "WRONG_SIDE", "acknowledgeExitProcess")
    w.comp("acknowledgeExitProcess")
    w.at("ExitProcessEnd", None)


@pytest.mark.parametrize("claim_type", ["RTA", "PL"])
def test_interim_payment_not_received_is_accepted_from_the_due_date_and_exits_with_code_12(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = interim_form(world, clock, claim_type)
    on(clock, date(2026, 3, 30))
    w.cr("addInterimSPFRequest", amountRequested="1000.00")
    on(clock, date(2026, 4, 15))
    w.comp("addInterimSPFResponse", amountOffered="1000.00")
    on(clock, date(2026, 4, 15), 23, 50)
    w.refuse(CR, "BUSINESS_RULE", "setStage21Payment", isStage21Paid=False)
    on(clock, date(2026, 4, 16), 0, 0)
    w.cr("setStage21Payment", isStage21Paid=False)
    claim = w.at("ExitProcess", COMP)
    assert (claim.state["exit_side"], claim.state["exit_code"]) == (CR, "12")
    w.comp("acknowledgeExitProcess")
    w.at("ExitProcessEnd", None)


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_a_child_gets_no_interim_payment(world: World, clock: FixedClock, claim_type: str) -> None:
    w = start_of_stage21(world, clock, claim_type, dob=CHILD_DOB)
    w.refuse(CR, "BUSINESS_RULE", "setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    w.cr("setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    w.at("Stage2SettlementPackForm", CR)


# --------------------------------------------------------------------------------------------------
# Stage 2: the pack, the decision and its timeout
# --------------------------------------------------------------------------------------------------


@ADULT_TYPES
def test_a_confirmed_pack_settles_an_adult_claim(world: World, clock: FixedClock, claim_type: str) -> None:
    w = stage2_sent(world, clock, claim_type)
    claim = w.at("Stage2SettlementPackDecision", COMP)
    # 15 business days from Monday 2 March: Monday 23 March
    assert_deadline(claim, STAGE2, anchor=date(2026, 3, 2), days=15, last_day=date(2026, 3, 23))
    assert claim.state["child_at"]["stage2Request"] is False
    w.refuse(COMP, "SCHEMA_INVALID", "addStage2SPFResponse", settlementPackDecision="A")
    w.comp("addStage2SPFResponse", settlementPackDecision="C")
    assert_no_deadline(w.at("Stage2SettlementPackConfirmation", CR))
    w.cr("acknowledgeStage2SPFConfirmation")
    claim = w.at("Stage2SettlementPackConfirmationEnd", None)
    assert_no_deadline(claim)
    assert claim.state["original_damages_agreed"] is True
    w.refuse(CR, "WRONG_PHASE", "acknowledgeStage2SPFConfirmation")


@ADULT_TYPES
def test_a_repudiated_pack_ends_after_acknowledgement(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = stage2_sent(world, clock, claim_type)
    w.refuse(CR, "WRONG_SIDE", "addStage2SPFResponse", settlementPackDecision="R")
    w.comp("addStage2SPFResponse", settlementPackDecision="R")
    assert_no_deadline(w.at("Stage2SettlementPackRepudiation", CR))
    w.cr("acknowledgeStage2SPFRepudiation")
    w.at("Stage2SettlementPackRepudiationEnd", None)


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_a_pack_sent_before_easter_times_out_and_ends_after_acknowledgement(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = stage2_sent(world, clock, claim_type, sent=date(2026, 3, 30))
    claim = w.at("Stage2SettlementPackDecision", COMP)
    # 31 Mar, 1, 2, (3, 6 April) 7-10, 13-17, 20, 21, 22 April
    assert_deadline(claim, STAGE2, anchor=date(2026, 3, 30), days=15, last_day=date(2026, 4, 22))
    claim = w.timeout(midnight(date(2026, 4, 23)), "Stage2SettlementPackDecisionTimeout", CR)
    assert_no_deadline(claim)
    w.refuse(COMP, "WRONG_SIDE", "acknowledgeStage2SPFDecisionTimeout")
    w.cr("acknowledgeStage2SPFDecisionTimeout")
    w.at("Stage2SettlementPackDecisionTimeoutEnd", None)


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_the_initial_period_is_extended_only_to_a_later_agreed_date_with_a_reason(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = stage2_sent(world, clock, claim_type)
    on(clock, date(2026, 3, 10))
    ext = {"newTimeOut": "2026-04-01", "reasonForExtension": "1"}
    w.refuse(CR, "WRONG_SIDE", "extendStage2SPFDecisionTimeout", **ext)
    w.refuse(COMP, "SCHEMA_INVALID", "extendStage2SPFDecisionTimeout", **{**ext, "reasonForExtension": "3"})
    w.refuse(COMP, "BUSINESS_RULE", "extendStage2SPFDecisionTimeout", **{**ext, "newTimeOut": "2026-03-24"})
    w.refuse(COMP, "BUSINESS_RULE", "extendStage2SPFDecisionTimeout", **{**ext, "newTimeOut": "2026-03-09"})
    w.comp("extendStage2SPFDecisionTimeout", **ext)
    assert_agreed_date(w.at("Stage2SettlementPackDecision", COMP), STAGE2, date(2026, 4, 1))
    assert trail(w.info)[-1] == (
        "extendStage2SPFDecisionTimeout",
        "Stage2SettlementPackDecision",
        "Stage2SettlementPackDecision",
    )
    w.timeout(midnight(date(2026, 4, 1)), "Stage2SettlementPackDecisionTimeout", CR)


def test_a_counter_offer_after_an_extended_initial_period_gets_20_days_after_it(
    world: World, clock: FixedClock
) -> None:
    w = stage2_sent(world, clock)
    on(clock, date(2026, 3, 20))
    w.comp("extendStage2SPFDecisionTimeout", newTimeOut="2026-05-01", reasonForExtension="1")
    on(clock, date(2026, 4, 28))
    w.comp("addStage2SPFResponse", settlementPackDecision="CO")
    claim = w.at("Stage2SettlementPackCounterOfferDecision", CR)
    # 20 business days after the extended period (last day 30 April): 1 May, (4 May), 5-22 May,
    # (25 May), 26 May - 1 June.
    assert claim.deadline_kind == STAGE2
    assert claim.deadline_at == midnight(date(2026, 6, 2))


# --------------------------------------------------------------------------------------------------
# Stage 2: the negotiation
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_counter_offers_keep_the_35_day_period_and_the_insurer_accepts_the_claimants_offer(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = negotiating(world, clock, claim_type)
    assert w.claim.state["last_offer_by"] == COMP
    on(clock, date(2026, 4, 1))
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    claim = w.at("Stage2SettlementPackCounterOfferCR", CR)
    assert_deadline(claim, STAGE2, anchor=date(2026, 3, 2), days=35, last_day=date(2026, 4, 22))
    w.cr("addStage2SPFCounterOfferByCR", generalDamages="3400.00")
    claim = w.at("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert_deadline(claim, STAGE2, anchor=date(2026, 3, 2), days=35, last_day=date(2026, 4, 22))
    assert claim.state["last_offer_by"] == CR
    assert heads_in_order(claim.state["claimed_heads"])["11"]["gross"] == "3400.00"
    # Outside the further consideration period the insurer answers with ACO/NEWCO, not a decision.
    w.refuse(COMP, "BUSINESS_RULE", "setStage2SPFAgreementDecision", isAgreed=True)
    w.comp("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="ACO")
    assert_no_deadline(w.at("Stage2SettlementPackConfirmation", CR))
    w.cr("acknowledgeStage2SPFConfirmation")
    w.at("Stage2SettlementPackConfirmationEnd", None)


@pytest.mark.parametrize("claim_type", ["RTA", "EL", "PL"])
def test_a_long_negotiation_across_the_35_day_boundary(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    """CO 20 March; CR 1 April; NEWCO 7 April (after Easter, before the last 5 business days);
    CR 15 April 23:59 (still outside them); NEWCO 16 April (inside: 16, 17, 20, 21, 22 April) adds
    5 business days once, to Wednesday 29 April; the claimant may then only accept or decline."""
    w = negotiating(world, clock, claim_type)
    anchor = date(2026, 3, 2)
    on(clock, date(2026, 4, 1))
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    w.cr("addStage2SPFCounterOfferByCR", generalDamages="3450.00")
    on(clock, date(2026, 4, 7))
    w.comp("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO", offer="3000.00")
    claim = w.at("Stage2SettlementPackCounterOfferDecision", CR)
    assert_deadline(claim, STAGE2, anchor=anchor, days=35, last_day=date(2026, 4, 22))
    assert claim.state["further_consideration_applied"] is False

    on(clock, date(2026, 4, 15), 9)
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    on(clock, date(2026, 4, 15), 23, 59)
    w.cr("addStage2SPFCounterOfferByCR", generalDamages="3300.00")
    claim = w.at("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert_deadline(claim, STAGE2, anchor=anchor, days=35, last_day=date(2026, 4, 22))

    on(clock, date(2026, 4, 16), 9)
    w.comp("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO", offer="3100.00")
    claim = w.at("Stage2SettlementPackCounterOfferDecision", CR)
    assert claim.state["further_consideration_applied"] is True
    # 23, 24, 27, 28, 29 April
    assert_deadline(claim, STAGE2, anchor=anchor, days=35, further=5, last_day=date(2026, 4, 29))

    w.refuse(
        CR,
        "BUSINESS_RULE",
        "setStage2SPFCounterOfferNeeded",
        "isStage2SPFCounterOfferNeeded",
        isStage2SPFCounterOfferNeeded=True,
    )
    ext = {"newTimeOut": "2026-05-15", "reasonForExtension": "1"}
    w.refuse(CR, "BUSINESS_RULE", "extendStage2SPFCounterOfferTimeout", **ext)

    on(clock, date(2026, 4, 29), 16)
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=False)
    claim = w.at("Stage2SettlementPackAgreementDecision", CR)
    assert_no_deadline(claim)
    assert claim.deadline_further_days == 0
    w.refuse(COMP, "WRONG_SIDE", "setStage2SPFAgreementDecision", isAgreed=True)
    w.cr("setStage2SPFAgreementDecision", isAgreed=True)
    w.at("Stage2SettlementPackAgreedCR", COMP)
    w.comp("acknowledgeStage2SPFAgreed")
    claim = w.at("Stage2SettlementPackAgreedEnd", None)
    assert claim.state["original_damages_agreed"] is True
    operations = [t[0] for t in trail(w.info)]
    assert operations.count("addStage2SPFCounterOfferByCR") == 2
    assert operations.count("addStage2SPFCounterOfferByCM") == 2


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_a_claimants_offer_in_the_last_5_days_leaves_the_insurer_only_accept_or_decline(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = negotiating(world, clock, claim_type)
    on(clock, date(2026, 4, 22), 9)
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    on(clock, date(2026, 4, 22), 23, 50)
    w.cr("addStage2SPFCounterOfferByCR")
    claim = w.at("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert_deadline(claim, STAGE2, anchor=date(2026, 3, 2), days=35, further=5, last_day=date(2026, 4, 29))
    on(clock, date(2026, 4, 27))
    w.refuse(
        COMP, "BUSINESS_RULE", "addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO"
    )
    ext = {"newTimeOut": "2026-05-15", "reasonForExtension": "1"}
    w.refuse(COMP, "BUSINESS_RULE", "extendStage2SPFDecisionTimeout", **ext)
    w.refuse(
        COMP, "BUSINESS_RULE", "extendStage2SPFCounterOfferTimeout", **{**ext, "reasonForExtension": "2"}
    )
    w.refuse(CR, "WRONG_SIDE", "setStage2SPFAgreementDecision", isAgreed=True)
    w.comp("setStage2SPFAgreementDecision", isAgreed=False)
    assert_no_deadline(w.at("Stage2SettlementPackNotAgreed", CR))
    w.cr("acknowledgeStage2SPFNotAgreed")
    claim = w.at(no_agreement_phase(claim_type), CR)
    assert claim.state["original_damages_agreed"] is False


def test_the_insurer_accepts_in_the_further_period_and_the_claim_settles(
    world: World, clock: FixedClock
) -> None:
    w = negotiating(world, clock, "PL")
    on(clock, date(2026, 4, 20))
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    w.cr("addStage2SPFCounterOfferByCR")
    assert w.claim.deadline_further_days == 5
    w.comp("setStage2SPFAgreementDecision", isAgreed=True)
    w.at("Stage2SettlementPackConfirmation", CR)
    w.cr("acknowledgeStage2SPFConfirmation")
    w.at("Stage2SettlementPackConfirmationEnd", None)


@pytest.mark.parametrize("claim_type", ["RTA", "PL"])
def test_negotiation_timeouts(world: World, clock: FixedClock, claim_type: str) -> None:
    # P35: the claimant does not decide on the insurer's counter offer.
    p35 = negotiating(world, clock, claim_type)
    assert_no_deadline(p35.timeout(midnight(date(2026, 4, 23)), "Stage2SettlementPackAgreementDecision", CR))
    p35.cr("setStage2SPFAgreementDecision", isAgreed=False)
    p35.at(no_agreement_phase(claim_type), CR)

    # P36: the claimant wanted to counter, but made no offer.
    on(clock, date(2026, 3, 2))
    p36 = negotiating(world, clock, claim_type)
    p36.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    p36.timeout(midnight(date(2026, 4, 23)), "Stage2SettlementPackAgreementDecision", CR)

    # P37: the insurer is silent on an offer made on the last day: the further days count.
    on(clock, date(2026, 3, 2))
    p37 = negotiating(world, clock, claim_type)
    on(clock, date(2026, 4, 22))
    p37.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    p37.cr("addStage2SPFCounterOfferByCR")
    p37.timeout(midnight(date(2026, 4, 30)), "Stage2SettlementPackDecisionTimeout", CR)
    p37.cr("acknowledgeStage2SPFDecisionTimeout")
    p37.at("Stage2SettlementPackDecisionTimeoutEnd", None)


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_negotiation_extensions_are_agreed_dates_set_by_the_side_whose_turn_it_is(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = negotiating(world, clock, claim_type)
    ext = {"newTimeOut": "2026-05-08", "reasonForExtension": "2"}
    w.refuse(COMP, "WRONG_SIDE", "extendStage2SPFCounterOfferTimeout", **ext)
    w.refuse(CR, "BUSINESS_RULE", "extendStage2SPFCounterOfferTimeout", **{**ext, "newTimeOut": "2026-04-23"})
    w.cr("extendStage2SPFCounterOfferTimeout", **ext)
    assert_agreed_date(w.at("Stage2SettlementPackCounterOfferDecision", CR), STAGE2, date(2026, 5, 8))
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    # The last day is Thursday 7 May; its last 5 business days are 30 April, 1, 5, 6, 7 May (4 May is
    # the early May bank holiday), so an offer on 30 April adds 8, 11, 12, 13, 14 May.
    on(clock, date(2026, 4, 30), 9)
    w.cr("addStage2SPFCounterOfferByCR")
    claim = w.at("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    assert claim.state["further_consideration_applied"] is True
    assert claim.deadline_further_days == 5
    assert claim.deadline_at == midnight(date(2026, 5, 15))
    w.timeout(midnight(date(2026, 5, 15)), "Stage2SettlementPackDecisionTimeout", CR)


def test_the_insurer_extends_its_counter_offer_decision(world: World, clock: FixedClock) -> None:
    w = negotiating(world, clock, "EL")
    on(clock, date(2026, 4, 1))
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    w.cr("addStage2SPFCounterOfferByCR")
    w.comp("extendStage2SPFDecisionTimeout", newTimeOut="2026-05-01", reasonForExtension="1")
    assert_agreed_date(w.at("Stage2SettlementPackCounterOfferDecisionCM", COMP), STAGE2, date(2026, 5, 1))
    w.comp("extendStage2SPFCounterOfferTimeout", newTimeOut="2026-05-06", reasonForExtension="1")
    assert_agreed_date(w.claim, STAGE2, date(2026, 5, 6))
    w.comp("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO")
    w.at("Stage2SettlementPackCounterOfferDecision", CR)
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    w.cr("extendStage2SPFCounterOfferTimeout", newTimeOut="2026-05-20", reasonForExtension="1")
    assert_agreed_date(w.at("Stage2SettlementPackCounterOfferCR", CR), STAGE2, date(2026, 5, 20))
    w.timeout(midnight(date(2026, 5, 20)), "Stage2SettlementPackAgreementDecision", CR)


# --------------------------------------------------------------------------------------------------
# Child claims
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_a_child_claim_never_settles_in_the_portal(world: World, clock: FixedClock, claim_type: str) -> None:
    nxt = no_agreement_phase(claim_type)
    confirmed = stage2_sent(world, clock, claim_type, dob=CHILD_DOB)
    assert confirmed.claim.state["child_at"]["stage2Request"] is True
    confirmed.comp("addStage2SPFResponse", settlementPackDecision="C")
    confirmed.cr("acknowledgeStage2SPFConfirmation")
    claim = confirmed.at(nxt, CR)
    assert claim.state["original_damages_agreed"] is True
    assert claim.state["child_at"]["stage2Agreement"] is True

    on(clock, date(2026, 3, 2))
    agreed = negotiating(world, clock, claim_type, dob=CHILD_DOB)
    agreed.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=False)
    agreed.cr("setStage2SPFAgreementDecision", isAgreed=True)
    agreed.at("Stage2SettlementPackAgreedCR", COMP)
    agreed.comp("acknowledgeStage2SPFAgreed")
    assert agreed.at(nxt, CR).state["original_damages_agreed"] is True


# --------------------------------------------------------------------------------------------------
# RTA additional damages
# --------------------------------------------------------------------------------------------------


def test_without_additional_damages_an_rta_claim_goes_to_the_court_pack(
    world: World, clock: FixedClock
) -> None:
    w = not_agreed(world, clock, "RTA")
    w.refuse(COMP, "WRONG_SIDE", "setAdditionalDamagesExistence", additionalDamagesExist=False)
    w.cr("setAdditionalDamagesExistence", additionalDamagesExist=False)
    assert_no_deadline(w.at("CourtProceedingsPackForm", CR))
    el = not_agreed(world, clock, "EL")
    el.refuse(CR, "NOT_FOUND", "setAdditionalDamagesExistence", additionalDamagesExist=True)


def test_additional_damages_have_15_days_over_christmas_and_agreement_on_them_alone_goes_to_court(
    world: World, clock: FixedClock
) -> None:
    w = not_agreed(world, clock, "RTA")
    w.cr("setAdditionalDamagesExistence", additionalDamagesExist=True)
    assert_no_deadline(w.at("S2SPAdditionalDamagesRequestForm", CR))
    on(clock, date(2026, 12, 14))
    w.cr("addS2SPFAdditionalDamagesRequest", hireCharges="1200.00")
    claim = w.at("AdditionalDamagesDecision", COMP)
    # 15-18, 21-24, (25, 28 Dec) 29-31 Dec, (1 Jan) 4-7 January 2027
    assert_deadline(claim, ADDITIONAL, anchor=date(2026, 12, 14), days=15, last_day=date(2027, 1, 7))
    assert set(heads_in_order(claim.state["claimed_heads"])) == {"11", "2"}
    w.refuse(COMP, "SCHEMA_INVALID", "addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="N")
    w.comp("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="A")
    assert_no_deadline(w.at("AllDamagesAgreed", CR))
    w.cr("acknowledgeAllDamagesAgreed")
    w.at("CourtProceedingsPackForm", CR)


def test_additional_damages_counter_offer_agreed_with_original_not_agreed_goes_to_court(
    world: World, clock: FixedClock
) -> None:
    w = not_agreed(world, clock, "RTA")
    w.cr("setAdditionalDamagesExistence", additionalDamagesExist=True)
    w.cr("addS2SPFAdditionalDamagesRequest")
    w.comp("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="CO")
    assert_no_deadline(w.at("AdditionalDamagesDecisionCR", CR))
    w.cr("setS2SPFAdditionalDamagesDecision", isAgreed=True)
    w.at("AdditionalDamagesOriginalNotAgreed", COMP)
    w.refuse(CR, "WRONG_SIDE", "acknowledgeAdditionalDamagesAgreement")
    w.comp("acknowledgeAdditionalDamagesAgreement")
    w.at("CourtProceedingsPackForm", CR)


def child_in_additional_damages(world: World, clock: FixedClock) -> Walker:
    """A claimant who turns 18 on 1 June 2026; original damages confirmed while a child; the
    additional damages request on Monday 11 May: 15 business days over the Spring bank holiday."""
    w = stage2_sent(world, clock, "RTA", dob=TURNS_18_ON_1_JUNE)
    on(clock, date(2026, 3, 10))
    w.comp("addStage2SPFResponse", settlementPackDecision="C")
    w.cr("acknowledgeStage2SPFConfirmation")
    w.at("StartS2SPAdditionalDamages", CR)
    w.cr("setAdditionalDamagesExistence", additionalDamagesExist=True)
    on(clock, date(2026, 5, 11))
    w.cr("addS2SPFAdditionalDamagesRequest")
    claim = w.at("AdditionalDamagesDecision", COMP)
    # 12-15, 18-22, (25 May) 26-29 May, 1, 2 June
    assert_deadline(claim, ADDITIONAL, anchor=date(2026, 5, 11), days=15, last_day=date(2026, 6, 2))
    return w


@pytest.mark.parametrize(("acknowledged_on", "adult"), [(date(2026, 5, 29), False), (date(2026, 6, 1), True)])
def test_all_damages_agreed_settles_only_an_adult(
    world: World, clock: FixedClock, acknowledged_on: date, adult: bool
) -> None:
    w = child_in_additional_damages(world, clock)
    w.comp("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="A")
    on(clock, acknowledged_on, 9)
    w.cr("acknowledgeAllDamagesAgreed")
    if adult:
        claim = w.at("Stage2SettlementPackAllDamagesAgreedEnd", None)
    else:
        claim = w.at("CourtProceedingsPackForm", CR)
    assert claim.state["child_at"]["stage2AgreementAD"] is (not adult)


@pytest.mark.parametrize(
    ("agreed", "outcome"),
    [(True, "AdditionalDamagesAllAgreedCR"), (False, "AdditionalDamagesNoDamagesAgreedCR")],
)
def test_additional_damages_counter_offer_outcomes_for_a_new_adult(
    world: World, clock: FixedClock, agreed: bool, outcome: str
) -> None:
    w = child_in_additional_damages(world, clock)
    w.comp("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="CO")
    w.cr("setS2SPFAdditionalDamagesDecision", isAgreed=agreed)
    w.at(outcome, COMP)
    on(clock, date(2026, 6, 1), 9)
    w.comp("acknowledgeAdditionalDamagesAgreement")
    if agreed:
        w.at("Stage2SettlementPackAllDamagesAgreedEnd", None)
    else:
        w.at("CourtProceedingsPackForm", CR)


@pytest.mark.parametrize(
    "acknowledgement",
    ["acknowledgeAdditionalDamagesDecisionTimeout", "acknowledgeAdditionalDamagesAgreement"],
)
def test_an_additional_damages_extension_and_timeout_lead_to_the_court_pack(
    world: World, clock: FixedClock, acknowledgement: str
) -> None:
    w = child_in_additional_damages(world, clock)
    ext = {"newTimeOutDate": "2026-06-10", "reasonForExtension": "1"}
    w.refuse(
        COMP,
        "BUSINESS_RULE",
        "extendAdditionalDamagesDecisionTimeout",
        **{**ext, "newTimeOutDate": "2026-06-03"},
    )
    w.refuse(CR, "WRONG_SIDE", "extendAdditionalDamagesDecisionTimeout", **ext)
    w.comp("extendAdditionalDamagesDecisionTimeout", **ext)
    assert_agreed_date(w.at("AdditionalDamagesDecision", COMP), ADDITIONAL, date(2026, 6, 10))
    assert_no_deadline(w.timeout(midnight(date(2026, 6, 10)), "AdditionalDamagesTimeout", CR))
    w.refuse(COMP, "WRONG_SIDE", acknowledgement)
    w.cr(acknowledgement)
    w.at("CourtProceedingsPackForm", CR)


# --------------------------------------------------------------------------------------------------
# Court proceedings pack
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_type", ["RTA", "EL", "ELD"])
def test_the_court_pack_has_5_days_over_christmas_and_ends_in_the_portal(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = court_pack_form(world, clock, claim_type)
    on(clock, date(2026, 12, 21))
    w.cr("addCPPFRequest", claimantFinalOffer="3500.00")
    claim = w.at("CourtProceedingsPackFormResponse", COMP)
    # 22, 23, 24, (25, 28) 29, 30 December
    assert_deadline(claim, COURT_PACK, anchor=date(2026, 12, 21), days=5, last_day=date(2026, 12, 30))
    assert claim.state["court_pack_sent_on"] == "2026-12-21"
    assert claim.state["court_pack_disputed"] == [1]  # what the response may reply to
    w.refuse(COMP, "WRONG_PHASE", "exitProcess", exitReasonCode="2", exitComment="Too late to leave")
    w.comp("addCPPFResponse", finalOffer="3000.00")
    assert_no_deadline(w.at("EndOfStage2", CR))
    w.refuse(COMP, "WRONG_SIDE", "acknowledgeCPPFResponse")
    w.cr("acknowledgeCPPFResponse")
    w.at("EndOfStage2Acknowledged", None)


@pytest.mark.parametrize("claim_type", ["RTA", "PL"])
def test_a_silent_insurer_lets_the_court_pack_time_out_to_the_end_of_stage_2(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = court_pack_form(world, clock, claim_type)
    on(clock, date(2026, 12, 21))
    w.cr("addCPPFRequest")
    assert_no_deadline(w.timeout(midnight(date(2026, 12, 31)), "EndOfStage2", CR))
    w.cr("acknowledgeCPPFResponse")
    w.at("EndOfStage2Acknowledged", None)
    assert ClaimEvent.objects.filter(claim_id=w.info.application_id, operation="timeout").count() == 1
