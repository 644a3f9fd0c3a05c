"""The OpenAPI document is the contract: every operation of the protocol tables is reachable and
documented, with an example that the operation's own schema accepts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from claimsportal.a2a.examples import EXAMPLE_GUID
from claimsportal.a2a.schemas import PAYLOAD_MODELS
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.tables import DEFINITIONS
from claimsportal.protocols.types import ProtocolName
from tests.a2a.conftest import BASE
from tests.conftest import DEFAULT_NOW

ALL_OPERATIONS = sorted({op.name for d in DEFINITIONS.values() for op in d.operations})


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = Client().get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def _operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
    }


def test_every_protocol_operation_has_its_own_documented_path(document: dict[str, Any]) -> None:
    operations = _operations(document)
    for name in ALL_OPERATIONS:
        assert name in operations, f"{name} is not in the OpenAPI document"
        path, method, spec = operations[name]
        assert method == "post"
        expected = f"{BASE}/claims" if name == "addClaim" else f"{BASE}/claims/{{applicationId}}/{name}"
        assert path == expected
        assert spec["requestBody"]["required"] is True
        examples = spec["requestBody"]["content"]["application/json"]["examples"]
        protocols = {d.name.value for d in DEFINITIONS.values() if name in d.operation_names}
        wanted = {"RTA", "EL", "ELD", "PL"} if name == "addClaim" else protocols
        assert set(examples) == wanted, name
        statuses = set(spec["responses"])
        assert {"401", "403", "404", "409", "422", "429"} <= statuses, name
        assert any(p["name"] == "X-Login-As" for p in spec["parameters"]), name
        assert any(p["name"] == "Idempotency-Key" for p in spec["parameters"]), name


# WORKFLOW.md §7.3, the whole catalogue: 81 operations of the RTA WSDL and acknowledgeClaim (EL/PL only).
CATALOGUE = (
    "acceptClaim",
    "acceptPartialInterimPayment",
    "acknowledgeAdditionalDamagesAgreement",
    "acknowledgeAdditionalDamagesDecisionTimeout",
    "acknowledgeAllDamagesAgreed",
    "acknowledgeCPPFResponse",
    "acknowledgeClaim",
    "acknowledgeDeniedLiability",
    "acknowledgeExitProcess",
    "acknowledgeFraudStated",
    "acknowledgeInterimPaymentDecisionTimeout",
    "acknowledgeLiabilityAdmitted",
    "acknowledgeLiabilityAdmittedForChild",
    "acknowledgeLiabilityAdmittedWithNeg",
    "acknowledgeLiabilityDecisionTimeout",
    "acknowledgePartialPaymentDecision",
    "acknowledgeRejectedClaim",
    "acknowledgeRejectedInterimSettlementPack",
    "acknowledgeStage2SPFAgreed",
    "acknowledgeStage2SPFConfirmation",
    "acknowledgeStage2SPFDecisionTimeout",
    "acknowledgeStage2SPFNotAgreed",
    "acknowledgeStage2SPFRepudiation",
    "addAttachment",
    "addCPPFRequest",
    "addCPPFResponse",
    "addClaim",
    "addInterimSPFRequest",
    "addInterimSPFResponse",
    "addS2SPFAdditionalDamagesRequest",
    "addS2SPFAdditionalDamagesResponse",
    "addStage2SPFCounterOfferByCM",
    "addStage2SPFCounterOfferByCR",
    "addStage2SPFRequest",
    "addStage2SPFResponse",
    "allocateClaimToBranch",
    "allocateUser",
    "applyArticle75",
    "changePassword",
    "deallocateUser",
    "exitProcess",
    "exitRejectedClaim",
    "extendAdditionalDamagesDecisionTimeout",
    "extendInterimPaymentDecisionTimeout",
    "extendStage2SPFCounterOfferTimeout",
    "extendStage2SPFDecisionTimeout",
    "forceUnlockClaim",
    "getAttachment",
    "getAttachmentsList",
    "getBranchesList",
    "getClaim",
    "getClaimsList",
    "getClaimsStatus",
    "getHospitalsList",
    "getMyUsersList",
    "getNotificationsList",
    "getOrganisation",
    "getPrintableDocument",
    "getPrintableDocumentsList",
    "getSystemProcessVersion",
    "getToken",
    "lockClaim",
    "reassignToAnotherCM",
    "refreshToken",
    "rejectClaimToCR",
    "rejectInterimSettlementPack",
    "removeNotification",
    "resendRejectedClaim",
    "returnToStartOfStage21",
    "searchClaims",
    "searchCompensators",
    "searchCompensatorsByInsurerIndex",
    "sendLiabilityDecision",
    "setAdditionalDamagesExistence",
    "setInterimPaymentNeeded",
    "setS2SPFAdditionalDamagesDecision",
    "setStage1Payment",
    "setStage21Payment",
    "setStage2SPFAgreementDecision",
    "setStage2SPFCounterOfferNeeded",
    "stateFraud",
    "unlockClaim",
)
# Operations the API serves under another operation: refreshToken is POST /token with
# grant_type=refresh_token (OAuth's one token endpoint), documented as getToken.
SERVED_AS = {"refreshToken": "getToken"}


def test_every_operation_of_the_catalogue_is_documented(document: dict[str, Any]) -> None:
    assert len(CATALOGUE) == 82
    operations = _operations(document)
    missing = [name for name in CATALOGUE if SERVED_AS.get(name, name) not in operations]
    assert missing == []
    token = operations["getToken"][2]
    assert "refresh_token" in json.dumps(token["requestBody"])


@pytest.mark.parametrize("name", ALL_OPERATIONS)
def test_every_example_is_accepted_by_the_operations_schema(document: dict[str, Any], name: str) -> None:
    _path, _method, spec = _operations(document)[name]
    examples = spec["requestBody"]["content"]["application/json"]["examples"]
    for key, example in examples.items():
        body = dict(example["value"])
        if name != "addClaim":
            assert body.pop("activityEngineGuid") == EXAMPLE_GUID
            protocol = key
        else:  # one example per claim type (RTA, EL, ELD, PL)
            assert body["claimType"] == key
            protocol = "RTA" if key == "RTA" else "ELPL"
        model = PAYLOAD_MODELS[name][protocol]
        validate_payload(model, body, DEFAULT_NOW.date())  # raises with the field paths if not
        assert ProtocolName(protocol)


def test_request_schemas_reference_only_documented_components(document: dict[str, Any]) -> None:
    components = document["components"]["schemas"]

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"]] if "$ref" in node else []
            return found + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[-1] in components, ref


def test_the_human_docs_page_is_served_without_a_cdn() -> None:
    client = Client()
    response = client.get(f"{BASE}/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "openapi.json" in page
    assert "cdn." not in page and "https://" not in page.split("<body")[0], "assets come from the portal"
    # our own accessible page (a2a/docs_page.py), with the portal's own styles and script
    for asset in ("/static/govuk/govuk-frontend.min.css", "/static/web/claimsportal.js"):
        assert asset in page
        assert client.get(asset).status_code == 200
    assert "swagger" not in page.lower()
