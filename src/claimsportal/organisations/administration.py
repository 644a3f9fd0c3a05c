"""The administration console's services (ADMINISTRATION.md §1.3-§1.5, §1.7, §2.1, §2.4).

Every function takes the acting Administrator first: they must be an enabled, active, in-date user
with the Administrator profile, and may only touch their own organisation. Every change is written
to the audit trail in the same transaction, and returns ``AUDIT_CONFIRMATION`` for the page to show.
Errors are ``PortalError``s naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations import a2a_clients, accounts, credentials
from claimsportal.organisations.models import A2AClient, Branch, Organisation, User
from claimsportal.organisations.profiles import Profile, parse_profiles
from claimsportal.organisations.services import (
    NewA2AClient,
    NewUser,
    create_a2a_client,
    create_user,
    generate_password,
    invalid,
)
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.types import Side

AUDIT_CONFIRMATION = "Your change has been saved and logged for audit purposes."
PERSON_NAME = re.compile(r"^[A-Z]\.? ?[A-Z][a-z]+$")  # "J Smith", "J. Smith": a branch named after a person


def _forbidden(message: str) -> PortalError:
    return PortalError("FORBIDDEN_PROFILE", message, [ErrorDetail("user", message)])


def check_administrator(admin: User) -> Organisation:
    """The Administrator's organisation, if they may use the console now."""
    if admin.organisation is None or Profile.ADMINISTRATOR not in admin.profile_set:
        raise _forbidden("Only an Administrator of the organisation can do this")
    if not admin.may_sign_in(clock.real_today()):
        raise _forbidden("Your account is disabled, inactive or past its expiry date")
    return admin.organisation


def _user_of(admin: User, user_id: str) -> User:
    organisation = check_administrator(admin)
    user = (
        User.objects.select_related("organisation", "branch")
        .annotate(uid=Lower("user_id"))
        .filter(uid=user_id.strip().lower(), organisation=organisation)
        .first()
    )
    if user is None:
        raise PortalError(
            "NOT_FOUND", "No such user in your organisation", [ErrorDetail("userId", "unknown")]
        )
    return user


# --------------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------------

USER_STATUSES = ("all", "active_enabled", "active_disabled", "inactive_disabled")


def search_users(admin: User, *, text: str = "", status: str = "all") -> QuerySet[User]:
    """Users of the Administrator's organisation: "All", "Active and Enabled", "Active but Disabled",
    "Not Active and Disabled" (§1.3), by user ID or name."""
    organisation = check_administrator(admin)
    if status not in USER_STATUSES:
        raise invalid("status", f"must be one of {', '.join(USER_STATUSES)}")
    users = User.objects.filter(organisation=organisation).select_related("branch").order_by(Lower("user_id"))
    if status == "active_enabled":
        users = users.filter(is_active=True, is_enabled=True)
    elif status == "active_disabled":
        users = users.filter(is_active=True, is_enabled=False)
    elif status == "inactive_disabled":
        users = users.filter(is_active=False, is_enabled=False)
    if text.strip():
        word = text.strip()
        users = users.filter(
            Q(user_id__icontains=word) | Q(forename__icontains=word) | Q(surname__icontains=word)
        )
    return users


def add_user(admin: User, **fields: Any) -> NewUser:
    """A new user of the Administrator's organisation (same rules as ``services.create_user``)."""
    organisation = check_administrator(admin)
    with transaction.atomic():
        created = create_user(organisation=organisation, **fields)
        audit(admin, "user.created", created.user.user_id, profiles=created.user.profiles)
    return created


@dataclass(frozen=True)
class UserChanges:
    forename: str | None = None
    surname: str | None = None
    email: str | None = None
    profiles: list[str] | str | None = None
    branch_id: str | None = None
    expiry_date: date | None = None


def edit_user(admin: User, user_id: str, changes: UserChanges) -> str:
    user = _user_of(admin, user_id)
    organisation = user.organisation
    assert organisation is not None
    changed: dict[str, Any] = {}
    if changes.forename is not None:
        changed["forename"] = changes.forename.strip()[:60]
    if changes.surname is not None:
        changed["surname"] = changes.surname.strip()[:60]
    if changes.email is not None:
        email = changes.email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise invalid("email", "must be a valid e-mail address") from None
        clash = (
            organisation.users.annotate(mail=Lower("email"))
            .filter(mail=email.lower())
            .exclude(pk=user.pk)
            .exists()
        )
        if clash:
            raise invalid("email", "is already the MFA e-mail of another user of this organisation")
        changed["email"] = email
    if changes.profiles is not None:
        try:
            parsed = parse_profiles(changes.profiles, Side(organisation.org_type))
        except ValueError as exc:
            raise invalid("profiles", str(exc)) from None
        if user.pk == admin.pk and Profile.ADMINISTRATOR not in parsed:
            raise invalid(
                "profiles", "you cannot remove your own Administrator profile: ask another Administrator"
            )
        changed["profiles"] = [p.value for p in parsed]
    if changes.branch_id is not None:
        branch = organisation.branches.filter(branch_id=changes.branch_id, enabled=True).first()
        if branch is None:
            raise invalid("branch", f"no enabled branch {changes.branch_id!r} in your organisation")
        changed["branch"] = branch
    if changes.expiry_date is not None:
        if changes.expiry_date <= clock.real_today():
            raise invalid("expiryDate", "must be a date in the future")
        changed["expiry_date"] = changes.expiry_date
        changed["expiry_reminder_sent_for"] = None
    with transaction.atomic():
        for name, value in changed.items():
            setattr(user, name, value)
        user.save(update_fields=list(changed))
        audit(
            admin,
            "user.edited",
            user.user_id,
            fields={
                k: (v.branch_id if isinstance(v, Branch) else str(v) if isinstance(v, date) else v)
                for k, v in changed.items()
            },
        )
        credentials.bump()  # in the change's transaction: every process sees it at once
    return AUDIT_CONFIRMATION


