"""Every Stage 1 path, end to end through ``perform`` (WORKFLOW.md §4.2, §5.2, §9; protocols/tables.py).

Claims are sent on Monday 2 March 2026 (the ``clock`` fixture). Good Friday (3 April) and Easter Monday
(6 April 2026) are not business days, so for a CNF sent that day the liability period ends on:

* 15 business days (RTA): Monday 23 March, the timer fires at 00:00 London on 24 March;
* 30 (RTA MIB / Article 75; EL and ELD acknowledged early): Wednesday 15 April (fires 16 April, BST);
* 31 (EL and ELD: 1 acknowledgement day + 30): Thursday 16 April;
* 40 (PL acknowledged early): Wednesday 29 April; 41 (PL: 1 + 40): Thursday 30 April.

Expected phases, codes and dates are written out here from WORKFLOW.md rather than read from the tables,
so that a wrong table fails these tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.services import perform
from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import Organisation, User
from claimsportal.organisations.services import create_organisation
from claimsportal.protocols.forms.examples import insurer_response_example
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import ClaimType, ProtocolName
from tests.claims.conftest import database, refused
from tests.conftest import DEFAULT_NOW, World, cnf, send_claim, step

SENT = date(2026, 3, 2)
ELPL_TYPES = ("EL", "ELD", "PL")
ALL_TYPES = ("RTA", *ELPL_TYPES)
ELPL_DAYS = {"EL": 30, "ELD": 30, "PL": 40}  # L4, L5 (ELD as EL)
# The last day for action, ``n`` business days after Monday 2 March 2026.
LAST_DAY_AFTER_SENDING = {
    15: date(2026, 3, 23),
    30: date(2026, 4, 15),
    31: date(2026, 4, 16),
    40: date(2026, 4, 29),
    41: date(2026, 4, 30),
}

COMP, CR = "COMP", "CR"

# What the CR sees after each liability decision, how it acknowledges it, and where that leads.
OUTCOMES: dict[str, tuple[str, str, str, str | None]] = {
    "A": ("LiabilityAdmitted", "acknowledgeLiabilityAdmitted", "StartOfStage21", CR),
    "AN": (
        "LiabilityAdmittedWithNegligence",
        "acknowledgeLiabilityAdmittedWithNeg",
        "LiabilityAdmittedWithNegligenceEnd",
        None,
    ),
    "N": ("LiabilityNotAdmitted", "acknowledgeDeniedLiability", "LiabilityNotAdmittedEnd", None),
}

# Stage 1 phases the compensator owns (WORKFLOW.md §4.2: P02/P04 are protocol specific).
COMP_STAGE1_PHASES = {
    ProtocolName.RTA: ("ClaimSubmitted", "Article75Decision", "LiabilityDecision"),
    ProtocolName.ELPL: ("ClaimAcknowledgement", "ClaimSubmitted", "LiabilityDecision"),
}

# WORKFLOW.md §9.2: the exit codes each side may use, per protocol.
ALLOWED_EXIT_CODES: dict[tuple[ProtocolName, str], tuple[str, ...]] = {
    (ProtocolName.RTA, CR): ("2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14"),
    (ProtocolName.RTA, COMP): ("1", "2", "3", "6", "7", "9", "10", "14"),
    (ProtocolName.ELPL, CR): ("2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14", "15"),
    (ProtocolName.ELPL, COMP): ("1", "2", "3", "6", "7", "9", "10"),
}
KNOWN_EXIT_CODES = tuple(str(n) for n in range(1, 16))

# WORKFLOW.md §9.3: RTA 0-2, EL/PL 0-1.
REJECTION_CODES = {ProtocolName.RTA: ("0", "1", "2"), ProtocolName.ELPL: ("0", "1")}

# The happy path from sending, as (side, operation, payload); ``reach`` walks it to a phase.
_ADMIT_AND_GO_ON: list[tuple[str, str, dict[str, Any]]] = [
    (COMP, "sendLiabilityDecision", {"liabilityDecision": "A"}),  # → LiabilityAdmitted
    (CR, "acknowledgeLiabilityAdmitted", {}),  # → StartOfStage21
    (CR, "setInterimPaymentNeeded", {"isInterimPaymentNeeded": False}),  # → Stage2SettlementPackForm
    (CR, "addStage2SPFRequest", {}),  # → Stage2SettlementPackDecision
]
ROUTES: dict[ProtocolName, list[tuple[str, str, dict[str, Any]]]] = {
    ProtocolName.RTA: [
        (COMP, "acceptClaim", {}),  # ClaimSubmitted → Article75Decision
        (COMP, "applyArticle75", {"isArticle75": False}),  # → LiabilityDecision
        *_ADMIT_AND_GO_ON,
    ],
    ProtocolName.ELPL: [
        (COMP, "acknowledgeClaim", {}),  # ClaimAcknowledgement → ClaimSubmitted
        (COMP, "acceptClaim", {}),  # → LiabilityDecision
        *_ADMIT_AND_GO_ON,
    ],
}


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def protocol_of(claim_type: str) -> ProtocolName:
    return ClaimType(claim_type).protocol


def first_phase(claim_type: str) -> str:
    return "ClaimSubmitted" if claim_type == "RTA" else "ClaimAcknowledgement"


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def reach(
    world: World, claim_type: str, phase: str, *, surname: str = "Smith", **send_args: Any
) -> ClaimInfo:
    """A claim of ``claim_type`` sent today and walked along the happy path until it is in ``phase``."""
    info = send_claim(world, claim_type, surname=surname, **send_args)
    for side, operation, payload in ROUTES[protocol_of(claim_type)]:
        if info.phase == phase:
            break
        user = world.comp_handler if side == COMP else world.cr_handler
        info = step(world, user, info, operation, **payload)
    assert info.phase == phase
    return info


def expect(info: ClaimInfo, phase: str, owner: str | None, awaiting: Organisation | None) -> Claim:
    """The claim is in ``phase``, owned by ``owner``, in ``awaiting``'s worklist, with ``info``'s guid."""
    assert info.phase == phase
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.phase == phase
    assert claim.owner_side == owner
    assert claim.awaiting_organisation_id == (awaiting.pk if awaiting else None)
    assert claim.activity_guid == info.activity_guid
    last = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
    assert last is not None and last.phase_after == phase and last.activity_guid == info.activity_guid
    return claim


def current(info: ClaimInfo) -> ClaimInfo:
    """``info`` with the claim's current guid and phase (after the timer sweep changed them)."""
    claim = Claim.objects.get(pk=info.application_id)
    return ClaimInfo(claim.application_id, claim.activity_guid, claim.phase, "")


