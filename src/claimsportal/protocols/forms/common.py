"""Shared structures and validation types of the forms (WORKFLOW.md §6.1).

Lengths, patterns and code lists are those of the XSDs as transcribed in §6.1 (patterns anchored,
as XSD patterns always are). Where this module is stricter than the XSD it says so: money may not be
negative (§14), e-mail and telephone get a light syntactic check, and dates may be tied to "today".

"Today" is read from the validation context: ``Model.model_validate(data, context={"today": d})``.
The portal always passes its clock's today; ``date.today()`` is only the fallback when a caller
gives no context (or a context without ``"today"``).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StringConstraints,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError, core_schema

from claimsportal.protocols.forms import rules as conditional


def text(min_length: int, max_length: int) -> StringConstraints:
    """Free text of ``min_length``..``max_length`` characters, surrounding whitespace stripped."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Loc = tuple[str | int, ...]
"""The path of a field relative to the model that reports it."""


def raise_field_errors(title: str, errors: list[tuple[Loc, str, Any]]) -> None:
    """Report cross-field rule failures at the offending fields' paths (relative to the model)."""
    if errors:
        raise ValidationError.from_exception_data(
            title,
            [
                InitErrorDetails(type=PydanticCustomError("cross_field", message), loc=loc, input=value)
                for loc, message, value in errors
            ],
        )


_BUILT_IN_ERRORS: frozenset[str] = frozenset(get_args(core_schema.ErrorType))


def _again(error: Any) -> InitErrorDetails:
    """An error of a ValidationError, to be raised again beside others."""
    kind = error["type"]
    context = error.get("ctx")
    details = InitErrorDetails(
        type=kind if kind in _BUILT_IN_ERRORS else PydanticCustomError(kind, error["msg"], context),
        loc=tuple(error["loc"]),
        input=error.get("input"),
    )
    if context is not None and kind in _BUILT_IN_ERRORS:
        details["ctx"] = context
    return details


def _rules_in_schema(schema: dict[str, Any], cls: type) -> None:
    """The block's conditional rules in its JSON schema (``allOf`` of ``if``/``then``), in data and
    in words."""
    rules: tuple[conditional.Rule, ...] = getattr(cls, "__rules__", ())
    if rules:
        schema["allOf"] = [*schema.get("allOf", []), *(conditional.json_schema(rule) for rule in rules)]
        said = f"Conditional rules: {conditional.describe(rules)}."
        schema["description"] = f"{schema['description']}\n\n{said}" if schema.get("description") else said
    value_rules = value_rules_of(cls)
    if value_rules:
        schema["x-rules"] = [rule.stated() for rule in value_rules]
        said = f"Also checked by the server: {conditional.state(value_rules)}."
        schema["description"] = f"{schema['description']}\n\n{said}" if schema.get("description") else said


def value_rules_of(cls: type) -> tuple[conditional.ValueRule, ...]:
    """The rules that compare values a block checks: its own ``__value_rules__`` and its bases'."""
    found = (rule for klass in cls.__mro__ for rule in klass.__dict__.get("__value_rules__", ()))
    return tuple(dict.fromkeys(found))


class FormModel(BaseModel):
    """Base of every form block: unknown fields are errors, instances are immutable.

    A block's conditional rules (``__rules__``, data of :mod:`~claimsportal.protocols.forms.rules`)
    are checked on the data as sent, together with its fields: a request gets its field errors and its
    broken rules at once (a rule's error at a field that already has one is left out). The same rules
    are written into the block's JSON schema."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_rules_in_schema)
    __rules__: ClassVar[tuple[conditional.Rule, ...]] = ()
    __value_rules__: ClassVar[tuple[conditional.ValueRule, ...]] = ()
    """The rules that compare values this block's validators check (stated in its JSON schema)."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /
    ) -> CoreSchema:
        # Outside the block's own validators (fields, then the rules that stay code): its conditional
        # rules are checked whatever those find.
        schema = handler(source)
        if not cls.__dict__.get("__rules__") and not getattr(cls, "__rules__", ()):
            return schema
        return core_schema.no_info_wrap_validator_function(functools.partial(_check_rules, cls), schema)


