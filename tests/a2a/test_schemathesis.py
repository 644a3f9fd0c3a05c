"""Property-based conformance of the whole OpenAPI document, in process (schemathesis).

Every documented path and method gets a few generated requests (bounded so the suite stays fast),
sent as a real client would: with a valid token and acting user most of the time, and with whatever
the generator makes of the headers otherwise. Whatever the input: no 5xx, a documented status, a
documented content type, and a body that matches the documented schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
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

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


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
@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_document(case: Any, world: World, callers: Callers) -> None:
    claim = send_claim(world, "RTA")
    if case.path_parameters and "applicationId" in case.path_parameters:
        case.path_parameters["applicationId"] = f"{claim.application_id:08d}"
    headers = {"Authorization": f"Bearer {callers.comp.token}", "X-Login-As": world.comp_handler.user_id}
    if case.operation.path.endswith("/token"):
        headers = {}
    with keeping_the_test_connection():
        response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)
