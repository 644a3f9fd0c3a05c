"""The Interim Settlement Pack: the claimant's request (§6.5, RTA v3.4) and the compensator's response
(§6.6, RTA v3.3), with the EL/PL v1.0 variants (no ``MedCoCase``, no ``PercContribNegDeductions``,
loss types ``4``-``11``/``13``-``15``) **[D]**.

``addInterimSPFRequest({"ispfRequest": ...})`` and ``addInterimSPFResponse({"ispfResponse": ...})``;
the payloads (``payloads.RtaInterimRequestPayload`` …) give the workflow ``amountRequested`` and
``amountOffered``, which are computed here and never read from the client.

Decisions ([I] unless marked):

* **Amount requested** = the sum, over the heads pursued, of the gross value claimed less the
  contributory negligence deduction (RTA; EL/PL has no deduction on this form). A head whose
  ``ItemBeingPursued`` is 0 is listed but not part of this request (it is neither counted nor
  answered). At least one head is listed; the rule that the losses total **at least £1,000** **[S]**
  is a business rule of the operation (``BUSINESS_RULE``, checked on the computed amount).
* **Amount offered** = the sum of the gross values offered less the compensator's deductions. It is
  compared with the amount requested: equal is the full amount (the claim waits for the payment),
  less is a partial offer **[S]**. ``CRUDeductions`` are reported separately (they reduce the payment,
  not the offer, so they do not make an offer partial) and cannot exceed the amount offered.
* The compensator answers every head pursued and no other, and each head's offer is at most the
  amount claimed for it (see :mod:`~claimsportal.protocols.forms.losses`); these rules need the
  request and are the operation's guards.
* ``ReasonsForInterimPaymentRequest`` and ``AdditionalComments`` stay optional, as in the XSD.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

from pydantic import Field, model_validator

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import (
    LossTypeELPL,
    LossTypeRTA,
    MedicalReportCount,
    YNFlag,
    raise_field_errors,
)
from claimsportal.protocols.forms.losses import (
    MAX_HEADS,
    Answer,
    Comments,
    HeadFigures,
    Heads,
    PackModel,
    RepliesForm,
    duplicate_loss_type_errors,
    total_net,
)
from claimsportal.protocols.forms.money import ZERO, Money, Percentage, after_contribution, total
from claimsportal.protocols.forms.pack_blocks import (
    DefendantRepresentative,
    MedCoCase,
    PackContact,
    StatementOfTruth,
    cru_deduction_errors,
)

# --- the request (§6.5) -----------------------------------------------------------------------------


class ElplInterimClaimantRepresentative(PackModel):
    companyDetails: PackContact


class RtaInterimClaimantRepresentative(ElplInterimClaimantRepresentative):
    medCoCase: MedCoCase


class InterimMedicalReport(PackModel):
    medicalReportStage2_1: MedicalReportCount


class ClaimantRequestForInterimPayment(PackModel):
    reasonsForInterimPaymentRequest: Comments | None = None


class InterimPaymentRequest(PackModel):
    claimantRequestForInterimPayment: ClaimantRequestForInterimPayment


class InterimLossFields(PackModel):
    lossType: str
    evidenceAttached: YNFlag
    comments: Comments | None = None
    grossValueClaimed: Money
    itemBeingPursued: YNFlag | None = None

    @property
    def pursued(self) -> bool:
        """Part of this request unless ``itemBeingPursued`` is 0."""
        return self.itemBeingPursued != "0"

    @property
    def figures(self) -> HeadFigures:
        return HeadFigures(self.grossValueClaimed, getattr(self, "percContribNegDeductions", ZERO))


class ElplClaimantLossToDate(InterimLossFields):
    lossType: LossTypeELPL


class RtaClaimantLossToDate(InterimLossFields):
    lossType: LossTypeRTA
    percContribNegDeductions: Percentage


class ElplInterimClaimantLosses(PackModel):
    claimantLossesToDate: Annotated[list[ElplClaimantLossToDate], Field(min_length=1, max_length=MAX_HEADS)]


class RtaInterimClaimantLosses(PackModel):
    claimantLossesToDate: Annotated[list[RtaClaimantLossToDate], Field(min_length=1, max_length=MAX_HEADS)]


class _InterimRequest(PackModel):
    if TYPE_CHECKING:  # declared by each variant, in the schema's order
        claimantLosses: ElplInterimClaimantLosses | RtaInterimClaimantLosses

    @property
    def heads(self) -> list[InterimLossFields]:
        return list(self.claimantLosses.claimantLossesToDate)

    @property
    def pursuedHeads(self) -> Heads:
        """Loss type -> figures of the heads this request pursues (what the response answers)."""
        return {head.lossType: head.figures for head in self.heads if head.pursued}

    @property
    def amountRequested(self) -> Decimal:
        """The losses requested: the pursued heads after contributory negligence (computed)."""
        return total_net(self.pursuedHeads.values())

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ONE_HEAD_PER_LOSS_TYPE.at("claimantLosses.claimantLossesToDate.*.lossType"),
    )

    @model_validator(mode="after")
    def _one_head_per_loss_type(self) -> Self:
        errors = duplicate_loss_type_errors(
            [h.lossType for h in self.heads], ("claimantLosses", "claimantLossesToDate")
        )
        raise_field_errors(type(self).__name__, errors)
        return self


class ElplInterimRequest(_InterimRequest):
    """The EL/PL Interim Settlement Pack request (v1.0)."""

    claimantRepresentative: ElplInterimClaimantRepresentative
    medicalReport: InterimMedicalReport
    interimPayment: InterimPaymentRequest | None = None
    claimantLosses: ElplInterimClaimantLosses
    statementOfTruth: StatementOfTruth


class RtaInterimRequest(_InterimRequest):
    """The RTA Interim Settlement Pack request (v3.4)."""

    claimantRepresentative: RtaInterimClaimantRepresentative
    medicalReport: InterimMedicalReport
    interimPayment: InterimPaymentRequest | None = None
    claimantLosses: RtaInterimClaimantLosses
    statementOfTruth: StatementOfTruth


# --- the response (§6.6) ----------------------------------------------------------------------------


class DefendantResponsesToInterimPaymentRequest(PackModel):
    additionalComments: Comments | None = None


class InterimPaymentResponse(PackModel):
    defendantResponsesToInterimPaymentRequest: DefendantResponsesToInterimPaymentRequest


class InterimReplyFields(PackModel):
    lossType: str
    isGrossAmountAgreed: YNFlag
    comments: Comments | None = None
    grossValueOffered: Money

    @property
    def percent(self) -> Decimal:
        return getattr(self, "percContribNegDeductions", ZERO)

    @property
    def valueOfferedAfterContrib(self) -> Decimal:
        return after_contribution(self.grossValueOffered, self.percent)

    def answer(self, index: int) -> Answer:
        return Answer(
            index,
            self.lossType,
            "grossValueOffered",
            self.grossValueOffered,
            self.percent,
            None,
            self.isGrossAmountAgreed == "1",
        )


class ElplInterimReply(InterimReplyFields):
    lossType: LossTypeELPL


class RtaInterimReply(InterimReplyFields):
    lossType: LossTypeRTA
    percContribNegDeductions: Percentage


class ElplInterimDefendantReplies(PackModel):
    defendantResponse: Annotated[list[ElplInterimReply], Field(min_length=1, max_length=MAX_HEADS)]


class RtaInterimDefendantReplies(PackModel):
    defendantResponse: Annotated[list[RtaInterimReply], Field(min_length=1, max_length=MAX_HEADS)]


class LossesTotal(PackModel):
    cruDeductions: Money


class InterimTotal(PackModel):
    """``Total/LossesTotal``: the CRU deductions (the amount offered is computed from the heads)."""

    lossesTotal: LossesTotal


REPLIES_LOC = ("defendantReplies", "defendantResponse")


class _InterimResponse(RepliesForm):
    if TYPE_CHECKING:  # declared by each variant, in the schema's order
        defendantReplies: ElplInterimDefendantReplies | RtaInterimDefendantReplies
        total: InterimTotal

    @property
    def replies(self) -> list[InterimReplyFields]:
        return list(self.defendantReplies.defendantResponse)

    @property
    def amountOffered(self) -> Decimal:
        """The losses offered: each head's offer after the compensator's deduction (computed)."""
        return total(reply.valueOfferedAfterContrib for reply in self.replies)

    @property
    def amountPayable(self) -> Decimal:
        """The amount offered less the CRU deductions."""
        return self.amountOffered - self.total.lossesTotal.cruDeductions

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ONE_HEAD_PER_LOSS_TYPE.at("defendantReplies.defendantResponse.*.lossType"),
        rules.CRU_WITHIN_OFFER.at("total.lossesTotal.cruDeductions"),
    )

    @model_validator(mode="after")
    def _totals(self) -> Self:
        errors: list[tuple[Any, str, Any]] = duplicate_loss_type_errors(
            [r.lossType for r in self.replies], REPLIES_LOC
        )
        errors += cru_deduction_errors(
            self.total.lossesTotal.cruDeductions,
            self.amountOffered,
            ("total", "lossesTotal", "cruDeductions"),
        )
        raise_field_errors(type(self).__name__, errors)
        return self


class ElplInterimResponse(_InterimResponse):
    """The EL/PL Interim Settlement Pack response (v1.0)."""

    defendantRepresentative: DefendantRepresentative
    interimPayment: InterimPaymentResponse | None = None
    defendantReplies: ElplInterimDefendantReplies
    total: InterimTotal


class RtaInterimResponse(_InterimResponse):
    """The RTA Interim Settlement Pack response (v3.3)."""

    defendantRepresentative: DefendantRepresentative
    interimPayment: InterimPaymentResponse | None = None
    defendantReplies: RtaInterimDefendantReplies
    total: InterimTotal
