"""Errors in plain English: what a person reads when a form is refused.

The API keeps its precise machine messages (``String should match pattern '^[a-zA-Z]{3}[0-9]{3}$'``,
``is required when defendantStatus is P (Personal)``); the web shows the same problem worded for the
person filling the form, naming the field by its label and saying what to do (GOV.UK error messages:
"Enter the CRU reference number as 3 letters then 3 numbers, like ABC123").

* :func:`field_message` words one :class:`~claimsportal.protocols.errors.ErrorDetail` about a field
  from the validator's ``kind`` and ``context`` (kept on the detail, never sent by the API), the
  field's form node (its kind, label and hint) and, for the forms' cross-field rules, the rule's
  message read back into labels and code meanings;
* :func:`plain_text` words a message that names no field of the page (a business rule, a refusal):
  known messages by table, then any remaining field or operation identifier replaced by its label.

:func:`looks_technical` is the test every shown message must pass (no regular expression, no field
path or camelCase identifier, no operation name, no "None"): the meta-test of the forms applies it
to every message a form can produce, and :func:`plain_text` falls back to a general sentence rather
than show a text that fails it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from claimsportal.presentation.labels import (
    CODE_LABELS,
    FIELD_LABELS,
    HISTORY_LABELS,
    OPERATION_LABELS,
    code_label,
    field_label,
    operation_label,
)
from claimsportal.protocols.errors import ErrorDetail
from claimsportal.protocols.forms import rules
from claimsportal.protocols.tables import DEFINITIONS

if TYPE_CHECKING:
    from claimsportal.presentation.form_tree import Node

# --------------------------------------------------------------------------------------------------
# What a field's answer must look like, when its format is checked (by field name)
# --------------------------------------------------------------------------------------------------

FORMAT_MESSAGES: dict[str, str] = {
    "accidentTime": "Enter the time of the accident using the 24-hour clock, like 14:30",
    "telephoneNumber": "Enter a telephone number, like 01632 960 001 or 07700 900 982",
    "oicReferenceNumber": "Enter the OIC reference number as OIC- then numbers, like OIC-1234-5678",
    "nationalInsuranceNumber": (
        "Enter a National Insurance number in the correct format: 2 letters, 6 numbers, then A, B, C "
        "or D, like QQ123456C"
    ),
    "askCUEPIReference": (
        "Enter the askCUE PI reference as ASKCUEPI then up to 10 numbers, or up to 10 numbers alone, "
        "like ASKCUEPI1234567"
    ),
    "otherTitle": "Enter the other title in letters, numbers, spaces or full stops, up to 10 characters",
    "emailAddress": "Enter an email address in the correct format, like name@example.com",
    "referenceNumber": (
        "Enter the reference in letters, numbers, spaces and the characters / . - only, up to 50 characters"
    ),
    "insurerClaimReferenceNumber": (
        "Enter your claim reference in letters, numbers, spaces and the characters / . - only, up to "
        "50 characters"
    ),
    "mojcmcAuthorisationNumber": "Enter the MoJ CMC authorisation number as up to 7 numbers, like 1234567",
    "rejectionReasonCode": "Select the reason for rejecting the claim",
    "organisationPath": "Choose the compensator to reassign the claim to",
    "medCoCaseID": "Enter the MedCo case ID as up to 9 numbers, a slash and 1 number, like 123456/1",
    "cruReferenceNumber": "Enter the CRU reference number as 3 letters then 3 numbers, like ABC123",
    "exitReasonCode": "Select the reason for leaving the process",
    "branchId": "Select the branch",
}

# The money parser's messages (protocols.forms.money), by what they start with.
_MONEY: tuple[tuple[str, str], ...] = (
    (
        "must have at most 2 decimal places (whole pence)",
        "{Label} must be in pounds and whole pence, like 1500.25",
    ),
    ("must have at most 2 decimal places", "{Label} must have no more than 2 decimal places, like 25.50"),
    ("must not be more than 100", "{Label} must be 100 or less"),
    ("must not be more than", "{Label} must be {limit} or less"),
    ("must not be negative", "{Label} must be 0 or more"),
    ("must not contain a currency", "Enter {label} without the pound sign, like 1500.00"),
    ("must be written without thousands", "Enter {label} without commas, like 1500.00"),
    ("must be a percentage", "Enter {label} as a percentage, like 25.00"),
)

# --------------------------------------------------------------------------------------------------
# The forms' cross-field rules, read back into words
# --------------------------------------------------------------------------------------------------

_WHEN = r"(?P<other>[a-zA-Z0-9]+) is (?P<code>[A-Z0-9]+) \((?P<meaning>[^)]*)\)"


def _answer(other: str, code: str, meaning: str) -> str:
    """“Label” is Meaning: a code of another field as the person chose it."""
    word = code_label(other, code) if other in CODE_LABELS else meaning
    if word == code:
        word = meaning
    return f"“{field_label(other)}” is {word[:1].upper()}{word[1:]}"


def _reason(rest: str | None) -> str:
    return f". {rest[:1].upper()}{rest[1:]}" if rest else ""


def rule_message(rule: rules.Rule, todo: str, label: str) -> str:
    """The error of a broken conditional rule (``protocols.forms.rules``) in words: what to do and the
    rule's own reason ("Enter the company details: the defendant is a business")."""
    if rule.todo:
        return rule.todo
    if rule.then == "required":
        return f"{todo}: {rule.reason}" if not rule.unless else f"{todo} unless {rule.reason}"
    return f"Leave “{label}” empty {'unless' if rule.unless else 'when'} {rule.reason}"


