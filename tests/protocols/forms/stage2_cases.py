"""Cases the Stage 2 form tests share: the blocks every pack has (contacts, amounts, heads, statement
of truth, agreement details), as (changes to a valid form, {error path: message}).

A message is the exact text of the portal's own rules, or a fragment of pydantic's standard messages
("Field required", "at most 25 characters" …)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from claimsportal.protocols.forms import money
from tests.protocols.forms.helpers import MISSING, errors_of, with_changes

TODAY = date(2026, 3, 2)
Case = tuple[dict[str, Any], dict[str, str]]


def case(changes: dict[str, Any], path: str, message: str) -> Case:
    return changes, {path: message}


def check(
    form: type[BaseModel], base: dict[str, Any], changes: dict[str, Any], expected: dict[str, str]
) -> None:
    """``changes`` make ``base`` invalid with exactly the ``expected`` errors (path: message or fragment)."""
    errors = errors_of(form, with_changes(base, changes), TODAY)
    assert set(errors) == set(expected), errors
    for path, message in expected.items():
        assert message in errors[path], (path, errors[path])


def ids(cases: list[Case]) -> list[str]:
    return [f"{','.join(e)}:{next(iter(e.values()))[:40]}" for _, e in cases]


def parametrize(cases: list[Case]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("changes", "expected"), cases, ids=ids(cases))


def money_cases(path: str, *, required: bool = True) -> list[Case]:
    """Every way an amount is refused, at ``path``."""
    cases = [
        case({path: "-1.00"}, path, money.NEGATIVE),
        case({path: "1.005"}, path, money.TOO_PRECISE),
        case({path: "1e3"}, path, money.EXPONENT),
        case({path: "NaN"}, path, money.NOT_FINITE),
        case({path: "Infinity"}, path, money.NOT_FINITE),
        case({path: 12.5}, path, money.FLOAT),
        case({path: "1000000000.00"}, path, money.TOO_LARGE),
        case({path: "1,000.00"}, path, money.THOUSANDS),
        case({path: "£10"}, path, money.CURRENCY),
        case({path: "ten pounds"}, path, money.NOT_AN_AMOUNT),
    ]
    if required:
        cases.append(case({path: MISSING}, path, "Field required"))
    return cases


def percent_cases(path: str) -> list[Case]:
    return [
        case({path: "100.01"}, path, money.TOO_LARGE_PERCENT),
        case({path: "-5"}, path, money.NEGATIVE),
        case({path: "33.333"}, path, money.TOO_PRECISE_PERCENT),
        case({path: "5e1"}, path, money.EXPONENT),
        case({path: MISSING}, path, "Field required"),
    ]


def flag_cases(path: str, *, required: bool = True) -> list[Case]:
    cases = [case({path: "2"}, path, "'1' or '0'"), case({path: "Y"}, path, "'1' or '0'")]
    if required:
        cases.append(case({path: MISSING}, path, "Field required"))
    return cases


def comments_cases(path: str, limit: int = 500) -> list[Case]:
    return [case({path: "C" * (limit + 1)}, path, f"at most {limit} characters")]


def contact_cases(prefix: str) -> list[Case]:
    """A pack's contact (``PackContact``)."""
    return [
        case({f"{prefix}.contactName": MISSING}, f"{prefix}.contactName", "Field required"),
        case({f"{prefix}.contactName": "  "}, f"{prefix}.contactName", "at least 1 character"),
        case({f"{prefix}.contactName": "N" * 26}, f"{prefix}.contactName", "at most 25 characters"),
        case(
            {f"{prefix}.contactMiddleName": "N" * 26}, f"{prefix}.contactMiddleName", "at most 25 characters"
        ),
        case({f"{prefix}.contactSurname": MISSING}, f"{prefix}.contactSurname", "Field required"),
        case({f"{prefix}.contactSurname": "S" * 26}, f"{prefix}.contactSurname", "at most 25 characters"),
        case({f"{prefix}.emailAddress": "claims.example"}, f"{prefix}.emailAddress", "pattern"),
        case({f"{prefix}.emailAddress": "a@" + "b" * 95 + ".com"}, f"{prefix}.emailAddress", "at most 100"),
        case({f"{prefix}.referenceNumber": MISSING}, f"{prefix}.referenceNumber", "Field required"),
        case({f"{prefix}.referenceNumber": "#REF1"}, f"{prefix}.referenceNumber", "pattern"),
        case({f"{prefix}.referenceNumber": "R" * 51}, f"{prefix}.referenceNumber", "at most 50"),
        case({f"{prefix}.telephoneNumber": "call me"}, f"{prefix}.telephoneNumber", "pattern"),
        case({f"{prefix}.faxNumber": "0113"}, f"{prefix}.faxNumber", "Extra inputs"),
    ]


