"""The forms' conditional (cross-field) rules, declared once as data.

A :class:`Rule` says that a field is *required* (present and not blank) or *forbidden* (absent or
blank) when another field of the same request has one of some values, or is blank. Each form block
lists the rules it carries (``__rules__``, see :class:`~claimsportal.protocols.forms.common.FormModel`),
and the same rule objects are read three ways, so the three cannot disagree:

* **validation**: :func:`violations` evaluates a block's rules on the data as sent, beside the check
  of its fields (a request with both kinds of errors gets all of them at once);
* **the OpenAPI document**: :func:`json_schema` writes each rule as a JSON Schema ``if``/``then``
  (``else`` for a rule that holds *unless* a condition) in the block's ``allOf``;
* **the web's words**: :attr:`Rule.reason` is the condition in plain English, from which the form's
  hint ("Needed if …") and the error shown beside the field are made (``presentation.labels`` and
  ``presentation.messages``); the API keeps :attr:`Rule.message`.

Paths are dotted field names relative to the block that carries the rule (no list indexes). A value is
*blank* when it is absent, ``null`` or a string of white space only (white space as the forms strip
it: :data:`SPACE`), the same in Python and in the JSON Schema. Rules that compare values (dates, sums,
an age) stay code in their form modules; they run once every field is valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

# The white space the forms strip (pydantic's ``strip_whitespace``: Unicode White_Space) that a request
# can carry at all (the text rule refuses the control characters among them: \v \f \x1c-\x1f \x85).
SPACE = "\t\n\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE_CLASS = r"\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
BLANK_PATTERN = rf"^[{_SPACE_CLASS}]*$"
"""A string of white space only, as a JSON Schema (ECMA-262) and Python pattern alike."""
_BLANK_SCHEMA: dict[str, Any] = {"anyOf": [{"type": "null"}, {"type": "string", "pattern": BLANK_PATTERN}]}


@dataclass(frozen=True)
class When:
    """The condition of a rule: the field at ``path`` has one of ``values`` (``()``: it is blank)."""

    path: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """``field`` is required or forbidden when (``unless``: unless) ``when`` holds.

    ``message`` is the API's error at ``field``; ``reason`` says the condition in plain English for the
    web ("the defendant is a business"); ``at`` is the end of the path of the block that carries the
    rule on the web forms (its hint is keyed by it); ``todo``, when given, is the web's whole error
    instead of "what to do: reason"."""

    field: str
    then: Literal["required", "forbidden"]
    when: When
    message: str
    reason: str
    at: str
    unless: bool = False
    todo: str = ""

    @property
    def key(self) -> str:
        """The end of the path of the field on the web forms (``presentation.labels.CONDITIONS``)."""
        return f"{self.at}.{self.field}" if self.at else self.field

    @property
    def hint(self) -> str:
        """The hint shown under the field on the web forms."""
        if self.then == "required" and not self.unless:
            return f"Needed if {self.reason}"
        if self.then == "forbidden" and self.unless:
            return f"Only if {self.reason}"
        return f"Leave empty if {self.reason}"


# --------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------

_MISSING = object()


def _get(data: Any, path: str) -> Any:
    node = data
    for name in path.split("."):
        if isinstance(node, Mapping):
            node = node.get(name, _MISSING)
        elif node is not None and node is not _MISSING and hasattr(node, "__pydantic_fields__"):
            node = getattr(node, name, _MISSING)
        else:
            return _MISSING
    return node


def _present(data: Any, path: str) -> bool:
    """Every block above the field's path is there (a rule on a field of a missing block is silent:
    the block's own absence is reported)."""
    parent = path.rpartition(".")[0]
    if not parent:
        return True
    node = _get(data, parent)
    return isinstance(node, Mapping) or hasattr(node, "__pydantic_fields__")


def is_blank(value: Any) -> bool:
    """Absent, ``null`` or white space only."""
    return value is _MISSING or value is None or (isinstance(value, str) and not value.strip(SPACE))


def holds(when: When, data: Any) -> bool:
    value = _get(data, when.path)
    if not when.values:
        return _present(data, when.path) and is_blank(value)
    return isinstance(value, str) and value in when.values


def applies(rule: Rule, data: Any) -> bool:
    return holds(rule.when, data) != rule.unless


