"""Blocks and cross-field rules that the RTA and EL/PL Claim Notification Forms share verbatim.

Only what is identical on both forms (fields, types, validators and messages) lives here; blocks
that differ in any field, flag or spelling stay in :mod:`~claimsportal.protocols.forms.cnf_rta` and
:mod:`~claimsportal.protocols.forms.cnf_elpl`. Each form module re-exports the blocks under their
usual names.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Self

from pydantic import model_validator

from claimsportal.protocols.forms.common import (
    Address,
    EmailAddress,
    FormModel,
    HospitalType,
    Loc,
    OptionalName,
    ReferenceNumber,
    RehabilitationRecommended,
    TelephoneNumber,
    YNFlag,
    raise_field_errors,
    text,
)
from claimsportal.protocols.state import ADULT_AGE, age_on

# --- cross-field rules ----------------------------------------------------------------------------


def other_title_errors(title_type: str | None, other_title: str | None) -> list[tuple[Loc, str, Any]]:
    """``otherTitle`` is required when ``titleType`` is ``5`` (Other)."""
    if title_type == "5" and not other_title:
        return [(("otherTitle",), "is required when titleType is 5 (Other)", other_title)]
    return []


def defendant_status_errors(
    status: str, personal_details: object | None, company_details: object | None
) -> list[tuple[Loc, str, Any]]:
    """The personal or company details that match the defendant's status (``P``/``B``)."""
    errors: list[tuple[Loc, str, Any]] = []
    if status == "P" and personal_details is None:
        errors.append((("personalDetails",), "is required when defendantStatus is P (Personal)", None))
    if status == "B" and company_details is None:
        errors.append((("companyDetails",), "is required when defendantStatus is B (Business)", None))
    return errors


def nin_comment_errors(
    national_insurance_number: str | None, nin_comment: str | None
) -> list[tuple[Loc, str, Any]]:
    """An ``ninComment`` is required when no NI number is given."""
    if national_insurance_number is None and not nin_comment:
        return [(("ninComment",), "is required to explain why no nationalInsuranceNumber is given", None)]
    return []


def governed_injury_errors(
    time_off_required: str,
    time_off_period: int | None,
    overnight_detention: str | None,
    days_number: str | None,
) -> list[tuple[Loc, str, Any]]:
    """A time-off period only with time off required, a number of days only with an overnight stay."""
    errors: list[tuple[Loc, str, Any]] = []
    if time_off_period is not None and time_off_required != "1":
        errors.append(
            (("timeOffPeriod",), "is only allowed when timeOffRequired is 1 (Yes)", time_off_period)
        )
    if days_number and overnight_detention != "1":
        errors.append((("daysNumber",), "is only allowed when overnightDetention is 1 (Yes)", days_number))
    return errors


class GovernedInjuryRules(FormModel):
    """The rules of the RTA and EL/PL injury blocks on their governed fields (declared by each form,
    with its own injury flags first, in the schema's order)."""

    if TYPE_CHECKING:
        timeOffRequired: str
        timeOffPeriod: int | None
        overnightDetention: str | None
        daysNumber: str | None

    @model_validator(mode="after")
    def _governed_fields(self) -> Self:
        errors = governed_injury_errors(
            self.timeOffRequired, self.timeOffPeriod, self.overnightDetention, self.daysNumber
        )
        raise_field_errors(type(self).__name__, errors)
        return self


def claimant_date_errors(
    accident_date: date | None,
    born: date,
    child_claim: str,
    first_attention: date | None,
    today: date,
) -> list[tuple[Loc, str, Any]]:
    """Birth, age and medical attention against the accident date (if any) and today (the send date).

    Paths are relative to the form: the claimant under ``claimAndClaimantDetails.claimantDetails``,
    the first medical attention under ``medicalDetails.injury``."""
    claimant_loc: Loc = ("claimAndClaimantDetails", "claimantDetails")
    errors: list[tuple[Loc, str, Any]] = []
    if accident_date is not None and born >= accident_date:
        errors.append(
            ((*claimant_loc, "personalDetails", "dateOfBirth"), "must be before the accident date", born)
        )
    is_child = age_on(born, today) < ADULT_AGE
    if is_child and child_claim != "1":
        errors.append(
            ((*claimant_loc, "childClaim"), "must be 1 (Yes): the claimant is under 18", child_claim)
        )
    if not is_child and child_claim != "0":
        errors.append(
            ((*claimant_loc, "childClaim"), "must be 0 (No): the claimant is 18 or over", child_claim)
        )
    if accident_date is not None and first_attention is not None and first_attention < accident_date:
        errors.append(
            (
                ("medicalDetails", "injury", "medicalAttentionFirstDate"),
                "must be on or after the accident date",
                first_attention,
            )
        )
    return errors


def litigant_in_person_errors(litigant_in_person: str | None, signatory: str) -> list[tuple[Loc, str, Any]]:
    """The "not legally represented" tick (an unrepresented claimant, WORKFLOW.md §1.1 and §8.2): the
    statement of truth is then signed by the claimant in person (``signatory`` ``C``)."""
    if litigant_in_person == "1" and signatory != "C":
        return [
            (
                ("applicationData", "claimDetails", "signatory"),
                "must be C (the claimant in person) when the claimant is not legally represented",
                signatory,
            )
        ]
    return []


def require_signed_statement(value: bool) -> bool:
    """The statement of truth must be signed (a web step, not an XSD attribute)."""
    if not value:
        raise ValueError("the statement of truth must be signed")
    return value


# --- blocks ---------------------------------------------------------------------------------------


class DefendantCompanyDetails(FormModel):
    companyName: Annotated[str, text(1, 100)]
    emailAddress: EmailAddress | None = None
    contactName: OptionalName | None = None
    contactMiddleName: OptionalName | None = None
    contactSurname: OptionalName | None = None
    telephoneNumber: TelephoneNumber | None = None
    referenceNumber: ReferenceNumber | None = None
    policyNumber: Annotated[str, text(0, 16)] | None = None
    providerAddress: Annotated[str, text(0, 100)] | None = None
    address: Address | None = None


class HospitalAddress(FormModel):
    addressLine1: Annotated[str, text(0, 100)] | None = None
    addressLine2: Annotated[str, text(0, 100)] | None = None
    addressLine3: Annotated[str, text(0, 100)] | None = None
    addressLine4: Annotated[str, text(0, 100)] | None = None


class Hospital(FormModel):
    hospitalAddress: HospitalAddress | None = None
    hospitalType: HospitalType  # EL/PL's C07_HospitalType_R3 has the same 0/1 values
    hospitalName: Annotated[str, text(0, 100)] | None = None
    postCode: Annotated[str, text(0, 8)] | None = None


class Rehabilitation(FormModel):
    rehabilitationUndertaken: RehabilitationRecommended
    rehabilitationTreatment: Annotated[str, text(0, 500)] | None = None
    rehabilitationNeeds: YNFlag | None = None
    rehabilitationDetails: Annotated[str, text(0, 500)] | None = None


class Funding(FormModel):
    comments: Annotated[str, text(0, 1000)]
