"""The insurer response / liability decision (WORKFLOW.md §6.4): valid responses per decision, and one
change per rule, for the RTA and the EL/PL variants."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from claimsportal.protocols.forms.common import FormModel
from claimsportal.protocols.forms.examples import insurer_response_example
from claimsportal.protocols.forms.liability import ElplInsurerResponse, RtaInsurerResponse
from claimsportal.protocols.payloads import ElplLiabilityDecisionPayload, RtaLiabilityDecisionPayload
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes

TODAY = date(2024, 6, 1)

RTA_VALID: dict[str, Any] = insurer_response_example("RTA")
ELPL_VALID: dict[str, Any] = insurer_response_example("ELPL")

LC = "liabilityCausation"
PS = "providedServices"
INS = "providedServices.defendantsInsurer"
REASONS = "liabilityCausation.unadmittedLiabilityReasons"

# A complete valid response per decision value (changes to the A fixture).
DECISIONS: dict[str, dict[str, Any]] = {
    "A": {},
    "AN": {
        f"{LC}.liabilityDecision": "AN",
        REASONS: "Claimant was speeding",
    },
    "N": {
        f"{LC}.liabilityDecision": "N",
        f"{LC}.defendantAdmits": {"accidentOccurred": "1", "causedByDefendant": "0"},
        REASONS: "Claimant pulled out without looking",
    },
}

FORMS: dict[str, tuple[type[FormModel], dict[str, Any]]] = {
    "RTA": (RtaInsurerResponse, RTA_VALID),
    "ELPL": (ElplInsurerResponse, ELPL_VALID),
}


changed = with_changes


def error_messages(form: type[FormModel], data: dict[str, Any], today: date = TODAY) -> dict[str, str]:
    return errors_of(form, data, today)


@pytest.mark.parametrize("variant", list(FORMS))
@pytest.mark.parametrize("decision", list(DECISIONS))
def test_a_complete_response_per_decision_is_valid(variant: str, decision: str) -> None:
    form, base = FORMS[variant]
    data = changed(base, DECISIONS[decision])
    assert error_messages(form, data) == {}
    response = form.model_validate(data, context={"today": TODAY})
    assert isinstance(response, RtaInsurerResponse | ElplInsurerResponse)
    assert response.liabilityCausation.liabilityDecision == decision


@pytest.mark.parametrize("variant", list(FORMS))
@pytest.mark.parametrize("decision", list(DECISIONS))
def test_the_workflow_reads_the_decision_reasons_and_reference_from_the_form(
    variant: str, decision: str
) -> None:
    _form, base = FORMS[variant]
    payload_type = RtaLiabilityDecisionPayload if variant == "RTA" else ElplLiabilityDecisionPayload
    payload = payload_type.model_validate(
        {"insurerResponse": changed(base, DECISIONS[decision])}, context={"today": TODAY}
    )
    assert payload.liabilityDecision == decision
    assert payload.insurerClaimReferenceNumber == "ACME/2024/42"
    assert payload.reasonsForDenial == DECISIONS[decision].get(REASONS)


def test_an_absent_reference_reads_as_none() -> None:
    payload = RtaLiabilityDecisionPayload.model_validate(
        {"insurerResponse": changed(RTA_VALID, {f"{INS}.referenceNumber": MISSING})},
        context={"today": TODAY},
    )
    assert payload.insurerClaimReferenceNumber is None


def test_rta_values_are_read() -> None:
    response = RtaInsurerResponse.model_validate(RTA_VALID, context={"today": TODAY})
    assert response.defendantDetails is not None
    assert response.defendantDetails.personalDetails is not None
    assert response.defendantDetails.personalDetails.defendantsDOB == date(1970, 1, 1)
    assert response.providedServices.defendantsInsurer.contactSurname == "Clerk"


# Changes that keep a form valid (optional parts absent, alternatives of a rule).
VALID_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "RTA",
        "minimal",
        {
            f"{LC}.defendantAdmits": MISSING,
            f"{LC}.noAuthority": MISSING,
            f"{INS}.contactMiddleName": MISSING,
            f"{INS}.referenceNumber": MISSING,
            f"{PS}.reabilitationDetails": MISSING,
            f"{PS}.repairsDetails": MISSING,
            "defendantDetails": MISSING,
        },
    ),
    ("RTA", "defendant without personal details", {"defendantDetails": {}}),
    ("RTA", "defendant DOB absent", {"defendantDetails.personalDetails": {}}),
    ("RTA", "defendant DOB 1900-01-01", {"defendantDetails.personalDetails.defendantsDOB": "1900-01-01"}),
    ("RTA", "defendant DOB yesterday", {"defendantDetails.personalDetails.defendantsDOB": "2024-05-31"}),
    ("RTA", "Article 75 insurer", {"capacity": "2"}),
    ("RTA", "MIB", {"capacity": "3"}),
    ("RTA", "insurer in contract", {"capacity": "0"}),
    ("RTA", "other capacity described", {"capacity": "4", "otherCapacity": "Self-insured fleet"}),
    ("RTA", "no authority", {f"{LC}.noAuthority": "1"}),
    ("RTA", "AN without reasons", {f"{LC}.liabilityDecision": "AN"}),
    ("RTA", "A with admissions absent", {f"{LC}.defendantAdmits": {}}),
    ("RTA", "A with empty reasons", {REASONS: ""}),
    (
        "RTA",
        "alternative vehicle provided",
        {f"{PS}.altVchlProvided": "1", f"{PS}.altVhclDetails": "Hire car"},
    ),
    ("RTA", "reasons of 500 characters", {f"{LC}.liabilityDecision": "N", REASONS: "R" * 500}),
    ("RTA", "reference of 50 characters", {f"{INS}.referenceNumber": "R" * 50}),
    (
        "ELPL",
        "minimal",
        {
            f"{LC}.defendantAdmits": MISSING,
            f"{INS}.referenceNumber": MISSING,
            f"{PS}.rehabilitationDetails": MISSING,
        },
    ),
    ("ELPL", "N with admissions absent", {f"{LC}.liabilityDecision": "N", REASONS: "Not our employee"}),
]


@pytest.mark.parametrize(
    ("variant", "changes"),
    [(v, c) for v, _, c in VALID_CHANGES],
    ids=[f"{v}:{n}" for v, n, _ in VALID_CHANGES],
)
def test_valid_change(variant: str, changes: dict[str, Any]) -> None:
    form, base = FORMS[variant]
    assert error_messages(form, changed(base, changes)) == {}


# Changes valid for both variants: (changes to the A fixture, expected error path, message fragment).
COMMON_INVALID: list[tuple[dict[str, Any], str, str]] = [
    # LiabilityCausation
    ({f"{LC}.liabilityDecision": MISSING}, f"{LC}.liabilityDecision", "Field required"),
    ({f"{LC}.liabilityDecision": "F"}, f"{LC}.liabilityDecision", "'A', 'AN' or 'N'"),
    ({f"{LC}.liabilityDecision": "a"}, f"{LC}.liabilityDecision", "'A', 'AN' or 'N'"),
    ({f"{LC}.liabilityDecision": "N"}, REASONS, "is required when liabilityDecision is N"),
    (
        {f"{LC}.liabilityDecision": "N", f"{LC}.defendantAdmits": MISSING, REASONS: "   "},
        REASONS,
        "give the reasons for denial",
    ),
    ({f"{LC}.liabilityDecision": "N", REASONS: "R" * 501}, REASONS, "at most 500"),
    ({REASONS: "Some reasons"}, REASONS, "is only allowed when liabilityDecision is AN or N"),
    (
        {f"{LC}.defendantAdmits.accidentOccurred": "0"},
        f"{LC}.defendantAdmits.accidentOccurred",
        "must be 1 (Yes) when liabilityDecision is A",
    ),
    (
        {f"{LC}.defendantAdmits.causedByDefendant": "0"},
        f"{LC}.defendantAdmits.causedByDefendant",
        "answer AN or N",
    ),
    (
        {f"{LC}.defendantAdmits.causedSomeLossToTheClaimant": "0"},
        f"{LC}.defendantAdmits.causedSomeLossToTheClaimant",
        "must be 1 (Yes)",
    ),
    (
        {f"{LC}.defendantAdmits.causedSomeLossToTheClaimant": "Y"},
        f"{LC}.defendantAdmits.causedSomeLossToTheClaimant",
        "'1' or '0'",
    ),
    ({f"{LC}.defendantAdmits.admitsAll": "1"}, f"{LC}.defendantAdmits.admitsAll", "Extra inputs"),
    # DefendantsInsurer
    ({f"{INS}.contactName": MISSING}, f"{INS}.contactName", "Field required"),
    ({f"{INS}.contactName": ""}, f"{INS}.contactName", "at least 1"),
    ({f"{INS}.contactName": "N" * 26}, f"{INS}.contactName", "at most 25"),
    ({f"{INS}.contactMiddleName": "N" * 26}, f"{INS}.contactMiddleName", "at most 25"),
    ({f"{INS}.contactSurname": MISSING}, f"{INS}.contactSurname", "Field required"),
    ({f"{INS}.contactSurname": "S" * 26}, f"{INS}.contactSurname", "at most 25"),
    ({f"{INS}.telephoneNumber": MISSING}, f"{INS}.telephoneNumber", "Field required"),
    ({f"{INS}.telephoneNumber": "call me"}, f"{INS}.telephoneNumber", "pattern"),
    ({f"{INS}.telephoneNumber": "0" * 101}, f"{INS}.telephoneNumber", "at most 100"),
    ({f"{INS}.emailAddress": MISSING}, f"{INS}.emailAddress", "Field required"),
    ({f"{INS}.emailAddress": "claims.acme.example"}, f"{INS}.emailAddress", "pattern"),
    ({f"{INS}.emailAddress": "a@" + "b" * 95 + ".com"}, f"{INS}.emailAddress", "at most 100"),
    ({f"{INS}.referenceNumber": "#REF1"}, f"{INS}.referenceNumber", "pattern"),
    ({f"{INS}.referenceNumber": "R" * 51}, f"{INS}.referenceNumber", "at most 50"),
    ({f"{PS}.defendantsInsurer": MISSING}, f"{PS}.defendantsInsurer", "Field required"),
    # Form level
    ({f"{LC}": MISSING}, LC, "Field required"),
    ({"stateFraud": "0"}, "stateFraud", "Extra inputs"),
]

RTA_INVALID: list[tuple[dict[str, Any], str, str]] = [
    ({f"{LC}.noAuthority": "2"}, f"{LC}.noAuthority", "'1' or '0'"),
    (
        {f"{PS}.preparedToProvideReabilitation": MISSING},
        f"{PS}.preparedToProvideReabilitation",
        "Field required",
    ),
    ({f"{PS}.preparedToProvideReabilitation": "Y"}, f"{PS}.preparedToProvideReabilitation", "'1' or '0'"),
    ({f"{PS}.reabilitationProvided": MISSING}, f"{PS}.reabilitationProvided", "Field required"),
    ({f"{PS}.reabilitationDetails": "D" * 501}, f"{PS}.reabilitationDetails", "at most 500"),
    ({f"{PS}.altVchlProvided": MISSING}, f"{PS}.altVchlProvided", "Field required"),
    ({f"{PS}.altVchlProvided": "yes"}, f"{PS}.altVchlProvided", "'1' or '0'"),
    ({f"{PS}.altVhclDetails": "D" * 501}, f"{PS}.altVhclDetails", "at most 500"),
    ({f"{PS}.repairsProvided": MISSING}, f"{PS}.repairsProvided", "Field required"),
    ({f"{PS}.repairsDetails": "D" * 501}, f"{PS}.repairsDetails", "at most 500"),
    # the EL/PL spelling is not the RTA one
    ({f"{PS}.rehabilitationDetails": "Physio"}, f"{PS}.rehabilitationDetails", "Extra inputs"),
    (
        {"defendantDetails.personalDetails.defendantsDOB": "1899-12-31"},
        "defendantDetails.personalDetails.defendantsDOB",
        "1900-01-01",
    ),
    (
        {"defendantDetails.personalDetails.defendantsDOB": "2024-06-01"},
        "defendantDetails.personalDetails.defendantsDOB",
        "must be in the past",
    ),
    (
        {"defendantDetails.personalDetails.defendantsDOB": "2030-01-01"},
        "defendantDetails.personalDetails.defendantsDOB",
        "must be in the past",
    ),
    (
        {"defendantDetails.personalDetails.defendantsDOB": "01/01/1970"},
        "defendantDetails.personalDetails.defendantsDOB",
        "valid date",
    ),
    ({"capacity": MISSING}, "capacity", "Field required"),
    ({"capacity": "5"}, "capacity", "'0', '1', '2', '3' or '4'"),
    ({"capacity": 2}, "capacity", "'0', '1', '2', '3' or '4'"),
    ({"capacity": "4"}, "otherCapacity", "is required when capacity is 4 (Other)"),
    ({"capacity": "4", "otherCapacity": ""}, "otherCapacity", "describe the capacity"),
    ({"otherCapacity": "O" * 501}, "otherCapacity", "at most 500"),
]

ELPL_INVALID: list[tuple[dict[str, Any], str, str]] = [
    (
        {f"{PS}.preparedToProvideRehabilitation": MISSING},
        f"{PS}.preparedToProvideRehabilitation",
        "Field required",
    ),
    ({f"{PS}.preparedToProvideRehabilitation": "2"}, f"{PS}.preparedToProvideRehabilitation", "'1' or '0'"),
    ({f"{PS}.rehabilitationProvided": MISSING}, f"{PS}.rehabilitationProvided", "Field required"),
    ({f"{PS}.rehabilitationDetails": "D" * 501}, f"{PS}.rehabilitationDetails", "at most 500"),
    # fields that only the RTA response has
    ({f"{LC}.noAuthority": "0"}, f"{LC}.noAuthority", "Extra inputs"),
    ({f"{PS}.reabilitationProvided": "1"}, f"{PS}.reabilitationProvided", "Extra inputs"),
    ({f"{PS}.altVchlProvided": "0"}, f"{PS}.altVchlProvided", "Extra inputs"),
    ({f"{PS}.repairsProvided": "0"}, f"{PS}.repairsProvided", "Extra inputs"),
    ({"defendantDetails": {}}, "defendantDetails", "Extra inputs"),
    ({"capacity": "1"}, "capacity", "Extra inputs"),
]

INVALID_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    *[("RTA", c, p, f) for c, p, f in COMMON_INVALID + RTA_INVALID],
    *[("ELPL", c, p, f) for c, p, f in COMMON_INVALID + ELPL_INVALID],
]


@pytest.mark.parametrize(
    ("variant", "changes", "path", "fragment"),
    INVALID_CASES,
    ids=[f"{v}:{p}:{f}" for v, _, p, f in INVALID_CASES],
)
def test_invalid_change(variant: str, changes: dict[str, Any], path: str, fragment: str) -> None:
    form, base = FORMS[variant]
    errors = error_messages(form, changed(base, changes))
    assert list(errors) == [path]
    assert fragment in errors[path]


def test_cross_field_errors_are_reported_together() -> None:
    errors = error_messages(
        RtaInsurerResponse,
        changed(
            RTA_VALID,
            {
                REASONS: "Some reasons",
                f"{LC}.defendantAdmits.accidentOccurred": "0",
                f"{LC}.defendantAdmits.causedByDefendant": "0",
            },
        ),
    )
    assert set(errors) == {
        REASONS,
        f"{LC}.defendantAdmits.accidentOccurred",
        f"{LC}.defendantAdmits.causedByDefendant",
    }


def test_today_comes_from_the_context() -> None:
    data = changed(RTA_VALID, {"defendantDetails.personalDetails.defendantsDOB": "2024-06-01"})
    assert error_messages(RtaInsurerResponse, data, today=date(2024, 6, 2)) == {}
    assert list(error_messages(RtaInsurerResponse, data, today=TODAY)) == [
        "defendantDetails.personalDetails.defendantsDOB"
    ]
