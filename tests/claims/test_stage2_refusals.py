"""Offers the Stage 2 forms refuse, head by head, sent through ``perform`` (WORKFLOW.md §6.5-§6.11,
§14 rules 15-16; docs/decisions.md "Stage 2 forms and money").

The forms and the engine are tested rule by rule in tests/protocols; here the same bad payloads go
through the one door the A2A API and the web use, and each refusal must name the exact field path
and message and write nothing (the claim row, its history and the notifications are unchanged). The
claim is still usable afterwards with the guid its user read: the valid form goes through.

Heads of the claims (tests.claims.test_stage2_paths): the Stage 2 Settlement Pack claims general
damages (loss type 11) of 3,500.00; the interim request loss of earnings (8) of 1,500.00; the
additional damages request adds car hire (2) of 1,200.00; the claimant's counter offer lowers general
damages to 3,400.00.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.core.clock import FixedClock
from claimsportal.protocols.forms import examples as ex
from claimsportal.protocols.forms import money
from claimsportal.protocols.types import ClaimType
from tests.claims.conftest import refused
from tests.claims.test_stage1_paths import COMP, CR
from tests.claims.test_stage2_paths import (
    Walker,
    court_pack_form,
    interim_form,
    negotiating,
    not_agreed,
    stage2_sent,
    start_of_stage21,
)
from tests.conftest import World, step
from tests.protocols.forms.helpers import MISSING, with_changes
from tests.shorthands import stage2_shorthand

GD = "11 (General damages (PSLA))"
INTERIM = "ispfResponse.defendantReplies.defendantResponse"
RESPONSE = "s2spfResponse.defendantReplies.currentDefendantResponse"
BY_CR = "s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer"
BY_CM = "s2spfCounterOfferByCM.defendantReplies.currentDefendantResponse"
AD_REQUEST = "additionalDamagesRequest.claimantLosses.currentClaimantOffer"
AD_RESPONSE = "additionalDamagesResponse.defendantReplies.currentDefendantResponse"
CPP_REQUEST = "cppfRequest.claimantLosses.lastClaimantOffer"
CPP_RESPONSE = "cppfResponse.defendantReplies.lastDefendantResponse"
DISPUTED = "disbursmentDisputed.disbursementDisputedRequestResponse"
CRU = "must not be more than the {} offered for the losses after contributory negligence: CRU benefits are deducted from that compensation"
COMPUTED = "must be {}, the gross value less the contributory negligence deduction (it is computed: it may be left out)"

# A pack with a contributory negligence deduction of 20 % and interest on medical expenses (5).
DEDUCTED_HEADS = {
    "11": {"gross": "3500.00", "percent": "20.00", "interest": "0.00"},
    "5": {"gross": "350.00", "percent": "20.00", "interest": "5.75"},
}


# --------------------------------------------------------------------------------------------------
# Where each form is sent
# --------------------------------------------------------------------------------------------------


def interim_decision(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = interim_form(world, clock, claim_type)
    w.cr("addInterimSPFRequest", amountRequested="1500.00")
    w.at("InterimPaymentDecision", COMP)
    return w


def deducted_pack_sent(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = start_of_stage21(world, clock, claim_type)
    w.cr("setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    protocol = ClaimType(claim_type).protocol.value
    w.cr("addStage2SPFRequest", s2spfRequest=ex.stage2_request_example(protocol, heads=DEDUCTED_HEADS))
    w.at("Stage2SettlementPackDecision", COMP)
    return w


def claimant_countering(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = negotiating(world, clock, claim_type)
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    w.at("Stage2SettlementPackCounterOfferCR", CR)
    return w


def compensator_countering(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = claimant_countering(world, clock, claim_type)
    w.cr("addStage2SPFCounterOfferByCR", generalDamages="3400.00")
    w.at("Stage2SettlementPackCounterOfferDecisionCM", COMP)
    return w


def additional_damages_form(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = not_agreed(world, clock, claim_type)
    w.cr("setAdditionalDamagesExistence", additionalDamagesExist=True)
    w.at("S2SPAdditionalDamagesRequestForm", CR)
    return w


def additional_damages_decision(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = additional_damages_form(world, clock, claim_type)
    w.cr("addS2SPFAdditionalDamagesRequest", hireCharges="1200.00")
    w.at("AdditionalDamagesDecision", COMP)
    return w


def court_pack_response(world: World, clock: FixedClock, claim_type: str) -> Walker:
    w = court_pack_form(world, clock, claim_type)
    w.cr("addCPPFRequest")
    w.at("CourtProceedingsPackFormResponse", COMP)
    return w


# --------------------------------------------------------------------------------------------------
# The bad offers
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadOffer:
    claim_type: str
    at: Callable[[World, FixedClock, str], Walker]
    operation: str
    shorthand: dict[str, Any]  # the valid form (tests.shorthands) the changes are made to
    changes: dict[str, Any]  # dotted path from the payload's root -> value (MISSING deletes; a
    # function is given the value there)
    code: str
    errors: dict[str, str]  # every error detail: field path -> message
    side: str = field(default=COMP)


BAD_OFFERS: dict[str, BadOffer] = {
    # Interim response (§6.6)
    "interim-offer-above-the-head-requested": BadOffer(
        "RTA",
        interim_decision,
        "addInterimSPFResponse",
        {"amountOffered": "1500.00"},
        {f"{INTERIM}.0.grossValueOffered": "1500.01", f"{INTERIM}.0.isGrossAmountAgreed": "0"},
        "BUSINESS_RULE",
        {
            f"{INTERIM}.0.grossValueOffered": "must not be more than the 1500.00 claimed for loss type 8 "
            "(Loss of earnings (claimant))"
        },
    ),
    "interim-negative-offer": BadOffer(
        "EL",
        interim_decision,
        "addInterimSPFResponse",
        {"amountOffered": "1500.00"},
        {f"{INTERIM}.0.grossValueOffered": "-1.00"},
        "SCHEMA_INVALID",
        {f"{INTERIM}.0.grossValueOffered": money.NEGATIVE},
    ),
    "interim-offer-as-a-json-float": BadOffer(
        "PL",
        interim_decision,
        "addInterimSPFResponse",
        {"amountOffered": "1500.00"},
        {f"{INTERIM}.0.grossValueOffered": 1200.5},
        "SCHEMA_INVALID",
        {f"{INTERIM}.0.grossValueOffered": money.FLOAT},
    ),
    "interim-reply-to-a-head-not-requested": BadOffer(
        "RTA",
        interim_decision,
        "addInterimSPFResponse",
        {"amountOffered": "1500.00"},
        {f"{INTERIM}.0.lossType": "5", f"{INTERIM}.0.grossValueOffered": "300.00"},
        "BUSINESS_RULE",
        {
            f"{INTERIM}.0.lossType": "loss type 5 (Medical expenses) is not a head of the claim: answer only "
            "the heads claimed (8)",
            INTERIM: "loss type 8 (Loss of earnings (claimant)) is claimed but not answered: reply to every "
            "head claimed",
        },
    ),
    "interim-cru-deductions-above-the-offer": BadOffer(
        "ELD",
        interim_decision,
        "addInterimSPFResponse",
        {"amountOffered": "1500.00"},
        {"ispfResponse.total.lossesTotal.cruDeductions": "1500.01"},
        "SCHEMA_INVALID",
        {"ispfResponse.total.lossesTotal.cruDeductions": CRU.format("1500.00")},
    ),
    # First response to the Stage 2 Settlement Pack (§6.8)
    "s2-counter-offer-above-the-head-claimed": BadOffer(
        "RTA",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO", "offer": "3500.01"},
        {},
        "BUSINESS_RULE",
        {f"{RESPONSE}.0.grossValueClaimed": f"must not be more than the 3500.00 claimed for loss type {GD}"},
    ),
    "s2-nan-offer": BadOffer(
        "EL",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO"},
        {f"{RESPONSE}.0.grossValueClaimed": "NaN"},
        "SCHEMA_INVALID",
        {f"{RESPONSE}.0.grossValueClaimed": money.NOT_FINITE},
    ),
    "s2-offer-in-fractions-of-a-penny": BadOffer(
        "PL",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO"},
        {f"{RESPONSE}.0.grossValueClaimed": "2800.005"},
        "SCHEMA_INVALID",
        {f"{RESPONSE}.0.grossValueClaimed": money.TOO_PRECISE},
    ),
    "s2-negative-interest": BadOffer(
        "RTA",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO"},
        {f"{RESPONSE}.0.interest": "-0.01"},
        "SCHEMA_INVALID",
        {f"{RESPONSE}.0.interest": money.NEGATIVE},
    ),
    "s2-confirmation-with-other-figures": BadOffer(
        "ELD",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "C"},
        {f"{RESPONSE}.0.grossValueClaimed": "3000.00"},
        "BUSINESS_RULE",
        {
            f"{RESPONSE}.0.grossValueClaimed": f"must be the 3500.00 claimed for loss type {GD}: C accepts "
            "the claimant's figures"
        },
    ),
    "s2-agreed-flag-on-a-lower-offer": BadOffer(
        "RTA",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO", "offer": "3000.00"},
        {f"{RESPONSE}.0.isGrossAmountAgreed": "1"},
        "BUSINESS_RULE",
        {
            f"{RESPONSE}.0.isGrossAmountAgreed": "is 1 (agreed) but grossValueClaimed 3000.00 is not the "
            f"3500.00 claimed for loss type {GD}: offer the amount claimed, or answer 0 (not agreed)"
        },
    ),
    "s2-total-sent-by-the-client": BadOffer(
        "EL",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO"},
        {"s2spfResponse.totalValue": "2800.00"},
        "SCHEMA_INVALID",
        {"s2spfResponse.totalValue": "Extra inputs are not permitted"},
    ),
    "s2-cru-deductions-above-the-offer": BadOffer(
        "RTA",
        stage2_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO", "offer": "2800.00"},
        {"s2spfResponse.total.currentTotal.cruDeductions": "2800.01"},
        "SCHEMA_INVALID",
        {"s2spfResponse.total.currentTotal.cruDeductions": CRU.format("2800.00")},
    ),
    "s2-smaller-deduction-lifts-the-offer-above-the-claim": BadOffer(
        "RTA",
        deducted_pack_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO"},
        {f"{RESPONSE}.0.grossValueClaimed": "3000.00", f"{RESPONSE}.0.percContribNegDeductions": "0.00"},
        "BUSINESS_RULE",
        {
            f"{RESPONSE}.0.percContribNegDeductions": f"must not be less than the claimant's 20.00 for loss "
            f"type {GD}: the offer after the deduction (3000.00) would be more than the 2800.00 claimed "
            "after it"
        },
    ),
    "s2-interest-above-the-interest-claimed": BadOffer(
        "PL",
        deducted_pack_sent,
        "addStage2SPFResponse",
        {"settlementPackDecision": "CO"},
        {f"{RESPONSE}.1.interest": "5.76"},
        "BUSINESS_RULE",
        {
            f"{RESPONSE}.1.interest": "must not be more than the 5.75 interest claimed for loss type 5 "
            "(Medical expenses)"
        },
    ),
    # Counter offers (§6.9)
    "claimants-counter-offer-raises-a-head": BadOffer(
        "RTA",
        claimant_countering,
        "addStage2SPFCounterOfferByCR",
        {"generalDamages": "3500.01"},
        {},
        "BUSINESS_RULE",
        {
            f"{BY_CR}.0.grossValueClaimed": f"must not be more than the 3500.00 claimed before for loss type "
            f"{GD}: a counter offer cannot raise a head"
        },
        side=CR,
    ),
    "claimants-counter-offer-deduction-above-100": BadOffer(
        "EL",
        claimant_countering,
        "addStage2SPFCounterOfferByCR",
        {"generalDamages": "3400.00"},
        {f"{BY_CR}.0.percContribNegDeductions": "100.01"},
        "SCHEMA_INVALID",
        {f"{BY_CR}.0.percContribNegDeductions": money.TOO_LARGE_PERCENT},
        side=CR,
    ),
    "compensators-counter-offer-above-the-claimants": BadOffer(
        "RTA",
        compensator_countering,
        "addStage2SPFCounterOfferByCM",
        {"settlementPackCounterOfferDecision": "NEWCO", "offer": "3400.01"},
        {},
        "BUSINESS_RULE",
        {f"{BY_CM}.0.grossValueOffered": f"must not be more than the 3400.00 claimed for loss type {GD}"},
    ),
    "compensators-counter-offer-as-a-json-float": BadOffer(
        "PL",
        compensator_countering,
        "addStage2SPFCounterOfferByCM",
        {"settlementPackCounterOfferDecision": "NEWCO"},
        {f"{BY_CM}.0.grossValueOffered": 3000.5},
        "SCHEMA_INVALID",
        {f"{BY_CM}.0.grossValueOffered": money.FLOAT},
    ),
    "compensator-accepts-with-other-figures": BadOffer(
        "EL",
        compensator_countering,
        "addStage2SPFCounterOfferByCM",
        {"settlementPackCounterOfferDecision": "ACO"},
        {f"{BY_CM}.0.grossValueOffered": "3300.00"},
        "BUSINESS_RULE",
        {
            f"{BY_CM}.0.grossValueOffered": f"must be the 3400.00 claimed for loss type {GD}: ACO accepts the "
            "claimant's figures"
        },
    ),
    # Additional damages (§6.10, RTA)
    "additional-damages-without-a-new-loss": BadOffer(
        "RTA",
        additional_damages_form,
        "addS2SPFAdditionalDamagesRequest",
        {"hireCharges": "1200.00"},
        {AD_REQUEST: lambda heads: [h for h in heads if h["lossType"] != "2"]},
        "BUSINESS_RULE",
        {
            AD_REQUEST: "must claim at least one loss type that the Stage 2 Settlement Pack did not claim "
            "(claimed: 11): additional damages are losses not claimed before"
        },
        side=CR,
    ),
    "additional-damages-offer-above-the-hire-claimed": BadOffer(
        "RTA",
        additional_damages_decision,
        "addS2SPFAdditionalDamagesResponse",
        {"additionalDamagesDecision": "CO"},
        {f"{AD_RESPONSE}.1.grossValueOffered": "1200.01"},
        "BUSINESS_RULE",
        {
            f"{AD_RESPONSE}.1.grossValueOffered": "must not be more than the 1200.00 claimed for loss type 2 (Car hire)"
        },
    ),
    "additional-damages-offer-with-an-exponent": BadOffer(
        "RTA",
        additional_damages_decision,
        "addS2SPFAdditionalDamagesResponse",
        {"additionalDamagesDecision": "CO"},
        {f"{AD_RESPONSE}.1.grossValueOffered": "1e3"},
        "SCHEMA_INVALID",
        {f"{AD_RESPONSE}.1.grossValueOffered": money.EXPONENT},
    ),
    # Court Proceedings Pack (§6.11)
    "court-pack-value-after-contribution-disagrees": BadOffer(
        "ELD",
        court_pack_form,
        "addCPPFRequest",
        {},
        {f"{CPP_REQUEST}.0.valueClaimedAfterContrib": "3400.00"},
        "SCHEMA_INVALID",
        {f"{CPP_REQUEST}.0.valueClaimedAfterContrib": COMPUTED.format("3500.00")},
        side=CR,
    ),
    "court-pack-final-offer-with-thousands-separators": BadOffer(
        "RTA",
        court_pack_form,
        "addCPPFRequest",
        {},
        {"cppfRequest.courtProceedingsPackPartB.claimantFinalOffer": "3,500.00"},
        "SCHEMA_INVALID",
        {"cppfRequest.courtProceedingsPackPartB.claimantFinalOffer": money.THOUSANDS},
        side=CR,
    ),
    "court-pack-response-above-the-last-offer": BadOffer(
        "EL",
        court_pack_response,
        "addCPPFResponse",
        {"offer": "3500.01"},
        {},
        "BUSINESS_RULE",
        {
            f"{CPP_RESPONSE}.0.grossValueOffered": f"must not be more than the 3500.00 claimed for loss type {GD}"
        },
    ),
    "court-pack-response-value-after-contribution-disagrees": BadOffer(
        "RTA",
        court_pack_response,
        "addCPPFResponse",
        {"offer": "2800.00"},
        {f"{CPP_RESPONSE}.0.valueOfferedAfterContrib": "2900.00"},
        "SCHEMA_INVALID",
        {f"{CPP_RESPONSE}.0.valueOfferedAfterContrib": COMPUTED.format("2800.00")},
    ),
    "court-pack-response-final-offer-with-a-currency-sign": BadOffer(
        "PL",
        court_pack_response,
        "addCPPFResponse",
        {},
        {"cppfResponse.courtProceedingsPackPartB.defendantFinalOffer": "£2800"},
        "SCHEMA_INVALID",
        {"cppfResponse.courtProceedingsPackPartB.defendantFinalOffer": money.CURRENCY},
    ),
    "court-pack-response-to-a-disbursement-not-disputed": BadOffer(
        "RTA",
        court_pack_response,
        "addCPPFResponse",
        {},
        {
            f"cppfResponse.{DISPUTED}": [
                {"disbursementId": 1, "reasonForNotPayingFullDisbursement": "Fee above the usual rate"},
                {"disbursementId": 5, "reasonForNotPayingFullDisbursement": "Not incurred"},
            ]
        },
        "BUSINESS_RULE",
        {
            f"cppfResponse.{DISPUTED}.1.disbursementId": "disbursement 5 was not disputed in the court "
            "proceedings pack request: reply only to the disbursements it disputes (1)"
        },
    ),
}


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _payload(w: Walker, case: BadOffer) -> dict[str, Any]:
    protocol = ClaimType(case.claim_type).protocol.value
    valid = stage2_shorthand(protocol, case.operation, case.shorthand, w.claim.state)
    changes = {
        path: value(_at(valid, path)) if callable(value) and value is not MISSING else value
        for path, value in case.changes.items()
    }
    return with_changes(valid, changes)


def _valid(case: BadOffer) -> dict[str, Any]:
    """The case's form without its bad amounts: the shorthand's decision only."""
    return {k: v for k, v in case.shorthand.items() if k not in ("offer", "generalDamages")}


@pytest.mark.parametrize("case", BAD_OFFERS.values(), ids=BAD_OFFERS.keys())
def test_a_bad_offer_is_refused_with_its_field_and_message_and_writes_nothing(
    world: World, clock: FixedClock, case: BadOffer
) -> None:
    w = case.at(world, clock, case.claim_type)
    phase = w.info.phase
    user = world.cr_handler if case.side == CR else world.comp_handler
    payload = _payload(w, case)
    with refused(clock, case.code) as caught:
        perform(
            actor=world.actor(user),
            operation=case.operation,
            application_id=w.info.application_id,
            activity_guid=w.info.activity_guid,
            payload=payload,
        )
    assert {d.field: d.message for d in caught[0].details} == case.errors
    assert len(caught[0].details) == len(case.errors)
    # The claim is as it was: a valid form goes through with the guid the user read.
    assert step(world, user, w.info, case.operation, **_valid(case)).phase != phase


# --------------------------------------------------------------------------------------------------
# The court pack response replies only to disbursements the request disputes
# --------------------------------------------------------------------------------------------------


def _disputed(*ids: int) -> dict[str, Any]:
    return {
        "disbursementDisputedRequestResponse": [
            {
                "amountClaimed": "180.00",
                "amountPaid": "90.00",
                "disbursementDisputed": f"Fee {n}",
                "disbursementId": n,
            }
            for n in ids
        ]
    }


def _replies(*ids: int) -> dict[str, Any]:
    return {
        "disbursementDisputedRequestResponse": [
            {"disbursementId": n, "reasonForNotPayingFullDisbursement": "Above the usual rate"} for n in ids
        ]
    }


def _send_court_pack(w: Walker, claim_type: str, disputed: tuple[int, ...]) -> None:
    protocol = ClaimType(claim_type).protocol.value
    request = stage2_shorthand(protocol, "addCPPFRequest", {}, w.claim.state)
    form = request["cppfRequest"]
    if disputed:
        form["disbursmentDisputed"] = _disputed(*disputed)
    else:
        del form["disbursmentDisputed"]
        form["courtProceedingsPackPartA"]["allDisbursementAgreedAndPaid"] = "1"
    w.cr("addCPPFRequest", **request)
    w.at("CourtProceedingsPackFormResponse", COMP)


def _response(w: Walker, claim_type: str, replies: tuple[int, ...]) -> dict[str, Any]:
    protocol = ClaimType(claim_type).protocol.value
    response = stage2_shorthand(protocol, "addCPPFResponse", {}, w.claim.state)
    if replies:
        response["cppfResponse"]["disbursmentDisputed"] = _replies(*replies)
    else:
        del response["cppfResponse"]["disbursmentDisputed"]
    return response


@pytest.mark.parametrize(
    ("claim_type", "replies"),
    [("RTA", (1, 3)), ("EL", (3,)), ("PL", ()), ("RTA", (3, 1))],
    ids=["every-one", "some", "none", "another-order"],
)
def test_the_response_may_reply_to_any_of_the_disputed_disbursements(
    world: World, clock: FixedClock, claim_type: str, replies: tuple[int, ...]
) -> None:
    w = court_pack_form(world, clock, claim_type)
    _send_court_pack(w, claim_type, (1, 3))
    assert w.claim.state["court_pack_disputed"] == [1, 3]
    w.comp("addCPPFResponse", **_response(w, claim_type, replies))
    w.at("EndOfStage2", CR)


@pytest.mark.parametrize(
    ("claim_type", "disputed", "replies", "errors"),
    [
        (
            "ELD",
            (2, 4),
            (4, 1, 2, 9),
            {
                1: "disbursement 1 was not disputed in the court proceedings pack request: reply only to the "
                "disbursements it disputes (2, 4)",
                3: "disbursement 9 was not disputed in the court proceedings pack request: reply only to the "
                "disbursements it disputes (2, 4)",
            },
        ),
        (
            "RTA",
            (),
            (1,),
            {
                0: "disbursement 1 was not disputed in the court proceedings pack request: it disputes no "
                "disbursement (allDisbursementAgreedAndPaid is 1)"
            },
        ),
    ],
    ids=["not-disputed", "nothing-disputed"],
)
def test_a_reply_to_a_disbursement_not_disputed_is_refused_and_writes_nothing(
    world: World,
    clock: FixedClock,
    claim_type: str,
    disputed: tuple[int, ...],
    replies: tuple[int, ...],
    errors: dict[int, str],
) -> None:
    w = court_pack_form(world, clock, claim_type)
    _send_court_pack(w, claim_type, disputed)
    assert w.claim.state["court_pack_disputed"] == list(disputed)
    with refused(clock, "BUSINESS_RULE") as caught:
        step(world, world.comp_handler, w.info, "addCPPFResponse", **_response(w, claim_type, replies))
    assert (
        caught[0].message
        == "The response replies to disbursements the court proceedings pack did not dispute"
    )
    assert [(d.field, d.message) for d in caught[0].details] == [
        (f"cppfResponse.{DISPUTED}.{index}.disbursementId", message) for index, message in errors.items()
    ]
    w.comp("addCPPFResponse", **_response(w, claim_type, disputed))
    w.at("EndOfStage2", CR)


def test_a_pack_whose_disputed_disbursements_are_not_on_record_is_not_compared(
    world: World, clock: FixedClock
) -> None:
    """Claims whose court pack was sent before the disputed IDs were kept (or built without them, as the
    benchmark's data generator does) have no ``court_pack_disputed``: their response is not compared."""
    w = court_pack_form(world, clock, "RTA")
    _send_court_pack(w, "RTA", (1,))
    claim = Claim.objects.get(pk=w.info.application_id)
    del claim.state["court_pack_disputed"]
    claim.save(update_fields=["state"])
    w.comp("addCPPFResponse", **_response(w, "RTA", (5,)))
    w.at("EndOfStage2", CR)
