"""The Court Proceedings Pack (WORKFLOW.md §6.11): the claimant's request with Part A (the claimant's
last offer per head, the disbursements) and Part B (fixed costs paid, final offers) (RTA v3.3,
``addCPPFRequest({"cppfRequest": ...})``), and the compensator's response (RTA v3.3,
``addCPPFResponse({"cppfResponse": ...})``). The EL/PL forms (v1.0) have the same shape without the
R7 tariff fields **[D]**, with the EL/PL loss types.

Element paths are those of §6.11, misspellings kept (``DisbursmentDisputed``, ``Occupation_CPP``).

Decisions ([I] unless marked):

* **Values after contribution are computed.** ``ValueClaimedAfterContrib`` / ``ValueOfferedAfterContrib``
  are required by the XSD but are a computation (gross value less the contributory negligence
  percentage, rounded half up to the penny). A client may leave them out; if it sends one it must be
  the computed value (else the error names the field and the value expected). The stored form always
  carries the computed value.
* **Disbursements**: when ``AllDisbursementAgreedAndPaid`` is 1 no disbursement is listed as disputed;
  when it is 0 at least one is. A disputed disbursement was not paid in full (``AmountPaid`` less than
  ``AmountClaimed``), describes what is disputed, and its ``DisbursementId`` (1-17) is unique in the
  pack. The compensator gives a reason (1-80 characters) for each disbursement it does not pay in full.
* **The compensator replies only to disputed disbursements**: each ``DisbursementId`` of its
  ``disbursementDisputedRequestResponse`` is one the claimant listed as disputed in the pack on the
  claim (:func:`disbursement_reply_errors`, the operation's guard, since the pack is an earlier form).
  It is a subset, not the same list: the response's block is optional in the XSD, a reply exists to
  give the reason for not paying in full, and a disputed disbursement left unanswered stays disputed
  as the claimant's Part A states it (the portal reads no concession into the silence).
* ``DefendantLegalDetails`` are required when ``HasDefendantNamedLegalRep`` is 1; the compensator
  explains in ``UpToDateCRUCertificateAttachedComments`` why no up-to-date CRU certificate is attached.
* The compensator's last response per head replies to every head of the claimant's last offer and
  never above it (the operation's guard, :mod:`~claimsportal.protocols.forms.losses`).
* The final offers of Part B are the parties' global offers and are not compared with the heads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

from pydantic import Field, model_validator

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import (
    Loc,
    LossTypeELPL,
    LossTypeRTA,
    YNFlag,
    raise_field_errors,
    text,
)
from claimsportal.protocols.forms.losses import (
    MAX_HEADS,
    Answer,
    ClaimantTariffFields,
    Comments,
    HeadFigures,
    Heads,
    PackModel,
    Problem,
    RepliesForm,
    TariffFields,
    duplicate_loss_type_errors,
)
from claimsportal.protocols.forms.money import Money, Percentage, after_contribution, total
from claimsportal.protocols.forms.pack_blocks import PackContact, StatementOfTruth

DisbursementId = Annotated[int, Field(ge=1, le=17)]


def _computed_value_errors(given: Decimal | None, computed: Decimal, name: str) -> list[tuple[Loc, str, Any]]:
    if given is not None and given != computed:
        return [
            (
                (name,),
                rules.VALUE_AFTER_CONTRIBUTION.say(computed=computed),
                given,
            )
        ]
    return []


def _unique_ids_errors(ids: list[int], loc: Loc) -> list[tuple[Loc, str, Any]]:
    seen: set[int] = set()
    errors: list[tuple[Loc, str, Any]] = []
    for index, disbursement_id in enumerate(ids):
        if disbursement_id in seen:
            errors.append(
                (
                    (*loc, index, "disbursementId"),
                    rules.DISBURSEMENT_ONCE.say(disbursement_id=disbursement_id),
                    disbursement_id,
                )
            )
        seen.add(disbursement_id)
    return errors


def _set_computed(model: PackModel, name: str, value: Decimal) -> None:
    object.__setattr__(model, name, value)  # the model is frozen; this fills a computed field once


# --- the request -----------------------------------------------------------------------------------


class CourtPackClaimantRepresentative(PackModel):
    companyDetails: PackContact


class CourtPackClaimantDetails(PackModel):
    occupation_CPP: Annotated[str, text(0, 50)] | None = None


class CourtPackClaimAndClaimantDetails(PackModel):
    claimantRepresentative: CourtPackClaimantRepresentative
    claimantDetails: CourtPackClaimantDetails | None = None


class LastClaimantOfferFields(PackModel):
    lossType: str
    percInterestRate: Percentage
    comments: Comments | None = None
    grossValueClaimed: Money
    percContribNegDeductions: Percentage
    valueClaimedAfterContrib: Money | None = None
    evidenceAttached: YNFlag

    @property
    def figures(self) -> HeadFigures:
        return HeadFigures(self.grossValueClaimed, self.percContribNegDeductions)

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.VALUE_AFTER_CONTRIBUTION.at("valueClaimedAfterContrib"),
    )

    @model_validator(mode="after")
    def _value_after_contrib(self) -> Self:
        computed = self.figures.net
        raise_field_errors(
            type(self).__name__,
            _computed_value_errors(self.valueClaimedAfterContrib, computed, "valueClaimedAfterContrib"),
        )
        _set_computed(self, "valueClaimedAfterContrib", computed)
        return self


class ElplLastClaimantOffer(LastClaimantOfferFields):
    lossType: LossTypeELPL


class RtaLastClaimantOffer(ClaimantTariffFields, LastClaimantOfferFields):
    lossType: LossTypeRTA


class ElplCourtPackClaimantLosses(PackModel):
    lastClaimantOffer: Annotated[list[ElplLastClaimantOffer], Field(min_length=1, max_length=MAX_HEADS)]


class RtaCourtPackClaimantLosses(PackModel):
    lastClaimantOffer: Annotated[list[RtaLastClaimantOffer], Field(min_length=1, max_length=MAX_HEADS)]


class CourtProceedingsPackPartA(PackModel):
    allDisbursementAgreedAndPaid: YNFlag


class DisputedDisbursement(PackModel):
    """A disbursement the claimant says was not paid in full."""

    amountClaimed: Money
    amountPaid: Money
    disbursementDisputed: Annotated[str, text(1, 500)]
    disbursementId: DisbursementId

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.DISPUTED_NOT_PAID_IN_FULL.at("amountPaid"),
    )

    @model_validator(mode="after")
    def _not_paid_in_full(self) -> Self:
        if self.amountPaid >= self.amountClaimed:
            raise_field_errors(
                type(self).__name__,
                [
                    (
                        ("amountPaid",),
                        rules.DISPUTED_NOT_PAID_IN_FULL.say(claimed=self.amountClaimed),
                        self.amountPaid,
                    )
                ],
            )
        return self


class DisbursmentDisputed(PackModel):
    disbursementDisputedRequestResponse: Annotated[
        list[DisputedDisbursement], Field(min_length=1, max_length=17)
    ]


class FixedCosts(PackModel):
    stage1FixedCostsPaid: YNFlag
    stage2FixedCostsPaid: YNFlag


class CourtProceedingsPackPartB(PackModel):
    fixedCosts: FixedCosts
    claimantFinalOffer: Money
    defendantFinalOffer: Money


class DefendantLegalRepresentative(PackModel):
    hasDefendantNamedLegalRep: YNFlag | None = None
    defendantLegalDetails: Comments | None = None

    __rules__ = (rules.DEFENDANT_LEGAL_DETAILS,)


CLAIMANT_OFFER_LOC = ("claimantLosses", "lastClaimantOffer")
DISPUTED_LOC = ("disbursmentDisputed", "disbursementDisputedRequestResponse")


class _CourtPackRequest(PackModel):
    if TYPE_CHECKING:
        claimantLosses: ElplCourtPackClaimantLosses | RtaCourtPackClaimantLosses
        courtProceedingsPackPartA: CourtProceedingsPackPartA
        disbursmentDisputed: DisbursmentDisputed | None
        defendantLegalRepresentative: DefendantLegalRepresentative | None

    @property
    def heads(self) -> list[LastClaimantOfferFields]:
        return list(self.claimantLosses.lastClaimantOffer)

    @property
    def claimedHeads(self) -> Heads:
        return {h.lossType: h.figures for h in self.heads}

    @property
    def totalGrossValue(self) -> Decimal:
        return total(h.grossValueClaimed for h in self.heads)

    @property
    def totalAfterContrib(self) -> Decimal:
        return total(h.figures.net for h in self.heads)

    @property
    def disputedDisbursementIds(self) -> list[int]:
        """The disbursements the claimant disputes, in the order listed (none when all were paid)."""
        disputed = self.disbursmentDisputed
        return [d.disbursementId for d in disputed.disbursementDisputedRequestResponse] if disputed else []

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ONE_HEAD_PER_LOSS_TYPE.at("claimantLosses.lastClaimantOffer.*.lossType"),
        rules.NO_DISPUTE_WHEN_ALL_PAID.at("disbursmentDisputed"),
        rules.DISPUTE_WHEN_NOT_ALL_PAID.at("disbursmentDisputed"),
        rules.DISBURSEMENT_ONCE.at(
            "disbursmentDisputed.disbursementDisputedRequestResponse.*.disbursementId"
        ),
    )

    @model_validator(mode="after")
    def _pack_rules(self) -> Self:
        errors = duplicate_loss_type_errors([h.lossType for h in self.heads], CLAIMANT_OFFER_LOC)
        disputed = (
            self.disbursmentDisputed.disbursementDisputedRequestResponse if self.disbursmentDisputed else []
        )
        all_paid = self.courtProceedingsPackPartA.allDisbursementAgreedAndPaid == "1"
        if all_paid and disputed:
            errors.append(
                (
                    ("disbursmentDisputed",),
                    rules.NO_DISPUTE_WHEN_ALL_PAID.say(),
                    None,
                )
            )
        if not all_paid and not disputed:
            errors.append(
                (
                    ("disbursmentDisputed",),
                    rules.DISPUTE_WHEN_NOT_ALL_PAID.say(),
                    None,
                )
            )
        errors += _unique_ids_errors([d.disbursementId for d in disputed], DISPUTED_LOC)
        raise_field_errors(type(self).__name__, errors)
        return self


class ElplCourtPackRequest(_CourtPackRequest):
    """The EL/PL Court Proceedings Pack request (v1.0)."""

    claimAndClaimantDetails: CourtPackClaimAndClaimantDetails
    claimantLosses: ElplCourtPackClaimantLosses
    courtProceedingsPackPartA: CourtProceedingsPackPartA
    disbursmentDisputed: DisbursmentDisputed | None = None
    courtProceedingsPackPartB: CourtProceedingsPackPartB
    defendantLegalRepresentative: DefendantLegalRepresentative | None = None
    statementOfTruth: StatementOfTruth


class RtaCourtPackRequest(_CourtPackRequest):
    """The RTA Court Proceedings Pack request (v3.3)."""

    claimAndClaimantDetails: CourtPackClaimAndClaimantDetails
    claimantLosses: RtaCourtPackClaimantLosses
    courtProceedingsPackPartA: CourtProceedingsPackPartA
    disbursmentDisputed: DisbursmentDisputed | None = None
    courtProceedingsPackPartB: CourtProceedingsPackPartB
    defendantLegalRepresentative: DefendantLegalRepresentative | None = None
    statementOfTruth: StatementOfTruth


# --- the response ----------------------------------------------------------------------------------


class CourtPackDefendantRepresentative(PackModel):
    defendantsInsurer: PackContact


class LastDefendantResponseFields(PackModel):
    lossType: str
    comments: Comments | None = None
    percContribNegDeductions: Percentage
    grossValueOffered: Money
    valueOfferedAfterContrib: Money | None = None
    evidenceAttached: YNFlag

    def answer(self, index: int) -> Answer:
        return Answer(
            index,
            self.lossType,
            "grossValueOffered",
            self.grossValueOffered,
            self.percContribNegDeductions,
            None,
            None,
        )

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.VALUE_AFTER_CONTRIBUTION.at("valueOfferedAfterContrib"),
    )

    @model_validator(mode="after")
    def _value_after_contrib(self) -> Self:
        computed = after_contribution(self.grossValueOffered, self.percContribNegDeductions)
        raise_field_errors(
            type(self).__name__,
            _computed_value_errors(self.valueOfferedAfterContrib, computed, "valueOfferedAfterContrib"),
        )
        _set_computed(self, "valueOfferedAfterContrib", computed)
        return self


class ElplLastDefendantResponse(LastDefendantResponseFields):
    lossType: LossTypeELPL


class RtaLastDefendantResponse(TariffFields, LastDefendantResponseFields):
    lossType: LossTypeRTA


class ElplCourtPackDefendantReplies(PackModel):
    lastDefendantResponse: Annotated[
        list[ElplLastDefendantResponse], Field(min_length=1, max_length=MAX_HEADS)
    ]


class RtaCourtPackDefendantReplies(PackModel):
    lastDefendantResponse: Annotated[
        list[RtaLastDefendantResponse], Field(min_length=1, max_length=MAX_HEADS)
    ]


class CourtProceedingsPackPartAResponse(PackModel):
    cruBenefitsReceived: Money
    cruBenefitsReceivedComments: Comments | None = None
    upToDateCRUCertificateAttached: YNFlag
    upToDateCRUCertificateAttachedComments: Comments | None = None

    __rules__ = (rules.CRU_CERTIFICATE_EXPLAINED,)


class DisbursementReply(PackModel):
    disbursementId: DisbursementId
    reasonForNotPayingFullDisbursement: Annotated[str, text(1, 80)]


class DisbursmentDisputedResponse(PackModel):
    disbursementDisputedRequestResponse: Annotated[
        list[DisbursementReply], Field(min_length=1, max_length=17)
    ]


class DefendantLegalRepresentativeResponse(PackModel):
    hasDefendantNamedLegalRep: YNFlag
    defendantLegalDetails: Comments | None = None

    __rules__ = (rules.DEFENDANT_LEGAL_DETAILS,)


class CourtProceedingsPackPartBResponse(PackModel):
    defendantFinalOffer: Money


DEFENDANT_RESPONSE_LOC = ("defendantReplies", "lastDefendantResponse")


class _CourtPackResponse(RepliesForm):
    if TYPE_CHECKING:
        defendantReplies: ElplCourtPackDefendantReplies | RtaCourtPackDefendantReplies
        disbursmentDisputed: DisbursmentDisputedResponse | None
        defendantLegalRepresentative: DefendantLegalRepresentativeResponse

    @property
    def replies(self) -> list[LastDefendantResponseFields]:
        return list(self.defendantReplies.lastDefendantResponse)

    @property
    def totalAfterContrib(self) -> Decimal:
        return total(a.net for a in self.answers)

    @property
    def answeredDisbursementIds(self) -> list[int]:
        """The disbursements the compensator gives a reason for not paying in full, in order."""
        replies = self.disbursmentDisputed
        return [d.disbursementId for d in replies.disbursementDisputedRequestResponse] if replies else []

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.ONE_HEAD_PER_LOSS_TYPE.at("defendantReplies.lastDefendantResponse.*.lossType"),
        rules.DISBURSEMENT_ONCE.at(
            "disbursmentDisputed.disbursementDisputedRequestResponse.*.disbursementId"
        ),
    )

    @model_validator(mode="after")
    def _pack_rules(self) -> Self:
        errors = duplicate_loss_type_errors([r.lossType for r in self.replies], DEFENDANT_RESPONSE_LOC)
        disputed = (
            self.disbursmentDisputed.disbursementDisputedRequestResponse if self.disbursmentDisputed else []
        )
        errors += _unique_ids_errors([d.disbursementId for d in disputed], DISPUTED_LOC)
        raise_field_errors(type(self).__name__, errors)
        return self


class ElplCourtPackResponse(_CourtPackResponse):
    """The EL/PL Court Proceedings Pack response (v1.0)."""

    defendantRepresentative: CourtPackDefendantRepresentative
    defendantReplies: ElplCourtPackDefendantReplies
    courtProceedingsPackPartA: CourtProceedingsPackPartAResponse
    disbursmentDisputed: DisbursmentDisputedResponse | None = None
    defendantLegalRepresentative: DefendantLegalRepresentativeResponse
    courtProceedingsPackPartB: CourtProceedingsPackPartBResponse


class RtaCourtPackResponse(_CourtPackResponse):
    """The RTA Court Proceedings Pack response (v3.3)."""

    defendantRepresentative: CourtPackDefendantRepresentative
    defendantReplies: RtaCourtPackDefendantReplies
    courtProceedingsPackPartA: CourtProceedingsPackPartAResponse
    disbursmentDisputed: DisbursmentDisputedResponse | None = None
    defendantLegalRepresentative: DefendantLegalRepresentativeResponse
    courtProceedingsPackPartB: CourtProceedingsPackPartBResponse


# --- the response against the request --------------------------------------------------------------


def disbursement_reply_errors(disputed: Collection[int], answered: Sequence[int], loc: str) -> list[Problem]:
    """What is wrong with the compensator's replies on disbursements (``answered``: their IDs in order,
    listed at ``loc``) given the IDs the claimant ``disputed`` in the court proceedings pack request:
    each reply is to a disputed disbursement (see the module docstring)."""
    if disputed:
        hint = "reply only to the disbursements it disputes (" + ", ".join(map(str, sorted(disputed))) + ")"
    else:
        hint = "it disputes no disbursement (allDisbursementAgreedAndPaid is 1)"
    return [
        (
            f"{loc}.{index}.disbursementId",
            f"disbursement {disbursement_id} was not disputed in the court proceedings pack request: {hint}",
        )
        for index, disbursement_id in enumerate(answered)
        if disbursement_id not in disputed
    ]