def medco_cases(prefix: str) -> list[Case]:
    return [
        *flag_cases(f"{prefix}.softTissue"),
        case(
            {f"{prefix}.medCoCaseID": MISSING},
            f"{prefix}.medCoCaseID",
            "is required when softTissue is 1 (Yes): give the MedCo case ID, e.g. 123456/1",
        ),
        case({f"{prefix}.medCoCaseID": "123456-1"}, f"{prefix}.medCoCaseID", "pattern"),
        case({f"{prefix}.medCoCaseID": "1234567890/1"}, f"{prefix}.medCoCaseID", "at most 11"),
    ]


def statement_cases(prefix: str = "statementOfTruth") -> list[Case]:
    return [
        case(
            {f"{prefix}.retainedSignedCopy": "0"},
            f"{prefix}.retainedSignedCopy",
            "must be 1 (Yes): the pack is only sent once the signed statement of truth is kept",
        ),
        case({f"{prefix}.retainedSignedCopy": MISSING}, f"{prefix}.retainedSignedCopy", "Field required"),
        case({f"{prefix}.signatoryType": "X"}, f"{prefix}.signatoryType", "'S' or 'C'"),
        case({f"{prefix}.signatoryType": MISSING}, f"{prefix}.signatoryType", "Field required"),
        case({prefix: MISSING}, prefix, "Field required"),
    ]


def agreement_details_cases(prefix: str) -> list[Case]:
    return [
        *money_cases(f"{prefix}.grossAmount"),
        case({f"{prefix}.interimPaymentAmount": MISSING}, f"{prefix}.interimPaymentAmount", "Field required"),
        case({f"{prefix}.interimPaymentAmount": "-0.01"}, f"{prefix}.interimPaymentAmount", money.NEGATIVE),
        *comments_cases(f"{prefix}.comments"),
    ]


def cru_reference_cases(prefix: str) -> list[Case]:
    return [
        case({f"{prefix}.cruReferenceNumber": "AB1234"}, f"{prefix}.cruReferenceNumber", "pattern"),
        case(
            {f"{prefix}.cruReferenceNumber": MISSING},
            f"{prefix}.cruComment",
            "is required when no cruReferenceNumber is given: explain why the CRU reference is not known",
        ),
        *comments_cases(f"{prefix}.cruComment"),
        case({prefix: MISSING}, prefix, "Field required"),
    ]


PSLA_ONLY = "is only allowed on the general damages (PSLA) heads, loss types 11, 12 and 16"
UPLIFT_ONLY = "is only allowed when excepCircumstancesUplift is 1 (Yes)"
UPLIFT_REQUIRED = "is required when excepCircumstancesUplift is 1 (Yes): give the uplift, 1 to 20 %"


def tariff_cases(psla: str, other: str, *, with_note: bool) -> list[Case]:
    """The R7 tariff fields of RTA heads; ``psla`` is a general damages head with an uplift of 10 %
    (and a note when ``with_note``), ``other`` a head of another loss type."""
    cases = [
        case({f"{psla}.tariffType": "3"}, f"{psla}.tariffType", "'1' or '2'"),
        case(
            {f"{psla}.selectDurationOfTheInjury": "8"}, f"{psla}.selectDurationOfTheInjury", "Input should be"
        ),
        case({f"{psla}.excepCircumstancesUplift": "2"}, f"{psla}.excepCircumstancesUplift", "'1' or '0'"),
        case(
            {f"{psla}.excepCircumstancesUpliftPerc": 21},
            f"{psla}.excepCircumstancesUpliftPerc",
            "less than or equal to 20",
        ),
        case(
            {f"{psla}.excepCircumstancesUpliftPerc": 0},
            f"{psla}.excepCircumstancesUpliftPerc",
            "greater than or equal to 1",
        ),
        case({f"{other}.tariffType": "1"}, f"{other}.tariffType", PSLA_ONLY),
        case({f"{other}.selectDurationOfTheInjury": "2"}, f"{other}.selectDurationOfTheInjury", PSLA_ONLY),
        case({f"{other}.excepCircumstancesUplift": "0"}, f"{other}.excepCircumstancesUplift", PSLA_ONLY),
        case(
            {f"{other}.excepCircumstancesUpliftPerc": 5}, f"{other}.excepCircumstancesUpliftPerc", PSLA_ONLY
        ),
    ]
    if with_note:
        cases += [
            case(
                {f"{psla}.excepCircumstancesUpliftPerc": MISSING},
                f"{psla}.excepCircumstancesUpliftPerc",
                UPLIFT_REQUIRED,
            ),
            (
                {f"{psla}.excepCircumstancesUplift": "0"},
                {
                    f"{psla}.excepCircumstancesUpliftPerc": UPLIFT_ONLY,
                    f"{psla}.excepCircumstancesUpliftNote": UPLIFT_ONLY,
                },
            ),
            case(
                {f"{psla}.excepCircumstancesUpliftNote": "N" * 256},
                f"{psla}.excepCircumstancesUpliftNote",
                "at most 255",
            ),
            case(
                {f"{other}.excepCircumstancesUpliftNote": "Note"},
                f"{other}.excepCircumstancesUpliftNote",
                PSLA_ONLY,
            ),
        ]
    else:
        cases += [
            case(
                {f"{psla}.excepCircumstancesUplift": "1"},
                f"{psla}.excepCircumstancesUpliftPerc",
                UPLIFT_REQUIRED,
            ),
            case(
                {f"{psla}.excepCircumstancesUpliftPerc": 10},
                f"{psla}.excepCircumstancesUpliftPerc",
                UPLIFT_ONLY,
            ),
            case(
                {f"{psla}.excepCircumstancesUpliftNote": "Note"},
                f"{psla}.excepCircumstancesUpliftNote",
                "Extra inputs",
            ),
        ]
    return cases


