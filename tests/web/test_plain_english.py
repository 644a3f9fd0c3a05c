"""Every word a form shows is written for a person (issue 18): the meta-test.

It walks every form of every operation (and the draft CNF's sections): every label, hint and option;
then every error each form can produce — each field of each example form left out, emptied, too
long, of the wrong format, another code, a date in the future, a bad amount — worded as the page
words it; then every business rule of the protocol tables and every refusal the services give. Any
text with a regular expression, a field path or camelCase identifier, an operation or phase
identifier, a validator's own words or "None" fails, naming the form, the field and the text.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from claimsportal.a2a.examples import add_claim_example, example_payload
from claimsportal.a2a.schemas import PAYLOAD_MODELS
from claimsportal.presentation.form_tree import Node, find_absolute, form_tree, template_path
from claimsportal.presentation.messages import field_message, looks_technical, plain_text
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.tables import DEFINITIONS
from claimsportal.web.claims.schema_form import attach_errors, bind, values_from_data

TODAY = date(2026, 12, 6)
FORMS: list[tuple[str, str, type[BaseModel]]] = sorted(
    {(op, protocol, model) for op, by in PAYLOAD_MODELS.items() for protocol, model in by.items()},
    key=lambda f: (f[0], f[1]),
)
# What each field of an example form is changed to: left out, then each bad answer in turn.
LEFT_OUT = object()
MUTATIONS: tuple[Any, ...] = (
    LEFT_OUT,
    "",
    "!!bad!!",
    "x" * 600,
    "1",
    "0",
    "2",
    "99",
    "2999-01-01",
    "-5",
    "£5",
    "1,000.00",
    "1.234",
    {"a": 1},
)


def _example(operation: str, protocol: str) -> dict[str, Any]:
    if operation == "addClaim":
        return add_claim_example("RTA" if protocol == "RTA" else "PL")
    data = example_payload(operation, protocol)
    data.pop("activityEngineGuid", None)
    return data


def _leaves(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    if path:
        yield path


def _changed(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    if value is LEFT_OUT:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


def _errors(model: type[BaseModel], data: dict[str, Any]) -> list[ErrorDetail]:
    try:
        validate_payload(model, data, TODAY)
    except PortalError as refused:
        return list(refused.details)
    return []


def _words(node: Node) -> Iterator[tuple[str, str]]:
    yield node.path or "(form)", node.label
    yield node.path, node.hint
    for _value, label in node.choices:
        yield node.path, label
    for child in node.children:
        yield from _words(child)
    if node.item is not None:
        yield from _words(node.item)


@pytest.mark.parametrize(("operation", "protocol", "model"), FORMS, ids=[f"{f[0]}-{f[1]}" for f in FORMS])
def test_every_label_hint_and_option_of_every_form_is_in_words(
    operation: str, protocol: str, model: type[BaseModel]
) -> None:
    wrong = [
        f"{path}: {text!r} has {problem}"
        for path, text in _words(form_tree(model))
        if text and (problem := looks_technical(text))
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("operation", "protocol", "model"), FORMS, ids=[f"{f[0]}-{f[1]}" for f in FORMS])
def test_every_error_a_form_can_produce_is_in_words(
    operation: str, protocol: str, model: type[BaseModel]
) -> None:
    tree = form_tree(model)
    example = _example(operation, protocol)
    assert not _errors(model, example), "the example form is valid as it is"
    seen: dict[str, str] = {}
    produced = 0
    done: set[str] = set()
    for path in list(_leaves(example)):
        place = ".".join("*" if isinstance(p, int) else p for p in path)
        if place in done and not isinstance(path[-1], int):
            continue  # the same field of another group of a list: its errors are worded alike
        done.add(place)
        for value in MUTATIONS:
            for detail in _errors(model, _changed(example, path, value)):
                produced += 1
                text = field_message(detail, find_absolute(tree, template_path(detail.field)))
                problem = looks_technical(text)
                if problem:
                    seen[text] = f"{detail.field} ({detail.kind}: {detail.message}) -> {text!r} has {problem}"
    assert produced or not example, "the mutations produced errors"
    assert not seen, "\n".join(seen.values())


@pytest.mark.parametrize(("operation", "protocol", "model"), FORMS, ids=[f"{f[0]}-{f[1]}" for f in FORMS])
def test_an_empty_form_links_every_error_to_an_input_that_shows_it(
    operation: str, protocol: str, model: type[BaseModel]
) -> None:
    """The form sent empty: each summary link names an id the page has, and that field shows the
    error inline (a block left out is reported as its required answers)."""
    tree = form_tree(model)
    root = bind(tree, {})
    summary = attach_errors(root, _errors(model, {}))
    ids = {f.id for f in root.walk()} | {f.anchor for f in root.walk()}
    for error in summary:
        assert not looks_technical(error.text), error.text
        if error.href:
            assert error.href[1:] in ids, f"{error.text} links to {error.href}, not on the page"
    shown = [e for f in root.walk() for e in f.errors]
    assert len(shown) >= len([e for e in summary if e.href])


def test_a_section_sent_empty_reports_each_required_answer_not_the_block() -> None:
    model = PAYLOAD_MODELS["addClaim"]["RTA"]
    tree = form_tree(model)
    section = tree.find("cnf.applicationData")
    assert section is not None
    root = bind(section, values_from_data(section, None))
    data = add_claim_example("RTA")
    del data["cnf"]["applicationData"]
    summary = attach_errors(root, _errors(model, data))
    texts = [e.text for e in summary]
    assert "Application data" not in " ".join(texts)
    assert any(t.startswith(("Select", "Enter")) for t in texts), texts
    assert all(e.href.startswith("#f-cnf-applicationData-") for e in summary), summary


def test_every_business_rule_of_the_protocols_is_in_words() -> None:
    wrong = []
    for definition in DEFINITIONS.values():
        for op in definition.operations:
            for guard in op.guards:
                if not guard.message:
                    continue
                detail = ErrorDetail(guard.field, guard.message)
                text = field_message(detail, None) if guard.field else plain_text(guard.message)
                if problem := looks_technical(text):
                    wrong.append(f"{op.name}: {guard.message!r} -> {text!r} has {problem}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("acceptClaim can only be done by the COMP side at this point", "It is for the other side"),
        (
            "acceptClaim is not allowed while the claim is in phase ClaimSubmitted (CNF Submitted)",
            "This cannot be done while the claim is at “CNF Submitted”",
        ),
        ("claimType must be one of RTA, EL, ELD, PL", "Select the type of claim"),
        ("allocateUser needs a team leader profile", "“Allocate to a user” needs a team leader profile"),
        (
            "The time limit for ClaimSubmitted passed at 2026-03-24 00:00 (London): the claim is moving to X",
            "The time limit passed on 2026-03-24 00:00",
        ),
        ("The claim has changed since you read it: read its status and try again", "The claim has changed"),
    ],
)
def test_a_refusal_is_worded_for_a_person(message: str, expected: str) -> None:
    text = plain_text(message)
    assert text.startswith(expected)
    assert not looks_technical(text)


@pytest.mark.parametrize(
    ("field", "kind", "message", "context", "expected"),
    [
        (
            "ispfResponse.defendantRepresentative.cruReference.cruReferenceNumber",
            "string_pattern_mismatch",
            "String should match pattern '^[a-zA-Z]{3}[0-9]{3}$'",
            {"pattern": "^[a-zA-Z]{3}[0-9]{3}$"},
            "Enter the CRU reference number as 3 letters then 3 numbers, like ABC123",
        ),
        (
            "cnf.applicationData.claimDetails.oicReferenceNumber",
            "string_pattern_mismatch",
            "String should match pattern '^OIC-[0-9-]{1,28}$'",
            {},
            "Enter the OIC reference number as OIC- then numbers, like OIC-1234-5678",
        ),
        (
            "cnf.claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.mojcmcAuthorisationNumber",
            "string_pattern_mismatch",
            "String should match pattern '^[0-9]{1,7}$'",
            {},
            "Enter the MoJ CMC authorisation number as up to 7 numbers, like 1234567",
        ),
        (
            "cnf.claimAndClaimantDetails.claimantDetails.ninComment",
            "cross_field",
            "is required to explain why no nationalInsuranceNumber is given",
            {},
            "Explain why there is no National Insurance number",
        ),
        (
            "ispfResponse.defendantRepresentative.cruReference.cruComment",
            "cross_field",
            "is required when no cruReferenceNumber is given: explain why the CRU reference is not known",
            {},
            "Enter the CRU reference number, or explain why it is not known",
        ),
        (
            "cnf.accidentData.accidentDetails.seatbelt",
            "cross_field",
            "is required when claimantType is 0 (driver) or 2 (passenger)",
            {},
            "Select an answer to “Was the claimant wearing a seatbelt?”: the claimant was the driver or a passenger",
        ),
    ],
)
def test_the_errors_the_issue_found_are_worded_for_a_person(
    field: str, kind: str, message: str, context: dict[str, str], expected: str
) -> None:
    tree = form_tree(
        PAYLOAD_MODELS["addInterimSPFResponse"]["RTA"]
        if field.startswith("ispf")
        else PAYLOAD_MODELS["addClaim"]["RTA"]
    )
    node = find_absolute(tree, template_path(field))
    assert node is not None
    assert field_message(ErrorDetail(field, message, kind=kind, context=context), node) == expected


def test_the_api_keeps_its_machine_messages() -> None:
    model = PAYLOAD_MODELS["addClaim"]["RTA"]
    data = add_claim_example("RTA")
    data["cnf"]["applicationData"]["claimDetails"]["oicReferenceNumber"] = "nope"
    with pytest.raises(PortalError) as refused:
        validate_payload(model, data, TODAY)
    as_sent = refused.value.as_dict()
    assert as_sent["details"] == [
        {
            "field": "cnf.applicationData.claimDetails.oicReferenceNumber",
            "message": "String should match pattern '^OIC-[0-9-]{1,28}$'",
        }
    ]


def test_a_change_notice_is_shown_in_words_and_the_stored_text_keeps_the_identifier() -> None:
    from claimsportal.claims.notices import change_message
    from claimsportal.presentation.messages import notification_text

    stored = change_message(3, "addStage2SPFRequest", "CR", "Stage 2 Settlement Pack Response")
    assert "addStage2SPFRequest" in stored  # the API's feed is unchanged
    shown = notification_text(stored)
    assert shown == (
        "Claim 00000003: the claimant representative sent the Stage 2 Settlement Pack; "
        "the claim is now at Stage 2 Settlement Pack Response"
    )
    assert not looks_technical(shown)
    other = notification_text(change_message(3, "acknowledgeRejectedClaim", "COMP", "Claim Rejected"))
    assert other.startswith("Claim 00000003: “Acknowledge the rejection” by the compensator")
