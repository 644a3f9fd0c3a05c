"""The forms' conditional rules (``protocols.forms.rules``) are enforced identically by the server and by
the OpenAPI document: for every rule, at every place an operation's example body carries the block of
the rule, a body that breaks it is refused by both (the server at the rule's field path, with the
rule's message) and a body that keeps it is accepted by both."""

from __future__ import annotations

import copy
import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client
from pydantic import BaseModel

from claimsportal.a2a.examples import EXAMPLE_GUID, add_claim_example, example_payload
from claimsportal.a2a.schemas import PAYLOAD_MODELS
from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.common import FormModel
from tests.a2a.conftest import BASE, Callers
from tests.conftest import World

pytestmark = pytest.mark.django_db

# A valid answer for each field a rule may require or forbid (when the example has none there).
SAMPLES: dict[str, Any] = {
    "otherTitle": "Dr",
    "personalDetails": {"surname": "Smith"},
    "companyDetails": {"companyName": "Acme Haulage Ltd"},
    "ninComment": "The claimant has not been given one",
    "timeOffPeriod": 5,
    "daysNumber": "2",
    "cmcName": "Claims Direct Ltd",
    "mojcmcAuthorisationNumber": "1234567",
    "seatbelt": "1",
    "otherType": "Scooter",
    "opOther": "Bystander",
    "medCoCaseID": "123456/1",
    "cruComment": "Applied for, not yet received",
    "unadmittedLiabilityReasons": "The defendant was not there",
    "otherCapacity": "Agent of the insurer",
    "defendantLegalDetails": "Smith & Co Solicitors",
    "upToDateCRUCertificateAttachedComments": "Applied for, not yet received",
    "accidentTime": "10:30",
    "accidentDate": add_claim_example("EL")["cnf"]["accidentData"]["accidentDetails"]["accidentDate"],
    "employmentPeriod": "01/01/2010 - 01/01/2015",
    "exposurePeriod": "01/01/2010 - 01/01/2015",
    "claimantLocation": "0",
    "claimantLocationOther": "On the shop floor",
    **dict.fromkeys(rules.DISEASE_FLAGS, "1"),
}


@dataclass(frozen=True)
class Case:
    operation: str
    variant: str  # the protocol, or addClaim's claim type
    model: type[BaseModel]
    body: dict[str, Any]
    rule: rules.Rule
    block: tuple[str | int, ...]  # where the rule's block is in the body
    block_model: type[BaseModel]


def _models(annotation: Any) -> Iterator[tuple[type[BaseModel], bool]]:
    """The models an annotation holds, and whether as list items."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _models(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _models(arg)
    elif origin is list:
        for model, _ in _models(typing.get_args(annotation)[0]):
            yield model, True
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, False


def _blocks(
    model: type[BaseModel], data: Any, at: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], type[BaseModel]]]:
    """Every block of ``data`` (a body that validates as ``model``) and its model."""
    if not isinstance(data, dict):
        return
    yield at, model
    for name, field in model.model_fields.items():
        if name not in data:
            continue
        for inner, many in _models(field.annotation):
            if many:
                for index, item in enumerate(data[name] or []):
                    yield from _blocks(inner, item, (*at, name, index))
            else:
                yield from _blocks(inner, data[name], (*at, name))
            break


def _node(body: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        body = body[part]
    return body


def _bodies() -> Iterator[tuple[str, str, type[BaseModel], dict[str, Any]]]:
    """Each operation's example body per protocol, and per EL/PL claim type where it carries a CNF."""
    for operation, by_protocol in sorted(PAYLOAD_MODELS.items()):
        for protocol, model in sorted(by_protocol.items()):
            body = example_payload(operation, protocol)
            if protocol == "RTA" or "cnf" not in body:
                yield operation, protocol, model, body
                continue
            for claim_type in ("EL", "ELD", "PL"):
                cnf = add_claim_example(claim_type)["cnf"]
                yield (
                    operation,
                    claim_type,
                    model,
                    {**body, "cnf": cnf} | ({"claimType": claim_type} if "claimType" in body else {}),
                )


