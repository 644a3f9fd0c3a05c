"""The shared validation types and structures of the forms (WORKFLOW.md §6.1), table-driven."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError, create_model

from claimsportal.protocols.forms import common
from claimsportal.protocols.forms.common import Address

TODAY = date(2024, 6, 1)
CONTEXT = {"today": TODAY}


def probe(type_: Any) -> type[BaseModel]:
    """A one-field model, so that errors carry the path ``value``."""
    model: type[BaseModel] = create_model("Probe", value=(type_, ...))
    return model


def error_messages(model: type[BaseModel], data: Any, context: Any = CONTEXT) -> dict[str, str]:
    try:
        model.model_validate(data, context=context)
    except ValidationError as exc:
        return {".".join(str(p) for p in err["loc"]): err["msg"] for err in exc.errors()}
    return {}


# (type name, value) that must validate.
VALID_VALUES = [
    ("NationalInsuranceNumber", "AB123456C"),
    ("NationalInsuranceNumber", "AB123456 "),
    ("AskCuePiReference", "ASKCUEPI1234567890"),
    ("AskCuePiReference", "1234567890"),
    ("MedCoCaseId", "123456789/1"),
    ("CruReferenceNumber", "abc123"),
    ("OicReferenceNumber", "OIC-2021-0001"),
    ("ReferenceNumber", "CR/2024-001.A1"),
    ("ReferenceNumber", "R"),
    ("CmcAuthorisationNumber", "1234567"),
    ("OtherTitle", "Rev. Dr"),
    ("OtherTitle", "Professor"),
    ("OtherTitle", ""),
    ("Time", "09:30"),
    ("Time", "23:59:59"),
    ("UkPostcode", "sw1a 1aa"),
    ("UkPostcode", "M1 1AE"),
    ("TelephoneNumber", "+44 (0)20 7946-0000"),
    ("EmailAddress", "claims@example.co.uk"),
    ("Money", "1234567890123.45"),
    ("Money", "0"),
    ("Percent", "100"),
    ("Percent", "12.5"),
    ("FormDate", "1900-01-01"),
    ("NotFutureDate", "2024-06-01"),
    ("PastDate", "2024-05-31"),
    ("YNFlag", "0"),
    ("TitleType", "5"),
    ("InsurerTypeR3", "M"),
    ("ClaimValue", "2"),
    ("ExcepCircumstancesUpliftPerc", 20),
]

# (type name, value, message fragment) that must be rejected at path ``value``.
INVALID_VALUES = [
    ("NationalInsuranceNumber", "DA123456C", "pattern"),
    ("NationalInsuranceNumber", "AO123456C", "pattern"),
    ("NationalInsuranceNumber", "AB12345C", "pattern"),
    ("NationalInsuranceNumber", "AB123456E", "pattern"),
    ("NationalInsuranceNumber", "ab123456c", "pattern"),
    ("AskCuePiReference", "ASKCUEPI", "pattern"),
    ("AskCuePiReference", "CUE123", "pattern"),
    ("AskCuePiReference", "12345678901", "pattern"),
    ("AskCuePiReference", "ASKCUEPI12345678901", "at most 18"),
    ("MedCoCaseId", "123456-1", "pattern"),
    ("MedCoCaseId", "123456/12", "pattern"),
    ("MedCoCaseId", "1234567890/1", "at most 11"),
    ("CruReferenceNumber", "AB1234", "pattern"),
    ("CruReferenceNumber", "ABC12", "pattern"),
    ("OicReferenceNumber", "OIC-", "pattern"),
    ("OicReferenceNumber", "OIC2021", "pattern"),
    ("ReferenceNumber", "#REF1", "pattern"),
    ("ReferenceNumber", "REF_1", "pattern"),
    ("ReferenceNumber", "", "at least 1"),
    ("ReferenceNumber", "R" * 51, "at most 50"),
    ("CmcAuthorisationNumber", "12345678", "pattern"),
    ("CmcAuthorisationNumber", "A123", "pattern"),
    ("OtherTitle", "Dr0", "pattern"),
    ("OtherTitle", "Dr_", "pattern"),
    ("OtherTitle", "Professors", "at most 9"),
    ("Time", "24:00", "pattern"),
    ("Time", "9:30", "pattern"),
    ("Time", "12:60", "pattern"),
    ("UkPostcode", "12345", "pattern"),
    ("UkPostcode", "SW1A1AAA", "pattern"),
    ("TelephoneNumber", "call me", "pattern"),
    ("TelephoneNumber", "123", "pattern"),
    ("EmailAddress", "claims.example.com", "pattern"),
    ("EmailAddress", "claims@example", "pattern"),
    ("Money", "-0.01", "greater than or equal to 0"),
    ("Money", "1.234", "2 decimal places"),
    ("Money", "1234567890123456", "15 digits"),
    ("Money", "NaN", "finite"),
    ("Money", "Infinity", "finite"),
    ("Percent", "100.01", "less than or equal to 100"),
    ("Percent", "-1", "greater than or equal to 0"),
    ("Percent", "1.234", "2 decimal places"),
    ("FormDate", "1899-12-31", "greater than or equal to 1900-01-01"),
    ("FormDate", "2024-02-30", "date"),
    ("NotFutureDate", "2024-06-02", "must not be in the future"),
    ("PastDate", "2024-06-01", "must be in the past"),
    ("YNFlag", "2", "'1' or '0'"),
    ("YNFlag", 1, "'1' or '0'"),
    ("TitleType", "6", "'5'"),
    ("InsurerTypeR3", "S", "'M' or 'I'"),
    ("ClaimValue", "3", "'1' or '2'"),
    ("ExcepCircumstancesUpliftPerc", 21, "less than or equal to 20"),
]


@pytest.mark.parametrize(("type_name", "value"), VALID_VALUES)
def test_valid_value(type_name: str, value: Any) -> None:
    assert error_messages(probe(getattr(common, type_name)), {"value": value}) == {}


@pytest.mark.parametrize(("type_name", "value", "fragment"), INVALID_VALUES)
def test_invalid_value(type_name: str, value: Any, fragment: str) -> None:
    errors = error_messages(probe(getattr(common, type_name)), {"value": value})
    assert list(errors) == ["value"]
    assert fragment in errors["value"]


def test_normalisation() -> None:
    model = probe(common.UkPostcode).model_validate({"value": " sw1a 1aa "})
    assert model.model_dump() == {"value": "SW1A 1AA"}


VALID_ADDRESS: dict[str, Any] = {
    "country": "United Kingdom",
    "city": "London",
    "street1": "1 High Street",
    "street2": "Flat 2",
    "houseName": "Rose Cottage",
    "houseNumber": "1",
    "district": "Camden",
    "county": "Greater London",
    "postCode": "NW1 1AA",
    "addressType": "P",
}

MISSING = object()

# (field, value or MISSING, message fragment): one change to VALID_ADDRESS, one error at that field.
INVALID_ADDRESSES = [
    ("country", MISSING, "Field required"),
    ("country", "", "at least 1"),
    ("country", "C" * 21, "at most 20"),
    ("city", MISSING, "Field required"),
    ("city", " ", "at least 1"),
    ("city", "C" * 26, "at most 25"),
    ("street1", MISSING, "Field required"),
    ("street1", "", "at least 1"),
    ("street1", "S" * 33, "at most 32"),
    ("street2", "S" * 33, "at most 32"),
    ("houseName", "H" * 33, "at most 32"),
    ("houseNumber", "1" * 21, "at most 20"),
    ("district", "D" * 26, "at most 25"),
    ("county", "C" * 31, "at most 30"),
    ("postCode", "P" * 9, "at most 8"),
    ("addressType", "X", "'P', 'A' or 'F'"),
    ("flat", "2", "Extra inputs are not permitted"),
]


def test_valid_address() -> None:
    assert error_messages(Address, VALID_ADDRESS) == {}
    minimal = {"country": "France", "city": "Paris", "street1": "1 Rue de Rivoli", "postCode": "75001"}
    assert error_messages(Address, minimal) == {}


@pytest.mark.parametrize(("field", "value", "fragment"), INVALID_ADDRESSES)
def test_invalid_address(field: str, value: Any, fragment: str) -> None:
    data = dict(VALID_ADDRESS)
    if value is MISSING:
        del data[field]
    else:
        data[field] = value
    errors = error_messages(Address, data)
    assert list(errors) == [field]
    assert fragment in errors[field]


def test_person_name_requires_surname() -> None:
    assert error_messages(common.PersonName, {"name": "Ann"}) == {"surname": "Field required"}
    assert error_messages(common.PersonName, {"surname": "Smith"}) == {}


def test_today_defaults_to_the_system_date_without_context() -> None:
    model = probe(common.NotFutureDate)
    assert error_messages(model, {"value": date.today()}, context=None) == {}  # noqa: DTZ011
    assert error_messages(model, {"value": "9999-12-31"}, context=None) == {
        "value": "Value error, must not be in the future"
    }


def test_today_in_context_must_be_a_date() -> None:
    with pytest.raises(TypeError, match="must be a date"):
        probe(common.PastDate).model_validate({"value": "2024-01-01"}, context={"today": "2024-06-01"})
