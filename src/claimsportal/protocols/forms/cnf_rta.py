"""The RTA Claim Notification Form (WORKFLOW.md §6.2, schema AddClaim v3.8).

Elements and attributes keep the schema's names (and misspellings) in camelCase: a leading run of
capitals is lower-cased (``VRN`` -> ``vrn``, ``OICReferenceNumber`` -> ``oicReferenceNumber``,
``OPType`` -> ``opType``). A repeated element is a list under its element name (``hospital``,
``insurerFound``, ``otherParty``).

Validate with ``RtaClaimNotificationForm.model_validate(data, context={"today": today})``; the
cross-field rules report the path of the offending field, e.g.
``claimAndClaimantDetails.claimantDetails.personalDetails.dateOfBirth``.

Rules beyond the XSD, all from §6.2's notes or marked [I] there: the claimant was born before the
accident, which is not in the future; ``childClaim`` matches the claimant's age (under 18) on the
send date (today); medical attention was first sought on or after the accident date; a time-off
period only with time off required, a number of days only with an overnight detention; a seatbelt
answer for drivers and passengers; ``otherTitle``/``otherType``/``opOther`` when "other" is chosen;
the personal or company details that match the defendant's status; an ``ninComment`` when no NI
number is given; and the signed statement of truth (web section N, not an XSD attribute).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Self

from pydantic import Field, StrictBool, StringConstraints, ValidationInfo, field_validator, model_validator

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import (
    YNDK,
    YNNK,
    Address,
    AskCuePiReference,
    ClaimantType,
    ClaimValue,
    CmcAuthorisationNumber,
    DetailsOfTheInsurance,
    EmailAddress,
    Forename,
    FormDate,
    FormModel,
    InsurerTypeR3,
    NationalInsuranceNumber,
    NotFutureDate,
    OicReferenceNumber,
    OptionalName,
    OtherPartyType,
    OtherTitle,
    PastDate,
    ReferenceNumber,
    ReferralSource,
    RepairsPosition,
    SeatbeltWearing,
    Sex,
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
from claimsportal.protocols.state import age_on as age_on  # re-exported: it used to be defined here

EngineSize = Annotated[int, Field(ge=0, le=999_999)]
AnyText = Annotated[str, StringConstraints(strip_whitespace=True)]


# --- ApplicationData ------------------------------------------------------------------------------


class ClaimDetails(FormModel):
    signatory: SignatoryType
    retainedCopy: YNFlag
    claimValue: ClaimValue
    oicReferenceNumber: OicReferenceNumber | None = None


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
    policyNumber: Annotated[str, text(0, 16)] | None = None
    providerAddress: Annotated[str, text(0, 100)] | None = None
    address: Address


class ReferralSourceInfo(FormModel):
    """Where the claim came from (Release 6, for the Insurance Fraud Taskforce): mandatory for the
    claimant representative, withheld from the compensator and from every PDF (``forms.withheld``).
    ``R`` is the regulated claims management company [I]: it needs the CMC's name and its MoJ
    authorisation number (ADMINISTRATION.md §8.6). The other codes' companion fields are optional:
    their meanings are not documented (WORKFLOW.md §6.1 C32)."""

    referralSource: ReferralSource
    cmcName: Annotated[str, text(0, 100)] | None = None
    mojcmcAuthorisationNumber: CmcAuthorisationNumber | None = None
    referralSourceWebsite: Annotated[str, text(0, 100)] | None = None
    referralSourceSource: Annotated[str, text(0, 100)] | None = None

    __rules__ = (rules.CMC_NAME, rules.CMC_AUTHORISATION_NUMBER)


class ClaimantRepresentative(FormModel):
    companyDetails: RepresentativeCompanyDetails
    referralSourceInfo: ReferralSourceInfo  # mandatory since Release 6 (ADMINISTRATION.md §8.6)
    litigantInPerson: YNFlag | None = Field(
        default=None, description='The "not legally represented" tick: an unrepresented claimant'
    )


class Vehicle(FormModel):
    vrn: Annotated[str, text(0, 12)] | None = None
    make: Annotated[str, text(0, 14)] | None = None
    model: Annotated[str, text(0, 30)] | None = None
    engineSize: EngineSize | None = None
    color: Annotated[str, text(0, 16)] | None = None


class DefendantVehicle(Vehicle):
    vrn: Annotated[str, text(1, 12)]


class DefendantPersonalDetails(FormModel):
    name: OptionalName | None = None
    middleName: OptionalName | None = None
    surname: Surname
    sex: Sex | None = None
    dateOfBirth: PastDate | None = None
    titleType: TitleType | None = None
    otherTitle: OtherTitle | None = None
    address: Address | None = None

    __rules__ = (rules.OTHER_TITLE,)


class InsurerInformation(FormModel):
    insurerName: Annotated[str, text(1, 100)] | None = None
    selected: YNFlag | None = None
    insurerOrganizationID: Annotated[str, text(0, 50)]
    insurerOrganizationPath: Annotated[str, text(0, 50)]
    insurerType: InsurerTypeR3
    address: Address | None = None


class DefendantDetails(FormModel):
    personalDetails: DefendantPersonalDetails | None = None
    vehicle: DefendantVehicle | None = None
    insurerInformation: InsurerInformation
    insurerFound: list[InsurerInformation] = []
    companyDetails: DefendantCompanyDetails | None = None
    defendantStatus: SubjectStatus
    defDriverName: Annotated[str, text(0, 100)] | None = None
    policyNumberReference: Annotated[str, text(1, 50)]
    comments: Annotated[str, text(0, 500)] | None = None
    defedantAge: Annotated[int, Field(ge=1, le=150)] | None = None
    defendandDescription: Annotated[str, text(1, 500)] | None = None
    defendantDetailsObtained: Annotated[str, text(1, 500)] | None = None

    __rules__ = (rules.PERSONAL_DETAILS_OF_A_PERSON, rules.COMPANY_DETAILS_OF_A_BUSINESS)


class ClaimantPersonalDetails(FormModel):
    name: Forename
    middleName: OptionalName | None = None
    surname: Surname
    sex: Sex | None = None
    dateOfBirth: PastDate
    titleType: TitleType
    otherTitle: OtherTitle | None = None
    address: Address

    __rules__ = (rules.OTHER_TITLE,)


class ClaimantDetails(FormModel):
    personalDetails: ClaimantPersonalDetails
    vehicle: Vehicle | None = None
    occupation: Annotated[str, text(1, 50)]
    childClaim: YNFlag
    nationalInsuranceNumber: NationalInsuranceNumber | None = None
    ninComment: Annotated[str, text(0, 500)] | None = None
    askCUEPIReference: AskCuePiReference

    __rules__ = (rules.NIN_COMMENT,)


class ClaimAndClaimantDetails(FormModel):
    claimantRepresentative: ClaimantRepresentative
    defendantDetails: DefendantDetails
    claimantDetails: ClaimantDetails


# --- MedicalDetails -------------------------------------------------------------------------------


class Injury(GovernedInjuryRules):
    softTissue: YNFlag | None = None
    boneInjury: YNFlag | None = None
    whiplash: YNFlag | None = None
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


# --- RepairsAndAlternativeVehicleProvision --------------------------------------------------------


class AlternativeCompany(FormModel):
    companyName: Annotated[str, text(1, 100)] | None = None
    address: Annotated[str, text(0, 500)] | None = None
    telephoneNumber: TelephoneNumber | None = None
    referenceNumber: AnyText | None = None


class Repairs(FormModel):
    alternativeCompany: AlternativeCompany | None = None
    claiimingDamageOwnVehicle: YNFlag
    detailsOfTheInsurance: DetailsOfTheInsurance | None = None
    otherDetails: Annotated[str, text(0, 50)] | None = None
    throughClaimantInsurer: YNFlag | None = None
    throughAlternatieCompany: YNFlag | None = None
    repairsPosition: RepairsPosition | None = None
    defendantInsInspection: YNFlag | None = None
    location: Annotated[str, text(0, 100)] | None = None
    contactDetails: Annotated[str, text(0, 100)] | None = None
    totalLoss: YNDK | None = None


class Provider(FormModel):
    vehicle: Vehicle | None = None
    providerName: Annotated[str, text(1, 100)]
    referenceNumber: ReferenceNumber
    providerAddress: Annotated[str, text(1, 500)] | None = None
    startDate: FormDate
    endDate: AnyText


class AlternativeVehicleProvision(FormModel):
    provider: Provider | None = None
    claimantEntitled: YNFlag
    avRequiredByCL: YNFlag | None = None
    avProvided: YNFlag | None = None
    hireNeed: YNFlag | None = None
    avRequiredByCR: YNFlag | None = None
    vehicleType: Annotated[str, text(0, 50)] | None = None
    contactName: Annotated[str, text(0, 50)] | None = None
    telephoneNumber: TelephoneNumber | None = None


class RepairsAndAlternativeVehicleProvision(FormModel):
    repairs: Repairs
    alternativeVehicleProvision: AlternativeVehicleProvision | None = None


# --- AccidentData ---------------------------------------------------------------------------------


class Driver(FormModel):
    name: OptionalName | None = None
    middleName: OptionalName | None = None
    surname: Surname
    address: Address | None = None


class Owner(FormModel):
    name: OptionalName | None = None
    middleName: OptionalName | None = None
    surname: OptionalName | None = None
    address: Address | None = None


class InsuranceCompanyInformatiion(FormModel):
    companyName: Annotated[str, text(0, 100)] | None = None
    policyNumber: Annotated[str, text(0, 16)] | None = None


class WeatherConditions(FormModel):
    sun: YNFlag | None = None
    rain: YNFlag | None = None
    snow: YNFlag | None = None
    ice: YNFlag | None = None
    fog: YNFlag | None = None
    other: YNFlag | None = None
    otherDetails: Annotated[str, text(0, 50)] | None = None


class RoadConditions(FormModel):
    dry: YNFlag | None = None
    wet: YNFlag | None = None
    snow: YNFlag | None = None
    ice: YNFlag | None = None
    mud: YNFlag | None = None
    oil: YNFlag | None = None
    other: YNFlag | None = None
    otherDetails: Annotated[str, text(0, 50)] | None = None


class AccidentCircumstances(FormModel):
    vhclHitSideRoad: YNFlag | None = None
    vhclHitInRear: YNFlag | None = None
    vhclHitWhilstParked: YNFlag | None = None
    accidCarPark: YNFlag | None = None
    accidRoundabout: YNFlag | None = None
    accidChangingLanes: YNFlag | None = None
    concertinaCollision: YNFlag | None = None
    other: YNFlag | None = None


class PoliceDetails(FormModel):
    stationName: Annotated[str, text(0, 100)] | None = None
    stationAddress: Annotated[str, text(0, 100)] | None = None
    reportingOfficerName: Annotated[str, text(0, 50)] | None = None
    referenceNumber: Annotated[str, text(0, 20)] | None = None


class AccidentDetails(FormModel):
    driver: Driver | None = None
    owner: Owner | None = None
    vehicle: Vehicle | None = None
    insuranceCompanyInformatiion: InsuranceCompanyInformatiion | None = None
    weatherConditions: WeatherConditions | None = None
    roadConditions: RoadConditions | None = None
    accidentCircumstances: AccidentCircumstances | None = None
    policeDetails: PoliceDetails | None = None
    claimantType: ClaimantType
    otherType: Annotated[str, text(0, 20)] | None = None
    occupantsNumber: Annotated[int, Field(ge=0)] | None = None
    seatbelt: SeatbeltWearing | None = None
    driverIsDefendant: YNFlag | None = None
    accidentDate: NotFutureDate
    accidentTime: Time
    accidentLocation: Annotated[str, text(1, 100)]
    accidentDescription: Annotated[str, text(1, 500)]
    policeReported: YNNK | None = None

    __rules__ = (rules.SEATBELT, rules.OTHER_CLAIMANT_TYPE)


class BusCoach(FormModel):
    bussOrCoach: YNFlag
    driverName: Annotated[str, text(0, 50)] | None = None
    driverID: Annotated[str, text(0, 20)] | None = None
    driverDescription: Annotated[str, text(0, 500)] | None = None
    vehicleDescription: Annotated[str, text(1, 500)] | None = None
    numberOfPassengers: Annotated[int, Field(ge=0)] | None = None
    evidence: YNFlag | None = None
    comments: Annotated[str, text(0, 500)] | None = None


class AccidentData(FormModel):
    accidentDetails: AccidentDetails
    busCoach: BusCoach | None = None


# --- OtherPartyDetails ----------------------------------------------------------------------------


class OtherPartyPersonalDetails(FormModel):
    titleType: TitleType | None = None
    name: OptionalName | None = None
    middleName: OptionalName | None = None
    surname: Surname
    otherTitle: OtherTitle | None = None
    address: Address | None = None

    __rules__ = (rules.OTHER_TITLE,)


class OtherParty(FormModel):
    personalDetails: OtherPartyPersonalDetails
    vihicleInformation: Vehicle | None = None
    insuranceCompanyInformatiion: InsuranceCompanyInformatiion | None = None
    opType: OtherPartyType
    opOther: Annotated[str, text(0, 20)] | None = None

    __rules__ = (rules.OTHER_PARTY_TYPE,)


class OtherPartyDetails(FormModel):
    otherParty: Annotated[list[OtherParty], Field(min_length=1, max_length=6)]


# --- LiabilityFunding -----------------------------------------------------------------------------


class Liability(FormModel):
    defendantResponsability: Annotated[str, text(1, 500)]
    op1Responsability: YNFlag | None = None
    op2Responsability: YNFlag | None = None
    op3Responsability: YNFlag | None = None
    op4Responsability: YNFlag | None = None
    op5Responsability: YNFlag | None = None
    op6Responsability: YNFlag | None = None


class LiabilityFunding(FormModel):
    liability: Liability
    funding: Funding | None = None


# --- the form -------------------------------------------------------------------------------------


class RtaClaimNotificationForm(FormModel):
    """The RTA CNF (``DocumentInput`` of AddClaim v3.8) plus the signed statement of truth."""

    applicationData: ApplicationData
    claimAndClaimantDetails: ClaimAndClaimantDetails
    medicalDetails: MedicalDetails
    repairsAndAlternativeVehicleProvision: RepairsAndAlternativeVehicleProvision
    accidentData: AccidentData
    otherPartyDetails: OtherPartyDetails | None = None
    liabilityFunding: LiabilityFunding
    statementOfTruth: StrictBool = Field(description="Web section N: the statement of truth is signed")

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
        claimant = self.claimAndClaimantDetails.claimantDetails
        errors = claimant_date_errors(
            self.accidentData.accidentDetails.accidentDate,
            claimant.personalDetails.dateOfBirth,
            claimant.childClaim,
            self.medicalDetails.injury.medicalAttentionFirstDate,
            reference_today(info),
        )
        errors += litigant_in_person_errors(
            self.claimAndClaimantDetails.claimantRepresentative.litigantInPerson,
            self.applicationData.claimDetails.signatory,
        )
        raise_field_errors(type(self).__name__, errors)
        return self