# The conditional rules by the API's message (rules sharing a message share their reason).
RULES_BY_MESSAGE: dict[str, rules.Rule] = {rule.message: rule for rule in reversed(rules.ALL)}

Rule = tuple[re.Pattern[str], Callable[[re.Match[str], str, str], str]]
"""A cross-field message's pattern and how to word it, given the match, the field's "what to do"
phrase (``Enter the first name``) and its label: the rules that stay code (a conditional rule is
worded from its own data, :func:`rule_message`)."""

CROSS_FIELD_RULES: list[Rule] = [
    (
        re.compile(rf"^is required when {_WHEN}(?:: (?P<rest>.*))?$"),
        lambda m, todo, label: f"{todo}: {_answer(m['other'], m['code'], m['meaning'])}{_reason(m['rest'])}",
    ),
    (
        re.compile(rf"^(?:is only allowed|must be left out) (?:when|unless) {_WHEN}(?:: (?P<rest>.*))?$"),
        lambda m, todo, label: (
            (f"Leave “{label}” empty unless {_answer(m['other'], m['code'], m['meaning'])}")
            if "only allowed" in m.string
            else f"Leave “{label}” empty when {_answer(m['other'], m['code'], m['meaning'])}{_reason(m['rest'])}"
        ),
    ),
    (
        re.compile(r"^is only allowed on the general damages"),
        lambda m, todo, label: (
            f"Leave “{label}” empty: it only applies to general damages (pain, suffering and loss of amenity)"
        ),
    ),
    (
        re.compile(r"^loss type (?P<code>[0-9]+) \((?P<name>[^)]*)\) is already head (?P<head>[0-9]+)"),
        lambda m, todo, label: (
            f"{m['name']} is already head of loss {m['head']}: give each head of loss once"
        ),
    ),
    (
        re.compile(r"^must be 0 \(No\): the claimant is 18 or over$"),
        lambda m, todo, label: "Select No: the claimant is 18 or over on the date of the accident",
    ),
    (
        re.compile(r"^must be before the accident date$"),
        lambda m, todo, label: f"{label} must be before the date of the accident",
    ),
    (
        re.compile(r"^must be on or after the accident date$"),
        lambda m, todo, label: f"{label} must be on or after the date of the accident",
    ),
    (
        re.compile(r"^must be (?P<amount>[0-9.]+), the gross value less the contributory negligence"),
        lambda m, todo, label: (
            f"{label} must be £{m['amount']}, the gross value less the contributory negligence "
            "deduction (you can leave it empty and it is worked out for you)"
        ),
    ),
    (
        re.compile(r"^must be less than the (?P<amount>[0-9.]+) claimed"),
        lambda m, todo, label: (
            f"{label} must be less than the £{m['amount']} claimed: a disbursement paid in full is not "
            "disputed"
        ),
    ),
    (
        re.compile(r"^must be 1 \(Yes\) when liabilityDecision is A"),
        lambda m, todo, label: (
            "Select Yes: liability is admitted. If this point is not admitted, choose “Admitted with "
            "contributory negligence” or “Not admitted” as the liability decision"
        ),
    ),
    (
        re.compile(r"^must be 1 \(Yes\): the pack is only sent once the signed statement of truth is kept"),
        lambda m, todo, label: (
            "Select Yes: the pack can only be sent once the signed statement of truth is kept"
        ),
    ),
    (
        re.compile(r"^must be 1 \(agreed\) when (?P<other>[a-zA-Z]+) is (?P<code>[A-Z]+)"),
        lambda m, todo, label: (
            f"Select Yes for every head of loss: you chose “{code_label(m['other'], m['code'])}”, which "
            "accepts every head claimed"
        ),
    ),
    (
        re.compile(r"^the statement of truth must be signed$"),
        lambda m, todo, label: "Confirm the statement of truth",
    ),
    (
        re.compile(r"^must be in the past$"),
        lambda m, todo, label: f"{label} must be in the past",
    ),
    (
        re.compile(r"^must not be in the future$"),
        lambda m, todo, label: f"{label} must be today or in the past",
    ),
    (
        re.compile(r"^must be a date after today$"),
        lambda m, todo, label: f"{label} must be a date after today",
    ),
    (
        re.compile(r"^must be later than the current time limit$"),
        lambda m, todo, label: f"{label} must be later than the current time limit",
    ),
    (
        re.compile(r"^must not be more than the amount requested$"),
        lambda m, todo, label: "The amount offered must not be more than the amount requested",
    ),
    (
        re.compile(r"^must be one of [0-9, ]+$"),
        lambda m, todo, label: f"Select {_the(label)}",
    ),
]