def _cases() -> list[Case]:
    """Every rule at every block of every example; where an example meets the rule's condition as it
    is, only such examples (making it apply elsewhere, by another claim type, would break others)."""
    every: dict[tuple[str, tuple[str | int, ...], rules.Rule], list[Case]] = {}
    for operation, variant, model, body in _bodies():
        for block, block_model in _blocks(model, body):
            for rule in getattr(block_model, "__rules__", ()):
                case = Case(operation, variant, model, body, rule, block, block_model)
                every.setdefault((operation, block, rule), []).append(case)
    cases = []
    for group in every.values():
        met = [c for c in group if rules.applies(c.rule, _node(c.body, c.block))]
        cases += met or group
    return cases


CASES = _cases()


def _set(block: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, name = dotted.split(".")
    for parent in parents:
        block = block.setdefault(parent, {})
    block[name] = value


def _drop(block: dict[str, Any], dotted: str) -> None:
    *parents, name = dotted.split(".")
    for parent in parents:
        block = block.get(parent) or {}
    block.pop(name, None)


def _field_annotation(model: type[BaseModel], dotted: str) -> Any:
    annotation: Any = model
    for name in dotted.split("."):
        inner = next(m for m, _ in _models(annotation))
        annotation = inner.model_fields[name].annotation
    return annotation


def _codes(annotation: Any) -> list[str]:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    return [code for arg in typing.get_args(annotation) for code in _codes(arg)]


def _applied(case: Case) -> dict[str, Any]:
    """The case's body with the rule's condition made to apply."""
    body = copy.deepcopy(case.body)
    block = _node(body, case.block)
    rule = case.rule
    if rules.applies(rule, block):
        return body
    when = rule.when
    if not when.values:
        _drop(block, when.path)  # (no rule holds unless a field is blank)
    elif not rule.unless:
        _set(block, when.path, when.values[0])
    else:
        other = next(
            c for c in _codes(_field_annotation(case.block_model, when.path)) if c not in when.values
        )
        _set(block, when.path, other)
    assert rules.applies(rule, block)
    return body


def _kept(case: Case) -> dict[str, Any]:
    body = _applied(case)
    block = _node(body, case.block)
    if case.rule.then == "forbidden":
        _drop(block, case.rule.field)
    elif rules.is_blank(rules._get(block, case.rule.field)):
        _set(block, case.rule.field, copy.deepcopy(SAMPLES[case.rule.field.rpartition(".")[2]]))
    return body


def _broken(case: Case) -> dict[str, Any]:
    body = _applied(case)
    block = _node(body, case.block)
    if case.rule.then == "forbidden":
        _set(block, case.rule.field, copy.deepcopy(SAMPLES[case.rule.field.rpartition(".")[2]]))
    else:
        _drop(block, case.rule.field)
    assert rules.violated(case.rule, block)
    return body


@pytest.fixture(scope="module")
def validators(django_db_setup: Any, django_db_blocker: Any) -> dict[str, jsonschema_rs.Draft202012Validator]:
    with django_db_blocker.unblock():
        document = json.loads(Client().get(f"{BASE}/openapi.json").content)
    out = {}
    for item in document["paths"].values():
        for operation in item.values():
            name = operation.get("operationId")
            if name in PAYLOAD_MODELS:
                schema = operation["requestBody"]["content"]["application/json"]["schema"]
                out[name] = jsonschema_rs.Draft202012Validator(
                    {"allOf": [schema], "components": document["components"]}
                )
    return out


def _sent(case: Case, body: dict[str, Any]) -> dict[str, Any]:
    return body if case.operation == "addClaim" else {"activityEngineGuid": EXAMPLE_GUID, **body}


def _server_errors(case: Case, body: dict[str, Any]) -> list[dict[str, str]]:
    try:
        validate_payload(case.model, body, clock.today())
    except PortalError as refused:
        return list(refused.as_dict()["details"])
    return []


def test_every_rule_is_carried_by_a_form_and_met_in_an_example() -> None:
    carried = {rule for model in _form_models() for rule in model.__rules__}
    assert carried == set(rules.ALL)
    assert {case.rule for case in CASES} == set(rules.ALL)


def _form_models() -> set[type[FormModel]]:
    found: set[type[FormModel]] = set()

    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        if issubclass(model, FormModel):
            found.add(model)
        for field in model.model_fields.values():
            for inner, _ in _models(field.annotation):
                walk(inner)

    for by_protocol in PAYLOAD_MODELS.values():
        for model in by_protocol.values():
            walk(model)
    return found


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[
        f"{c.operation}-{c.variant}-{'.'.join(map(str, c.block))}-{c.rule.field}-{c.rule.then}" for c in CASES
    ],
)
def test_the_server_and_the_document_agree_on_the_rule(
    case: Case, validators: dict[str, jsonschema_rs.Draft202012Validator]
) -> None:
    validator = validators[case.operation]
    path = ".".join(map(str, (*case.block, *case.rule.field.split("."))))

    broken = _broken(case)
    assert {"field": path, "message": case.rule.message} in _server_errors(case, broken)
    assert not validator.is_valid(_sent(case, broken))

    kept = _kept(case)
    assert _server_errors(case, kept) == []
    assert [
        (error.instance_path, error.message[-300:]) for error in validator.iter_errors(_sent(case, kept))
    ] == []


