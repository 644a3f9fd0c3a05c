"""Property-based conformance of the whole OpenAPI document, in process (schemathesis).

Every documented path and method gets a few generated requests (bounded so the suite stays fast),
sent as a real client would: with a valid token and acting user most of the time, and with whatever
the generator makes of the headers otherwise. Whatever the input: no 5xx, a documented status, a
documented content type, and a body that matches the documented schema; and a request the document
calls valid is never refused as malformed (``positive_data_acceptance``: the document states every
rule the server enforces on a request's shape, the forms' conditional rules as ``if``/``then``), and
one it calls invalid is never accepted (``negative_data_rejection``). Negative data in the headers or
the path is sent as generated (the valid token, acting user and claim replace only valid ones).

Kept fast (the default suite): at most 4 generated cases per operation, derandomized, no deadline, no
shrinking, no coverage phase.

A few rules span two inputs, which an OpenAPI document can only say in words (each operation's
description says them); the hooks below keep the generated valid requests within them: an opaque
cursor must be one the API returned, getHospitalsList needs a name or a postcode, a date range runs
forwards, and addAttachment's optional applicationId names the claim of the path.

``BUSINESS_RULE`` (422) is the one refusal valid data may get: it is a protocol rule over the claim's
state, the reference data or today's date (API.md), never a shape the document could state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from claimsportal.config.wsgi import application
from tests.a2a.conftest import Callers
from tests.conftest import World, send_claim

# The coverage phase enumerates boundary values of every field: on the deep CNF schemas that is
# thousands of requests. The examples phase (the documented examples) and a few fuzzed cases per
# operation keep this in the default suite.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/a2a/v1/openapi.json", application, config=CONFIG)


@schemathesis.check
def valid_data_is_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """``positive_data_acceptance``, but a 422 BUSINESS_RULE is a protocol rule, not a shape."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except Failure:
        if response.status_code == 422 and _code(response) == "BUSINESS_RULE":
            return None
        raise


def _code(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    valid_data_is_accepted,
    negative_data_rejection,
]
DATE_RANGES = [
    ("dispatchDateFrom", "dispatchDateTo"),
    ("sentDateFrom", "sentDateTo"),
    ("startDateFrom", "startDateTo"),
]


def map_query(ctx: Any, query: dict[str, Any] | None) -> dict[str, Any] | None:
    """Valid queries within the rules the document states in words (see the module)."""
    if not query:
        query = {} if ctx.operation.path.endswith("/hospitals") else query
    if query is None:
        return None
    query.pop("cursor", None)  # a cursor is one the API returned
    if ctx.operation.path.endswith("/hospitals") and not (query.get("hospitalName") or query.get("postCode")):
        query["hospitalName"] = "general"
    for low, high in DATE_RANGES:
        if query.get(low) and query.get(high) and str(query[low]) > str(query[high]):
            query[low], query[high] = query[high], query[low]
    return query


def map_body(ctx: Any, body: Any) -> Any:
    if ctx.operation.path.endswith("/attachments") and isinstance(body, dict):
        body.pop("applicationId", None)  # the claim of the path, or left out
    return body


def _negative(case: Any, where: str) -> bool:
    """Whether the generator made the case's ``where`` (header, path, query, body) invalid."""
    meta = case.meta
    if meta is None:
        return False
    return any(
        str(getattr(loc, "value", loc)) == where and info.mode.is_negative
        for loc, info in meta.components.items()
    )


@contextmanager
def keeping_the_test_connection() -> Iterator[None]:
    """Calling the WSGI application directly fires request_started/finished, whose handler closes
    the database connection; the test's transaction lives on that connection (Django's own test
    client disconnects the handler in the same way, per request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.hooks.apply(map_query)
@schema.hooks.apply(map_body)
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_document(case: Any, world: World, callers: Callers) -> None:
    # A valid token, acting user and claim, except where the generator made them invalid on purpose
    # (negative data in the headers or the path is sent as made, and must be refused).
    if case.path_parameters and "applicationId" in case.path_parameters and not _negative(case, "path"):
        case.path_parameters["applicationId"] = f"{send_claim(world, 'RTA').application_id:08d}"
    headers = {"Authorization": f"Bearer {callers.comp.token}", "X-Login-As": world.comp_handler.user_id}
    if case.operation.path.endswith("/token") or _negative(case, "header"):
        headers = {}
    with keeping_the_test_connection():
        response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)
