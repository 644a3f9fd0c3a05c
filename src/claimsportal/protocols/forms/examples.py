"""Complete, valid example forms: the CNFs of §6.2/§6.3, the insurer responses of §6.4 and the Stage 2
packs of §6.5-§6.11 (interim settlement pack, Stage 2 settlement pack, counter offers, additional
damages, court proceedings pack).

One source for the demo data, the tests, the benchmarks and (later) the API's OpenAPI examples, so an
example that stops being valid fails the form tests first. Every function returns a fresh deep copy
that the caller may change.

The accident happened on 15 March 2024, so the examples stay valid on any later "today". The CNF's
``insurerInformation`` organisation ID and path are left empty: the portal fills them from the
``compensator`` the claim is addressed to (a non-empty value must name that same organisation).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
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


# --------------------------------------------------------------------------------------------------
# Stage 2 packs (§6.5-§6.11)
#
# A head is given as ``{"gross": "3500.00", "percent": "0.00", "interest": "0.00"}`` (percent and
# interest optional), the figures the workflow remembers per loss type (ClaimState). The compensator's
# examples answer the heads ``claimed`` (the matching claimant example's heads unless told): with the
# claimant's figures for an agreement decision (C, ACO, A), otherwise with ``offered`` (loss type ->
# gross value) or 80 % of each head, rounded down to the pound.
# --------------------------------------------------------------------------------------------------

HeadSpec = Mapping[str, str]

_CR_CONTACT: dict[str, Any] = {
    "contactName": "Jane",
    "contactSurname": "Doe",
    "emailAddress": "claims@smithco.example",
    "referenceNumber": "SC/2024/001",
    "telephoneNumber": "0113 496 0000",
}
_COMP_CONTACT: dict[str, Any] = {
    "contactName": "Alan",
    "contactMiddleName": "B",
    "contactSurname": "Clerk",
    "emailAddress": "claims@acme.example",
    "referenceNumber": "ACME/2024/42",
    "telephoneNumber": "0161 496 0000",
}
_STATEMENT: dict[str, Any] = {"retainedSignedCopy": "1", "signatoryType": "S"}
_CRU_REFERENCE: dict[str, Any] = {"cruReferenceNumber": "ABC123"}
_TARIFF_CR: dict[str, Any] = {
    "tariffType": "1",
    "selectDurationOfTheInjury": "3",
    "excepCircumstancesUplift": "1",
    "excepCircumstancesUpliftPerc": 10,
    "excepCircumstancesUpliftNote": "Exceptional severity: the claimant could not work for 5 months",
}
_TARIFF_CM: dict[str, Any] = {
    "tariffType": "1",
    "selectDurationOfTheInjury": "3",
    "excepCircumstancesUplift": "0",
}

STAGE2_HEADS: dict[str, dict[str, dict[str, str]]] = {
    "RTA": {
        "11": {"gross": "3500.00", "percent": "0.00", "interest": "0.00"},
        "0": {"gross": "250.00", "percent": "0.00", "interest": "4.10"},
        "4": {"gross": "120.00", "percent": "0.00", "interest": "1.97"},
        "5": {"gross": "350.00", "percent": "0.00", "interest": "5.75"},
        "8": {"gross": "1200.00", "percent": "0.00", "interest": "19.73"},
    },
    "ELPL": {
        "11": {"gross": "4500.00", "percent": "0.00", "interest": "0.00"},
        "5": {"gross": "300.00", "percent": "0.00", "interest": "4.93"},
        "7": {"gross": "400.00", "percent": "0.00", "interest": "6.58"},
        "8": {"gross": "1800.00", "percent": "0.00", "interest": "29.59"},
    },
}
"""The heads of the example Stage 2 Settlement Pack (RTA: general damages, policy excess, fares,
medical expenses and loss of earnings; EL/PL: general damages, medical expenses, care and loss of
earnings)."""

INTERIM_HEADS: dict[str, dict[str, dict[str, str]]] = {
    "RTA": {"5": {"gross": "350.00"}, "8": {"gross": "1200.00"}},
    "ELPL": {"5": {"gross": "300.00"}, "8": {"gross": "1800.00"}},
}
"""The heads of the example interim request (RTA 1,550.00; EL/PL 2,100.00)."""

ADDITIONAL_HEADS: dict[str, dict[str, str]] = {
    "2": {"gross": "900.00", "percent": "0.00", "interest": "7.40"}
}
"""The additional loss of the example additional damages request: car hire."""


def _rta(protocol: str) -> bool:
    return protocol == "RTA"


def _variant(protocol: str) -> str:
    return "RTA" if _rta(protocol) else "ELPL"


def _decimal(value: Any) -> Decimal | None:
    """``value`` as a number, or None: the shorthands of the tests also build forms with wrong amounts."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _same_amount(a: Any, b: Any) -> bool:
    return _decimal(a) is not None and _decimal(a) == _decimal(b)