def test_a_request_gets_its_field_errors_and_its_broken_rules_at_once(callers: Callers, world: World) -> None:
    body = add_claim_example("RTA")
    body["compensator"] = world.comp.path
    cnf = body["cnf"]
    cnf["applicationData"]["claimDetails"]["oicReferenceNumber"] = "nope"  # a field error
    defendant = cnf["claimAndClaimantDetails"]["defendantDetails"]
    defendant["defendantStatus"] = "B"  # a business with no company details
    defendant.pop("companyDetails", None)
    defendant["personalDetails"]["titleType"] = "5"  # title "Other", not given
    defendant["personalDetails"].pop("otherTitle", None)
    defendant["personalDetails"]["surname"] = ""  # and a field error in the same block
    before = Claim.objects.count()
    answer = callers.cr.post("/claims", world.cr_handler, body)
    assert Claim.objects.count() == before
    assert (answer.status, answer.code) == (422, "SCHEMA_INVALID")
    at = "cnf.claimAndClaimantDetails.defendantDetails"
    assert sorted(answer.fields) == sorted(
        [
            "cnf.applicationData.claimDetails.oicReferenceNumber",
            f"{at}.companyDetails",
            f"{at}.personalDetails.otherTitle",
            f"{at}.personalDetails.surname",
        ]
    )
    messages = {d["field"]: d["message"] for d in answer.body["details"]}
    assert messages[f"{at}.companyDetails"] == rules.COMPANY_DETAILS_OF_A_BUSINESS.message
    assert messages[f"{at}.personalDetails.otherTitle"] == rules.OTHER_TITLE.message


def test_a_broken_rule_at_a_field_with_its_own_error_is_reported_once() -> None:
    body = add_claim_example("RTA")
    injury = body["cnf"]["medicalDetails"]["injury"]
    injury["timeOffRequired"] = "0"
    injury["timeOffPeriod"] = -1  # out of range, and not allowed without time off
    with pytest.raises(PortalError) as refused:
        validate_payload(PAYLOAD_MODELS["addClaim"]["RTA"], body, clock.today())
    details = refused.value.as_dict()["details"]
    assert [d["field"] for d in details] == ["cnf.medicalDetails.injury.timeOffPeriod"]
