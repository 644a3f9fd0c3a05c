"""The EL / ELD / PL Claim Notification Form (WORKFLOW.md §6.3): one valid form per claim type, and
one change per rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from claimsportal.protocols.forms.cnf_elpl import ElplClaimNotificationForm, period_bounds
from claimsportal.protocols.forms.examples import ADDRESS as EXAMPLE_ADDRESS
from claimsportal.protocols.forms.examples import cnf_example
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes

TODAY = date(2024, 6, 1)

ADDRESS: dict[str, Any] = dict(EXAMPLE_ADDRESS)

VALID_EL: dict[str, Any] = cnf_example("EL")
VALID_ELD: dict[str, Any] = cnf_example("ELD")
VALID_PL: dict[str, Any] = cnf_example("PL")

FIXTURES = {"EL": VALID_EL, "ELD": VALID_ELD, "PL": VALID_PL}

CLAIM = "applicationData.claimDetails"
CLAIMANT = "claimAndClaimantDetails.claimantDetails"
DEFENDANT = "claimAndClaimantDetails.defendantDetails"
CR_COMPANY = "claimAndClaimantDetails.claimantRepresentative.companyDetails"
INJURY = "medicalDetails.injury"
ACCIDENT = "accidentData.accidentDetails"


def changed(claim_type: str, changes: dict[str, Any]) -> dict[str, Any]:
    return with_changes(FIXTURES[claim_type], changes)


def error_messages(data: dict[str, Any], today: date = TODAY) -> dict[str, str]:
    return errors_of(ElplClaimNotificationForm, data, today)


@pytest.mark.parametrize("claim_type", list(FIXTURES))
def test_the_fixture_is_valid(claim_type: str) -> None:
    form = ElplClaimNotificationForm.model_validate(FIXTURES[claim_type], context={"today": TODAY})
    assert form.applicationData.claimDetails.claimType == claim_type
    assert form.applicationData.claimDetails.notificationDate == date(2024, 5, 31)
    expected_accident = None if claim_type == "ELD" else date(2024, 3, 15)
    assert form.accidentData.accidentDetails.accidentDate == expected_accident


# (claim type, changes that keep the form valid).
VALID_CHANGES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "no optional blocks",
        "EL",
        {
            "liabilityFunding.funding": MISSING,
            "medicalDetails.hospital": [],
            f"{DEFENDANT}.insurerFound": [],
            f"{ACCIDENT}.accidentTime": MISSING,
        },
    ),
    (
        "personal defendant",
        "PL",
        {
            f"{DEFENDANT}.defendantStatus": "P",
            f"{DEFENDANT}.companyDetails": MISSING,
            f"{DEFENDANT}.personalDetails": {"surname": "Trader", "titleType": "5", "otherTitle": "Dr"},
        },
    ),
    (
        "NI number absent with comment",
        "EL",
        {f"{CLAIMANT}.nationalInsuranceNumber": MISSING, f"{CLAIMANT}.ninComment": "Not known"},
    ),
    (
        "child claimant",
        "PL",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2010-01-01", f"{CLAIMANT}.childClaim": "1"},
    ),
    ("18 today is an adult", "EL", {f"{CLAIMANT}.personalDetails.dateOfBirth": "2006-06-01"}),
    (
        "accident today",
        "EL",
        {f"{ACCIDENT}.accidentDate": "2024-06-01", f"{INJURY}.medicalAttentionFirstDate": "2024-06-01"},
    ),
    (
        "ELD attention long ago (no accident date)",
        "ELD",
        {f"{INJURY}.medicalAttentionFirstDate": "1990-01-01"},
    ),
    ("ELD without employment period", "ELD", {f"{CLAIMANT}.employmentPeriod": MISSING}),
    ("period as free text", "ELD", {f"{CLAIMANT}.exposurePeriod": "Summers of 2001 to 2005"}),
    ("period of one day", "ELD", {f"{CLAIMANT}.exposurePeriod": "01/02/2003 \u2013 01/02/2003"}),
    ("PL without claimant location", "PL", {f"{ACCIDENT}.claimantLocation": MISSING}),
    ("claim value band 2, claimant signs", "EL", {f"{CLAIM}.claimValue": "2", f"{CLAIM}.signatory": "C"}),
    ("long responsibility", "PL", {"liabilityFunding.liability.defendantResponsibility": "R" * 5000}),
    ("long description", "EL", {f"{ACCIDENT}.accidentDescription": "D" * 1000}),
]


@pytest.mark.parametrize(
    ("claim_type", "changes"), [(t, c) for _, t, c in VALID_CHANGES], ids=[n for n, _, _ in VALID_CHANGES]
)
def test_valid_change(claim_type: str, changes: dict[str, Any]) -> None:
    assert error_messages(changed(claim_type, changes)) == {}


# (claim type, changes to its fixture, expected error path, message fragment): exactly one error.
INVALID_CHANGES: list[tuple[str, dict[str, Any], str, str]] = [
    # ApplicationData
    ("EL", {f"{CLAIM}.signatory": "X"}, f"{CLAIM}.signatory", "'S' or 'C'"),
    ("EL", {f"{CLAIM}.retainedCopy": MISSING}, f"{CLAIM}.retainedCopy", "Field required"),
    ("EL", {f"{CLAIM}.claimValue": "3"}, f"{CLAIM}.claimValue", "'1' or '2'"),
    ("EL", {f"{CLAIM}.claimType": "RTA"}, f"{CLAIM}.claimType", "'EL', 'ELD' or 'PL'"),
    ("EL", {f"{CLAIM}.claimType": MISSING}, f"{CLAIM}.claimType", "Field required"),
    ("EL", {f"{CLAIM}.notificationDate": MISSING}, f"{CLAIM}.notificationDate", "Field required"),
    ("EL", {f"{CLAIM}.notificationDate": "1899-12-31"}, f"{CLAIM}.notificationDate", "1900-01-01"),
    ("EL", {f"{CLAIM}.oicReferenceNumber": "OIC-1"}, f"{CLAIM}.oicReferenceNumber", "Extra inputs"),
    # Claimant representative
    ("EL", {f"{CR_COMPANY}.companyName": ""}, f"{CR_COMPANY}.companyName", "at least 1"),
    ("EL", {f"{CR_COMPANY}.companyName": "C" * 101}, f"{CR_COMPANY}.companyName", "at most 100"),
    ("EL", {f"{CR_COMPANY}.branchName": ""}, f"{CR_COMPANY}.branchName", "at least 1"),
    ("EL", {f"{CR_COMPANY}.emailAddress": MISSING}, f"{CR_COMPANY}.emailAddress", "Field required"),
    ("EL", {f"{CR_COMPANY}.emailAddress": "not-an-email"}, f"{CR_COMPANY}.emailAddress", "pattern"),
    ("EL", {f"{CR_COMPANY}.contactName": "N" * 26}, f"{CR_COMPANY}.contactName", "at most 25"),
    ("EL", {f"{CR_COMPANY}.contactMiddleName": "N" * 26}, f"{CR_COMPANY}.contactMiddleName", "at most 25"),
    ("EL", {f"{CR_COMPANY}.contactSurname": ""}, f"{CR_COMPANY}.contactSurname", "at least 1"),
    ("EL", {f"{CR_COMPANY}.telephoneNumber": "none"}, f"{CR_COMPANY}.telephoneNumber", "pattern"),
    ("EL", {f"{CR_COMPANY}.referenceNumber": "_SC1"}, f"{CR_COMPANY}.referenceNumber", "pattern"),
    ("EL", {f"{CR_COMPANY}.referenceNumber": MISSING}, f"{CR_COMPANY}.referenceNumber", "Field required"),
    ("EL", {f"{CR_COMPANY}.address.city": ""}, f"{CR_COMPANY}.address.city", "at least 1"),
    # Defendant
    ("EL", {f"{DEFENDANT}.defendantStatus": "X"}, f"{DEFENDANT}.defendantStatus", "'P' or 'B'"),
    (
        "EL",
        {f"{DEFENDANT}.companyDetails": MISSING},
        f"{DEFENDANT}.companyDetails",
        "is required when defendantStatus is B",
    ),
    (
        "PL",
        {f"{DEFENDANT}.defendantStatus": "P"},
        f"{DEFENDANT}.personalDetails",
        "is required when defendantStatus is P",
    ),
    (
        "EL",
        {f"{DEFENDANT}.personalDetails": {"name": "John"}},
        f"{DEFENDANT}.personalDetails.surname",
        "Field required",
    ),
    (
        "EL",
        {f"{DEFENDANT}.personalDetails": {"surname": "Roe", "middleName": "M" * 26}},
        f"{DEFENDANT}.personalDetails.middleName",
        "at most 25",
    ),
    (
        "EL",
        {f"{DEFENDANT}.personalDetails": {"surname": "Roe", "titleType": "6"}},
        f"{DEFENDANT}.personalDetails.titleType",
        "'5'",
    ),
    (
        "EL",
        {f"{DEFENDANT}.personalDetails": {"surname": "Roe", "titleType": "5"}},
        f"{DEFENDANT}.personalDetails.otherTitle",
        "is required when titleType is 5",
    ),
    (
        "EL",
        {f"{DEFENDANT}.personalDetails": {"surname": "Roe", "dateOfBirth": "1970-01-01"}},
        f"{DEFENDANT}.personalDetails.dateOfBirth",
        "Extra inputs",
    ),
    (
        "EL",
        {f"{DEFENDANT}.companyDetails.companyName": ""},
        f"{DEFENDANT}.companyDetails.companyName",
        "at least 1",
    ),
    (
        "EL",
        {f"{DEFENDANT}.companyDetails.emailAddress": "x@y"},
        f"{DEFENDANT}.companyDetails.emailAddress",
        "pattern",
    ),
    (
        "EL",
        {f"{DEFENDANT}.companyDetails.contactSurname": "S" * 26},
        f"{DEFENDANT}.companyDetails.contactSurname",
        "at most 25",
    ),
    (
        "EL",
        {f"{DEFENDANT}.companyDetails.referenceNumber": "{X}"},
        f"{DEFENDANT}.companyDetails.referenceNumber",
        "pattern",
    ),
    (
        "EL",
        {f"{DEFENDANT}.companyDetails.policyNumber": "P" * 17},
        f"{DEFENDANT}.companyDetails.policyNumber",
        "at most 16",
    ),
    (
        "EL",
        {f"{DEFENDANT}.companyDetails.providerAddress": "A" * 101},
        f"{DEFENDANT}.companyDetails.providerAddress",
        "at most 100",
    ),
    ("EL", {f"{DEFENDANT}.insurerInformation": MISSING}, f"{DEFENDANT}.insurerInformation", "Field required"),
    (
        "EL",
        {f"{DEFENDANT}.insurerInformation.insurerOrganizationID": MISSING},
        f"{DEFENDANT}.insurerInformation.insurerOrganizationID",
        "Field required",
    ),
    (
        "EL",
        {f"{DEFENDANT}.insurerInformation.insurerOrganizationPath": "P" * 51},
        f"{DEFENDANT}.insurerInformation.insurerOrganizationPath",
        "at most 50",
    ),
    (
        "EL",
        {f"{DEFENDANT}.insurerInformation.insurerName": ""},
        f"{DEFENDANT}.insurerInformation.insurerName",
        "at least 1",
    ),
    (
        "EL",
        {f"{DEFENDANT}.insurerInformation.insurerType": "I"},
        f"{DEFENDANT}.insurerInformation.insurerType",
        "Extra inputs",
    ),
    (
        "EL",
        {f"{DEFENDANT}.insurerFound.0.selected": "Y"},
        f"{DEFENDANT}.insurerFound.0.selected",
        "'1' or '0'",
    ),
    ("EL", {f"{DEFENDANT}.policyNumberReference": ""}, f"{DEFENDANT}.policyNumberReference", "at least 1"),
    (
        "EL",
        {f"{DEFENDANT}.policyNumberReference": "P" * 51},
        f"{DEFENDANT}.policyNumberReference",
        "at most 50",
    ),
    # Claimant
    ("EL", {f"{CLAIMANT}.personalDetails.name": ""}, f"{CLAIMANT}.personalDetails.name", "at least 1"),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.middleName": "M" * 26},
        f"{CLAIMANT}.personalDetails.middleName",
        "at most 25",
    ),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.surname": MISSING},
        f"{CLAIMANT}.personalDetails.surname",
        "Field required",
    ),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": MISSING},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "Field required",
    ),
    (
        "ELD",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2024-06-01"},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "must be in the past",
    ),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "1899-12-31"},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "1900-01-01",
    ),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2024-03-15", f"{CLAIMANT}.childClaim": "1"},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "must be before the accident date",
    ),
    (
        "PL",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2024-03-16", f"{CLAIMANT}.childClaim": "1"},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "must be before the accident date",
    ),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.titleType": MISSING},
        f"{CLAIMANT}.personalDetails.titleType",
        "Field required",
    ),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.titleType": "5"},
        f"{CLAIMANT}.personalDetails.otherTitle",
        "is required when titleType is 5",
    ),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.otherTitle": "Dr_"},
        f"{CLAIMANT}.personalDetails.otherTitle",
        "pattern",
    ),
    ("EL", {f"{CLAIMANT}.personalDetails.sex": "F"}, f"{CLAIMANT}.personalDetails.sex", "Extra inputs"),
    (
        "EL",
        {f"{CLAIMANT}.personalDetails.address": MISSING},
        f"{CLAIMANT}.personalDetails.address",
        "Field required",
    ),
    ("EL", {f"{CLAIMANT}.occupation": ""}, f"{CLAIMANT}.occupation", "at least 1"),
    ("EL", {f"{CLAIMANT}.occupation": "O" * 51}, f"{CLAIMANT}.occupation", "at most 50"),
    ("EL", {f"{CLAIMANT}.childClaim": MISSING}, f"{CLAIMANT}.childClaim", "Field required"),
    (
        "EL",
        {f"{CLAIMANT}.childClaim": "1"},
        f"{CLAIMANT}.childClaim",
        "must be 0 (No): the claimant is 18 or over",
    ),
    (
        "ELD",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2006-06-02"},
        f"{CLAIMANT}.childClaim",
        "must be 1 (Yes): the claimant is under 18",
    ),
    (
        "EL",
        {f"{CLAIMANT}.nationalInsuranceNumber": "AB123456Z"},
        f"{CLAIMANT}.nationalInsuranceNumber",
        "pattern",
    ),
    (
        "EL",
        {f"{CLAIMANT}.nationalInsuranceNumber": MISSING},
        f"{CLAIMANT}.ninComment",
        "is required to explain why",
    ),
    ("EL", {f"{CLAIMANT}.ninComment": "N" * 501}, f"{CLAIMANT}.ninComment", "at most 500"),
    ("EL", {f"{CLAIMANT}.askCUEPIReference": "1234"}, f"{CLAIMANT}.askCUEPIReference", "Extra inputs"),
    # ELD: employment and exposure periods
    ("ELD", {f"{CLAIMANT}.employmentPeriod": ""}, f"{CLAIMANT}.employmentPeriod", "at least 1"),
    ("ELD", {f"{CLAIMANT}.employmentPeriod": "E" * 501}, f"{CLAIMANT}.employmentPeriod", "at most 500"),
    ("ELD", {f"{CLAIMANT}.exposurePeriod": "X" * 501}, f"{CLAIMANT}.exposurePeriod", "at most 500"),
    (
        "ELD",
        {f"{CLAIMANT}.employmentPeriod": "31/12/2020 - 01/09/2001"},
        f"{CLAIMANT}.employmentPeriod",
        "must not end before it starts: the end 2001-09-01 is before the start 2020-12-31",
    ),
    (
        "ELD",
        {f"{CLAIMANT}.exposurePeriod": "2015-06-30 to 2015-06-29"},
        f"{CLAIMANT}.exposurePeriod",
        "must not end before it starts",
    ),
    ("ELD", {f"{CLAIMANT}.exposurePeriod": MISSING}, f"{CLAIMANT}.exposurePeriod", "is required on an ELD"),
    (
        "EL",
        {f"{CLAIMANT}.employmentPeriod": "2001 - 2020"},
        f"{CLAIMANT}.employmentPeriod",
        "is only allowed on an ELD (disease) claim",
    ),
    (
        "PL",
        {f"{CLAIMANT}.exposurePeriod": "2001 - 2020"},
        f"{CLAIMANT}.exposurePeriod",
        "is only allowed on an ELD (disease) claim",
    ),
    # Medical details
    ("ELD", {f"{INJURY}.respiratory": "Y"}, f"{INJURY}.respiratory", "'1' or '0'"),
    ("ELD", {f"{INJURY}.deafness": "2"}, f"{INJURY}.deafness", "'1' or '0'"),
    ("ELD", {f"{INJURY}.vibrationInjury": "yes"}, f"{INJURY}.vibrationInjury", "'1' or '0'"),
    ("ELD", {f"{INJURY}.dermatitis": "1.0"}, f"{INJURY}.dermatitis", "'1' or '0'"),
    ("EL", {f"{INJURY}.other": "N"}, f"{INJURY}.other", "'1' or '0'"),
    (
        "EL",
        {f"{INJURY}.deafness": "1"},
        f"{INJURY}.deafness",
        "is a disease flag, only allowed on an ELD claim",
    ),
    (
        "PL",
        {f"{INJURY}.dermatitis": "0"},
        f"{INJURY}.dermatitis",
        "is a disease flag, only allowed on an ELD claim",
    ),
    ("EL", {f"{INJURY}.whiplash": "1"}, f"{INJURY}.whiplash", "Extra inputs"),
    (
        "EL",
        {f"{INJURY}.injurySustainedDescription": ""},
        f"{INJURY}.injurySustainedDescription",
        "at least 1",
    ),
    (
        "EL",
        {f"{INJURY}.injurySustainedDescription": "I" * 501},
        f"{INJURY}.injurySustainedDescription",
        "at most 500",
    ),
    (
        "EL",
        {f"{INJURY}.timeOffRequired": MISSING, f"{INJURY}.timeOffPeriod": MISSING},
        f"{INJURY}.timeOffRequired",
        "Field required",
    ),
    ("EL", {f"{INJURY}.timeOffPeriod": 100_000}, f"{INJURY}.timeOffPeriod", "less than or equal to 99999"),
    ("EL", {f"{INJURY}.timeOffPeriod": -1}, f"{INJURY}.timeOffPeriod", "greater than or equal to 0"),
    (
        "EL",
        {f"{INJURY}.timeOffRequired": "0"},
        f"{INJURY}.timeOffPeriod",
        "only allowed when timeOffRequired is 1",
    ),
    ("EL", {f"{INJURY}.stillOffWork": "2"}, f"{INJURY}.stillOffWork", "'1' or '0'"),
    (
        "EL",
        {f"{INJURY}.medicalAttentionSeeking": MISSING},
        f"{INJURY}.medicalAttentionSeeking",
        "Field required",
    ),
    (
        "ELD",
        {f"{INJURY}.medicalAttentionFirstDate": "2024-06-02"},
        f"{INJURY}.medicalAttentionFirstDate",
        "must not be in the future",
    ),
    (
        "EL",
        {f"{INJURY}.medicalAttentionFirstDate": "2024-03-14"},
        f"{INJURY}.medicalAttentionFirstDate",
        "on or after the accident date",
    ),
    ("EL", {f"{INJURY}.hospitalAttendance": MISSING}, f"{INJURY}.hospitalAttendance", "Field required"),
    (
        "EL",
        {f"{INJURY}.overnightDetention": "0"},
        f"{INJURY}.daysNumber",
        "only allowed when overnightDetention is 1",
    ),
    ("EL", {f"{INJURY}.daysNumber": "1" * 51}, f"{INJURY}.daysNumber", "at most 50"),
    (
        "EL",
        {"medicalDetails.hospital.0.hospitalType": "2"},
        "medicalDetails.hospital.0.hospitalType",
        "'0' or '1'",
    ),
    (
        "EL",
        {"medicalDetails.hospital.0.hospitalName": "H" * 101},
        "medicalDetails.hospital.0.hospitalName",
        "at most 100",
    ),
    (
        "EL",
        {"medicalDetails.hospital.0.postCode": "P" * 9},
        "medicalDetails.hospital.0.postCode",
        "at most 8",
    ),
    (
        "EL",
        {"medicalDetails.hospital.0.hospitalAddress": {"addressLine4": "A" * 101}},
        "medicalDetails.hospital.0.hospitalAddress.addressLine4",
        "at most 100",
    ),
    ("EL", {"medicalDetails.hospital": [{"hospitalType": "0"}] * 5}, "medicalDetails.hospital", "at most 4"),
    (
        "EL",
        {"medicalDetails.rehabilitation.rehabilitationUndertaken": "2"},
        "medicalDetails.rehabilitation.rehabilitationUndertaken",
        "'0', '1' or '3'",
    ),
    (
        "EL",
        {"medicalDetails.rehabilitation.rehabilitationTreatment": "T" * 501},
        "medicalDetails.rehabilitation.rehabilitationTreatment",
        "at most 500",
    ),
    (
        "EL",
        {"medicalDetails.rehabilitation.rehabilitationNeeds": "3"},
        "medicalDetails.rehabilitation.rehabilitationNeeds",
        "'1' or '0'",
    ),
    (
        "EL",
        {"medicalDetails.rehabilitation.rehabilitationDetails": "D" * 501},
        "medicalDetails.rehabilitation.rehabilitationDetails",
        "at most 500",
    ),
    # Accident / exposure details
    (
        "EL",
        {f"{ACCIDENT}.accidentDate": "2024-06-02", f"{INJURY}.medicalAttentionFirstDate": MISSING},
        f"{ACCIDENT}.accidentDate",
        "must not be in the future",
    ),
    ("PL", {f"{ACCIDENT}.accidentDate": "1899-12-31"}, f"{ACCIDENT}.accidentDate", "1900-01-01"),
    (
        "EL",
        {f"{ACCIDENT}.accidentDate": MISSING},
        f"{ACCIDENT}.accidentDate",
        "is required on an accident claim (EL or PL)",
    ),
    (
        "PL",
        {f"{ACCIDENT}.accidentDate": MISSING},
        f"{ACCIDENT}.accidentDate",
        "is required on an accident claim (EL or PL)",
    ),
    (
        "ELD",
        {f"{ACCIDENT}.accidentDate": "2010-01-01"},
        f"{ACCIDENT}.accidentDate",
        "must be left out of an ELD (disease) claim",
    ),
    (
        "ELD",
        {f"{ACCIDENT}.accidentTime": "10:00"},
        f"{ACCIDENT}.accidentTime",
        "must be left out of an ELD (disease) claim",
    ),
    ("EL", {f"{ACCIDENT}.accidentTime": "24:00"}, f"{ACCIDENT}.accidentTime", "pattern"),
    ("PL", {f"{ACCIDENT}.accidentTime": "9:30"}, f"{ACCIDENT}.accidentTime", "pattern"),
    ("EL", {f"{ACCIDENT}.accidentLocation": ""}, f"{ACCIDENT}.accidentLocation", "at least 1"),
    ("ELD", {f"{ACCIDENT}.accidentLocation": "L" * 101}, f"{ACCIDENT}.accidentLocation", "at most 100"),
    (
        "ELD",
        {f"{ACCIDENT}.accidentDescription": MISSING},
        f"{ACCIDENT}.accidentDescription",
        "Field required",
    ),
    (
        "EL",
        {f"{ACCIDENT}.accidentDescription": "D" * 1001},
        f"{ACCIDENT}.accidentDescription",
        "at most 1000",
    ),
    ("EL", {f"{ACCIDENT}.incidentReported": MISSING}, f"{ACCIDENT}.incidentReported", "Field required"),
    ("EL", {f"{ACCIDENT}.incidentReported": "3"}, f"{ACCIDENT}.incidentReported", "'1', '0' or '2'"),
    (
        "EL",
        {f"{ACCIDENT}.reportedDateAndToWhom": "R" * 501},
        f"{ACCIDENT}.reportedDateAndToWhom",
        "at most 500",
    ),
    ("PL", {f"{ACCIDENT}.claimantLocation": "3"}, f"{ACCIDENT}.claimantLocation", "'0', '1' or '2'"),
    (
        "PL",
        {f"{ACCIDENT}.claimantLocationOther": "O" * 51},
        f"{ACCIDENT}.claimantLocationOther",
        "at most 50",
    ),
    (
        "EL",
        {f"{ACCIDENT}.claimantLocation": "0"},
        f"{ACCIDENT}.claimantLocation",
        "is only allowed on a PL claim",
    ),
    (
        "ELD",
        {f"{ACCIDENT}.claimantLocationOther": "Yard"},
        f"{ACCIDENT}.claimantLocationOther",
        "is only allowed on a PL claim",
    ),
    ("EL", {f"{ACCIDENT}.seatbelt": "1"}, f"{ACCIDENT}.seatbelt", "Extra inputs"),
    # Liability and funding
    (
        "EL",
        {"liabilityFunding.liability.defendantResponsibility": ""},
        "liabilityFunding.liability.defendantResponsibility",
        "at least 1",
    ),
    (
        "PL",
        {"liabilityFunding.liability.defendantResponsibility": "R" * 5001},
        "liabilityFunding.liability.defendantResponsibility",
        "at most 5000",
    ),
    ("EL", {"liabilityFunding.liability": MISSING}, "liabilityFunding.liability", "Field required"),
    (
        "EL",
        {"liabilityFunding.funding.comments": MISSING},
        "liabilityFunding.funding.comments",
        "Field required",
    ),
    (
        "EL",
        {"liabilityFunding.funding.comments": "C" * 1001},
        "liabilityFunding.funding.comments",
        "at most 1000",
    ),
    # RTA-only sections are not part of this form
    ("EL", {"otherPartyDetails": {}}, "otherPartyDetails", "Extra inputs"),
    (
        "PL",
        {"repairsAndAlternativeVehicleProvision": {}},
        "repairsAndAlternativeVehicleProvision",
        "Extra inputs",
    ),
    # Statement of truth
    ("EL", {"statementOfTruth": False}, "statementOfTruth", "the statement of truth must be signed"),
    ("ELD", {"statementOfTruth": MISSING}, "statementOfTruth", "Field required"),
]


@pytest.mark.parametrize(
    ("claim_type", "changes", "path", "fragment"),
    INVALID_CHANGES,
    ids=[f"{t}:{p}:{f}" for t, _, p, f in INVALID_CHANGES],
)
def test_invalid_change(claim_type: str, changes: dict[str, Any], path: str, fragment: str) -> None:
    errors = error_messages(changed(claim_type, changes))
    assert list(errors) == [path]
    assert fragment in errors[path]


def test_claim_type_errors_are_reported_together() -> None:
    errors = error_messages(changed("EL", {f"{CLAIM}.claimType": "ELD"}))
    assert set(errors) == {
        f"{ACCIDENT}.accidentDate",
        f"{ACCIDENT}.accidentTime",
        f"{CLAIMANT}.exposurePeriod",
    }


def test_today_comes_from_the_context() -> None:
    later = changed(
        "PL", {f"{ACCIDENT}.accidentDate": "2024-07-01", f"{INJURY}.medicalAttentionFirstDate": MISSING}
    )
    assert error_messages(later, today=date(2024, 7, 1)) == {}
    assert list(error_messages(later, today=TODAY)) == [f"{ACCIDENT}.accidentDate"]


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        ("01/09/2001 - 31/12/2020", (date(2001, 9, 1), date(2020, 12, 31))),
        ("2001-09-01 TO 2015-06-30", (date(2001, 9, 1), date(2015, 6, 30))),
        ("1/2/2003\u20131/3/2003", (date(2003, 2, 1), date(2003, 3, 1))),
        ("31/02/2003 - 01/03/2003", None),
        ("About ten years from 2001", None),
        ("2001 - 2020", None),
    ],
)
def test_period_bounds(period: str, bounds: tuple[date, date] | None) -> None:
    assert period_bounds(period) == bounds
