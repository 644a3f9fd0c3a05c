"""Hostile input on every API operation (issue 17): each refusal is the documented JSON error, with its
status and code, and nothing is written (row counts of claims, events, notifications, attachments,
printable documents, idempotency records and the audit trail before and after). Never a 500, never HTML."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from claimsportal.a2a.body import MAX_DEPTH, nesting_depth, parse_json
from claimsportal.a2a.models import IdempotencyRecord
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.models import AuditEntry
from claimsportal.documents.models import Attachment, PrintableDocument
from claimsportal.notifications.models import Notification
from claimsportal.protocols.errors import PortalError
from tests.a2a.conftest import BASE, Callers
from tests.conftest import World, cnf, send_claim

pytestmark = pytest.mark.django_db

TABLES = (Claim, ClaimEvent, Notification, Attachment, PrintableDocument, IdempotencyRecord, AuditEntry)


def snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def post_paths(application_id: int) -> list[str]:
    """Every POST path of the OpenAPI document (the sandbox's aside: 404 outside sandbox mode)."""
    document = json.loads(Client().get(f"{BASE}/openapi.json").content)
    paths = [p for p, item in document["paths"].items() if "post" in item and "/sandbox/" not in p]
    return [p.replace("{applicationId}", f"{application_id:08d}").removeprefix(BASE) for p in paths]


# name -> (body bytes, content type, expected status, expected code)
HOSTILE: dict[str, tuple[bytes, str, int, str]] = {
    "deep nesting": (b'{"x":' + b"[" * 1500 + b"]" * 1500 + b"}", "application/json", 422, "SCHEMA_INVALID"),
    "deep nesting in objects": (
        b'{"a":' * 100 + b"1" + b"}" * 100,
        "application/json",
        422,
        "SCHEMA_INVALID",
    ),
    "NUL in a string": (
        b'{"activityEngineGuid": "x", "comments": "a\\u0000b"}',
        "application/json",
        422,
        "SCHEMA_INVALID",
    ),
    "raw NUL byte": (b'{"comments": "a\x00b"}', "application/json", 422, "SCHEMA_INVALID"),
    "control characters": (
        b'{"comments": "a\\u0001\\u0007\\u001b"}',
        "application/json",
        422,
        "SCHEMA_INVALID",
    ),
    "bidi override": ('{"comments": "abc\u202edef"}'.encode(), "application/json", 422, "SCHEMA_INVALID"),
    "lone surrogate": (b'{"comments": "\\ud800"}', "application/json", 422, "SCHEMA_INVALID"),
    "duplicate keys": (b'{"comments": "a", "comments": "b"}', "application/json", 422, "SCHEMA_INVALID"),
    "huge body": (
        b'{"comments": "' + b"a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}',
        "application/json",
        413,
        "LIMIT_EXCEEDED",
    ),
    "text/plain": (b'{"comments": "a"}', "text/plain", 415, "SCHEMA_INVALID"),
    "no content type": (b'{"comments": "a"}', "", 415, "SCHEMA_INVALID"),
    "latin-1 charset": (b'{"comments": "a"}', "application/json; charset=iso-8859-1", 415, "SCHEMA_INVALID"),
    "UTF-16 body": ('{"comments": "a"}'.encode("utf-16"), "application/json", 422, "SCHEMA_INVALID"),
    "UTF-16 without BOM": (
        '{"comments": "a"}'.encode("utf-16-le"),
        "application/json",
        422,
        "SCHEMA_INVALID",
    ),
    "BOM": (b'\xef\xbb\xbf{"comments": "a"}', "application/json", 422, "SCHEMA_INVALID"),
    "1e309": (b'{"amount": 1e309}', "application/json", 422, "SCHEMA_INVALID"),
    "NaN": (b'{"amount": NaN}', "application/json", 422, "SCHEMA_INVALID"),
    "huge integer": (b'{"amount": ' + b"9" * 30 + b"}", "application/json", 422, "SCHEMA_INVALID"),
    "integer past the parser's limit": (
        b'{"amount": ' + b"9" * 5000 + b"}",
        "application/json",
        422,
        "SCHEMA_INVALID",
    ),
    "not JSON": (b"{not json", "application/json", 422, "SCHEMA_INVALID"),
    "not an object": (b"[1, 2]", "application/json", 422, "SCHEMA_INVALID"),
}

# The field each refusal names (where it names one).
FIELDS = {
    "NUL in a string": "comments",
    "control characters": "comments",
    "bidi override": "comments",
    "lone surrogate": "comments",
    "duplicate keys": "comments",
    "1e309": "amount",
    "huge integer": "amount",
    "text/plain": "Content-Type",
    "no content type": "Content-Type",
}


def send(callers: Callers, world: World, path: str, body: bytes, content_type: str) -> Any:
    headers = {"Authorization": f"Bearer {callers.cr.token}", "X-Login-As": world.cr_handler.user_id}
    http = callers.cr.http
    if content_type:
        return http.post(BASE + path, data=body, content_type=content_type, headers=headers)
    # No Content-Type at all (the test client would add one): a bare WSGI request.
    return http.generic("POST", BASE + path, data=body, content_type="", headers=headers)


def assert_refused(response: Any, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    answer = json.loads(response.content)
    assert answer["code"] == code, answer
    assert set(answer) == {"code", "message", "details"}
    if field is not None:
        assert field in [d["field"] for d in answer["details"]], answer


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_post_operation_refuses_hostile_bodies_in_json_and_writes_nothing(
    world: World, callers: Callers, case: str
) -> None:
    info = send_claim(world)
    body, content_type, status, code = HOSTILE[case]
    paths = post_paths(info.application_id)
    assert len(paths) > 40  # token, changePassword, addClaim, the operations, addAttachment
    before = snapshot()
    for path in paths:
        response = send(callers, world, path, body, content_type)
        if path.endswith("/attachments") and case == "huge body":
            assert_refused(response, 413, "LIMIT_EXCEEDED")  # its own limit, its own words
            continue
        assert_refused(response, status, code, FIELDS.get(case))
    assert snapshot() == before


def _with_first_date(value: Any, new: str) -> bool:
    """Replace the first ``YYYY-MM-DD`` string in ``value`` (in place)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        if isinstance(child, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", child):
            value[key] = new
            return True
        if _with_first_date(child, new):
            return True
    return False


@pytest.mark.parametrize("date", ["99999-01-01", "2026-02-30", "0000-01-01"])
def test_absurd_dates_in_add_claim_are_422_and_write_nothing(
    world: World, callers: Callers, date: str
) -> None:
    form = cnf("RTA")
    assert _with_first_date(form, date)
    body = json.dumps({"claimType": "RTA", "compensator": world.comp.path, "cnf": form}).encode()
    before = snapshot()
    assert_refused(send(callers, world, "/claims", body, "application/json"), 422, "SCHEMA_INVALID")
    assert snapshot() == before


def test_a_nul_in_a_cnf_surname_names_its_path(world: World, callers: Callers) -> None:
    form = cnf("RTA")
    text = json.dumps({"claimType": "RTA", "compensator": world.comp.path, "cnf": form})
    surname = re.search(r'"surname": "([^"]*)"', text)
    assert surname is not None
    body = (text[: surname.start(1)] + "Smith\\u0000" + text[surname.end(1) :]).encode()
    before = snapshot()
    response = send(callers, world, "/claims", body, "application/json")
    assert_refused(response, 422, "SCHEMA_INVALID")
    (detail,) = json.loads(response.content)["details"]
    assert detail["field"].startswith("cnf.") and detail["field"].endswith(".surname"), detail
    assert "U+0000" in detail["message"]
    assert snapshot() == before


@pytest.mark.parametrize("statement", ["true", "1", '"yes"'])
def test_statement_of_truth_must_be_a_json_boolean(world: World, callers: Callers, statement: str) -> None:
    text = json.dumps({"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf("RTA")})
    assert text.count('"statementOfTruth": true') == 1
    body = text.replace('"statementOfTruth": true', f'"statementOfTruth": {json.dumps(statement)}')
    if statement == "1":
        body = text.replace('"statementOfTruth": true', '"statementOfTruth": 1')
    before = snapshot()
    response = send(callers, world, "/claims", body.encode(), "application/json")
    assert_refused(response, 422, "SCHEMA_INVALID")
    assert any(d["field"].endswith("statementOfTruth") for d in json.loads(response.content)["details"])
    assert snapshot() == before


def test_the_token_endpoint_still_takes_a_form_and_refuses_a_huge_one_in_json(client: Client) -> None:
    response = client.post(
        f"{BASE}/token",
        data="grant_type=client_credentials&client_id=" + "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused(response, 413, "LIMIT_EXCEEDED")
    response = client.post(f"{BASE}/token", data={"grant_type": "nonsense"})
    assert_refused(response, 422, "SCHEMA_INVALID", "grant_type")


GETS: list[tuple[str, str]] = [
    ("/claims/search?claimantSurname=%00", "claimantSurname"),
    ("/claims/search?CRReferenceNumber=a%00b", "CRReferenceNumber"),
    ("/claims/search?claimantSurname=%E2%80%AEevil", "claimantSurname"),
    ("/claims/search?claimantSurname=%1b", "claimantSurname"),
    ("/compensators?organisationName=%00", "organisationName"),
    ("/organisations/%00", "path"),
    ("/claims/%00", "path"),
    ("/claims?cursor=%00", "cursor"),
    ("/notifications?after=%00", "after"),
    ("/hospitals?postCode=%00", "postCode"),
]


@pytest.mark.parametrize(("path", "field"), GETS)
def test_reads_refuse_control_characters_in_the_address_in_json(
    world: World, callers: Callers, path: str, field: str
) -> None:
    before = snapshot()
    response = callers.cr.http.get(
        BASE + path,
        headers={"Authorization": f"Bearer {callers.cr.token}", "X-Login-As": world.cr_handler.user_id},
    )
    assert_refused(response, 422, "SCHEMA_INVALID", field)
    assert snapshot() == before


def test_an_unexpected_error_is_the_json_500_and_logged_with_its_traceback(
    world: World, callers: Callers, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from claimsportal.a2a import routes_operations

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    info = send_claim(world)
    monkeypatch.setattr(routes_operations, "perform", broken)
    path = f"/claims/{info.application_id:08d}/lockClaim"
    response = send(callers, world, path, b'{"activityEngineGuid": "x"}', "application/json")
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "INTERNAL_ERROR"
    logged = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    assert any(
        m.get("event") == "a2a_unexpected_error" and isinstance(m.get("exc_info"), RuntimeError)
        for m in logged
    )


# The parser on its own: the depth scan ignores brackets in strings, and catches what it must.
@pytest.mark.parametrize(
    ("body", "deep"),
    [
        (b'{"a": "' + b"[" * 500 + b'"}', False),
        (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, False),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), True),
        (b'{"a": "\\"[[[[", "b": ' + b"[" * 70 + b"]" * 70 + b"}", True),
    ],
)
def test_the_depth_scan(body: bytes, deep: bool) -> None:
    assert (nesting_depth(body) > MAX_DEPTH) is deep
    parse: Callable[[bytes], Any] = parse_json
    if deep:
        with pytest.raises(PortalError):
            parse(body)
    else:
        parse(body)
