"""The other side's offer, shown where it is answered (issue 18; the portal's July 2020 change,
ADMINISTRATION.md §8): a response to a Stage 2 pack, a counter offer, an interim or additional damages
request shows the figures being answered beside its inputs, each head of loss filled in with the
other side's figures (so agreeing needs no retyping), and a confirmation page states the amounts
before anything is sent.

Nothing here decides anything: the figures are read from the forms the claim's events carry (as
``getClaim`` shows them to this side) and ``perform`` checks what is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from claimsportal.claims.acting import Actor
from claimsportal.claims.models import Claim
from claimsportal.claims.selectors import FORM_OPERATIONS
from claimsportal.presentation.labels import code_label


@dataclass(frozen=True)
class OfferSource:
    """Where an operation's answered offer is: the operations whose latest form carries it, the heads'
    path in that form, the replies' path in this operation's form, and whose offer it is."""

    operations: tuple[str, ...]
    heads: tuple[str, ...]  # one path per source operation, in the same order
    replies: str
    whose: str


_S2_REPLIES = "defendantReplies.currentDefendantResponse"
SOURCES: dict[str, OfferSource] = {
    "addInterimSPFResponse": OfferSource(
        ("addInterimSPFRequest",),
        ("ispfRequest.claimantLosses.claimantLossesToDate",),
        "ispfResponse.defendantReplies.defendantResponse",
        "claimant's",
    ),
    "addStage2SPFResponse": OfferSource(
        ("addStage2SPFRequest",),
        ("s2spfRequest.claimantLosses.currentClaimantOffer",),
        f"s2spfResponse.{_S2_REPLIES}",
        "claimant's",
    ),
    "addStage2SPFCounterOfferByCM": OfferSource(
        ("addStage2SPFCounterOfferByCR",),
        ("s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer",),
        f"s2spfCounterOfferByCM.{_S2_REPLIES}",
        "claimant's",
    ),
    "addStage2SPFCounterOfferByCR": OfferSource(
        ("addStage2SPFResponse", "addStage2SPFCounterOfferByCM"),
        (f"s2spfResponse.{_S2_REPLIES}", f"s2spfCounterOfferByCM.{_S2_REPLIES}"),
        "s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer",
        "compensator's",
    ),
    "addS2SPFAdditionalDamagesResponse": OfferSource(
        ("addS2SPFAdditionalDamagesRequest",),
        ("additionalDamagesRequest.claimantLosses.currentClaimantOffer",),
        f"additionalDamagesResponse.{_S2_REPLIES}",
        "claimant's",
    ),
}
# The operations whose amounts are confirmed on a page of their own before they are sent.
CONFIRMED = frozenset(
    {*SOURCES, "addInterimSPFRequest", "addStage2SPFRequest", "addS2SPFAdditionalDamagesRequest"}
)

GROSS_FIELDS = ("grossValueClaimed", "grossValueOffered")
_COPIED = (
    "lossType",
    "percContribNegDeductions",
    "interest",
    "tariffType",
    "selectDurationOfTheInjury",
)  # not the uplift: whether one is agreed is the answering side's own answer


@dataclass(frozen=True)
class Head:
    loss_type: str
    label: str
    gross: str  # as sent ("3500.00"), "" when none
    contributory: str
    interest: str
    agreed: str  # the other side's own "agreed" answer on a reply ("1"/"0"), "" on an offer
    fields: dict[str, str]  # the head's figures and tariff answers, as sent

    @property
    def summary(self) -> str:
        """ "£3,500.00, contributory negligence 10.00%, interest £4.10"."""
        parts = [money(self.gross)] if self.gross else []
        if self.contributory and _decimal(self.contributory):
            parts.append(f"contributory negligence {self.contributory}%")
        if self.interest and _decimal(self.interest):
            parts.append(f"interest {money(self.interest)}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Offer:
    whose: str  # "claimant's" / "compensator's"
    operation: str  # the operation that sent it
    heads: list[Head]
    gross_amount: str  # the global offer (agreementDetails.grossAmount), "" when none

    @property
    def total(self) -> str:
        return money(sum((_decimal(h.gross) for h in self.heads), Decimal("0")))


def _decimal(text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return Decimal("0")


def money(value: Decimal | str) -> str:
    """£1,234.50"""
    return f"£{_decimal(value):,.2f}"


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def latest_offer(actor: Actor, claim: Claim, operation: str) -> Offer | None:
    """The offer ``operation`` answers, from the latest form of its source operations (None: none)."""
    source = SOURCES.get(operation)
    if source is None:
        return None
    found = (
        claim.events.filter(operation__in=source.operations)
        .order_by("-id")
        .values_list("operation", "payload")
        .first()
    )
    if found is None or found[0] not in FORM_OPERATIONS:
        return None
    sent_by, payload = found
    heads_path = source.heads[source.operations.index(sent_by)]
    rows = _at(payload, heads_path)
    if not isinstance(rows, list):
        return None
    heads = [
        Head(
            loss_type=str(row.get("lossType", "")),
            label=code_label("lossType", str(row.get("lossType", ""))),
            gross=str(next((row[k] for k in GROSS_FIELDS if row.get(k) not in (None, "")), "")),
            contributory=str(row.get("percContribNegDeductions") or ""),
            interest=str(row.get("interest") or ""),
            agreed=str(row.get("isGrossAmountAgreed") or ""),
            fields={k: str(row[k]) for k in _COPIED if row.get(k) not in (None, "")},
        )
        for row in rows
        if isinstance(row, dict)
    ]
    root = heads_path.split(".")[0]
    gross_amount = _at(payload, f"{root}.agreementData.finalAgreementDetails.agreementDetails.grossAmount")
    return Offer(source.whose, sent_by, heads, str(gross_amount or ""))


def prefilled_replies(offer: Offer, operation: str, reply_fields: set[str]) -> dict[str, Any]:
    """This operation's form with one reply per head of ``offer``, each carrying the offer's figures
    (what agreeing sends) but no answer to "agreed": the handler decides each head."""
    source = SOURCES[operation]
    gross_field = next((f for f in GROSS_FIELDS if f in reply_fields), "")
    replies = []
    for head in offer.heads:
        row: dict[str, Any] = {k: v for k, v in head.fields.items() if k in reply_fields}
        row["lossType"] = head.loss_type
        if gross_field and head.gross:
            row[gross_field] = head.gross
        if "evidenceAttached" in reply_fields:
            row["evidenceAttached"] = "1"
        replies.append(row)
    data: dict[str, Any] = {}
    node = data
    parts = source.replies.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = replies
    return data


def describe_replies(form: Any, offer: Offer, operation: str) -> None:
    """Each reply group of the bound ``form`` (a ``schema_form.Field``) named by its head of loss and
    showing the other side's figures as its hint."""
    prefix = SOURCES[operation].replies + "."
    for bound in form.walk():
        rest = bound.path[len(prefix) :] if bound.path.startswith(prefix) else ""
        if not rest.isdigit() or int(rest) >= len(offer.heads):
            continue
        head = offer.heads[int(rest)]
        bound.label = f"{bound.label}: {head.label}"
        whose = offer.whose[:1].upper() + offer.whose[1:]
        agreed = {"1": " (agreed)", "0": " (not agreed)"}.get(head.agreed, "")
        bound.hint = f"{whose} figure: {head.summary}{agreed}" if head.summary else ""