def _eighty_percent(amount: str) -> str:
    number = _decimal(amount)
    if number is None:
        return amount
    return str((number * Decimal("0.8")).quantize(Decimal(1), rounding=ROUND_DOWN)) + ".00"


def _after_contribution(gross: str, percent: str) -> str:
    """The value after contribution as the portal computes it (forms.money.after_contribution)."""
    amount, rate = _decimal(gross), _decimal(percent)
    if amount is None or rate is None:
        return "0.00"
    value = amount * (100 - rate) / 100
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def _claimant_head(protocol: str, loss_type: str, head: HeadSpec, *, tariff: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "lossType": loss_type,
        "evidenceAttached": "1",
        "grossValueClaimed": head["gross"],
        "percContribNegDeductions": head.get("percent", "0.00"),
        "interest": head.get("interest", "0.00"),
    }
    if loss_type == "11" and _rta(protocol) and tariff:
        out.update(_TARIFF_CR)
    return out


def _reply_figures(
    claimed: Mapping[str, HeadSpec], offered: Mapping[str, str] | None, agree: bool
) -> dict[str, dict[str, str]]:
    """loss type -> the compensator's gross value, percent, interest and agreement flag."""
    out: dict[str, dict[str, str]] = {}
    for loss_type, head in claimed.items():
        gross = head["gross"]
        interest = head.get("interest", "0.00")
        if not agree:
            gross = (offered or {}).get(loss_type, _eighty_percent(gross))
            interest = _eighty_percent(interest) if (_decimal(interest) or 0) >= 1 else interest
        out[loss_type] = {
            "gross": gross,
            "percent": head.get("percent", "0.00"),
            "interest": interest,
            "agreed": "1" if _same_amount(gross, head["gross"]) else "0",
        }
    return out


def _agreement_details(gross_amount: str, comments: str | None = None) -> dict[str, Any]:
    details: dict[str, Any] = {"grossAmount": gross_amount, "interimPaymentAmount": "0.00"}
    if comments:
        details["comments"] = comments
    return details


def _sum(values: Any) -> str:
    return str(sum((d for v in values if (d := _decimal(v)) is not None), Decimal("0.00")))


def interim_request_example(
    protocol: str = "RTA", *, heads: Mapping[str, HeadSpec] | None = None
) -> dict[str, Any]:
    """A complete valid Interim Settlement Pack request (§6.5) for ``protocol`` (RTA, or EL/ELD/PL)."""
    rta = _rta(protocol)
    heads = heads if heads is not None else INTERIM_HEADS[_variant(protocol)]
    representative: dict[str, Any] = {"companyDetails": copy.deepcopy(_CR_CONTACT)}
    if rta:
        representative["medCoCase"] = {"softTissue": "1", "medCoCaseID": "123456/1"}
    losses = []
    for loss_type, head in heads.items():
        loss: dict[str, Any] = {
            "lossType": loss_type,
            "evidenceAttached": "1",
            "grossValueClaimed": head["gross"],
            "itemBeingPursued": "1",
        }
        if rta:
            loss["percContribNegDeductions"] = head.get("percent", "0.00")
        losses.append(loss)
    return {
        "claimantRepresentative": representative,
        "medicalReport": {"medicalReportStage2_1": "1"},
        "interimPayment": {
            "claimantRequestForInterimPayment": {
                "reasonsForInterimPaymentRequest": "Loss of earnings while off work and treatment costs"
            }
        },
        "claimantLosses": {"claimantLossesToDate": losses},
        "statementOfTruth": dict(_STATEMENT),
    }


