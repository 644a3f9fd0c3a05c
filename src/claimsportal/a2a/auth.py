"""A2A authentication: client credentials → tokens, bearer checks, and the acting user (login-as).

Like the real portal (WORKFLOW.md §7.1, API.md): the *system* authenticates with its client
credentials and gets an access token (3600 s) and a refresh token; every call then names the portal
user it acts for (``X-Login-As``), who must belong to the client's organisation and be allowed to
act (enabled, active, in date, organisation enabled). Secrets and tokens are stored only as hashes.

Each process keeps a short cache (``CACHE_SECONDS``) of verified tokens and resolved acting users,
so that a busy client costs one small lookup per call rather than two joins. Every entry is tagged
with the *credentials version* (``organisations.credentials``) it was made under, and each request
reads that version once (one primary-key ``SELECT`` of a one-row table) and trusts only entries of
the same version. Revoking a token or a client, changing a secret, disabling or changing a user (or
its password) or accepting an agreement bumps the version in the transaction of the change
(``credentials.bump``, or :func:`invalidate_caches` here, which also empties this process's caches),
so it takes effect on the next request in every process. ``CACHE_SECONDS`` still bounds what no change
announces (a user's expiry date or 90 idle days passing while cached).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models.functions import Lower

from claimsportal.a2a.models import AccessToken
from claimsportal.claims.acting import Actor
from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations import credentials
from claimsportal.organisations.a2a_clients import secret_expired, secret_max_days
from claimsportal.organisations.accounts import strength_problems
from claimsportal.organisations.models import A2AClient, User
from claimsportal.protocols.errors import ErrorDetail, PortalError

ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 8 * 3600
CACHE_SECONDS = 5.0
_DUMMY_HASH = make_password("not-a-real-secret-used-to-even-out-timing")


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int = ACCESS_TOKEN_SECONDS
    refresh_expires_in: int = REFRESH_TOKEN_SECONDS

    def as_dict(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": self.refresh_token,
            "refresh_expires_in": self.refresh_expires_in,
        }


@dataclass(frozen=True)
class ClientContext:
    """The authenticated client of a request."""

    client_pk: int
    client_id: str
    organisation_pk: int
    # The credentials version this request read (``organisations.credentials``); -1: not read yet.
    credentials_version: int = field(default=-1, compare=False)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _auth_invalid(message: str = "The client credentials or token are not valid") -> PortalError:
    return PortalError("AUTH_INVALID", message, [ErrorDetail("Authorization", message)])


class WrongCredentials(PortalError):
    """An unknown client ID or a wrong secret (what ``a2a.guessing`` counts); the same answer for both."""


def _wrong_credentials() -> WrongCredentials:
    message = "The client credentials or token are not valid"
    return WrongCredentials("AUTH_INVALID", message, [ErrorDetail("Authorization", message)])


# --------------------------------------------------------------------------------------------------
# Caches (per process, short-lived)
# --------------------------------------------------------------------------------------------------

_lock = threading.Lock()
# Entries: (monotonic time made, credentials version made under, ...).
_tokens: dict[str, tuple[float, int, ClientContext, datetime]] = {}
_actors: dict[tuple[int, str], tuple[float, int, Actor]] = {}


def invalidate_caches() -> None:
    """Every process's cached tokens and acting users stop being trusted: the credentials version
    moves (in the caller's transaction, when there is one: call it inside the change's transaction)
    and this process's caches are emptied."""
    credentials.bump()
    clear_process_caches()


def clear_process_caches() -> None:
    """Empty this process's caches only (tests; the version is what reaches other processes)."""
    with _lock:
        _tokens.clear()
        _actors.clear()


# --------------------------------------------------------------------------------------------------
# Issuing tokens
# --------------------------------------------------------------------------------------------------


def _issue(client: A2AClient) -> TokenPair:
    now = clock.real_now()
    family = uuid.uuid4()
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    AccessToken.objects.bulk_create(
        [
            AccessToken(
                token_hash=token_hash(access),
                kind=AccessToken.Kind.ACCESS,
                client=client,
                family=family,
                created_at=now,
                expires_at=now + timedelta(seconds=ACCESS_TOKEN_SECONDS),
            ),
            AccessToken(
                token_hash=token_hash(refresh),
                kind=AccessToken.Kind.REFRESH,
                client=client,
                family=family,
                created_at=now,
                expires_at=now + timedelta(seconds=REFRESH_TOKEN_SECONDS),
            ),
        ]
    )
    return TokenPair(access, refresh)


