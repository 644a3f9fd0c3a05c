"""The forms' rules that compare values (``protocols.forms.rules.ValueRule``) are stated by the OpenAPI
document: each on the schema of every block that checks it (``x-rules`` and the block's description),
with the exact message the server answers when a request breaks it; and no form block answers a
business-rule message that is not declared."""

from __future__ import annotations

import ast
import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from claimsportal.a2a.examples import add_claim_example, example_payload
from claimsportal.a2a.schemas import PAYLOAD_MODELS
from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.protocols import forms
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms import rules
from claimsportal.protocols.forms.cnf_rta import RtaClaimNotificationForm
from claimsportal.protocols.forms.common import FormModel, value_rules_of
from tests.a2a.conftest import BASE, Callers
from tests.a2a.test_conditional_rules import _blocks, _form_models, _node
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema object of the document (any dict with a ``title``)."""
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            yield node
        for child in node.values():
            yield from _schemas(child)
    elif isinstance(node, list):
        for child in node:
            yield from _schemas(child)


@pytest.fixture(scope="module")
def document(django_db_setup: Any, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        answer = Client().get(f"{BASE}/openapi.json")
    assert answer.status_code == 200
    loaded: dict[str, Any] = json.loads(answer.content)
    return loaded


def _schemas_of(block: type[BaseModel], document: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas of ``block`` in the document (named by its class, with its fields: two modules may
    have blocks of one name)."""
    fields = {field.alias or name for name, field in block.model_fields.items()}
    return [
        s
        for s in _schemas(document["components"])
        if s["title"] == block.__name__ and set(s.get("properties", {})) == fields
    ]


def _checking_blocks() -> list[type[FormModel]]:
    return sorted((m for m in _form_models() if value_rules_of(m)), key=lambda m: (m.__module__, m.__name__))


def test_every_value_rule_is_checked_by_a_block_of_an_operation() -> None:
    placed = {rules.ValueRule(r.message) for m in _form_models() for r in value_rules_of(m)}
    # The two date rules are on the date types themselves (every field of those types states them).
    assert placed | {rules.NOT_IN_FUTURE, rules.IN_PAST} == set(rules.VALUE_RULES)
    assert all(r.fields for m in _form_models() for r in value_rules_of(m))


@pytest.mark.parametrize(
    "block", _checking_blocks(), ids=lambda m: f"{m.__module__.rsplit('.', 1)[-1]}.{m.__name__}"
)
def test_the_document_states_each_value_rule_on_the_block_that_checks_it(
    block: type[FormModel], document: dict[str, Any]
) -> None:
    stated = [rule.stated() for rule in value_rules_of(block)]
    schemas = _schemas_of(block, document)
    assert schemas, f"{block.__name__} is not in the document"
    for schema in schemas:
        assert schema.get("x-rules") == stated
        description = schema["description"]
        assert "Also checked by the server: " in description
        for rule in value_rules_of(block):
            assert f"{', '.join(rule.fields)} {rule.message}" in description