def assert_liability_deadline(claim: Claim, *, anchor: date, days: int, last_day: date) -> None:
    assert claim.deadline_kind == "LIABILITY"
    assert (claim.deadline_anchor, claim.deadline_business_days) == (anchor, days)
    assert (claim.deadline_further_days, claim.deadline_fixed_date) == (0, None)
    # Stored as the first instant the timeout fires: 00:00 London the day after the last day.
    assert claim.deadline_at == midnight(last_day + timedelta(days=1))
    assert claim.deadline_at is not None
    assert claim.deadline_at.astimezone(LONDON).time() == time(0, 0)


def assert_deadline_after_sending(claim: Claim, days: int) -> None:
    assert_liability_deadline(claim, anchor=SENT, days=days, last_day=LAST_DAY_AFTER_SENDING[days])


def assert_no_deadline(claim: Claim) -> None:
    assert claim.deadline_at is None
    assert (claim.deadline_kind, claim.deadline_anchor, claim.deadline_business_days) == ("", None, 0)
    assert claim.deadline_fixed_date is None


def trail(info: ClaimInfo) -> list[tuple[str, str, str]]:
    return [
        (e.operation, e.phase_before, e.phase_after)
        for e in ClaimEvent.objects.filter(claim_id=info.application_id).order_by("pk")
    ]


def unrelated_compensator() -> Organisation:
    return create_organisation(org_type="COMP", name="Elsewhere Mutual", claim_types="RTA,ELPL")


# --------------------------------------------------------------------------------------------------
# RTA: send, accept, Article 75, liability decision, acknowledgement
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["A", "AN", "N"])
def test_an_rta_claim_reaches_each_liability_outcome_and_the_cr_acknowledges_it(
    world: World, decision: str
) -> None:
    decided, acknowledgement, end, end_owner = OUTCOMES[decision]
    info = send_claim(world)
    claim = expect(info, "ClaimSubmitted", COMP, world.comp)
    assert_deadline_after_sending(claim, 15)
    assert claim.sent_at == DEFAULT_NOW
    assert (claim.state["sent_on"], claim.state["insurer_type"], claim.state["article75"]) == (
        "2026-03-02",
        "I",
        None,
    )
    assert claim.comp_organisation_id == world.comp.pk and claim.cr_organisation_id == world.cr.pk

    info = step(world, world.comp_handler, info, "acceptClaim", insurerClaimReferenceNumber="INS-77")
    claim = expect(info, "Article75Decision", COMP, world.comp)
    assert claim.comp_reference == "INS-77"
    assert_deadline_after_sending(claim, 15)

    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    claim = expect(info, "LiabilityDecision", COMP, world.comp)
    assert claim.state["article75"] is False
    assert_deadline_after_sending(claim, 15)  # Article 75 not applied: the 15 days keep running

    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision=decision)
    claim = expect(info, decided, CR, world.cr)
    assert_no_deadline(claim)
    assert claim.state["child_at"] == {"stage1Response": False}
    assert claim.comp_reference == "ACME/2024/42"  # the insurer response's reference replaces it

    info = step(world, world.cr_handler, info, acknowledgement)
    claim = expect(info, end, end_owner, world.cr if end_owner else None)
    assert_no_deadline(claim)
    assert trail(info) == [
        ("addClaim", "ClaimDataInputEdit", "ClaimSubmitted"),
        ("acceptClaim", "ClaimSubmitted", "Article75Decision"),
        ("applyArticle75", "Article75Decision", "LiabilityDecision"),
        ("sendLiabilityDecision", "LiabilityDecision", decided),
        (acknowledgement, decided, end),
    ]


@pytest.mark.parametrize("decision", ["AN", "N"])
def test_an_ended_claim_accepts_no_further_operation(world: World, clock: FixedClock, decision: str) -> None:
    decided, acknowledgement, end, _ = OUTCOMES[decision]
    info = reach(world, "RTA", "LiabilityDecision")
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision=decision)
    assert info.phase == decided
    info = step(world, world.cr_handler, info, acknowledgement)
    assert info.phase == end
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):
        step(world, world.cr_handler, info, acknowledgement)
    with refused(clock, "WRONG_PHASE"):
        step(world, world.cr_handler, info, "lockClaim")


