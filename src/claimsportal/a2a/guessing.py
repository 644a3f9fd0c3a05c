"""Stopping the guessing of client secrets at ``POST /token`` and ``POST /changePassword``.

Attempts are counted in the database (every server process sees the same counts) per client ID
*and address* (``CLIENT_LIMIT`` in ``WINDOW``) and per address for any client (``ADDRESS_LIMIT``).
Every attempt is **counted before its secret is checked** (``organisations.throttle.hit``: an atomic
increment that holds the key's row until it is read back), so concurrent attempts cannot all slip
under a limit; past a limit the attempt is refused with ``RATE_LIMITED`` (429, ``Retry-After``)
until its window ends, the secret unchecked. Then only wrong secrets stay counted: a right secret
clears its client's count from its address and takes back its one on the address, and a right secret
refused for another reason (expired, revoked) takes back both. Keying a client's count by address
means that someone guessing from elsewhere cannot lock a firm's own case-management system out (its
address has its own count). The address is ``REMOTE_ADDR``: the proxy in front of the portal must
set it to the caller's (e.g. gunicorn's ``--forwarded-allow-ips``).
"""

from __future__ import annotations

from datetime import timedelta

from claimsportal.a2a.models import CredentialFailure
from claimsportal.core import clock
from claimsportal.organisations import throttle
from claimsportal.protocols.errors import ErrorDetail, PortalError

WINDOW = timedelta(minutes=15)
# 10 wrong secrets for one client ID from one address per window: a mistyped secret is found long
# before, and a 32-character random secret cannot be guessed at 40 an hour.
CLIENT_LIMIT = 10
# 50 wrong secrets from one address, whatever the client ID, per window: one address trying many
# clients (a shared office address has several systems, hence more than one client's limit).
ADDRESS_LIMIT = 50


class TooManyFailures(PortalError):
    retry_after: int


def _client_key(client_id: str, address: str) -> str:
    return f"client:{client_id.strip().lower()[:100]}@{address}"


def _address_key(address: str) -> str:
    return f"address:{address}"


def count_attempt(client_id: str, address: str, field: str) -> None:
    """Count this attempt on both keys (committed at once), then refuse it when one of them is over
    its limit in the current window."""
    refusal = throttle.hit(
        [
            throttle.Rule(_client_key(client_id, address), CLIENT_LIMIT, WINDOW),
            throttle.Rule(_address_key(address), ADDRESS_LIMIT, WINDOW),
        ],
        CredentialFailure,
    )
    if refusal is not None:
        error = TooManyFailures(
            "RATE_LIMITED",
            f"Too many wrong secrets: try again in {refusal.retry_after} s",
            [ErrorDetail(field, "too many wrong attempts")],
        )
        error.retry_after = refusal.retry_after
        raise error


def right_secret(client_id: str, address: str) -> None:
    """A right secret: this client's count from this address starts again; the attempt is taken
    back from the address's count (a busy system's own token requests are not guesses)."""
    throttle.forget(_client_key(client_id, address), CredentialFailure)
    throttle.uncount(_address_key(address), CredentialFailure)


def not_a_guess(client_id: str, address: str) -> None:
    """The attempt was refused for another reason than a wrong secret: it is not counted."""
    throttle.uncount(_client_key(client_id, address), CredentialFailure)
    throttle.uncount(_address_key(address), CredentialFailure)


def purge_expired() -> int:
    """Delete counts whose window has ended (the timer worker's pass)."""
    deleted, _ = CredentialFailure.objects.filter(window_started_at__lt=clock.real_now() - WINDOW).delete()
    return deleted
