"""Heads of damage of the Stage 2 forms (WORKFLOW.md §6.5-§6.11, §14 rules 15-16).

Every pack lists its heads as a repeated element, one per ``LossType`` (C18): the claimant's heads
(``ClaimantLossesToDate``, ``CurrentClaimantOffer``, ``LastClaimantOffer``) and the compensator's
replies to them (``DefendantResponse``, ``CurrentDefendantResponse``, ``LastDefendantResponse``).
This module holds the loss types, the head blocks the forms share, the rules on a list of heads, and
the comparison of an answer with the heads it answers (used by the transition tables' guards, since
the heads claimed are in an earlier form).

Rules on the forms (all [I] readings of §6 and §14 unless marked):

* A loss type appears **at most once** per pack (§14 rule 16); RTA heads use the R7 list ``0``-``16``,
  EL/PL heads ``4``-``11`` and ``13``-``15`` (no vehicle heads) **[D]**.
* The R7 tariff fields (``TariffType``, ``SelectDurationOfTheInjury``, the exceptional circumstances
  uplift) exist on RTA heads only, and only on the general damages (PSLA) heads :data:`PSLA_HEADS`:
  ``11`` General damages and the R7 heads ``12`` and ``16`` (labels [?] in §6.1, read as the tariff
  and non-tariff PSLA). ``ExcepCircumstancesUpliftPerc`` (1-20 %) is required exactly when
  ``ExcepCircumstancesUplift`` is 1, and the uplift note only goes with an uplift.

Rules on an answer, given the heads it answers (:func:`answer_errors`), all [I]:

* **Each head claimed is answered, and only those.** The compensator replies per head of the claim
  (the web form opens one defendant field per claimant head, §6.8).
* **An offer never exceeds the claim, per head.** "Cannot exceed" is read per head and on the three
  figures a head has: the gross value offered is at most the gross value claimed; the value after the
  contributory negligence deduction is at most the claimant's value after deduction (so a smaller
  deduction than the claimant conceded cannot lift the offer above the claim); the interest offered
  is at most the interest claimed. An offer above the claim is a keying error, and an offer of the
  whole claim is an agreement, which the decision codes express.
* ``IsGrossAmountAgreed`` = 1 means the compensator agrees the gross amount claimed for the head, so
  the gross value offered must then be the gross value claimed.
* **Agreement decisions accept the claimant's figures.** With ``C`` (Confirm, §6.8: "Confirm copies
  the claimant's values into every defendant head"), ``ACO`` (accept the claimant's counter offer)
  and ``A`` (additional damages agreed) every head carries the claimant's gross value, deduction and
  interest, and is marked agreed.

Rules on the claimant's revisions (:func:`counter_offer_errors`, :func:`additional_heads_errors`), [I]:

* A claimant's **counter offer revises the heads of the claim**: it repeats every head claimed (0.00
  withdraws one), adds none, and lowers or keeps each head's gross value and its value after
  deduction; it cannot raise them (a counter offer moves towards the other side). Interest may grow,
  since it accrues while the parties negotiate.
* An RTA **additional damages request** claims at least one loss type that the Stage 2 Settlement Pack
  did not (additional damages are losses not claimed before, §4.2 P51); it may repeat and revise the
  heads not yet agreed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Self

from pydantic import SerializerFunctionWrapHandler, model_serializer, model_validator

from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import (
    DurationOfTheInjury,
    ExcepCircumstancesUpliftPerc,
    FormModel,
    Loc,
    LossTypeELPL,
    LossTypeRTA,
    TariffType,
    YNFlag,
    raise_field_errors,
    text,
)
from claimsportal.protocols.forms.money import ZERO, Money, Percentage, after_contribution, total

LOSS_TYPES: dict[str, str] = {
    "0": "Policy excess",
    "1": "Loss of use",
    "2": "Car hire",
    "3": "Repair costs",
    "4": "Fares",
    "5": "Medical expenses",
    "6": "Clothing",
    "7": "Care services",
    "8": "Loss of earnings (claimant)",
    "9": "Loss of earnings (employer)",
    "10": "Other losses",
    "11": "General damages (PSLA)",
    "12": "Tariff general damages",  # R7, label [?] (§6.1)
    "13": "Disadvantage on the labour market",
    "14": "Loss of congenial employment",
    "15": "Future losses",
    "16": "Non-tariff general damages",  # R7, label [?] (§6.1)
}
"""C18_LossType with the meanings of §6.1 (``12`` and ``16``: [I] labels of the R7 heads)."""

RTA_LOSS_TYPES = frozenset(LOSS_TYPES)
ELPL_LOSS_TYPES = frozenset({"4", "5", "6", "7", "8", "9", "10", "11", "13", "14", "15"})
PSLA_HEADS = frozenset({"11", "12", "16"})
"""The general damages heads, the only ones that carry the R7 tariff and uplift fields [I]."""

MAX_HEADS = 17
Comments = Annotated[str, text(0, 500)]
UpliftNote = Annotated[str, text(0, 255)]


def loss_label(loss_type: str) -> str:
    """``11 (General damages (PSLA))``: a loss type as messages name it."""
    return f"{loss_type} ({LOSS_TYPES.get(loss_type, 'unknown')})"


class PackModel(FormModel):
    """Base of every Stage 2 block: a :class:`FormModel` (unknown fields are errors, instances are
    immutable) whose dump leaves out the optional fields that were not given, so that a stored pack
    reads as it was sent (with amounts written ``"1500.00"``)."""

    @model_serializer(mode="wrap")
    def _leave_out_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {name: value for name, value in data.items() if value is not None}


# --- the figures the workflow remembers ------------------------------------------------------------


@dataclass(frozen=True)
class HeadFigures:
    """One head's figures: gross value, contributory negligence percentage and interest."""

    gross: Decimal
    percent: Decimal = ZERO
    interest: Decimal | None = None  # None: the form has no interest for the head

    @property
    def net(self) -> Decimal:
        """The value after the contributory negligence deduction."""
        return after_contribution(self.gross, self.percent)

    def to_json(self) -> dict[str, str]:
        out = {"gross": str(self.gross), "percent": str(self.percent)}
        if self.interest is not None:
            out["interest"] = str(self.interest)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HeadFigures:
        interest = data.get("interest")
        return cls(
            Decimal(data["gross"]),
            Decimal(data.get("percent", "0.00")),
            Decimal(interest) if interest is not None else None,
        )


