"""The operator's console (registration applications with their 5-working-day target, approval,
rejection; user agreement versions) and the public online registration with "check your answers"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.core.demo import DEMO_OPERATOR, DEMO_PASSWORD, seed_demo
from claimsportal.core.models import AuditEntry
from claimsportal.organisations import accounts, registration
from claimsportal.organisations.models import Organisation, OrganisationApplication, User, UserAgreement
from claimsportal.organisations.services import create_user
from claimsportal.protocols.errors import PortalError
from tests.conftest import World
from tests.web.signing_in import in_section, page, sign_in, summary_links

pytestmark = pytest.mark.django_db

SAVED = "Your change has been saved and logged for audit purposes."
OPERATOR_PAGES = [
    "/console/applications/",
    "/console/applications/REG-000001/",
    "/console/applications/REG-000001/reject/",
    "/console/agreements/",
    "/console/agreements/new/",
]

APPLICATION: dict[str, Any] = {
    "org_type": "CR",
    "claim_types": ["RTA", "ELPL"],
    "name": "Northern Claims Solicitors LLP",
    "street1": "2 Park Square",
    "city": "Leeds",
    "post_code": "LS1 2NE",
    "telephone": "0113 496 0123",
    "email": "office@northernclaims.example",
    "ico_number": "ZA123456",
    "regulator": "SRA",
    "regulator_number": "654321",
    "compensator_type": "I",
    "branches": "Sheffield Office\n\nYork Team",
    "admin_user_id": "nc.admin",
    "admin_forename": "Asha",
    "admin_surname": "Patel",
    "admin_email": "asha.patel@northernclaims.example",
}


@pytest.fixture
def operator(world: World) -> User:
    user = create_user(
        organisation=world.cr, user_id="portal.operator", email="op@example.org", profiles="ADMINISTRATOR"
    ).user
    User.objects.filter(pk=user.pk).update(is_operator=True, organisation=None, profiles=[])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def operator_client(operator: User, client: Client) -> Client:
    in_section(client, operator, "admin")
    return client


def submitted(**changes: Any) -> OrganisationApplication:
    fields = {k: v for k, v in APPLICATION.items() if k not in ("street1", "city", "post_code")}
    fields["address"] = {"street1": "2 Park Square", "city": "Leeds", "postCode": "LS1 2NE"}
    fields["branches"] = ["Sheffield Office"]
    fields["compensator_type"] = ""
    fields.update(changes)
    return registration.submit_application(**fields)


@pytest.mark.parametrize("path", OPERATOR_PAGES)
def test_operator_pages_need_the_operator(world: World, client: Client, path: str) -> None:
    assert client.get(path)["Location"] == f"/login/?next={path}"
    in_section(client, world.cr_admin, "admin")
    response = client.get(path)
    assert response.status_code == 403
    assert "Only the Claims Portal operator can use the operator&#x27;s console" in page(response)
    assert client.post("/console/applications/REG-000001/approve/").status_code == 403


def test_the_operator_s_console_home_has_no_organisation_functions(operator_client: Client) -> None:
    html = page(operator_client.get("/console/"))
    assert 'href="/console/applications/"' in html and 'href="/console/agreements/"' in html
    assert 'href="/console/users/"' not in html
    assert operator_client.get("/console/users/").status_code == 403


# --------------------------------------------------------------------------------------------------
# The online registration (public)
# --------------------------------------------------------------------------------------------------


def test_an_organisation_registers_online_checks_its_answers_and_gets_a_reference(
    db: None, client: Client, clock: FixedClock
) -> None:
    assert "Register your organisation" in page(client.get("/console/register/"))
    assert "There is no application to show" in page(client.get("/console/register/check/"))
    response = client.post("/console/register/", APPLICATION)
    assert response["Location"] == "/console/register/check/"
    html = page(client.get("/console/register/check/"))
    assert "Check your answers before sending your application" in html
    for answer in ("Northern Claims Solicitors LLP", "2 Park Square, Leeds, LS1 2NE", "ZA123456", "SRA"):
        assert answer in html
    assert "Sheffield Office, York Team" in html
    assert 'href="/console/register/#id_ico_number"' in html
    assert "Compensator type" not in html, "a claimant representative's answers"
    assert not OrganisationApplication.objects.exists()

    response = client.post("/console/register/check/", follow=True)
    assert response.redirect_chain == [("/console/register/done/", 302)]
    html = page(response)
    assert '<strong id="reference">REG-000001</strong>' in html
    assert "within 5 working days, by <strong>Monday 9 March 2026</strong>" in html
    application = OrganisationApplication.objects.get()
    assert (application.regulator, application.compensator_type, application.branches) == (
        "SRA",
        "",
        ["Sheffield Office", "York Team"],
    )
    assert application.address == {"street1": "2 Park Square", "city": "Leeds", "postCode": "LS1 2NE"}
    assert "There is no application to show" in page(client.get("/console/register/check/"))


def test_a_registration_s_missing_answers_and_the_service_s_refusals_are_shown_by_their_fields(
    db: None, client: Client
) -> None:
    response = client.post("/console/register/", {})
    anchors = [anchor for anchor, _ in summary_links(response)]
    assert anchors[:3] == ["#id_org_type_0", "#id_claim_types_0", "#id_name"]
    assert "#id_admin_email" in anchors
    client.post("/console/register/", {**APPLICATION, "ico_number": "12345", "admin_email": "a@gmail.com"})
    response = client.post("/console/register/check/")
    assert summary_links(response) == [
        ("#id_ico_number", "ICO registration number must be the ICO registration number, e.g. ZA123456")
    ]
    assert 'value="Northern Claims Solicitors LLP"' in page(response), "the answers are kept"
    assert not OrganisationApplication.objects.exists()


def test_a_compensator_registers_with_its_compensator_type(db: None, client: Client) -> None:
    client.post(
        "/console/register/",
        {
            **APPLICATION,
            "org_type": "COMP",
            "compensator_type": "S",
            "regulator": "SRA",
            "admin_user_id": "ins.admin",
        },
    )
    assert "Self-insured" in page(client.get("/console/register/check/"))
    client.post("/console/register/check/")
    application = OrganisationApplication.objects.get()
    assert (application.org_type, application.compensator_type, application.regulator) == ("COMP", "S", "")


# --------------------------------------------------------------------------------------------------
# The operator's decisions
# --------------------------------------------------------------------------------------------------


def test_the_queue_shows_the_due_date_and_overdue_applications(
    world: World, operator_client: Client, clock: FixedClock
) -> None:
    first = submitted()
    clock.advance(timedelta(days=8))  # Tuesday 10 March: the first is past its target (Monday 9 March)
    submitted(admin_user_id="second.admin", name="Second Firm LLP")
    html = page(operator_client.get("/console/applications/"))
    assert "REG-000001" in html and "REG-000002" in html
    row_one = html[html.index("REG-000001") : html.index("REG-000002")]
    assert "9 Mar 2026" in row_one and "Overdue" in row_one
    assert "Overdue" not in html[html.index("REG-000002") :].split("</tr>")[0]
    html = page(operator_client.get(f"/console/applications/{first.reference}/"))
    assert "Overdue" in html and "Northern Claims Solicitors LLP" in html and "nc.admin" in html


def test_approval_creates_the_organisation_and_e_mails_its_administrator(
    world: World, operator_client: Client
) -> None:
    application = submitted()
    response = operator_client.post(f"/console/applications/{application.reference}/approve/", follow=True)
    assert response.redirect_chain == [("/console/applications/", 302)]
    html = page(response)
    organisation = Organisation.objects.get(name="Northern Claims Solicitors LLP")
    assert f"{SAVED} Northern Claims Solicitors LLP is now {organisation.org_id}" in html
    (welcome,) = mail.outbox
    assert welcome.to == ["asha.patel@northernclaims.example"]
    assert AuditEntry.objects.filter(action="registration.approved", target=application.reference).exists()
    response = operator_client.post(f"/console/applications/{application.reference}/approve/", follow=True)
    assert "The application was already approved" in page(response)
    assert operator_client.get("/console/applications/REG-999999/").status_code == 404


def test_rejection_needs_a_reason_which_is_e_mailed(world: World, operator_client: Client) -> None:
    application = submitted()
    path = f"/console/applications/{application.reference}/reject/"
    response = operator_client.post(path, {"reason": ""})
    assert summary_links(response) == [("#id_reason", "Enter the reason for the rejection")]
    response = operator_client.post(path, {"reason": "No"})
    assert summary_links(response) == [
        ("#id_reason", "Give the reason for the rejection (5 to 2000 characters)")
    ]
    response = operator_client.post(path, {"reason": "The ICO number is not registered."}, follow=True)
    assert SAVED in page(response)
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (
        "REJECTED",
        "The ICO number is not registered.",
    )
    (message,) = mail.outbox
    assert "The ICO number is not registered." in message.body


# --------------------------------------------------------------------------------------------------
# User agreement versions
# --------------------------------------------------------------------------------------------------


def test_the_operator_publishes_a_new_agreement_which_is_audited(
    world: World, operator: User, operator_client: Client
) -> None:
    response = operator_client.post("/console/agreements/new/", {"version": "", "title": "", "text": ""})
    assert [anchor for anchor, _ in summary_links(response)] == ["#id_version", "#id_title", "#id_text"]
    response = operator_client.post(
        "/console/agreements/new/", {"version": "2026-1", "title": "User Agreement", "text": "Too short"}
    )
    assert summary_links(response) == [("#id_text", "Give the full text of the agreement")]
    text = "Each user keeps their own credentials. Administrators disable leavers at once."
    response = operator_client.post(
        "/console/agreements/new/",
        {"version": "2026-1", "title": "User Agreement", "text": text},
        follow=True,
    )
    assert SAVED in page(response)
    assert "2026-1" in page(response) and "Current" in page(response)
    agreement = UserAgreement.objects.get(version="2026-1")
    assert accounts.current_agreement() == agreement
    entry = AuditEntry.objects.get(action="agreement.published")
    assert (entry.actor_user_id_text, entry.target) == ("portal.operator", "2026-1")
    response = operator_client.post(
        "/console/agreements/new/", {"version": "2026-1", "title": "User Agreement", "text": text}
    )
    assert summary_links(response) == [
        ("#id_version", "Version has already been published: choose a new version")
    ]
    with pytest.raises(PortalError) as refused:
        registration.publish_agreement(world.cr_admin, version="2026-2", title="Not mine", text=text)
    assert refused.value.code == "FORBIDDEN_PROFILE"


# --------------------------------------------------------------------------------------------------
# The demo's operator (make run)
# --------------------------------------------------------------------------------------------------


def test_the_demo_operator_signs_in_to_the_operator_s_console(
    db: None, client: Client, settings: Any
) -> None:
    settings.CLAIMSPORTAL_MODE = "training"
    described = seed_demo()
    assert described["operator"]["userId"] == DEMO_OPERATOR
    assert seed_demo()["created"] is False, "idempotent"
    assert sign_in(client, DEMO_OPERATOR, section="admin", password=DEMO_PASSWORD)["Location"] == "/console/"
    html = page(client.get("/console/applications/"))
    assert "Northern Claims Solicitors LLP (demo)" in html
    client.logout()
    assert sign_in(client, "demo.cr.handler", password=DEMO_PASSWORD)["Location"] == "/", "agreement accepted"
    assert accounts.current_agreement() is not None
    client.logout()
    response = sign_in(client, "demo.cr.admin", section="admin", password=DEMO_PASSWORD)
    assert response["Location"] == "/console/"