def test_applying_article_75_gives_30_business_days_from_the_day_the_claim_was_sent(
    world: World, clock: FixedClock
) -> None:
    info = reach(world, "RTA", "Article75Decision")
    clock.advance(timedelta(days=3))  # decided on Thursday 5 March: the period still counts from sending
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=True)
    claim = expect(info, "LiabilityDecision", COMP, world.comp)
    assert claim.state["article75"] is True
    assert_deadline_after_sending(claim, 30)
    assert claim.deadline_at == datetime(2026, 4, 15, 23, 0, tzinfo=UTC)  # 00:00 BST on 16 April
    event = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
    assert event is not None and event.deadline_at == midnight(date(2026, 4, 16))
    # The 15-day deadline no longer applies: nothing moves at 00:00 on 24 March.
    clock.set(midnight(date(2026, 3, 24)))
    assert run_due_timeouts().moved == 0
    assert Claim.objects.get(pk=info.application_id).phase == "LiabilityDecision"
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    claim = expect(info, "LiabilityAdmitted", CR, world.cr)
    assert claim.state["article75"] is True
    assert_no_deadline(claim)


def test_an_mib_claim_goes_straight_to_the_liability_decision_with_30_business_days(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world, insurer_type="M", compensator=world.mib.path)
    claim = expect(info, "ClaimSubmitted", COMP, world.mib)
    assert claim.state["insurer_type"] == "M"
    assert_deadline_after_sending(claim, 30)
    info = step(world, world.mib_handler, info, "acceptClaim")
    claim = expect(info, "LiabilityDecision", COMP, world.mib)
    assert_deadline_after_sending(claim, 30)
    assert claim.state["article75"] is None
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):  # no Article 75 decision for the MIB
        step(world, world.mib_handler, info, "applyArticle75", isArticle75=True)
    clock.set(midnight(date(2026, 3, 24)))
    assert run_due_timeouts().moved == 0
    info = step(world, world.mib_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    claim = expect(info, "LiabilityAdmitted", CR, world.cr)
    assert_no_deadline(claim)
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    expect(info, "StartOfStage21", CR, world.cr)


def test_stage1_payment_is_recorded_without_moving_the_claim(world: World, clock: FixedClock) -> None:
    info = reach(world, "RTA", "LiabilityAdmitted")
    with refused(clock, "WRONG_SIDE", "operation"):
        step(world, world.comp_handler, info, "setStage1Payment", isStage1Paid=True)
    info = step(world, world.cr_handler, info, "setStage1Payment", isStage1Paid=True)
    claim = expect(info, "LiabilityAdmitted", CR, world.cr)
    assert claim.state["stage1_paid"] is True
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setStage1Payment", isStage1Paid=False)
    claim = expect(info, "StartOfStage21", CR, world.cr)
    assert claim.state["stage1_paid"] is False
    assert trail(info)[-3:] == [
        ("setStage1Payment", "LiabilityAdmitted", "LiabilityAdmitted"),
        ("acknowledgeLiabilityAdmitted", "LiabilityAdmitted", "StartOfStage21"),
        ("setStage1Payment", "StartOfStage21", "StartOfStage21"),
    ]


def test_stage1_payment_is_refused_before_liability_is_admitted(world: World, clock: FixedClock) -> None:
    for n, phase in enumerate(["ClaimSubmitted", "Article75Decision", "LiabilityDecision"]):
        info = reach(world, "RTA", phase, surname=f"Early{n}")
        with refused(clock, "WRONG_PHASE", "phaseCacheId"):
            step(world, world.cr_handler, info, "setStage1Payment", isStage1Paid=True)


def test_stage1_payment_is_refused_after_liability_admitted_with_negligence(
    world: World, clock: FixedClock
) -> None:
    info = reach(world, "RTA", "LiabilityDecision")
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="AN")
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):
        step(world, world.cr_handler, info, "setStage1Payment", isStage1Paid=True)


@pytest.mark.parametrize("claim_type", ELPL_TYPES)
def test_stage1_payment_does_not_exist_for_el_and_pl(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    info = reach(world, claim_type, "LiabilityAdmitted")
    with refused(clock, "NOT_FOUND", "operation"):
        step(world, world.cr_handler, info, "setStage1Payment", isStage1Paid=True)


# --------------------------------------------------------------------------------------------------
# EL, ELD, PL: send, acknowledge, accept, liability decision, acknowledgement
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["A", "AN", "N"])
@pytest.mark.parametrize("claim_type", ELPL_TYPES)
def test_an_elpl_claim_is_acknowledged_accepted_and_decided(
    world: World, clock: FixedClock, claim_type: str, decision: str
) -> None:
    decided, acknowledgement, end, end_owner = OUTCOMES[decision]
    days = ELPL_DAYS[claim_type] + 1  # the acknowledgement day, then the period
    info = send_claim(world, claim_type)
    claim = expect(info, "ClaimAcknowledgement", COMP, world.comp)
    assert_deadline_after_sending(claim, days)
    assert claim.state["sent_on"] == "2026-03-02" and claim.state["insurer_type"] is None
    assert claim.cnf is not None
    assert claim.cnf["applicationData"]["claimDetails"]["notificationDate"] == "2026-03-02"
    assert claim.cnf["applicationData"]["claimDetails"]["claimType"] == claim_type
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):  # acknowledged first
        step(world, world.comp_handler, info, "acceptClaim")

    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=LONDON))  # acknowledged on the day it is due
    info = step(world, world.comp_handler, info, "acknowledgeClaim")
    claim = expect(info, "ClaimSubmitted", COMP, world.comp)
    assert claim.state["acknowledged_on"] == "2026-03-03"
    assert_deadline_after_sending(claim, days)

    info = step(world, world.comp_handler, info, "acceptClaim")
    claim = expect(info, "LiabilityDecision", COMP, world.comp)
    assert_deadline_after_sending(claim, days)

    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision=decision)
    claim = expect(info, decided, CR, world.cr)
    assert_no_deadline(claim)
    assert claim.state["child_at"] == {"stage1Response": False}
    assert claim.comp_reference == "ACME/2024/42"

    info = step(world, world.cr_handler, info, acknowledgement)
    expect(info, end, end_owner, world.cr if end_owner else None)
    assert trail(info) == [
        ("addClaim", "ClaimDataInputEdit", "ClaimAcknowledgement"),
        ("acknowledgeClaim", "ClaimAcknowledgement", "ClaimSubmitted"),
        ("acceptClaim", "ClaimSubmitted", "LiabilityDecision"),
        ("sendLiabilityDecision", "LiabilityDecision", decided),
        (acknowledgement, decided, end),
    ]