def _check_rules(cls: type[FormModel], data: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
    """Validate ``data`` as ``cls`` and check its conditional rules on the data as sent: every error
    of both at once (a rule's error at a field that already has one is left out)."""
    if not isinstance(data, dict):
        return handler(data)
    broken = conditional.violations(cls.__rules__, data)
    try:
        model = handler(data)
    except ValidationError as error:
        if not broken:
            raise
        found = error.errors()
        taken = {tuple(e["loc"]) for e in found}
        raise ValidationError.from_exception_data(
            cls.__name__,
            [
                *(_again(e) for e in found),
                *(
                    InitErrorDetails(type=PydanticCustomError("cross_field", message), loc=loc, input=value)
                    for loc, message, value in broken
                    if loc not in taken
                ),
            ],
        ) from None
    raise_field_errors(cls.__name__, list(broken))
    return model


# --- code lists (§6.1); the wire values are strings ------------------------------------------------

YNFlag = Literal["1", "0"]
"""C00_YNFlag: ``1`` Yes, ``0`` No."""
AddressType = Literal["P", "A", "F"]
"""C01_AddressType: ``P`` Personal, ``A`` As address, ``F`` Business."""
TitleType = Literal["1", "2", "3", "4", "5"]
"""C02_TitleType: ``1`` Mr, ``2`` Mrs, ``3`` Ms, ``4`` Miss, ``5`` Other (then ``otherTitle``)."""
RehabilitationRecommended = Literal["0", "1", "3"]
"""C03: ``0`` Yes, ``1`` No, ``3`` Medical professional not seen."""
DetailsOfTheInsurance = Literal["0", "1", "2", "3"]
"""C04: ``0`` Comprehensive, ``1`` Third party fire & theft, ``2`` Third party only, ``3`` Other."""
RepairsPosition = Literal["0", "1", "2", "3"]
"""C05: ``0`` Complete, ``1`` Authorised, ``2`` Not yet authorised, ``3`` Not known."""
ClaimantType = Literal["0", "1", "2", "3", "4", "5", "6"]
"""C06 (RTA): ``0`` driver, ``1`` owner not driving, ``2`` passenger, ``3`` pedestrian, ``4`` cyclist,
``5`` motorcyclist, ``6`` other (then ``otherType``)."""
HospitalType = Literal["0", "1"]
"""C07: ``0`` NHS, ``1`` Private."""
Sex = Literal["M", "F", "N"]
"""C08: ``M``, ``F``, ``N`` not known."""
SubjectStatus = Literal["P", "B"]
"""C09: ``P`` Personal, ``B`` Business."""
OtherPartyType = Literal["W", "O"]
"""C10: ``W`` Witness, ``O`` Other (then ``opOther``)."""
SeatbeltWearing = Literal["0", "1", "2"]
"""C11: ``0`` No, ``1`` Yes, ``2`` Not known."""
RejectReason = Literal["0"]
"""C12: the single generic fraud code."""
InsurerType = Literal["I", "S", "M"]
"""C13: ``I`` Insurer, ``S`` Self-insured, ``M`` MIB."""
InsurerTypeR3 = Literal["M", "I"]
"""C13 as accepted by AddClaim since Release 3: ``M`` MIB, ``I`` Insurer."""
YNDK = Literal["0", "1", "2"]
"""C14: ``0`` Yes, ``1`` No, ``2`` Don't know (inverted order)."""
Capacity = Literal["0", "1", "2", "3", "4"]
"""C15: ``0`` in contract, ``1`` RTA insurer, ``2`` Article 75, ``3`` MIB, ``4`` Other."""
SignatoryType = Literal["S", "C"]
"""C16: ``S`` claimant's solicitor/representative, ``C`` claimant in person."""
LiabilityDecision = Literal["A", "AN", "N"]
"""C17: ``A`` Admitted, ``AN`` Admitted with negligence, ``N`` Not admitted."""
LossTypeRTA = Literal[
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"
]
"""C18 (RTA, Release 7): heads of damage ``0``-``16``."""
LossTypeELPL = Literal["4", "5", "6", "7", "8", "9", "10", "11", "13", "14", "15"]
"""C18 (EL/PL): no vehicle heads."""
PaymentDecision = Literal["AC", "NAC"]
"""C19: ``AC`` accepted, ``NAC`` not accepted."""
SettlementPackDecision = Literal["C", "CO", "R"]
"""C20: ``C`` Confirm, ``CO`` Counter offer, ``R`` Repudiate."""
MedicalReportCount = Literal["0", "1", "2", "3", "4"]
"""C22: number of medical reports attached (max 4)."""
ReasonForExtension = Literal["1", "2"]
"""C23."""
ReasonForExitCRRTA = Literal["2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14"]
"""C24 (RTA)."""
ReasonForExitCRELPL = Literal["2", "3", "4", "5", "6", "7", "8", "10", "11", "12", "13", "14", "15"]
"""C24 (EL/PL)."""
ReasonForExitCMRTA = Literal["1", "2", "3", "6", "7", "9", "10", "14"]
"""C25 (RTA)."""
ReasonForExitCMELPL = Literal["1", "2", "3", "6", "7", "9", "10"]
"""C25 (EL/PL)."""
YNNK = Literal["1", "0", "2"]
"""C26: ``1`` Yes, ``0`` No, ``2`` Not known."""
SettlementPackCounterOfferDecision = Literal["ACO", "NEWCO"]
"""C27."""
AdditionalDamagesDecision = Literal["A", "CO"]
"""C28: ``A`` agreed, ``CO`` counter offer."""
ClaimValue = Literal["1", "2"]
"""C29: value band, ``1`` up to £10,000, ``2`` £10,000-£25,000."""
ClaimTypeELPL = Literal["EL", "ELD", "PL"]
"""C30_ClaimType."""
ReasonForRejectionRTA = Literal["0", "1", "2"]
"""C30_ReasonForRejection (RTA)."""
ReasonForRejectionELPL = Literal["0", "1"]
"""C30_ReasonForRejection (EL/PL)."""
ClaimantLocation = Literal["0", "1", "2"]
"""C31 (EL/PL accident)."""
ReferralSource = Literal["R", "E", "P", "A", "F", "W", "O", "N"]
"""C32 (Release 6)."""
TariffType = Literal["1", "2"]
"""C33 (Release 7)."""
DurationOfTheInjury = Literal["0", "1", "2", "3", "4", "5", "6", "7"]
"""C34/C35 (Release 7): tariff duration bands."""
ExcepCircumstancesUpliftPerc = Annotated[int, Field(ge=1, le=20)]
"""C36 (Release 7): uplift of 1-20 %."""


# --- pattern types (§6.1; XSD patterns are anchored) ----------------------------------------------

NationalInsuranceNumber = Annotated[
    str,
    StringConstraints(max_length=9, pattern=r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D ]$"),
]
"""ST_NationalInsuranceNumber, exactly the XSD's pattern (the suffix may be a space, so it is not
stripped). §6.1 does not exclude the unallocated HMRC prefixes (BG, GB, NK, KN, TN, NT, ZZ) and
neither does this type."""
AskCuePiReference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=18, pattern=r"^(?:ASKCUEPI[0-9]{1,10}|[0-9]{1,10})$"),
]
"""ST_AskCUEPIReference as accepted by AddClaim."""
MedCoCaseId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=11, pattern=r"^[0-9]{1,9}/[0-9]$")
]
"""ST_MedCoCaseID, e.g. ``123456/1``."""
CruReferenceNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-zA-Z]{3}[0-9]{3}$")
]
"""ST_CRUReferenceNumber, e.g. ``ABC123``."""
OicReferenceNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^OIC-[0-9-]{1,28}$")]
"""ST_OICReferenceNumber as accepted by AddClaim."""
ReferenceNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=50,
        pattern=r"^[^|¦#$,£~^`\[\]{}_€¬][A-Za-z0-9 \\/.\-]{0,48}[A-Za-z0-9]?$",
    ),
]
"""ST_INPUT_ReferenceNumber / ST_ReferenceNumber: a party's reference number."""
CmcAuthorisationNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{1,7}$")]
"""ST_MOJCMCAuthorisationNumber."""
OtherTitle = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=9, pattern=r"^(?:[A-Za-z0-9 .]{0,8}[A-Za-z1-9.]|[A-Za-z1-9.]?)$"
    ),
]
"""ST_OtherTitle: the free title when ``titleType`` is ``5``."""
Time = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^(?:20|21|22|23|[01][0-9])(?::[0-5][0-9]){1,2}$")
]
"""ST_Time: ``HH:MM`` or ``HH:MM:SS``, 24 h."""
UkPostcode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        max_length=8,
        pattern=r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$",
    ),
]
"""A UK postcode (``SW1A 1AA``). Not an XSD type: §6.1 only limits ``PostCode`` to 8 characters, and
an address may be abroad, so :class:`Address` does not impose it."""
TelephoneNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^\+?[0-9 ()\-]{6,99}$")
]
"""A telephone number: digits, spaces, brackets, hyphens, optional leading ``+`` (the XSD only
limits the length to 100)."""
EmailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
"""An e-mail address: one ``@`` and a dotted domain (the XSD only limits the length to 100)."""

