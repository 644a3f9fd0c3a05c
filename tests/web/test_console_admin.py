"""The administration console's pages: who may open them, users (search, new with "check your
answers", edit, disable with confirmation, enable, password reset), branches, the organisation's
details, A2A clients and the audit trail; another organisation's objects are not found."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.organisations.administration import AUDIT_CONFIRMATION
from claimsportal.organisations.models import A2AClient, Branch, User
from claimsportal.organisations.services import create_a2a_client, create_user
from tests.conftest import World
from tests.web.signing_in import error_summary, in_section, page, summary_links

pytestmark = pytest.mark.django_db

SAVED = "Your change has been saved and logged for audit purposes."

ADMIN_PAGES = [
    "/console/",
    "/console/users/",
    "/console/users/new/",
    "/console/users/cr.handler/",
    "/console/users/cr.handler/edit/",
    "/console/users/cr.handler/disable/",
    "/console/users/cr.handler/reset-password/",
    "/console/branches/",
    "/console/branches/new/",
    "/console/branches/001/",
    "/console/organisation/",
    "/console/organisation/edit/",
    "/console/a2a/",
    "/console/a2a/new/",
    "/console/audit/",
]


@pytest.fixture
def admin_client(world: World, client: Client) -> Client:
    in_section(client, world.cr_admin, "admin")
    return client


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_people_are_sent_to_sign_in(db: None, client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_claims_session_gets_the_wrong_section_page(world: World, client: Client, path: str) -> None:
    in_section(client, world.cr_handler, "claims")
    response = client.get(path)
    assert response.status_code == 403
    assert "Your profile can&#x27;t grant you access to the Rapid Claim Settlement web site" in page(response)


@pytest.mark.parametrize("path", ADMIN_PAGES[1:])
def test_an_administration_session_without_the_administrator_profile_is_refused(
    world: World, client: Client, path: str
) -> None:
    in_section(client, world.cr_leader, "admin")  # (the sign-in page would not let them in)
    response = client.get(path)
    assert response.status_code == 403
    assert "Only an Administrator of the organisation can do this" in page(response)


@pytest.mark.parametrize(
    "path",
    [
        "/console/users/comp.handler/",
        "/console/users/comp.handler/edit/",
        "/console/users/comp.handler/disable/",
        "/console/users/comp.handler/reset-password/",
        "/console/branches/002/",
        "/console/a2a/comp-client/rotate/",
        "/console/a2a/comp-client/revoke/",
    ],
)
def test_another_organisation_s_objects_are_not_found(world: World, admin_client: Client, path: str) -> None:
    create_a2a_client(organisation=world.comp, client_id="comp-client")
    assert admin_client.get(path).status_code == 404
    assert admin_client.post(path).status_code == 404
    assert admin_client.post("/console/users/comp.handler/enable/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_console_home_lists_the_administrator_s_functions(admin_client: Client) -> None:
    html = page(admin_client.get("/console/"))
    for link in (
        "/console/users/",
        "/console/organisation/",
        "/console/branches/",
        "/console/a2a/",
        "/console/audit/",
    ):
        assert f'href="{link}"' in html
    assert "/console/applications/" not in html, "the operator's console is the operator's"


# --------------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------------


def test_users_are_searched_with_the_four_status_filters(world: World, admin_client: Client) -> None:
    User.objects.filter(pk=world.cr_leader.pk).update(is_enabled=False)
    html = page(admin_client.get("/console/users/"))
    for label in ("All", "Active and Enabled", "Active but Disabled", "Not Active and Disabled"):
        assert f">{label}</option>" in html
    assert all(u in html for u in ("cr.handler", "cr.leader", "cr.admin"))
    assert "comp.handler" not in html
    html = page(admin_client.get("/console/users/?status=active_disabled"))
    assert "cr.leader" in html and "cr.handler" not in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Active but Disabled</strong>' in html
    html = page(admin_client.get("/console/users/?q=handler&status=all"))
    assert "cr.handler" in html and "cr.leader" not in html
    assert "1 user<" in html


def test_a_new_user_is_checked_then_created_and_their_password_shown_once(
    world: World, admin_client: Client
) -> None:
    html = page(admin_client.get("/console/users/new/"))
    assert 'id="id_profiles_0"' in html and "RTA Branch Claim Handler" not in html, "CR profiles only"
    response = admin_client.post(
        "/console/users/new/",
        {
            "user_id": "cr.newbie",
            "forename": "Nia",
            "surname": "Jones",
            "email": "nia.jones@example.org",
            "profiles": ["RTA_CLAIM_HANDLER", "ELPL_CLAIM_HANDLER"],
            "branch": "001",
        },
    )
    assert response["Location"] == "/console/users/new/check/"
    check = page(admin_client.get("/console/users/new/check/"))
    assert "Check the new user&#x27;s details" in check or "Check the new user's details" in check
    assert "nia.jones@example.org" in check and "RTA Claim Handler" in check
    assert not User.objects.filter(user_id="cr.newbie").exists(), "nothing is created before the check"

    response = admin_client.post("/console/users/new/check/")
    html = page(response)
    assert response.status_code == 200
    assert SAVED in html
    password = html.split('id="issued-password">')[1].split("<")[0]
    user = User.objects.get(user_id="cr.newbie")
    assert check_password(password, user.password) and user.must_change_password
    assert (user.forename, user.profiles, user.branch and user.branch.branch_id) == (
        "Nia",
        ["RTA_CLAIM_HANDLER", "ELPL_CLAIM_HANDLER"],
        "001",
    )
    assert AuditEntry.objects.filter(action="user.created", target="cr.newbie").exists()
    assert admin_client.get("/console/users/new/check/")["Location"] == "/console/users/new/"


def test_a_new_user_s_problems_are_shown_beside_their_fields(world: World, admin_client: Client) -> None:
    response = admin_client.post("/console/users/new/", {"branch": "001"})
    assert [anchor for anchor, _ in summary_links(response)] == [
        "#id_user_id",
        "#id_forename",
        "#id_surname",
        "#id_email",
        "#id_profiles_0",
    ]
    fields = {
        "user_id": "CR.HANDLER",
        "forename": "A",
        "surname": "B",
        "email": "cr.leader@example.org",
        "profiles": ["RTA_CLAIM_HANDLER"],
        "branch": "001",
    }
    admin_client.post("/console/users/new/", fields)
    response = admin_client.post("/console/users/new/check/")
    assert summary_links(response) == [
        (
            "#id_user_id",
            "User ID is already taken (user IDs are unique across the portal, whatever the case)",
        )
    ]
    assert 'value="CR.HANDLER"' in page(response), "the answers are kept"


def test_a_user_is_edited_and_the_change_audited(
    world: World, admin_client: Client, clock: FixedClock
) -> None:
    html = page(admin_client.get("/console/users/cr.handler/edit/"))
    assert 'name="expiry_year" type="text" inputmode="numeric" value="2028"' in html
    expiry = clock.now().date() + timedelta(days=100)
    response = admin_client.post(
        "/console/users/cr.handler/edit/",
        {
            "forename": "Carys",
            "surname": "Handler",
            "email": "cr.handler@example.org",
            "profiles": ["RTA_CLAIM_HANDLER"],
            "branch": "001",
            "expiry_day": str(expiry.day),
            "expiry_month": str(expiry.month),
            "expiry_year": str(expiry.year),
        },
        follow=True,
    )
    assert response.redirect_chain == [("/console/users/cr.handler/", 302)]
    assert SAVED in page(response)
    user = User.objects.get(pk=world.cr_handler.pk)
    assert (user.forename, user.profiles, user.expiry_date) == ("Carys", ["RTA_CLAIM_HANDLER"], expiry)
    entry = AuditEntry.objects.get(action="user.edited")
    assert set(entry.details["fields"]) == {
        "forename",
        "surname",
        "profiles",
        "expiry_date",
        "expiry_reminder_sent_for",
    }


def test_editing_shows_the_service_s_refusals(world: World, admin_client: Client, clock: FixedClock) -> None:
    past = clock.now().date() - timedelta(days=1)
    base = {
        "forename": "",
        "surname": "",
        "email": "cr.leader@example.org",
        "profiles": ["RTA_CLAIM_HANDLER"],
        "branch": "001",
    }
    response = admin_client.post(
        "/console/users/cr.handler/edit/",
        {
            **base,
            "forename": "C",
            "surname": "H",
            "expiry_day": "31",
            "expiry_month": "2",
            "expiry_year": "2027",
        },
    )
    assert summary_links(response) == [("#id_expiry_day", "Expiry date must be a real date, like 27 3 2028")]
    response = admin_client.post(
        "/console/users/cr.handler/edit/",
        {
            **base,
            "forename": "C",
            "surname": "H",
            "expiry_day": str(past.day),
            "expiry_month": str(past.month),
            "expiry_year": str(past.year),
        },
    )
    assert (
        "#id_email",
        "MFA e-mail address is already the MFA e-mail of another user of this organisation",
    ) in (summary_links(response))
    assert not AuditEntry.objects.exists()
    response = admin_client.post(
        "/console/users/cr.admin/edit/",
        {**base, "forename": "C", "surname": "A", "email": "cr.admin@example.org"},
    )
    assert summary_links(response) == [
        ("#id_profiles_0", "You cannot remove your own Administrator profile: ask another Administrator")
    ]


def test_disabling_asks_are_you_sure_and_clears_active_re_enabling_sets_both(
    world: World, admin_client: Client
) -> None:
    html = page(admin_client.get("/console/users/cr.handler/disable/"))
    assert "Are you sure you want to remove this user&#x27;s access?" in html or (
        "Are you sure you want to remove this user's access?" in html
    )
    response = admin_client.post("/console/users/cr.handler/disable/", {})
    assert summary_links(response) == [
        ("#id_confirm_0", "Select yes to remove the user's access, or no to keep it".replace("'", "&#x27;"))
    ]
    assert admin_client.post("/console/users/cr.handler/disable/", {"confirm": "no"})["Location"] == (
        "/console/users/cr.handler/"
    )
    assert User.objects.get(pk=world.cr_handler.pk).is_enabled
    response = admin_client.post("/console/users/cr.handler/disable/", {"confirm": "yes"}, follow=True)
    assert SAVED in page(response)
    user = User.objects.get(pk=world.cr_handler.pk)
    assert (user.is_enabled, user.is_active) == (False, False)
    assert "Not Active and Disabled" in page(response)

    response = admin_client.post("/console/users/cr.handler/enable/", follow=True)
    assert SAVED in page(response)
    user = User.objects.get(pk=world.cr_handler.pk)
    assert (user.is_enabled, user.is_active) == (True, True)
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == ["user.disabled", "user.enabled"]


def test_an_administrator_cannot_disable_themselves(world: World, admin_client: Client) -> None:
    assert "Disable user" not in page(admin_client.get("/console/users/cr.admin/"))
    response = admin_client.post("/console/users/cr.admin/disable/", {"confirm": "yes"})
    assert "You cannot disable yourself: ask another Administrator" in error_summary(response)


def test_a_password_reset_shows_the_issued_password_once(world: World, admin_client: Client) -> None:
    assert "Reset the password" in page(admin_client.get("/console/users/cr.handler/reset-password/"))
    response = admin_client.post("/console/users/cr.handler/reset-password/")
    html = page(response)
    assert "no-store" in response["Cache-Control"]
    password = html.split('id="issued-password">')[1].split("<")[0]
    user = User.objects.get(pk=world.cr_handler.pk)
    assert check_password(password, user.password) and user.must_change_password
    assert AuditEntry.objects.filter(action="user.password_reset", target="cr.handler").exists()


# --------------------------------------------------------------------------------------------------
# Branches and the organisation's details
# --------------------------------------------------------------------------------------------------


def test_branches_are_listed_created_and_changed_but_not_their_id_or_type(
    world: World, admin_client: Client
) -> None:
    assert "Head Office" in page(admin_client.get("/console/branches/"))
    html = page(admin_client.get("/console/branches/new/"))
    assert "Branch type" not in html, "a claimant representative's branches are Handling Points"
    response = admin_client.post("/console/branches/new/", {"name": "J Smith"})
    assert summary_links(response) == [
        ("#id_name", "Branch name must describe the branch (a team, region or office), not a person")
    ]
    response = admin_client.post(
        "/console/branches/new/", {"name": "Leeds Office", "telephone": "0113 496 0000"}, follow=True
    )
    assert SAVED in page(response)
    branch = Branch.objects.get(organisation=world.cr, branch_id="002")
    assert (branch.name, branch.kind) == ("Leeds Office", "HANDLING_POINT")

    html = page(admin_client.get("/console/branches/002/"))
    assert "The branch ID and type cannot be changed." in html
    response = admin_client.post(
        "/console/branches/002/",
        {
            "name": "Leeds Team",
            "telephone": "0113 496 0000",
            "email": "",
            "enabled": "no",
            "kind": "CENTRAL_POINT",
        },
        follow=True,
    )
    assert SAVED in page(response)
    branch.refresh_from_db()
    assert (branch.name, branch.enabled, branch.kind) == ("Leeds Team", False, "HANDLING_POINT")
    assert AuditEntry.objects.get(action="branch.edited").details == {"fields": ["name", "enabled"]}


def test_a_compensator_has_one_enabled_central_point(world: World, client: Client) -> None:
    admin = create_user(
        organisation=world.comp,
        user_id="comp.admin",
        email="comp.admin@example.org",
        profiles="ADMINISTRATOR",
    ).user
    in_section(client, admin, "admin")
    assert "Branch type" in page(client.get("/console/branches/new/"))
    response = client.post("/console/branches/new/", {"name": "Second Centre", "kind": "CENTRAL_POINT"})
    assert summary_links(response) == [
        ("#id_kind_0", "The organisation already has an enabled Central Point (branch 001)")
    ]
    response = client.post("/console/branches/001/", {"name": "Head Office", "enabled": "no"})
    assert summary_links(response) == [
        ("#id_enabled_0", "The Central Point cannot be disabled: claims arrive there")
    ]


def test_the_organisation_s_details_but_not_its_name_or_id(world: World, admin_client: Client) -> None:
    html = page(admin_client.get("/console/organisation/"))
    assert "Claimant Firm LLP" in html and "CR00001" in html
    html = page(admin_client.get("/console/organisation/edit/"))
    assert 'name="name"' not in html and 'name="org_id"' not in html
    response = admin_client.post(
        "/console/organisation/edit/",
        {
            "street1": "1 Law Street",
            "post_code": "LS1 1AA",
            "telephone": "0113 496 0001",
            "email": "office@firm.example",
            "ico_number": "ZA654321",
            "regulator": "SRA",
            "regulator_number": "123456",
            "name": "Another Name",
        },
        follow=True,
    )
    assert SAVED in page(response)
    world.cr.refresh_from_db()
    assert world.cr.name == "Claimant Firm LLP"
    assert world.cr.address == {"street1": "1 Law Street", "postCode": "LS1 1AA"}
    assert world.cr.ico_number == "ZA654321"
    entry = AuditEntry.objects.get(action="organisation.edited")
    assert set(entry.details["fields"]) == {
        "address",
        "telephone",
        "email",
        "ico_number",
        "regulator",
        "regulator_number",
    }
    response = admin_client.post(
        "/console/organisation/edit/",
        {"street1": "x", "post_code": "y", "telephone": "1", "email": "not-an-email"},
    )
    assert ("#id_email", "E-mail address must be a valid e-mail address") in summary_links(response)


# --------------------------------------------------------------------------------------------------
# A2A clients and the audit trail
# --------------------------------------------------------------------------------------------------


def test_a2a_clients_are_created_rotated_with_a_grace_period_and_revoked(
    world: World, admin_client: Client, clock: FixedClock
) -> None:
    response = admin_client.post("/console/a2a/new/", {"name": "Case system"})
    html = page(response)
    assert SAVED in html
    client_id = html.split('id="client-id">')[1].split("<")[0]
    secret = html.split('id="client-secret">')[1].split("<")[0]
    client = A2AClient.objects.get(client_id=client_id, organisation=world.cr)
    assert check_password(secret, client.secret_hash)
    assert client_id in page(admin_client.get("/console/a2a/"))

    html = page(admin_client.get(f"/console/a2a/{client_id}/rotate/"))
    assert "grace period of 7 days (until 9 March 2026 10:00)" in html
    html = page(admin_client.post(f"/console/a2a/{client_id}/rotate/"))
    new_secret = html.split('id="client-secret">')[1].split("<")[0]
    client.refresh_from_db()
    assert check_password(new_secret, client.secret_hash)
    assert check_password(secret, client.previous_secret_hash)
    assert "The previous secret keeps working until 9 March 2026 10:00." in html
    assert "The previous secret works until 9 Mar 2026 10:00" in page(admin_client.get("/console/a2a/"))

    response = admin_client.post(f"/console/a2a/{client_id}/revoke/", follow=True)
    assert SAVED in page(response)
    client.refresh_from_db()
    assert client.revoked_at == clock.now()
    assert admin_client.get(f"/console/a2a/{client_id}/rotate/").status_code == 404
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "a2a_client.created",
        "a2a_client.secret_rotated",
        "a2a_client.revoked",
    ]


def test_the_audit_trail_is_the_organisation_s_newest_first_in_pages(
    world: World, admin_client: Client, clock: FixedClock
) -> None:
    for number in range(30):
        clock.advance(timedelta(minutes=1))
        admin_client.post(
            "/console/users/cr.handler/edit/",
            {
                "forename": f"Name{number}",
                "surname": "H",
                "email": "cr.handler@example.org",
                "profiles": ["RTA_CLAIM_HANDLER", "ELPL_CLAIM_HANDLER"],
                "branch": "001",
                "expiry_day": "2",
                "expiry_month": "3",
                "expiry_year": "2028",
            },
        )
    create_a2a_client(organisation=world.comp, name="not ours")
    AuditEntry.objects.create(
        occurred_at=clock.now(),
        actor_user_id_text="comp.admin",
        organisation=world.comp,
        action="user.created",
    )
    html = page(admin_client.get("/console/audit/"))
    assert html.count("User changed") == 25
    assert html.index("forename: Name29") < html.index("forename: Name28")
    assert "comp.admin" not in html
    assert 'aria-label="Page 2"' in html
    html = page(admin_client.get("/console/audit/?page=2"))
    assert html.count("User changed") == 5 and "forename: Name0" in html
    assert AUDIT_CONFIRMATION == SAVED


def test_the_a2a_clients_page_shows_when_each_secret_expires(
    world: World, admin_client: Client, clock: FixedClock
) -> None:
    html = page(admin_client.post("/console/a2a/new/", {"name": "Case system"}))
    client_id = html.split('id="client-id">')[1].split("<")[0]
    # Created on Monday 2 March 2026: refused from 31 May, 90 calendar days later.
    assert "The secret expires on 31 May 2026" in page(admin_client.get("/console/a2a/"))
    clock.advance(timedelta(days=90))
    html = page(admin_client.get("/console/a2a/"))
    assert "Secret expired" in html
    assert "Since 31 May 2026: the client changes it with changePassword, or rotate it here" in html
    admin_client.post(f"/console/a2a/{client_id}/rotate/")
    assert "The secret expires on 29 Aug 2026" in page(admin_client.get("/console/a2a/"))
