"""Money and percentages of the Stage 2 forms (WORKFLOW.md §6.1 ``ST_Value``/``ST_Percent``, §14 rule 15).

An amount is a :class:`~decimal.Decimal` of pounds with at most two decimal places (whole pence),
never negative, never NaN or infinite, and at most :data:`MAX_AMOUNT`. In JSON it is a **string**
written in plain digits (``"1500.00"``); the portal always writes it back with two decimal places.

Decisions (recorded here; WORKFLOW.md leaves them open):

* **Strings and integers only.** A JSON string of plain digits (``"1500"``, ``"1500.5"``,
  ``"1500.50"``; surrounding spaces are ignored) or a JSON integer (``1500``) is accepted. A JSON
  number with a decimal point (``1500.5``) is refused: it reaches the server as a binary float, which
  cannot hold most amounts of pence exactly, and refusing it always is clearer than refusing only the
  floats that happen to be inexact. Python callers may pass a ``Decimal``.
* **Plain digits only.** ``"1e3"`` is refused although it is a valid decimal ("write 1000.00"), as are
  signs (``"+5"``), thousands separators (``"1,500.00"``), a currency sign (``"£1500"``) and a bare
  point (``".5"``, ``"5."``). Each gets its own message, so that a person can correct it.
* **Two decimal places by value**, as the XSD's ``fractionDigits`` counts them: ``"1.50"`` and
  ``"1.500"`` are the same amount and accepted; ``"1.005"`` is refused (it is not a whole number of
  pence). Negative zero (``"-0.00"``) is refused as negative: it is always a keying or sign error.
* **A sanity maximum, not the protocol limit.** Any single amount may be at most 999,999,999.99 (the
  XSD allows 15 digits). The protocol's upper limit (£25,000 on a full-liability basis, §2.2) is not
  enforced on the forms: the claim's value excludes interest and, for RTA, vehicle-related damages,
  and a claim found to be above the limit leaves the process by exit code 3 (§9.2) instead.
* **Percentages** (``PercContribNegDeductions``, ``PercInterestRate``) follow the same rules with a
  maximum of 100 and are written ``"25.00"``.
* **Arithmetic is exact** :class:`~decimal.Decimal` arithmetic in a 50-digit context. The value of a
  head after a contributory negligence deduction is ``gross * (100 - percent) / 100`` rounded half up
  to the penny (§14 rule 15); a total is the exact sum of such values, computed by the portal and never
  read from the client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MAX_AMOUNT = Decimal("999999999.99")
MAX_PERCENT = HUNDRED

_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NOT_FINITE = frozenset({"nan", "snan", "inf", "infinity"})

# Messages (one per way an amount can be wrong), so that tests and clients can rely on them.
NOT_AN_AMOUNT = 'must be an amount of money in plain digits with up to 2 decimal places, e.g. "1500.00"'
NOT_A_PERCENTAGE = 'must be a percentage in plain digits with up to 2 decimal places, e.g. "25.00"'
NEGATIVE = "must not be negative"
NOT_FINITE = 'must be a finite number, e.g. "1500.00" (not NaN or Infinity)'
EXPONENT = 'must be written in plain digits without an exponent, e.g. "1000.00" rather than "1e3"'
THOUSANDS = 'must be written without thousands separators, e.g. "1500.00" rather than "1,500.00"'
CURRENCY = 'must be written without a currency sign, e.g. "1500.00"'
FLOAT = (
    'must be sent as a string, e.g. "1500.50": a JSON number with a decimal point is a binary '
    "floating-point value and cannot hold pence exactly"
)
TOO_PRECISE = "must have at most 2 decimal places (whole pence)"
TOO_PRECISE_PERCENT = "must have at most 2 decimal places"
TOO_LARGE = f"must not be more than {MAX_AMOUNT}"
TOO_LARGE_PERCENT = "must not be more than 100"


def _error(message: str) -> PydanticCustomError:
    return PydanticCustomError("decimal_amount", message)


def _classify_text(text: str, generic: str) -> PydanticCustomError:
    """The most helpful message for a string that is not plain digits."""
    lowered = text.lower()
    if lowered.lstrip("+-") in _NOT_FINITE:
        return _error(NOT_FINITE)
    try:
        parsed = Decimal(text)
    except InvalidOperation:
        if "£" in text or "$" in text or "€" in text:
            return _error(CURRENCY)
        if re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", text):
            return _error(NEGATIVE if text.startswith("-") else THOUSANDS)
        return _error(generic)
    if text.startswith("-") and parsed.is_finite():
        return _error(NEGATIVE)
    if "e" in lowered:
        return _error(EXPONENT)
    return _error(generic)


def _parse(value: Any, *, generic: str, places_message: str, maximum: Decimal, too_large: str) -> Decimal:
    if isinstance(value, bool):
        raise _error(generic)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        raise _error(FLOAT)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _error(NOT_FINITE)
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not _PLAIN.fullmatch(text):
            raise _classify_text(text, generic)
        number = Decimal(text)
    else:
        raise _error(generic)
    if number.is_signed():
        raise _error(NEGATIVE)
    if number > maximum:
        raise _error(too_large)
    if number != number.quantize(PENNY):
        raise _error(places_message)
    return number.quantize(PENNY)


def parse_money(value: Any) -> Decimal:
    """An amount of money (see the module docstring), quantized to the penny."""
    return _parse(
        value, generic=NOT_AN_AMOUNT, places_message=TOO_PRECISE, maximum=MAX_AMOUNT, too_large=TOO_LARGE
    )


def parse_percentage(value: Any) -> Decimal:
    """A percentage 0-100 with at most 2 decimal places."""
    return _parse(
        value,
        generic=NOT_A_PERCENTAGE,
        places_message=TOO_PRECISE_PERCENT,
        maximum=MAX_PERCENT,
        too_large=TOO_LARGE_PERCENT,
    )


# What the parser takes, as JSON Schema (ECMA-262) and Python patterns alike: the white space str.strip
# removes that a request can carry (the text rule, core.text, refuses the control characters among it),
# leading zeros, and decimals beyond the pence only as zeros (1.500 is 1.50).
_SPACE = r"[\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
AMOUNT_PATTERN = rf"^{_SPACE}0*[0-9]{{1,9}}(\.[0-9]{{1,2}}0*)?{_SPACE}$"
PERCENT_PATTERN = rf"^{_SPACE}0*(100(\.0+)?|[0-9]{{1,2}}(\.[0-9]{{1,2}}0*)?){_SPACE}$"

AMOUNT_WORDS = (
    "An amount in pounds: plain digits, at most 2 decimal places (more only as trailing zeros), at most "
    "999999999.99; surrounding white space is ignored; JSON integers are also accepted"
)
PERCENT_WORDS = (
    "A percentage from 0 to 100: plain digits, at most 2 decimal places (more only as trailing zeros); "
    "surrounding white space is ignored; JSON integers are also accepted"
)


def _json_schema(pattern: str, maximum: int, words: str, example: str) -> dict[str, Any]:
    """A string of the pattern or a JSON integer in range (the string first: the web's forms read its
    description for the kind of the field)."""
    return {
        "anyOf": [
            {"type": "string", "pattern": pattern, "description": words, "examples": [example]},
            {"type": "integer", "minimum": 0, "maximum": maximum},
        ],
        "description": words,
    }


def format_amount(value: Decimal) -> str:
    """The JSON form: plain digits with two decimal places (``"1500.00"``)."""
    return f"{value.quantize(PENNY):f}"


Money = Annotated[
    Decimal,
    PlainValidator(parse_money),
    PlainSerializer(format_amount, return_type=str, when_used="json"),
    WithJsonSchema(_json_schema(AMOUNT_PATTERN, int(MAX_AMOUNT), AMOUNT_WORDS, "1500.00")),
]
"""ST_Value as the portal accepts it (see the module docstring)."""

Percentage = Annotated[
    Decimal,
    PlainValidator(parse_percentage),
    PlainSerializer(format_amount, return_type=str, when_used="json"),
    WithJsonSchema(_json_schema(PERCENT_PATTERN, int(MAX_PERCENT), PERCENT_WORDS, "25.00")),
]
"""ST_Percent (0-100, 2 decimal places) as the portal accepts it."""


def after_contribution(gross: Decimal, percent: Decimal) -> Decimal:
    """``gross`` less ``percent`` % contributory negligence, rounded half up to the penny."""
    with localcontext() as context:
        context.prec = 50
        return (gross * (HUNDRED - percent) / HUNDRED).quantize(PENNY, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``amounts`` (0.00 for none)."""
    with localcontext() as context:
        context.prec = 50
        return sum(amounts, ZERO)