Money = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2, allow_inf_nan=False)]
"""ST_Value: at most 15 digits, 2 decimal places; never negative (§14)."""
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2, allow_inf_nan=False)]
"""ST_Percent: 0-100, 2 decimal places."""


# --- dates ---------------------------------------------------------------------------------------

EARLIEST_DATE = date(1900, 1, 1)


def reference_today(info: ValidationInfo) -> date:
    """The "today" of a validation: ``info.context["today"]``, else the system date."""
    context: Any = info.context
    if isinstance(context, dict) and "today" in context:
        today = context["today"]
        if isinstance(today, datetime):
            return today.date()
        if not isinstance(today, date):
            raise TypeError("validation context 'today' must be a date")
        return today
    return date.today()  # noqa: DTZ011 - fallback only; the portal passes its clock's today


def _not_in_future(value: date, info: ValidationInfo) -> date:
    if value > reference_today(info):
        raise ValueError(conditional.NOT_IN_FUTURE.say())
    return value


def _in_past(value: date, info: ValidationInfo) -> date:
    if value >= reference_today(info):
        raise ValueError(conditional.IN_PAST.say())
    return value


FormDate = Annotated[date, Field(ge=EARLIEST_DATE)]
"""ST_Date: a date on or after 1900-01-01."""
NotFutureDate = Annotated[
    date,
    Field(ge=EARLIEST_DATE, json_schema_extra={"x-rules": [conditional.NOT_IN_FUTURE.stated()]}),
    AfterValidator(_not_in_future),
]
"""An ST_Date that is today or earlier (today from the validation context)."""
PastDate = Annotated[
    date,
    Field(ge=EARLIEST_DATE, json_schema_extra={"x-rules": [conditional.IN_PAST.stated()]}),
    AfterValidator(_in_past),
]
"""An ST_Date strictly before today (today from the validation context)."""


# --- shared structures -----------------------------------------------------------------------------

Details = Annotated[str, text(0, 500)]
"""A free-text answer of up to 500 characters (e.g. the ``*Details``/``*Reasons`` attributes of §6.4)."""
Forename = Annotated[str, text(1, 25)]
OptionalName = Annotated[str, text(0, 25)]
Surname = Annotated[str, text(1, 25)]


class Address(FormModel):
    """The shared Address element (§6.1)."""

    country: Annotated[str, text(1, 20)]
    city: Annotated[str, text(1, 25)]
    street1: Annotated[str, text(1, 32)]
    street2: Annotated[str, text(0, 32)] | None = None
    houseName: Annotated[str, text(0, 32)] | None = None
    houseNumber: Annotated[str, text(0, 20)] | None = None
    district: Annotated[str, text(0, 25)] | None = None
    county: Annotated[str, text(0, 30)] | None = None
    postCode: Annotated[str, text(0, 8)] | None = None
    addressType: AddressType | None = None


class PersonName(FormModel):
    """A person named by an optional forename and middle name and a required surname."""

    name: OptionalName | None = None
    middleName: OptionalName | None = None
    surname: Surname