def _secret_matches(client: A2AClient, secret: str) -> bool:
    if check_password(secret, client.secret_hash):
        return True
    grace = client.previous_secret_valid_until
    return bool(
        client.previous_secret_hash
        and grace is not None
        and clock.real_now() < grace
        and check_password(secret, client.previous_secret_hash)
    )


def token_for_client_credentials(client_id: str, client_secret: str) -> TokenPair:
    """``grant_type=client_credentials``. The same error for an unknown client and a wrong secret,
    after the same (slow) hash check, so neither the answer nor its timing tells them apart."""
    client = (
        A2AClient.objects.select_related("organisation").filter(client_id=client_id.strip()).first()
        if client_id
        else None
    )
    if client is None:
        check_password(client_secret or "", _DUMMY_HASH)
        raise _wrong_credentials()
    if not _secret_matches(client, client_secret or ""):
        raise _wrong_credentials()
    if client.revoked_at is not None or not client.organisation.enabled:
        raise _auth_invalid("This client has been revoked or its organisation is disabled")
    if secret_expired(client):
        raise _secret_expired()
    with transaction.atomic():
        return _issue(client)


def _secret_expired() -> PortalError:
    return PortalError(
        "AUTH_INVALID",
        f"The client secret is more than {secret_max_days()} days old: change it with "
        "POST /a2a/v1/changePassword, then ask for a token with the new one",
        [ErrorDetail("client_secret", "expired: change it with changePassword")],
    )


def change_secret(client_id: str, old_secret: str, new_secret: str) -> None:
    """``changePassword``: the client replaces its own secret, which must meet the password rules.

    Authenticated by the current secret (an expired one too: this is how it is renewed), with the
    same answer and timing for an unknown client and a wrong secret. The old secret stops working
    at once (no grace period: the client chose the moment) and every token the client holds is
    revoked, so a leaked secret or token is useless once it is changed."""
    client = (
        A2AClient.objects.select_related("organisation").filter(client_id=client_id.strip()).first()
        if client_id
        else None
    )
    if client is None:
        check_password(old_secret or "", _DUMMY_HASH)
        raise _wrong_credentials()
    if not check_password(old_secret or "", client.secret_hash):
        raise _wrong_credentials()
    if client.revoked_at is not None or not client.organisation.enabled:
        raise _auth_invalid("This client has been revoked or its organisation is disabled")
    problems = strength_problems(
        new_secret or "",
        (("the client ID", client.client_id), ("your organisation ID", client.organisation.org_id)),
    )
    if new_secret == old_secret:
        problems.append("must not be the current password")
    elif client.previous_secret_hash and check_password(new_secret or "", client.previous_secret_hash):
        problems.append("must not be the previous password")
    if problems:
        raise PortalError(
            "SCHEMA_INVALID",
            "The new password does not meet the password rules",
            [ErrorDetail("newPassword", message) for message in problems],
        )
    now = clock.real_now()
    with transaction.atomic():
        # Compare-and-set on the secret checked above: of two changes racing from the same old
        # secret, the second finds it changed and is refused (its new secret would silently vanish).
        changed = A2AClient.objects.filter(pk=client.pk, secret_hash=client.secret_hash).update(
            secret_hash=make_password(new_secret),
            previous_secret_hash="",
            previous_secret_valid_until=None,
            secret_changed_at=now,
        )
        if not changed:
            raise _wrong_credentials()
        AccessToken.objects.filter(client=client, revoked_at__isnull=True).update(revoked_at=now)
        audit(
            None,
            "a2a_client.password_changed",
            target=client.client_id,
            organisation=client.organisation,
            via="changePassword",
        )
        invalidate_caches()


