"""Heads of damage (forms/losses.py): an answer against the heads it answers, a counter offer against
the heads it revises, additional damages against the pack (tables of cases with exact paths and
messages), and properties of per-head offers (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimsportal.protocols.forms.losses import (
    Answer,
    HeadFigures,
    additional_heads_errors,
    answer_errors,
    counter_offer_errors,
    heads_from_json,
    heads_to_json,
    loss_label,
)
from claimsportal.protocols.forms.money import after_contribution

LOC = "form.replies"
CLAIMED = {
    "11": HeadFigures(Decimal("3500.00"), Decimal("0.00"), Decimal("0.00")),
    "8": HeadFigures(Decimal("1200.00"), Decimal("10.00"), Decimal("19.73")),
}


def answer(
    index: int,
    loss_type: str,
    gross: str,
    percent: str = "0.00",
    interest: str | None = "0.00",
    agreed: bool | None = False,
) -> Answer:
    return Answer(
        index,
        loss_type,
        "grossValueOffered",
        Decimal(gross),
        Decimal(percent),
        Decimal(interest) if interest is not None else None,
        agreed,
    )


def good() -> list[Answer]:
    return [answer(0, "11", "3000.00"), answer(1, "8", "1000.00", "10.00", "15.00")]


# (description, answers, agreement, every head, expected problems)
ANSWER_CASES: list[tuple[str, list[Answer], str | None, bool, list[tuple[str, str]]]] = [
    ("lower offers", good(), None, True, []),
    (
        "the full claim, agreed",
        [answer(0, "11", "3500.00", agreed=True), answer(1, "8", "1200.00", "10.00", "19.73", True)],
        None,
        True,
        [],
    ),
    ("nothing offered", [answer(0, "11", "0.00"), answer(1, "8", "0.00", "10.00", "0.00")], None, True, []),
    (
        "a head not claimed",
        [*good(), answer(2, "2", "100.00")],
        None,
        True,
        [
            (
                f"{LOC}.2.lossType",
                "loss type 2 (Car hire) is not a head of the claim: answer only the heads claimed (8, 11)",
            )
        ],
    ),
    (
        "a head claimed but not answered",
        [answer(0, "11", "3000.00")],
        None,
        True,
        [
            (
                LOC,
                "loss type 8 (Loss of earnings (claimant)) is claimed but not answered: reply to every head claimed",
            )
        ],
    ),
    ("a head not answered, when not every head must be", [answer(0, "11", "3000.00")], None, False, []),
    (
        "gross above the claim",
        [answer(0, "11", "3500.01"), good()[1]],
        None,
        True,
        [
            (
                f"{LOC}.0.grossValueOffered",
                "must not be more than the 3500.00 claimed for loss type 11 (General damages (PSLA))",
            )
        ],
    ),
    (
        "a smaller deduction lifts the offer above the claim after deduction",
        [good()[0], answer(1, "8", "1200.00", "5.00", "15.00")],
        None,
        True,
        [
            (
                f"{LOC}.1.percContribNegDeductions",
                "must not be less than the claimant's 10.00 for loss type 8 (Loss of earnings (claimant)): the "
                "offer after the deduction (1140.00) would be more than the 1080.00 claimed after it",
            )
        ],
    ),
    (
        "a smaller deduction on a lower gross value stays within the claim",
        [good()[0], answer(1, "8", "1050.00", "0.00", "15.00")],
        None,
        True,
        [],
    ),
    (
        "interest above the claim",
        [good()[0], answer(1, "8", "1000.00", "10.00", "19.74")],
        None,
        True,
        [
            (
                f"{LOC}.1.interest",
                "must not be more than the 19.73 interest claimed for loss type 8 (Loss of earnings (claimant))",
            )
        ],
    ),
    (
        "agreed but not the amount claimed",
        [answer(0, "11", "3000.00", agreed=True), good()[1]],
        None,
        True,
        [
            (
                f"{LOC}.0.isGrossAmountAgreed",
                "is 1 (agreed) but grossValueOffered 3000.00 is not the 3500.00 claimed for loss type 11 "
                "(General damages (PSLA)): offer the amount claimed, or answer 0 (not agreed)",
            )
        ],
    ),
    (
        "an agreement with the claimant's figures",
        [answer(0, "11", "3500.00", agreed=True), answer(1, "8", "1200.00", "10.00", "19.73", True)],
        "C",
        True,
        [],
    ),
    (
        "an agreement with other figures",
        [answer(0, "11", "3000.00", agreed=True), answer(1, "8", "1200.00", "20.00", "10.00", True)],
        "ACO",
        True,
        [
            (
                f"{LOC}.0.grossValueOffered",
                "must be the 3500.00 claimed for loss type 11 (General damages (PSLA)): ACO accepts the claimant's figures",
            ),
            (
                f"{LOC}.1.percContribNegDeductions",
                "must be the claimant's 10.00 for loss type 8 (Loss of earnings (claimant)): ACO accepts the claimant's figures",
            ),
            (
                f"{LOC}.1.interest",
                "must be the 19.73 interest claimed for loss type 8 (Loss of earnings (claimant)): ACO accepts the claimant's figures",
            ),
        ],
    ),
    (
        "an agreement that leaves a head out",
        [answer(0, "11", "3500.00", agreed=True)],
        "A",
        True,
        [
            (
                LOC,
                "loss type 8 (Loss of earnings (claimant)) is claimed but not answered: reply to every head claimed",
            )
        ],
    ),
    (
        "a form without interest is not compared on interest",
        [
            answer(0, "11", "3000.00", interest=None, agreed=None),
            answer(1, "8", "1000.00", "10.00", None, None),
        ],
        None,
        True,
        [],
    ),
]


@pytest.mark.parametrize(
    ("answers", "agreement", "every_head", "expected"),
    [c[1:] for c in ANSWER_CASES],
    ids=[c[0] for c in ANSWER_CASES],
)
def test_an_answer_against_the_heads_claimed(
    answers: list[Answer], agreement: str | None, every_head: bool, expected: list[tuple[str, str]]
) -> None:
    assert (
        answer_errors(CLAIMED, answers, LOC, agreement=agreement, require_every_head=every_head) == expected
    )


def figures(gross: str, percent: str = "0.00", interest: str = "0.00") -> HeadFigures:
    return HeadFigures(Decimal(gross), Decimal(percent), Decimal(interest))


# (description, heads of the counter offer, expected problems)
COUNTER_CASES: list[tuple[str, dict[int, tuple[str, HeadFigures]], list[tuple[str, str]]]] = [
    ("lower heads", {0: ("11", figures("3200.00")), 1: ("8", figures("1200.00", "10.00", "19.73"))}, []),
    (
        "interest may grow",
        {0: ("11", figures("3500.00")), 1: ("8", figures("1200.00", "10.00", "25.00"))},
        [],
    ),
    ("a head withdrawn with 0.00", {0: ("11", figures("3500.00")), 1: ("8", figures("0.00", "10.00"))}, []),
    (
        "a head raised",
        {0: ("11", figures("4000.00")), 1: ("8", figures("1200.00", "10.00"))},
        [
            (
                f"{LOC}.0.grossValueClaimed",
                "must not be more than the 3500.00 claimed before for loss type 11 (General damages (PSLA)): a counter offer cannot raise a head",
            )
        ],
    ),
    (
        "a smaller deduction raises the head after deduction",
        {0: ("11", figures("3500.00")), 1: ("8", figures("1200.00", "0.00"))},
        [
            (
                f"{LOC}.1.percContribNegDeductions",
                "must not be less than the 10.00 deducted before for loss type 8 (Loss of earnings (claimant)): "
                "the value after the deduction (1200.00) would be more than the 1080.00 claimed before",
            )
        ],
    ),
    (
        "a new head",
        {0: ("11", figures("3500.00")), 1: ("8", figures("1200.00", "10.00")), 2: ("5", figures("10.00"))},
        [
            (
                f"{LOC}.2.lossType",
                "loss type 5 (Medical expenses) is not a head of the claim: a counter offer revises the heads claimed (8, 11)",
            )
        ],
    ),
    (
        "a head left out",
        {0: ("11", figures("3500.00"))},
        [
            (
                LOC,
                "loss type 8 (Loss of earnings (claimant)) is claimed but missing: repeat every head claimed (0.00 withdraws one)",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("heads", "expected"), [c[1:] for c in COUNTER_CASES], ids=[c[0] for c in COUNTER_CASES]
)
def test_a_counter_offer_against_the_heads_it_revises(
    heads: dict[int, tuple[str, HeadFigures]], expected: list[tuple[str, str]]
) -> None:
    assert counter_offer_errors(CLAIMED, heads, LOC) == expected


def test_additional_damages_claim_a_loss_not_claimed_before() -> None:
    assert additional_heads_errors(CLAIMED, ["11", "8", "2"], LOC) == []
    assert additional_heads_errors(CLAIMED, ["2"], LOC) == []
    assert additional_heads_errors({}, ["11"], LOC) == []
    assert additional_heads_errors(CLAIMED, ["11"], LOC) == [
        (
            LOC,
            "must claim at least one loss type that the Stage 2 Settlement Pack did not claim (claimed: 8, 11): "
            "additional damages are losses not claimed before",
        )
    ]


def test_head_figures_travel_as_json() -> None:
    assert heads_from_json(heads_to_json(CLAIMED)) == CLAIMED
    no_interest = {"5": HeadFigures(Decimal("350.00"))}
    assert heads_to_json(no_interest) == {"5": {"gross": "350.00", "percent": "0.00"}}
    assert heads_from_json(heads_to_json(no_interest)) == no_interest
    assert heads_from_json(None) == {}


def test_loss_labels() -> None:
    assert loss_label("2") == "2 (Car hire)"
    assert loss_label("99") == "99 (unknown)"


# --------------------------------------------------------------------------------------------------
# Properties of per-head offers
# --------------------------------------------------------------------------------------------------

MONEY = st.integers(min_value=0, max_value=10**8).map(lambda p: Decimal(p).scaleb(-2))
PERCENT = st.integers(min_value=0, max_value=10_000).map(lambda p: Decimal(p).scaleb(-2))
LOSS_TYPES = [str(n) for n in range(17)]


@st.composite
def claims_and_offers(draw: st.DrawFn) -> tuple[dict[str, HeadFigures], list[Answer]]:
    """Any heads claimed, and an offer per head at most the claim (gross, and interest) with the
    claimant's deduction or a larger one."""
    loss_types = draw(st.lists(st.sampled_from(LOSS_TYPES), min_size=1, max_size=17, unique=True))
    claimed: dict[str, HeadFigures] = {}
    answers: list[Answer] = []
    for index, loss_type in enumerate(loss_types):
        head = HeadFigures(draw(MONEY), draw(PERCENT), draw(MONEY))
        claimed[loss_type] = head
        gross = draw(st.integers(0, int(head.gross * 100)).map(lambda p: Decimal(p).scaleb(-2)))
        percent = draw(st.integers(int(head.percent * 100), 10_000).map(lambda p: Decimal(p).scaleb(-2)))
        interest = draw(st.integers(0, int((head.interest or 0) * 100)).map(lambda p: Decimal(p).scaleb(-2)))
        answers.append(
            Answer(index, loss_type, "grossValueOffered", gross, percent, interest, gross == head.gross)
        )
    order = draw(st.permutations(range(len(answers))))
    return claimed, [answers[i] for i in order]


