"""The Stage 2 Settlement Pack: the claimant's request (§6.7, RTA v3.4) and the compensator's first
response (§6.8, RTA v3.3).

``addStage2SPFRequest({"s2spfRequest": ...})`` and ``addStage2SPFResponse({"s2spfResponse": ...})``.
The response's payload gives the workflow ``settlementPackDecision`` (``C`` confirm, ``CO`` counter
offer, ``R`` repudiate), read from ``agreementData.finalAgreementDetails``.

Every head of damage is a ``CurrentClaimantOffer`` of loss type C18 (RTA ``0``-``16``: policy excess,
loss of use, car hire, repair costs, fares, medical expenses, clothing, care, loss of earnings,
other losses, general damages, the R7 tariff heads, labour market disadvantage, loss of congenial
employment, future losses; EL/PL without the vehicle heads ``0``-``3`` and the R7 heads ``12``/``16``),
with its gross value, contributory negligence percentage and interest (and, RTA general damages
only, the R7 tariff and uplift fields); see :mod:`~claimsportal.protocols.forms.losses`.

Decisions ([I] unless marked):

* **EL/PL variant**: §6.7/§6.8 give the RTA schemas only. The EL/PL forms are read as the RTA forms
  without ``MedCoCase`` and without the R7 tariff and uplift fields (as §6.11 says of the EL/PL court
  pack), with the EL/PL loss types.
* **The compensator's figure in the first response** is the reply's ``GrossValueClaimed`` (the
  schema's name is kept; the counter offers call it ``GrossValueOffered``).
* **Totals are computed, never sent**: the forms have no total fields besides ``CRUDeductions``;
  ``totalGrossValue``, ``totalAfterContrib`` (each head less its deduction, to the penny),
  ``totalInterest`` and ``totalValue`` (after deduction plus interest) are properties.
  ``AgreementDetails/GrossAmount`` is the party's global offer and may differ from the sum of the
  heads (R6 labelling, §6.8) **[S]**, so it is not compared with them.
* **C** (Confirm) accepts the claimant's figures: every reply is agreed (``IsGrossAmountAgreed`` = 1)
  and carries the claimant's gross value, deduction and interest; **C** and **CO** reply to every head
  claimed; **R** (Repudiate) may list no replies. Replies never exceed the heads claimed. The form
  checks what it can alone; the comparison with the request is the operation's guard.
* The claimant lists at least one head.
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
    ClaimantOfferFields,
    Comments,
    ElplClaimantOffer,
    Heads,
    PackModel,
    RepliesForm,
    RtaClaimantOffer,
    TariffFields,
    duplicate_loss_type_errors,
    figures_of,
)
from claimsportal.protocols.forms.money import Money, Percentage, after_contribution, total
from claimsportal.protocols.forms.pack_blocks import (
    DefendantRepresentative,
    MedCoCase,
    PackContact,
    SettlementPackAgreementData,
    StatementOfTruth,
    Total,
    cru_deduction_errors,
)

ElplClaimantOffers = Annotated[list[ElplClaimantOffer], Field(min_length=1, max_length=MAX_HEADS)]
RtaClaimantOffers = Annotated[list[RtaClaimantOffer], Field(min_length=1, max_length=MAX_HEADS)]

# --- shared by the claimant's forms (S2SP, counter offer, additional damages) -------------------------


class ElplClaimantLosses(PackModel):
    currentClaimantOffer: ElplClaimantOffers


class RtaClaimantLosses(PackModel):
    currentClaimantOffer: RtaClaimantOffers


CLAIMANT_HEADS_LOC = ("claimantLosses", "currentClaimantOffer")


class ClaimantHeadsForm(PackModel):
    """A form with the claimant's heads under ``claimantLosses.currentClaimantOffer``: one head per
    loss type, and the totals computed from them."""

    if TYPE_CHECKING:  # declared by each form, in the schema's order
        claimantLosses: ElplClaimantLosses | RtaClaimantLosses

    @property
    def heads(self) -> list[ClaimantOfferFields]:
        return list(self.claimantLosses.currentClaimantOffer)

    @property
    def claimedHeads(self) -> Heads:
        """Loss type -> the claimant's figures."""
        return figures_of(self.heads)

    @property
    def totalGrossValue(self) -> Decimal:
        return total(h.grossValueClaimed for h in self.heads)

    @property
    def totalAfterContrib(self) -> Decimal:
        return total(h.valueClaimedAfterContrib for h in self.heads)

    @property
    def totalInterest(self) -> Decimal:
        return total(h.interest for h in self.heads)

    @property
    def totalValue(self) -> Decimal:
        """The heads after contributory negligence, plus interest."""
        return self.totalAfterContrib + self.totalInterest

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ONE_HEAD_PER_LOSS_TYPE.at("claimantLosses.currentClaimantOffer.*.lossType"),
    )

    @model_validator(mode="after")
    def _one_head_per_loss_type(self) -> Self:
        errors = duplicate_loss_type_errors([h.lossType for h in self.heads], CLAIMANT_HEADS_LOC)
        raise_field_errors(type(self).__name__, errors)
        return self