def set_enabled(admin: User, user_id: str, *, enabled: bool, confirmed: bool = False) -> str:
    """Tick or un-tick Enabled (§2.4): un-ticking asks for confirmation and clears Active too;
    ticking sets both (and clears an automatic lockout). An Administrator cannot disable themselves."""
    user = _user_of(admin, user_id)
    if not enabled and not confirmed:
        raise PortalError(
            "BUSINESS_RULE",
            "Are you sure you want to remove this user's access? Confirm to disable the user.",
            [ErrorDetail("confirmed", "confirm to disable")],
        )
    if not enabled and user.pk == admin.pk:
        raise invalid("userId", "you cannot disable yourself: ask another Administrator")
    with transaction.atomic():
        if enabled:
            user.is_enabled = user.is_active = True
            user.disabled_reason = ""
            user.disabled_at = None
            user.failed_logins = 0
            user.last_login = clock.real_now()  # re-enabling restarts the 90-day inactivity count
            user.save(
                update_fields=[
                    "is_enabled",
                    "is_active",
                    "disabled_reason",
                    "disabled_at",
                    "failed_logins",
                    "last_login",
                ]
            )
        else:
            accounts.disable(user, accounts.Disabled.ADMIN)
        audit(admin, "user.enabled" if enabled else "user.disabled", user.user_id)
        credentials.bump()  # in the change's transaction: every process sees it at once
    return AUDIT_CONFIRMATION


def reset_password(admin: User, user_id: str) -> tuple[str, str]:
    """A new issued password (changed at the user's next sign-in). Returns (confirmation, password):
    the console shows the password once; it is never stored in clear."""
    user = _user_of(admin, user_id)
    password = generate_password()
    with transaction.atomic():
        accounts.set_password(user, password, must_change=True)
        user.failed_logins = 0
        user.save(update_fields=["failed_logins"])
        audit(admin, "user.password_reset", user.user_id)
    return AUDIT_CONFIRMATION, password


# --------------------------------------------------------------------------------------------------
# Branches (§1.5)
# --------------------------------------------------------------------------------------------------


def _check_branch_name(name: str) -> str:
    name = name.strip()
    if not 2 <= len(name) <= 120:
        raise invalid("name", "must be 2 to 120 characters")
    if PERSON_NAME.match(name):
        raise invalid("name", "must describe the branch (a team, region or office), not a person")
    return name


def add_branch(
    admin: User,
    *,
    name: str,
    central_point: bool = False,
    telephone: str = "",
    email: str = "",
    address: dict[str, Any] | None = None,
) -> tuple[str, Branch]:
    organisation = check_administrator(admin)
    name = _check_branch_name(name)
    if central_point and organisation.org_type != Organisation.Type.COMP:
        raise invalid("kind", "a claimant representative's branches are Handling Points")
    if central_point and organisation.branches.filter(kind=Branch.Kind.CENTRAL_POINT, enabled=True).exists():
        raise invalid("kind", "the organisation already has an enabled Central Point (branch 001)")
    with transaction.atomic():
        numbers = [int(b) for b in organisation.branches.values_list("branch_id", flat=True) if b.isdigit()]
        branch = Branch.objects.create(
            organisation=organisation,
            branch_id=f"{max(numbers, default=0) + 1:03d}",
            name=name,
            kind=Branch.Kind.CENTRAL_POINT if central_point else Branch.Kind.HANDLING_POINT,
            telephone=telephone.strip(),
            email=email.strip(),
            address=address or {},
        )
        audit(admin, "branch.created", branch.branch_id, name=name, kind=branch.kind)
    return AUDIT_CONFIRMATION, branch


