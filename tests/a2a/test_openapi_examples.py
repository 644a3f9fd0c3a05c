"""The OpenAPI document's addClaim examples, one per claim type, succeed when sent as they are, on the
demo data that ``make run`` loads; and serving the document reads the business clock per request."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from claimsportal.claims.models import Claim
from claimsportal.core.demo import DEMO_A2A_CLIENTS, seed_demo
from tests.a2a.conftest import BASE, token_request

pytestmark = pytest.mark.django_db


def _document(http: Client) -> dict[str, Any]:
    response = http.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = json.loads(response.content)
    return document


def test_each_claim_types_add_claim_example_succeeds_as_sent(clock: Any) -> None:
    seed_demo()
    http = Client()
    examples = _document(http)["paths"][f"{BASE}/claims"]["post"]["requestBody"]["content"][
        "application/json"
    ]["examples"]
    assert sorted(examples) == ["EL", "ELD", "PL", "RTA"]
    _org, client_id, secret = next(c for c in DEMO_A2A_CLIENTS if c[0].startswith("CR"))
    token = token_request(http, grant_type="client_credentials", client_id=client_id, client_secret=secret)
    assert token.status == 200, token.body
    for claim_type, example in examples.items():
        assert example["value"]["claimType"] == claim_type
        sent = http.post(
            f"{BASE}/claims",
            data=json.dumps(example["value"]),
            content_type="application/json",
            headers={
                "Authorization": f"Bearer {token.body['access_token']}",
                "X-Login-As": "demo.cr.handler",
            },
        )
        assert sent.status_code == 201, (claim_type, sent.content)
        claim = Claim.objects.get(pk=int(json.loads(sent.content)["applicationId"]))
        assert claim.claim_type == claim_type


def test_dated_examples_follow_the_business_clock_when_served(clock: Any, db: Any) -> None:
    http = Client()
    body = _document(http)["paths"][f"{BASE}/claims/{{applicationId}}/extendStage2SPFDecisionTimeout"]["post"]
    first = body["requestBody"]["content"]["application/json"]["examples"]["RTA"]["value"]["newTimeOut"]
    clock.advance(timedelta(days=400))
    body = _document(http)["paths"][f"{BASE}/claims/{{applicationId}}/extendStage2SPFDecisionTimeout"]["post"]
    later = body["requestBody"]["content"]["application/json"]["examples"]["RTA"]["value"]["newTimeOut"]
    assert later > first
