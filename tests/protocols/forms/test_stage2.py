"""The Stage 2 Settlement Pack request and first response (WORKFLOW.md §6.7, §6.8): the examples are
valid, the totals are computed from the heads (also for any heads, with hypothesis), and one change
per rule, for RTA and EL/PL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from claimsportal.protocols.forms.examples import stage2_request_example, stage2_response_example
from claimsportal.protocols.forms.money import after_contribution
from claimsportal.protocols.forms.stage2 import (
    ElplStage2Request,
    ElplStage2Response,
    RtaStage2Request,
    RtaStage2Response,
)
from claimsportal.protocols.payloads import (
    ElplStage2ResponsePayload,
    RtaStage2RequestPayload,
    RtaStage2ResponsePayload,
)
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes
from tests.protocols.forms.stage2_cases import (
    TODAY,
    Case,
    agreement_details_cases,
    case,
    check,
    claimant_head_cases,
    comments_cases,
    contact_cases,
    cru_reference_cases,
    medco_cases,
    money_cases,
    parametrize,
    reply_head_cases,
    statement_cases,
)

H = "claimantLosses.currentClaimantOffer"
R = "defendantReplies.currentDefendantResponse"
CRU = "total.currentTotal.cruDeductions"
FINAL = "agreementData.finalAgreementDetails"
DECISION = f"{FINAL}.settlementPackDecision"

RTA_REQUEST = stage2_request_example("RTA")
ELPL_REQUEST = stage2_request_example("PL")
RESPONSES = {
    (variant, decision): stage2_response_example(variant, decision)
    for variant in ("RTA", "ELPL")
    for decision in ("C", "CO", "R")
}
FORMS: dict[str, tuple[type[BaseModel], dict[str, Any]]] = {
    "RTA request": (RtaStage2Request, RTA_REQUEST),
    "ELPL request": (ElplStage2Request, ELPL_REQUEST),
    **{
        f"{v} response {d}": (RtaStage2Response if v == "RTA" else ElplStage2Response, data)
        for (v, d), data in RESPONSES.items()
    },
}


def validate(form: type[BaseModel], data: dict[str, Any]) -> Any:
    return form.model_validate(data, context={"today": TODAY})


@pytest.mark.parametrize("name", list(FORMS))
def test_the_examples_are_valid_and_stored_as_sent(name: str) -> None:
    form, data = FORMS[name]
    assert errors_of(form, data, TODAY) == {}
    assert validate(form, data).model_dump(mode="json") == data


def test_the_request_totals_are_computed_from_the_heads() -> None:
    request = validate(RtaStage2Request, RTA_REQUEST)
    assert request.totalGrossValue == Decimal("5420.00")
    assert request.totalAfterContrib == Decimal("5420.00")
    assert request.totalInterest == Decimal("31.55")
    assert request.totalValue == Decimal("5451.55")
    deducted = validate(
        RtaStage2Request, with_changes(RTA_REQUEST, {f"{H}.4.percContribNegDeductions": "33.33"})
    )
    assert deducted.heads[4].valueClaimedAfterContrib == Decimal("800.04")  # 1200 x 66.67 %
    assert deducted.totalAfterContrib == Decimal("5020.04")
    assert set(request.claimedHeads) == {"11", "0", "4", "5", "8"}


def test_the_response_totals_and_decision() -> None:
    response = validate(RtaStage2Response, RESPONSES[("RTA", "CO")])
    assert response.settlementPackDecision == "CO"
    assert response.totalGrossValue == Decimal("4336.00")  # 80 % of each head, to the pound below
    assert response.totalInterest == Decimal("23.00")
    assert response.totalValue == Decimal("4359.00")
    payload = RtaStage2ResponsePayload.model_validate({"s2spfResponse": RESPONSES[("RTA", "C")]})
    assert payload.settlementPackDecision == "C"
    assert [(a.loss_type, a.gross, a.agreed) for a in payload.answers][:1] == [
        ("11", Decimal("3500.00"), True)
    ]
    assert ElplStage2ResponsePayload.model_validate({"s2spfResponse": RESPONSES[("ELPL", "R")]}).answers == []
    request = RtaStage2RequestPayload.model_validate({"s2spfRequest": RTA_REQUEST})
    assert request.claimedHeads["8"].interest == Decimal("19.73")


VALID_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "RTA request",
        "minimal",
        {
            "claimantRepresentative.emailAddress": MISSING,
            "claimantRepresentative.telephoneNumber": MISSING,
            "claimantRepresentative.medCoCase": {"softTissue": "0"},
            "agreementData": MISSING,
            H: [
                {
                    "lossType": "11",
                    "evidenceAttached": "0",
                    "grossValueClaimed": "3500",
                    "percContribNegDeductions": "0",
                    "interest": "0",
                }
            ],
        },
    ),
    ("RTA request", "one head", {H: [RTA_REQUEST["claimantLosses"]["currentClaimantOffer"][0]]}),
    ("RTA request", "a tariff head 12", {f"{H}.0.lossType": "12"}),
    ("RTA request", "a non-tariff head 16", {f"{H}.0.lossType": "16", f"{H}.0.tariffType": "2"}),
    ("RTA request", "an uplift of 20 %", {f"{H}.0.excepCircumstancesUpliftPerc": 20}),
    ("RTA request", "an uplift given as text", {f"{H}.0.excepCircumstancesUpliftPerc": "15"}),
    (
        "RTA request",
        "no uplift",
        {
            f"{H}.0.excepCircumstancesUplift": "0",
            f"{H}.0.excepCircumstancesUpliftPerc": MISSING,
            f"{H}.0.excepCircumstancesUpliftNote": MISSING,
        },
    ),
    ("RTA request", "an empty uplift note", {f"{H}.0.excepCircumstancesUpliftNote": ""}),
    ("RTA request", "contributory negligence", {f"{H}.4.percContribNegDeductions": "25.00"}),
    (
        "RTA request",
        "all heads of the R7 list",
        {f"{H}.1.lossType": "1", f"{H}.2.lossType": "2", f"{H}.3.lossType": "3"},
    ),
    (
        "ELPL request",
        "minimal",
        {"agreementData": MISSING, "claimantRepresentative.telephoneNumber": MISSING},
    ),
    ("ELPL request", "labour market disadvantage", {f"{H}.1.lossType": "13"}),
    (
        "RTA response R",
        "repudiation with replies",
        {R: RESPONSES[("RTA", "CO")]["defendantReplies"]["currentDefendantResponse"]},
    ),
    (
        "RTA response CO",
        "a counter offer agreeing some heads",
        {f"{R}.1.isGrossAmountAgreed": "1", f"{R}.1.grossValueClaimed": "250.00"},
    ),
    ("RTA response CO", "CRU deductions", {CRU: "100.00"}),
    (
        "RTA response CO",
        "a global offer other than the sum of the heads",
        {f"{FINAL}.agreementDetails.grossAmount": "4000"},
    ),
    ("RTA response C", "the compensator's tariff view", {f"{R}.0.tariffType": "2"}),
    (
        "ELPL response CO",
        "minimal",
        {"defendantRepresentative.cruReference": {"cruComment": "Not known yet"}},
    ),
]


@pytest.mark.parametrize(
    ("name", "changes"), [(n, c) for n, _, c in VALID_CHANGES], ids=[f"{n}:{d}" for n, d, _ in VALID_CHANGES]
)
def test_valid_change(name: str, changes: dict[str, Any]) -> None:
    form, base = FORMS[name]
    assert errors_of(form, with_changes(base, changes), TODAY) == {}


def request_cases(rta: bool) -> list[Case]:
    cases = [
        *contact_cases("claimantRepresentative"),
        case({"claimantRepresentative": MISSING}, "claimantRepresentative", "Field required"),
        case(
            {"medicalReport.medicalReportStage2": "9"},
            "medicalReport.medicalReportStage2",
            "'0', '1', '2', '3' or '4'",
        ),
        case(
            {"medicalReport.medicalReportStage2_1": "1"},
            "medicalReport.medicalReportStage2_1",
            "Extra inputs",
        ),
        *claimant_head_cases(H, rta),
        *statement_cases(),
        *comments_cases("agreementData.comments"),
        case(
            {"agreementData.finalAgreementDetails": {}}, "agreementData.finalAgreementDetails", "Extra inputs"
        ),
        case({"totalValue": "5451.55"}, "totalValue", "Extra inputs"),
    ]
    if rta:
        cases += medco_cases("claimantRepresentative.medCoCase")
    else:
        cases.append(
            case(
                {"claimantRepresentative.medCoCase": {"softTissue": "0"}},
                "claimantRepresentative.medCoCase",
                "Extra inputs",
            )
        )
    return cases


def response_cases(rta: bool) -> list[Case]:
    replies = RESPONSES[("RTA" if rta else "ELPL", "CO")]["defendantReplies"]["currentDefendantResponse"]
    offered = "4336.00" if rta else "5600.00"
    return [
        *contact_cases("defendantRepresentative.defendantsInsurer"),
        *cru_reference_cases("defendantRepresentative.cruReference"),
        *reply_head_cases(R, "grossValueClaimed", rta),
        case({f"{R}.1.grossValueOffered": "1.00"}, f"{R}.1.grossValueOffered", "Extra inputs"),
        *money_cases(CRU),
        case(
            {CRU: "9999.00"},
            CRU,
            f"must not be more than the {offered} offered for the losses after contributory negligence: CRU "
            "benefits are deducted from that compensation",
        ),
        *agreement_details_cases(f"{FINAL}.agreementDetails"),
        case({DECISION: "A"}, DECISION, "'C', 'CO' or 'R'"),
        case({DECISION: MISSING}, DECISION, "Field required"),
        case({R: []}, R, "must reply to every head claimed when settlementPackDecision is CO"),
        case({R: [], DECISION: "C"}, R, "must reply to every head claimed when settlementPackDecision is C"),
        (
            {DECISION: "C"},
            {
                f"{R}.{i}.isGrossAmountAgreed": "must be 1 (agreed) when settlementPackDecision is C (Confirm): it "
                "accepts every head claimed"
                for i in range(len(replies))
            },
        ),
    ]


@parametrize(request_cases(rta=True))
def test_rta_request_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaStage2Request, RTA_REQUEST, changes, expected)


@parametrize(request_cases(rta=False))
def test_elpl_request_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplStage2Request, ELPL_REQUEST, changes, expected)


@parametrize(response_cases(rta=True))
def test_rta_response_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(RtaStage2Response, RESPONSES[("RTA", "CO")], changes, expected)


@parametrize(response_cases(rta=False))
def test_elpl_response_rule(changes: dict[str, Any], expected: dict[str, str]) -> None:
    check(ElplStage2Response, RESPONSES[("ELPL", "CO")], changes, expected)


def test_a_confirmation_that_agrees_but_lowers_a_head_is_left_to_the_operations_guard() -> None:
    """The form alone cannot know the heads claimed: C with every reply agreed is a valid form."""
    lowered = with_changes(RESPONSES[("RTA", "C")], {f"{R}.0.grossValueClaimed": "3000.00"})
    assert errors_of(RtaStage2Response, lowered, TODAY) == {}


# --------------------------------------------------------------------------------------------------
# Totals for any heads (hypothesis)
# --------------------------------------------------------------------------------------------------

PENCE = st.integers(min_value=0, max_value=99_999_999_999)


@st.composite
def heads(draw: st.DrawFn) -> list[dict[str, Any]]:
    loss_types = draw(
        st.lists(st.sampled_from([str(n) for n in range(17)]), min_size=1, max_size=17, unique=True)
    )
    out = []
    for loss_type in loss_types:
        gross = Decimal(draw(PENCE)).scaleb(-2)
        percent = Decimal(draw(st.integers(0, 10_000))).scaleb(-2)
        interest = Decimal(draw(st.integers(0, 10**7))).scaleb(-2)
        out.append(
            {
                "lossType": loss_type,
                "evidenceAttached": draw(st.sampled_from(["0", "1"])),
                "grossValueClaimed": draw(st.sampled_from([f"{gross:.2f}", f"{gross.normalize():f}"])),
                "percContribNegDeductions": f"{percent:f}",
                "interest": f"{interest:.2f}",
            }
        )
    return out


@given(heads())
def test_the_totals_are_the_sums_of_the_heads_for_any_valid_heads(losses: list[dict[str, Any]]) -> None:
    request = validate(RtaStage2Request, with_changes(RTA_REQUEST, {H: losses}))
    gross = [Decimal(h["grossValueClaimed"]) for h in losses]
    nets = [
        after_contribution(g, Decimal(h["percContribNegDeductions"]))
        for g, h in zip(gross, losses, strict=True)
    ]
    interest = [Decimal(h["interest"]) for h in losses]
    assert request.totalGrossValue == sum(gross, Decimal(0))
    assert request.totalAfterContrib == sum(nets, Decimal(0))
    assert request.totalInterest == sum(interest, Decimal(0))
    assert request.totalValue == request.totalAfterContrib + request.totalInterest
    assert request.totalAfterContrib <= request.totalGrossValue
    stored = request.model_dump(mode="json")["claimantLosses"]["currentClaimantOffer"]
    assert [h["grossValueClaimed"] for h in stored] == [f"{g:.2f}" for g in gross]
    assert validate(RtaStage2Request, request.model_dump(mode="json")) == request  # stored, read back