def edit_branch(
    admin: User,
    branch_id: str,
    *,
    name: str | None = None,
    enabled: bool | None = None,
    telephone: str | None = None,
    email: str | None = None,
    address: dict[str, Any] | None = None,
) -> str:
    """Everything but the branch ID and type; branches are never deleted, and the Central Point
    stays enabled (an organisation always has exactly one)."""
    organisation = check_administrator(admin)
    branch = organisation.branches.filter(branch_id=branch_id).first()
    if branch is None:
        raise PortalError("NOT_FOUND", "No such branch", [ErrorDetail("branchId", "unknown")])
    changed: dict[str, Any] = {}
    if name is not None:
        changed["name"] = _check_branch_name(name)
    if enabled is not None:
        if not enabled and branch.kind == Branch.Kind.CENTRAL_POINT:
            raise invalid("enabled", "the Central Point cannot be disabled: claims arrive there")
        changed["enabled"] = enabled
    if telephone is not None:
        changed["telephone"] = telephone.strip()[:30]
    if email is not None:
        changed["email"] = email.strip()
    if address is not None:
        changed["address"] = address
    with transaction.atomic():
        for key, value in changed.items():
            setattr(branch, key, value)
        branch.save(update_fields=list(changed))
        audit(admin, "branch.edited", branch.branch_id, fields=list(changed))
    return AUDIT_CONFIRMATION


# --------------------------------------------------------------------------------------------------
# Organisation details, A2A clients
# --------------------------------------------------------------------------------------------------

EDITABLE_ORGANISATION_FIELDS = (
    "address",
    "telephone",
    "email",
    "ico_number",
    "regulator",
    "regulator_number",
    "software_house",
)


def edit_organisation(admin: User, **fields: Any) -> str:
    """All details but the name, the organisation ID (and type, claim types, group): those change
    only through the operator ("Manage Your Account")."""
    organisation = check_administrator(admin)
    for key in fields:
        if key not in EDITABLE_ORGANISATION_FIELDS:
            raise invalid(key, "cannot be changed here: ask the Claims Portal operator")
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            raise invalid("email", "must be a valid e-mail address") from None
    with transaction.atomic():
        for key, value in fields.items():
            setattr(organisation, key, value)
        organisation.save(update_fields=list(fields))
        audit(admin, "organisation.edited", organisation.org_id, fields=list(fields))
    return AUDIT_CONFIRMATION


def add_a2a_client(admin: User, *, name: str) -> tuple[str, NewA2AClient]:
    organisation = check_administrator(admin)
    with transaction.atomic():
        created = create_a2a_client(organisation=organisation, name=name.strip()[:120])
        audit(admin, "a2a_client.created", created.client.client_id)
    return AUDIT_CONFIRMATION, created


def _client_of(admin: User, client_id: str) -> A2AClient:
    organisation = check_administrator(admin)
    client = A2AClient.objects.filter(client_id=client_id, organisation=organisation).first()
    if client is None:
        raise PortalError("NOT_FOUND", "No such A2A client", [ErrorDetail("clientId", "unknown")])
    return client


def rotate_a2a_secret(admin: User, client_id: str) -> tuple[str, str]:
    """A new secret, shown once; the old one works for the grace period."""
    client = _client_of(admin, client_id)
    with transaction.atomic():
        secret = a2a_clients.rotate_secret(client)
        audit(admin, "a2a_client.secret_rotated", client.client_id)
    return AUDIT_CONFIRMATION, secret


def revoke_a2a_client(admin: User, client_id: str) -> str:
    client = _client_of(admin, client_id)
    with transaction.atomic():
        a2a_clients.revoke_client(client)
        audit(admin, "a2a_client.revoked", client.client_id)
    return AUDIT_CONFIRMATION


def accept_agreement(admin: User) -> str:
    check_administrator(admin)
    agreement = accounts.current_agreement()
    if agreement is None:
        raise invalid("agreement", "there is no agreement to accept")
    with transaction.atomic():
        accounts.accept_agreement(admin, agreement)
        audit(admin, "agreement.accepted", agreement.version)
        credentials.bump()
    return AUDIT_CONFIRMATION


# --------------------------------------------------------------------------------------------------
# Team leaders: "Login as another User" (§1.6)
# --------------------------------------------------------------------------------------------------


def login_as(leader: User, user_id: str) -> User:
    """A team leader acts as another claims user of their organisation (e.g. to unlock or progress
    that user's claims). Audited; the web session records who really acts."""
    if leader.organisation is None or not any(p.team_leader for p in leader.claims_profiles()):
        raise _forbidden("Only a team leader can sign in as another user")
    target = (
        User.objects.select_related("organisation")
        .annotate(uid=Lower("user_id"))
        .filter(uid=user_id.strip().lower(), organisation=leader.organisation)
        .first()
    )
    if target is None or target.pk == leader.pk:
        raise PortalError(
            "NOT_FOUND", "No such user in your organisation", [ErrorDetail("userId", "unknown")]
        )
    if not target.claims_profiles():
        raise invalid("userId", "this user has no claims profile")
    if not target.may_sign_in(clock.real_today()):
        raise invalid("userId", "this user is disabled, inactive or past their expiry date")
    audit(leader, "user.login_as", target.user_id)
    return target
