"""Operation payloads (Pydantic). Field names are the camelCase names of WORKFLOW.md §7.3 / §6.

The decision fields that drive the transition table are typed strictly here. The long forms (the
CNF of §6.2/§6.3, the settlement packs of §6.5-§6.11) are carried as ``FormPayload`` until their full
schemas land; they already accept and keep every field a client sends.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Money = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2, allow_inf_nan=False)]
PositiveMoney = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2, allow_inf_nan=False)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmptyPayload(Strict):
    """Operations that take nothing but the claim identity."""


class FormPayload(BaseModel):
    """A form whose full schema arrives with its stage; every field sent is kept."""

    model_config = ConfigDict(extra="allow", frozen=True)


class ClaimantDetails(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    surname: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=35)]
    forename: Annotated[str, StringConstraints(strip_whitespace=True, max_length=35)] = ""
    dateOfBirth: date | None = None


class ClaimNotificationForm(BaseModel):
    """The CNF essentials the workflow needs (the full RTA/EL/ELD/PL forms come with Stage 1)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    claimant: ClaimantDetails
    childClaim: bool = False
    insurerType: Literal["I", "S", "M"] | None = None
    crReference: Reference | None = None
    statementOfTruth: Literal[True] = Field(description="The statement of truth must be signed")


class AddClaimPayload(Strict):
    claimType: Literal["RTA", "EL", "ELD", "PL"]
    compensator: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]
    cnf: ClaimNotificationForm


class ResendRejectedClaimPayload(Strict):
    compensator: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)] | None
    ) = None
    cnf: ClaimNotificationForm


class AcceptClaimPayload(Strict):
    insurerClaimReferenceNumber: Reference | None = None


class RejectClaimPayload(Strict):
    rejectionReasonCode: Annotated[str, StringConstraints(pattern=r"^[0-9]$")]


class ReassignPayload(Strict):
    organisationPath: Annotated[str, StringConstraints(pattern=r"^/[A-Z]+[0-9]+$")]


class Article75Payload(Strict):
    isArticle75: bool


class LiabilityDecisionPayload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    liabilityDecision: Literal["A", "AN", "N"]
    reasonsForDenial: Comment | None = None
    insurerClaimReferenceNumber: Reference | None = None


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