# --------------------------------------------------------------------------------------------------
# Messages that name no field of the page (business rules, refusals), by their start
# --------------------------------------------------------------------------------------------------

PLAIN_MESSAGES: tuple[tuple[str, str], ...] = (
    ("The request does not match the operation's schema", "Some answers need correcting"),
    ("claimType must be one of", "Select the type of claim"),
    ("must be one of RTA, EL, ELD, PL", "Select the type of claim"),
    ("is not the current activityEngineGuid", "The claim has changed since you opened this page"),
    ("activityEngineGuid is required", "The claim has changed since you opened this page"),
    ("The claim has changed since you read it", "The claim has changed since you opened this page"),
    ("choose the compensator (searchCompensators) before sending", "Choose the compensator before sending"),
    ("not allowed for the COMP side", "Only the claimant's representative can do this"),
    ("not allowed for the CR side", "Only the compensator can do this"),
    (
        "Exit code 1 (incomplete CNF)",
        "“Incomplete claim notification form” can only be chosen before the liability decision",
    ),
    ("is not an exit reason this side may use", "Select one of the reasons shown"),
    ("only be done by the", "It is for the other side to act on the claim now"),
    (
        "The extension is only available for requests above 1000.00",
        "The time limit can only be extended for requests over £1,000",
    ),
    (
        "must total at least 1000.00",
        "The losses requested must total at least £1,000, after contributory negligence",
    ),
    (
        "The compensator gives an agreement decision only in the further consideration period",
        "The agreement decision is only given in the further consideration period: respond to the counter offer instead",
    ),
)

_PHASE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"is not allowed while the claim is in phase \S+ \((?P<name>[^)]*)\)"),
        "This cannot be done while the claim is at “{name}”",
    ),
    (
        re.compile(r"^The time limit for (?P<phase>\S+) passed at (?P<when>[0-9-]+ [0-9:]+)"),
        "The time limit passed on {when}: the claim is moving on, so this can no longer be done",
    ),
)


# --------------------------------------------------------------------------------------------------
# What must never be shown
# --------------------------------------------------------------------------------------------------

_REGEX = re.compile(r"\^|\$'|\[[^\]]*-[^\]]*\]|\{\d+(,\d*)?\}|\(\?:|\\[dswDSW.]")
_CAMEL = re.compile(r"\b[a-z]+[A-Z][A-Za-z0-9]*\b")
_PATH = re.compile(r"\b[A-Za-z]+\.[A-Za-z]+[A-Za-z.0-9]*\.[A-Za-z]")
_NONE = re.compile(r"\bNone\b")
_VALIDATOR = re.compile(
    r"String should|Input should|Field required|Value error|Extra inputs|valid dictionary|model_type"
)
# Words in the glossary that are camelCase on purpose (a product's own spelling).
ALLOWED_CAMEL = frozenset({"askCUE", "MedCo", "iPhone"})