# --- the request (§6.7) ----------------------------------------------------------------------------


class RtaStage2ClaimantRepresentative(PackContact):
    medCoCase: MedCoCase


class Stage2MedicalReport(PackModel):
    medicalReportStage2: MedicalReportCount


class Stage2RequestAgreementData(PackModel):
    comments: Comments | None = None


class ElplStage2Request(ClaimantHeadsForm):
    """The EL/PL Stage 2 Settlement Pack request [I]."""

    claimantRepresentative: PackContact
    medicalReport: Stage2MedicalReport
    claimantLosses: ElplClaimantLosses
    statementOfTruth: StatementOfTruth
    agreementData: Stage2RequestAgreementData | None = None


class RtaStage2Request(ClaimantHeadsForm):
    """The RTA Stage 2 Settlement Pack request (v3.4)."""

    claimantRepresentative: RtaStage2ClaimantRepresentative
    medicalReport: Stage2MedicalReport
    claimantLosses: RtaClaimantLosses
    statementOfTruth: StatementOfTruth
    agreementData: Stage2RequestAgreementData | None = None


# --- shared by the compensator's forms (first response, counter offer, additional damages) ----------

REPLIES_LOC = ("defendantReplies", "currentDefendantResponse")


class ReplyHeadsForm(RepliesForm):
    """A form with the compensator's replies under ``defendantReplies.currentDefendantResponse`` and the
    CRU deductions under ``total.currentTotal``: one reply per loss type, the totals computed from the
    replies, and the CRU deductions at most the losses offered after deduction."""

    if TYPE_CHECKING:  # declared by each form, in the schema's order
        defendantReplies: Any
        total: Total

    @property
    def replies(self) -> list[Any]:
        return list(self.defendantReplies.currentDefendantResponse)

    @property
    def totalGrossValue(self) -> Decimal:
        return total(a.gross for a in self.answers)

    @property
    def totalAfterContrib(self) -> Decimal:
        return total(a.net for a in self.answers)

    @property
    def totalInterest(self) -> Decimal:
        return total(a.interest or Decimal(0) for a in self.answers)

    @property
    def totalValue(self) -> Decimal:
        """The replies after contributory negligence, plus interest."""
        return self.totalAfterContrib + self.totalInterest

    def _decision_errors(self) -> list[tuple[Any, str, Any]]:
        return []

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ONE_HEAD_PER_LOSS_TYPE.at("defendantReplies.currentDefendantResponse.*.lossType"),
        rules.CRU_WITHIN_OFFER.at("total.currentTotal.cruDeductions"),
    )

    @model_validator(mode="after")
    def _replies_and_totals(self) -> Self:
        errors: list[tuple[Any, str, Any]] = duplicate_loss_type_errors(
            [r.lossType for r in self.replies], REPLIES_LOC
        )
        errors += cru_deduction_errors(
            self.total.currentTotal.cruDeductions,
            self.totalAfterContrib,
            ("total", "currentTotal", "cruDeductions"),
        )
        errors += self._decision_errors()
        raise_field_errors(type(self).__name__, errors)
        return self


