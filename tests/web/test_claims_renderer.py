"""The one form renderer (presentation/form_tree.py, web/claims/schema_form.py): every operation's
form from its payload model, input names that are the API's field paths, and the API's errors beside
the fields."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel

from claimsportal.a2a.examples import example_payload
from claimsportal.core.clock import FixedClock
from claimsportal.presentation.cnf import cnf_tree
from claimsportal.presentation.form_tree import CRUMB, Node, form_tree
from claimsportal.presentation.summary import summarise
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms.examples import cnf_example
from claimsportal.protocols.payloads import (
    ElplAddClaimPayload,
    ExitPayload,
    RtaAddClaimPayload,
    RtaLiabilityDecisionPayload,
)
from claimsportal.protocols.tables import DEFINITIONS
from claimsportal.web.claims.forms import cnf_settings
from claimsportal.web.claims.schema_form import (
    FormSettings,
    add_group,
    attach_errors,
    bind,
    parse,
    parse_section,
    remove_group,
    values_from_data,
)

TODAY = date(2026, 3, 2)
DOB = "cnf.claimAndClaimantDetails.claimantDetails.personalDetails.dateOfBirth"


def _operations() -> list[tuple[str, str, type[BaseModel]]]:
    seen: dict[tuple[str, str], type[BaseModel]] = {}
    for protocol, definition in DEFINITIONS.items():
        for op in definition.operations:
            seen.setdefault((protocol.value, op.name), op.payload)
    return [(protocol, name, model) for (protocol, name), model in seen.items()]


def _leaves(node: Node) -> list[Node]:
    if node.kind == "object":
        return [leaf for child in node.children for leaf in _leaves(child)]
    if node.kind == "array":
        assert node.item is not None
        return _leaves(node.item)
    return [node]


def _fields(root: Any) -> dict[str, Any]:
    return {f.path: f for f in root.walk()}


@pytest.mark.parametrize(("protocol", "operation", "model"), _operations())
def test_every_operations_example_goes_through_its_form_unchanged(
    clock: FixedClock, protocol: str, operation: str, model: type[BaseModel]
) -> None:
    """What the form shows for a complete example is what it sends back: the same valid payload (the
    portal fills the compensator's organisation ID and path of a CNF)."""
    example = example_payload(operation, protocol)
    tree = form_tree(model)
    settings = FormSettings()
    if tree.child("cnf") is not None:
        settings = cnf_settings(str(example.get("claimType", "RTA")), example["cnf"])
    payload, _ = parse(tree, values_from_data(tree, example), settings)
    expected = validate_payload(model, example, TODAY).model_dump(mode="json")
    assert _given(validate_payload(model, payload, TODAY).model_dump(mode="json")) == _given(expected)


def _given(data: Any) -> Any:
    """The answers given: an empty optional answer (``""``, an empty block) is the same as none."""
    if isinstance(data, dict):
        kept = {k: _given(v) for k, v in data.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", {})}
    if isinstance(data, list):
        return [_given(v) for v in data]
    return data


@pytest.mark.parametrize(("protocol", "operation", "model"), _operations())
def test_every_input_is_named_by_its_field_path(
    protocol: str, operation: str, model: type[BaseModel]
) -> None:
    tree = form_tree(model)
    root = bind(tree, values_from_data(tree, example_payload(operation, protocol)))
    for field in root.walk():
        if field.kind in ("object", "array", "checkboxes"):
            continue
        assert field.path.split(".")[-1] == field.node.name
        assert field.id == "f-" + field.path.replace(".", "-")
        if field.kind == "date":
            assert field.anchor == f"{field.id}-day"


def test_the_rta_cnf_is_objects_choices_dates_and_repeatable_groups() -> None:
    tree = cnf_tree("RTA")
    assert [s.name for s in tree.children] == [
        "applicationData",
        "claimAndClaimantDetails",
        "medicalDetails",
        "repairsAndAlternativeVehicleProvision",
        "accidentData",
        "otherPartyDetails",
        "liabilityFunding",
        "statementOfTruth",
    ]
    person = tree.find("claimAndClaimantDetails.claimantDetails.personalDetails")
    assert person is not None and person.kind == "object" and person.label == "Personal details"
    kinds = {c.name: c.kind for c in person.children}
    assert kinds["dateOfBirth"] == "date"
    assert kinds["titleType"] == "choice"
    assert kinds["surname"] == "text"
    title = person.child("titleType")
    assert title is not None and ("1", "Mr") in title.choices
    child = tree.find("claimAndClaimantDetails.claimantDetails.childClaim")
    assert child is not None and child.kind == "flag" and child.choices == (("1", "Yes"), ("0", "No"))
    hospital = tree.find("medicalDetails.hospital.*.hospitalType")
    assert hospital is not None and hospital.choices == (("0", "NHS"), ("1", "Private"))  # not a Yes/No
    parties = tree.find("otherPartyDetails.otherParty")
    assert parties is not None and parties.kind == "array" and parties.max_items == 6
    assert tree.child("statementOfTruth") is not None
    assert tree.find("accidentData.accidentDetails.accidentDescription").kind == "textarea"  # type: ignore[union-attr]


def test_stage2_amounts_and_percentages_are_decimal_inputs() -> None:
    definition = DEFINITIONS[next(iter(DEFINITIONS))]
    op = definition.operations_named("addStage2SPFRequest")[0]
    kinds = {leaf.name: leaf.kind for leaf in _leaves(form_tree(op.payload))}
    assert kinds["grossValueClaimed"] == "amount"
    assert kinds["percContribNegDeductions"] == "percent"
    root = bind(form_tree(op.payload), {})
    html_kinds = {f.node.name: f.kind for f in root.walk()}
    assert html_kinds["lossType"] == "choice"


def test_three_optional_flags_of_a_block_are_one_checkbox_group() -> None:
    node = cnf_tree("RTA").find("accidentData.accidentDetails.weatherConditions")
    assert node is not None
    root = bind(node, {f"{node.path}.rain": "1"})
    group = next(f for f in root.children if f.kind == "checkboxes")
    assert [f.node.name for f in group.children] == ["sun", "rain", "snow", "ice", "fog", "other"]
    assert [f.value for f in group.children if f.value] == ["1"]
    value, _ = parse_section(node, {f"{node.path}.rain": "1", f"{node.path}.otherDetails": ""})
    assert value == {"rain": "1"}


def test_a_date_is_three_boxes_and_goes_as_typed() -> None:
    node = cnf_tree("RTA").find("claimAndClaimantDetails.claimantDetails.personalDetails")
    assert node is not None
    values = {f"{DOB}[day]": "5", f"{DOB}[month]": "1", f"{DOB}[year]": "1980"}
    assert parse_section(node, values)[0]["dateOfBirth"] == "1980-01-05"
    values[f"{DOB}[month]"] = "13"
    assert parse_section(node, values)[0]["dateOfBirth"] == "1980-13-05"  # the API says what is wrong
    values[f"{DOB}[day]"] = "x"
    assert parse_section(node, values)[0]["dateOfBirth"] == "1980-13-x"
    root = bind(node, values)
    dob = _fields(root)[DOB]
    assert dob.parts == {"day": "x", "month": "13", "year": "1980"}


def test_the_apis_errors_are_shown_beside_their_fields_in_plain_english() -> None:
    cnf = cnf_example("RTA")
    cnf["claimAndClaimantDetails"]["claimantDetails"]["personalDetails"]["dateOfBirth"] = "2030-01-01"
    del cnf["accidentData"]["accidentDetails"]["accidentLocation"]
    payload = {"claimType": "RTA", "compensator": "/COMP001", "cnf": cnf}
    with pytest.raises(PortalError) as refused:
        validate_payload(RtaAddClaimPayload, payload, TODAY)
    api = {d.field: d.message for d in refused.value.details}
    assert set(api) == {DOB, "cnf.accidentData.accidentDetails.accidentLocation"}

    tree = form_tree(RtaAddClaimPayload)
    root = bind(tree, values_from_data(tree, payload))
    summary = attach_errors(root, refused.value.details)
    fields = _fields(root)
    assert fields[DOB].errors == ["Date of birth must be in the past"]
    assert fields["cnf.accidentData.accidentDetails.accidentLocation"].errors == [
        "Enter the place where the accident happened"
    ]
    assert [s.href for s in summary] == [
        f"#{fields[path].anchor}" for path in (d.field for d in refused.value.details)
    ]
    by_href = {s.href: s.text for s in summary}
    assert by_href[f"#{fields[DOB].id}-day"] == "Date of birth must be in the past"


def test_an_error_about_a_whole_block_or_no_field_shown_goes_to_the_nearest() -> None:
    tree = form_tree(ExitPayload)
    root = bind(tree, {})
    summary = attach_errors(
        root,
        [
            ErrorDetail("exitComment.extra", "too long"),
            ErrorDetail("", "The claim is locked"),
            ErrorDetail("x", "y"),
        ],
    )
    assert _fields(root)["exitComment"].errors == ["too long"]
    assert [s.href for s in summary] == ["#f-exitComment", "", ""]
    assert summary[1].text == "The claim is locked"


def test_required_blocks_are_sent_empty_so_that_the_api_names_each_missing_field() -> None:
    tree = form_tree(RtaLiabilityDecisionPayload)
    payload, _ = parse(tree, {})
    assert payload["insurerResponse"]["liabilityCausation"] == {}
    with pytest.raises(PortalError) as refused:
        validate_payload(RtaLiabilityDecisionPayload, payload, TODAY)
    fields = {d.field for d in refused.value.details}
    assert "insurerResponse.liabilityCausation.liabilityDecision" in fields
    assert "insurerResponse" not in fields


def test_groups_are_added_and_removed_and_empty_ones_dropped_with_their_indices() -> None:
    node = cnf_tree("RTA").child("otherPartyDetails")
    assert node is not None
    base = "cnf.otherPartyDetails.otherParty"
    root = bind(node, {})
    assert len(_fields(root)[base].children) == 1  # one at least: the list needs one
    values = add_group({f"{base}[count]": "1", f"{base}.0.personalDetails.surname": "Ash"}, node, base)
    values = add_group(values, node, base)
    assert values[f"{base}[count]"] == "3"
    values[f"{base}.2.personalDetails.surname"] = "Cole"
    values[f"{base}.2.opType"] = "W"
    value, compact = parse_section(node, values)
    assert [p["personalDetails"]["surname"] for p in value["otherParty"]] == ["Ash", "Cole"]
    assert compact[f"{base}[count]"] == "2"
    assert compact[f"{base}.1.personalDetails.surname"] == "Cole"  # group 3 is the API's index 1 now
    removed = remove_group(compact, f"{base}.0")
    assert removed[f"{base}[count]"] == "1"
    assert removed[f"{base}.0.personalDetails.surname"] == "Cole"
    assert f"{base}.1.personalDetails.surname" not in removed


def test_a_list_never_shows_more_groups_than_its_schema_allows() -> None:
    node = cnf_tree("RTA").child("otherPartyDetails")
    assert node is not None
    base = "cnf.otherPartyDetails.otherParty"
    values = {f"{base}[count]": "6"}
    assert add_group(values, node, base)[f"{base}[count]"] == "6"
    root = bind(node, {f"{base}[count]": "99"})
    array = _fields(root)[base]
    assert len(array.children) == 6 and not array.can_add


def test_fields_the_portal_fills_are_neither_shown_nor_typed() -> None:
    settings = cnf_settings("EL", {})
    tree = form_tree(ElplAddClaimPayload)
    root = bind(tree, {}, settings)
    paths = set(_fields(root))
    assert "cnf.applicationData.claimDetails.notificationDate" not in paths
    assert "cnf.applicationData.claimDetails.claimType" not in paths
    node = cnf_tree("EL").child("applicationData")
    assert node is not None
    value, _ = parse_section(
        node,
        {
            "cnf.applicationData.claimDetails.claimType": "PL",
            "cnf.applicationData.claimDetails.signatory": "S",
        },
        settings,
    )
    assert value["claimDetails"]["claimType"] == "EL"  # the draft's type, whatever is posted


def test_stored_forms_read_with_the_same_labels() -> None:
    tree = cnf_tree("RTA")
    groups = summarise(tree, cnf_example("RTA", surname="Okafor", date_of_birth=date(1980, 1, 15)))
    rows = {(g.heading, r.key): r.value for g in groups for r in g.rows}
    person = CRUMB.join(("Claim and claimant details", "Claimant details", "Personal details"))
    assert rows[(person, "Last name")] == "Okafor"
    assert rows[(person, "Date of birth")] == "15 January 1980"
    assert rows[(person, "Title")] == "Ms"  # titleType 3
    assert (
        rows[(CRUMB.join(("Claim and claimant details", "Claimant details")), "Is the claimant a child?")]
        == "No"
    )
    assert rows[("", "Statement of truth")] == "Yes"
    assert any(g.heading.endswith("Other party 1") for g in groups)
    assert all(not r.key.startswith("_") for g in groups for r in g.rows)


@pytest.mark.parametrize(
    "operation", ["addStage2SPFResponse", "addStage2SPFCounterOfferByCR", "addStage2SPFCounterOfferByCM"]
)
def test_a_partys_gross_amount_is_labelled_as_its_global_offer(operation: str) -> None:
    # Release 6 (ADMINISTRATION.md §8.6): the settlement pack's screens and PDF say "Gross amount
    # (Global offer)" for AgreementDetails/GrossAmount, which may differ from the sum of the heads.
    definition = DEFINITIONS[next(iter(DEFINITIONS))]
    op = definition.operations_named(operation)[0]
    labels = {leaf.name: leaf.label for leaf in _leaves(form_tree(op.payload))}
    assert labels["grossAmount"] == "Gross amount (Global offer)"