Heads = dict[str, HeadFigures]
"""Loss type -> figures."""


def heads_to_json(heads: Mapping[str, HeadFigures]) -> dict[str, dict[str, str]]:
    return {loss_type: figures.to_json() for loss_type, figures in heads.items()}


def heads_from_json(data: Mapping[str, Mapping[str, Any]] | None) -> Heads:
    return {loss_type: HeadFigures.from_json(figures) for loss_type, figures in (data or {}).items()}


@dataclass(frozen=True)
class Answer:
    """One reply of the compensator to a head, as :func:`answer_errors` compares it."""

    index: int
    loss_type: str
    gross_field: str  # the schema's name of the offered gross value (it differs between forms)
    gross: Decimal
    percent: Decimal
    interest: Decimal | None
    agreed: bool | None  # None: the form has no IsGrossAmountAgreed

    @property
    def net(self) -> Decimal:
        return after_contribution(self.gross, self.percent)


class RepliesForm(PackModel):
    """A compensator's form of replies, one per head: its ``answers`` as the rules compare them, from
    the ``replies`` each form finds under its own element names."""

    @property
    def replies(self) -> Sequence[Any]:
        raise NotImplementedError

    @property
    def answers(self) -> list[Answer]:
        return [reply.answer(i) for i, reply in enumerate(self.replies)]


