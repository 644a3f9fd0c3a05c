"""Webhooks end to end on the reference receiver: what each change delivers, signed; the outbox
commits or rolls back with the change; order per claim; retries, parking and redelivery."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claimsportal.claims import effects, ledger
from claimsportal.claims.models import Claim
from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.notifications import services as notification_services
from claimsportal.notifications.models import Notification
from claimsportal.protocols.errors import PortalError
from claimsportal.webhooks import delivery, events, services, signing
from claimsportal.webhooks.models import Attempt, Delivery
from tests.conftest import World, send_claim, step
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


def feed_guids(world: World, org_user: object) -> list[str]:
    page = notification_services.feed(world.actor(org_user))  # type: ignore[arg-type]
    return [str(n.guid) for n in page.notifications]


def test_a_claim_handed_over_is_delivered_signed_with_what_the_receiver_needs(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    subscribe(receiver, world.comp, events.HANDED_OVER)
    info = send_claim(world)
    assert Delivery.objects.count() == 1, "written in the change's transaction"
    result = delivery.deliver_due()
    assert result.delivered == 1 and result.failed == 0
    (got,) = receiver.received
    assert got.refused is None, got.refused
    body = got.body
    claim = Claim.objects.get(pk=info.application_id)
    assert body["kind"] == "claim.handedOver"
    assert body["claim"] == {
        "applicationId": f"{info.application_id:08d}",
        "claimType": "RTA",
        "phaseCacheId": claim.phase,
        "phaseCacheName": info.phase_name,
        "activityEngineGuid": str(claim.activity_guid),
        "deadline": claim.deadline_at.isoformat() if claim.deadline_at else None,
    }
    notice = Notification.objects.get(organisation=world.comp, claim_id=info.application_id)
    assert body["notification"]["notificationMessage"] == notice.message
    # The same event ID in the header, the body and the cursor feed
    assert got.event_id == body["eventId"] == str(notice.guid)
    assert feed_guids(world, world.comp_handler) == [got.event_id]
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
    assert Attempt.objects.get().status == 204


def test_the_signature_covers_timestamp_and_body_and_a_receiver_refuses_any_change(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    endpoint = subscribe(receiver, world.comp, events.HANDED_OVER)
    send_claim(world)
    delivery.deliver_due()
    (got,) = receiver.received
    secret = receiver.secrets[endpoint.key_id]
    raw = delivery.encode(got.body)
    now = clock.real_now().timestamp()
    keys = {endpoint.key_id: secret}
    assert signing.verify(keys, got.headers, raw, now=now) is None
    assert signing.verify(keys, got.headers, raw.replace(b"RTA", b"PL "), now=now) == "bad signature"
    later = now + signing.REPLAY_WINDOW + 1
    assert signing.verify(keys, got.headers, raw, now=later) == "timestamp outside the replay window"
    assert signing.verify({"other": secret}, got.headers, raw, now=now) == "unknown key ID"
    assert signing.verify({endpoint.key_id: "not the secret"}, got.headers, raw, now=now) == "bad signature"
    # The secret is kept sealed, not in clear
    assert secret not in endpoint.sealed_secret


def test_a_change_that_rolls_back_leaves_no_delivery(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    subscribe(receiver, world.comp, events.HANDED_OVER, events.CHANGED)
    written: list[str] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            send_claim(world)
            written.extend(sorted(Delivery.objects.values_list("kind", flat=True)))
            raise RuntimeError("the change fails after the ledger wrote it")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert written == ["claim.changed", "claim.handedOver"], "the outbox rows were there"
    assert Delivery.objects.count() == 0
    assert delivery.deliver_due().delivered == 0
    assert receiver.received == []


def test_an_organisation_without_endpoints_costs_the_observer_one_primary_key_read(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    subscribe(receiver, world.other_cr, events.CHANGED)  # another organisation's endpoint
    info = send_claim(world)
    with CaptureQueriesContext(connection) as queries:
        step(world, world.comp_handler, info, "acceptClaim")
    touching = [q["sql"] for q in queries.captured_queries if "webhooks_" in q["sql"]]
    # On PostgreSQL the stamp is read by a prepared statement on the raw connection (ledger.hot),
    # which Django's query log does not see: there, no other query may touch webhooks_ at all.
    expected = 0 if connection.vendor == "postgresql" else 1
    assert len(touching) == expected and all("webhooks_endpointsversion" in sql for sql in touching)
    assert Delivery.objects.count() == 0


def test_a_new_endpoint_is_seen_at_once_and_a_disabled_one_gets_nothing(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    info = send_claim(world)  # cached: nobody wants anything
    endpoint = subscribe(receiver, world.comp, events.CHANGED)
    info = step(world, world.comp_handler, info, "acceptClaim")
    assert Delivery.objects.count() == 1
    services.set_enabled(world.comp, None, endpoint.endpoint_id, enabled=False)
    step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    assert Delivery.objects.count() == 1


def test_the_events_of_one_claim_arrive_in_order_even_when_the_first_must_be_retried(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    subscribe(receiver, world.comp, events.CHANGED)
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    other = send_claim(world)  # another claim: not held back by the first one's retry
    first_event = Delivery.objects.filter(claim_id=info.application_id).order_by("id").first()
    assert first_event is not None
    receiver.fail_events[str(first_event.event_id)] = 1  # the first claim's first event fails once
    result = delivery.deliver_due()
    # The first claim's first event failed: its later events wait; the other claim's went
    assert result.failed == 1
    assert [r.body["claim"]["applicationId"] for r in receiver.genuine] == [f"{other.application_id:08d}"]
    clock.advance(timedelta(seconds=13))
    while delivery.deliver_due().delivered:
        clock.advance(timedelta(seconds=1))
    first = [
        r.body for r in receiver.genuine if r.body["claim"]["applicationId"] == f"{info.application_id:08d}"
    ]
    assert [b["operation"] for b in first] == ["addClaim", "acceptClaim", "applyArticle75"]


def test_a_receiver_that_fails_is_retried_with_backoff_and_gets_the_same_event_id(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    subscribe(receiver, world.comp, events.HANDED_OVER)
    send_claim(world)
    receiver.fail_next = 2
    assert delivery.deliver_due().failed == 1
    first = Delivery.objects.get()
    assert first.attempts == 1 and first.last_status == 503 and first.last_error == "HTTP 503"
    assert timedelta(seconds=10) <= first.next_attempt_at - clock.real_now() <= timedelta(seconds=12)
    assert delivery.deliver_due().failed == 0, "not before its time"
    clock.advance(timedelta(seconds=12))
    assert delivery.deliver_due().failed == 1
    second = Delivery.objects.get()
    assert timedelta(seconds=20) <= second.next_attempt_at - clock.real_now() <= timedelta(seconds=24)
    clock.advance(timedelta(seconds=24))
    assert delivery.deliver_due().delivered == 1
    done = Delivery.objects.get()
    assert done.status == Delivery.Status.DELIVERED and done.attempts == 3
    assert list(Attempt.objects.order_by("id").values_list("status", flat=True)) == [503, 503, 204]
    assert len(receiver.unique_event_ids) == 1


def test_after_24_hours_of_failures_a_delivery_is_parked_and_can_be_redelivered(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    endpoint = subscribe(receiver, world.comp, events.HANDED_OVER)
    send_claim(world)
    receiver.fail_next = 10_000
    attempts = 0
    while Delivery.objects.get().status == Delivery.Status.PENDING:
        delivery.deliver_due()
        attempts += 1
        clock.advance(timedelta(minutes=61))
    parked = Delivery.objects.get()
    assert parked.status == Delivery.Status.PARKED
    assert parked.last_attempt_at is not None
    assert parked.last_attempt_at - parked.created_at >= delivery.RETRY_WINDOW
    assert 15 <= parked.attempts <= 40
    receiver.fail_next = 0
    services.redeliver(world.comp, None, endpoint.endpoint_id, parked.event_id)
    assert delivery.deliver_due().delivered == 1
    assert receiver.unique_event_ids == [str(parked.event_id)]


def test_time_limit_warnings_and_time_limits_reached_carry_the_feeds_event_ids(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    subscribe(receiver, world.comp, events.TIME_LIMIT_WARNING, events.TIME_LIMIT_REACHED)
    subscribe(receiver, world.cr, events.TIME_LIMIT_REACHED)
    info = send_claim(world)
    clock.advance(timedelta(days=14))  # Monday 16 March: 5 business days before the last day
    assert notification_services.create_deadline_warnings().created == 1
    assert notification_services.create_deadline_warnings().created == 0
    clock.advance(timedelta(days=9))
    assert run_due_timeouts().moved == 1
    delivery.deliver_due()
    kinds = sorted((r.body["kind"], r.event_id) for r in receiver.genuine)
    warning = Notification.objects.get(kind="WARNING")
    reached = {n.organisation_id: str(n.guid) for n in Notification.objects.filter(kind="TIME_LIMIT_REACHED")}
    assert kinds == sorted(
        [
            ("timeLimit.warning", str(warning.guid)),
            ("timeLimit.reached", reached[world.comp.pk]),
            ("timeLimit.reached", reached[world.cr.pk]),
        ]
    )
    by_kind = {r.body["kind"]: r.body for r in receiver.genuine if r.headers.get(signing.KEY_ID)}
    assert by_kind["timeLimit.warning"]["claim"]["applicationId"] == f"{info.application_id:08d}"
    assert by_kind["timeLimit.warning"]["claim"]["deadline"] == warning.deadline_at.isoformat()  # type: ignore[union-attr]
    assert by_kind["timeLimit.reached"]["operation"] == "timeout"


def test_a_deleted_claims_deletion_event_outlives_the_claim(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    subscribe(receiver, world.cr, events.DELETED)
    subscribe(receiver, world.comp, events.DELETED)
    info = send_claim(world)
    claim = Claim.objects.get(pk=info.application_id)
    with transaction.atomic():
        ledger.delete_claims(
            [
                effects.Deleted(
                    claim.pk,
                    claim.claim_type,
                    claim.phase,
                    claim.cr_organisation_id,
                    claim.comp_organisation_id,
                    "GDPR",
                    clock.now(),
                )
            ]
        )
    assert not Claim.objects.filter(pk=info.application_id).exists()
    assert delivery.deliver_due().delivered == 2
    bodies = [r.body for r in receiver.genuine]
    assert {b["kind"] for b in bodies} == {"claim.deleted"}
    assert {b["reason"] for b in bodies} == {"GDPR"}
    assert len({b["eventId"] for b in bodies}) == 1, "one event, told to both parties"


def test_the_compensator_never_hears_of_a_draft(world: World, clock: FixedClock, receiver: Receiver) -> None:
    subscribe(receiver, world.comp, *events.KINDS)
    draft_events = [
        effects.Written(
            application_id=1,
            claim_type="RTA",
            cr_organisation_id=world.cr.pk,
            comp_organisation_id=world.comp.pk,
            operation="saveDraft",
            actor_side="CR",
            actor_organisation_id=world.cr.pk,
            actor_user_id=None,
            phase_before="ClaimDataInputEdit",
            phase_after="ClaimDataInputEdit",
            activity_guid=uuid.uuid4(),
            deadline_at=None,
            occurred_at=clock.now(),
            payload={},
        )
    ]
    effects.observe(draft_events)
    assert Delivery.objects.count() == 0


def test_private_and_loopback_addresses_and_plain_http_are_refused_in_live_mode(
    world: World, settings: object
) -> None:
    settings.CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = False  # type: ignore[attr-defined]
    for url, reason in [
        ("http://example.com/hook", "it must start with https://"),
        ("https://127.0.0.1/hook", "it resolves to a private, loopback or reserved address"),
        ("https://10.1.2.3/hook", "it resolves to a private, loopback or reserved address"),
        ("https://[::1]/hook", "it resolves to a private, loopback or reserved address"),
        ("https://169.254.169.254/latest", "it resolves to a private, loopback or reserved address"),
        ("https://localhost/hook", "it resolves to a private, loopback or reserved address"),
        ("https://user:pw@example.com/", "it must not carry a user name or password"),
        ("https://no-such-host.invalid/", "its host name does not resolve"),
    ]:
        with pytest.raises(PortalError) as refused:
            services.register(world.comp, None, url=url, events_wanted=[events.HANDED_OVER])
        assert refused.value.details[0].field == "url"
        assert refused.value.details[0].message == reason, url


def test_a_delivery_to_an_address_that_became_private_is_not_sent(
    world: World, clock: FixedClock, receiver: Receiver, settings: object
) -> None:
    subscribe(receiver, world.comp, events.HANDED_OVER)
    send_claim(world)
    settings.CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = False  # type: ignore[attr-defined]
    assert delivery.deliver_due().failed == 1
    assert receiver.received == []
    assert "refused" in Delivery.objects.get().last_error


def test_a_test_delivery_is_sent_at_once_and_logged(
    world: World, clock: FixedClock, receiver: Receiver
) -> None:
    endpoint = subscribe(receiver, world.comp, events.HANDED_OVER)
    sent = services.send_test(world.comp, world.comp_handler, endpoint.endpoint_id)
    assert sent.status == Delivery.Status.DELIVERED and sent.last_status == 204
    (got,) = receiver.genuine
    assert got.kind == "webhook.test" and got.event_id == str(sent.event_id)
    _endpoint, log, cursor = services.deliveries_of(world.comp, endpoint.endpoint_id)
    assert [d.event_id for d in log] == [sent.event_id] and cursor is None
    assert json.loads(json.dumps(services.delivery_record(sent)))["status"] == "DELIVERED"


def test_an_endpoint_of_another_organisation_is_not_found(world: World, receiver: Receiver) -> None:
    endpoint = subscribe(receiver, world.comp, events.HANDED_OVER)
    with pytest.raises(PortalError) as missing:
        services.send_test(world.cr, None, endpoint.endpoint_id)
    assert missing.value.code == "NOT_FOUND"


def test_a_printable_document_ready_is_told_to_the_parties_that_see_it(
    world: World, clock: FixedClock, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimsportal.documents import printable

    monkeypatch.setattr(printable, "_render", lambda document: b"%PDF-1.7 test")
    subscribe(receiver, world.cr, events.DOCUMENT_READY)
    subscribe(receiver, world.comp, events.DOCUMENT_READY)
    info = send_claim(world)
    assert Delivery.objects.count() == 0, "not before the PDF exists"
    assert printable.render_pending().rendered == 2  # the CNF and the Defendant Only CNF
    delivery.deliver_due()
    by_organisation: dict[str, list[str]] = {}
    for r in receiver.genuine:
        assert r.body["claim"]["applicationId"] == f"{info.application_id:08d}"
        key = next(k for k, s in receiver.secrets.items() if k == r.headers[signing.KEY_ID])
        by_organisation.setdefault(key, []).append(r.body["document"]["kind"])
    kinds = sorted(sorted(v) for v in by_organisation.values())
    assert kinds == [["CNF"], ["CNF", "DEFENDANT_ONLY_CNF"]], (
        "the compensator never hears of the Defendant Only CNF"
    )
