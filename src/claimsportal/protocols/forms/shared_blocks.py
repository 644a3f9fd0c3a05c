"""Blocks and cross-field rules that the RTA and EL/PL Claim Notification Forms share verbatim.

Only what is identical on both forms (fields, types, validators and messages) lives here; blocks
that differ in any field, flag or spelling stay in :mod:`~claimsportal.protocols.forms.cnf_rta` and
:mod:`~claimsportal.protocols.forms.cnf_elpl`. Each form module re-exports the blocks under their
usual names.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from claimsportal.protocols.forms import rules
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
    text,
)
from claimsportal.protocols.state import ADULT_AGE, age_on

# --- cross-field rules ----------------------------------------------------------------------------


class GovernedInjuryRules(FormModel):
    """The rules of the RTA and EL/PL injury blocks on their governed fields (declared by each form,
    with its own injury flags first, in the schema's order): a time-off period only with time off
    required, a number of days only with an overnight stay."""

    __rules__ = (rules.TIME_OFF_PERIOD, rules.DAYS_NUMBER)


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
            ((*claimant_loc, "personalDetails", "dateOfBirth"), rules.BORN_BEFORE_ACCIDENT.say(), born)
        )
    is_child = age_on(born, today) < ADULT_AGE
    if is_child and child_claim != "1":
        errors.append(((*claimant_loc, "childClaim"), rules.CHILD_CLAIM_UNDER_18.say(), child_claim))
    if not is_child and child_claim != "0":
        errors.append(((*claimant_loc, "childClaim"), rules.NO_CHILD_CLAIM_AT_18.say(), child_claim))
    if accident_date is not None and first_attention is not None and first_attention < accident_date:
        errors.append(
            (
                ("medicalDetails", "injury", "medicalAttentionFirstDate"),
                rules.ATTENTION_AFTER_ACCIDENT.say(),
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
                rules.LITIGANT_IN_PERSON_SIGNS.say(),
                signatory,
            )
        ]
    return []


def require_signed_statement(value: bool) -> bool:
    """The statement of truth must be signed (a web step, not an XSD attribute)."""
    if not value:
        raise ValueError(rules.STATEMENT_SIGNED.say())
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
