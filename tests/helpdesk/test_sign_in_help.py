"""Help for people stuck at sign-in: the troubleshooting guide reached from every sign-in error,
"Resend my user ID" (no enumeration, throttled), the contact form and the operator's queue."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from claimsportal.core.models import AuditEntry
from claimsportal.helpdesk import services
from claimsportal.helpdesk.models import HelpRequest
from claimsportal.organisations import accounts
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.web.help.guide import ENTRIES, anchor_for
from tests.conftest import World
from tests.litigants.conftest import register
from tests.web.signing_in import error_summary, in_section, page, sign_in


def test_every_documented_sign_in_message_has_an_entry_in_the_guide(client: Client, db: object) -> None:
    messages = [
        accounts.LOGIN_FAILED,
        accounts.YOUR_LOGIN_FAILED,
        accounts.ACCOUNT_EXPIRED,
        accounts.PASSWORD_EXPIRED,
        accounts.NEW_PASSWORD_NOT_SET,
        accounts.WRONG_SECTION,
        accounts.WRONG_USER_OR_PASSWORD,
        accounts.AGREEMENT_NOT_ACCEPTED,
        accounts.TOO_MANY_SIGN_INS.format(minutes=5),
    ]
    guide = page(client.get("/help/sign-in/"))
    for message in messages:
        anchor = anchor_for(message)
        assert anchor, message
        assert f'id="{anchor}"' in guide
    assert len({entry.anchor for entry in ENTRIES}) == len(ENTRIES)


def test_a_sign_in_error_links_to_its_entry_in_the_guide(client: Client, world: World) -> None:
    refused = sign_in(client, "cr.handler", password="wrong-password")
    assert "Login failed" in error_summary(refused)
    assert 'href="/help/sign-in/#login-failed"' in page(refused)
    expired = world.cr_handler
    expired.expiry_date = date(2020, 1, 1)
    expired.save(update_fields=["expiry_date"])
    refused = sign_in(client, "cr.handler")
    assert 'href="/help/sign-in/#account-expired"' in page(refused)
    # Without an error the page still offers help, the user ID and the helpdesk.
    fresh = page(Client().get("/login/"))
    assert (
        'href="/help/sign-in/"' in fresh
        and 'href="/help/user-id/"' in fresh
        and 'href="/help/contact/"' in fresh
    )


def test_resend_user_id_answers_the_same_whether_the_address_is_known_or_not(
    client: Client, world: World
) -> None:
    known = client.post("/help/user-id/", {"email": "CR.ADMIN@example.org"})
    unknown = client.post("/help/user-id/", {"email": "nobody@example.org"})
    handler_only = client.post("/help/user-id/", {"email": "cr.handler@example.org"})
    for response in (known, unknown, handler_only):
        assert response.status_code == 200
        assert services.RESEND_SENT in page(response)
    assert [m.to for m in mail.outbox] == [["CR.ADMIN@example.org"]]
    assert "cr.admin" in mail.outbox[0].body and "Claimant Firm LLP" in mail.outbox[0].body


def test_an_unrepresented_claimant_can_get_their_user_id_too(world: World) -> None:
    register(email="alex@example.net", user_id="alex.m")
    mail.outbox.clear()
    services.resend_user_ids("alex@example.net")
    assert "alex.m" in mail.outbox[-1].body


def test_resend_user_id_is_throttled_like_the_password_reset(world: World) -> None:
    for _ in range(services.RESEND_EMAIL_LIMIT):
        assert not services.resend_user_ids("cr.admin@example.org", address="10.0.0.1").refused
    refused = services.resend_user_ids("cr.admin@example.org", address="10.0.0.2")
    assert refused.refused and "wait" in refused.message
    assert len(mail.outbox) == services.RESEND_EMAIL_LIMIT
    # One network address asking about many addresses is throttled as well.
    for n in range(services.RESEND_ADDRESS_LIMIT - services.RESEND_EMAIL_LIMIT):
        services.resend_user_ids(f"someone{n}@example.org", address="10.0.0.1")
    assert services.resend_user_ids("another@example.org", address="10.0.0.1").refused


def test_the_contact_form_reaches_the_operators_queue_with_the_target_date(
    client: Client, world: World
) -> None:
    contact = page(client.get("/help/contact/?message=Login%20failed"))
    assert "8am to 6pm" in contact and "5 working days" in contact and 'value="Login failed"' in contact
    missing = client.post("/help/contact/", {})
    assert "Select who you are" in error_summary(missing)
    sent = client.post(
        "/help/contact/",
        {
            "name": "Pat Admin",
            "email": "pat@example.org",
            "role": "ADMINISTRATOR",
            "section": "admin",
            "user_id": "pat.admin",
            "organisation": "CR00001",
            "error_message": "Login failed",
            "description": "I cannot sign in to the administration console since this morning.",
        },
        follow=True,
    )
    request = HelpRequest.objects.get()
    assert request.reference in page(sent)
    # Monday 2 March 2026 (real clock of the tests' world) + 5 working days = Monday 9 March.
    assert request.due_on == date(2026, 3, 9)
    assert mail.outbox[-1].to == ["pat@example.org"] and request.reference in mail.outbox[-1].subject

    operator = User.objects.create(
        user_id="operator", email="op@example.org", is_operator=True, created_at=request.submitted_at
    )
    operator.set_password("Operator-Console-2026!")
    operator.must_change_password = False
    operator.save()
    in_section(client, operator, "admin")
    queue = page(client.get("/console/helpdesk/"))
    for shown in (
        request.reference,
        "Pat Admin",
        "Administrator",
        "Administration",
        "Login failed",
        "since this morning",
    ):
        assert shown in queue
    client.post(f"/console/helpdesk/{request.reference}/answered/")
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.ANSWERED
    assert AuditEntry.objects.filter(action="helpdesk.answered", target=request.reference).exists()
    # Nobody but the operator sees the queue.
    in_section(client, world.cr_admin, "admin")
    assert client.get("/console/helpdesk/").status_code == 403
    with pytest.raises(PortalError):
        services.queue(world.cr_admin)