def interim_response_example(
    protocol: str = "RTA",
    *,
    claimed: Mapping[str, HeadSpec] | None = None,
    offered: Mapping[str, str] | None = None,
    cru_deductions: str = "0.00",
) -> dict[str, Any]:
    """A complete valid interim response (§6.6) to the heads ``claimed`` (by default the example
    request's): the full amount unless ``offered`` gives a loss type's gross value offered."""
    rta = _rta(protocol)
    claimed = claimed if claimed is not None else INTERIM_HEADS[_variant(protocol)]
    replies = []
    for loss_type, head in claimed.items():
        gross = (offered or {}).get(loss_type, head["gross"])
        reply: dict[str, Any] = {
            "lossType": loss_type,
            "isGrossAmountAgreed": "1" if _same_amount(gross, head["gross"]) else "0",
            "grossValueOffered": gross,
        }
        if rta:
            reply["percContribNegDeductions"] = head.get("percent", "0.00")
        replies.append(reply)
    return {
        "defendantRepresentative": {
            "defendantsInsurer": copy.deepcopy(_COMP_CONTACT),
            "cruReference": dict(_CRU_REFERENCE),
        },
        "interimPayment": {
            "defendantResponsesToInterimPaymentRequest": {"additionalComments": "Payment by BACS"}
        },
        "defendantReplies": {"defendantResponse": replies},
        "total": {"lossesTotal": {"cruDeductions": cru_deductions}},
    }


def stage2_request_example(
    protocol: str = "RTA", *, heads: Mapping[str, HeadSpec] | None = None
) -> dict[str, Any]:
    """A complete valid Stage 2 Settlement Pack request (§6.7) for ``protocol`` (RTA, or EL/ELD/PL)."""
    rta = _rta(protocol)
    heads = heads if heads is not None else STAGE2_HEADS[_variant(protocol)]
    representative = copy.deepcopy(_CR_CONTACT)
    if rta:
        representative["medCoCase"] = {"softTissue": "1", "medCoCaseID": "123456/1"}
    return {
        "claimantRepresentative": representative,
        "medicalReport": {"medicalReportStage2": "1"},
        "claimantLosses": {
            "currentClaimantOffer": [_claimant_head(protocol, lt, head) for lt, head in heads.items()]
        },
        "statementOfTruth": dict(_STATEMENT),
        "agreementData": {"comments": "Medical report of Dr Patel attached"},
    }


def _replies(
    protocol: str, figures: Mapping[str, Mapping[str, str]], gross_field: str
) -> list[dict[str, Any]]:
    replies = []
    for loss_type, head in figures.items():
        reply: dict[str, Any] = {
            "lossType": loss_type,
            "isGrossAmountAgreed": head["agreed"],
            gross_field: head["gross"],
            "percContribNegDeductions": head["percent"],
            "interest": head["interest"],
        }
        if loss_type == "11" and _rta(protocol):
            reply.update(_TARIFF_CM)
        replies.append(reply)
    return replies


def _reply_form(
    protocol: str,
    figures: Mapping[str, Mapping[str, str]],
    gross_field: str,
    decision: tuple[str, str],
    *,
    representative: bool,
) -> dict[str, Any]:
    field_name, value = decision
    global_offer = _sum([*(h["gross"] for h in figures.values()), *(h["interest"] for h in figures.values())])
    form: dict[str, Any] = {}
    if representative:
        form["defendantRepresentative"] = {
            "defendantsInsurer": copy.deepcopy(_COMP_CONTACT),
            "cruReference": dict(_CRU_REFERENCE),
        }
    form["defendantReplies"] = {"currentDefendantResponse": _replies(protocol, figures, gross_field)}
    form["total"] = {"currentTotal": {"cruDeductions": "0.00"}}
    form["agreementData"] = {
        "finalAgreementDetails": {"agreementDetails": _agreement_details(global_offer), field_name: value}
    }
    return form


