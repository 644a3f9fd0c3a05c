"""Plain English for an unrepresented claimant: where their claim is, what happens next, what an
offer means. Used by the guided journey's pages (``web/litigant``) and the reminder e-mails, so a
page and an e-mail never say it differently. No phase ID, operation name or code reaches the person."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    title: str  # where the claim is, in a few words
    now: str  # what is happening
    you: str  # what the claimant can (or must) do


STAGES_OVERVIEW = [
    (
        "Stage 1: you send the claim",
        "You fill in the Claim Notification Form (CNF) and send it to the insurer of the person or "
        "business you say is at fault. The insurer must acknowledge it and then decide whether they "
        "accept that they are liable (responsible) for your injury.",
    ),
    (
        "Stage 2: you agree how much",
        "If the insurer accepts liability, you get a medical report and send a Stage 2 Settlement Pack "
        "saying how much you are claiming. The insurer replies: they may agree, make an offer, or refuse. "
        "You can accept an offer or make a counter offer.",
    ),
    (
        "Stage 3: the court decides",
        "If you cannot agree, you send a Court Proceedings Pack and the court decides the amount.",
    ),
]

_OFFER_MEANING = (
    "An offer is the amount the insurer is willing to pay to settle your claim. If you accept it, your "
    "claim is settled for that amount and you cannot ask for more later. If you do not accept it, you "
    "can make a counter offer (say what you would accept), or if you cannot agree, the court can decide."
)

OFFER_MEANING = _OFFER_MEANING

_WAITING_FOR_INSURER = "There is nothing for you to do now: the insurer must act by the date shown."

STAGES: dict[str, Stage] = {
    "ClaimDataInputEdit": Stage(
        "You have not sent your claim yet",
        "Your claim form is saved as a draft.",
        "Finish the claim form and send it to the insurer.",
    ),
    "ClaimSubmitted": Stage(
        "Your claim has been sent",
        "The insurer must acknowledge your claim.",
        _WAITING_FOR_INSURER,
    ),
    "ClaimAcknowledgement": Stage(
        "Your claim has been sent", "The insurer must acknowledge your claim.", _WAITING_FOR_INSURER
    ),
    "Article75Decision": Stage(
        "The insurer is looking at your claim",
        "The insurer has acknowledged your claim and is deciding who deals with it.",
        _WAITING_FOR_INSURER,
    ),
    "LiabilityDecision": Stage(
        "The insurer is deciding on liability",
        "The insurer must decide whether they accept that they are liable (responsible) for your injury.",
        _WAITING_FOR_INSURER,
    ),
    "LiabilityAdmitted": Stage(
        "The insurer accepts liability",
        "The insurer accepts that they are responsible for your injury. Your claim can go on to Stage 2, "
        "where you agree how much you should be paid.",
        "Confirm that you have read the decision, then get a medical report and prepare your Stage 2 "
        "Settlement Pack.",
    ),
    "LiabilityAdmittedForChild": Stage(
        "The insurer accepts liability",
        "The insurer accepts that they are responsible for the injury.",
        "Confirm that you have read the decision. A child's settlement must be approved by a court.",
    ),
    "LiabilityAdmittedWithNegligence": Stage(
        "The insurer says you were partly to blame",
        "The insurer accepts liability but says you were partly responsible (contributory negligence). "
        "The claim leaves the portal process.",
        "You may want legal advice. You can continue your claim outside the portal.",
    ),
    "LiabilityNotAdmitted": Stage(
        "The insurer does not accept liability",
        "The insurer does not accept that they are responsible. The claim leaves the portal process.",
        "You may want legal advice. You can continue your claim outside the portal, through the court.",
    ),
    "LiabilityDecisionTimeout": Stage(
        "The insurer did not decide in time",
        "The insurer did not decide on liability by the time limit. The claim leaves the portal process.",
        "You can continue your claim outside the portal, through the court.",
    ),
    "StartOfStage21": Stage(
        "Stage 2: before you send your Settlement Pack",
        "You can ask for an interim (early) payment, or go straight to your Stage 2 Settlement Pack.",
        "Say whether you need an interim payment, then send your Stage 2 Settlement Pack.",
    ),
    "Stage2SettlementPackForm": Stage(
        "Stage 2: send your Settlement Pack",
        "You now say how much you are claiming, with your medical report.",
        "Fill in and send the Stage 2 Settlement Pack.",
    ),
    "Stage2SettlementPackDecision": Stage(
        "The insurer is considering your Settlement Pack",
        "The insurer must agree your figures, make an offer, or refuse.",
        _WAITING_FOR_INSURER,
    ),
    "Stage2SettlementPackConfirmation": Stage(
        "The insurer agrees your figures",
        "The insurer has agreed to pay the amounts you claimed. Your claim is settled.",
        "Confirm that you have read the decision. The insurer pays you.",
    ),
    "Stage2SettlementPackRepudiation": Stage(
        "The insurer refuses to pay",
        "The insurer has refused your Settlement Pack.",
        "Confirm that you have read the decision. You may want legal advice.",
    ),
    "Stage2SettlementPackCounterOfferDecision": Stage(
        "The insurer has made you an offer",
        "The insurer has offered an amount to settle your claim. " + _OFFER_MEANING,
        "Decide whether to accept the offer or make a counter offer, by the date shown.",
    ),
    "Stage2SettlementPackCounterOfferCR": Stage(
        "Make your counter offer",
        "You chose to make a counter offer: the amounts you would accept.",
        "Send your counter offer by the date shown.",
    ),
    "Stage2SettlementPackCounterOfferDecisionCM": Stage(
        "The insurer is considering your counter offer",
        "The insurer must accept your counter offer or make a new offer.",
        _WAITING_FOR_INSURER,
    ),
    "Stage2SettlementPackAgreementDecision": Stage(
        "Decide on the insurer's offer",
        "The insurer's offer stands. " + _OFFER_MEANING,
        "Say whether you accept the offer.",
    ),
    "Stage2SettlementPackAgreedCR": Stage(
        "You have accepted the offer",
        "You accepted the insurer's offer. The insurer confirms it, then pays you.",
        "There is nothing for you to do now.",
    ),
    "Stage2SettlementPackNotAgreed": Stage(
        "No agreement",
        "You and the insurer have not agreed an amount.",
        "You can go on to the Court Proceedings Pack, so that a court decides.",
    ),
    "CourtProceedingsPackForm": Stage(
        "Stage 3: the Court Proceedings Pack",
        "You have not agreed an amount, so a court will decide.",
        "Fill in and send the Court Proceedings Pack.",
    ),
    "CourtProceedingsPackFormResponse": Stage(
        "The insurer is answering your Court Proceedings Pack",
        "The insurer must reply to your Court Proceedings Pack.",
        _WAITING_FOR_INSURER,
    ),
    "EndOfStage2": Stage(
        "Ready for court",
        "Your Court Proceedings Pack is complete. You can now issue proceedings at the court.",
        "Print your Court Proceedings Pack and take the next steps at the court.",
    ),
    "ExitProcess": Stage(
        "Your claim has left the portal process",
        "Your claim can no longer continue in the portal.",
        "Confirm that you have read this. You can continue your claim outside the portal.",
    ),
    "Stage2SettlementPackAgreedEnd": Stage(
        "Your claim is settled",
        "You and the insurer agreed the amount. The insurer pays you.",
        "There is nothing more to do in the portal. Keep a printed copy for your records.",
    ),
    "Stage2SettlementPackConfirmationEnd": Stage(
        "Your claim is settled",
        "The insurer agreed your figures. The insurer pays you.",
        "There is nothing more to do in the portal. Keep a printed copy for your records.",
    ),
}

# The offers a claimant decides on: accepting takes these operations, in order (each through perform).
OFFER_PHASES = frozenset(
    {"Stage2SettlementPackCounterOfferDecision", "Stage2SettlementPackAgreementDecision"}
)


def stage_for(phase: str, phase_name: str, *, claimant_acts: bool) -> Stage:
    """The words for ``phase``; a phase with no words of its own says who acts, in plain terms."""
    found = STAGES.get(phase)
    if found is not None:
        return found
    if claimant_acts:
        return Stage(
            phase_name, "It is your turn to act on your claim.", "Choose what to do from the list below."
        )
    return Stage(phase_name, "The insurer is dealing with your claim.", _WAITING_FOR_INSURER)
