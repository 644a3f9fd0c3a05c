"""The administration console's rules: who may act, users, Enabled/Active, branches, organisation
details, A2A clients, the agreement, and the audit trail behind every change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import check_password

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.organisations import accounts
from claimsportal.organisations import administration as console
from claimsportal.organisations.administration import AUDIT_CONFIRMATION, UserChanges
from claimsportal.organisations.models import A2AClient, Branch, User
from claimsportal.organisations.services import create_user
from claimsportal.protocols.errors import PortalError
from tests.conftest import World

pytestmark = pytest.mark.django_db


def admin_of(world: World, which: str = "cr") -> User:
    if which == "cr":
        return User.objects.select_related("organisation").get(pk=world.cr_admin.pk)
    comp_admin = create_user(
        organisation=world.comp,
        user_id="comp.admin",
        email="comp.admin@example.org",
        profiles="ADMINISTRATOR",
    ).user
    return User.objects.select_related("organisation").get(pk=comp_admin.pk)


def last_audit() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry is not None
    return entry


def test_only_an_enabled_administrator_uses_the_console(world: World) -> None:
    for user in (world.cr_handler, world.cr_leader):
        with pytest.raises(PortalError) as caught:
            console.search_users(user)
        assert caught.value.code == "FORBIDDEN_PROFILE"
    admin = admin_of(world)
    assert console.search_users(admin).count() == 3  # the CR firm's users
    accounts.disable(admin, accounts.Disabled.LOCKOUT)
    with pytest.raises(PortalError):
        console.search_users(admin)


def test_an_administrator_only_reaches_their_own_organisation(world: World) -> None:
    with pytest.raises(PortalError) as caught:
        console.edit_user(admin_of(world), world.comp_handler.user_id, UserChanges(forename="X"))
    assert caught.value.code == "NOT_FOUND"


def test_users_are_searched_by_status_and_text(world: World) -> None:
    admin = admin_of(world)
    console.set_enabled(admin, "cr.leader", enabled=False, confirmed=True)
    accounts.disable(User.objects.get(pk=world.cr_handler.pk), accounts.Disabled.LOCKOUT)

    def ids(status: str) -> list[str]:
        return sorted(u.user_id for u in console.search_users(admin, status=status))

    assert ids("active_enabled") == ["cr.admin"]
    assert ids("active_disabled") == ["cr.handler"]
    assert ids("inactive_disabled") == ["cr.leader"]
    assert [u.user_id for u in console.search_users(admin, text="HANDLER")] == ["cr.handler"]


def test_creating_a_user_is_audited_and_the_user_changes_the_password_first(
    world: World, clock: FixedClock
) -> None:
    created = console.add_user(
        admin_of(world), user_id="new.handler", email="new@example.org", profiles="RTA_CLAIM_HANDLER"
    )
    user = created.user
    assert user.must_change_password and user.expiry_date == date(2028, 3, 2)
    assert user.branch is not None and user.branch.branch_id == "001"
    assert (last_audit().action, last_audit().target, last_audit().actor_user_id_text) == (
        "user.created",
        "new.handler",
        "cr.admin",
    )
    for bad in ({"user_id": "New.Handler"}, {"user_id": "x@y.example"}, {"email": "cr.handler@example.org"}):
        fields = {
            "user_id": "other.one",
            "email": "other@example.org",
            "profiles": "RTA_CLAIM_HANDLER",
            **bad,
        }
        with pytest.raises(PortalError):
            console.add_user(admin_of(world), **fields)


def test_editing_a_user_keeps_mfa_e_mails_unique_and_expiry_in_the_future(
    world: World, clock: FixedClock
) -> None:
    admin = admin_of(world)
    assert console.edit_user(admin, "cr.handler", UserChanges(surname="Jones")) == AUDIT_CONFIRMATION
    assert User.objects.get(pk=world.cr_handler.pk).surname == "Jones"
    with pytest.raises(PortalError) as clash:
        console.edit_user(admin, "cr.handler", UserChanges(email=world.cr_leader.email.upper()))
    assert clash.value.details[0].field == "email"
    console.edit_user(
        admin, "cr.handler", UserChanges(email=world.comp_handler.email)
    )  # another organisation
    with pytest.raises(PortalError) as past:
        console.edit_user(admin, "cr.handler", UserChanges(expiry_date=clock.now().date()))
    assert past.value.details[0].field == "expiryDate"
    console.edit_user(
        admin, "cr.handler", UserChanges(expiry_date=date(2030, 1, 1), profiles="RTA_TEAM_LEADER")
    )
    edited = User.objects.get(pk=world.cr_handler.pk)
    assert edited.expiry_date == date(2030, 1, 1) and edited.profiles == ["RTA_TEAM_LEADER"]
    with pytest.raises(PortalError):
        console.edit_user(admin, "cr.admin", UserChanges(profiles="RTA_CLAIM_HANDLER"))
    assert AuditEntry.objects.filter(action="user.edited").count() == 3


def test_disabling_needs_confirmation_clears_active_and_re_enabling_sets_both(world: World) -> None:
    admin = admin_of(world)
    with pytest.raises(PortalError) as unconfirmed:
        console.set_enabled(admin, "cr.handler", enabled=False)
    assert "Are you sure" in unconfirmed.value.message
    assert User.objects.get(pk=world.cr_handler.pk).is_enabled
    console.set_enabled(admin, "cr.handler", enabled=False, confirmed=True)
    user = User.objects.get(pk=world.cr_handler.pk)
    assert (user.is_enabled, user.is_active, user.disabled_reason) == (False, False, "ADMIN")
    console.set_enabled(admin, "cr.handler", enabled=True)
    user = User.objects.get(pk=world.cr_handler.pk)
    assert (user.is_enabled, user.is_active, user.disabled_reason) == (True, True, "")
    with pytest.raises(PortalError):
        console.set_enabled(admin, "cr.admin", enabled=False, confirmed=True)


def test_an_administrator_resets_a_handlers_password(world: World) -> None:
    message, password = console.reset_password(admin_of(world), "cr.handler")
    user = User.objects.get(pk=world.cr_handler.pk)
    assert message == AUDIT_CONFIRMATION and user.must_change_password
    assert check_password(password, user.password) and password not in str(last_audit().details)


def test_branches_one_central_point_never_deleted_id_and_type_fixed(world: World) -> None:
    comp_admin = admin_of(world, "comp")
    with pytest.raises(PortalError) as second:
        console.add_branch(comp_admin, name="Second central", central_point=True)
    assert "Central Point" in second.value.details[0].message
    _msg, branch = console.add_branch(comp_admin, name="Midlands Motor Team")
    assert (branch.branch_id, branch.kind) == ("003", Branch.Kind.HANDLING_POINT)  # 001 and 002 exist
    with pytest.raises(PortalError) as person:
        console.add_branch(comp_admin, name="J Smith")
    assert "not a person" in person.value.details[0].message
    with pytest.raises(PortalError):
        console.edit_branch(comp_admin, "001", enabled=False)
    console.edit_branch(comp_admin, "003", name="Midlands Team", enabled=False)
    assert not Branch.objects.get(organisation=world.comp, branch_id="003").enabled
    with pytest.raises(PortalError):
        console.add_branch(admin_of(world), name="CR central", central_point=True)


def test_organisation_details_but_not_its_name_or_id(world: World) -> None:
    admin = admin_of(world)
    assert console.edit_organisation(admin, telephone="0113 496 0999", email="office@firm.example") == (
        AUDIT_CONFIRMATION
    )
    for field in ("name", "org_id", "claim_types"):
        with pytest.raises(PortalError) as refused_change:
            console.edit_organisation(admin, **{field: "X"})
        assert "operator" in refused_change.value.details[0].message


def test_a2a_clients_are_created_rotated_and_revoked(world: World, clock: FixedClock) -> None:
    admin = admin_of(world)
    _msg, created = console.add_a2a_client(admin, name="Case manager")
    _msg, secret = console.rotate_a2a_secret(admin, created.client.client_id)
    assert secret != created.secret
    console.revoke_a2a_client(admin, created.client.client_id)
    assert A2AClient.objects.get(pk=created.client.pk).revoked_at is not None
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["a2a_client.created", "a2a_client.secret_rotated", "a2a_client.revoked"]
    with pytest.raises(PortalError):
        console.rotate_a2a_secret(admin_of(world, "comp"), created.client.client_id)


def test_accepting_the_agreement_is_audited(world: World, clock: FixedClock) -> None:
    accounts.publish_agreement(version="v2", title="Agreement", text="…")
    assert not accounts.agreement_accepted(world.cr.pk)
    console.accept_agreement(admin_of(world))
    assert accounts.agreement_accepted(world.cr.pk) and last_audit().action == "agreement.accepted"
    clock.advance(timedelta(days=1))
    accounts.publish_agreement(version="v3", title="Agreement", text="…")
    assert not accounts.agreement_accepted(world.cr.pk), "a new version needs a new acceptance"


def test_a_team_leader_signs_in_as_a_handler_of_the_organisation_and_it_is_audited(world: World) -> None:
    leader = User.objects.select_related("organisation").get(pk=world.cr_leader.pk)
    assert console.login_as(leader, "CR.HANDLER").pk == world.cr_handler.pk
    assert (last_audit().action, last_audit().actor_user_id_text, last_audit().target) == (
        "user.login_as",
        "cr.leader",
        "cr.handler",
    )
    for refused_user_id in ("comp.handler", "cr.leader", "cr.admin"):
        with pytest.raises(PortalError):
            console.login_as(leader, refused_user_id)
    with pytest.raises(PortalError) as not_leader:
        console.login_as(User.objects.get(pk=world.cr_handler.pk), "cr.leader")
    assert not_leader.value.code == "FORBIDDEN_PROFILE"


def test_every_console_change_leaves_an_audit_record_of_who_what_when(
    world: World, clock: FixedClock
) -> None:
    admin = admin_of(world)
    accounts.publish_agreement(version="v9", title="Agreement", text="…")
    changes: list[tuple[str, Callable[[], object]]] = [
        (
            "user.created",
            lambda: console.add_user(admin, user_id="a.new", email="a@n.example", profiles="ADMINISTRATOR"),
        ),
        ("user.edited", lambda: console.edit_user(admin, "cr.handler", UserChanges(forename="Sam"))),
        ("user.disabled", lambda: console.set_enabled(admin, "cr.handler", enabled=False, confirmed=True)),
        ("user.enabled", lambda: console.set_enabled(admin, "cr.handler", enabled=True)),
        ("user.password_reset", lambda: console.reset_password(admin, "cr.leader")),
        ("branch.created", lambda: console.add_branch(admin, name="Sheffield Office")),
        ("branch.edited", lambda: console.edit_branch(admin, "002", name="Sheffield Team")),
        ("organisation.edited", lambda: console.edit_organisation(admin, telephone="0113 496 0100")),
        ("a2a_client.created", lambda: console.add_a2a_client(admin, name="CMS")),
        ("agreement.accepted", lambda: console.accept_agreement(admin)),
    ]
    for action, change in changes:
        clock.advance(timedelta(minutes=1))
        before = AuditEntry.objects.count()
        change()
        assert AuditEntry.objects.count() == before + 1, action
        entry = last_audit()
        assert (entry.action, entry.actor_user_id, entry.actor_user_id_text) == (action, admin.pk, "cr.admin")
        assert entry.organisation_id == world.cr.pk and entry.occurred_at == clock.now()
        assert entry.target, action
