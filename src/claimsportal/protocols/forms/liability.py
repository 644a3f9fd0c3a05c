"""The compensator's response to the CNF: the liability decision (WORKFLOW.md §6.4).

``sendLiabilityDecision(insurerResponseXml)``: RTA schema v3.0 (:class:`RtaInsurerResponse`) and the
EL/PL v1.0 variant (:class:`ElplInsurerResponse`), which is the RTA form minus ``NoAuthority``, the
alternative-vehicle and repairs answers, ``DefendantDetails`` and ``Capacity``, and which spells
"Rehabilitation" correctly where RTA has "Reabilitation". Names follow the package convention
(camelCase of the schema's names, misspellings kept: ``altVchlProvided``/``altVhclDetails``,
``defendantsDOB``).

Validate with ``RtaInsurerResponse.model_validate(data, context={"today": today})``; the cross-field
rules report the path of the offending field, e.g. ``liabilityCausation.unadmittedLiabilityReasons``.

The operation's payload (``payloads.RtaLiabilityDecisionPayload`` / ``ElplLiabilityDecisionPayload``,
``{"insurerResponse": {...}}``) reads the workflow's three facts from the form: ``liabilityDecision``,
``reasonsForDenial`` (``liabilityCausation.unadmittedLiabilityReasons``) and the compensator's
reference ``insurerClaimReferenceNumber`` (``providedServices.defendantsInsurer.referenceNumber``).

Rules beyond the XSD (§6.4's meanings, §14 rule 7 and T10 [I]):

* ``N`` (not admitted) needs ``unadmittedLiabilityReasons``; ``A`` (admitted) may not carry them.
  ``AN`` may carry them (optional): §6.4 does not require reasons for a negligence allegation.
* ``A`` admits the three ``defendantAdmits`` points, so any of them given must be ``1`` (Yes).
* RTA: ``otherCapacity`` is required when ``capacity`` is ``4`` (Other).
* RTA: the defendant's date of birth (``defendantsDOB``) is on or after 1900-01-01 and before today.
* Required contact names and the telephone number may not be empty (the XSD allows 0 characters),
  and the telephone number and e-mail address get common.py's light syntactic checks.

§6.4 has no contributory-negligence percentage: ``AN`` takes the claim out of the process, and a
seatbelt-only allegation is answered ``A`` with ``PercContribNegDeductions`` later (Stage 2 packs).
Stating fraud is a separate operation (``stateFraud``, §9.4), not a decision value.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import model_validator

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import (
    Capacity,
    Details,
    EmailAddress,
    Forename,
    FormModel,
    LiabilityDecision,
    Loc,
    OptionalName,
    PastDate,
    ReferenceNumber,
    Surname,
    TelephoneNumber,
    YNFlag,
    raise_field_errors,
)

# --- LiabilityCausation ---------------------------------------------------------------------------


class DefendantAdmits(FormModel):
    """The three points of an admission (§6.4 meaning of ``A``)."""

    accidentOccurred: YNFlag | None = None
    causedByDefendant: YNFlag | None = None
    causedSomeLossToTheClaimant: YNFlag | None = None


class ElplLiabilityCausation(FormModel):
    defendantAdmits: DefendantAdmits | None = None
    unadmittedLiabilityReasons: Details | None = None
    liabilityDecision: LiabilityDecision

    __rules__ = (rules.REASONS_FOR_DENIAL, rules.NO_REASONS_ON_ADMISSION)
    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ADMITTED_POINT.at(
            "defendantAdmits.accidentOccurred",
            "defendantAdmits.causedByDefendant",
            "defendantAdmits.causedSomeLossToTheClaimant",
        ),
    )

    @model_validator(mode="after")
    def _decision_rules(self) -> Self:
        errors: list[tuple[Loc, str, Any]] = []
        if self.liabilityDecision == "A" and self.defendantAdmits is not None:
            for name in ("accidentOccurred", "causedByDefendant", "causedSomeLossToTheClaimant"):
                flag = getattr(self.defendantAdmits, name)
                if flag == "0":
                    errors.append(
                        (
                            ("defendantAdmits", name),
                            rules.ADMITTED_POINT.say(),
                            flag,
                        )
                    )
        raise_field_errors(type(self).__name__, errors)
        return self


class RtaLiabilityCausation(ElplLiabilityCausation):
    noAuthority: YNFlag | None = None


# --- ProvidedServices -----------------------------------------------------------------------------


class DefendantsInsurer(FormModel):
    contactName: Forename
    contactMiddleName: OptionalName | None = None
    contactSurname: Surname
    telephoneNumber: TelephoneNumber
    emailAddress: EmailAddress
    referenceNumber: ReferenceNumber | None = None


class ElplProvidedServices(FormModel):
    defendantsInsurer: DefendantsInsurer
    preparedToProvideRehabilitation: YNFlag
    rehabilitationProvided: YNFlag
    rehabilitationDetails: Details | None = None


class RtaProvidedServices(FormModel):
    defendantsInsurer: DefendantsInsurer
    preparedToProvideReabilitation: YNFlag
    reabilitationProvided: YNFlag
    reabilitationDetails: Details | None = None
    altVchlProvided: YNFlag
    altVhclDetails: Details | None = None
    repairsProvided: YNFlag
    repairsDetails: Details | None = None


# --- DefendantDetails (RTA) -----------------------------------------------------------------------


class ResponseDefendantPersonalDetails(FormModel):
    defendantsDOB: PastDate | None = None


class ResponseDefendantDetails(FormModel):
    personalDetails: ResponseDefendantPersonalDetails | None = None


# --- the forms ------------------------------------------------------------------------------------


class ElplInsurerResponse(FormModel):
    """The EL/ELD/PL insurer response (v1.0)."""

    liabilityCausation: ElplLiabilityCausation
    providedServices: ElplProvidedServices


class RtaInsurerResponse(FormModel):
    """The RTA insurer response (schema v3.0)."""

    liabilityCausation: RtaLiabilityCausation
    providedServices: RtaProvidedServices
    defendantDetails: ResponseDefendantDetails | None = None
    capacity: Capacity
    otherCapacity: Details | None = None

    __rules__ = (rules.OTHER_CAPACITY,)
