"""Money and percentages of the Stage 2 forms (forms/money.py): a table of accepted and refused
values with their exact messages, and properties of parsing, writing and arithmetic (hypothesis)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError, create_model

from claimsportal.protocols.forms import money
from claimsportal.protocols.forms.money import (
    MAX_AMOUNT,
    Money,
    Percentage,
    after_contribution,
    format_amount,
    parse_money,
    parse_percentage,
    total,
)

AMOUNT: type[BaseModel] = create_model("Amount", value=(Money, ...))
PERCENT: type[BaseModel] = create_model("Percent", value=(Percentage, ...))


def error(model: type[BaseModel], value: Any) -> str | None:
    try:
        model.model_validate({"value": value})
    except ValidationError as exc:
        [only] = exc.errors()
        assert only["loc"] == ("value",)
        return str(only["msg"])
    return None


# (value sent, the amount it is)
ACCEPTED_MONEY: list[tuple[Any, str]] = [
    ("1500.00", "1500.00"),
    ("1500", "1500.00"),
    ("1500.5", "1500.50"),
    ("1.500", "1.50"),  # two decimal places by value, as the XSD counts them
    ("0", "0.00"),
    ("0.01", "0.01"),
    ("  12.34 ", "12.34"),
    ("000123.40", "123.40"),
    ("999999999.99", "999999999.99"),
    (1500, "1500.00"),
    (0, "0.00"),
    (Decimal("12.3"), "12.30"),
    (Decimal("1E+3"), "1000.00"),  # a Decimal from Python is a number, not text
]

# (value sent, the exact message)
REFUSED_MONEY: list[tuple[Any, str]] = [
    ("-0.01", money.NEGATIVE),
    ("-1500.00", money.NEGATIVE),
    ("-0.00", money.NEGATIVE),
    ("-1,500.00", money.NEGATIVE),
    (-5, money.NEGATIVE),
    (Decimal("-0"), money.NEGATIVE),
    ("1.005", money.TOO_PRECISE),
    ("1.001", money.TOO_PRECISE),
    ("0.001", money.TOO_PRECISE),
    (Decimal("0.125"), money.TOO_PRECISE),
    ("NaN", money.NOT_FINITE),
    ("nan", money.NOT_FINITE),
    ("sNaN", money.NOT_FINITE),
    ("Infinity", money.NOT_FINITE),
    ("-inf", money.NOT_FINITE),
    (Decimal("NaN"), money.NOT_FINITE),
    (Decimal("Infinity"), money.NOT_FINITE),
    ("1e3", money.EXPONENT),
    ("1E3", money.EXPONENT),
    ("1.5e2", money.EXPONENT),
    ("1e-2", money.EXPONENT),
    ("1,500.00", money.THOUSANDS),
    ("1,500", money.THOUSANDS),
    ("£1500.00", money.CURRENCY),
    ("1500 GBP", money.NOT_AN_AMOUNT),
    ("+5", money.NOT_AN_AMOUNT),
    (".5", money.NOT_AN_AMOUNT),
    ("5.", money.NOT_AN_AMOUNT),
    ("", money.NOT_AN_AMOUNT),
    ("   ", money.NOT_AN_AMOUNT),
    ("lots", money.NOT_AN_AMOUNT),
    ("1_000", money.NOT_AN_AMOUNT),
    ("0x10", money.NOT_AN_AMOUNT),
    (True, money.NOT_AN_AMOUNT),
    (None, money.NOT_AN_AMOUNT),
    ([1500], money.NOT_AN_AMOUNT),
    ({"amount": "1"}, money.NOT_AN_AMOUNT),
    (1500.5, money.FLOAT),
    (1500.0, money.FLOAT),
    (float("nan"), money.FLOAT),
    ("1000000000", money.TOO_LARGE),
    ("999999999.991", money.TOO_LARGE),
    (10**12, money.TOO_LARGE),
    ("9" * 400, money.TOO_LARGE),
]

ACCEPTED_PERCENT: list[tuple[Any, str]] = [
    ("0", "0.00"),
    ("12.5", "12.50"),
    ("100", "100.00"),
    ("100.00", "100.00"),
    (25, "25.00"),
]
REFUSED_PERCENT: list[tuple[Any, str]] = [
    ("100.01", money.TOO_LARGE_PERCENT),
    ("101", money.TOO_LARGE_PERCENT),
    ("-1", money.NEGATIVE),
    ("12.345", money.TOO_PRECISE_PERCENT),
    ("1e1", money.EXPONENT),
    ("NaN", money.NOT_FINITE),
    ("ten", money.NOT_A_PERCENTAGE),
    (12.5, money.FLOAT),
]


@pytest.mark.parametrize(("value", "amount"), ACCEPTED_MONEY, ids=[repr(v) for v, _ in ACCEPTED_MONEY])
def test_accepted_amount(value: Any, amount: str) -> None:
    assert error(AMOUNT, value) is None
    parsed = AMOUNT.model_validate({"value": value})
    assert parsed.model_dump(mode="json") == {"value": amount}
    assert parsed.model_dump() == {"value": Decimal(amount)}


@pytest.mark.parametrize(("value", "message"), REFUSED_MONEY, ids=[repr(v)[:40] for v, _ in REFUSED_MONEY])
def test_refused_amount(value: Any, message: str) -> None:
    assert error(AMOUNT, value) == message


@pytest.mark.parametrize(("value", "amount"), ACCEPTED_PERCENT)
def test_accepted_percentage(value: Any, amount: str) -> None:
    assert PERCENT.model_validate({"value": value}).model_dump(mode="json") == {"value": amount}


@pytest.mark.parametrize(("value", "message"), REFUSED_PERCENT)
def test_refused_percentage(value: Any, message: str) -> None:
    assert error(PERCENT, value) == message


def test_json_input_is_parsed_as_json_numbers_and_strings() -> None:
    assert AMOUNT.model_validate_json('{"value": "1500.00"}').model_dump(mode="json") == {"value": "1500.00"}
    assert AMOUNT.model_validate_json('{"value": 1500}').model_dump(mode="json") == {"value": "1500.00"}
    with pytest.raises(ValidationError, match="must be sent as a string"):
        AMOUNT.model_validate_json('{"value": 1500.50}')


def test_the_json_schema_documents_a_string_of_plain_digits_or_an_integer() -> None:
    schema = AMOUNT.model_json_schema()["properties"]["value"]
    assert [o["type"] for o in schema["anyOf"]] == ["string", "integer"]
    assert schema["anyOf"][0]["pattern"] == money.AMOUNT_PATTERN
    assert schema["anyOf"][1] == {"type": "integer", "minimum": 0, "maximum": 999999999}
    percent = PERCENT.model_json_schema()["properties"]["value"]
    assert percent["anyOf"][0]["pattern"] == money.PERCENT_PATTERN
    assert percent["anyOf"][1]["maximum"] == 100


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

PENCE = st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100))
AMOUNTS = PENCE.map(lambda pence: Decimal(pence).scaleb(-2))
PERCENTS = st.integers(min_value=0, max_value=10_000).map(lambda hundredths: Decimal(hundredths).scaleb(-2))


def written(amount: Decimal, style: int) -> str:
    """An amount as a client may write it: with 2 places, shortest, or with spaces around."""
    if style == 0:
        return f"{amount:.2f}"
    if style == 1:
        return f"{amount.normalize():f}"
    return f" {amount:.2f}\t"


@given(AMOUNTS, st.integers(0, 2))
def test_every_amount_of_pence_up_to_the_maximum_is_read_exactly_and_written_with_two_places(
    amount: Decimal, style: int
) -> None:
    parsed = parse_money(written(amount, style))
    assert parsed == amount
    assert format_amount(parsed) == f"{amount:.2f}"
    assert parse_money(format_amount(parsed)) == parsed  # what the portal writes, it reads back


@given(AMOUNTS.filter(lambda a: a > 0))
def test_a_negative_amount_is_refused(amount: Decimal) -> None:
    assert error(AMOUNT, f"-{amount:f}") == money.NEGATIVE
    assert error(AMOUNT, -amount) == money.NEGATIVE


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=3, max_value=8))
def test_an_amount_with_fractions_of_a_penny_is_refused(units: int, places: int) -> None:
    value = Decimal(units).scaleb(-places)
    if value > MAX_AMOUNT:
        assert error(AMOUNT, f"{value:f}") == money.TOO_LARGE
    elif value == value.quantize(Decimal("0.01")):
        assert error(AMOUNT, f"{value:f}") is None  # trailing zeros only: a whole number of pence
    else:
        assert error(AMOUNT, f"{value:f}") == money.TOO_PRECISE


@given(
    st.integers(min_value=1, max_value=10**6), st.integers(min_value=-5, max_value=5), st.sampled_from("eE")
)
def test_exponent_notation_is_refused_whatever_its_value(mantissa: int, exponent: int, e: str) -> None:
    assert error(AMOUNT, f"{mantissa}{e}{exponent}") == money.EXPONENT


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_float_is_never_accepted(value: float) -> None:
    assert error(AMOUNT, value) == money.FLOAT


@given(st.sampled_from(["nan", "NaN", "snan", "inf", "Infinity", "-Infinity", "+inf"]))
def test_nan_and_infinity_are_refused(value: str) -> None:
    assert error(AMOUNT, value) == money.NOT_FINITE


@given(st.integers(min_value=int(MAX_AMOUNT * 100) + 1, max_value=10**20))
def test_anything_above_the_maximum_is_refused(pence: int) -> None:
    assert error(AMOUNT, f"{Decimal(pence).scaleb(-2):f}") == money.TOO_LARGE


@given(AMOUNTS, PERCENTS)
def test_the_value_after_contribution_is_the_exact_value_rounded_half_up_to_the_penny(
    gross: Decimal, percent: Decimal
) -> None:
    exact = Fraction(gross) * (100 - Fraction(percent)) / 100
    pence = exact * 100
    rounded = int(pence) + (1 if pence - int(pence) >= Fraction(1, 2) else 0)
    net = after_contribution(gross, percent)
    assert net == Decimal(rounded).scaleb(-2)
    assert net == (gross * (100 - percent) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(0) <= net <= gross
    assert percent != 0 or net == gross


@given(st.lists(AMOUNTS, max_size=40))
def test_a_total_is_the_exact_sum(amounts: list[Decimal]) -> None:
    exact = sum((Fraction(a) for a in amounts), Fraction(0))
    assert Fraction(total(amounts)) == exact
    assert format_amount(total(amounts)) == f"{total(amounts):.2f}"


def test_percentages_and_amounts_share_the_reading_rules() -> None:
    assert parse_percentage("99.99") == Decimal("99.99")
    assert parse_money("99.99") == Decimal("99.99")


_TRICKY = [
    "0", "1", "1.5", "1.50", "1.500", "1.505", "0001.00", "999999999.99", "999999999.990", "1000000000",
    "0000999999999.99", "100", "100.0", "100.00", "100.01", "101", "99.99", "99.999", ".5", "5.", "1e3",
    "1,500.00", "£1", "-1", "+1", " 1.00", "1.00 ", "\u00a01.00\u3000", "\t1\n", "\u20091\u202f",
    "\u200b1", "1 000", "", " ", "NaN", "Infinity", "\u0661\u0662", "\uff11",
]  # fmt: skip


@pytest.mark.parametrize(
    ("parse", "pattern"),
    [(money.parse_money, money.AMOUNT_PATTERN), (money.parse_percentage, money.PERCENT_PATTERN)],
    ids=["amount", "percentage"],
)
def test_the_documented_pattern_takes_exactly_what_the_parser_takes(parse: Any, pattern: str) -> None:
    import re

    from pydantic_core import PydanticCustomError

    def parsed(text: str) -> bool:
        try:
            parse(text)
        except PydanticCustomError:
            return False
        return True

    disagree = [text for text in _TRICKY if parsed(text) != bool(re.search(pattern, text))]
    assert disagree == []


@given(st.text(alphabet="0123456789. \t\u00a0\u3000+-e", max_size=14))
def test_the_documented_amount_pattern_agrees_with_the_parser_on_any_text(text: str) -> None:
    import re

    from pydantic_core import PydanticCustomError

    try:
        money.parse_money(text)
        accepted = True
    except PydanticCustomError:
        accepted = False
    assert accepted == bool(re.search(money.AMOUNT_PATTERN, text))