def violated(rule: Rule, data: Any) -> bool:
    """Whether ``data`` (a block's data as sent: a mapping) breaks ``rule``."""
    if not applies(rule, data) or not _present(data, rule.field):
        return False
    blank = is_blank(_get(data, rule.field))
    return blank if rule.then == "required" else not blank


def violations(rules: Iterable[Rule], data: Any) -> list[tuple[tuple[str, ...], str, Any]]:
    """The broken rules of a block as (field path, message, value given)."""
    out: list[tuple[tuple[str, ...], str, Any]] = []
    for rule in rules:
        if violated(rule, data):
            value = _get(data, rule.field)
            out.append((tuple(rule.field.split(".")), rule.message, None if value is _MISSING else value))
    return out


# --------------------------------------------------------------------------------------------------
# JSON Schema
# --------------------------------------------------------------------------------------------------


def _nest(path: str, leaf: dict[str, Any], *, required: bool) -> dict[str, Any]:
    """A schema that puts ``leaf`` on the field at ``path`` (``required``: the field must be there)."""
    *parents, name = path.split(".")
    schema: dict[str, Any] = {"properties": {name: leaf}}
    if required:
        schema["required"] = [name]
    for parent in reversed(parents):
        schema = {"properties": {parent: schema}}
    return schema


def condition_schema(when: When) -> dict[str, Any]:
    if not when.values:
        return _nest(when.path, _BLANK_SCHEMA, required=False)
    return _nest(when.path, {"enum": list(when.values)}, required=True)


def json_schema(rule: Rule) -> dict[str, Any]:
    """The rule as JSON Schema (2020-12): ``if`` the condition, ``then`` (or ``else``) the field."""
    if rule.then == "required":
        consequence = _nest(rule.field, {"not": _BLANK_SCHEMA}, required=True)
    else:
        consequence = _nest(rule.field, _BLANK_SCHEMA, required=False)
    branch = "else" if rule.unless else "then"
    return {"if": condition_schema(rule.when), branch: consequence}


def describe(rules: Iterable[Rule]) -> str:
    """The rules in words for a schema's description (the API's messages)."""
    return "; ".join(f"{rule.field} {rule.message}" for rule in rules)


# --------------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------------

