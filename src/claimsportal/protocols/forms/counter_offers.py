"""Counter offers in the Stage 2 negotiation (WORKFLOW.md §6.9, v3.1): the claimant's
(``addStage2SPFCounterOfferByCR({"s2spfCounterOfferByCR": ...})``) and the compensator's
(``addStage2SPFCounterOfferByCM({"s2spfCounterOfferByCM": ...})``, whose payload gives the workflow
``settlementPackCounterOfferDecision``: ``ACO`` accept the claimant's counter offer, ``NEWCO`` a new
counter offer).

Each side states its figures per head and its global offer (``AgreementDetails/GrossAmount``, which may
differ from the sum of the heads, and ``InterimPaymentAmount``, pre-filled from the portal's interim
payments and overridable) **[S]**.

Decisions ([I]; the comparisons with the earlier forms are the operations' guards, see
:mod:`~claimsportal.protocols.forms.losses`):

* The claimant's counter offer repeats every head claimed and adds none; it may lower a head's gross
  value and its value after deduction but not raise them (interest may grow while it accrues).
* The compensator's counter offer replies to every head of the claimant's current figures, never above
  them per head; ``ACO`` accepts them, so every reply is agreed and carries the claimant's figures.
* EL/PL counter offers are the RTA forms without the R7 tariff fields, with the EL/PL loss types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import Field

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.losses import MAX_HEADS, ElplDefendantOffer, PackModel, RtaDefendantOffer
from claimsportal.protocols.forms.pack_blocks import CounterOfferAgreementData, OfferAgreementData, Total
from claimsportal.protocols.forms.stage2 import (
    ClaimantHeadsForm,
    ElplClaimantLosses,
    ReplyHeadsForm,
    RtaClaimantLosses,
    all_agreed_errors,
)


class ElplCounterOfferByCR(ClaimantHeadsForm):
    """The claimant's counter offer (EL/PL)."""

    claimantLosses: ElplClaimantLosses
    agreementData: OfferAgreementData


class RtaCounterOfferByCR(ClaimantHeadsForm):
    """The claimant's counter offer (RTA v3.1)."""

    claimantLosses: RtaClaimantLosses
    agreementData: OfferAgreementData


class ElplDefendantOffers(PackModel):
    currentDefendantResponse: Annotated[list[ElplDefendantOffer], Field(min_length=1, max_length=MAX_HEADS)]


class RtaDefendantOffers(PackModel):
    currentDefendantResponse: Annotated[list[RtaDefendantOffer], Field(min_length=1, max_length=MAX_HEADS)]


class _CounterOfferByCM(ReplyHeadsForm):
    if TYPE_CHECKING:
        agreementData: CounterOfferAgreementData

    @property
    def settlementPackCounterOfferDecision(self) -> str:
        return self.agreementData.finalAgreementDetails.settlementPackCounterOfferDecision

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ALL_HEADS_AGREED.at("defendantReplies.currentDefendantResponse.*.isGrossAmountAgreed"),
    )

    def _decision_errors(self) -> list[tuple[Any, str, Any]]:
        if self.settlementPackCounterOfferDecision == "ACO":
            return all_agreed_errors(
                self, "settlementPackCounterOfferDecision", "ACO", "accept the claimant's counter offer"
            )
        return []


class ElplCounterOfferByCM(_CounterOfferByCM):
    """The compensator's counter offer (EL/PL)."""

    defendantReplies: ElplDefendantOffers
    total: Total
    agreementData: CounterOfferAgreementData


class RtaCounterOfferByCM(_CounterOfferByCM):
    """The compensator's counter offer (RTA v3.1)."""

    defendantReplies: RtaDefendantOffers
    total: Total
    agreementData: CounterOfferAgreementData