@pytest.mark.parametrize("claim_type", ELPL_TYPES)
def test_an_elpl_acknowledgement_before_it_is_due_starts_the_period_that_day(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    info = send_claim(world, claim_type)
    clock.advance(timedelta(hours=5))  # still Monday 2 March: the step is due on Tuesday
    info = step(world, world.comp_handler, info, "acknowledgeClaim")
    claim = expect(info, "ClaimSubmitted", COMP, world.comp)
    assert claim.state["acknowledged_on"] == "2026-03-02"
    days = ELPL_DAYS[claim_type]
    assert_deadline_after_sending(claim, days)  # EL/ELD 30, PL 40 from Monday: one day earlier
    info = step(world, world.comp_handler, info, "acceptClaim")
    assert_deadline_after_sending(expect(info, "LiabilityDecision", COMP, world.comp), days)


@pytest.mark.parametrize("claim_type", ELPL_TYPES)
def test_a_late_elpl_acknowledgement_does_not_move_the_deadline(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    info = send_claim(world, claim_type)
    clock.set(datetime(2026, 3, 6, 16, 0, tzinfo=LONDON))  # Friday, three business days late
    info = step(world, world.comp_handler, info, "acknowledgeClaim")
    claim = expect(info, "ClaimSubmitted", COMP, world.comp)
    assert claim.state["acknowledged_on"] == "2026-03-06"
    assert_deadline_after_sending(claim, ELPL_DAYS[claim_type] + 1)


# --------------------------------------------------------------------------------------------------
# Rejection, resending, exit of a rejected claim
# --------------------------------------------------------------------------------------------------


REJECTIONS = [(t, code) for t in ALL_TYPES for code in REJECTION_CODES[protocol_of(t)]]


@pytest.mark.parametrize(("claim_type", "code"), REJECTIONS)
def test_a_claim_rejected_with_each_valid_reason_can_be_acknowledged_and_exited(
    world: World, claim_type: str, code: str
) -> None:
    info = reach(world, claim_type, "ClaimSubmitted")
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode=code)
    claim = expect(info, "AcknowledgeRejectedClaim", CR, world.cr)
    assert_no_deadline(claim)
    event = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
    assert event is not None and event.payload == {"rejectionReasonCode": code}
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    claim = expect(info, "ClaimsRejectedToCR", CR, world.cr)
    assert_no_deadline(claim)
    info = step(world, world.cr_handler, info, "exitRejectedClaim")
    claim = expect(info, "ExitRejectedClaim", None, None)
    assert_no_deadline(claim)
    assert claim.comp_organisation_id == world.comp.pk
    assert [t[0] for t in trail(info)][-3:] == [
        "rejectClaimToCR",
        "acknowledgeRejectedClaim",
        "exitRejectedClaim",
    ]


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_a_rejection_reason_outside_the_protocols_list_is_a_business_rule(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    valid = REJECTION_CODES[protocol_of(claim_type)]
    info = reach(world, claim_type, "ClaimSubmitted")
    for code in [str(n) for n in range(10) if str(n) not in valid]:
        with refused(clock, "BUSINESS_RULE", "rejectionReasonCode") as caught:
            step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode=code)
        assert ", ".join(valid) in caught[0].message, code


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_a_claim_can_only_be_rejected_while_submitted(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    phases = [p for p in COMP_STAGE1_PHASES[protocol_of(claim_type)] if p != "ClaimSubmitted"]
    for n, phase in enumerate(phases):
        info = reach(world, claim_type, phase, surname=f"Late{n}")
        with refused(clock, "WRONG_PHASE", "phaseCacheId"):
            step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="0")


def _reject(world: World, info: ClaimInfo) -> ClaimInfo:
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    return step(world, world.cr_handler, info, "acknowledgeRejectedClaim")


# Resent on Tuesday 10 March 2026: RTA 15 business days, EL/ELD 1 + 30, PL 1 + 40 (Early May bank
# holiday on 4 May 2026).
RESENT = date(2026, 3, 10)
LAST_DAY_AFTER_RESENDING = {
    "RTA": (15, date(2026, 3, 31)),
    "EL": (31, date(2026, 4, 24)),
    "ELD": (31, date(2026, 4, 24)),
    "PL": (41, date(2026, 5, 11)),
}


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_resending_a_rejected_claim_restarts_the_liability_timer_from_the_resend_day(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    info = _reject(world, reach(world, claim_type, "ClaimSubmitted"))
    clock.set(datetime(2026, 3, 10, 11, 30, tzinfo=LONDON))
    info = step(
        world, world.cr_handler, info, "resendRejectedClaim", cnf=cnf(claim_type, surname="Corrected")
    )
    claim = expect(info, first_phase(claim_type), COMP, world.comp)
    days, last_day = LAST_DAY_AFTER_RESENDING[claim_type]
    assert_liability_deadline(claim, anchor=RESENT, days=days, last_day=last_day)
    assert claim.state["sent_on"] == "2026-03-10"
    assert claim.state["acknowledged_on"] is None
    assert claim.sent_at == datetime(2026, 3, 10, 11, 30, tzinfo=LONDON)
    assert claim.claimant_surname == "Corrected"
    assert claim.cr_reference == "REF-Corrected"
    assert claim.comp_organisation_id == world.comp.pk
    assert claim.cnf is not None
    insurer = claim.cnf["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]
    assert (insurer["insurerOrganizationID"], insurer["insurerOrganizationPath"]) == (
        world.comp.org_id,
        world.comp.path,
    )
    if claim_type != "RTA":
        assert claim.cnf["applicationData"]["claimDetails"]["notificationDate"] == "2026-03-10"
    # The old deadline (counted from 2 March) is gone: nothing times out on its day.
    old_fires = midnight(LAST_DAY_AFTER_SENDING[days] + timedelta(days=1))
    clock.set(old_fires)
    assert run_due_timeouts().moved == 0
    clock.set(midnight(last_day + timedelta(days=1)))
    assert run_due_timeouts().by_phase == {first_phase(claim_type): 1}
    expect(current(info), "LiabilityDecisionTimeout", CR, world.cr)


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_resending_to_another_compensator_moves_the_claim_to_its_central_point_unallocated(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    info = reach(world, claim_type, "ClaimSubmitted")
    info = step(world, world.comp_leader, info, "allocateUser", targetUserID="comp.handler")
    assert Claim.objects.get(pk=info.application_id).comp_allocated_user_id == world.comp_handler.pk
    info = _reject(world, info)
    info = step(world, world.cr_handler, info, "lockClaim")
    clock.set(datetime(2026, 3, 10, 11, 30, tzinfo=LONDON))
    info = step(
        world, world.cr_handler, info, "resendRejectedClaim", compensator=world.tpa.path, cnf=cnf(claim_type)
    )
    claim = expect(info, first_phase(claim_type), COMP, world.tpa)
    assert claim.comp_organisation_id == world.tpa.pk
    assert claim.comp_branch == world.tpa.branches.get(branch_id="001")
    assert claim.comp_branch is not None and claim.comp_branch.kind == "CENTRAL_POINT"
    assert claim.comp_allocated_user_id is None
    assert claim.locked_by_id is None and claim.locked_at is None
    days, last_day = LAST_DAY_AFTER_RESENDING[claim_type]
    assert_liability_deadline(claim, anchor=RESENT, days=days, last_day=last_day)
    assert claim.cnf is not None
    insurer = claim.cnf["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]
    assert insurer["insurerOrganizationID"] == world.tpa.org_id
    # The first compensator no longer sees the claim; the new one takes it on.
    with refused(clock, "NOT_FOUND", "applicationId"):
        step(world, world.comp_handler, info, "acceptClaim")
    next_step = "acceptClaim" if claim_type == "RTA" else "acknowledgeClaim"
    info = step(world, world.tpa_handler, info, next_step)
    expect(info, "Article75Decision" if claim_type == "RTA" else "ClaimSubmitted", COMP, world.tpa)


# --------------------------------------------------------------------------------------------------
# Reassignment to another compensator of the same group
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim_type", "phase"),
    [
        ("RTA", "ClaimSubmitted"),
        *[(t, p) for t in ELPL_TYPES for p in ("ClaimAcknowledgement", "ClaimSubmitted")],
    ],
)
def test_reassigning_to_a_tpa_of_the_same_group_keeps_the_deadline(
    world: World, clock: FixedClock, claim_type: str, phase: str
) -> None:
    info = reach(world, claim_type, phase)
    before = Claim.objects.get(pk=info.application_id)
    clock.set(datetime(2026, 3, 9, 10, 0, tzinfo=LONDON))  # a week later
    info = step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    claim = expect(info, phase, COMP, world.tpa)
    assert claim.comp_organisation_id == world.tpa.pk
    assert claim.comp_branch == world.tpa.branches.get(branch_id="001")
    assert claim.comp_allocated_user_id is None
    deadline = ("deadline_at", "deadline_kind", "deadline_anchor", "deadline_business_days")
    assert [getattr(claim, c) for c in deadline] == [getattr(before, c) for c in deadline]
    assert claim.deadline_at is not None
    assert claim.state == before.state
    with refused(clock, "NOT_FOUND", "applicationId"):
        step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.comp.path)
    next_step = {"ClaimSubmitted": "acceptClaim", "ClaimAcknowledgement": "acknowledgeClaim"}[phase]
    assert step(world, world.tpa_handler, info, next_step).phase != phase


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_reassigning_after_acceptance_is_refused(world: World, clock: FixedClock, claim_type: str) -> None:
    accepted = ["Article75Decision", "LiabilityDecision"] if claim_type == "RTA" else ["LiabilityDecision"]
    for n, phase in enumerate(accepted):
        info = reach(world, claim_type, phase, surname=f"Accepted{n}")
        with refused(clock, "WRONG_PHASE", "phaseCacheId"):
            step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_reassigning_to_an_unrelated_compensator_is_a_business_rule(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    elsewhere = unrelated_compensator()
    info = reach(world, claim_type, "ClaimSubmitted")
    with refused(clock, "BUSINESS_RULE", "organisationPath") as caught:
        step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=elsewhere.path)
    assert "same group" in caught[0].message


# --------------------------------------------------------------------------------------------------
# Fraud
# --------------------------------------------------------------------------------------------------

COMP_PHASES = [(t, p) for t in ALL_TYPES for p in COMP_STAGE1_PHASES[protocol_of(t)]]


@pytest.mark.parametrize(("claim_type", "phase"), COMP_PHASES)
def test_fraud_stated_in_each_stage1_compensator_phase_ends_after_the_cr_acknowledges(
    world: World, claim_type: str, phase: str
) -> None:
    info = reach(world, claim_type, phase)
    info = step(
        world, world.comp_handler, info, "stateFraud", reasonCode="0", reasonDescription="Staged collision"
    )
    claim = expect(info, "FraudStated", CR, world.cr)
    assert_no_deadline(claim)
    event = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
    assert event is not None
    assert (event.operation, event.phase_before) == ("stateFraud", phase)
    assert event.payload == {"reasonCode": "0", "reasonDescription": "Staged collision"}
    info = step(world, world.cr_handler, info, "acknowledgeFraudStated")
    claim = expect(info, "FraudStatedEnd", None, None)
    assert_no_deadline(claim)


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_fraud_cannot_be_stated_by_the_cr_or_after_the_liability_decision(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    fraud = {"reasonCode": "0", "reasonDescription": "Staged"}
    info = reach(world, claim_type, "ClaimSubmitted")
    with refused(clock, "WRONG_SIDE", "operation"):
        step(world, world.cr_handler, info, "stateFraud", **fraud)
    admitted = reach(world, claim_type, "LiabilityAdmitted", surname="Admitted")
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):
        step(world, world.comp_handler, admitted, "stateFraud", **fraud)


# --------------------------------------------------------------------------------------------------
# exitProcess
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_the_compensator_exits_with_each_of_its_codes_in_each_stage1_phase_and_the_cr_acknowledges(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    for code in ALLOWED_EXIT_CODES[(protocol_of(claim_type), COMP)]:
        for phase in COMP_STAGE1_PHASES[protocol_of(claim_type)]:
            info = reach(world, claim_type, phase, surname=f"Exit{code}")
            info = step(
                world, world.comp_handler, info, "exitProcess", exitReasonCode=code, exitComment="Out"
            )
            claim = expect(info, "ExitProcess", CR, world.cr)
            assert_no_deadline(claim)
            assert (claim.state["exit_side"], claim.state["exit_code"]) == (COMP, code)
            if code == "1":
                with refused(clock, "WRONG_SIDE", "operation"):  # the side that exited does not acknowledge
                    step(world, world.comp_handler, info, "acknowledgeExitProcess")
            info = step(world, world.cr_handler, info, "acknowledgeExitProcess")
            expect(info, "ExitProcessEnd", None, None)
            assert trail(info)[-2:] == [
                ("exitProcess", phase, "ExitProcess"),
                ("acknowledgeExitProcess", "ExitProcess", "ExitProcessEnd"),
            ], (code, phase)


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_the_cr_exits_with_each_of_its_codes_at_the_start_of_stage21_and_the_compensator_acknowledges(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    """The CR owns no Stage 1 phase in which it may exit; its first chance is Start of Stage 2.1."""
    for code in ALLOWED_EXIT_CODES[(protocol_of(claim_type), CR)]:
        info = reach(world, claim_type, "StartOfStage21", surname=f"Exit{code}")
        info = step(world, world.cr_handler, info, "exitProcess", exitReasonCode=code, exitComment="Out")
        claim = expect(info, "ExitProcess", COMP, world.comp)
        assert (claim.state["exit_side"], claim.state["exit_code"]) == (CR, code)
        if code == "2":
            with refused(clock, "WRONG_SIDE", "operation"):  # the side that exited does not acknowledge
                step(world, world.cr_handler, info, "acknowledgeExitProcess")
        info = step(world, world.comp_handler, info, "acknowledgeExitProcess")
        expect(info, "ExitProcessEnd", None, None)


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_the_cr_cannot_exit_in_a_stage1_phase(world: World, clock: FixedClock, claim_type: str) -> None:
    exit_payload = {"exitReasonCode": "2", "exitComment": "Out"}
    submitted = reach(world, claim_type, "ClaimSubmitted")
    with refused(clock, "WRONG_SIDE", "operation"):  # the compensator's turn
        step(world, world.cr_handler, submitted, "exitProcess", **exit_payload)
    admitted = reach(world, claim_type, "LiabilityAdmitted", surname="Admitted")
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):
        step(world, world.cr_handler, admitted, "exitProcess", **exit_payload)
    rejected = _reject(world, reach(world, claim_type, "ClaimSubmitted", surname="Rejected"))
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):
        step(world, world.cr_handler, rejected, "exitProcess", **exit_payload)


@pytest.mark.parametrize("side", [COMP, CR])
@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_exit_codes_the_side_may_not_use_are_a_business_rule(
    world: World, clock: FixedClock, claim_type: str, side: str
) -> None:
    allowed = ALLOWED_EXIT_CODES[(protocol_of(claim_type), side)]
    not_allowed = [c for c in KNOWN_EXIT_CODES if c not in allowed] + ["0", "16", "99"]
    info = reach(world, claim_type, "LiabilityDecision" if side == COMP else "StartOfStage21")
    user = world.comp_handler if side == COMP else world.cr_handler
    for code in not_allowed:
        with refused(clock, "BUSINESS_RULE", "exitReasonCode"):
            step(world, user, info, "exitProcess", exitReasonCode=code, exitComment="Out")
    # The refusals left the claim as it was: the guid the user read still works.
    assert step(world, user, info, "exitProcess", exitReasonCode=allowed[-1], exitComment="Out").phase == (
        "ExitProcess"
    )


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_exit_code_1_is_refused_after_the_liability_decision(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    info = reach(world, claim_type, "Stage2SettlementPackDecision")  # the compensator's turn again
    with refused(clock, "BUSINESS_RULE", "exitReasonCode") as caught:
        step(world, world.comp_handler, info, "exitProcess", exitReasonCode="1", exitComment="Incomplete")
    assert "before the liability decision" in caught[0].message
    info = step(world, world.comp_handler, info, "exitProcess", exitReasonCode="2", exitComment="Low value")
    claim = expect(info, "ExitProcess", CR, world.cr)
    assert claim.state["exit_code"] == "2"


# --------------------------------------------------------------------------------------------------
# The liability timeout
# --------------------------------------------------------------------------------------------------


def _timeout_case(claim_type: str, phase: str) -> tuple[str, str, int]:
    """(claim type, phase, business days from sending). EL/PL claims are walked on the sending day, so
    an acknowledgement there is early and the period counts from that day."""
    if claim_type == "RTA":
        return claim_type, phase, 15
    early = phase != "ClaimAcknowledgement"
    return claim_type, phase, ELPL_DAYS[claim_type] + (0 if early else 1)


@pytest.mark.parametrize(("claim_type", "phase", "days"), [_timeout_case(t, p) for t, p in COMP_PHASES])
def test_the_liability_timeout_fires_at_midnight_after_the_last_day_and_the_cr_acknowledges_it(
    world: World, clock: FixedClock, claim_type: str, phase: str, days: int
) -> None:
    info = reach(world, claim_type, phase)
    fires = midnight(LAST_DAY_AFTER_SENDING[days] + timedelta(days=1))
    assert_deadline_after_sending(Claim.objects.get(pk=info.application_id), days)
    # One minute before, nothing happens.
    before = database()
    clock.set(fires - timedelta(minutes=1))
    assert run_due_timeouts().moved == 0
    assert database() == before
    # At the deadline the claim times out.
    clock.set(fires)
    result = run_due_timeouts()
    assert (result.moved, result.by_phase) == (1, {phase: 1})
    claim = expect(current(info), "LiabilityDecisionTimeout", CR, world.cr)
    assert_no_deadline(claim)
    assert claim.updated_at == fires
    event = ClaimEvent.objects.filter(claim=claim).order_by("-pk").first()
    assert event is not None
    assert (event.operation, event.actor_side, event.phase_before) == ("timeout", "SYSTEM", phase)
    assert event.payload["timer"] == "LIABILITY"
    # The compensator is too late; the guid it read is stale.
    with refused(clock, "STALE_ACTIVITY_GUID", "activityEngineGuid"):
        step(world, world.comp_handler, info, "stateFraud", reasonCode="0", reasonDescription="Late")
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):
        step(world, world.comp_handler, current(info), "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, current(info), "acknowledgeLiabilityDecisionTimeout")
    expect(info, "LiabilityDecisionTimeoutEnd", None, None)
    assert run_due_timeouts(now=fires + timedelta(days=365)).moved == 0


# --------------------------------------------------------------------------------------------------
# Child claimants
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_type", ALL_TYPES)
def test_liability_admitted_for_a_child_is_acknowledged_into_stage21(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    info = reach(world, claim_type, "LiabilityDecision", dob=None, child=True)  # born 10 Jan 2020
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.state["claimant_date_of_birth"] == "2020-01-10" and claim.state["child_declared"] is True
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    claim = expect(info, "LiabilityAdmittedForChild", CR, world.cr)
    assert claim.state["child_at"] == {"stage1Response": True}
    assert_no_deadline(claim)
    with refused(clock, "WRONG_PHASE", "phaseCacheId"):
        step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmittedForChild")
    claim = expect(info, "StartOfStage21", CR, world.cr)
    assert claim.state["child_at"] == {"stage1Response": True}
    # No interim settlement pack for a child (WORKFLOW.md §4.2 P07).
    with refused(clock, "BUSINESS_RULE", "isInterimPaymentNeeded"):
        step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=True)


@pytest.mark.parametrize("decision", ["AN", "N"])
@pytest.mark.parametrize("claim_type", ["RTA", "PL"])
def test_a_child_claim_with_liability_not_fully_admitted_ends_like_an_adults(
    world: World, claim_type: str, decision: str
) -> None:
    decided, acknowledgement, end, _ = OUTCOMES[decision]
    info = reach(world, claim_type, "LiabilityDecision", dob=None, child=True)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision=decision)
    claim = expect(info, decided, CR, world.cr)
    assert claim.state["child_at"] == {"stage1Response": True}
    expect(step(world, world.cr_handler, info, acknowledgement), end, None, None)


@pytest.mark.parametrize(
    ("decided_on", "phase", "child"),
    [
        (date(2026, 3, 4), "LiabilityAdmittedForChild", True),  # the day before the 18th birthday
        (date(2026, 3, 5), "LiabilityAdmitted", False),  # the 18th birthday
    ],
)
@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_a_claimant_is_a_child_if_under_18_on_the_day_of_the_liability_decision(
    world: World, clock: FixedClock, claim_type: str, decided_on: date, phase: str, child: bool
) -> None:
    info = reach(world, claim_type, "LiabilityDecision", dob=date(2008, 3, 5))  # 17 when sent
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.state["child_declared"] is True
    clock.set(datetime.combine(decided_on, time(10, 0), tzinfo=LONDON))
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    claim = expect(info, phase, CR, world.cr)
    assert claim.state["child_at"] == {"stage1Response": child}


# --------------------------------------------------------------------------------------------------
# Bad input never writes anything
# --------------------------------------------------------------------------------------------------


def _future_accident(claim_type: str) -> dict[str, Any]:
    form = cnf(claim_type)
    form["accidentData"]["accidentDetails"]["accidentDate"] = "2026-03-03"  # tomorrow
    return form


def _response_without_reasons(protocol: str) -> dict[str, Any]:
    response = insurer_response_example(protocol, "N")
    del response["liabilityCausation"]["unadmittedLiabilityReasons"]
    return response


ACCIDENT_DATE = "cnf.accidentData.accidentDetails.accidentDate"
REASONS = "insurerResponse.liabilityCausation.unadmittedLiabilityReasons"


@dataclass(frozen=True)
class BadInput:
    claim_type: str
    phase: str | None  # None: addClaim of a new claim
    side: str
    operation: str
    payload: Callable[[World], dict[str, Any]]
    code: str
    field: str


BAD_INPUTS = {
    "rta-cnf-with-a-future-accident-date": BadInput(
        "RTA",
        None,
        CR,
        "addClaim",
        lambda w: {"claimType": "RTA", "compensator": w.comp.path, "cnf": _future_accident("RTA")},
        "SCHEMA_INVALID",
        ACCIDENT_DATE,
    ),
    "pl-cnf-with-a-future-accident-date": BadInput(
        "PL",
        None,
        CR,
        "addClaim",
        lambda w: {"claimType": "PL", "compensator": w.comp.path, "cnf": _future_accident("PL")},
        "SCHEMA_INVALID",
        ACCIDENT_DATE,
    ),
    "rta-denial-without-reasons": BadInput(
        "RTA",
        "LiabilityDecision",
        COMP,
        "sendLiabilityDecision",
        lambda w: {"insurerResponse": _response_without_reasons("RTA")},
        "SCHEMA_INVALID",
        REASONS,
    ),
    "el-denial-without-reasons": BadInput(
        "EL",
        "LiabilityDecision",
        COMP,
        "sendLiabilityDecision",
        lambda w: {"insurerResponse": _response_without_reasons("EL")},
        "SCHEMA_INVALID",
        REASONS,
    ),
    "rta-compensator-exit-with-a-cr-code": BadInput(
        "RTA",
        "LiabilityDecision",
        COMP,
        "exitProcess",
        lambda w: {"exitReasonCode": "4", "exitComment": "Too complex"},
        "BUSINESS_RULE",
        "exitReasonCode",
    ),
    "eld-cr-exit-with-code-9": BadInput(
        "ELD",
        "StartOfStage21",
        CR,
        "exitProcess",
        lambda w: {"exitReasonCode": "9", "exitComment": "Other"},
        "BUSINESS_RULE",
        "exitReasonCode",
    ),
    "pl-exit-code-not-a-number": BadInput(
        "PL",
        "ClaimAcknowledgement",
        COMP,
        "exitProcess",
        lambda w: {"exitReasonCode": "X1", "exitComment": "Other"},
        "SCHEMA_INVALID",
        "exitReasonCode",
    ),
    "el-exit-without-a-comment": BadInput(
        "EL",
        "ClaimSubmitted",
        COMP,
        "exitProcess",
        lambda w: {"exitReasonCode": "2"},
        "SCHEMA_INVALID",
        "exitComment",
    ),
    "eld-rejection-with-the-rta-only-reason": BadInput(
        "ELD",
        "ClaimSubmitted",
        COMP,
        "rejectClaimToCR",
        lambda w: {"rejectionReasonCode": "2"},
        "BUSINESS_RULE",
        "rejectionReasonCode",
    ),
    "rta-fraud-with-an-unknown-reason-code": BadInput(
        "RTA",
        "Article75Decision",
        COMP,
        "stateFraud",
        lambda w: {"reasonCode": "1", "reasonDescription": "Staged"},
        "SCHEMA_INVALID",
        "reasonCode",
    ),
    "rta-article-75-not-a-boolean": BadInput(
        "RTA",
        "Article75Decision",
        COMP,
        "applyArticle75",
        lambda w: {"isArticle75": "perhaps"},
        "SCHEMA_INVALID",
        "isArticle75",
    ),
    "el-resent-as-a-pl-claim": BadInput(
        "EL",
        "ClaimsRejectedToCR",
        CR,
        "resendRejectedClaim",
        lambda w: {"cnf": cnf("PL")},
        "BUSINESS_RULE",
        "cnf.applicationData.claimDetails.claimType",
    ),
    "rta-resent-to-an-unknown-compensator": BadInput(
        "RTA",
        "ClaimsRejectedToCR",
        CR,
        "resendRejectedClaim",
        lambda w: {"compensator": "/COMP999", "cnf": cnf("RTA")},
        "BUSINESS_RULE",
        "compensator",
    ),
    "pl-resent-with-a-future-accident-date": BadInput(
        "PL",
        "ClaimsRejectedToCR",
        CR,
        "resendRejectedClaim",
        lambda w: {"cnf": _future_accident("PL")},
        "SCHEMA_INVALID",
        ACCIDENT_DATE,
    ),
    "rta-reassigned-to-the-mib": BadInput(
        "RTA",
        "ClaimSubmitted",
        COMP,
        "reassignToAnotherCM",
        lambda w: {"organisationPath": w.mib.path},
        "BUSINESS_RULE",
        "organisationPath",
    ),
}


def _bring_to(world: World, claim_type: str, phase: str) -> ClaimInfo:
    if phase == "ClaimsRejectedToCR":
        return _reject(world, reach(world, claim_type, "ClaimSubmitted"))
    return reach(world, claim_type, phase)


@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_writes_nothing(world: World, clock: FixedClock, case: BadInput) -> None:
    other = send_claim(world, "RTA", surname="Bystander")  # other claims are untouched too
    user: User = world.comp_handler if case.side == COMP else world.cr_handler
    payload = case.payload(world)
    if case.phase is None:
        with refused(clock, case.code, case.field):
            perform(actor=world.actor(user), operation=case.operation, payload=payload)
        assert Claim.objects.count() == 1
        return
    info = _bring_to(world, case.claim_type, case.phase)
    with refused(clock, case.code, case.field):
        perform(
            actor=world.actor(user),
            operation=case.operation,
            application_id=info.application_id,
            activity_guid=info.activity_guid,
            payload=payload,
        )
    assert Claim.objects.get(pk=other.application_id).phase == "ClaimSubmitted"
