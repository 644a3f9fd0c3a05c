"""Complete, valid example forms: the CNFs of §6.2/§6.3 and the insurer responses of §6.4.

One source for the demo data, the tests, the benchmarks and (later) the API's OpenAPI examples, so an
example that stops being valid fails the form tests first. Every function returns a fresh deep copy
that the caller may change.

The accident happened on 15 March 2024, so the examples stay valid on any later "today". The CNF's
``insurerInformation`` organisation ID and path are left empty: the portal fills them from the
``compensator`` the claim is addressed to (a non-empty value must name that same organisation).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

ADDRESS: dict[str, Any] = {
    "country": "United Kingdom",
    "city": "Leeds",
    "street1": "1 Park Row",
    "postCode": "LS1 5AB",
}

_CR_COMPANY: dict[str, Any] = {
    "companyName": "Smith & Co Solicitors",
    "branchName": "Leeds",
    "emailAddress": "claims@smithco.example",
    "contactName": "Jane",
    "contactSurname": "Doe",
    "telephoneNumber": "0113 496 0000",
    "referenceNumber": "SC/2024/001",
    "address": dict(ADDRESS),
}

_RTA_CNF: dict[str, Any] = {
    "applicationData": {
        "claimDetails": {
            "signatory": "S",
            "retainedCopy": "1",
            "claimValue": "1",
            "oicReferenceNumber": "OIC-2024-1",
        }
    },
    "claimAndClaimantDetails": {
        "claimantRepresentative": {
            "companyDetails": dict(_CR_COMPANY),
            "referralSourceInfo": {
                "referralSource": "R",
                "cmcName": "Referrals Ltd",
                "mojcmcAuthorisationNumber": "12345",
            },
        },
        "defendantDetails": {
            "personalDetails": {
                "name": "John",
                "surname": "Roe",
                "sex": "M",
                "dateOfBirth": "1970-01-01",
                "titleType": "1",
                "address": dict(ADDRESS),
            },
            "vehicle": {
                "vrn": "AB12 CDE",
                "make": "Ford",
                "model": "Focus",
                "engineSize": 1600,
                "color": "Blue",
            },
            "insurerInformation": {
                "insurerName": "Acme Insurance",
                "selected": "1",
                "insurerOrganizationID": "",
                "insurerOrganizationPath": "",
                "insurerType": "I",
            },
            "insurerFound": [
                {
                    "insurerOrganizationID": "C0002",
                    "insurerOrganizationPath": "/C0002",
                    "insurerType": "M",
                    "selected": "0",
                }
            ],
            "defendantStatus": "P",
            "policyNumberReference": "POL123",
            "defedantAge": 54,
        },
        "claimantDetails": {
            "personalDetails": {
                "name": "Mary",
                "surname": "Major",
                "sex": "F",
                "dateOfBirth": "1985-04-20",
                "titleType": "3",
                "address": dict(ADDRESS),
            },
            "vehicle": {"vrn": "XY34 ZZZ"},
            "occupation": "Teacher",
            "childClaim": "0",
            "nationalInsuranceNumber": "AB123456C",
            "askCUEPIReference": "ASKCUEPI123456",
        },
    },
    "medicalDetails": {
        "injury": {
            "softTissue": "1",
            "whiplash": "1",
            "injurySustainedDescription": "Neck pain",
            "timeOffRequired": "1",
            "timeOffPeriod": 5,
            "stillOffWork": "0",
            "medicalAttentionSeeking": "1",
            "medicalAttentionFirstDate": "2024-03-16",
            "hospitalAttendance": "1",
            "overnightDetention": "1",
            "daysNumber": "1",
        },
        "hospital": [{"hospitalType": "0", "hospitalName": "Leeds General", "postCode": "LS1 3EX"}],
        "rehabilitation": {"rehabilitationUndertaken": "1"},
    },
    "repairsAndAlternativeVehicleProvision": {
        "repairs": {
            "claiimingDamageOwnVehicle": "1",
            "detailsOfTheInsurance": "0",
            "repairsPosition": "1",
            "totalLoss": "1",
        },
        "alternativeVehicleProvision": {
            "provider": {
                "providerName": "Hire Co",
                "referenceNumber": "HC-77",
                "startDate": "2024-03-16",
                "endDate": "2024-04-01",
            },
            "claimantEntitled": "1",
        },
    },
    "accidentData": {
        "accidentDetails": {
            "weatherConditions": {"rain": "1"},
            "roadConditions": {"wet": "1"},
            "accidentCircumstances": {"vhclHitInRear": "1"},
            "claimantType": "0",
            "occupantsNumber": 1,
            "seatbelt": "1",
            "accidentDate": "2024-03-15",
            "accidentTime": "08:45",
            "accidentLocation": "A64, Leeds",
            "accidentDescription": "Hit in the rear at traffic lights",
            "policeReported": "2",
        },
        "busCoach": {"bussOrCoach": "0"},
    },
    "otherPartyDetails": {"otherParty": [{"personalDetails": {"surname": "Witness"}, "opType": "W"}]},
    "liabilityFunding": {
        "liability": {
            "defendantResponsability": "Drove into the back of the claimant",
            "op1Responsability": "0",
        },
        "funding": {"comments": ""},
    },
    "statementOfTruth": True,
}

_EL_CNF: dict[str, Any] = {
    "applicationData": {
        "claimDetails": {
            "signatory": "S",
            "retainedCopy": "1",
            "claimValue": "1",
            "claimType": "EL",
            "notificationDate": "2024-05-31",
        }
    },
    "claimAndClaimantDetails": {
        "claimantRepresentative": {"companyDetails": dict(_CR_COMPANY)},
        "defendantDetails": {
            "insurerInformation": {
                "insurerName": "Acme Insurance",
                "selected": "1",
                "insurerOrganizationID": "",
                "insurerOrganizationPath": "",
            },
            "insurerFound": [
                {"insurerOrganizationID": "C0002", "insurerOrganizationPath": "/C0002", "selected": "0"}
            ],
            "companyDetails": {
                "companyName": "Widgets Manufacturing Ltd",
                "contactName": "Pat",
                "contactSurname": "Boss",
                "telephoneNumber": "0113 496 0001",
                "referenceNumber": "HR-12",
                "policyNumber": "EL123456",
                "address": dict(ADDRESS),
            },
            "defendantStatus": "B",
            "policyNumberReference": "EL123456",
        },
        "claimantDetails": {
            "personalDetails": {
                "name": "Mary",
                "surname": "Major",
                "dateOfBirth": "1985-04-20",
                "titleType": "3",
                "address": dict(ADDRESS),
            },
            "occupation": "Machine operator",
            "childClaim": "0",
            "nationalInsuranceNumber": "AB123456C",
        },
    },
    "medicalDetails": {
        "injury": {
            "other": "1",
            "injurySustainedDescription": "Crushed fingers",
            "timeOffRequired": "1",
            "timeOffPeriod": 10,
            "stillOffWork": "0",
            "medicalAttentionSeeking": "1",
            "medicalAttentionFirstDate": "2024-03-15",
            "hospitalAttendance": "1",
            "overnightDetention": "1",
            "daysNumber": "1",
        },
        "hospital": [{"hospitalType": "0", "hospitalName": "Leeds General", "postCode": "LS1 3EX"}],
        "rehabilitation": {"rehabilitationUndertaken": "1"},
    },
    "accidentData": {
        "accidentDetails": {
            "accidentDate": "2024-03-15",
            "accidentTime": "10:30",
            "accidentLocation": "Press shop, Widgets Ltd, Leeds",
            "accidentDescription": "Guard missing from press; hand caught",
            "incidentReported": "1",
            "reportedDateAndToWhom": "15/03/2024 to the shift supervisor",
        }
    },
    "liabilityFunding": {
        "liability": {"defendantResponsibility": "Failed to guard dangerous machinery"},
        "funding": {"comments": ""},
    },
    "statementOfTruth": True,
}


def _eld(base: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["applicationData"]["claimDetails"]["claimType"] = "ELD"
    data["claimAndClaimantDetails"]["claimantDetails"].update(
        {"employmentPeriod": "01/09/2001 - 31/12/2020", "exposurePeriod": "2001-09-01 to 2015-06-30"}
    )
    data["medicalDetails"]["injury"] = {
        "deafness": "1",
        "respiratory": "0",
        "vibrationInjury": "0",
        "dermatitis": "0",
        "other": "0",
        "injurySustainedDescription": "Noise-induced hearing loss",
        "timeOffRequired": "0",
        "medicalAttentionSeeking": "1",
        "medicalAttentionFirstDate": "2023-11-02",
        "hospitalAttendance": "0",
    }
    data["medicalDetails"]["hospital"] = []
    data["accidentData"]["accidentDetails"] = {
        "accidentLocation": "Press shop, Widgets Ltd, Leeds",
        "accidentDescription": "Exposed to noise above 85 dB(A) without hearing protection",
        "incidentReported": "2",
    }
    return data


def _pl(base: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["applicationData"]["claimDetails"]["claimType"] = "PL"
    data["claimAndClaimantDetails"]["claimantDetails"]["occupation"] = "Retired"
    data["claimAndClaimantDetails"]["defendantDetails"]["companyDetails"]["companyName"] = "Big Shop plc"
    data["accidentData"]["accidentDetails"] = {
        "accidentDate": "2024-03-15",
        "accidentTime": "16:05:30",
        "accidentLocation": "Aisle 4, Big Shop, Leeds",
        "accidentDescription": "Slipped on spilt oil",
        "incidentReported": "0",
        "claimantLocation": "2",
        "claimantLocationOther": "Shop floor",
    }
    return data


_CNFS: dict[str, dict[str, Any]] = {
    "RTA": _RTA_CNF,
    "EL": _EL_CNF,
    "ELD": _eld(_EL_CNF),
    "PL": _pl(_EL_CNF),
}


def cnf_example(
    claim_type: str = "RTA",
    *,
    surname: str | None = None,
    forename: str | None = None,
    date_of_birth: date | None = None,
    child: bool | None = None,
    insurer_type: str | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    """A complete valid CNF of ``claim_type`` (RTA, EL, ELD, PL), with the facts the workflow reads
    optionally changed. ``child=True`` without a date of birth makes the claimant 10 years old."""
    data = copy.deepcopy(_CNFS[claim_type])
    details = data["claimAndClaimantDetails"]
    claimant = details["claimantDetails"]
    person = claimant["personalDetails"]
    if surname is not None:
        person["surname"] = surname
    if forename is not None:
        person["name"] = forename
    if child:
        claimant["childClaim"] = "1"
        if date_of_birth is None:
            date_of_birth = date(2020, 1, 10)
    if date_of_birth is not None:
        person["dateOfBirth"] = date_of_birth.isoformat()
    if insurer_type is not None:
        details["defendantDetails"]["insurerInformation"]["insurerType"] = insurer_type
    if reference is not None:
        details["claimantRepresentative"]["companyDetails"]["referenceNumber"] = reference
    return data


_INSURER_CONTACT: dict[str, Any] = {
    "contactName": "Alan",
    "contactMiddleName": "B",
    "contactSurname": "Clerk",
    "telephoneNumber": "0161 496 0000",
    "emailAddress": "claims@acme.example",
    "referenceNumber": "ACME/2024/42",
}

_ADMITS = {"accidentOccurred": "1", "causedByDefendant": "1", "causedSomeLossToTheClaimant": "1"}

_RTA_RESPONSE: dict[str, Any] = {
    "liabilityCausation": {"defendantAdmits": dict(_ADMITS), "noAuthority": "0", "liabilityDecision": "A"},
    "providedServices": {
        "defendantsInsurer": dict(_INSURER_CONTACT),
        "preparedToProvideReabilitation": "1",
        "reabilitationProvided": "0",
        "reabilitationDetails": "Physiotherapy offered",
        "altVchlProvided": "0",
        "repairsProvided": "1",
        "repairsDetails": "Repaired by approved garage",
    },
    "defendantDetails": {"personalDetails": {"defendantsDOB": "1970-01-01"}},
    "capacity": "1",
}

_ELPL_RESPONSE: dict[str, Any] = {
    "liabilityCausation": {"defendantAdmits": dict(_ADMITS), "liabilityDecision": "A"},
    "providedServices": {
        "defendantsInsurer": dict(_INSURER_CONTACT),
        "preparedToProvideRehabilitation": "1",
        "rehabilitationProvided": "1",
        "rehabilitationDetails": "Physiotherapy arranged",
    },
}


def insurer_response_example(
    protocol: str = "RTA",
    decision: str = "A",
    *,
    reasons: str | None = None,
    reference: str | None = "ACME/2024/42",
) -> dict[str, Any]:
    """A complete valid insurer response (§6.4) for ``protocol`` (RTA, or EL/ELD/PL/ELPL) with
    ``decision`` A, AN or N. ``N`` gets a default reason when none is given."""
    data = copy.deepcopy(_RTA_RESPONSE if protocol == "RTA" else _ELPL_RESPONSE)
    causation = data["liabilityCausation"]
    causation["liabilityDecision"] = decision
    if decision == "N":
        reasons = reasons or "Our insured denies that the accident happened as described"
        causation["defendantAdmits"] = {"accidentOccurred": "1", "causedByDefendant": "0"}
    if reasons:
        causation["unadmittedLiabilityReasons"] = reasons
    if reference is None:
        del data["providedServices"]["defendantsInsurer"]["referenceNumber"]
    else:
        data["providedServices"]["defendantsInsurer"]["referenceNumber"] = reference
    return data