@dataclass(frozen=True)
class Amount:
    label: str
    value: str  # £…
    note: str = ""


def amounts(payload: Any, operation: str) -> list[Amount]:
    """The amounts a form sends, for its confirmation page: each head of loss (with whether it is
    agreed, on a reply) and the global offer."""
    if not isinstance(payload, dict) or len(payload) != 1:
        return []
    root = next(iter(payload))
    form = payload[root]
    lists = [
        _at(form, path)
        for path in (
            "claimantLosses.currentClaimantOffer",
            "claimantLosses.claimantLossesToDate",
            "defendantReplies.currentDefendantResponse",
            "defendantReplies.defendantResponse",
        )
    ]
    out: list[Amount] = []
    for rows in lists:
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            gross = next((row[k] for k in GROSS_FIELDS if row.get(k) not in (None, "")), None)
            agreed = {"1": "agreed", "0": "not agreed"}.get(str(row.get("isGrossAmountAgreed", "")), "")
            pursued = {"0": "not pursued now"}.get(str(row.get("itemBeingPursued", "")), "")
            out.append(
                Amount(
                    code_label("lossType", str(row.get("lossType", ""))),
                    money(str(gross)) if gross is not None else "not given",
                    agreed or pursued,
                )
            )
    gross_amount = _at(form, "agreementData.finalAgreementDetails.agreementDetails.grossAmount")
    if gross_amount not in (None, ""):
        out.append(Amount("Gross amount (global offer)", money(str(gross_amount))))
    interim = _at(form, "agreementData.finalAgreementDetails.agreementDetails.interimPaymentAmount")
    if interim not in (None, "") and _decimal(interim):
        out.append(Amount("Interim payments made", money(str(interim))))
    return out
