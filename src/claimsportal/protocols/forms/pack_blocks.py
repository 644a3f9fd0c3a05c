"""Blocks the Stage 2 packs share (WORKFLOW.md §6.5-§6.11): contacts, MedCo, CRU, statement of truth,
agreement details and totals.

Rules beyond the XSD, all [I] unless marked:

* Required contact names may not be empty (the XSD allows ``ReferenceNumber`` to be empty on some
  forms; the party's reference is always required and non-empty here, as on the CNF), and telephone
  numbers and e-mail addresses get common.py's light syntactic checks.
* RTA ``MedCoCase``: a soft-tissue claim (``SoftTissue`` = 1) needs its ``MedCoCaseID`` **[S]**.
* ``CRUReference``: the compensator gives its CRU reference, or a comment explaining why it is not
  known **[S]** (§6.1 ``ST_CRUReferenceNumber``).
* ``StatementOfTruth``: a pack is only sent with the signed statement retained
  (``RetainedSignedCopy`` = 1), as the CNF is only sent signed.
* ``CRUDeductions`` are deducted from the compensation, so they cannot exceed the losses offered
  after the contributory negligence deduction (checked by each reply form against its own heads).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Self

from pydantic import model_validator

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import (
    AdditionalDamagesDecision,
    CruReferenceNumber,
    EmailAddress,
    Forename,
    Loc,
    MedCoCaseId,
    OptionalName,
    ReferenceNumber,
    SettlementPackCounterOfferDecision,
    SettlementPackDecision,
    SignatoryType,
    Surname,
    TelephoneNumber,
    YNFlag,
    raise_field_errors,
)
from claimsportal.protocols.forms.losses import Comments, PackModel
from claimsportal.protocols.forms.money import Money


class PackContact(PackModel):
    """A party's contact on a pack (``CompanyDetails``, ``ClaimantRepresentative``, ``DefendantsInsurer``)."""

    contactName: Forename
    contactMiddleName: OptionalName | None = None
    contactSurname: Surname
    emailAddress: EmailAddress | None = None
    referenceNumber: ReferenceNumber
    telephoneNumber: TelephoneNumber | None = None


class MedCoCase(PackModel):
    """RTA: whether the claim is a soft-tissue claim, and its MedCo case."""

    softTissue: YNFlag
    medCoCaseID: MedCoCaseId | None = None

    __rules__ = (rules.MEDCO_CASE_ID,)


class CruReference(PackModel):
    """The compensator's CRU reference, or why it is not known."""

    cruReferenceNumber: CruReferenceNumber | None = None
    cruComment: Comments | None = None

    __rules__ = (rules.CRU_COMMENT,)


class DefendantRepresentative(PackModel):
    """The compensator's contact and CRU reference on the interim and Stage 2 responses."""

    defendantsInsurer: PackContact
    cruReference: CruReference


class StatementOfTruth(PackModel):
    retainedSignedCopy: YNFlag
    signatoryType: SignatoryType

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.SIGNED_COPY_KEPT.at("retainedSignedCopy"),
    )

    @model_validator(mode="after")
    def _signed(self) -> Self:
        if self.retainedSignedCopy != "1":
            raise_field_errors(
                type(self).__name__,
                [
                    (
                        ("retainedSignedCopy",),
                        rules.SIGNED_COPY_KEPT.say(),
                        self.retainedSignedCopy,
                    )
                ],
            )
        return self


class AgreementDetails(PackModel):
    """A party's global offer (``GrossAmount``, which may differ from the sum of the heads, §6.8) and the
    interim payments already made (pre-filled from the portal, overridable)."""

    grossAmount: Money
    interimPaymentAmount: Money
    comments: Comments | None = None


class OfferFinalAgreementDetails(PackModel):
    agreementDetails: AgreementDetails


class OfferAgreementData(PackModel):
    """``AgreementData`` of a claimant's counter offer or additional damages request (§6.9, §6.10)."""

    finalAgreementDetails: OfferFinalAgreementDetails


class SettlementPackFinalAgreementDetails(PackModel):
    agreementDetails: AgreementDetails
    settlementPackDecision: SettlementPackDecision


class SettlementPackAgreementData(PackModel):
    """``AgreementData`` of the first response (§6.8), with ``SettlementPackDecision``."""

    finalAgreementDetails: SettlementPackFinalAgreementDetails


class CounterOfferFinalAgreementDetails(PackModel):
    agreementDetails: AgreementDetails
    settlementPackCounterOfferDecision: SettlementPackCounterOfferDecision


class CounterOfferAgreementData(PackModel):
    """``AgreementData`` of the compensator's counter offer (§6.9), with its decision."""

    finalAgreementDetails: CounterOfferFinalAgreementDetails


class AdditionalDamagesFinalAgreementDetails(PackModel):
    agreementDetails: AgreementDetails
    additionalDamagesDecision: AdditionalDamagesDecision


class AdditionalDamagesAgreementData(PackModel):
    """``AgreementData`` of the additional damages response (§6.10), with its decision."""

    finalAgreementDetails: AdditionalDamagesFinalAgreementDetails


class CurrentTotal(PackModel):
    cruDeductions: Money


class Total(PackModel):
    """``Total/CurrentTotal``: the CRU deductions (every other total is computed from the heads)."""

    currentTotal: CurrentTotal


def cru_deduction_errors(cru: Decimal, losses_after_contrib: Decimal, loc: Loc) -> list[tuple[Loc, str, Any]]:
    """CRU deductions cannot exceed the losses offered after the contributory negligence deduction."""
    if cru > losses_after_contrib:
        return [
            (
                loc,
                rules.CRU_WITHIN_OFFER.say(offered=losses_after_contrib),
                cru,
            )
        ]
    return []
