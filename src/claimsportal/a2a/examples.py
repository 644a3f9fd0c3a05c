"""A complete, valid request body example for every operation, per protocol (for the OpenAPI document).

Each example is the operation's payload as it succeeds in the operation's phase on a typical claim
(an adult claimant, a claim sent to the insurer it names), without the ``activityEngineGuid``,
which is always the claim's current one. A test validates every example against its operation's
schema, so the document cannot drift from the code.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from claimsportal.core import clock
from claimsportal.protocols.forms.examples import (
    additional_damages_request_example,
    additional_damages_response_example,
    cnf_example,
    counter_offer_by_cm_example,
    counter_offer_by_cr_example,
    court_pack_request_example,
    court_pack_response_example,
    insurer_response_example,
    interim_request_example,
    interim_response_example,
    stage2_request_example,
    stage2_response_example,
)

EXAMPLE_GUID = "5b8f7c2e-3c1a-4c59-9a77-2f1c7e0b9d41"


def _later(business_days_hint: int) -> str:
    """A date some weeks ahead (extension requests must name a future date)."""
    return (clock.today() + timedelta(days=business_days_hint)).isoformat()


# addClaim's examples: one per claim type, each sent to a demo compensator that handles it.
CLAIM_TYPE_EXAMPLES = ("RTA", "EL", "ELD", "PL")


def add_claim_example(claim_type: str) -> dict[str, Any]:
    """A complete ``addClaim`` body of ``claim_type`` (RTA, EL, ELD, PL)."""
    return {"claimType": claim_type, "compensator": "/COMP001", "cnf": cnf_example(claim_type)}


def example_payload(operation: str, protocol: str) -> dict[str, Any]:
    """The example body (without ``activityEngineGuid``) of ``operation`` in ``protocol`` (RTA, ELPL)."""
    rta = protocol == "RTA"
    claim_type = "RTA" if rta else "EL"
    fixed: dict[str, dict[str, Any]] = {
        "addClaim": add_claim_example(claim_type),
        "resendRejectedClaim": {"cnf": cnf_example(claim_type)},
        "acceptClaim": {"insurerClaimReferenceNumber": "INS/2026/000123"},
        "rejectClaimToCR": {"rejectionReasonCode": "1"},
        "reassignToAnotherCM": {"organisationPath": "/COMP002"},
        "applyArticle75": {"isArticle75": False},
        "sendLiabilityDecision": {"insurerResponse": insurer_response_example(protocol, "A")},
        "stateFraud": {
            "reasonCode": "0",
            "reasonDescription": "Claimant's account is inconsistent with the vehicle damage",
        },
        "setStage1Payment": {"isStage1Paid": True},
        "setInterimPaymentNeeded": {"isInterimPaymentNeeded": True},
        "addInterimSPFRequest": {"ispfRequest": interim_request_example(protocol)},
        "addInterimSPFResponse": {"ispfResponse": interim_response_example(protocol)},
        "rejectInterimSettlementPack": {"rejectionComment": "The medical report does not support the losses"},
        "acceptPartialInterimPayment": {"isPartialInterimPaymentAccepted": True},
        "setStage21Payment": {"isStage21Paid": True},
        "addStage2SPFRequest": {"s2spfRequest": stage2_request_example(protocol)},
        "addStage2SPFResponse": {"s2spfResponse": stage2_response_example(protocol, "CO")},
        "extendStage2SPFDecisionTimeout": {"newTimeOut": _later(30), "reasonForExtension": "1"},
        "extendStage2SPFCounterOfferTimeout": {"newTimeOut": _later(30), "reasonForExtension": "1"},
        "setStage2SPFCounterOfferNeeded": {"isStage2SPFCounterOfferNeeded": True},
        "addStage2SPFCounterOfferByCR": {"s2spfCounterOfferByCR": counter_offer_by_cr_example(protocol)},
        "addStage2SPFCounterOfferByCM": {
            "s2spfCounterOfferByCM": counter_offer_by_cm_example(protocol, "ACO")
        },
        "setStage2SPFAgreementDecision": {"isAgreed": True},
        "setAdditionalDamagesExistence": {"additionalDamagesExist": True},
        "addS2SPFAdditionalDamagesRequest": {
            "additionalDamagesRequest": additional_damages_request_example()
        },
        "addS2SPFAdditionalDamagesResponse": {
            "additionalDamagesResponse": additional_damages_response_example("A")
        },
        "extendAdditionalDamagesDecisionTimeout": {"newTimeOutDate": _later(30), "reasonForExtension": "1"},
        "setS2SPFAdditionalDamagesDecision": {"isAgreed": True},
        "addCPPFRequest": {"cppfRequest": court_pack_request_example(protocol)},
        "addCPPFResponse": {"cppfResponse": court_pack_response_example(protocol)},
        "exitProcess": {
            "exitReasonCode": "2",
            "exitComment": "The claim is now valued below the lower limit of the process",
        },
        "allocateUser": {"targetUserID": "demo.comp.handler"},
        "allocateClaimToBranch": {"branchId": "002"},
    }
    return fixed.get(operation, {})