def stage2_response_example(
    protocol: str = "RTA",
    decision: str = "CO",
    *,
    claimed: Mapping[str, HeadSpec] | None = None,
    offered: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A complete valid first response (§6.8) with ``decision`` C, CO or R to the heads ``claimed``."""
    claimed = claimed if claimed is not None else STAGE2_HEADS[_variant(protocol)]
    figures = _reply_figures(claimed, offered, decision == "C")
    if decision == "R":
        figures = {}
    return _reply_form(
        protocol, figures, "grossValueClaimed", ("settlementPackDecision", decision), representative=True
    )


def _claimant_offer_form(protocol: str, heads: Mapping[str, HeadSpec], comments: str) -> dict[str, Any]:
    global_offer = _sum(
        [*(h["gross"] for h in heads.values()), *(h.get("interest", "0.00") for h in heads.values())]
    )
    return {
        "claimantLosses": {
            "currentClaimantOffer": [_claimant_head(protocol, lt, head) for lt, head in heads.items()]
        },
        "agreementData": {
            "finalAgreementDetails": {"agreementDetails": _agreement_details(global_offer, comments)}
        },
    }


def counter_offer_by_cr_example(
    protocol: str = "RTA", *, heads: Mapping[str, HeadSpec] | None = None
) -> dict[str, Any]:
    """A complete valid counter offer by the claimant (§6.9): by default the example pack's heads,
    general damages lowered to 3,200.00 (RTA) or 4,200.00 (EL/PL)."""
    if heads is None:
        heads = copy.deepcopy(STAGE2_HEADS[_variant(protocol)])
        heads["11"]["gross"] = "3200.00" if _rta(protocol) else "4200.00"
    return _claimant_offer_form(protocol, heads, "We would accept this in full and final settlement")


def counter_offer_by_cm_example(
    protocol: str = "RTA",
    decision: str = "NEWCO",
    *,
    claimed: Mapping[str, HeadSpec] | None = None,
    offered: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A complete valid counter offer by the compensator (§6.9) with ``decision`` ACO or NEWCO to the
    claimant's current heads ``claimed`` (by default those of :func:`counter_offer_by_cr_example`)."""
    if claimed is None:
        claimed = {
            h["lossType"]: {
                "gross": h["grossValueClaimed"],
                "percent": h["percContribNegDeductions"],
                "interest": h["interest"],
            }
            for h in counter_offer_by_cr_example(protocol)["claimantLosses"]["currentClaimantOffer"]
        }
    figures = _reply_figures(claimed, offered, decision == "ACO")
    return _reply_form(
        protocol,
        figures,
        "grossValueOffered",
        ("settlementPackCounterOfferDecision", decision),
        representative=False,
    )


def additional_damages_request_example(*, heads: Mapping[str, HeadSpec] | None = None) -> dict[str, Any]:
    """A complete valid RTA additional damages request (§6.10): by default the example pack's heads
    and car hire of 900.00."""
    if heads is None:
        heads = {**STAGE2_HEADS["RTA"], **ADDITIONAL_HEADS}
    return _claimant_offer_form("RTA", heads, "Car hire invoice attached")


def additional_damages_response_example(
    decision: str = "A",
    *,
    claimed: Mapping[str, HeadSpec] | None = None,
    offered: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A complete valid RTA additional damages response (§6.10) with ``decision`` A or CO to the heads
    ``claimed`` (by default those of :func:`additional_damages_request_example`)."""
    claimed = claimed if claimed is not None else {**STAGE2_HEADS["RTA"], **ADDITIONAL_HEADS}
    figures = _reply_figures(claimed, offered, decision == "A")
    return _reply_form(
        "RTA", figures, "grossValueOffered", ("additionalDamagesDecision", decision), representative=False
    )


def court_pack_request_example(
    protocol: str = "RTA",
    *,
    heads: Mapping[str, HeadSpec] | None = None,
    claimant_final_offer: str = "5300.00",
    defendant_final_offer: str = "4200.00",
    disputed: bool = True,
) -> dict[str, Any]:
    """A complete valid Court Proceedings Pack request (§6.11, Parts A and B) with the claimant's last
    offer per head (by default those of :func:`counter_offer_by_cr_example`) and, unless ``disputed``
    is False, one disputed disbursement. ``ValueClaimedAfterContrib`` is sent, as the XSD requires (the
    portal computes it anyway)."""
    rta = _rta(protocol)
    if heads is None:
        heads = {
            h["lossType"]: {"gross": h["grossValueClaimed"], "percent": h["percContribNegDeductions"]}
            for h in counter_offer_by_cr_example(protocol)["claimantLosses"]["currentClaimantOffer"]
        }
    offers = []
    for loss_type, head in heads.items():
        offer: dict[str, Any] = {
            "lossType": loss_type,
            "percInterestRate": "0.00" if loss_type == "11" else "2.00",
            "grossValueClaimed": head["gross"],
            "percContribNegDeductions": head.get("percent", "0.00"),
            "valueClaimedAfterContrib": _after_contribution(head["gross"], head.get("percent", "0.00")),
            "evidenceAttached": "1",
        }
        if loss_type == "11" and rta:
            offer.update(_TARIFF_CR)
        offers.append(offer)
    form: dict[str, Any] = {
        "claimAndClaimantDetails": {
            "claimantRepresentative": {"companyDetails": copy.deepcopy(_CR_CONTACT)},
            "claimantDetails": {"occupation_CPP": "Warehouse operative"},
        },
        "claimantLosses": {"lastClaimantOffer": offers},
        "courtProceedingsPackPartA": {"allDisbursementAgreedAndPaid": "0" if disputed else "1"},
        "courtProceedingsPackPartB": {
            "fixedCosts": {"stage1FixedCostsPaid": "1", "stage2FixedCostsPaid": "0"},
            "claimantFinalOffer": claimant_final_offer,
            "defendantFinalOffer": defendant_final_offer,
        },
        "defendantLegalRepresentative": {"hasDefendantNamedLegalRep": "0"},
        "statementOfTruth": dict(_STATEMENT),
    }
    if disputed:
        form["disbursmentDisputed"] = {
            "disbursementDisputedRequestResponse": [
                {
                    "amountClaimed": "180.00",
                    "amountPaid": "90.00",
                    "disbursementDisputed": "Medical records fee",
                    "disbursementId": 1,
                }
            ]
        }
    return form


def court_pack_response_example(
    protocol: str = "RTA",
    *,
    claimed: Mapping[str, HeadSpec] | None = None,
    offered: Mapping[str, str] | None = None,
    final_offer: str = "4200.00",
    disputed: bool = True,
) -> dict[str, Any]:
    """A complete valid Court Proceedings Pack response (§6.11) answering the heads ``claimed`` (by
    default those of :func:`court_pack_request_example`) with 80 % of each unless ``offered``, and the
    disputed disbursement unless ``disputed`` is False."""
    rta = _rta(protocol)
    if claimed is None:
        claimed = {
            h["lossType"]: {"gross": h["grossValueClaimed"], "percent": h["percContribNegDeductions"]}
            for h in court_pack_request_example(protocol)["claimantLosses"]["lastClaimantOffer"]
        }
    replies = []
    for loss_type, head in claimed.items():
        gross = (offered or {}).get(loss_type, _eighty_percent(head["gross"]))
        reply: dict[str, Any] = {
            "lossType": loss_type,
            "percContribNegDeductions": head.get("percent", "0.00"),
            "grossValueOffered": gross,
            "valueOfferedAfterContrib": _after_contribution(gross, head.get("percent", "0.00")),
            "evidenceAttached": "1",
        }
        if loss_type == "11" and rta:
            reply.update(_TARIFF_CM)
        replies.append(reply)
    form: dict[str, Any] = {
        "defendantRepresentative": {"defendantsInsurer": copy.deepcopy(_COMP_CONTACT)},
        "defendantReplies": {"lastDefendantResponse": replies},
        "courtProceedingsPackPartA": {
            "cruBenefitsReceived": "0.00",
            "upToDateCRUCertificateAttached": "1",
        },
        "defendantLegalRepresentative": {"hasDefendantNamedLegalRep": "0"},
        "courtProceedingsPackPartB": {"defendantFinalOffer": final_offer},
    }
    if disputed:
        form["disbursmentDisputed"] = {
            "disbursementDisputedRequestResponse": [
                {"disbursementId": 1, "reasonForNotPayingFullDisbursement": "Fee above the usual rate"}
            ]
        }
    return form