def test_the_date_rules_are_stated_on_the_dates_they_check(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert json.dumps(rules.NOT_IN_FUTURE.stated()) in text
    assert json.dumps(rules.IN_PAST.stated()) in text


# --- a request that breaks a rule is refused at the stated path with the stated message -----------


def _break_attention_date(block: dict[str, Any]) -> None:
    block["medicalDetails"]["injury"]["medicalAttentionFirstDate"] = "2001-01-01"


def _break_cru_deductions(block: dict[str, Any]) -> None:
    block["total"]["currentTotal"]["cruDeductions"] = "9999999.00"


def _repeat_first_head(block: dict[str, Any]) -> None:
    heads = block["claimantLosses"]["currentClaimantOffer"]
    heads.append(copy.deepcopy(heads[0]))


def _break_value_after_contribution(block: dict[str, Any]) -> None:
    block["valueClaimedAfterContrib"] = "0.01"


BROKEN: list[tuple[str, str, str, rules.ValueRule, Callable[[dict[str, Any]], None]]] = [
    # (operation, protocol, block model, rule, how to break it on the block)
    ("addClaim", "RTA", "RtaClaimNotificationForm", rules.ATTENTION_AFTER_ACCIDENT, _break_attention_date),
    ("addStage2SPFResponse", "RTA", "RtaStage2Response", rules.CRU_WITHIN_OFFER, _break_cru_deductions),
    ("addStage2SPFRequest", "ELPL", "ElplStage2Request", rules.ONE_HEAD_PER_LOSS_TYPE, _repeat_first_head),
    (
        "addCPPFRequest",
        "RTA",
        "RtaLastClaimantOffer",
        rules.VALUE_AFTER_CONTRIBUTION,
        _break_value_after_contribution,
    ),
]


def _stated_path(field: str, body: dict[str, Any], block_at: tuple[str | int, ...]) -> str:
    """The stated field (``*``: the last item of its list, the one a test adds) as a full path."""
    parts: list[str | int] = list(block_at)
    node: Any = _node(body, block_at)
    for name in field.split("."):
        part: str | int = len(node) - 1 if name == "*" else name
        parts.append(part)
        node = node[part]
    return ".".join(map(str, parts))


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_a_broken_value_rule_is_refused_at_the_stated_field_with_the_stated_message(
    case: tuple[str, str, str, rules.ValueRule, Callable[[dict[str, Any]], None]], document: dict[str, Any]
) -> None:
    operation, protocol, block_name, rule, breaks = case
    model = PAYLOAD_MODELS[operation][protocol]
    body = example_payload(operation, protocol)
    assert _server_errors_of(model, body) == [], "the example is valid as it is"

    at, block_model = next((at, m) for at, m in _blocks(model, body) if m.__name__ == block_name)
    (stated,) = {json.dumps(s["x-rules"]) for s in _schemas_of(block_model, document)}
    (declared,) = [r for r in json.loads(stated) if r["rule"] == rule.message]
    assert rule.message in {r.message for r in value_rules_of(block_model)}

    broken = copy.deepcopy(body)
    breaks(_node(broken, at))
    errors = _server_errors_of(model, broken)
    paths = {_stated_path(field, broken, at) for field in declared["fields"]}
    refused = [e for e in errors if e["field"] in paths]
    assert refused, errors
    for error in refused:
        assert rule.pattern.match(error["message"]), (error, rule.message)
    if "{" not in rule.message:
        assert [e["message"] for e in refused] == [rule.message]


def _server_errors_of(model: Any, body: dict[str, Any]) -> list[dict[str, str]]:
    """The server's refusal of ``body`` (the API's error details: field path and message)."""
    try:
        validate_payload(model, body, clock.today())
    except PortalError as refused:
        return list(refused.as_dict()["details"])
    return []


# --- no undeclared business-rule message ---------------------------------------------------------

_FORM_MODULES = sorted(p for p in Path(forms.__file__).parent.glob("*.py") if p.name != "rules.py")


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _literal_messages(source: str) -> list[int]:
    """The lines where a block's error is written as literal text instead of a declared rule's: the
    message of an error tuple ``(path, message, value)`` or the text of a ``ValueError``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.expr):
            continue
        if isinstance(node, ast.Tuple) and len(node.elts) == 3:
            where, message, _ = node.elts
            # (a path, not text: (*path, "a", "b") is a path itself) then text: an error
            if not _is_text(where) and not isinstance(where, ast.Starred) and _is_text(message):
                lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "ValueError"
            and any(_is_text(arg) for arg in node.args)
        ):
            lines.append(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize("module", _FORM_MODULES, ids=lambda p: p.name)
def test_no_form_block_writes_a_rule_message_of_its_own(module: Path) -> None:
    assert _literal_messages(module.read_text(encoding="utf-8")) == []


def test_the_message_scan_finds_a_literal_message() -> None:
    source = 'errors.append((("a",), f"must be {x}", x))\nraise ValueError("must be signed")\n'
    assert _literal_messages(source) == [1, 2]
    assert _literal_messages('errors.append((("a",), rules.X.say(), x))\n') == []


def test_a_declared_template_matches_the_messages_it_gives() -> None:
    said = rules.ONE_HEAD_PER_LOSS_TYPE.say(loss_type="1 (Vehicle damage)", index=0)
    assert rules.ONE_HEAD_PER_LOSS_TYPE.pattern.match(said)
    assert not rules.ONE_HEAD_PER_LOSS_TYPE.pattern.match("give one head per loss type")
    assert rules.CRU_WITHIN_OFFER.pattern.match(rules.CRU_WITHIN_OFFER.say(offered="10.00"))


def test_an_add_claim_that_breaks_value_rules_is_refused_over_http_with_the_stated_messages(
    callers: Callers, world: World, document: dict[str, Any]
) -> None:
    body = add_claim_example("RTA")
    body["compensator"] = world.comp.path
    cnf = body["cnf"]
    cnf["medicalDetails"]["injury"]["medicalAttentionFirstDate"] = "2001-01-01"  # before the accident
    cnf["claimAndClaimantDetails"]["claimantDetails"]["childClaim"] = "1"  # an adult claimant
    before = Claim.objects.count()
    answer = callers.cr.post("/claims", world.cr_handler, body)
    assert Claim.objects.count() == before
    assert (answer.status, answer.code) == (422, "SCHEMA_INVALID")
    (schema,) = {json.dumps(s["x-rules"]) for s in _schemas_of(RtaClaimNotificationForm, document)}
    stated = {field: r["rule"] for r in json.loads(schema) for field in r["fields"]}
    messages = {d["field"]: d["message"] for d in answer.body["details"]}
    attention = "medicalDetails.injury.medicalAttentionFirstDate"
    assert messages[f"cnf.{attention}"] == stated[attention] == rules.ATTENTION_AFTER_ACCIDENT.message
    child = "claimAndClaimantDetails.claimantDetails.childClaim"
    assert messages[f"cnf.{child}"] == rules.NO_CHILD_CLAIM_AT_18.message
    assert {"fields": [child], "rule": messages[f"cnf.{child}"]} in json.loads(schema)
