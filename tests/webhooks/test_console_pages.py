"""The Administrator's webhook pages: add an endpoint (secret shown once), its page and delivery log,
send a test event, disable, redeliver, rotate, delete; plain-English errors; another organisation's
endpoint is not found; only Administrators open them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.webhooks import delivery, events
from claimsportal.webhooks.models import Delivery, Endpoint
from tests.conftest import World, send_claim
from tests.web.signing_in import error_summary, in_section, page
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world: World, client: Client) -> Client:
    in_section(client, world.cr_admin, "admin")
    return client


def test_an_administrator_adds_an_endpoint_and_sees_the_secret_once(
    world: World, clock: FixedClock, admin_client: Client, receiver: Receiver
) -> None:
    assert 'href="/console/webhooks/"' in page(admin_client.get("/console/"))
    form = admin_client.get("/console/webhooks/new/")
    assert form.status_code == 200 and "Add a webhook endpoint" in page(form)
    done = admin_client.post(
        "/console/webhooks/new/",
        {"url": receiver.url, "description": "Our CMS", "events": [events.HANDED_OVER, events.DELETED]},
    )
    assert done.status_code == 200
    html = page(done)
    endpoint = Endpoint.objects.get()
    secret = re.search(r'id="signing-secret">([^<]+)<', html)
    assert secret and secret.group(1).startswith("whsec_")
    assert endpoint.key_id in html and secret.group(1) not in endpoint.sealed_secret
    listing = page(admin_client.get("/console/webhooks/"))
    assert receiver.url in listing and "Our CMS" in listing
    assert secret.group(1) not in listing, "shown once"
    assert AuditEntry.objects.filter(action="webhook.created").count() == 1


def test_the_form_explains_what_is_wrong_in_plain_english(
    world: World, admin_client: Client, settings: object
) -> None:
    settings.CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = False  # type: ignore[attr-defined]
    empty = admin_client.post("/console/webhooks/new/", {"url": "", "events": []})
    assert "Enter the URL" in error_summary(empty) and "Select at least one event" in error_summary(empty)
    private = admin_client.post(
        "/console/webhooks/new/", {"url": "https://127.0.0.1/x", "events": [events.CHANGED]}
    )
    assert "It resolves to a private, loopback or reserved address" in error_summary(private)
    plain = admin_client.post(
        "/console/webhooks/new/", {"url": "http://example.com/x", "events": [events.CHANGED]}
    )
    assert "It must start with https://" in error_summary(plain)
    assert not Endpoint.objects.exists()


def test_the_endpoint_page_tests_disables_redelivers_and_shows_the_log(
    world: World, clock: FixedClock, admin_client: Client, receiver: Receiver
) -> None:
    endpoint = subscribe(receiver, world.cr, events.CHANGED)
    path = f"/console/webhooks/{endpoint.endpoint_id}/"
    tested = admin_client.post(f"{path}test/", follow=True)
    assert "Your endpoint accepted the test event (HTTP 204" in page(tested)
    send_claim(world)
    delivery.deliver_due()
    html = page(admin_client.get(path))
    assert "Test event" in html and "Any change to a claim of yours" in html
    assert html.count("Delivered") >= 2 and "HTTP 204 in" in html
    made = Delivery.objects.filter(kind=events.CHANGED).get()
    again = admin_client.post(f"{path}deliveries/{made.event_id}/redeliver/", follow=True)
    assert "The event will be sent again in a moment" in page(again)
    assert Delivery.objects.get(pk=made.pk).status == Delivery.Status.PENDING
    off = admin_client.post(f"{path}enable/", follow=True)
    assert "The endpoint is disabled" in page(off)
    assert not Endpoint.objects.get().enabled
    receiver.fail_next = 1
    failed = admin_client.post(f"{path}test/", follow=True)
    assert "Your endpoint did not accept the test event: HTTP 503" in page(failed)
    assert "None" not in re.sub(r"<script.*?</script>", "", page(admin_client.get(path)), flags=re.S)


def test_rotating_the_secret_and_deleting_the_endpoint_ask_first(
    world: World, clock: FixedClock, admin_client: Client, receiver: Receiver
) -> None:
    endpoint = subscribe(receiver, world.cr, events.CHANGED)
    path = f"/console/webhooks/{endpoint.endpoint_id}/"
    assert "Change the secret" in page(admin_client.get(f"{path}rotate/"))
    rotated = admin_client.post(f"{path}rotate/")
    assert "new signing secret" in page(rotated)
    assert Endpoint.objects.get().key_id != endpoint.key_id
    assert "Delete endpoint" in page(admin_client.get(f"{path}delete/"))
    gone = admin_client.post(f"{path}delete/", follow=True)
    assert "The endpoint is deleted" in page(gone)
    assert not Endpoint.objects.exists()


def test_another_organisations_endpoint_is_not_found_and_others_are_refused(
    world: World, client: Client, receiver: Receiver
) -> None:
    theirs = subscribe(receiver, world.comp, events.CHANGED)
    in_section(client, world.cr_admin, "admin")
    for suffix in ("", "test/", "enable/", "rotate/", "delete/"):
        assert client.post(f"/console/webhooks/{theirs.endpoint_id}/{suffix}").status_code == 404
    assert client.get("/console/webhooks/not-a-guid/").status_code == 404
    assert Endpoint.objects.get().enabled
    other = Client()
    in_section(other, world.cr_leader, "admin")
    assert other.get("/console/webhooks/").status_code == 403