OTHER_TITLE = Rule(
    "otherTitle",
    "required",
    When("titleType", ("5",)),
    "is required when titleType is 5 (Other)",
    "the title is “Other”",
    at="personalDetails",
)
PERSONAL_DETAILS_OF_A_PERSON = Rule(
    "personalDetails",
    "required",
    When("defendantStatus", ("P",)),
    "is required when defendantStatus is P (Personal)",
    "the defendant is a person",
    at="defendantDetails",
)
COMPANY_DETAILS_OF_A_BUSINESS = Rule(
    "companyDetails",
    "required",
    When("defendantStatus", ("B",)),
    "is required when defendantStatus is B (Business)",
    "the defendant is a business",
    at="defendantDetails",
)
NIN_COMMENT = Rule(
    "ninComment",
    "required",
    When("nationalInsuranceNumber"),
    "is required to explain why no nationalInsuranceNumber is given",
    "you do not give the National Insurance number",
    at="claimantDetails",
    todo="Explain why there is no National Insurance number",
)
TIME_OFF_PERIOD = Rule(
    "timeOffPeriod",
    "forbidden",
    When("timeOffRequired", ("1",)),
    "is only allowed when timeOffRequired is 1 (Yes)",
    "the claimant needed time off work",
    at="injury",
    unless=True,
)
DAYS_NUMBER = Rule(
    "daysNumber",
    "forbidden",
    When("overnightDetention", ("1",)),
    "is only allowed when overnightDetention is 1 (Yes)",
    "the claimant was kept in hospital overnight",
    at="injury",
    unless=True,
)
CMC_NAME = Rule(
    "cmcName",
    "required",
    When("referralSource", ("R",)),
    "is required when the referral source is R (a regulated CMC)",
    "the referral source is a regulated claims management company (CMC)",
    at="referralSourceInfo",
)
CMC_AUTHORISATION_NUMBER = Rule(
    "mojcmcAuthorisationNumber",
    "required",
    When("referralSource", ("R",)),
    "is required when the referral source is R (a regulated CMC)",
    "the referral source is a regulated claims management company (CMC)",
    at="referralSourceInfo",
)
SEATBELT = Rule(
    "seatbelt",
    "required",
    When("claimantType", ("0", "2")),
    "is required when claimantType is 0 (driver) or 2 (passenger)",
    "the claimant was the driver or a passenger",
    at="accidentDetails",
)
OTHER_CLAIMANT_TYPE = Rule(
    "otherType",
    "required",
    When("claimantType", ("6",)),
    "is required when claimantType is 6 (other)",
    "the claimant was “Other”",
    at="accidentDetails",
)
OTHER_PARTY_TYPE = Rule(
    "opOther",
    "required",
    When("opType", ("O",)),
    "is required when opType is O (Other)",
    "the other party type is “Other”",
    at="otherParty.*",
)
MEDCO_CASE_ID = Rule(
    "medCoCaseID",
    "required",
    When("softTissue", ("1",)),
    "is required when softTissue is 1 (Yes): give the MedCo case ID, e.g. 123456/1",
    "there is a soft tissue injury",
    at="medCoCase",
)
CRU_COMMENT = Rule(
    "cruComment",
    "required",
    When("cruReferenceNumber"),
    "is required when no cruReferenceNumber is given: explain why the CRU reference is not known",
    "you do not give the CRU reference number",
    at="cruReference",
    todo="Enter the CRU reference number, or explain why it is not known",
)
REASONS_FOR_DENIAL = Rule(
    "unadmittedLiabilityReasons",
    "required",
    When("liabilityDecision", ("N",)),
    "is required when liabilityDecision is N (not admitted): give the reasons for denial",
    "liability is not admitted",
    at="liabilityCausation",
)
NO_REASONS_ON_ADMISSION = Rule(
    "unadmittedLiabilityReasons",
    "forbidden",
    When("liabilityDecision", ("A",)),
    "is only allowed when liabilityDecision is AN or N, not A (admitted)",
    "liability is admitted",
    at="liabilityCausation",
)
OTHER_CAPACITY = Rule(
    "otherCapacity",
    "required",
    When("capacity", ("4",)),
    "is required when capacity is 4 (Other): describe the capacity",
    "the capacity is “Other”",
    at="",
)
DEFENDANT_LEGAL_DETAILS = Rule(
    "defendantLegalDetails",
    "required",
    When("hasDefendantNamedLegalRep", ("1",)),
    "is required when hasDefendantNamedLegalRep is 1 (Yes): name the defendant's legal representative",
    "the defendant has a named legal representative",
    at="defendantLegalRepresentative",
)
CRU_CERTIFICATE_EXPLAINED = Rule(
    "upToDateCRUCertificateAttachedComments",
    "required",
    When("upToDateCRUCertificateAttached", ("0",)),
    "is required when upToDateCRUCertificateAttached is 0 (No): explain why no up-to-date CRU "
    "certificate is attached",
    "no up-to-date CRU certificate is attached",
    at="",
)

# EL/PL: the claim type decides what the accident, the claimant and the injury carry.
_ELPL_TYPE = "applicationData.claimDetails.claimType"
ACCIDENT_DATE_OF_AN_ACCIDENT = Rule(
    "accidentData.accidentDetails.accidentDate",
    "required",
    When(_ELPL_TYPE, ("EL", "PL")),
    "is required on an accident claim (EL or PL)",
    "this is an accident claim",
    at="",
)
ELPL_CLAIM_TYPE_RULES: tuple[Rule, ...] = (
    ACCIDENT_DATE_OF_AN_ACCIDENT,
    *(
        Rule(
            f"accidentData.accidentDetails.{name}",
            "forbidden",
            When(_ELPL_TYPE, ("ELD",)),
            "must be left out of an ELD (disease) claim: give the exposure period instead",
            "this is a disease claim (ELD): give the exposure period instead",
            at="",
        )
        for name in ("accidentDate", "accidentTime")
    ),
    Rule(
        "claimAndClaimantDetails.claimantDetails.exposurePeriod",
        "required",
        When(_ELPL_TYPE, ("ELD",)),
        "is required on an ELD (disease) claim",
        "this is a disease claim (ELD)",
        at="",
    ),
    *(
        Rule(
            f"claimAndClaimantDetails.claimantDetails.{name}",
            "forbidden",
            When(_ELPL_TYPE, ("ELD",)),
            "is only allowed on an ELD (disease) claim",
            "this is a disease claim (ELD)",
            at="",
            unless=True,
        )
        for name in ("employmentPeriod", "exposurePeriod")
    ),
    *(
        Rule(
            f"accidentData.accidentDetails.{name}",
            "forbidden",
            When(_ELPL_TYPE, ("PL",)),
            "is only allowed on a PL claim",
            "this is a public liability claim (PL)",
            at="",
            unless=True,
        )
        for name in ("claimantLocation", "claimantLocationOther")
    ),
)


