"""Operation payloads (Pydantic). Field names are the camelCase names of WORKFLOW.md §7.3 / §6.

The decision fields that drive the transition table are typed strictly here. The forms are the full
schemas of ``protocols.forms``: the CNF of §6.2/§6.3, the insurer response of §6.4 and the Stage 2
packs of §6.5-§6.11, each under the camelCase name of its WSDL argument (``insurerResponseXml`` ->
``insurerResponse``, ``ISPFRequestXML`` -> ``ispfRequest``, ``S2SPFResponseXML`` -> ``s2spfResponse``,
``CPPFRequestXML`` -> ``cppfRequest`` …), with an RTA and an EL/PL variant where the forms differ.
The workflow's facts are properties of the payloads, read from the forms (``liabilityDecision``,
``amountRequested``, ``settlementPackDecision`` …), so there is one copy of each. Payloads are
validated with ``model_validate(data, context={"today": today})``: dates are checked against the
portal's today.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from claimsportal.protocols.forms.additional_damages import (
    AdditionalDamagesRequest,
    AdditionalDamagesResponse,
)
from claimsportal.protocols.forms.cnf_elpl import ElplClaimNotificationForm
from claimsportal.protocols.forms.cnf_rta import RtaClaimNotificationForm
from claimsportal.protocols.forms.common import ReferenceNumber, raise_field_errors, reference_today
from claimsportal.protocols.forms.counter_offers import (
    ElplCounterOfferByCM,
    ElplCounterOfferByCR,
    RtaCounterOfferByCM,
    RtaCounterOfferByCR,
)
from claimsportal.protocols.forms.court_pack import (
    ElplCourtPackRequest,
    ElplCourtPackResponse,
    RtaCourtPackRequest,
    RtaCourtPackResponse,
)
from claimsportal.protocols.forms.interim import (
    ElplInterimRequest,
    ElplInterimResponse,
    RtaInterimRequest,
    RtaInterimResponse,
)
from claimsportal.protocols.forms.liability import ElplInsurerResponse, RtaInsurerResponse
from claimsportal.protocols.forms.losses import Answer, HeadFigures, Heads
from claimsportal.protocols.forms.stage2 import (
    ElplStage2Request,
    ElplStage2Response,
    RtaStage2Request,
    RtaStage2Response,
)

Comment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmptyPayload(Strict):
    """Operations that take nothing but the claim identity."""


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
    isArticle75: StrictBool


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
    isStage1Paid: StrictBool


class InterimNeededPayload(Strict):
    isInterimPaymentNeeded: StrictBool


# --- Stage 2 packs (§6.5-§6.11) ---------------------------------------------------------------------
#
# Each pack payload offers the workflow what its guards and effects read: the claimant's figures per
# head (``claimedHeads``), the compensator's replies (``answers``, at ``answersPath``) and the decision.


class InterimRequestPayload(Strict):
    """``addInterimSPFRequest(ispfRequest)``: the §6.5 form; ``amountRequested`` is computed from it."""

    ispfRequest: RtaInterimRequest | ElplInterimRequest
    headsPath: ClassVar[str] = "ispfRequest.claimantLosses.claimantLossesToDate"

    @property
    def amountRequested(self) -> Decimal:
        return self.ispfRequest.amountRequested

    @property
    def claimedHeads(self) -> Heads:
        """The heads pursued (what the response answers)."""
        return self.ispfRequest.pursuedHeads


class RtaInterimRequestPayload(InterimRequestPayload):
    ispfRequest: RtaInterimRequest


class ElplInterimRequestPayload(InterimRequestPayload):
    ispfRequest: ElplInterimRequest


class InterimResponsePayload(Strict):
    """``addInterimSPFResponse(ispfResponse)``: the §6.6 form; ``amountOffered`` is computed from it."""

    ispfResponse: RtaInterimResponse | ElplInterimResponse
    answersPath: ClassVar[str] = "ispfResponse.defendantReplies.defendantResponse"

    @property
    def amountOffered(self) -> Decimal:
        return self.ispfResponse.amountOffered

    @property
    def answers(self) -> list[Answer]:
        return self.ispfResponse.answers


class RtaInterimResponsePayload(InterimResponsePayload):
    ispfResponse: RtaInterimResponse


class ElplInterimResponsePayload(InterimResponsePayload):
    ispfResponse: ElplInterimResponse


class RejectInterimPayload(Strict):
    rejectionComment: Comment


class PartialAcceptancePayload(Strict):
    isPartialInterimPaymentAccepted: StrictBool


class Stage21PaymentPayload(Strict):
    isStage21Paid: StrictBool


class Stage2RequestPayload(Strict):
    """``addStage2SPFRequest(s2spfRequest)``: the §6.7 form."""

    s2spfRequest: RtaStage2Request | ElplStage2Request

    @property
    def claimedHeads(self) -> Heads:
        return self.s2spfRequest.claimedHeads


class RtaStage2RequestPayload(Stage2RequestPayload):
    s2spfRequest: RtaStage2Request


class ElplStage2RequestPayload(Stage2RequestPayload):
    s2spfRequest: ElplStage2Request


class Stage2ResponsePayload(Strict):
    """``addStage2SPFResponse(s2spfResponse)``: the §6.8 form with its ``settlementPackDecision``."""

    s2spfResponse: RtaStage2Response | ElplStage2Response
    answersPath: ClassVar[str] = "s2spfResponse.defendantReplies.currentDefendantResponse"

    @property
    def settlementPackDecision(self) -> str:
        return self.s2spfResponse.settlementPackDecision

    @property
    def answers(self) -> list[Answer]:
        return self.s2spfResponse.answers


class RtaStage2ResponsePayload(Stage2ResponsePayload):
    s2spfResponse: RtaStage2Response


class ElplStage2ResponsePayload(Stage2ResponsePayload):
    s2spfResponse: ElplStage2Response


class ExtensionPayload(Strict):
    newTimeOut: date
    reasonForExtension: Literal["1", "2"]


class AdditionalDamagesExtensionPayload(Strict):
    newTimeOutDate: date
    reasonForExtension: Literal["1", "2"]


class CounterOfferNeededPayload(Strict):
    isStage2SPFCounterOfferNeeded: StrictBool


class CounterOfferByCRPayload(Strict):
    """``addStage2SPFCounterOfferByCR(s2spfCounterOfferByCR)``: the claimant's §6.9 counter offer."""

    s2spfCounterOfferByCR: RtaCounterOfferByCR | ElplCounterOfferByCR
    headsPath: ClassVar[str] = "s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer"

    @property
    def claimedHeads(self) -> Heads:
        return self.s2spfCounterOfferByCR.claimedHeads

    @property
    def counterHeads(self) -> dict[int, tuple[str, HeadFigures]]:
        """Head index -> (loss type, figures), for the comparison with the heads claimed before."""
        return {i: (h.lossType, h.figures) for i, h in enumerate(self.s2spfCounterOfferByCR.heads)}


