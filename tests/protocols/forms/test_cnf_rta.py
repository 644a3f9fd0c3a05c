"""The RTA Claim Notification Form (WORKFLOW.md §6.2): one valid form, and one change per rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from claimsportal.protocols.forms.cnf_rta import RtaClaimNotificationForm, age_on
from claimsportal.protocols.forms.examples import ADDRESS as EXAMPLE_ADDRESS
from claimsportal.protocols.forms.examples import cnf_example
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes

TODAY = date(2024, 6, 1)

ADDRESS: dict[str, Any] = dict(EXAMPLE_ADDRESS)

VALID: dict[str, Any] = cnf_example("RTA")


CLAIMANT = "claimAndClaimantDetails.claimantDetails"
DEFENDANT = "claimAndClaimantDetails.defendantDetails"
CR_COMPANY = "claimAndClaimantDetails.claimantRepresentative.companyDetails"
INJURY = "medicalDetails.injury"
ACCIDENT = "accidentData.accidentDetails"
PROVIDER = "repairsAndAlternativeVehicleProvision.alternativeVehicleProvision.provider"


def changed(changes: dict[str, Any]) -> dict[str, Any]:
    return with_changes(VALID, changes)


def error_messages(data: dict[str, Any], today: date = TODAY) -> dict[str, str]:
    return errors_of(RtaClaimNotificationForm, data, today)


def test_the_fixture_is_valid() -> None:
    form = RtaClaimNotificationForm.model_validate(VALID, context={"today": TODAY})
    assert form.accidentData.accidentDetails.accidentDate == date(2024, 3, 15)
    assert form.claimAndClaimantDetails.claimantDetails.personalDetails.address.city == "Leeds"


# Changes that keep the form valid (optional blocks absent, alternatives of a rule).
VALID_CHANGES: list[tuple[str, dict[str, Any]]] = [
    (
        "no optional blocks",
        {
            "otherPartyDetails": MISSING,
            "liabilityFunding.funding": MISSING,
            "repairsAndAlternativeVehicleProvision.alternativeVehicleProvision": MISSING,
            "accidentData.busCoach": MISSING,
            "medicalDetails.hospital": [],
        },
    ),
    ("numeric AskCUE reference", {f"{CLAIMANT}.askCUEPIReference": "1234567890"}),
    (
        "NI number absent with comment",
        {f"{CLAIMANT}.nationalInsuranceNumber": MISSING, f"{CLAIMANT}.ninComment": "Not known"},
    ),
    (
        "child claimant",
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2010-01-01", f"{CLAIMANT}.childClaim": "1"},
    ),
    ("18 today is an adult", {f"{CLAIMANT}.personalDetails.dateOfBirth": "2006-06-01"}),
    (
        "accident today",
        {f"{ACCIDENT}.accidentDate": "2024-06-01", f"{INJURY}.medicalAttentionFirstDate": "2024-06-01"},
    ),
    (
        "other title given",
        {f"{CLAIMANT}.personalDetails.titleType": "5", f"{CLAIMANT}.personalDetails.otherTitle": "Dr"},
    ),
    ("pedestrian without seatbelt", {f"{ACCIDENT}.claimantType": "3", f"{ACCIDENT}.seatbelt": MISSING}),
    (
        "other claimant type explained",
        {f"{ACCIDENT}.claimantType": "6", f"{ACCIDENT}.otherType": "Horse rider"},
    ),
    (
        "business defendant",
        {
            f"{DEFENDANT}.defendantStatus": "B",
            f"{DEFENDANT}.personalDetails": MISSING,
            f"{DEFENDANT}.companyDetails": {"companyName": "Haulage Ltd"},
        },
    ),
    ("MIB", {f"{DEFENDANT}.insurerInformation.insurerType": "M"}),
    (
        "six other parties",
        {"otherPartyDetails.otherParty": [{"personalDetails": {"surname": "W"}, "opType": "W"}] * 6},
    ),
]


@pytest.mark.parametrize("changes", [c for _, c in VALID_CHANGES], ids=[n for n, _ in VALID_CHANGES])
def test_valid_change(changes: dict[str, Any]) -> None:
    assert error_messages(changed(changes)) == {}


# (changes to VALID, expected error path, message fragment): exactly one error, at that path.
INVALID_CHANGES: list[tuple[dict[str, Any], str, str]] = [
    # ApplicationData
    ({"applicationData.claimDetails.signatory": "X"}, "applicationData.claimDetails.signatory", "'S' or 'C'"),
    (
        {"applicationData.claimDetails.retainedCopy": MISSING},
        "applicationData.claimDetails.retainedCopy",
        "Field required",
    ),
    (
        {"applicationData.claimDetails.claimValue": "3"},
        "applicationData.claimDetails.claimValue",
        "'1' or '2'",
    ),
    (
        {"applicationData.claimDetails.oicReferenceNumber": "OIC2024"},
        "applicationData.claimDetails.oicReferenceNumber",
        "pattern",
    ),
    # Claimant representative
    ({f"{CR_COMPANY}.companyName": ""}, f"{CR_COMPANY}.companyName", "at least 1"),
    ({f"{CR_COMPANY}.companyName": "C" * 101}, f"{CR_COMPANY}.companyName", "at most 100"),
    ({f"{CR_COMPANY}.branchName": "B" * 101}, f"{CR_COMPANY}.branchName", "at most 100"),
    ({f"{CR_COMPANY}.emailAddress": MISSING}, f"{CR_COMPANY}.emailAddress", "Field required"),
    ({f"{CR_COMPANY}.emailAddress": "not-an-email"}, f"{CR_COMPANY}.emailAddress", "pattern"),
    ({f"{CR_COMPANY}.contactName": "N" * 26}, f"{CR_COMPANY}.contactName", "at most 25"),
    ({f"{CR_COMPANY}.contactMiddleName": "N" * 26}, f"{CR_COMPANY}.contactMiddleName", "at most 25"),
    ({f"{CR_COMPANY}.contactSurname": ""}, f"{CR_COMPANY}.contactSurname", "at least 1"),
    ({f"{CR_COMPANY}.telephoneNumber": "none"}, f"{CR_COMPANY}.telephoneNumber", "pattern"),
    ({f"{CR_COMPANY}.referenceNumber": "_SC1"}, f"{CR_COMPANY}.referenceNumber", "pattern"),
    ({f"{CR_COMPANY}.policyNumber": "P" * 17}, f"{CR_COMPANY}.policyNumber", "at most 16"),
    ({f"{CR_COMPANY}.providerAddress": "A" * 101}, f"{CR_COMPANY}.providerAddress", "at most 100"),
    ({f"{CR_COMPANY}.address.city": ""}, f"{CR_COMPANY}.address.city", "at least 1"),
    ({f"{CR_COMPANY}.fax": "0113"}, f"{CR_COMPANY}.fax", "Extra inputs are not permitted"),
    (
        {"claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.referralSource": "Z"},
        "claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.referralSource",
        "'R', 'E'",
    ),
    (
        {
            "claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.mojcmcAuthorisationNumber": "12345678"
        },
        "claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.mojcmcAuthorisationNumber",
        "pattern",
    ),
    (
        {"claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.cmcName": "C" * 101},
        "claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.cmcName",
        "at most 100",
    ),
    # Defendant
    (
        {f"{DEFENDANT}.personalDetails.surname": MISSING},
        f"{DEFENDANT}.personalDetails.surname",
        "Field required",
    ),
    ({f"{DEFENDANT}.personalDetails.name": "N" * 26}, f"{DEFENDANT}.personalDetails.name", "at most 25"),
    ({f"{DEFENDANT}.personalDetails.sex": "X"}, f"{DEFENDANT}.personalDetails.sex", "'M', 'F' or 'N'"),
    (
        {f"{DEFENDANT}.personalDetails.dateOfBirth": "1899-12-31"},
        f"{DEFENDANT}.personalDetails.dateOfBirth",
        "1900-01-01",
    ),
    (
        {f"{DEFENDANT}.personalDetails.dateOfBirth": "2024-06-01"},
        f"{DEFENDANT}.personalDetails.dateOfBirth",
        "must be in the past",
    ),
    (
        {f"{DEFENDANT}.personalDetails.titleType": "5"},
        f"{DEFENDANT}.personalDetails.otherTitle",
        "is required when titleType is 5",
    ),
    ({f"{DEFENDANT}.vehicle.vrn": ""}, f"{DEFENDANT}.vehicle.vrn", "at least 1"),
    ({f"{DEFENDANT}.vehicle.vrn": "V" * 13}, f"{DEFENDANT}.vehicle.vrn", "at most 12"),
    ({f"{DEFENDANT}.vehicle.make": "M" * 15}, f"{DEFENDANT}.vehicle.make", "at most 14"),
    ({f"{DEFENDANT}.vehicle.model": "M" * 31}, f"{DEFENDANT}.vehicle.model", "at most 30"),
    (
        {f"{DEFENDANT}.vehicle.engineSize": 1_000_000},
        f"{DEFENDANT}.vehicle.engineSize",
        "less than or equal to 999999",
    ),
    ({f"{DEFENDANT}.vehicle.color": "C" * 17}, f"{DEFENDANT}.vehicle.color", "at most 16"),
    (
        {f"{DEFENDANT}.insurerInformation.insurerType": "S"},
        f"{DEFENDANT}.insurerInformation.insurerType",
        "'M' or 'I'",
    ),
    (
        {f"{DEFENDANT}.insurerInformation.insurerOrganizationID": MISSING},
        f"{DEFENDANT}.insurerInformation.insurerOrganizationID",
        "Field required",
    ),
    (
        {f"{DEFENDANT}.insurerInformation.insurerOrganizationPath": "P" * 51},
        f"{DEFENDANT}.insurerInformation.insurerOrganizationPath",
        "at most 50",
    ),
    (
        {f"{DEFENDANT}.insurerInformation.insurerName": ""},
        f"{DEFENDANT}.insurerInformation.insurerName",
        "at least 1",
    ),
    ({f"{DEFENDANT}.insurerInformation": MISSING}, f"{DEFENDANT}.insurerInformation", "Field required"),
    ({f"{DEFENDANT}.insurerFound.0.selected": "Y"}, f"{DEFENDANT}.insurerFound.0.selected", "'1' or '0'"),
    ({f"{DEFENDANT}.defendantStatus": "X"}, f"{DEFENDANT}.defendantStatus", "'P' or 'B'"),
    (
        {f"{DEFENDANT}.personalDetails": MISSING},
        f"{DEFENDANT}.personalDetails",
        "is required when defendantStatus is P",
    ),
    (
        {f"{DEFENDANT}.defendantStatus": "B"},
        f"{DEFENDANT}.companyDetails",
        "is required when defendantStatus is B",
    ),
    (
        {f"{DEFENDANT}.companyDetails": {"companyName": ""}},
        f"{DEFENDANT}.companyDetails.companyName",
        "at least 1",
    ),
    (
        {f"{DEFENDANT}.companyDetails": {"companyName": "Ltd", "referenceNumber": "{X}"}},
        f"{DEFENDANT}.companyDetails.referenceNumber",
        "pattern",
    ),
    ({f"{DEFENDANT}.defDriverName": "D" * 101}, f"{DEFENDANT}.defDriverName", "at most 100"),
    ({f"{DEFENDANT}.policyNumberReference": ""}, f"{DEFENDANT}.policyNumberReference", "at least 1"),
    ({f"{DEFENDANT}.comments": "C" * 501}, f"{DEFENDANT}.comments", "at most 500"),
    ({f"{DEFENDANT}.defedantAge": 0}, f"{DEFENDANT}.defedantAge", "greater than or equal to 1"),
    ({f"{DEFENDANT}.defedantAge": 151}, f"{DEFENDANT}.defedantAge", "less than or equal to 150"),
    ({f"{DEFENDANT}.defendandDescription": ""}, f"{DEFENDANT}.defendandDescription", "at least 1"),
    (
        {f"{DEFENDANT}.defendantDetailsObtained": "D" * 501},
        f"{DEFENDANT}.defendantDetailsObtained",
        "at most 500",
    ),
    # Claimant
    ({f"{CLAIMANT}.personalDetails.name": ""}, f"{CLAIMANT}.personalDetails.name", "at least 1"),
    (
        {f"{CLAIMANT}.personalDetails.middleName": "M" * 26},
        f"{CLAIMANT}.personalDetails.middleName",
        "at most 25",
    ),
    ({f"{CLAIMANT}.personalDetails.surname": "S" * 26}, f"{CLAIMANT}.personalDetails.surname", "at most 25"),
    (
        {f"{CLAIMANT}.personalDetails.dateOfBirth": MISSING},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "Field required",
    ),
    (
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2024-07-01"},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "must be in the past",
    ),
    (
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2024-03-15", f"{CLAIMANT}.childClaim": "1"},
        f"{CLAIMANT}.personalDetails.dateOfBirth",
        "must be before the accident date",
    ),
    (
        {f"{CLAIMANT}.personalDetails.titleType": MISSING},
        f"{CLAIMANT}.personalDetails.titleType",
        "Field required",
    ),
    (
        {f"{CLAIMANT}.personalDetails.titleType": "5"},
        f"{CLAIMANT}.personalDetails.otherTitle",
        "is required when titleType is 5",
    ),
    ({f"{CLAIMANT}.personalDetails.otherTitle": "Dr_"}, f"{CLAIMANT}.personalDetails.otherTitle", "pattern"),
    (
        {f"{CLAIMANT}.personalDetails.address": MISSING},
        f"{CLAIMANT}.personalDetails.address",
        "Field required",
    ),
    (
        {f"{CLAIMANT}.personalDetails.address.postCode": "LS1 5AB XX"},
        f"{CLAIMANT}.personalDetails.address.postCode",
        "at most 8",
    ),
    ({f"{CLAIMANT}.vehicle.vrn": "V" * 13}, f"{CLAIMANT}.vehicle.vrn", "at most 12"),
    ({f"{CLAIMANT}.occupation": ""}, f"{CLAIMANT}.occupation", "at least 1"),
    ({f"{CLAIMANT}.occupation": "O" * 51}, f"{CLAIMANT}.occupation", "at most 50"),
    ({f"{CLAIMANT}.childClaim": "1"}, f"{CLAIMANT}.childClaim", "must be 0 (No): the claimant is 18 or over"),
    (
        {f"{CLAIMANT}.personalDetails.dateOfBirth": "2006-06-02"},
        f"{CLAIMANT}.childClaim",
        "must be 1 (Yes): the claimant is under 18",
    ),
    ({f"{CLAIMANT}.nationalInsuranceNumber": "AB123456Z"}, f"{CLAIMANT}.nationalInsuranceNumber", "pattern"),
    (
        {f"{CLAIMANT}.nationalInsuranceNumber": MISSING},
        f"{CLAIMANT}.ninComment",
        "is required to explain why",
    ),
    ({f"{CLAIMANT}.ninComment": "N" * 501}, f"{CLAIMANT}.ninComment", "at most 500"),
    ({f"{CLAIMANT}.askCUEPIReference": MISSING}, f"{CLAIMANT}.askCUEPIReference", "Field required"),
    ({f"{CLAIMANT}.askCUEPIReference": "CUE1"}, f"{CLAIMANT}.askCUEPIReference", "pattern"),
    # Medical details
    ({f"{INJURY}.softTissue": "Y"}, f"{INJURY}.softTissue", "'1' or '0'"),
    ({f"{INJURY}.injurySustainedDescription": ""}, f"{INJURY}.injurySustainedDescription", "at least 1"),
    (
        {f"{INJURY}.injurySustainedDescription": "I" * 501},
        f"{INJURY}.injurySustainedDescription",
        "at most 500",
    ),
    (
        {f"{INJURY}.timeOffRequired": MISSING, f"{INJURY}.timeOffPeriod": MISSING},
        f"{INJURY}.timeOffRequired",
        "Field required",
    ),
    ({f"{INJURY}.timeOffPeriod": 100_000}, f"{INJURY}.timeOffPeriod", "less than or equal to 99999"),
    ({f"{INJURY}.timeOffPeriod": -1}, f"{INJURY}.timeOffPeriod", "greater than or equal to 0"),
    ({f"{INJURY}.timeOffRequired": "0"}, f"{INJURY}.timeOffPeriod", "only allowed when timeOffRequired is 1"),
    ({f"{INJURY}.medicalAttentionSeeking": MISSING}, f"{INJURY}.medicalAttentionSeeking", "Field required"),
    (
        {f"{INJURY}.medicalAttentionFirstDate": "2024-06-02"},
        f"{INJURY}.medicalAttentionFirstDate",
        "must not be in the future",
    ),
    (
        {f"{INJURY}.medicalAttentionFirstDate": "2024-03-14"},
        f"{INJURY}.medicalAttentionFirstDate",
        "on or after the accident date",
    ),
    ({f"{INJURY}.hospitalAttendance": MISSING}, f"{INJURY}.hospitalAttendance", "Field required"),
    (
        {f"{INJURY}.overnightDetention": "0"},
        f"{INJURY}.daysNumber",
        "only allowed when overnightDetention is 1",
    ),
    ({f"{INJURY}.daysNumber": "1" * 51}, f"{INJURY}.daysNumber", "at most 50"),
    ({"medicalDetails.hospital.0.hospitalType": "2"}, "medicalDetails.hospital.0.hospitalType", "'0' or '1'"),
    (
        {"medicalDetails.hospital.0.hospitalName": "H" * 101},
        "medicalDetails.hospital.0.hospitalName",
        "at most 100",
    ),
    ({"medicalDetails.hospital.0.postCode": "P" * 9}, "medicalDetails.hospital.0.postCode", "at most 8"),
    (
        {"medicalDetails.hospital.0.hospitalAddress": {"addressLine1": "A" * 101}},
        "medicalDetails.hospital.0.hospitalAddress.addressLine1",
        "at most 100",
    ),
    ({"medicalDetails.hospital": [{"hospitalType": "0"}] * 5}, "medicalDetails.hospital", "at most 4"),
    (
        {"medicalDetails.rehabilitation.rehabilitationUndertaken": "2"},
        "medicalDetails.rehabilitation.rehabilitationUndertaken",
        "'0', '1' or '3'",
    ),
    (
        {"medicalDetails.rehabilitation.rehabilitationTreatment": "T" * 501},
        "medicalDetails.rehabilitation.rehabilitationTreatment",
        "at most 500",
    ),
    # Repairs and alternative vehicle provision
    (
        {"repairsAndAlternativeVehicleProvision.repairs.claiimingDamageOwnVehicle": MISSING},
        "repairsAndAlternativeVehicleProvision.repairs.claiimingDamageOwnVehicle",
        "Field required",
    ),
    (
        {"repairsAndAlternativeVehicleProvision.repairs.detailsOfTheInsurance": "4"},
        "repairsAndAlternativeVehicleProvision.repairs.detailsOfTheInsurance",
        "'0', '1', '2' or '3'",
    ),
    (
        {"repairsAndAlternativeVehicleProvision.repairs.repairsPosition": "4"},
        "repairsAndAlternativeVehicleProvision.repairs.repairsPosition",
        "'0', '1', '2' or '3'",
    ),
    (
        {"repairsAndAlternativeVehicleProvision.repairs.totalLoss": "3"},
        "repairsAndAlternativeVehicleProvision.repairs.totalLoss",
        "'0', '1' or '2'",
    ),
    (
        {"repairsAndAlternativeVehicleProvision.repairs.otherDetails": "O" * 51},
        "repairsAndAlternativeVehicleProvision.repairs.otherDetails",
        "at most 50",
    ),
    (
        {"repairsAndAlternativeVehicleProvision.repairs.alternativeCompany": {"companyName": ""}},
        "repairsAndAlternativeVehicleProvision.repairs.alternativeCompany.companyName",
        "at least 1",
    ),
    ({f"{PROVIDER}.providerName": MISSING}, f"{PROVIDER}.providerName", "Field required"),
    ({f"{PROVIDER}.referenceNumber": "~HC"}, f"{PROVIDER}.referenceNumber", "pattern"),
    ({f"{PROVIDER}.startDate": "1899-01-01"}, f"{PROVIDER}.startDate", "1900-01-01"),
    ({f"{PROVIDER}.endDate": MISSING}, f"{PROVIDER}.endDate", "Field required"),
    (
        {"repairsAndAlternativeVehicleProvision.alternativeVehicleProvision.claimantEntitled": MISSING},
        "repairsAndAlternativeVehicleProvision.alternativeVehicleProvision.claimantEntitled",
        "Field required",
    ),
    (
        {"repairsAndAlternativeVehicleProvision.alternativeVehicleProvision.vehicleType": "V" * 51},
        "repairsAndAlternativeVehicleProvision.alternativeVehicleProvision.vehicleType",
        "at most 50",
    ),
    # Accident data
    ({f"{ACCIDENT}.driver": {"name": "Ann"}}, f"{ACCIDENT}.driver.surname", "Field required"),
    ({f"{ACCIDENT}.owner": {"surname": "S" * 26}}, f"{ACCIDENT}.owner.surname", "at most 25"),
    (
        {f"{ACCIDENT}.insuranceCompanyInformatiion": {"policyNumber": "P" * 17}},
        f"{ACCIDENT}.insuranceCompanyInformatiion.policyNumber",
        "at most 16",
    ),
    (
        {f"{ACCIDENT}.weatherConditions.otherDetails": "O" * 51},
        f"{ACCIDENT}.weatherConditions.otherDetails",
        "at most 50",
    ),
    ({f"{ACCIDENT}.roadConditions.oil": "yes"}, f"{ACCIDENT}.roadConditions.oil", "'1' or '0'"),
    (
        {f"{ACCIDENT}.accidentCircumstances.accidRoundabout": "2"},
        f"{ACCIDENT}.accidentCircumstances.accidRoundabout",
        "'1' or '0'",
    ),
    (
        {f"{ACCIDENT}.policeDetails": {"referenceNumber": "R" * 21}},
        f"{ACCIDENT}.policeDetails.referenceNumber",
        "at most 20",
    ),
    ({f"{ACCIDENT}.claimantType": "7"}, f"{ACCIDENT}.claimantType", "'6'"),
    ({f"{ACCIDENT}.claimantType": "6"}, f"{ACCIDENT}.otherType", "is required when claimantType is 6"),
    ({f"{ACCIDENT}.otherType": "O" * 21}, f"{ACCIDENT}.otherType", "at most 20"),
    ({f"{ACCIDENT}.occupantsNumber": -1}, f"{ACCIDENT}.occupantsNumber", "greater than or equal to 0"),
    ({f"{ACCIDENT}.seatbelt": "3"}, f"{ACCIDENT}.seatbelt", "'0', '1' or '2'"),
    (
        {f"{ACCIDENT}.seatbelt": MISSING},
        f"{ACCIDENT}.seatbelt",
        "is required when claimantType is 0 (driver) or 2",
    ),
    (
        {f"{ACCIDENT}.accidentDate": "2024-06-02", f"{INJURY}.medicalAttentionFirstDate": MISSING},
        f"{ACCIDENT}.accidentDate",
        "must not be in the future",
    ),
    ({f"{ACCIDENT}.accidentDate": "1899-12-31"}, f"{ACCIDENT}.accidentDate", "1900-01-01"),
    ({f"{ACCIDENT}.accidentTime": "25:00"}, f"{ACCIDENT}.accidentTime", "pattern"),
    ({f"{ACCIDENT}.accidentLocation": ""}, f"{ACCIDENT}.accidentLocation", "at least 1"),
    ({f"{ACCIDENT}.accidentDescription": "D" * 501}, f"{ACCIDENT}.accidentDescription", "at most 500"),
    ({f"{ACCIDENT}.policeReported": "3"}, f"{ACCIDENT}.policeReported", "'0', '1' or '2'"),
    ({"accidentData.busCoach.bussOrCoach": MISSING}, "accidentData.busCoach.bussOrCoach", "Field required"),
    ({"accidentData.busCoach.driverID": "D" * 21}, "accidentData.busCoach.driverID", "at most 20"),
    (
        {"accidentData.busCoach.vehicleDescription": ""},
        "accidentData.busCoach.vehicleDescription",
        "at least 1",
    ),
    (
        {"accidentData.busCoach.numberOfPassengers": -1},
        "accidentData.busCoach.numberOfPassengers",
        "greater than or equal to 0",
    ),
    # Other parties
    ({"otherPartyDetails.otherParty": []}, "otherPartyDetails.otherParty", "at least 1"),
    (
        {"otherPartyDetails.otherParty": [{"personalDetails": {"surname": "W"}, "opType": "W"}] * 7},
        "otherPartyDetails.otherParty",
        "at most 6",
    ),
    ({"otherPartyDetails.otherParty.0.opType": "X"}, "otherPartyDetails.otherParty.0.opType", "'W' or 'O'"),
    (
        {"otherPartyDetails.otherParty.0.opType": "O"},
        "otherPartyDetails.otherParty.0.opOther",
        "is required when opType is O",
    ),
    (
        {"otherPartyDetails.otherParty.0.personalDetails.surname": MISSING},
        "otherPartyDetails.otherParty.0.personalDetails.surname",
        "Field required",
    ),
    (
        {"otherPartyDetails.otherParty.0.vihicleInformation": {"engineSize": -1}},
        "otherPartyDetails.otherParty.0.vihicleInformation.engineSize",
        "greater than or equal to 0",
    ),
    # Liability and funding
    (
        {"liabilityFunding.liability.defendantResponsability": ""},
        "liabilityFunding.liability.defendantResponsability",
        "at least 1",
    ),
    (
        {"liabilityFunding.liability.op6Responsability": "2"},
        "liabilityFunding.liability.op6Responsability",
        "'1' or '0'",
    ),
    ({"liabilityFunding.funding.comments": MISSING}, "liabilityFunding.funding.comments", "Field required"),
    ({"liabilityFunding.funding.comments": "C" * 1001}, "liabilityFunding.funding.comments", "at most 1000"),
    # Statement of truth
    ({"statementOfTruth": False}, "statementOfTruth", "the statement of truth must be signed"),
    ({"statementOfTruth": MISSING}, "statementOfTruth", "Field required"),
]


@pytest.mark.parametrize(
    ("changes", "path", "fragment"), INVALID_CHANGES, ids=[f"{p}:{f}" for _, p, f in INVALID_CHANGES]
)
def test_invalid_change(changes: dict[str, Any], path: str, fragment: str) -> None:
    errors = error_messages(changed(changes))
    assert list(errors) == [path]
    assert fragment in errors[path]


def test_cross_field_errors_are_reported_together() -> None:
    errors = error_messages(
        changed({f"{CLAIMANT}.childClaim": "1", f"{INJURY}.medicalAttentionFirstDate": "2024-01-01"})
    )
    assert set(errors) == {f"{CLAIMANT}.childClaim", f"{INJURY}.medicalAttentionFirstDate"}


def test_today_comes_from_the_context() -> None:
    later = changed(
        {f"{ACCIDENT}.accidentDate": "2024-07-01", f"{INJURY}.medicalAttentionFirstDate": MISSING}
    )
    assert error_messages(later, today=date(2024, 7, 1)) == {}
    assert list(error_messages(later, today=TODAY)) == [f"{ACCIDENT}.accidentDate"]


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(1985, 4, 20), TODAY, 39),
    ],
)
def test_age_on(born: date, day: date, age: int) -> None:
    assert age_on(born, day) == age
