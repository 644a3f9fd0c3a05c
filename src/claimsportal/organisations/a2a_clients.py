"""An A2A client's secret: its policy (expiry, grace period) and the Administrator's changes to it.

The client and its secret belong to the organisation (``A2AClient``); ``a2a.auth`` checks them when a
client asks for a token. A change that must stop a caller (revoking the client, rotating the secret)
bumps the credentials version (``organisations.credentials``) in the transaction of the change, so
the API's cached tokens and acting users stop being trusted on the next request in every process.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from claimsportal.core import clock
from claimsportal.organisations import credentials
from claimsportal.organisations.models import A2AClient

SECRET_GRACE = timedelta(days=7)


def secret_max_days() -> int:
    return int(getattr(settings, "CLAIMSPORTAL_A2A_SECRET_MAX_DAYS", 90))


def secret_expired(client: A2AClient) -> bool:
    """ADMINISTRATION.md §2.3: from 2023 an A2A password expires every 90 calendar days: a secret
    set on 2 March works to the end of 30 May and is refused from 31 May (London dates)."""
    days = secret_max_days()
    return days > 0 and (clock.real_today() - timezone.localdate(client.secret_set_at)).days >= days


def secret_expires_on(client: A2AClient) -> date | None:
    """The first day the secret is refused (None: secrets do not expire)."""
    days = secret_max_days()
    return timezone.localdate(client.secret_set_at) + timedelta(days=days) if days > 0 else None


def revoke_client(client: A2AClient) -> None:
    """Revoke a client and every token it holds."""
    now = clock.real_now()
    with transaction.atomic():
        A2AClient.objects.filter(pk=client.pk).update(revoked_at=now)
        client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
        credentials.bump()


def rotate_secret(client: A2AClient, *, grace: timedelta = SECRET_GRACE) -> str:
    """A new secret; the old one keeps working for ``grace`` so the client can be reconfigured."""
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        A2AClient.objects.filter(pk=client.pk).update(
            previous_secret_hash=client.secret_hash,
            previous_secret_valid_until=clock.real_now() + grace,
            secret_hash=make_password(secret),
            secret_changed_at=clock.real_now(),
        )
        credentials.bump()
    client.refresh_from_db()
    return secret
