"""Stopping the guessing of client secrets at ``POST /token`` and ``POST /changePassword``.

Wrong secrets are counted in the database (every server process sees the same counts) per client ID
*and address* (``CLIENT_LIMIT`` in ``WINDOW``) and per address for any client (``ADDRESS_LIMIT``):
past a limit, the key is refused with ``RATE_LIMITED`` (429, ``Retry-After``) until its window ends,
before the secret is even checked. Keying a client's count by address means that someone guessing
from elsewhere cannot lock a firm's own case-management system out (its address has its own count),
and a right secret clears that client's count for its address. The address is ``REMOTE_ADDR``: the
proxy in front of the portal must set it to the caller's (e.g. gunicorn's ``--forwarded-allow-ips``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from claimsportal.a2a.models import CredentialFailure
from claimsportal.core import clock
from claimsportal.protocols.errors import ErrorDetail, PortalError

WINDOW = timedelta(minutes=15)
CLIENT_LIMIT = 10  # wrong secrets for one client ID from one address per window
ADDRESS_LIMIT = 50  # wrong secrets from one address, whatever the client ID, per window


class TooManyFailures(PortalError):
    retry_after: int


def _keys(client_id: str, address: str) -> list[tuple[str, int]]:
    return [
        (f"client:{client_id.strip().lower()[:100]}@{address}", CLIENT_LIMIT),
        (f"address:{address}", ADDRESS_LIMIT),
    ]


def check_allowed(client_id: str, address: str, field: str) -> None:
    """Refuse the attempt when one of its keys has reached its limit in the current window."""
    now = clock.real_now()
    keys = dict(_keys(client_id, address))
    for row in CredentialFailure.objects.filter(key__in=keys):
        ends = row.window_started_at + WINDOW
        if row.failures >= keys[row.key] and now < ends:
            wait = max(1, math.ceil((ends - now).total_seconds()))
            error = TooManyFailures(
                "RATE_LIMITED",
                f"Too many wrong secrets: try again in {wait} s",
                [ErrorDetail(field, "too many wrong attempts")],
            )
            error.retry_after = wait
            raise error


def record_failure(client_id: str, address: str) -> None:
    """Count one wrong secret for each key (its own transaction: it stays when the request fails)."""
    now = clock.real_now()
    with transaction.atomic():
        for key, _limit in _keys(client_id, address):
            _count(key, now)


def _count(key: str, now: datetime) -> None:
    fresh = now - WINDOW
    # A window that has ended starts again at one; otherwise one more.
    if CredentialFailure.objects.filter(key=key, window_started_at__lte=fresh).update(
        failures=1, window_started_at=now
    ):
        return
    if CredentialFailure.objects.filter(key=key).update(failures=F("failures") + 1):
        return
    try:
        with transaction.atomic():
            CredentialFailure.objects.create(key=key, failures=1, window_started_at=now)
    except IntegrityError:  # created meanwhile by a concurrent failure
        CredentialFailure.objects.filter(key=key).update(failures=F("failures") + 1)


def clear(client_id: str, address: str) -> None:
    """A right secret: this client's count from this address starts again."""
    key, _limit = _keys(client_id, address)[0]
    CredentialFailure.objects.filter(key=key).delete()


def purge_expired() -> int:
    """Delete counts whose window has ended (the timer worker's pass)."""
    deleted, _ = CredentialFailure.objects.filter(window_started_at__lt=clock.real_now() - WINDOW).delete()
    return deleted