# --- head blocks ----------------------------------------------------------------------------------


class TariffFields(PackModel):
    """The R7 tariff and uplift fields of an RTA head (only on the PSLA heads)."""

    tariffType: TariffType | None = None
    selectDurationOfTheInjury: DurationOfTheInjury | None = None
    excepCircumstancesUplift: YNFlag | None = None
    excepCircumstancesUpliftPerc: ExcepCircumstancesUpliftPerc | None = None

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.TARIFF_ONLY_ON_PSLA.at(
            "tariffType",
            "selectDurationOfTheInjury",
            "excepCircumstancesUplift",
            "excepCircumstancesUpliftPerc",
        ),
        rules.UPLIFT_GIVEN.at("excepCircumstancesUpliftPerc"),
        rules.UPLIFT_ONLY_WITH_UPLIFT.at("excepCircumstancesUpliftPerc"),
    )

    def _tariff_errors(self, loss_type: str) -> list[tuple[Loc, str, Any]]:
        errors: list[tuple[Loc, str, Any]] = []
        note = getattr(self, "excepCircumstancesUpliftNote", None)
        if loss_type not in PSLA_HEADS:
            for name in (*TariffFields.model_fields, "excepCircumstancesUpliftNote"):
                value = getattr(self, name, None)
                if value is not None:
                    errors.append(
                        (
                            (name,),
                            rules.TARIFF_ONLY_ON_PSLA.say(),
                            value,
                        )
                    )
            return errors
        uplift = self.excepCircumstancesUplift == "1"
        if uplift and self.excepCircumstancesUpliftPerc is None:
            errors.append(
                (
                    ("excepCircumstancesUpliftPerc",),
                    rules.UPLIFT_GIVEN.say(),
                    None,
                )
            )
        if not uplift and self.excepCircumstancesUpliftPerc is not None:
            errors.append(
                (
                    ("excepCircumstancesUpliftPerc",),
                    rules.UPLIFT_ONLY_WITH_UPLIFT.say(),
                    self.excepCircumstancesUpliftPerc,
                )
            )
        if not uplift and note:
            errors.append(
                (
                    ("excepCircumstancesUpliftNote",),
                    rules.UPLIFT_ONLY_WITH_UPLIFT.say(),
                    note,
                )
            )
        return errors

    @model_validator(mode="after")
    def _tariff_rules(self) -> Self:
        loss_type = getattr(self, "lossType", None)
        if isinstance(loss_type, str):
            raise_field_errors(type(self).__name__, self._tariff_errors(loss_type))
        return self


class ClaimantTariffFields(TariffFields):
    """The claimant's tariff fields carry a note on the uplift."""

    excepCircumstancesUpliftNote: UpliftNote | None = None

    __value_rules__: ClassVar[tuple[rules.ValueRule, ...]] = (
        rules.TARIFF_ONLY_ON_PSLA.at("excepCircumstancesUpliftNote"),
        rules.UPLIFT_ONLY_WITH_UPLIFT.at("excepCircumstancesUpliftNote"),
    )


# The claimant's heads of the S2SP, counter offer and additional damages request (§6.7, §6.9, §6.10).


class ClaimantOfferFields(PackModel):
    """The attributes of ``CurrentClaimantOffer`` that RTA and EL/PL share."""

    lossType: str
    evidenceAttached: YNFlag
    comments: Comments | None = None
    grossValueClaimed: Money
    percContribNegDeductions: Percentage
    interest: Money

    @property
    def figures(self) -> HeadFigures:
        return HeadFigures(self.grossValueClaimed, self.percContribNegDeductions, self.interest)

    @property
    def valueClaimedAfterContrib(self) -> Decimal:
        """The gross value less the contributory negligence deduction (computed)."""
        return self.figures.net


class ElplClaimantOffer(ClaimantOfferFields):
    """``CurrentClaimantOffer`` (EL/PL: no tariff fields)."""

    lossType: LossTypeELPL