def all_agreed_errors(
    form: ReplyHeadsForm, field: str, decision: str, meaning: str
) -> list[tuple[Any, str, Any]]:
    """Every reply is agreed when the decision accepts the claimant's figures."""
    return [
        (
            (*REPLIES_LOC, index, "isGrossAmountAgreed"),
            rules.ALL_HEADS_AGREED.say(field=field, decision=decision, meaning=meaning),
            reply.isGrossAmountAgreed,
        )
        for index, reply in enumerate(form.replies)
        if reply.isGrossAmountAgreed != "1"
    ]


# --- the first response (§6.8) ---------------------------------------------------------------------


class FirstReplyFields(PackModel):
    """``CurrentDefendantResponse`` of the first response: the compensator's figure for the head is
    in ``grossValueClaimed`` (the schema's name)."""

    lossType: str
    comments: Comments | None = None
    grossValueClaimed: Money
    isGrossAmountAgreed: YNFlag
    percContribNegDeductions: Percentage
    interest: Money

    def answer(self, index: int) -> Answer:
        return Answer(
            index,
            self.lossType,
            "grossValueClaimed",
            self.grossValueClaimed,
            self.percContribNegDeductions,
            self.interest,
            self.isGrossAmountAgreed == "1",
        )

    @property
    def valueOfferedAfterContrib(self) -> Decimal:
        return after_contribution(self.grossValueClaimed, self.percContribNegDeductions)


class ElplFirstReply(FirstReplyFields):
    lossType: LossTypeELPL


class RtaFirstReply(TariffFields, FirstReplyFields):
    lossType: LossTypeRTA


class ElplFirstReplies(PackModel):
    currentDefendantResponse: Annotated[list[ElplFirstReply], Field(max_length=MAX_HEADS)]


class RtaFirstReplies(PackModel):
    currentDefendantResponse: Annotated[list[RtaFirstReply], Field(max_length=MAX_HEADS)]


class _Stage2Response(ReplyHeadsForm):
    if TYPE_CHECKING:
        agreementData: SettlementPackAgreementData

    @property
    def settlementPackDecision(self) -> str:
        return self.agreementData.finalAgreementDetails.settlementPackDecision

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.REPLY_TO_EVERY_HEAD.at("defendantReplies.currentDefendantResponse"),
        rules.ALL_HEADS_AGREED.at("defendantReplies.currentDefendantResponse.*.isGrossAmountAgreed"),
    )

    def _decision_errors(self) -> list[tuple[Any, str, Any]]:
        decision = self.settlementPackDecision
        if decision in ("C", "CO") and not self.replies:
            return [
                (
                    REPLIES_LOC,
                    rules.REPLY_TO_EVERY_HEAD.say(decision=decision),
                    [],
                )
            ]
        if decision == "C":
            return all_agreed_errors(self, "settlementPackDecision", "C", "Confirm")
        return []


class ElplStage2Response(_Stage2Response):
    """The EL/PL first response to the Stage 2 Settlement Pack [I]."""

    defendantRepresentative: DefendantRepresentative
    defendantReplies: ElplFirstReplies
    total: Total
    agreementData: SettlementPackAgreementData


class RtaStage2Response(_Stage2Response):
    """The RTA first response to the Stage 2 Settlement Pack (v3.3)."""

    defendantRepresentative: DefendantRepresentative
    defendantReplies: RtaFirstReplies
    total: Total
    agreementData: SettlementPackAgreementData
