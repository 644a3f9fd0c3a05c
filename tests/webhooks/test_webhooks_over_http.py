"""The webhook routes of the A2A API: an Administrator registers, lists, disables, tests, reads the
log and redelivers; anyone else is refused; every answer is the documented JSON."""

from __future__ import annotations

from typing import Any

import pytest

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.webhooks import delivery, events
from claimsportal.webhooks.models import Delivery
from tests.a2a.conftest import Callers, caller_for
from tests.conftest import World, send_claim
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers(world: World) -> Callers:
    return Callers(
        caller_for(world.cr), caller_for(world.comp), caller_for(world.comp), caller_for(world.other_cr)
    )


@pytest.fixture
def comp_admin(world: World) -> Any:
    from tests.conftest import make_user

    return make_user(world.comp, "comp.admin", "ADMINISTRATOR")


def test_an_administrator_registers_an_endpoint_and_sees_its_secret_once(
    world: World, clock: FixedClock, callers: Callers, comp_admin: Any, receiver: Receiver
) -> None:
    made = callers.comp.post("/webhooks", comp_admin, {"url": receiver.url, "events": [events.HANDED_OVER]})
    assert made.status == 201, made.body
    assert made.body["secret"].startswith("whsec_") and made.body["keyId"].startswith("whk_")
    assert made.body["enabled"] is True and made.body["events"] == [events.HANDED_OVER]
    listed = callers.comp.get("/webhooks", comp_admin)
    assert listed.status == 200
    (shown,) = listed.body["endpoints"]
    assert "secret" not in shown and shown["endpointId"] == made.body["endpointId"]
    assert events.DOCUMENT_READY in listed.body["eventKinds"]
    assert AuditEntry.objects.filter(action="webhook.created", target=made.body["endpointId"]).exists()
    receiver.secrets[made.body["keyId"]] = made.body["secret"]
    info = send_claim(world)
    delivery.deliver_due()
    (got,) = receiver.genuine
    assert got.body["claim"]["applicationId"] == f"{info.application_id:08d}"
    log = callers.comp.get(f"/webhooks/{made.body['endpointId']}/deliveries", comp_admin)
    assert log.status == 200
    (row,) = log.body["deliveries"]
    assert row["status"] == "DELIVERED" and row["lastStatus"] == 204 and row["attempts"] == 1
    assert row["eventId"] == got.event_id and row["lastLatencyMs"] >= 0 and log.body["nextCursor"] is None
    again = callers.comp.post(
        f"/webhooks/{made.body['endpointId']}/deliveries/{got.event_id}/redeliver", comp_admin
    )
    assert again.status == 200 and again.body["status"] == "PENDING"
    delivery.deliver_due()
    assert [r.event_id for r in receiver.genuine] == [got.event_id, got.event_id], "same event ID"


def test_disable_test_rotate_and_delete(
    world: World, clock: FixedClock, callers: Callers, comp_admin: Any, receiver: Receiver
) -> None:
    made = callers.comp.post("/webhooks", comp_admin, {"url": receiver.url, "events": [events.CHANGED]}).body
    path = f"/webhooks/{made['endpointId']}"
    off = callers.comp.post(f"{path}/update", comp_admin, {"enabled": False})
    assert off.status == 200 and off.body["enabled"] is False
    send_claim(world)
    assert Delivery.objects.count() == 0, "a disabled endpoint is not written to"
    rotated = callers.comp.post(f"{path}/rotateSecret", comp_admin)
    assert rotated.status == 200 and rotated.body["keyId"] != made["keyId"]
    receiver.secrets[rotated.body["keyId"]] = rotated.body["secret"]
    tested = callers.comp.post(f"{path}/test", comp_admin)
    assert tested.status == 200, tested.body
    assert tested.body["status"] == "DELIVERED" and tested.body["kind"] == "webhook.test"
    assert receiver.genuine[-1].headers["X-ClaimsPortal-Key-Id"] == rotated.body["keyId"]
    changed = callers.comp.post(f"{path}/update", comp_admin, {"events": [events.DELETED], "enabled": True})
    assert changed.body["events"] == [events.DELETED] and changed.body["enabled"] is True
    gone = callers.comp.call("DELETE", path, comp_admin)
    assert gone.status == 204
    assert callers.comp.get(path, comp_admin).code == "NOT_FOUND"


