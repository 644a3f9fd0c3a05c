"""The EL / ELD / PL Claim Notification Form (WORKFLOW.md §6.3, schema AddClaim v1.4, Release 6).

Names follow :mod:`claimsportal.protocols.forms.cnf_rta`: the schema's element and attribute names
in camelCase (``InsurerOrganizationID`` -> ``insurerOrganizationID``), a repeated element as a list
under its element name (``hospital``, ``insurerFound``). Addresses sit where §6.1 puts the shared
Address element (representative, defendant person/company, claimant, insurers).

Validate with ``ElplClaimNotificationForm.model_validate(data, context={"today": today})``; the
cross-field rules report the path of the offending field, e.g.
``accidentData.accidentDetails.accidentDate``.

One schema serves three claim types (``applicationData.claimDetails.claimType``, WORKFLOW.md §2):

* ``EL`` (employer's liability accident): accident details; the employer is the defendant;
* ``ELD`` (employer's liability disease): "exposure details" instead of accident details. There is
  no accident date or time; the claimant's ``employmentPeriod``/``exposurePeriod`` and the disease
  injury flags (``respiratory``, ``deafness``, ``vibrationInjury``, ``dermatitis``) belong to it;
* ``PL`` (public liability): accident details including the ``claimantLocation`` code.

Rules beyond the XSD, from §2/§6.3's notes or marked [I]: an accident date for EL and PL and none
(nor a time) for ELD [I: "disease claims have none"]; the accident is not in the future; the claimant
was born in the past and before the accident; ``childClaim`` matches the claimant's age (under 18)
on the send date (today), as on the RTA form; an ``exposurePeriod`` on ELD claims [I], and the two
periods, the disease flags and the claimant location only on the claim type they belong to; a
period written as two dates (``01/02/2003 - 04/05/2006`` or ISO) does not end before it starts [I:
the XSD types both periods as free text, so other wording is accepted as is]; medical attention
first sought neither in the future nor before the accident; the RTA form's governed fields
(``timeOffPeriod``, ``daysNumber``), ``otherTitle`` for title 5, the details matching the
defendant's status and an ``ninComment`` when no NI number is given; and the signed statement of
truth (a web step, not an XSD attribute).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import Field, StrictBool, ValidationInfo, field_validator, model_validator

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import (
    YNNK,
    Address,
    ClaimantLocation,
    ClaimTypeELPL,
    ClaimValue,
    EmailAddress,
    Forename,
    FormDate,
    FormModel,
    Loc,
    NationalInsuranceNumber,
    NotFutureDate,
    OptionalName,
    OtherTitle,
    PastDate,
    ReferenceNumber,
    SignatoryType,
    SubjectStatus,
    Surname,
    TelephoneNumber,
    Time,
    TitleType,
    YNFlag,
    raise_field_errors,
    reference_today,
    text,
)
from claimsportal.protocols.forms.shared_blocks import (
    DefendantCompanyDetails,
    Funding,
    GovernedInjuryRules,
    Hospital,
    Rehabilitation,
    claimant_date_errors,
    litigant_in_person_errors,
    require_signed_statement,
)
from claimsportal.protocols.forms.shared_blocks import (
    HospitalAddress as HospitalAddress,  # re-exported: it used to be defined here
)

_DATE = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
_PERIOD = re.compile(rf"^({_DATE})\s*(?:-|\u2013|to)\s*({_DATE})$", re.IGNORECASE)


def _parse_date(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def period_bounds(period: str) -> tuple[date, date] | None:
    """The start and end of a period written as two dates, else ``None`` (free text).

    Accepts ``DD/MM/YYYY`` or ``YYYY-MM-DD`` dates separated by ``-``, an en dash or ``to``. A period type
    belongs in common.py if another form needs one."""
    match = _PERIOD.match(period.strip())
    if match is None:
        return None
    start, end = _parse_date(match.group(1)), _parse_date(match.group(2))
    if start is None or end is None:
        return None
    return start, end


def _period_errors(name: str, period: str | None) -> list[tuple[Loc, str, Any]]:
    bounds = period_bounds(period) if period else None
    if bounds is not None and bounds[1] < bounds[0]:
        return [
            (
                (name,),
                rules.PERIOD_IN_ORDER.say(end=bounds[1].isoformat(), start=bounds[0].isoformat()),
                period,
            )
        ]
    return []


# --- ApplicationData ------------------------------------------------------------------------------


class ClaimDetails(FormModel):
    signatory: SignatoryType
    retainedCopy: YNFlag
    claimValue: ClaimValue
    claimType: ClaimTypeELPL
    notificationDate: FormDate


class ApplicationData(FormModel):
    claimDetails: ClaimDetails


# --- ClaimAndClaimantDetails ----------------------------------------------------------------------


class RepresentativeCompanyDetails(FormModel):
    companyName: Annotated[str, text(1, 100)]
    branchName: Annotated[str, text(1, 100)] | None = None
    emailAddress: EmailAddress
    contactName: Forename
    contactMiddleName: OptionalName | None = None
    contactSurname: Surname
    telephoneNumber: TelephoneNumber
    referenceNumber: ReferenceNumber
    address: Address


class ClaimantRepresentative(FormModel):
    companyDetails: RepresentativeCompanyDetails
    litigantInPerson: YNFlag | None = Field(
        default=None, description='The "not legally represented" tick: an unrepresented claimant'
    )


class DefendantPersonalDetails(FormModel):
    name: OptionalName | None = None
    middleName: OptionalName | None = None
    surname: Surname
    titleType: TitleType | None = None
    otherTitle: OtherTitle | None = None
    address: Address | None = None

    __rules__ = (rules.OTHER_TITLE,)


class InsurerInformation(FormModel):
    """``InsurerInformation`` and each ``InsurerFound`` (no insurer type on EL/PL)."""

    insurerName: Annotated[str, text(1, 100)] | None = None
    selected: YNFlag | None = None
    insurerOrganizationID: Annotated[str, text(0, 50)]
    insurerOrganizationPath: Annotated[str, text(0, 50)]
    address: Address | None = None


class DefendantDetails(FormModel):
    """The employer (EL, ELD) or occupier/business (PL) against whom the claim is made."""

    personalDetails: DefendantPersonalDetails | None = None
    insurerInformation: InsurerInformation
    insurerFound: list[InsurerInformation] = []
    companyDetails: DefendantCompanyDetails | None = None
    defendantStatus: SubjectStatus  # C09_SubjectStatus_ELPL: the same P/B values
    policyNumberReference: Annotated[str, text(1, 50)]

    __rules__ = (rules.PERSONAL_DETAILS_OF_A_PERSON, rules.COMPANY_DETAILS_OF_A_BUSINESS)


class ClaimantPersonalDetails(FormModel):
    name: Forename
    middleName: OptionalName | None = None
    surname: Surname
    dateOfBirth: PastDate
    titleType: TitleType
    otherTitle: OtherTitle | None = None
    address: Address

    __rules__ = (rules.OTHER_TITLE,)


class ClaimantDetails(FormModel):
    personalDetails: ClaimantPersonalDetails
    occupation: Annotated[str, text(1, 50)]
    childClaim: YNFlag
    nationalInsuranceNumber: NationalInsuranceNumber | None = None
    ninComment: Annotated[str, text(0, 500)] | None = None
    employmentPeriod: Annotated[str, text(1, 500)] | None = None
    exposurePeriod: Annotated[str, text(1, 500)] | None = None

    __rules__ = (rules.NIN_COMMENT,)
    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.PERIOD_IN_ORDER.at("employmentPeriod", "exposurePeriod"),
    )

    @model_validator(mode="after")
    def _periods(self) -> Self:
        errors = _period_errors("employmentPeriod", self.employmentPeriod)
        errors += _period_errors("exposurePeriod", self.exposurePeriod)
        raise_field_errors(type(self).__name__, errors)
        return self


class ClaimAndClaimantDetails(FormModel):
    claimantRepresentative: ClaimantRepresentative
    defendantDetails: DefendantDetails
    claimantDetails: ClaimantDetails


# --- MedicalDetails -------------------------------------------------------------------------------

DISEASE_FLAGS = rules.DISEASE_FLAGS


class Injury(GovernedInjuryRules):
    respiratory: YNFlag | None = None
    deafness: YNFlag | None = None
    vibrationInjury: YNFlag | None = None
    dermatitis: YNFlag | None = None
    other: YNFlag | None = None
    injurySustainedDescription: Annotated[str, text(1, 500)]
    timeOffRequired: YNFlag
    timeOffPeriod: Annotated[int, Field(ge=0, le=99_999)] | None = None
    stillOffWork: YNFlag | None = None
    medicalAttentionSeeking: YNFlag
    medicalAttentionFirstDate: NotFutureDate | None = None
    hospitalAttendance: YNFlag
    overnightDetention: YNFlag | None = None
    daysNumber: Annotated[str, text(0, 50)] | None = None


class MedicalDetails(FormModel):
    injury: Injury
    hospital: Annotated[list[Hospital], Field(max_length=4)] = []
    rehabilitation: Rehabilitation


# --- AccidentData ---------------------------------------------------------------------------------


class AccidentDetails(FormModel):
    """Accident details (EL, PL) or, for ELD, exposure details (location and description)."""

    accidentDate: NotFutureDate | None = None
    accidentTime: Time | None = None
    accidentLocation: Annotated[str, text(1, 100)]
    accidentDescription: Annotated[str, text(1, 1000)]
    incidentReported: YNNK
    reportedDateAndToWhom: Annotated[str, text(0, 500)] | None = None
    claimantLocation: ClaimantLocation | None = None
    claimantLocationOther: Annotated[str, text(0, 50)] | None = None


class AccidentData(FormModel):
    accidentDetails: AccidentDetails


# --- LiabilityFunding -----------------------------------------------------------------------------


class Liability(FormModel):
    defendantResponsibility: Annotated[str, text(1, 5000)]


class LiabilityFunding(FormModel):
    liability: Liability
    funding: Funding | None = None


# --- the form -------------------------------------------------------------------------------------


class ElplClaimNotificationForm(FormModel):
    """The EL/ELD/PL CNF (``DocumentInput`` of AddClaim v1.4) plus the signed statement of truth."""

    applicationData: ApplicationData
    claimAndClaimantDetails: ClaimAndClaimantDetails
    medicalDetails: MedicalDetails
    accidentData: AccidentData
    liabilityFunding: LiabilityFunding
    statementOfTruth: StrictBool = Field(description="The statement of truth is signed")

    # The sections and fields that belong to one claim type only.
    __rules__ = (*rules.ELPL_CLAIM_TYPE_RULES, *rules.ELPL_DISEASE_FLAG_RULES)

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.BORN_BEFORE_ACCIDENT.at("claimAndClaimantDetails.claimantDetails.personalDetails.dateOfBirth"),
        rules.CHILD_CLAIM_UNDER_18.at("claimAndClaimantDetails.claimantDetails.childClaim"),
        rules.NO_CHILD_CLAIM_AT_18.at("claimAndClaimantDetails.claimantDetails.childClaim"),
        rules.ATTENTION_AFTER_ACCIDENT.at("medicalDetails.injury.medicalAttentionFirstDate"),
        rules.LITIGANT_IN_PERSON_SIGNS.at("applicationData.claimDetails.signatory"),
        rules.STATEMENT_SIGNED.at("statementOfTruth"),
    )

    @field_validator("statementOfTruth")
    @classmethod
    def _signed(cls, value: bool) -> bool:
        return require_signed_statement(value)

    @model_validator(mode="after")
    def _cross_section_rules(self, info: ValidationInfo) -> Self:
        errors = self._date_errors(reference_today(info))
        errors += litigant_in_person_errors(
            self.claimAndClaimantDetails.claimantRepresentative.litigantInPerson,
            self.applicationData.claimDetails.signatory,
        )
        raise_field_errors(type(self).__name__, errors)
        return self

    def _date_errors(self, today: date) -> list[tuple[Loc, str, Any]]:
        """Birth, age and medical attention against the accident date and today (the send date)."""
        claimant = self.claimAndClaimantDetails.claimantDetails
        return claimant_date_errors(
            self.accidentData.accidentDetails.accidentDate,
            claimant.personalDetails.dateOfBirth,
            claimant.childClaim,
            self.medicalDetails.injury.medicalAttentionFirstDate,
            today,
        )