class RtaCounterOfferByCRPayload(CounterOfferByCRPayload):
    s2spfCounterOfferByCR: RtaCounterOfferByCR


class ElplCounterOfferByCRPayload(CounterOfferByCRPayload):
    s2spfCounterOfferByCR: ElplCounterOfferByCR


class CounterOfferByCMPayload(Strict):
    """``addStage2SPFCounterOfferByCM(s2spfCounterOfferByCM)``: the compensator's §6.9 counter offer
    with its ``settlementPackCounterOfferDecision``."""

    s2spfCounterOfferByCM: RtaCounterOfferByCM | ElplCounterOfferByCM
    answersPath: ClassVar[str] = "s2spfCounterOfferByCM.defendantReplies.currentDefendantResponse"

    @property
    def settlementPackCounterOfferDecision(self) -> str:
        return self.s2spfCounterOfferByCM.settlementPackCounterOfferDecision

    @property
    def answers(self) -> list[Answer]:
        return self.s2spfCounterOfferByCM.answers


class RtaCounterOfferByCMPayload(CounterOfferByCMPayload):
    s2spfCounterOfferByCM: RtaCounterOfferByCM


class ElplCounterOfferByCMPayload(CounterOfferByCMPayload):
    s2spfCounterOfferByCM: ElplCounterOfferByCM


class AgreementPayload(Strict):
    isAgreed: StrictBool


class AdditionalDamagesExistencePayload(Strict):
    additionalDamagesExist: StrictBool


class AdditionalDamagesRequestPayload(Strict):
    """``addS2SPFAdditionalDamagesRequest(additionalDamagesRequest)``: the RTA §6.10 request."""

    additionalDamagesRequest: AdditionalDamagesRequest
    headsPath: ClassVar[str] = "additionalDamagesRequest.claimantLosses.currentClaimantOffer"

    @property
    def claimedHeads(self) -> Heads:
        return self.additionalDamagesRequest.claimedHeads


class AdditionalDamagesResponsePayload(Strict):
    """``addS2SPFAdditionalDamagesResponse(additionalDamagesResponse)``: the RTA §6.10 response with
    its ``additionalDamagesDecision``."""

    additionalDamagesResponse: AdditionalDamagesResponse
    answersPath: ClassVar[str] = "additionalDamagesResponse.defendantReplies.currentDefendantResponse"

    @property
    def additionalDamagesDecision(self) -> str:
        return self.additionalDamagesResponse.additionalDamagesDecision

    @property
    def answers(self) -> list[Answer]:
        return self.additionalDamagesResponse.answers


class CourtPackRequestPayload(Strict):
    """``addCPPFRequest(cppfRequest)``: the §6.11 Court Proceedings Pack, Parts A and B."""

    cppfRequest: RtaCourtPackRequest | ElplCourtPackRequest

    @property
    def claimedHeads(self) -> Heads:
        return self.cppfRequest.claimedHeads

    @property
    def disputedDisbursementIds(self) -> list[int]:
        """The disbursements disputed in Part A (what the response may reply to)."""
        return self.cppfRequest.disputedDisbursementIds


class RtaCourtPackRequestPayload(CourtPackRequestPayload):
    cppfRequest: RtaCourtPackRequest


class ElplCourtPackRequestPayload(CourtPackRequestPayload):
    cppfRequest: ElplCourtPackRequest


class CourtPackResponsePayload(Strict):
    """``addCPPFResponse(cppfResponse)``: the compensator's §6.11 response."""

    cppfResponse: RtaCourtPackResponse | ElplCourtPackResponse
    answersPath: ClassVar[str] = "cppfResponse.defendantReplies.lastDefendantResponse"
    disbursementsPath: ClassVar[str] = "cppfResponse.disbursmentDisputed.disbursementDisputedRequestResponse"

    @property
    def answers(self) -> list[Answer]:
        return self.cppfResponse.answers

    @property
    def answeredDisbursementIds(self) -> list[int]:
        """The disbursements the compensator replies to (at ``disbursementsPath``)."""
        return self.cppfResponse.answeredDisbursementIds


class RtaCourtPackResponsePayload(CourtPackResponsePayload):
    cppfResponse: RtaCourtPackResponse


class ElplCourtPackResponsePayload(CourtPackResponsePayload):
    cppfResponse: ElplCourtPackResponse


class ExitPayload(Strict):
    exitReasonCode: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}$")]
    exitComment: Comment


class AllocateUserPayload(Strict):
    targetUserID: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class AllocateBranchPayload(Strict):
    branchId: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