def token_for_refresh_token(refresh_token: str) -> TokenPair:
    """``grant_type=refresh_token``: a new pair; the old pair is revoked (a refresh token is used once)."""
    now = clock.real_now()
    with transaction.atomic():
        row = (
            AccessToken.objects.select_for_update()
            .select_related("client__organisation")
            .filter(token_hash=token_hash(refresh_token or ""), kind=AccessToken.Kind.REFRESH)
            .first()
        )
        if row is None or row.revoked_at is not None:
            raise _auth_invalid("The refresh token is not valid")
        if row.expires_at <= now:
            raise PortalError(
                "TOKEN_EXPIRED",
                "The refresh token has expired: ask for a new token with the client credentials",
                [ErrorDetail("refresh_token", "expired")],
            )
        client = row.client
        if client.revoked_at is not None or not client.organisation.enabled:
            raise _auth_invalid("This client has been revoked or its organisation is disabled")
        if secret_expired(client):  # refreshing does not outlive the secret it started from
            raise _secret_expired()
        AccessToken.objects.filter(family=row.family, revoked_at__isnull=True).update(revoked_at=now)
        pair = _issue(client)
        invalidate_caches()
    return pair


def revoke_token(token: str) -> bool:
    """Revoke a token and the other token of its pair. Returns whether it existed."""
    row = AccessToken.objects.filter(token_hash=token_hash(token)).only("family").first()
    if row is None:
        return False
    with transaction.atomic():
        AccessToken.objects.filter(family=row.family, revoked_at__isnull=True).update(
            revoked_at=clock.real_now()
        )
        invalidate_caches()
    return True


# --------------------------------------------------------------------------------------------------
# Checking a call
# --------------------------------------------------------------------------------------------------


def client_for_access_token(token: str) -> ClientContext:
    """The client whose valid access token this is (AUTH_INVALID / TOKEN_EXPIRED otherwise)."""
    if not token:
        raise _auth_invalid("Send Authorization: Bearer <access_token>")
    digest = token_hash(token)
    now = clock.real_now()
    version = credentials.current()  # the request's one read of the version
    monotonic = time.monotonic()
    with _lock:
        cached = _tokens.get(digest)
    if cached is not None and cached[1] == version and monotonic - cached[0] < CACHE_SECONDS:
        context, expires_at = cached[2], cached[3]
    else:
        row = (
            AccessToken.objects.filter(token_hash=digest, kind=AccessToken.Kind.ACCESS)
            .values_list(
                "client_id",
                "client__client_id",
                "client__organisation_id",
                "expires_at",
                "revoked_at",
                "client__revoked_at",
                "client__organisation__enabled",
            )
            .first()
        )
        if row is None or row[4] is not None or row[5] is not None or not row[6]:
            raise _auth_invalid("The access token is not valid")
        context, expires_at = ClientContext(row[0], row[1], row[2]), row[3]
        with _lock:
            if len(_tokens) > 10_000:
                _tokens.clear()
            _tokens[digest] = (monotonic, version, context, expires_at)
    if expires_at <= now:
        raise PortalError(
            "TOKEN_EXPIRED",
            "The access token has expired: refresh it",
            [ErrorDetail("Authorization", "expired")],
        )
    return replace(context, credentials_version=version)


def acting_user(client: ClientContext, user_id: str | None) -> Actor:
    """The ``X-Login-As`` user: a user of the client's organisation who may act now."""
    wanted = (user_id or "").strip().lower()
    if not wanted:
        raise PortalError(
            "LOGIN_AS_INVALID",
            "Send X-Login-As: the user ID of the portal user this call acts for",
            [ErrorDetail("X-Login-As", "required")],
        )
    key = (client.client_pk, wanted)
    version = client.credentials_version if client.credentials_version >= 0 else credentials.current()
    monotonic = time.monotonic()
    with _lock:
        cached = _actors.get(key)
    if cached is not None and cached[1] == version and monotonic - cached[0] < CACHE_SECONDS:
        return cached[2]
    user = (
        User.objects.select_related("organisation")
        .annotate(uid=Lower("user_id"))
        .filter(uid=wanted, organisation_id=client.organisation_pk)
        .first()
    )
    if user is None:
        raise PortalError(
            "LOGIN_AS_INVALID",
            "The acting user is not a user of the client's organisation",
            [ErrorDetail("X-Login-As", "not a user of your organisation")],
        )
    actor = Actor.for_user(user)
    with _lock:
        if len(_actors) > 10_000:
            _actors.clear()
        _actors[key] = (monotonic, version, actor)
    return actor