class RtaClaimantOffer(ClaimantTariffFields, ClaimantOfferFields):
    """``CurrentClaimantOffer`` (RTA R7)."""

    lossType: LossTypeRTA


# The compensator's heads of the counter offer and the additional damages response (§6.9, §6.10).


class DefendantOfferFields(PackModel):
    """The attributes of a counter offer's ``CurrentDefendantResponse`` that RTA and EL/PL share."""

    lossType: str
    isGrossAmountAgreed: YNFlag
    comments: Comments | None = None
    percContribNegDeductions: Percentage
    grossValueOffered: Money
    interest: Money

    def answer(self, index: int) -> Answer:
        return Answer(
            index,
            self.lossType,
            "grossValueOffered",
            self.grossValueOffered,
            self.percContribNegDeductions,
            self.interest,
            self.isGrossAmountAgreed == "1",
        )

    @property
    def valueOfferedAfterContrib(self) -> Decimal:
        """The gross value offered less the contributory negligence deduction (computed)."""
        return after_contribution(self.grossValueOffered, self.percContribNegDeductions)


class ElplDefendantOffer(DefendantOfferFields):
    lossType: LossTypeELPL


class RtaDefendantOffer(TariffFields, DefendantOfferFields):
    lossType: LossTypeRTA


# --- rules on a list of heads ----------------------------------------------------------------------


def duplicate_loss_type_errors(loss_types: Sequence[str], loc: Loc) -> list[tuple[Loc, str, Any]]:
    """Each loss type at most once; the repeats are reported at their ``lossType``."""
    seen: dict[str, int] = {}
    errors: list[tuple[Loc, str, Any]] = []
    for index, loss_type in enumerate(loss_types):
        if loss_type in seen:
            errors.append(
                (
                    (*loc, index, "lossType"),
                    rules.ONE_HEAD_PER_LOSS_TYPE.say(loss_type=loss_label(loss_type), index=seen[loss_type]),
                    loss_type,
                )
            )
        else:
            seen[loss_type] = index
    return errors


def figures_of(heads: Iterable[Any]) -> Heads:
    """Loss type -> figures of claimant heads (each with a ``figures`` property)."""
    return {head.lossType: head.figures for head in heads}


def total_net(figures: Iterable[HeadFigures]) -> Decimal:
    return total(f.net for f in figures)


# --- answers against the heads claimed -------------------------------------------------------------

Problem = tuple[str, str]
"""(dotted field path from the payload's root, message)."""


def _path(loc: str, *parts: str | int) -> str:
    return ".".join([loc, *(str(p) for p in parts)])


def _claimed_list(claimed: Mapping[str, HeadFigures]) -> str:
    return ", ".join(sorted(claimed, key=int)) or "none"