DISEASE_FLAGS = ("respiratory", "deafness", "vibrationInjury", "dermatitis")
"""The injury flags of disease (ELD) claims; ``other`` serves every claim type."""
ELPL_DISEASE_FLAG_RULES: tuple[Rule, ...] = tuple(
    Rule(
        f"medicalDetails.injury.{name}",
        "forbidden",
        When(_ELPL_TYPE, ("ELD",)),
        "is a disease flag, only allowed on an ELD claim: use 'other' and describe the injury",
        "this is a disease claim (ELD)",
        at="",
        unless=True,
    )
    for name in DISEASE_FLAGS
)

ALL: tuple[Rule, ...] = (
    OTHER_TITLE,
    PERSONAL_DETAILS_OF_A_PERSON,
    COMPANY_DETAILS_OF_A_BUSINESS,
    NIN_COMMENT,
    TIME_OFF_PERIOD,
    DAYS_NUMBER,
    CMC_NAME,
    CMC_AUTHORISATION_NUMBER,
    SEATBELT,
    OTHER_CLAIMANT_TYPE,
    OTHER_PARTY_TYPE,
    MEDCO_CASE_ID,
    CRU_COMMENT,
    REASONS_FOR_DENIAL,
    NO_REASONS_ON_ADMISSION,
    OTHER_CAPACITY,
    DEFENDANT_LEGAL_DETAILS,
    CRU_CERTIFICATE_EXPLAINED,
    *ELPL_CLAIM_TYPE_RULES,
    *ELPL_DISEASE_FLAG_RULES,
)
"""Every rule, in the order the forms show their fields."""


def hints() -> dict[str, str]:
    """The web forms' hint of each field a rule governs, by :attr:`Rule.key` (a field both required
    and forbidden by rules is hinted by the rule that requires it)."""
    out: dict[str, str] = {}
    for rule in sorted(ALL, key=lambda r: r.then != "required" or r.unless):
        out.setdefault(rule.key, rule.hint)
    return out


# --------------------------------------------------------------------------------------------------
# The rules that compare values
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRule:
    """A rule that compares values (dates, sums, an age, repeats in a list): code checks it, JSON
    Schema cannot say it, so the OpenAPI document states it in words (``x-rules`` and the block's
    description).

    ``message`` is the server's error, a :meth:`str.format` template where the check fills in the
    figures it compared (``{computed}``); the check takes its text from here (:meth:`say`), so the
    document and the server cannot drift. ``fields`` are the paths, relative to the block that checks
    the rule, at which the error is reported (``*`` for any item of a list); a declaration is made once,
    without fields, and placed on each block with :meth:`at`."""

    message: str
    fields: tuple[str, ...] = ()

    def at(self, *fields: str) -> ValueRule:
        """This rule as checked by a block, reported at ``fields`` (relative to the block)."""
        return ValueRule(self.message, fields)

    def say(self, **figures: object) -> str:
        """The server's error, the compared figures filled in."""
        return self.message.format(**figures)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The messages :meth:`say` can give (each ``{figure}`` any text)."""
        parts = re.split(r"\{[^{}]*\}", self.message)
        return re.compile("^" + "(.+?)".join(re.escape(part) for part in parts) + "$", re.DOTALL)

    def stated(self) -> dict[str, Any]:
        """The rule as the OpenAPI document states it (an item of ``x-rules``)."""
        return {"fields": list(self.fields), "rule": self.message}


def state(value_rules: Iterable[ValueRule]) -> str:
    """The value rules in words for a schema's description."""
    return "; ".join(f"{', '.join(rule.fields)} {rule.message}" for rule in value_rules)