def no_tariff_cases(head: str) -> list[Case]:
    """EL/PL heads have no tariff fields."""
    return [
        case({f"{head}.{name}": value}, f"{head}.{name}", "Extra inputs")
        for name, value in (
            ("tariffType", "1"),
            ("selectDurationOfTheInjury", "1"),
            ("excepCircumstancesUplift", "0"),
            ("excepCircumstancesUpliftPerc", 5),
        )
    ]


def duplicate_case(heads: str, first_loss_type: str, label: str) -> Case:
    """The second head repeats the first head's loss type."""
    return case(
        {f"{heads}.1.lossType": first_loss_type},
        f"{heads}.1.lossType",
        f"loss type {first_loss_type} ({label}) is already head 0: give one head per loss type",
    )


def head_list_cases(heads: str) -> list[Case]:
    return [
        case({heads: []}, heads, "at least 1 item"),
        case({heads: MISSING}, heads, "Field required"),
    ]


def claimant_head_cases(heads: str, rta: bool) -> list[Case]:
    """The claimant's heads of the S2SP, counter offer and additional damages request."""
    cases = [
        case({f"{heads}.0.lossType": MISSING}, f"{heads}.0.lossType", "Field required"),
        case({f"{heads}.0.lossType": "17"}, f"{heads}.0.lossType", "Input should be"),
        *flag_cases(f"{heads}.1.evidenceAttached"),
        *comments_cases(f"{heads}.1.comments"),
        *money_cases(f"{heads}.1.grossValueClaimed"),
        *percent_cases(f"{heads}.1.percContribNegDeductions"),
        *money_cases(f"{heads}.1.interest"),
        duplicate_case(heads, "11", "General damages (PSLA)"),
        *head_list_cases(heads),
        case(
            {f"{heads}.1.valueClaimedAfterContrib": "1.00"},
            f"{heads}.1.valueClaimedAfterContrib",
            "Extra inputs",
        ),
    ]
    if rta:
        cases += tariff_cases(f"{heads}.0", f"{heads}.1", with_note=True)
    else:
        cases += [
            *no_tariff_cases(f"{heads}.0"),
            case({f"{heads}.1.lossType": "3"}, f"{heads}.1.lossType", "Input should be"),
            case({f"{heads}.1.lossType": "16"}, f"{heads}.1.lossType", "Input should be"),
        ]
    return cases


def reply_head_cases(replies: str, gross: str, rta: bool) -> list[Case]:
    """The compensator's replies per head (first response, counter offer, additional damages)."""
    cases = [
        case({f"{replies}.0.lossType": "x"}, f"{replies}.0.lossType", "Input should be"),
        *flag_cases(f"{replies}.1.isGrossAmountAgreed"),
        *comments_cases(f"{replies}.1.comments"),
        *money_cases(f"{replies}.1.{gross}"),
        *percent_cases(f"{replies}.1.percContribNegDeductions"),
        *money_cases(f"{replies}.1.interest"),
        duplicate_case(replies, "11", "General damages (PSLA)"),
        case({f"{replies}.1.evidenceAttached": "1"}, f"{replies}.1.evidenceAttached", "Extra inputs"),
    ]
    if rta:
        cases += tariff_cases(f"{replies}.0", f"{replies}.1", with_note=False)
    else:
        cases += no_tariff_cases(f"{replies}.0")
    return cases