@given(claims_and_offers())
def test_offers_within_the_claim_are_accepted_in_any_order(
    case: tuple[dict[str, HeadFigures], list[Answer]],
) -> None:
    claimed, answers = case
    assert answer_errors(claimed, answers, LOC) == []
    assert all(a.net <= claimed[a.loss_type].net for a in answers)


@given(claims_and_offers(), st.data())
def test_raising_one_head_above_its_claim_is_refused_at_that_head(
    case: tuple[dict[str, HeadFigures], list[Answer]], data: st.DataObject
) -> None:
    claimed, answers = case
    position = data.draw(st.integers(0, len(answers) - 1))
    raised = answers[position]
    excess = data.draw(MONEY.filter(lambda m: m > 0))
    gross = claimed[raised.loss_type].gross + excess
    answers[position] = Answer(
        raised.index, raised.loss_type, "grossValueOffered", gross, raised.percent, raised.interest, False
    )
    assert answer_errors(claimed, answers, LOC) == [
        (
            f"{LOC}.{raised.index}.grossValueOffered",
            f"must not be more than the {claimed[raised.loss_type].gross} claimed for loss type "
            f"{loss_label(raised.loss_type)}",
        )
    ]


@given(claims_and_offers())
def test_an_agreement_is_exactly_the_claimants_figures(
    case: tuple[dict[str, HeadFigures], list[Answer]],
) -> None:
    claimed, answers = case
    agreed = [
        Answer(a.index, a.loss_type, "grossValueOffered", h.gross, h.percent, h.interest, True)
        for a in answers
        for h in [claimed[a.loss_type]]
    ]
    assert answer_errors(claimed, agreed, LOC, agreement="C") == []
    problems = answer_errors(claimed, answers, LOC, agreement="C")
    differing = [
        a
        for a in answers
        if (a.gross, a.percent, a.interest)
        != (claimed[a.loss_type].gross, claimed[a.loss_type].percent, claimed[a.loss_type].interest)
    ]
    assert bool(problems) == bool(differing)


@given(MONEY, PERCENT)
def test_a_heads_net_value_is_its_gross_value_after_contribution(gross: Decimal, percent: Decimal) -> None:
    assert HeadFigures(gross, percent).net == after_contribution(gross, percent)