def looks_technical(text: str) -> str:
    """What in ``text`` a person should not be shown ("" when nothing): a regular expression, a field
    path or camelCase identifier, an operation name, a validator's own words, or "None"."""
    if _REGEX.search(text):
        return "a regular expression"
    for match in _CAMEL.finditer(text):
        if match.group(0) not in ALLOWED_CAMEL:
            return f"an identifier ({match.group(0)})"
    if _PATH.search(text):
        return "a field path"
    if _VALIDATOR.search(text):
        return "a validator's message"
    if _NONE.search(text):
        return '"None"'
    for name in OPERATION_LABELS:
        if re.search(rf"\b{re.escape(name)}\b", text):
            return f"an operation name ({name})"
    for code, name in PHASE_NAMES.items():
        if code != name and " " not in code and re.search(rf"\b{re.escape(code)}\b", text):
            return f"a phase identifier ({code})"
    return ""


# --------------------------------------------------------------------------------------------------
# Wording
# --------------------------------------------------------------------------------------------------

_KEEP_CAPITAL = re.compile(r"^(?:[A-Z]{2,}|MoJ|MedCo|askCUE|[A-Z][a-z]*'s? [A-Z])")


def lower_first(label: str) -> str:
    """A label inside a sentence: "Date of birth" -> "date of birth"; acronyms keep their capitals."""
    if not label or _KEEP_CAPITAL.match(label) or label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


_NOT_A_NOUN = re.compile(
    r"^(?:what|why|where|when|how|who|which|was|is|did|does|do|has|have|the claimant|pursued|other \()", re.I
)


def _the(label: str) -> str:
    low = lower_first(label)
    if low.startswith(("the ", "a ", "an ", "your ")):
        return low
    return f"the {low}"


def _question(label: str) -> bool:
    return label.endswith("?") or bool(_NOT_A_NOUN.match(label))


def what_to_do(label: str, kind: str) -> str:
    """The instruction for an empty answer: "Enter the first name", "Select the title", "Select an
    answer to “Was the claimant wearing a seatbelt?”"."""
    if kind in ("choice", "flag", "boolean", "checkbox"):
        if _question(label):
            return f"Select an answer to “{label}”"
        if kind != "choice":
            return f"Select yes or no for “{label}”"
        return f"Select {_the(label)}"
    if kind == "array":
        return f"Add at least one {lower_first(label)}"
    if kind == "object":
        return f"Complete “{label}”"
    if _question(label):
        return f"Answer “{label}”"
    return f"Enter {_the(label)}"


def _label_of(detail: ErrorDetail, node: Node | None) -> tuple[str, str]:
    if node is not None and node.label:
        return node.label, node.kind
    name = next((p for p in reversed(detail.field.split(".")) if p and not p.isdigit()), "")
    return (field_label(name) if name else "This answer"), "text"