def test_bad_requests_get_a_precise_json_error_and_change_nothing(
    world: World, clock: FixedClock, callers: Callers, comp_admin: Any, receiver: Receiver
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"events": [events.HANDED_OVER]}, "url"),
        ({"url": receiver.url, "events": []}, "events"),
        ({"url": receiver.url, "events": ["claim.exploded"]}, "events"),
        ({"url": receiver.url, "events": "claim.handedOver"}, "events"),
        ({"url": "ftp://example.com/x", "events": [events.HANDED_OVER]}, "url"),
        ({"url": receiver.url, "events": [events.HANDED_OVER], "colour": "red"}, "colour"),
        ({"url": receiver.url, "events": [events.HANDED_OVER], "description": "x" * 121}, "description"),
    ]
    for body, field in cases:
        answer = callers.comp.post("/webhooks", comp_admin, body)
        assert answer.status == 422 and answer.code == "SCHEMA_INVALID", (body, answer.body)
        assert field in answer.fields, (body, answer.body)
    assert callers.comp.get("/webhooks", comp_admin).body["endpoints"] == []
    made = callers.comp.post("/webhooks", comp_admin, {"url": receiver.url, "events": [events.CHANGED]}).body
    path = f"/webhooks/{made['endpointId']}"
    assert callers.comp.post(f"{path}/update", comp_admin, {"enabled": "no"}).fields == ["enabled"]
    assert callers.comp.post(f"{path}/update", comp_admin, {}).code == "SCHEMA_INVALID"
    assert callers.comp.get("/webhooks/not-a-guid", comp_admin).code == "NOT_FOUND"
    missing = callers.comp.post(
        f"{path}/deliveries/00000000-0000-0000-0000-000000000000/redeliver", comp_admin
    )
    assert missing.status == 404 and missing.code == "NOT_FOUND"


def test_only_an_administrator_of_the_organisation_manages_its_webhooks(
    world: World, clock: FixedClock, callers: Callers, comp_admin: Any, receiver: Receiver
) -> None:
    refused = callers.comp.post(
        "/webhooks", world.comp_handler, {"url": receiver.url, "events": [events.CHANGED]}
    )
    assert refused.status == 403 and refused.code == "FORBIDDEN_PROFILE"
    assert callers.comp.get("/webhooks", world.comp_handler).code == "FORBIDDEN_PROFILE"
    made = callers.comp.post("/webhooks", comp_admin, {"url": receiver.url, "events": [events.CHANGED]}).body
    # Another organisation's Administrator cannot see it
    other = callers.cr.get(f"/webhooks/{made['endpointId']}", world.cr_admin)
    assert other.status == 404 and other.code == "NOT_FOUND"
    assert callers.cr.get("/webhooks", world.cr_admin).body["endpoints"] == []
    assert callers.comp.get("/webhooks", None).status in (401, 403)


def test_the_routes_are_documented_in_openapi(callers: Callers) -> None:
    document = callers.comp.http.get("/a2a/v1/openapi.json").json()
    operations = {
        op["operationId"]: op
        for path in document["paths"].values()
        for op in path.values()
        if "operationId" in op
    }
    for name in (
        "createWebhookEndpoint",
        "getWebhookEndpoints",
        "getWebhookEndpoint",
        "updateWebhookEndpoint",
        "rotateWebhookSecret",
        "deleteWebhookEndpoint",
        "testWebhookEndpoint",
        "getWebhookDeliveries",
        "redeliverWebhookEvent",
    ):
        assert name in operations, name
        assert "404" in operations[name]["responses"] and "403" in operations[name]["responses"]
    example = operations["createWebhookEndpoint"]["requestBody"]["content"]["application/json"]["example"]
    assert example["url"].startswith("https://")
