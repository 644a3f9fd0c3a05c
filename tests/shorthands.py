"""Test shorthands for the long forms, so workflow tests read as the workflow.

The forms themselves are tested field by field in tests/protocols/forms; workflow tests only need a
complete valid form with a few facts chosen.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from claimsportal.protocols.forms import examples as ex
from claimsportal.protocols.forms.examples import cnf_example, insurer_response_example
from claimsportal.protocols.state import ADULT_AGE, ClaimState, age_on, heads_in_order


def cnf_for(
    claim_type: str = "RTA",
    *,
    sent_on: date,
    surname: str = "Smith",
    dob: date | None = None,
    insurer_type: str | None = "I",
    child: bool = False,
) -> dict[str, Any]:
    """A complete valid CNF; its child flag matches the claimant's age on the day it is sent. Without
    a date of birth the claimant is an adult born 15 January 1980, or a child born in 2020."""
    if dob is None:
        dob = date(2020, 1, 10) if child else date(1980, 1, 15)
    return cnf_example(
        claim_type,
        surname=surname,
        date_of_birth=dob,
        child=child or age_on(dob, sent_on) < ADULT_AGE,
        insurer_type=insurer_type if claim_type == "RTA" else None,
        reference=f"REF-{surname}",
    )


def liability_shorthand(protocol: str, payload: dict[str, Any]) -> dict[str, Any]:
    """``liabilityDecision="A"`` (and ``reasonsForDenial``) stand for a complete §6.4 insurer
    response with that decision; any other payload is sent as it is."""
    if "liabilityDecision" not in payload or set(payload) - {"liabilityDecision", "reasonsForDenial"}:
        return payload
    response = insurer_response_example(
        protocol, payload["liabilityDecision"], reasons=payload.get("reasonsForDenial")
    )
    return {"insurerResponse": response}


# --------------------------------------------------------------------------------------------------
# Stage 2 packs (§6.5-§6.11)
# --------------------------------------------------------------------------------------------------

FORM_KEYS: dict[str, str] = {
    "addInterimSPFRequest": "ispfRequest",
    "addInterimSPFResponse": "ispfResponse",
    "addStage2SPFRequest": "s2spfRequest",
    "addStage2SPFResponse": "s2spfResponse",
    "addStage2SPFCounterOfferByCR": "s2spfCounterOfferByCR",
    "addStage2SPFCounterOfferByCM": "s2spfCounterOfferByCM",
    "addS2SPFAdditionalDamagesRequest": "additionalDamagesRequest",
    "addS2SPFAdditionalDamagesResponse": "additionalDamagesResponse",
    "addCPPFRequest": "cppfRequest",
    "addCPPFResponse": "cppfResponse",
}
"""The Stage 2 form operations and the key their payload carries the form under."""

# The shorthand keys each form operation understands; a payload with any other key is sent as it is.
SHORTHAND_KEYS: dict[str, frozenset[str]] = {
    "addInterimSPFRequest": frozenset({"amountRequested"}),
    "addInterimSPFResponse": frozenset({"amountOffered"}),
    "addStage2SPFRequest": frozenset({"generalDamages"}),
    "addStage2SPFResponse": frozenset({"settlementPackDecision", "offer"}),
    "addStage2SPFCounterOfferByCR": frozenset({"generalDamages"}),
    "addStage2SPFCounterOfferByCM": frozenset({"settlementPackCounterOfferDecision", "offer"}),
    "addS2SPFAdditionalDamagesRequest": frozenset({"hireCharges"}),
    "addS2SPFAdditionalDamagesResponse": frozenset({"additionalDamagesDecision", "offer"}),
    "addCPPFRequest": frozenset({"claimantFinalOffer", "defendantFinalOffer"}),
    "addCPPFResponse": frozenset({"finalOffer", "offer"}),
}

HeadsJson = dict[str, dict[str, str]]


def distribute(amount: Any, claimed: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """``amount`` spread over the heads ``claimed`` in order, each up to its gross value; what is left
    goes on the first head (so that an amount above the claim is offered above it). An amount that is
    not a number goes on the first head as it is (and the rest get 0.00)."""
    heads = list(claimed)
    try:
        left = Decimal(str(amount))
        if not left.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return {lt: (str(amount) if i == 0 else "0.00") for i, lt in enumerate(heads)}
    offered: dict[str, Decimal] = {}
    for loss_type in heads:
        share = min(left, Decimal(claimed[loss_type]["gross"])) if left > 0 else Decimal("0.00")
        offered[loss_type] = share
        left -= share
    if heads:
        offered[heads[0]] += left
    text = str(amount).strip()
    if len(heads) == 1:
        return {heads[0]: text}  # exactly as written (so that "1000" or "1000.001" stay so)
    return {lt: f"{value:f}" for lt, value in offered.items()}


def _state_heads(state: Mapping[str, Any] | ClaimState | None, name: str) -> HeadsJson:
    if state is None:
        return {}
    data = state.to_json() if isinstance(state, ClaimState) else state
    return heads_in_order(data.get(name) or {})


def stage2_shorthand(
    protocol: str,
    operation: str,
    payload: dict[str, Any],
    state: Mapping[str, Any] | ClaimState | None = None,
) -> dict[str, Any]:
    """A complete valid Stage 2 form for ``operation``, built from the examples of
    ``protocols.forms.examples`` and a few shorthand keys (``SHORTHAND_KEYS``):

    * ``addInterimSPFRequest(amountRequested=X)``: one head (loss of earnings, 8) of X;
      ``addInterimSPFResponse(amountOffered=Y)``: Y spread over the heads requested.
    * ``addStage2SPFRequest(generalDamages=X)``: one head (general damages, 11) of X;
      ``addStage2SPFCounterOfferByCR(generalDamages=X)``: the heads claimed, general damages X.
    * ``addStage2SPFResponse(settlementPackDecision=D, offer=Y)``, likewise
      ``addStage2SPFCounterOfferByCM(settlementPackCounterOfferDecision=D)`` and
      ``addS2SPFAdditionalDamagesResponse(additionalDamagesDecision=D)``: replies to the heads claimed,
      with the claimant's figures for C/ACO/A, else Y spread over them (or 80 % of each head).
    * ``addS2SPFAdditionalDamagesRequest(hireCharges=X)``: the heads claimed plus car hire (2) of X.
    * ``addCPPFRequest(claimantFinalOffer=, defendantFinalOffer=)``: the heads claimed as the last
      offer; ``addCPPFResponse(finalOffer=, offer=)``.

    The heads claimed are read from the claim's ``state`` (a ClaimState or its JSON) when given. A
    payload that already carries the form, or has other keys, is sent as it is."""
    key = FORM_KEYS.get(operation)
    if key is None or not set(payload) <= SHORTHAND_KEYS[operation]:
        return payload
    rta = protocol == "RTA"
    claimed = _state_heads(state, "claimed_heads")
    offer = payload.get("offer")
    form: dict[str, Any]
    if operation == "addInterimSPFRequest":
        amount = payload.get("amountRequested")
        form = ex.interim_request_example(
            protocol, heads={"8": {"gross": amount}} if amount is not None else None
        )
    elif operation == "addInterimSPFResponse":
        interim = _state_heads(state, "interim_heads") or None
        amount = payload.get("amountOffered")
        offered = (
            distribute(amount, interim or ex.INTERIM_HEADS["RTA" if rta else "ELPL"]) if amount else None
        )
        form = ex.interim_response_example(protocol, claimed=interim, offered=offered)
    elif operation == "addStage2SPFRequest":
        amount = payload.get("generalDamages")
        heads = (
            {"11": {"gross": amount, "percent": "0.00", "interest": "0.00"}} if amount is not None else None
        )
        form = ex.stage2_request_example(protocol, heads=heads)
    elif operation == "addStage2SPFResponse":
        decision = payload.get("settlementPackDecision", "C")
        offered = distribute(offer, claimed) if offer is not None and claimed else None
        form = ex.stage2_response_example(protocol, decision, claimed=claimed or None, offered=offered)
    elif operation == "addStage2SPFCounterOfferByCR":
        if claimed:
            heads = copy.deepcopy(claimed)
            first = "11" if "11" in heads else next(iter(heads))
            lowered = (Decimal(heads[first]["gross"]) * Decimal("0.9")).quantize(Decimal("0.01"))
            heads[first]["gross"] = payload.get("generalDamages", f"{lowered:f}")
            form = ex.counter_offer_by_cr_example(protocol, heads=heads)
        else:
            form = ex.counter_offer_by_cr_example(protocol)
    elif operation == "addStage2SPFCounterOfferByCM":
        decision = payload.get("settlementPackCounterOfferDecision", "ACO")
        offered = distribute(offer, claimed) if offer is not None and claimed else None
        form = ex.counter_offer_by_cm_example(protocol, decision, claimed=claimed or None, offered=offered)
    elif operation == "addS2SPFAdditionalDamagesRequest":
        hire = {"gross": payload.get("hireCharges", "900.00"), "percent": "0.00", "interest": "0.00"}
        form = ex.additional_damages_request_example(heads={**claimed, "2": hire} if claimed else None)
    elif operation == "addS2SPFAdditionalDamagesResponse":
        decision = payload.get("additionalDamagesDecision", "A")
        offered = distribute(offer, claimed) if offer is not None and claimed else None
        form = ex.additional_damages_response_example(decision, claimed=claimed or None, offered=offered)
    elif operation == "addCPPFRequest":
        finals = {
            name: payload[key_]
            for name, key_ in (
                ("claimant_final_offer", "claimantFinalOffer"),
                ("defendant_final_offer", "defendantFinalOffer"),
            )
            if key_ in payload
        }
        form = ex.court_pack_request_example(protocol, heads=claimed or None, **finals)
    else:  # addCPPFResponse
        offered = distribute(offer, claimed) if offer is not None and claimed else None
        extra = {"final_offer": payload["finalOffer"]} if "finalOffer" in payload else {}
        form = ex.court_pack_response_example(protocol, claimed=claimed or None, offered=offered, **extra)
    return {key: form}


def form_shorthand(
    protocol: str,
    operation: str,
    payload: dict[str, Any],
    state: Mapping[str, Any] | ClaimState | None = None,
) -> dict[str, Any]:
    """Every shorthand of this module: the liability decision and the Stage 2 forms."""
    if operation == "sendLiabilityDecision":
        return liability_shorthand(protocol, payload)
    return stage2_shorthand(protocol, operation, payload, state)


def general_damages_claim(gross: str = "3500.00", **more: str) -> dict[str, Any]:
    """The claimed heads of a claim state (as ``stage2_shorthand`` reads it) whose claimant claims
    general damages of ``gross`` (and ``more`` heads: loss type -> gross value), for callers that
    cannot read the claim's state (over HTTP)."""
    heads = {"11": gross, **more}
    return {
        "claimed_heads": {lt: {"gross": g, "percent": "0.00", "interest": "0.00"} for lt, g in heads.items()}
    }