def field_message(detail: ErrorDetail, node: Node | None, kind: str = "") -> str:
    """``detail`` worded for a person, about the field ``node`` (None: named only by its path);
    ``kind`` is how the page shows it when that differs from the node's (a choice of users)."""
    label, node_kind = _label_of(detail, node)
    kind = kind or node_kind
    name = node.name if node is not None else detail.field.rpartition(".")[2]
    todo = what_to_do(label, kind)
    context = detail.context or {}
    message = detail.message
    error = detail.kind
    if error in ("missing", "too_short") or (
        error == "string_too_short" and context.get("min_length") == "1"
    ):
        return todo
    if error == "string_too_short":
        return f"{label} must be {context.get('min_length', '')} characters or more"
    if error == "string_too_long":
        return f"{label} must be {context.get('max_length', '')} characters or fewer"
    if error == "string_pattern_mismatch":
        if name in FORMAT_MESSAGES:
            return FORMAT_MESSAGES[name]
        if kind == "amount":
            return f"Enter {_the(label)} in pounds and pence, like 1500.00"
        if kind == "percent":
            return f"Enter {_the(label)} as a percentage, like 25.00"
        return f"Enter {_the(label)} in the correct format"
    if error in ("literal_error", "enum", "bool_type", "bool_parsing"):
        return todo if kind != "text" else f"Select {_the(label)}"
    if error in ("int_parsing", "int_type", "int_from_float"):
        return f"{label} must be a whole number, like 3"
    if error in ("greater_than_equal", "greater_than"):
        return f"{label} must be {context.get('ge', context.get('gt', '0'))} or more"
    if error in ("less_than_equal", "less_than"):
        return f"{label} must be {context.get('le', context.get('lt', ''))} or less"
    if error.startswith(("date", "datetime")):
        return f"{label} must be a real date"
    if error == "decimal_amount":
        for start, words in _MONEY:
            if message.startswith(start):
                limit = message.rpartition(" ")[2]
                return words.format(Label=label, label=_the(label), limit=limit)
        if kind == "percent":
            return f"Enter {_the(label)} as a percentage, like 25.00"
        return f"Enter {_the(label)} in pounds and pence, like 1500.00"
    if error == "extra_forbidden":
        return f"Remove “{label}”: it is not part of this form"
    if error in ("model_type", "dict_type", "list_type", "string_type", "model_attributes_type"):
        return todo
    text = message.removeprefix("Value error, ")
    if error == "cross_field" and text in RULES_BY_MESSAGE:
        return rule_message(RULES_BY_MESSAGE[text], todo, label)
    for pattern, word in CROSS_FIELD_RULES:
        match = pattern.match(text)
        if match is not None:
            return word(match, todo, label)
    plain = plain_text(text)
    if plain.startswith(("must ", "is ", "should ", "cannot ")):
        plain = f"{label} {plain}"
    return plain if not looks_technical(plain) else f"Check {_the(label)}: {todo.lower()}"


PHASE_NAMES: dict[str, str] = {
    code: phase.name for definition in DEFINITIONS.values() for code, phase in definition.phases.items()
}
_PHASE_ID = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, PHASE_NAMES), key=len, reverse=True)) + r")\b"
)
_IDENTIFIER = re.compile(r"\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9]+)+\b")


def plain_text(message: str) -> str:
    """A message that names no field of the page, worded for a person: a known message by table,
    else each field or operation identifier replaced by its label ("“Gross amount”")."""
    if not message:
        return message
    for start, words in PLAIN_MESSAGES:
        if start in message:
            return words
    for pattern, template in _PHASE_RULES:
        found = pattern.search(message)
        if found is not None:
            return template.format(**found.groupdict())

    def label(match: re.Match[str]) -> str:
        word = match.group(0)
        last = word.rpartition(".")[2]
        if word in OPERATION_LABELS:
            return f"“{OPERATION_LABELS[word]}”"
        if last in FIELD_LABELS or "." in word or last != last.lower():
            return f"“{field_label(last)}”"
        return word

    text = _IDENTIFIER.sub(label, message)
    text = _PHASE_ID.sub(lambda m: f"“{PHASE_NAMES[m.group(0)]}”", text) if PHASE_NAMES else text
    text = _NONE.sub("not set", text)
    if looks_technical(text):
        return "Something in this form needs correcting"
    return text


def summary_prefix(crumb: str, separator: str) -> str:
    """The repeated group a field is in ("Head of loss 2"), to tell its error from the same field's
    in another group; "" for a field in no numbered group."""
    parts = crumb.split(separator)
    numbered = [p for p in parts[:-1] if re.search(r" [0-9]+$", p)]
    return numbered[-1] if numbered else ""


_CHANGE_NOTICE = re.compile(
    r"^Claim (?P<claim>[0-9]{8}): (?P<operation>[A-Za-z0-9]+) by (?P<who>.+?); now (?P<phase>.+)$"
)


def notification_text(message: str) -> str:
    """A notification as a person reads it: a change notice names what was done in words, not the
    operation's identifier ("Claim 00000003: the claimant representative sent the Stage 2 Settlement
    Pack; the claim is now at …"). The stored text (and the API's feed) keep the identifier."""
    found = _CHANGE_NOTICE.match(message)
    if found is None:
        return plain_text(message)
    operation, who = found["operation"], found["who"]
    if operation in HISTORY_LABELS:
        done = f"{who} {lower_first(HISTORY_LABELS[operation])}"
    else:
        done = f"“{operation_label(operation)}” by {who}"
    return f"Claim {found['claim']}: {done}; the claim is now at {found['phase']}"
