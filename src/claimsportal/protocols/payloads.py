"""Operation payloads (Pydantic). Field names are the camelCase names of WORKFLOW.md §7.3 / §6.

The decision fields that drive the transition table are typed strictly here. The Stage 1 forms are
the full schemas of ``protocols.forms`` (the CNF of §6.2/§6.3, the insurer response of §6.4); the
Stage 2 packs (§6.5-§6.11) are carried as ``FormPayload`` until their schemas land (they already
accept and keep every field a client sends). Payloads are validated with
``model_validate(data, context={"today": today})``: dates are checked against the portal's today.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from claimsportal.protocols.forms.cnf_elpl import ElplClaimNotificationForm
from claimsportal.protocols.forms.cnf_rta import RtaClaimNotificationForm
from claimsportal.protocols.forms.common import ReferenceNumber, raise_field_errors, reference_today
from claimsportal.protocols.forms.liability import ElplInsurerResponse, RtaInsurerResponse

Money = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2, allow_inf_nan=False)]
PositiveMoney = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2, allow_inf_nan=False)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmptyPayload(Strict):
    """Operations that take nothing but the claim identity."""


class FormPayload(BaseModel):
    """A form whose full schema arrives with its stage; every field sent is kept."""

    model_config = ConfigDict(extra="allow", frozen=True)


CompensatorKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=50)]
"""An organisation path or ID (``/COMP001``, ``COMP001``) or an insurer-index ID (``II0001``, RTA)."""


def _fill_notification_date(data: Any, info: ValidationInfo, claim_type: str | None) -> Any:
    """The EL/PL CNF's ``notificationDate`` is the day it is sent: the portal sets it (a client's
    value is replaced); the claim type is copied from the envelope when the form leaves it out."""
    if not isinstance(data, dict) or not isinstance(data.get("cnf"), dict):
        return data
    cnf = dict(data["cnf"])
    application = cnf.get("applicationData")
    if isinstance(application, dict) and isinstance(application.get("claimDetails"), dict):
        claim_details = dict(application["claimDetails"])
        claim_details["notificationDate"] = reference_today(info).isoformat()
        if claim_type and "claimType" not in claim_details:
            claim_details["claimType"] = claim_type
        cnf["applicationData"] = {**application, "claimDetails": claim_details}
    return {**data, "cnf": cnf}


class RtaAddClaimPayload(Strict):
    """``addClaim`` for RTA: the claim is addressed to ``compensator`` and carries the §6.2 CNF."""

    claimType: Literal["RTA"]
    compensator: CompensatorKey
    cnf: RtaClaimNotificationForm


class ElplAddClaimPayload(Strict):
    """``addClaim`` for EL, ELD and PL: the §6.3 CNF, whose own claim type must match."""

    claimType: Literal["EL", "ELD", "PL"]
    compensator: CompensatorKey
    cnf: ElplClaimNotificationForm

    @model_validator(mode="before")
    @classmethod
    def _portal_fields(cls, data: Any, info: ValidationInfo) -> Any:
        claim_type = data.get("claimType") if isinstance(data, dict) else None
        return _fill_notification_date(data, info, claim_type if isinstance(claim_type, str) else None)

    @model_validator(mode="after")
    def _same_claim_type(self) -> Self:
        form_type = self.cnf.applicationData.claimDetails.claimType
        if form_type != self.claimType:
            raise_field_errors(
                type(self).__name__,
                [
                    (
                        ("cnf", "applicationData", "claimDetails", "claimType"),
                        f"must be the claim's type {self.claimType}, not {form_type}",
                        form_type,
                    )
                ],
            )
        return self


class RtaResendRejectedClaimPayload(Strict):
    """The corrected CNF, optionally to another compensator (default: the same one)."""

    compensator: CompensatorKey | None = None
    cnf: RtaClaimNotificationForm


class ElplResendRejectedClaimPayload(Strict):
    compensator: CompensatorKey | None = None
    cnf: ElplClaimNotificationForm

    @model_validator(mode="before")
    @classmethod
    def _portal_fields(cls, data: Any, info: ValidationInfo) -> Any:
        return _fill_notification_date(data, info, None)


AddClaimPayload = RtaAddClaimPayload | ElplAddClaimPayload
ResendRejectedClaimPayload = RtaResendRejectedClaimPayload | ElplResendRejectedClaimPayload


class AcceptClaimPayload(Strict):
    insurerClaimReferenceNumber: ReferenceNumber | None = None


class RejectClaimPayload(Strict):
    rejectionReasonCode: Annotated[str, StringConstraints(pattern=r"^[0-9]$")]


class ReassignPayload(Strict):
    organisationPath: Annotated[str, StringConstraints(pattern=r"^/[A-Z]+[0-9]+$")]


class Article75Payload(Strict):
    isArticle75: bool


class _LiabilityDecision(Strict):
    """``sendLiabilityDecision(insurerResponse)``: the §6.4 form; the workflow reads its decision."""

    insurerResponse: RtaInsurerResponse | ElplInsurerResponse

    @property
    def liabilityDecision(self) -> str:
        return self.insurerResponse.liabilityCausation.liabilityDecision

    @property
    def reasonsForDenial(self) -> str | None:
        return self.insurerResponse.liabilityCausation.unadmittedLiabilityReasons

    @property
    def insurerClaimReferenceNumber(self) -> str | None:
        return self.insurerResponse.providedServices.defendantsInsurer.referenceNumber


class RtaLiabilityDecisionPayload(_LiabilityDecision):
    insurerResponse: RtaInsurerResponse


class ElplLiabilityDecisionPayload(_LiabilityDecision):
    insurerResponse: ElplInsurerResponse


class FraudPayload(Strict):
    reasonCode: Literal["0"]
    reasonDescription: Comment


class Stage1PaymentPayload(Strict):
    isStage1Paid: bool


class InterimNeededPayload(Strict):
    isInterimPaymentNeeded: bool


class InterimRequestPayload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    amountRequested: PositiveMoney


class InterimResponsePayload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    amountOffered: PositiveMoney


class RejectInterimPayload(Strict):
    rejectionComment: Comment


class PartialAcceptancePayload(Strict):
    isPartialInterimPaymentAccepted: bool


class Stage21PaymentPayload(Strict):
    isStage21Paid: bool


class Stage2ResponsePayload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    settlementPackDecision: Literal["C", "CO", "R"]


class ExtensionPayload(Strict):
    newTimeOut: date
    reasonForExtension: Literal["1", "2"]


class AdditionalDamagesExtensionPayload(Strict):
    newTimeOutDate: date
    reasonForExtension: Literal["1", "2"]


class CounterOfferNeededPayload(Strict):
    isStage2SPFCounterOfferNeeded: bool


class CounterOfferByCMPayload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    settlementPackCounterOfferDecision: Literal["ACO", "NEWCO"]


class AgreementPayload(Strict):
    isAgreed: bool


class AdditionalDamagesExistencePayload(Strict):
    additionalDamagesExist: bool


class AdditionalDamagesResponsePayload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    additionalDamagesDecision: Literal["A", "CO"]


class ExitPayload(Strict):
    exitReasonCode: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}$")]
    exitComment: Comment


class AllocateUserPayload(Strict):
    targetUserID: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class AllocateBranchPayload(Strict):
    branchId: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
