"""The protocol's guards on part of a form (``engine.guard_problems``, issue 18): what a page of a
long form can be told at once. Each problem is the one ``decide`` gives for the whole form (same
field, same words); a guard whose inputs are not all given waits (no problem yet)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.engine import decide, guard_problems
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms import examples as ex
from claimsportal.protocols.partial import Missing, PartialPayload
from claimsportal.protocols.payloads import RtaStage2ResponsePayload
from claimsportal.protocols.state import ClaimState
from claimsportal.protocols.tables import RTA
from claimsportal.protocols.timers import DeadlineSpec, TimerKind
from claimsportal.protocols.types import ClaimType, Side

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
CALENDAR = BusinessCalendar()
HEADS = ex.STAGE2_HEADS["RTA"]  # general damages (11) of 3,500.00 first
STATE = ClaimState(claim_type=ClaimType.RTA, stage2_sent_on=date(2026, 3, 2), claimed_heads=HEADS)
DEADLINE = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=date(2026, 3, 2), business_days=15)
RESPONSE = "addStage2SPFResponse"
REPLIES = "s2spfResponse.defendantReplies.currentDefendantResponse"
ABOVE = "must not be more than the 3500.00 claimed for loss type 11 (General damages (PSLA))"


def _problems(
    operation: str, payload: dict[str, Any], phase: str, side: Side = Side.COMP
) -> list[ErrorDetail]:
    return guard_problems(
        RTA,
        phase=phase,
        state=STATE,
        deadline=DEADLINE,
        operation=operation,
        side=side,
        payload=payload,
        now=NOW,
        calendar=CALENDAR,
    )


def _refused(
    operation: str, payload: dict[str, Any], phase: str, side: Side = Side.COMP
) -> list[ErrorDetail]:
    """What sending the whole form is refused with."""
    with pytest.raises(PortalError) as refusal:
        decide(
            RTA,
            phase=phase,
            owner=side,
            state=STATE,
            deadline=DEADLINE,
            operation=operation,
            side=side,
            payload=payload,
            now=NOW,
            calendar=CALENDAR,
        )
    assert refusal.value.code == "BUSINESS_RULE"
    return refusal.value.details


def _response(decision: str = "CO", general_damages: str = "3000.00") -> dict[str, Any]:
    form = ex.stage2_response_example("RTA", decision, claimed=HEADS)
    form["defendantReplies"]["currentDefendantResponse"][0]["grossValueClaimed"] = general_damages
    return {"s2spfResponse": form}


def _only(payload: dict[str, Any], *blocks: str) -> dict[str, Any]:
    """The payload with only ``blocks`` of its form (the answers of the pages given so far)."""
    (key, form), *_ = payload.items()
    return {key: {name: copy.deepcopy(form[name]) for name in blocks}}


def test_a_reply_above_the_claim_is_refused_from_the_replies_alone_in_the_words_of_the_send() -> None:
    whole = _response(general_damages="3600.00")
    sent = _refused(RESPONSE, whole, "Stage2SettlementPackDecision")
    assert sent == [ErrorDetail(f"{REPLIES}.0.grossValueClaimed", ABOVE)]
    partial = _only(whole, "defendantReplies")  # the decision, on a later page, not given yet
    problems = _problems(RESPONSE, partial, "Stage2SettlementPackDecision")
    assert problems == sent
    assert [p.message for p in problems] == [p.message for p in sent]


def test_replies_within_the_claim_have_no_problem_and_every_head_waits_for_the_decision() -> None:
    whole = _response()
    assert _problems(RESPONSE, whole, "Stage2SettlementPackDecision") == []
    replies = whole["s2spfResponse"]["defendantReplies"]["currentDefendantResponse"]
    del replies[1:]  # general damages answered alone
    assert _problems(RESPONSE, _only(whole, "defendantReplies"), "Stage2SettlementPackDecision") == []
    # with the decision given, "reply to every head" runs, as at the send
    given = _only(whole, "defendantReplies", "agreementData")
    problems = _problems(RESPONSE, given, "Stage2SettlementPackDecision")
    assert problems and all(p.field == REPLIES for p in problems)
    assert problems == _refused(RESPONSE, whole, "Stage2SettlementPackDecision")


def test_an_agreement_decision_given_compares_the_replies_with_the_claimants_figures() -> None:
    whole = _response(decision="C")
    whole["s2spfResponse"]["defendantReplies"]["currentDefendantResponse"][0]["grossValueClaimed"] = "3000.00"
    sent = _refused(RESPONSE, whole, "Stage2SettlementPackDecision")
    given = _only(whole, "defendantReplies", "agreementData")
    assert _problems(RESPONSE, given, "Stage2SettlementPackDecision") == sent
    assert "C accepts the claimant's figures" in sent[0].message


def test_an_input_not_given_or_not_valid_waits_for_the_send() -> None:
    assert _problems(RESPONSE, {}, "Stage2SettlementPackDecision") == []
    assert _problems(RESPONSE, {"s2spfResponse": {}}, "Stage2SettlementPackDecision") == []
    bad = _only(_response(general_damages="lots"), "defendantReplies")
    assert _problems(RESPONSE, bad, "Stage2SettlementPackDecision") == []  # the form's own check says it
    # an operation not possible in the phase: nothing here (the send refuses it)
    partial = _only(_response(general_damages="3600.00"), "defendantReplies")
    assert _problems(RESPONSE, partial, "Stage2SettlementPackForm") == []


def test_a_counter_offer_raising_a_head_is_refused_from_its_heads_alone() -> None:
    heads = copy.deepcopy(HEADS)
    heads["11"]["gross"] = "3900.00"
    whole = {"s2spfCounterOfferByCR": ex.counter_offer_by_cr_example("RTA", heads=heads)}
    phase = "Stage2SettlementPackCounterOfferCR"
    sent = _refused("addStage2SPFCounterOfferByCR", whole, phase, Side.CR)
    partial = _only(whole, "claimantLosses")
    assert _problems("addStage2SPFCounterOfferByCR", partial, phase, Side.CR) == sent
    assert sent[0].field == "s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer.0.grossValueClaimed"


def test_a_date_guard_runs_on_its_date_alone() -> None:
    phase = "Stage2SettlementPackDecision"
    past = {"newTimeOut": "2026-03-19"}  # the reason not given yet
    assert _problems("extendStage2SPFDecisionTimeout", past, phase) == [
        ErrorDetail("newTimeOut", "must be a date after today")
    ]
    assert _refused("extendStage2SPFDecisionTimeout", {**past, "reasonForExtension": "1"}, phase) == [
        ErrorDetail("newTimeOut", "must be a date after today")
    ]
    assert _problems("extendStage2SPFDecisionTimeout", {"reasonForExtension": "1"}, phase) == []


def test_interim_losses_under_the_minimum_are_refused_from_the_losses_alone() -> None:
    whole = {"ispfRequest": ex.interim_request_example("RTA", heads={"8": {"gross": "500.00"}})}
    phase = "InterimSettlementPackForm"
    sent = _refused("addInterimSPFRequest", whole, phase, Side.CR)
    assert [p.field for p in sent] == ["ispfRequest.claimantLosses.claimantLossesToDate"]
    partial = _only(whole, "claimantLosses")  # the statement of truth and the rest not given yet
    assert _problems("addInterimSPFRequest", partial, phase, Side.CR) == sent
    enough = {"ispfRequest": ex.interim_request_example("RTA", heads={"8": {"gross": "1500.00"}})}
    assert _problems("addInterimSPFRequest", _only(enough, "claimantLosses"), phase, Side.CR) == []


def test_a_partial_payload_reads_what_is_given_as_the_model_would() -> None:
    whole = _response(general_damages="3000.00")
    model = RtaStage2ResponsePayload
    context = {"today": NOW.date()}
    full = PartialPayload(model, whole, context)
    assert full.answers == model.model_validate(whole, context=context).answers  # the model itself
    part = PartialPayload(model, _only(whole, "defendantReplies"), context)
    assert part.answersPath == REPLIES  # a class constant
    assert part.answers[0].gross == Decimal("3000.00")  # a property, on the part given
    with pytest.raises(Missing):
        _ = part.settlementPackDecision  # on a block not given
    begun = _only(whole, "defendantReplies")
    begun["s2spfResponse"]["agreementData"] = {"finalAgreementDetails": {}}
    in_part = PartialPayload(model, begun, context).s2spfResponse.agreementData
    assert isinstance(in_part, PartialPayload)  # a block given in part is read in part
    with pytest.raises(Missing):
        _ = in_part.finalAgreementDetails.settlementPackDecision
    bad = PartialPayload(model, _only(_response(general_damages="lots"), "defendantReplies"), context)
    with pytest.raises(Missing):
        _ = bad.answers
