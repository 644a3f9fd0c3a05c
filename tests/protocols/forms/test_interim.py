"""The Interim Settlement Pack request and response (WORKFLOW.md §6.5, §6.6): the examples are valid,
the amounts are computed from the heads, and one change per rule, for RTA and EL/PL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from claimsportal.protocols.forms.examples import interim_request_example, interim_response_example
from claimsportal.protocols.forms.interim import (
    ElplInterimRequest,
    ElplInterimResponse,
    RtaInterimRequest,
    RtaInterimResponse,
)
from claimsportal.protocols.payloads import (
    ElplInterimRequestPayload,
    ElplInterimResponsePayload,
    RtaInterimRequestPayload,
    RtaInterimResponsePayload,
)
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes
from tests.protocols.forms.stage2_cases import (
    TODAY,
    Case,
    case,
    check,
    comments_cases,
    contact_cases,
    cru_reference_cases,
    duplicate_case,
    flag_cases,
    head_list_cases,
    medco_cases,
    money_cases,
    parametrize,
    percent_cases,
    statement_cases,
)

RTA_REQUEST = interim_request_example("RTA")
ELPL_REQUEST = interim_request_example("EL")
RTA_RESPONSE = interim_response_example("RTA")
ELPL_RESPONSE = interim_response_example("EL")

FORMS: dict[str, tuple[type[BaseModel], dict[str, Any]]] = {
    "RTA request": (RtaInterimRequest, RTA_REQUEST),
    "ELPL request": (ElplInterimRequest, ELPL_REQUEST),
    "RTA response": (RtaInterimResponse, RTA_RESPONSE),
    "ELPL response": (ElplInterimResponse, ELPL_RESPONSE),
}

H = "claimantLosses.claimantLossesToDate"
R = "defendantReplies.defendantResponse"
CRU = "total.lossesTotal.cruDeductions"


def validate(form: type[BaseModel], data: dict[str, Any]) -> Any:
    return form.model_validate(data, context={"today": TODAY})


@pytest.mark.parametrize("name", list(FORMS))
def test_the_examples_are_valid_and_stored_as_sent(name: str) -> None:
    form, data = FORMS[name]
    assert errors_of(form, data, TODAY) == {}
    assert validate(form, data).model_dump(mode="json") == data


def test_the_amount_requested_is_computed_from_the_heads_pursued() -> None:
    assert validate(RtaInterimRequest, RTA_REQUEST).amountRequested == Decimal("1550.00")
    assert validate(ElplInterimRequest, ELPL_REQUEST).amountRequested == Decimal("2100.00")
    not_pursued = with_changes(RTA_REQUEST, {f"{H}.0.itemBeingPursued": "0"})
    request = validate(RtaInterimRequest, not_pursued)
    assert request.amountRequested == Decimal("1200.00")
    assert set(request.pursuedHeads) == {"8"}
    deducted = with_changes(RTA_REQUEST, {f"{H}.1.percContribNegDeductions": "12.5"})
    assert validate(RtaInterimRequest, deducted).amountRequested == Decimal("350.00") + Decimal("1050.00")


def test_the_amount_offered_is_computed_from_the_replies() -> None:
    response = validate(
        RtaInterimResponse, with_changes(RTA_RESPONSE, {f"{R}.1.grossValueOffered": "800.00"})
    )
    assert response.amountOffered == Decimal("1150.00")
    assert response.amountPayable == Decimal("1150.00")
    with_cru = with_changes(RTA_RESPONSE, {f"{R}.1.percContribNegDeductions": "10", CRU: "100.00"})
    response = validate(RtaInterimResponse, with_cru)
    assert response.amountOffered == Decimal("1430.00")
    assert response.amountPayable == Decimal("1330.00")
    assert [a.loss_type for a in response.answers] == ["5", "8"]


def test_the_payloads_give_the_workflow_its_amounts() -> None:
    request = RtaInterimRequestPayload.model_validate({"ispfRequest": RTA_REQUEST}, context={"today": TODAY})
    assert request.amountRequested == Decimal("1550.00")
    assert {lt: f.gross for lt, f in request.claimedHeads.items()} == {
        "5": Decimal("350.00"),
        "8": Decimal("1200.00"),
    }
    elpl = ElplInterimRequestPayload.model_validate({"ispfRequest": ELPL_REQUEST}, context={"today": TODAY})
    assert elpl.amountRequested == Decimal("2100.00")
    response = RtaInterimResponsePayload.model_validate(
        {"ispfResponse": RTA_RESPONSE}, context={"today": TODAY}
    )
    assert response.amountOffered == Decimal("1550.00")
    assert response.answersPath == "ispfResponse.defendantReplies.defendantResponse"
    elpl_response = ElplInterimResponsePayload.model_validate({"ispfResponse": ELPL_RESPONSE})
    assert elpl_response.amountOffered == Decimal("2100.00")
    assert errors_of(
        RtaInterimRequestPayload, {"ispfRequest": ELPL_REQUEST}, TODAY
    )  # the EL/PL form is not RTA's


VALID_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "RTA request",
        "minimal",
        {
            "claimantRepresentative.companyDetails.emailAddress": MISSING,
            "claimantRepresentative.companyDetails.telephoneNumber": MISSING,
            "claimantRepresentative.medCoCase": {"softTissue": "0"},
            "interimPayment": MISSING,
            f"{H}.0.itemBeingPursued": MISSING,
            f"{H}.1.itemBeingPursued": MISSING,
        },
    ),
    ("RTA request", "reasons left empty", {"interimPayment.claimantRequestForInterimPayment": {}}),
    (
        "RTA request",
        "amounts as integers",
        {f"{H}.0.grossValueClaimed": 350, f"{H}.1.grossValueClaimed": 1200},
    ),
    ("RTA request", "amounts without pence", {f"{H}.0.grossValueClaimed": "350"}),
    ("RTA request", "a 100 % deduction", {f"{H}.0.percContribNegDeductions": "100"}),
    ("RTA request", "a vehicle head", {f"{H}.0.lossType": "0"}),
    ("RTA request", "four medical reports", {"medicalReport.medicalReportStage2_1": "4"}),
    ("RTA request", "signed by the claimant in person", {"statementOfTruth.signatoryType": "C"}),
    ("RTA request", "a head not pursued", {f"{H}.0.itemBeingPursued": "0"}),
    (
        "ELPL request",
        "minimal",
        {"interimPayment": MISSING, "claimantRepresentative.companyDetails.emailAddress": MISSING},
    ),
    ("ELPL request", "future losses", {f"{H}.0.lossType": "15"}),
    (
        "RTA response",
        "minimal",
        {
            "interimPayment": MISSING,
            "defendantRepresentative.cruReference": {"cruComment": "Certificate requested"},
        },
    ),
    (
        "RTA response",
        "a partial offer",
        {f"{R}.0.grossValueOffered": "100.00", f"{R}.0.isGrossAmountAgreed": "0"},
    ),
    ("RTA response", "CRU deductions of the whole offer", {CRU: "1550.00"}),
    ("ELPL response", "nothing offered", {f"{R}.0.grossValueOffered": "0", f"{R}.1.grossValueOffered": "0"}),
]


@pytest.mark.parametrize(
    ("name", "changes"), [(n, c) for n, _, c in VALID_CHANGES], ids=[f"{n}:{d}" for n, d, _ in VALID_CHANGES]
)
def test_valid_change(name: str, changes: dict[str, Any]) -> None:
    form, base = FORMS[name]
    assert errors_of(form, with_changes(base, changes), TODAY) == {}


def request_cases(rta: bool) -> list[Case]:
    cases = [
        *contact_cases("claimantRepresentative.companyDetails"),
        case(
            {"claimantRepresentative.companyDetails": MISSING},
            "claimantRepresentative.companyDetails",
            "Field required",
        ),
        case(
            {"medicalReport.medicalReportStage2_1": "5"},
            "medicalReport.medicalReportStage2_1",
            "'0', '1', '2', '3' or '4'",
        ),
        case(
            {"medicalReport.medicalReportStage2_1": 1},
            "medicalReport.medicalReportStage2_1",
            "'0', '1', '2', '3' or '4'",
        ),
        case({"medicalReport": MISSING}, "medicalReport", "Field required"),
        *comments_cases("interimPayment.claimantRequestForInterimPayment.reasonsForInterimPaymentRequest"),
        case({f"{H}.0.lossType": MISSING}, f"{H}.0.lossType", "Field required"),
        case({f"{H}.0.lossType": "17"}, f"{H}.0.lossType", "Input should be"),
        case({f"{H}.0.lossType": 5}, f"{H}.0.lossType", "Input should be"),
        *flag_cases(f"{H}.0.evidenceAttached"),
        *comments_cases(f"{H}.0.comments"),
        *money_cases(f"{H}.1.grossValueClaimed"),
        *flag_cases(f"{H}.0.itemBeingPursued", required=False),
        duplicate_case(H, "5", "Medical expenses"),
        *head_list_cases(H),
        case({f"{H}.0.interest": "1.00"}, f"{H}.0.interest", "Extra inputs"),
        *statement_cases(),
        case({"claimType": "RTA"}, "claimType", "Extra inputs"),
    ]
    if rta:
        cases += [
            *medco_cases("claimantRepresentative.medCoCase"),
            case(
                {"claimantRepresentative.medCoCase": MISSING},
                "claimantRepresentative.medCoCase",
                "Field required",
            ),
            *percent_cases(f"{H}.0.percContribNegDeductions"),
        ]
    else:
        cases += [
            case(
                {"claimantRepresentative.medCoCase": {"softTissue": "0"}},
                "claimantRepresentative.medCoCase",
                "Extra inputs",
            ),
            case({f"{H}.0.percContribNegDeductions": "0"}, f"{H}.0.percContribNegDeductions", "Extra inputs"),
            case({f"{H}.0.lossType": "2"}, f"{H}.0.lossType", "Input should be"),
            case({f"{H}.0.lossType": "12"}, f"{H}.0.lossType", "Input should be"),
        ]
    return cases


def response_cases(rta: bool) -> list[Case]:
    cases = [
        *contact_cases("defendantRepresentative.defendantsInsurer"),
        *cru_reference_cases("defendantRepresentative.cruReference"),
        *comments_cases("interimPayment.defendantResponsesToInterimPaymentRequest.additionalComments"),
        case({f"{R}.0.lossType": "99"}, f"{R}.0.lossType", "Input should be"),
        *flag_cases(f"{R}.0.isGrossAmountAgreed"),
        *comments_cases(f"{R}.0.comments"),
        *money_cases(f"{R}.0.grossValueOffered"),
        duplicate_case(R, "5", "Medical expenses"),
        *head_list_cases(R),
        *money_cases(CRU),
        case(
            {CRU: "1550.01" if rta else "2100.01"},
            CRU,
            f"must not be more than the {'1550.00' if rta else '2100.00'} offered for the losses after "
            "contributory negligence: CRU benefits are deducted from that compensation",
        ),
        case(
            {f"{R}.1.grossValueOffered": "1000.00", CRU: "1400.00"},
            CRU,
            f"must not be more than the {'1350.00' if rta else '1300.00'} offered",
        ),
        case({"total": MISSING}, "total", "Field required"),
        case({"settlementPackDecision": "C"}, "settlementPackDecision", "Extra inputs"),
    ]
    if rta:
        cases += [
            *percent_cases(f"{R}.0.percContribNegDeductions"),
            case(
                {f"{R}.0.percContribNegDeductions": "50", CRU: "1400.00"},
                CRU,
                "must not be more than the 1375.00 offered",
            ),
        ]
    else:
        cases += [
            case({f"{R}.0.percContribNegDeductions": "0"}, f"{R}.0.percContribNegDeductions", "Extra inputs"),
            case({f"{R}.0.lossType": "0"}, f"{R}.0.lossType", "Input should be"),
        ]
    return cases


@parametrize(request_cases(rta=True))
def test_rta_request_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaInterimRequest, RTA_REQUEST, changes, expected)


@parametrize(request_cases(rta=False))
def test_elpl_request_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplInterimRequest, ELPL_REQUEST, changes, expected)


@parametrize(response_cases(rta=True))
def test_rta_response_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaInterimResponse, RTA_RESPONSE, changes, expected)


@parametrize(response_cases(rta=False))
def test_elpl_response_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplInterimResponse, ELPL_RESPONSE, changes, expected)


def test_the_payload_reports_errors_at_the_forms_full_path() -> None:
    errors = errors_of(
        RtaInterimRequestPayload,
        {"ispfRequest": with_changes(RTA_REQUEST, {f"{H}.1.grossValueClaimed": "1.005"})},
        TODAY,
    )
    assert errors == {
        f"ispfRequest.{H}.1.grossValueClaimed": "must have at most 2 decimal places (whole pence)"
    }
