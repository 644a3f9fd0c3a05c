"""Counter offers (WORKFLOW.md §6.9) and RTA additional damages (§6.10): the examples are valid, the
decisions and totals are read from the forms, and one change per rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from claimsportal.protocols.forms.additional_damages import (
    AdditionalDamagesRequest,
    AdditionalDamagesResponse,
)
from claimsportal.protocols.forms.counter_offers import (
    ElplCounterOfferByCM,
    ElplCounterOfferByCR,
    RtaCounterOfferByCM,
    RtaCounterOfferByCR,
)
from claimsportal.protocols.forms.examples import (
    additional_damages_request_example,
    additional_damages_response_example,
    counter_offer_by_cm_example,
    counter_offer_by_cr_example,
)
from claimsportal.protocols.payloads import (
    AdditionalDamagesRequestPayload,
    AdditionalDamagesResponsePayload,
    CounterOfferByCMPayload,
    ElplCounterOfferByCMPayload,
    RtaCounterOfferByCMPayload,
    RtaCounterOfferByCRPayload,
)
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes
from tests.protocols.forms.stage2_cases import (
    TODAY,
    Case,
    agreement_details_cases,
    case,
    check,
    claimant_head_cases,
    money_cases,
    parametrize,
    reply_head_cases,
)

H = "claimantLosses.currentClaimantOffer"
R = "defendantReplies.currentDefendantResponse"
CRU = "total.currentTotal.cruDeductions"
FINAL = "agreementData.finalAgreementDetails"

FORMS: dict[str, tuple[type[BaseModel], dict[str, Any]]] = {
    "RTA by CR": (RtaCounterOfferByCR, counter_offer_by_cr_example("RTA")),
    "ELPL by CR": (ElplCounterOfferByCR, counter_offer_by_cr_example("EL")),
    "RTA by CM ACO": (RtaCounterOfferByCM, counter_offer_by_cm_example("RTA", "ACO")),
    "RTA by CM NEWCO": (RtaCounterOfferByCM, counter_offer_by_cm_example("RTA", "NEWCO")),
    "ELPL by CM ACO": (ElplCounterOfferByCM, counter_offer_by_cm_example("EL", "ACO")),
    "ELPL by CM NEWCO": (ElplCounterOfferByCM, counter_offer_by_cm_example("EL", "NEWCO")),
    "AD request": (AdditionalDamagesRequest, additional_damages_request_example()),
    "AD response A": (AdditionalDamagesResponse, additional_damages_response_example("A")),
    "AD response CO": (AdditionalDamagesResponse, additional_damages_response_example("CO")),
}


def validate(form: type[BaseModel], data: dict[str, Any]) -> Any:
    return form.model_validate(data, context={"today": TODAY})


@pytest.mark.parametrize("name", list(FORMS))
def test_the_examples_are_valid_and_stored_as_sent(name: str) -> None:
    form, data = FORMS[name]
    assert errors_of(form, data, TODAY) == {}
    assert validate(form, data).model_dump(mode="json") == data


def test_the_decisions_and_totals_are_read_from_the_forms() -> None:
    by_cr = validate(RtaCounterOfferByCR, FORMS["RTA by CR"][1])
    assert by_cr.totalGrossValue == Decimal("5120.00")
    assert by_cr.totalValue == Decimal("5151.55")
    assert by_cr.claimedHeads["11"].gross == Decimal("3200.00")
    payload = RtaCounterOfferByCRPayload.model_validate({"s2spfCounterOfferByCR": FORMS["RTA by CR"][1]})
    assert payload.counterHeads[0] == ("11", by_cr.claimedHeads["11"])
    assert payload.headsPath == "s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer"

    aco = RtaCounterOfferByCMPayload.model_validate({"s2spfCounterOfferByCM": FORMS["RTA by CM ACO"][1]})
    assert aco.settlementPackCounterOfferDecision == "ACO"
    assert all(a.agreed for a in aco.answers)
    newco = ElplCounterOfferByCMPayload.model_validate(
        {"s2spfCounterOfferByCM": FORMS["ELPL by CM NEWCO"][1]}
    )
    assert isinstance(newco, CounterOfferByCMPayload)
    assert newco.settlementPackCounterOfferDecision == "NEWCO"
    assert newco.s2spfCounterOfferByCM.totalGrossValue == Decimal("5360.00")

    request = AdditionalDamagesRequestPayload.model_validate(
        {"additionalDamagesRequest": FORMS["AD request"][1]}
    )
    assert set(request.claimedHeads) == {"11", "0", "4", "5", "8", "2"}
    response = AdditionalDamagesResponsePayload.model_validate(
        {"additionalDamagesResponse": FORMS["AD response CO"][1]}
    )
    assert response.additionalDamagesDecision == "CO"
    assert response.answersPath == "additionalDamagesResponse.defendantReplies.currentDefendantResponse"


VALID_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    ("RTA by CR", "no comments", {f"{FINAL}.agreementDetails.comments": MISSING}),
    ("RTA by CR", "interim payments made", {f"{FINAL}.agreementDetails.interimPaymentAmount": "1000.00"}),
    ("ELPL by CR", "a head withdrawn", {f"{H}.1.grossValueClaimed": "0.00"}),
    ("RTA by CM NEWCO", "some heads agreed", {f"{R}.1.isGrossAmountAgreed": "1"}),
    ("RTA by CM NEWCO", "CRU deductions", {CRU: "500.00"}),
    ("ELPL by CM ACO", "a global offer below the heads", {f"{FINAL}.agreementDetails.grossAmount": "6000"}),
    (
        "AD request",
        "only the additional loss",
        {H: additional_damages_request_example()["claimantLosses"]["currentClaimantOffer"][-1:]},
    ),
    ("AD response CO", "an interim payment made", {f"{FINAL}.agreementDetails.interimPaymentAmount": "750"}),
]


@pytest.mark.parametrize(
    ("name", "changes"), [(n, c) for n, _, c in VALID_CHANGES], ids=[f"{n}:{d}" for n, d, _ in VALID_CHANGES]
)
def test_valid_change(name: str, changes: dict[str, Any]) -> None:
    form, base = FORMS[name]
    assert errors_of(form, with_changes(base, changes), TODAY) == {}


def by_cr_cases(rta: bool) -> list[Case]:
    return [
        *claimant_head_cases(H, rta),
        *agreement_details_cases(f"{FINAL}.agreementDetails"),
        case({"agreementData": MISSING}, "agreementData", "Field required"),
        case({f"{FINAL}.settlementPackDecision": "C"}, f"{FINAL}.settlementPackDecision", "Extra inputs"),
        case({"statementOfTruth": {}}, "statementOfTruth", "Extra inputs"),
    ]


def by_cm_cases(rta: bool, decision_field: str, decision: str, meaning: str, codes: str) -> list[Case]:
    path = f"{FINAL}.{decision_field}"
    return [
        *reply_head_cases(R, "grossValueOffered", rta),
        case({f"{R}.1.grossValueClaimed": "1.00"}, f"{R}.1.grossValueClaimed", "Extra inputs"),
        case({R: []}, R, "at least 1 item"),
        *money_cases(CRU),
        case({CRU: "9999999.00"}, CRU, "CRU benefits are deducted from that compensation"),
        *agreement_details_cases(f"{FINAL}.agreementDetails"),
        case({path: "CO" if decision == "ACO" else "N"}, path, codes),
        case({path: MISSING}, path, "Field required"),
        case(
            {f"{R}.1.isGrossAmountAgreed": "0"},
            f"{R}.1.isGrossAmountAgreed",
            f"must be 1 (agreed) when {decision_field} is {decision} ({meaning}): it accepts every head claimed",
        ),
        case({"defendantRepresentative": {}}, "defendantRepresentative", "Extra inputs"),
    ]


@parametrize(by_cr_cases(rta=True))
def test_rta_counter_offer_by_cr_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaCounterOfferByCR, FORMS["RTA by CR"][1], changes, expected)


@parametrize(by_cr_cases(rta=False))
def test_elpl_counter_offer_by_cr_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplCounterOfferByCR, FORMS["ELPL by CR"][1], changes, expected)


CM_ARGS = (
    "settlementPackCounterOfferDecision",
    "ACO",
    "accept the claimant's counter offer",
    "'ACO' or 'NEWCO'",
)


@parametrize(by_cm_cases(True, *CM_ARGS))
def test_rta_counter_offer_by_cm_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaCounterOfferByCM, FORMS["RTA by CM ACO"][1], changes, expected)


@parametrize(by_cm_cases(False, *CM_ARGS))
def test_elpl_counter_offer_by_cm_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplCounterOfferByCM, FORMS["ELPL by CM ACO"][1], changes, expected)


@parametrize(by_cr_cases(rta=True))
def test_additional_damages_request_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(AdditionalDamagesRequest, FORMS["AD request"][1], changes, expected)


@parametrize(by_cm_cases(True, "additionalDamagesDecision", "A", "agreed", "'A' or 'CO'"))
def test_additional_damages_response_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(AdditionalDamagesResponse, FORMS["AD response A"][1], changes, expected)


def test_a_new_counter_offer_may_leave_heads_unagreed() -> None:
    data = with_changes(FORMS["RTA by CM ACO"][1], {f"{FINAL}.settlementPackCounterOfferDecision": "NEWCO"})
    data = with_changes(data, {f"{R}.1.isGrossAmountAgreed": "0"})
    assert errors_of(RtaCounterOfferByCM, data, TODAY) == {}
    co = with_changes(
        FORMS["AD response A"][1],
        {f"{FINAL}.additionalDamagesDecision": "CO", f"{R}.0.isGrossAmountAgreed": "0"},
    )
    assert errors_of(AdditionalDamagesResponse, co, TODAY) == {}
