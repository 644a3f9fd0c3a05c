"""Creating organisations, users and A2A clients (the core; the admin console builds on these)."""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from claimsportal.core import clock
from claimsportal.organisations.models import A2AClient, Branch, Organisation, User
from claimsportal.organisations.profiles import parse_profiles
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.types import Side

CLAIM_TYPE_FAMILIES = ("RTA", "ELPL")
USER_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,49}$")
EXPIRY_YEARS = 2  # ADMINISTRATION.md §1.4: creation date + 2 years


def default_expiry(created_on: date) -> date:
    """The same day two years on (a user created on 29 February expires on 28 February)."""
    try:
        return created_on.replace(year=created_on.year + EXPIRY_YEARS)
    except ValueError:
        return created_on.replace(year=created_on.year + EXPIRY_YEARS, day=28)


def invalid(field_name: str, message: str) -> PortalError:
    return PortalError("SCHEMA_INVALID", f"{field_name}: {message}", [ErrorDetail(field_name, message)])


def _parse_claim_types(values: list[str] | str) -> list[str]:
    raw = [v.strip().upper() for v in (values.split(",") if isinstance(values, str) else values) if v.strip()]
    if not raw:
        raise invalid("claimTypes", "at least one of RTA, ELPL is required")
    for value in raw:
        if value not in CLAIM_TYPE_FAMILIES:
            raise invalid("claimTypes", f"{value!r} is not a claim type; use RTA and/or ELPL")
    return sorted(set(raw), key=CLAIM_TYPE_FAMILIES.index)


def _next_org_id(org_type: str) -> str:
    prefix, width = ("CR", 5) if org_type == Organisation.Type.CR else ("COMP", 3)
    existing = Organisation.objects.filter(org_type=org_type).values_list("org_id", flat=True)
    numbers = [int(v[len(prefix) :]) for v in existing if v[len(prefix) :].isdigit()]
    return f"{prefix}{(max(numbers, default=0) + 1):0{width}d}"


@transaction.atomic
def create_organisation(
    *,
    org_type: str,
    name: str,
    claim_types: list[str] | str = "RTA,ELPL",
    compensator_type: str = "",
    group: str = "",
) -> Organisation:
    """A new organisation with its first branch ``001`` (the Central Point of a compensator)."""
    org_type = org_type.strip().upper()
    if org_type not in Organisation.Type.values:
        raise invalid("type", "must be CR or COMP")
    name = name.strip()
    if not 2 <= len(name) <= 120:
        raise invalid("name", "must be 2 to 120 characters")
    families = _parse_claim_types(claim_types)
    compensator_type = compensator_type.strip().upper()
    if org_type == Organisation.Type.COMP:
        compensator_type = compensator_type or Organisation.CompensatorType.INSURER
        if compensator_type not in Organisation.CompensatorType.values:
            raise invalid("compensatorType", "must be I (insurer), S (self-insured) or M (MIB)")
    elif compensator_type:
        raise invalid("compensatorType", "only compensators have a compensator type")
    org = Organisation.objects.create(
        org_id=_next_org_id(org_type),
        org_type=org_type,
        name=name,
        claim_types=families,
        compensator_type=compensator_type,
        group=group.strip(),
        created_at=clock.real_now(),
    )
    Branch.objects.create(
        organisation=org,
        branch_id="001",
        name="Head Office",
        kind=Branch.Kind.CENTRAL_POINT if org_type == Organisation.Type.COMP else Branch.Kind.HANDLING_POINT,
    )
    return org


def get_organisation(identifier: str) -> Organisation:
    org = Organisation.objects.filter(org_id=identifier.strip().lstrip("/").upper()).first()
    if org is None:
        raise invalid("organisation", f"no organisation {identifier!r}")
    return org


def generate_password() -> str:
    """A strong initial password that meets the portal's rules (upper, lower, digit, symbol, 14 chars)."""
    alphabet = string.ascii_letters + string.digits + "!#$%*+-=?@"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(c in "!#$%*+-=?@" for c in candidate)
        ):
            return candidate


@dataclass(frozen=True)
class NewUser:
    user: User
    initial_password: str


def create_user(
    *,
    organisation: Organisation,
    user_id: str,
    email: str,
    profiles: list[str] | str,
    branch_id: str | None = None,
    forename: str = "",
    surname: str = "",
    password: str | None = None,
) -> NewUser:
    user_id = user_id.strip()
    if "@" in user_id:
        raise invalid("userId", "must not be an e-mail address")
    if not USER_ID_PATTERN.match(user_id):
        raise invalid(
            "userId", "must be 3-50 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise invalid("email", "must be a valid e-mail address") from None
    try:
        parsed = parse_profiles(profiles, Side(organisation.org_type))
    except ValueError as exc:
        raise invalid("profiles", str(exc)) from None
    branch = organisation.branches.filter(branch_id=branch_id or "001").first()
    if branch is None:
        raise invalid("branch", f"organisation {organisation.org_id} has no branch {branch_id!r}")
    if User.objects.annotate(uid=Lower("user_id")).filter(uid=user_id.lower()).exists():
        raise invalid("userId", "is already taken (user IDs are unique across the portal, whatever the case)")
    if organisation.users.annotate(mail=Lower("email")).filter(mail=email.lower()).exists():
        raise invalid("email", "is already the MFA e-mail of another user of this organisation")
    initial = password or generate_password()
    now = clock.real_now()
    try:
        with transaction.atomic():
            user = User.objects.create(
                user_id=user_id,
                email=email,
                forename=forename,
                surname=surname,
                organisation=organisation,
                branch=branch,
                profiles=[p.value for p in parsed],
                created_at=now,
                expiry_date=default_expiry(clock.real_today()),
                password=make_password(initial),
                password_changed_at=now,
                must_change_password=True,  # the issued password is changed at the first sign-in
            )
    except IntegrityError:
        raise invalid("userId", "is already taken") from None
    return NewUser(user, initial)


@dataclass(frozen=True)
class NewA2AClient:
    client: A2AClient
    secret: str


def create_a2a_client(
    *, organisation: Organisation, name: str = "", client_id: str | None = None, secret: str | None = None
) -> NewA2AClient:
    client_id = client_id or f"{organisation.org_id.lower()}-{secrets.token_hex(6)}"
    if A2AClient.objects.filter(client_id=client_id).exists():
        raise invalid("clientId", "is already taken")
    secret = secret or secrets.token_urlsafe(32)
    client = A2AClient.objects.create(
        organisation=organisation,
        client_id=client_id,
        secret_hash=make_password(secret),
        name=name,
        created_at=clock.real_now(),
    )
    return NewA2AClient(client, secret)
