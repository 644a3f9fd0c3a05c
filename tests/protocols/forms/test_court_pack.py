"""The Court Proceedings Pack request (Parts A and B) and response (WORKFLOW.md §6.11): the examples
are valid, the values after contribution are computed (a client's value must match), and one change
per rule, for RTA and EL/PL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from claimsportal.protocols.forms.court_pack import (
    ElplCourtPackRequest,
    ElplCourtPackResponse,
    RtaCourtPackRequest,
    RtaCourtPackResponse,
    disbursement_reply_errors,
)
from claimsportal.protocols.forms.examples import court_pack_request_example, court_pack_response_example
from claimsportal.protocols.payloads import (
    ElplCourtPackRequestPayload,
    ElplCourtPackResponsePayload,
    RtaCourtPackRequestPayload,
    RtaCourtPackResponsePayload,
)
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes
from tests.protocols.forms.stage2_cases import (
    TODAY,
    Case,
    case,
    check,
    comments_cases,
    contact_cases,
    duplicate_case,
    flag_cases,
    head_list_cases,
    money_cases,
    no_tariff_cases,
    parametrize,
    percent_cases,
    statement_cases,
    tariff_cases,
)

H = "claimantLosses.lastClaimantOffer"
R = "defendantReplies.lastDefendantResponse"
D = "disbursmentDisputed.disbursementDisputedRequestResponse"
B = "courtProceedingsPackPartB"
LEGAL = "defendantLegalRepresentative"
CRU_A = "courtProceedingsPackPartA"

FORMS: dict[str, tuple[type[BaseModel], dict[str, Any]]] = {
    "RTA request": (RtaCourtPackRequest, court_pack_request_example("RTA")),
    "ELPL request": (ElplCourtPackRequest, court_pack_request_example("ELD")),
    "RTA response": (RtaCourtPackResponse, court_pack_response_example("RTA")),
    "ELPL response": (ElplCourtPackResponse, court_pack_response_example("EL")),
}


def validate(form: type[BaseModel], data: dict[str, Any]) -> Any:
    return form.model_validate(data, context={"today": TODAY})


def stored(form: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    dumped: dict[str, Any] = validate(form, data).model_dump(mode="json")
    return dumped


@pytest.mark.parametrize("name", list(FORMS))
def test_the_examples_are_valid_and_stored_as_sent(name: str) -> None:
    form, data = FORMS[name]
    assert errors_of(form, data, TODAY) == {}
    assert stored(form, data) == data


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("RTA request", f"{H}.1.valueClaimedAfterContrib"),
        ("ELPL response", f"{R}.1.valueOfferedAfterContrib"),
    ],
)
def test_a_value_after_contribution_left_out_is_computed(name: str, field: str) -> None:
    form, data = FORMS[name]
    assert stored(form, with_changes(data, {field: MISSING})) == data


def test_values_after_contribution_are_computed_or_checked() -> None:
    form, data = FORMS["RTA request"]
    deducted = with_changes(
        data, {f"{H}.4.percContribNegDeductions": "20", f"{H}.4.valueClaimedAfterContrib": MISSING}
    )
    assert (
        stored(form, deducted)["claimantLosses"]["lastClaimantOffer"][4]["valueClaimedAfterContrib"]
        == "960.00"
    )
    sent = with_changes(deducted, {f"{H}.4.valueClaimedAfterContrib": "960"})
    assert (
        stored(form, sent)["claimantLosses"]["lastClaimantOffer"][4]["valueClaimedAfterContrib"] == "960.00"
    )
    request = validate(form, deducted)
    assert request.totalGrossValue == Decimal("5120.00")
    assert request.totalAfterContrib == Decimal("4880.00")
    payload = RtaCourtPackRequestPayload.model_validate({"cppfRequest": deducted})
    assert payload.claimedHeads["8"].net == Decimal("960.00")
    response = RtaCourtPackResponsePayload.model_validate({"cppfResponse": FORMS["RTA response"][1]})
    assert response.cppfResponse.totalAfterContrib == Decimal("4096.00")
    assert [a.interest for a in response.answers] == [None] * 5
    assert response.answersPath == "cppfResponse.defendantReplies.lastDefendantResponse"


def _disputed(*ids: int) -> list[dict[str, Any]]:
    return [
        {
            "amountClaimed": "180.00",
            "amountPaid": "90.00",
            "disbursementDisputed": f"Fee {n}",
            "disbursementId": n,
        }
        for n in ids
    ]


def _replies(*ids: int) -> list[dict[str, Any]]:
    return [{"disbursementId": n, "reasonForNotPayingFullDisbursement": "Above the usual rate"} for n in ids]


def test_the_disbursement_ids_are_read_from_the_forms() -> None:
    request = ElplCourtPackRequestPayload.model_validate(
        {"cppfRequest": with_changes(FORMS["ELPL request"][1], {D: _disputed(3, 1, 17)})}
    )
    assert request.disputedDisbursementIds == [3, 1, 17]
    paid = with_changes(
        FORMS["RTA request"][1],
        {D.split(".")[0]: MISSING, f"{CRU_A}.allDisbursementAgreedAndPaid": "1"},
    )
    assert RtaCourtPackRequestPayload.model_validate({"cppfRequest": paid}).disputedDisbursementIds == []
    response = ElplCourtPackResponsePayload.model_validate(
        {"cppfResponse": with_changes(FORMS["ELPL response"][1], {D: _replies(17, 3)})}
    )
    assert response.answeredDisbursementIds == [17, 3]
    assert response.disbursementsPath == f"cppfResponse.{D}"
    silent = with_changes(FORMS["RTA response"][1], {D.split(".")[0]: MISSING})
    assert RtaCourtPackResponsePayload.model_validate({"cppfResponse": silent}).answeredDisbursementIds == []


RESPONSE_D = f"cppfResponse.{D}"


@pytest.mark.parametrize(
    ("disputed", "answered"),
    [((1, 3), (1, 3)), ((1, 3), (3, 1)), ((1, 3), (3,)), ((1, 3), ()), ((), ())],
    ids=["all", "another-order", "some", "none", "nothing-disputed-nothing-answered"],
)
def test_the_compensator_may_reply_to_any_of_the_disputed_disbursements(
    disputed: tuple[int, ...], answered: tuple[int, ...]
) -> None:
    assert disbursement_reply_errors(disputed, answered, RESPONSE_D) == []


def test_a_reply_to_a_disbursement_not_disputed_names_its_id_field() -> None:
    assert disbursement_reply_errors([4, 2], [2, 5, 4, 17], RESPONSE_D) == [
        (
            f"{RESPONSE_D}.1.disbursementId",
            "disbursement 5 was not disputed in the court proceedings pack request: reply only to the "
            "disbursements it disputes (2, 4)",
        ),
        (
            f"{RESPONSE_D}.3.disbursementId",
            "disbursement 17 was not disputed in the court proceedings pack request: reply only to the "
            "disbursements it disputes (2, 4)",
        ),
    ]
    assert disbursement_reply_errors([], [1], RESPONSE_D) == [
        (
            f"{RESPONSE_D}.0.disbursementId",
            "disbursement 1 was not disputed in the court proceedings pack request: it disputes no "
            "disbursement (allDisbursementAgreedAndPaid is 1)",
        )
    ]


VALID_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "RTA request",
        "all disbursements paid, minimal",
        {
            D.split(".")[0]: MISSING,
            f"{CRU_A}.allDisbursementAgreedAndPaid": "1",
            LEGAL: MISSING,
            "claimAndClaimantDetails.claimantDetails": MISSING,
        },
    ),
    (
        "RTA request",
        "a named legal representative",
        {f"{LEGAL}.hasDefendantNamedLegalRep": "1", f"{LEGAL}.defendantLegalDetails": "Law & Co, Leeds"},
    ),
    ("RTA request", "legal representative not stated", {LEGAL: {}}),
    ("RTA request", "the computed value left out", {f"{H}.0.valueClaimedAfterContrib": MISSING}),
    ("RTA request", "disbursement 17", {f"{D}.0.disbursementId": 17}),
    ("RTA request", "nothing paid of a disbursement", {f"{D}.0.amountPaid": "0"}),
    ("ELPL request", "no occupation", {"claimAndClaimantDetails.claimantDetails": {}}),
    ("RTA response", "no disputed disbursement answered", {D.split(".")[0]: MISSING}),
    ("RTA response", "the computed value written without pence", {f"{R}.0.valueOfferedAfterContrib": "2560"}),
    (
        "RTA response",
        "no certificate, explained",
        {
            f"{CRU_A}.upToDateCRUCertificateAttached": "0",
            f"{CRU_A}.upToDateCRUCertificateAttachedComments": "Requested on 1 March",
        },
    ),
    (
        "ELPL response",
        "CRU benefits received",
        {
            f"{CRU_A}.cruBenefitsReceived": "420.00",
            f"{CRU_A}.cruBenefitsReceivedComments": "Certificate attached",
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "changes"), [(n, c) for n, _, c in VALID_CHANGES], ids=[f"{n}:{d}" for n, d, _ in VALID_CHANGES]
)
def test_valid_change(name: str, changes: dict[str, Any]) -> None:
    form, base = FORMS[name]
    assert errors_of(form, with_changes(base, changes), TODAY) == {}


LEGAL_DETAILS = (
    "is required when hasDefendantNamedLegalRep is 1 (Yes): name the defendant's legal representative"
)


def request_cases(rta: bool) -> list[Case]:
    cases = [
        *contact_cases("claimAndClaimantDetails.claimantRepresentative.companyDetails"),
        case(
            {"claimAndClaimantDetails.claimantDetails.occupation_CPP": "O" * 51},
            "claimAndClaimantDetails.claimantDetails.occupation_CPP",
            "at most 50 characters",
        ),
        case({f"{H}.0.lossType": "17"}, f"{H}.0.lossType", "Input should be"),
        *percent_cases(f"{H}.1.percInterestRate"),
        *comments_cases(f"{H}.1.comments"),
        *money_cases(f"{H}.1.grossValueClaimed"),
        *percent_cases(f"{H}.1.percContribNegDeductions"),
        *money_cases(f"{H}.1.valueClaimedAfterContrib", required=False),
        case(
            {f"{H}.1.grossValueClaimed": "250.00", f"{H}.1.valueClaimedAfterContrib": "250.01"},
            f"{H}.1.valueClaimedAfterContrib",
            "must be 250.00, the gross value less the contributory negligence deduction (it is computed: it may "
            "be left out)",
        ),
        case(
            {
                f"{H}.1.grossValueClaimed": "250.00",
                f"{H}.1.percContribNegDeductions": "10",
                f"{H}.1.valueClaimedAfterContrib": "250.00",
            },
            f"{H}.1.valueClaimedAfterContrib",
            "must be 225.00",
        ),
        *flag_cases(f"{H}.1.evidenceAttached"),
        case({f"{H}.1.interest": "1.00"}, f"{H}.1.interest", "Extra inputs"),
        duplicate_case(H, "11", "General damages (PSLA)"),
        *head_list_cases(H),
        *flag_cases(f"{CRU_A}.allDisbursementAgreedAndPaid"),
        case(
            {f"{CRU_A}.allDisbursementAgreedAndPaid": "1"},
            "disbursmentDisputed",
            "must be left out when allDisbursementAgreedAndPaid is 1 (Yes): no disbursement is disputed",
        ),
        case(
            {"disbursmentDisputed": MISSING},
            "disbursmentDisputed",
            "is required when allDisbursementAgreedAndPaid is 0 (No): list the disputed disbursements",
        ),
        case({D: []}, D, "at least 1 item"),
        *money_cases(f"{D}.0.amountClaimed"),
        *money_cases(f"{D}.0.amountPaid"),
        case(
            {f"{D}.0.amountPaid": "180.00"},
            f"{D}.0.amountPaid",
            "must be less than the 180.00 claimed: a disbursement paid in full is not disputed",
        ),
        case({f"{D}.0.disbursementDisputed": MISSING}, f"{D}.0.disbursementDisputed", "Field required"),
        case({f"{D}.0.disbursementDisputed": " "}, f"{D}.0.disbursementDisputed", "at least 1 character"),
        case({f"{D}.0.disbursementId": 0}, f"{D}.0.disbursementId", "greater than or equal to 1"),
        case({f"{D}.0.disbursementId": 18}, f"{D}.0.disbursementId", "less than or equal to 17"),
        case({f"{D}.0.disbursementId": "one"}, f"{D}.0.disbursementId", "valid integer"),
        case(
            {D: [*FORMS["RTA request"][1][D.split(".")[0]][D.split(".")[1]]] * 2},
            f"{D}.1.disbursementId",
            "disbursement 1 is already listed: each disbursement once",
        ),
        *flag_cases(f"{B}.fixedCosts.stage1FixedCostsPaid"),
        *flag_cases(f"{B}.fixedCosts.stage2FixedCostsPaid"),
        *money_cases(f"{B}.claimantFinalOffer"),
        *money_cases(f"{B}.defendantFinalOffer"),
        case({B: MISSING}, B, "Field required"),
        *flag_cases(f"{LEGAL}.hasDefendantNamedLegalRep", required=False),
        case({f"{LEGAL}.hasDefendantNamedLegalRep": "1"}, f"{LEGAL}.defendantLegalDetails", LEGAL_DETAILS),
        *comments_cases(f"{LEGAL}.defendantLegalDetails"),
        *statement_cases(),
    ]
    if rta:
        cases += tariff_cases(f"{H}.0", f"{H}.1", with_note=True)
    else:
        cases += [
            *no_tariff_cases(f"{H}.0"),
            case({f"{H}.1.lossType": "0"}, f"{H}.1.lossType", "Input should be"),
        ]
    return cases


def response_cases(rta: bool) -> list[Case]:
    cases = [
        *contact_cases("defendantRepresentative.defendantsInsurer"),
        case(
            {"defendantRepresentative.cruReference": {"cruComment": "x"}},
            "defendantRepresentative.cruReference",
            "Extra inputs",
        ),
        case({f"{R}.0.lossType": "x"}, f"{R}.0.lossType", "Input should be"),
        *comments_cases(f"{R}.1.comments"),
        *percent_cases(f"{R}.1.percContribNegDeductions"),
        *money_cases(f"{R}.1.grossValueOffered"),
        *money_cases(f"{R}.1.valueOfferedAfterContrib", required=False),
        case(
            {f"{R}.1.grossValueOffered": "200.00", f"{R}.1.valueOfferedAfterContrib": "250.00"},
            f"{R}.1.valueOfferedAfterContrib",
            "must be 200.00, the gross value less the contributory negligence deduction",
        ),
        *flag_cases(f"{R}.1.evidenceAttached"),
        case({f"{R}.1.isGrossAmountAgreed": "1"}, f"{R}.1.isGrossAmountAgreed", "Extra inputs"),
        duplicate_case(R, "11", "General damages (PSLA)"),
        *head_list_cases(R),
        *money_cases(f"{CRU_A}.cruBenefitsReceived"),
        *comments_cases(f"{CRU_A}.cruBenefitsReceivedComments"),
        *flag_cases(f"{CRU_A}.upToDateCRUCertificateAttached"),
        case(
            {f"{CRU_A}.upToDateCRUCertificateAttached": "0"},
            f"{CRU_A}.upToDateCRUCertificateAttachedComments",
            "is required when upToDateCRUCertificateAttached is 0 (No): explain why no up-to-date CRU "
            "certificate is attached",
        ),
        *comments_cases(f"{CRU_A}.upToDateCRUCertificateAttachedComments"),
        case({f"{D}.0.disbursementId": 18}, f"{D}.0.disbursementId", "less than or equal to 17"),
        case(
            {f"{D}.0.reasonForNotPayingFullDisbursement": ""},
            f"{D}.0.reasonForNotPayingFullDisbursement",
            "at least 1 character",
        ),
        case(
            {f"{D}.0.reasonForNotPayingFullDisbursement": "R" * 81},
            f"{D}.0.reasonForNotPayingFullDisbursement",
            "at most 80 characters",
        ),
        case(
            {f"{D}.0.reasonForNotPayingFullDisbursement": MISSING},
            f"{D}.0.reasonForNotPayingFullDisbursement",
            "Field required",
        ),
        case({f"{D}.0.amountPaid": "1.00"}, f"{D}.0.amountPaid", "Extra inputs"),
        case(
            {D: [{"disbursementId": 2, "reasonForNotPayingFullDisbursement": "a"}] * 2},
            f"{D}.1.disbursementId",
            "disbursement 2 is already listed: each disbursement once",
        ),
        *flag_cases(f"{LEGAL}.hasDefendantNamedLegalRep"),
        case({f"{LEGAL}.hasDefendantNamedLegalRep": "1"}, f"{LEGAL}.defendantLegalDetails", LEGAL_DETAILS),
        *money_cases(f"{B}.defendantFinalOffer"),
        case({f"{B}.claimantFinalOffer": "1.00"}, f"{B}.claimantFinalOffer", "Extra inputs"),
        case({"statementOfTruth": {}}, "statementOfTruth", "Extra inputs"),
    ]
    if rta:
        cases += tariff_cases(f"{R}.0", f"{R}.1", with_note=False)
    else:
        cases += no_tariff_cases(f"{R}.0")
    return cases


@parametrize(request_cases(rta=True))
def test_rta_request_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaCourtPackRequest, FORMS["RTA request"][1], changes, expected)


@parametrize(request_cases(rta=False))
def test_elpl_request_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplCourtPackRequest, FORMS["ELPL request"][1], changes, expected)


@parametrize(response_cases(rta=True))
def test_rta_response_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaCourtPackResponse, FORMS["RTA response"][1], changes, expected)


@parametrize(response_cases(rta=False))
def test_elpl_response_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplCourtPackResponse, FORMS["ELPL response"][1], changes, expected)