def answer_errors(
    claimed: Mapping[str, HeadFigures],
    answers: Sequence[Answer],
    loc: str,
    *,
    agreement: str | None = None,
    require_every_head: bool = True,
) -> list[Problem]:
    """What is wrong with ``answers`` (at ``loc``, a list path) as replies to the ``claimed`` heads.

    ``agreement`` names the decision code when the answer accepts the claimant's figures (``C``,
    ``ACO``, ``A``). See the module docstring for the rules."""
    problems: list[Problem] = []
    answered: set[str] = set()
    for answer in answers:
        lt = answer.loss_type
        head = claimed.get(lt)
        if head is None:
            problems.append(
                (
                    _path(loc, answer.index, "lossType"),
                    f"loss type {loss_label(lt)} is not a head of the claim: answer only the heads "
                    f"claimed ({_claimed_list(claimed)})",
                )
            )
            continue
        answered.add(lt)
        where = f"for loss type {loss_label(lt)}"
        if agreement is not None:
            accepts = f"{agreement} accepts the claimant's figures"
            if answer.gross != head.gross:
                problems.append(
                    (
                        _path(loc, answer.index, answer.gross_field),
                        f"must be the {head.gross} claimed {where}: {accepts}",
                    )
                )
            if answer.percent != head.percent:
                problems.append(
                    (
                        _path(loc, answer.index, "percContribNegDeductions"),
                        f"must be the claimant's {head.percent} {where}: {accepts}",
                    )
                )
            if answer.interest is not None and head.interest is not None and answer.interest != head.interest:
                problems.append(
                    (
                        _path(loc, answer.index, "interest"),
                        f"must be the {head.interest} interest claimed {where}: {accepts}",
                    )
                )
            continue
        if answer.gross > head.gross:
            problems.append(
                (
                    _path(loc, answer.index, answer.gross_field),
                    f"must not be more than the {head.gross} claimed {where}",
                )
            )
        elif answer.net > head.net:
            problems.append(
                (
                    _path(loc, answer.index, "percContribNegDeductions"),
                    f"must not be less than the claimant's {head.percent} {where}: the offer after the "
                    f"deduction ({answer.net}) would be more than the {head.net} claimed after it",
                )
            )
        if answer.interest is not None and head.interest is not None and answer.interest > head.interest:
            problems.append(
                (
                    _path(loc, answer.index, "interest"),
                    f"must not be more than the {head.interest} interest claimed {where}",
                )
            )
        if answer.agreed and answer.gross != head.gross:
            problems.append(
                (
                    _path(loc, answer.index, "isGrossAmountAgreed"),
                    f"is 1 (agreed) but {answer.gross_field} {answer.gross} is not the {head.gross} claimed "
                    f"{where}: offer the amount claimed, or answer 0 (not agreed)",
                )
            )
    if require_every_head:
        for lt in sorted(set(claimed) - answered, key=int):
            problems.append(
                (loc, f"loss type {loss_label(lt)} is claimed but not answered: reply to every head claimed")
            )
    return problems


def counter_offer_errors(
    previous: Mapping[str, HeadFigures], heads: Mapping[int, tuple[str, HeadFigures]], loc: str
) -> list[Problem]:
    """A claimant's counter offer (``heads``: index -> (loss type, figures)) against the heads it
    revises (see the module docstring)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, (lt, figures) in heads.items():
        before = previous.get(lt)
        if before is None:
            problems.append(
                (
                    _path(loc, index, "lossType"),
                    f"loss type {loss_label(lt)} is not a head of the claim: a counter offer revises the "
                    f"heads claimed ({_claimed_list(previous)})",
                )
            )
            continue
        seen.add(lt)
        where = f"for loss type {loss_label(lt)}"
        if figures.gross > before.gross:
            problems.append(
                (
                    _path(loc, index, "grossValueClaimed"),
                    f"must not be more than the {before.gross} claimed before {where}: a counter offer "
                    "cannot raise a head",
                )
            )
        elif figures.net > before.net:
            problems.append(
                (
                    _path(loc, index, "percContribNegDeductions"),
                    f"must not be less than the {before.percent} deducted before {where}: the value after "
                    f"the deduction ({figures.net}) would be more than the {before.net} claimed before",
                )
            )
    for lt in sorted(set(previous) - seen, key=int):
        problems.append(
            (
                loc,
                f"loss type {loss_label(lt)} is claimed but missing: repeat every head claimed "
                "(0.00 withdraws one)",
            )
        )
    return problems


def additional_heads_errors(
    previous: Mapping[str, HeadFigures], loss_types: Iterable[str], loc: str
) -> list[Problem]:
    """An additional damages request claims at least one loss type not claimed before."""
    if any(lt not in previous for lt in loss_types):
        return []
    return [
        (
            loc,
            "must claim at least one loss type that the Stage 2 Settlement Pack did not claim "
            f"(claimed: {_claimed_list(previous)}): additional damages are losses not claimed before",
        )
    ]
