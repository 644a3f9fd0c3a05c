"""Registration and approval: an organisation applies online, the operator approves or rejects."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core import mail

from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.organisations import accounts, registration
from claimsportal.organisations.accounts import Section
from claimsportal.organisations.models import Branch, OrganisationApplication, User
from claimsportal.organisations.services import create_user
from claimsportal.protocols.errors import PortalError
from tests.conftest import World

pytestmark = pytest.mark.django_db


def application(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "org_type": "CR",
        "claim_types": "RTA,ELPL",
        "name": "Northern Claims Solicitors LLP",
        "address": {"street1": "2 Park Square", "city": "Leeds", "postCode": "LS1 2NE"},
        "telephone": "0113 496 0123",
        "email": "office@northernclaims.example",
        "ico_number": "ZA123456",
        "regulator": "SRA",
        "regulator_number": "654321",
        "branches": ["Sheffield Office"],
        "admin_user_id": "nc.admin",
        "admin_forename": "Asha",
        "admin_surname": "Patel",
        "admin_email": "asha.patel@northernclaims.example",
    }
    fields.update(changes)
    return fields


@pytest.fixture
def operator(world: World) -> User:
    user = create_user(
        organisation=world.cr, user_id="portal.operator", email="op@example.org", profiles="ADMINISTRATOR"
    ).user
    User.objects.filter(pk=user.pk).update(is_operator=True, organisation=None)
    return User.objects.get(pk=user.pk)


def test_an_application_waits_with_a_5_working_day_target(
    world: World, clock: FixedClock, operator: User
) -> None:
    submitted = registration.submit_application(**application())
    assert submitted.status == "PENDING" and submitted.reference == "REG-000001"
    assert submitted.due_on == date(2026, 3, 9)  # Monday 2 March + 5 working days
    assert list(registration.pending_applications(operator)) == [submitted]
    clock.set(clock.now().replace(day=10))
    assert registration.is_overdue(submitted)
    with pytest.raises(PortalError) as not_operator:
        registration.pending_applications(User.objects.get(pk=world.cr_admin.pk))
    assert not_operator.value.code == "FORBIDDEN_PROFILE"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"org_type": "XX"}, "orgType"),
        ({"claim_types": "MOTOR"}, "claimTypes"),
        ({"telephone": "call me"}, "telephone"),
        ({"ico_number": "123"}, "icoNumber"),
        ({"regulator": "FCA"}, "regulator"),
        ({"regulator_number": ""}, "regulatorNumber"),
        ({"address": {"city": "Leeds"}}, "address"),
        ({"branches": ["J Smith"]}, "branches.0"),
        ({"admin_user_id": "asha@northernclaims.example"}, "adminUserId"),
        ({"admin_user_id": "CR.HANDLER"}, "adminUserId"),
        ({"admin_email": "asha.patel@gmail.com"}, "adminEmail"),
        ({"org_type": "COMP", "regulator": "", "compensator_type": "Z"}, "compensatorType"),
    ],
)
def test_a_bad_application_names_the_field_and_stores_nothing(
    world: World, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(PortalError) as refused:
        registration.submit_application(**application(**changes))
    assert refused.value.details[0].field == field
    assert not OrganisationApplication.objects.exists()


def test_approval_creates_the_organisation_its_branches_and_the_first_administrator(
    world: World, clock: FixedClock, operator: User, settings: Any
) -> None:
    submitted = registration.submit_application(
        **application(org_type="COMP", regulator="", compensator_type="I")
    )
    organisation = registration.approve(operator, submitted.reference)
    assert organisation.org_id.startswith("COMP") and organisation.ico_number == "ZA123456"
    branches = {b.branch_id: (b.name, b.kind) for b in Branch.objects.filter(organisation=organisation)}
    assert branches == {
        "001": ("Head Office", Branch.Kind.CENTRAL_POINT),
        "002": ("Sheffield Office", Branch.Kind.HANDLING_POINT),
    }
    admin = User.objects.get(user_id="nc.admin")
    assert (
        admin.organisation == organisation
        and admin.profiles == ["ADMINISTRATOR"]
        and admin.must_change_password
    )
    (welcome,) = mail.outbox
    assert welcome.to == ["asha.patel@northernclaims.example"] and "nc.admin" in welcome.body
    code = re.search(r"\b([0-9]{6})\b", str(welcome.body))
    assert code is not None
    password = "Northern-Claims-2026!"
    assert not accounts.complete_password_reset("nc.admin", code.group(1), password, password)
    settings.CLAIMSPORTAL_MODE = "training"
    outcome = accounts.sign_in("nc.admin", password, Section.ADMIN)
    assert not outcome.refused
    assert AuditEntry.objects.filter(action="registration.approved", target=submitted.reference).exists()
    with pytest.raises(PortalError) as twice:
        registration.approve(operator, submitted.reference)
    assert twice.value.code == "BUSINESS_RULE"


def test_rejection_records_and_e_mails_the_reason(world: World, operator: User) -> None:
    submitted = registration.submit_application(**application())
    with pytest.raises(PortalError):
        registration.reject(operator, submitted.reference, "")
    rejected = registration.reject(operator, submitted.reference, "The SRA number does not match the firm")
    assert rejected.status == "REJECTED" and rejected.decided_by == operator
    (message,) = mail.outbox
    assert "does not match" in message.body
    assert not User.objects.filter(user_id="nc.admin").exists()