# The claimant's dates and age against the accident date and today (the send date); the CNFs.
BORN_BEFORE_ACCIDENT = ValueRule("must be before the accident date")
CHILD_CLAIM_UNDER_18 = ValueRule("must be 1 (Yes): the claimant is under 18")
NO_CHILD_CLAIM_AT_18 = ValueRule("must be 0 (No): the claimant is 18 or over")
ATTENTION_AFTER_ACCIDENT = ValueRule("must be on or after the accident date")
LITIGANT_IN_PERSON_SIGNS = ValueRule(
    "must be C (the claimant in person) when the claimant is not legally represented"
)
PERIOD_IN_ORDER = ValueRule("must not end before it starts: the end {end} is before the start {start}")
NOT_IN_FUTURE = ValueRule("must not be in the future")
IN_PAST = ValueRule("must be in the past")
STATEMENT_SIGNED = ValueRule("the statement of truth must be signed")

# Liability (the insurer's response).
ADMITTED_POINT = ValueRule(
    "must be 1 (Yes) when liabilityDecision is A (admitted); answer AN or N if this point is not admitted"
)

# The packs: heads of loss, tariffs, totals, disbursements, the signed statement.
ONE_HEAD_PER_LOSS_TYPE = ValueRule(
    "loss type {loss_type} is already head {index}: give one head per loss type"
)
TARIFF_ONLY_ON_PSLA = ValueRule(
    "is only allowed on the general damages (PSLA) heads, loss types 11, 12 and 16"
)
UPLIFT_GIVEN = ValueRule("is required when excepCircumstancesUplift is 1 (Yes): give the uplift, 1 to 20 %")
UPLIFT_ONLY_WITH_UPLIFT = ValueRule("is only allowed when excepCircumstancesUplift is 1 (Yes)")
CRU_WITHIN_OFFER = ValueRule(
    "must not be more than the {offered} offered for the losses after contributory negligence: CRU "
    "benefits are deducted from that compensation"
)
SIGNED_COPY_KEPT = ValueRule(
    "must be 1 (Yes): the pack is only sent once the signed statement of truth is kept"
)
VALUE_AFTER_CONTRIBUTION = ValueRule(
    "must be {computed}, the gross value less the contributory negligence deduction (it is computed: it "
    "may be left out)"
)
DISBURSEMENT_ONCE = ValueRule("disbursement {disbursement_id} is already listed: each disbursement once")
DISPUTED_NOT_PAID_IN_FULL = ValueRule(
    "must be less than the {claimed} claimed: a disbursement paid in full is not disputed"
)
NO_DISPUTE_WHEN_ALL_PAID = ValueRule(
    "must be left out when allDisbursementAgreedAndPaid is 1 (Yes): no disbursement is disputed"
)
DISPUTE_WHEN_NOT_ALL_PAID = ValueRule(
    "is required when allDisbursementAgreedAndPaid is 0 (No): list the disputed disbursements"
)
ALL_HEADS_AGREED = ValueRule(
    "must be 1 (agreed) when {field} is {decision} ({meaning}): it accepts every head claimed"
)
REPLY_TO_EVERY_HEAD = ValueRule("must reply to every head claimed when settlementPackDecision is {decision}")

VALUE_RULES: tuple[ValueRule, ...] = (
    BORN_BEFORE_ACCIDENT,
    CHILD_CLAIM_UNDER_18,
    NO_CHILD_CLAIM_AT_18,
    ATTENTION_AFTER_ACCIDENT,
    LITIGANT_IN_PERSON_SIGNS,
    PERIOD_IN_ORDER,
    NOT_IN_FUTURE,
    IN_PAST,
    STATEMENT_SIGNED,
    ADMITTED_POINT,
    ONE_HEAD_PER_LOSS_TYPE,
    TARIFF_ONLY_ON_PSLA,
    UPLIFT_GIVEN,
    UPLIFT_ONLY_WITH_UPLIFT,
    CRU_WITHIN_OFFER,
    SIGNED_COPY_KEPT,
    VALUE_AFTER_CONTRIBUTION,
    DISBURSEMENT_ONCE,
    DISPUTED_NOT_PAID_IN_FULL,
    NO_DISPUTE_WHEN_ALL_PAID,
    DISPUTE_WHEN_NOT_ALL_PAID,
    ALL_HEADS_AGREED,
    REPLY_TO_EVERY_HEAD,
)
"""Every rule that compares values, each declared once (blocks place them with :meth:`ValueRule.at`)."""
