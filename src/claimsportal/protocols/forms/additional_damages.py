"""RTA Additional Damages (WORKFLOW.md §6.10, v3.2; RTA only): the claimant's request
(``addS2SPFAdditionalDamagesRequest({"additionalDamagesRequest": ...})``) and the compensator's response
(``addS2SPFAdditionalDamagesResponse({"additionalDamagesResponse": ...})``, whose payload gives the
workflow ``additionalDamagesDecision``: ``A`` agreed, ``CO`` counter offer).

The request has the head structure of the claimant's Stage 2 offer (up to 17 heads) with a global
offer; the response that of the compensator's counter offer, with CRU deductions.

Decisions ([I]; the comparisons with earlier forms are the operations' guards):

* The request claims at least one loss type that the Stage 2 Settlement Pack did not (the additional
  loss, typically a vehicle-related head such as car hire or repairs) and may repeat and revise the
  heads not yet agreed (§4.2 P51).
* The response replies to every head of the request, never above it per head; ``A`` accepts the
  claimant's figures (every reply agreed, with the claimant's gross value, deduction and interest).
"""

from __future__ import annotations

from typing import Any, ClassVar

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.counter_offers import RtaDefendantOffers
from claimsportal.protocols.forms.pack_blocks import AdditionalDamagesAgreementData, OfferAgreementData, Total
from claimsportal.protocols.forms.stage2 import (
    ClaimantHeadsForm,
    ReplyHeadsForm,
    RtaClaimantLosses,
    all_agreed_errors,
)


class AdditionalDamagesRequest(ClaimantHeadsForm):
    """The RTA additional damages request (v3.2)."""

    claimantLosses: RtaClaimantLosses
    agreementData: OfferAgreementData


class AdditionalDamagesResponse(ReplyHeadsForm):
    """The RTA additional damages response (v3.2)."""

    defendantReplies: RtaDefendantOffers
    total: Total
    agreementData: AdditionalDamagesAgreementData

    @property
    def additionalDamagesDecision(self) -> str:
        return self.agreementData.finalAgreementDetails.additionalDamagesDecision

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ALL_HEADS_AGREED.at("defendantReplies.currentDefendantResponse.*.isGrossAmountAgreed"),
    )

    def _decision_errors(self) -> list[tuple[Any, str, Any]]:
        if self.additionalDamagesDecision == "A":
            return all_agreed_errors(self, "additionalDamagesDecision", "A", "agreed")
        return []
