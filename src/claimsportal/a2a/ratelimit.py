"""Per-client rate limits that hold across server processes and machines.

``CLAIMSPORTAL_A2A_RATE`` requests per second (default 100) with bursts of ``CLAIMSPORTAL_A2A_BURST``
(default 200), per client, whatever the number of servers; a client over its limit gets
``RATE_LIMITED`` (429) with ``Retry-After``.

The bucket is one row per client in the database (``a2a.RateBucket``). A process does not write it
on every request: it **leases** a few tokens at a time (:func:`lease_size`: a tenth of a second's
worth at the client's rate, at most a tenth of the burst) with one ``INSERT … ON CONFLICT DO UPDATE
… RETURNING`` statement that refills the bucket for the time elapsed and takes what it can, and
spends them locally. Every request is counted against the one bucket, so P processes cannot give a
client P times its rate; a lease's unspent tokens stay with its process (at most one lease's worth
per process is idle). Real time (``time.time``): rate limits are security, the business clock never
moves them.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from claimsportal.protocols.errors import ErrorDetail, PortalError

_lock = threading.Lock()
_leased: dict[int, int] = {}  # client -> tokens this process leased and has not spent yet


class RateLimited(PortalError):
    retry_after: int


@dataclass(frozen=True)
class Limits:
    rate: float  # tokens per second
    burst: float  # the bucket's size

    @property
    def lease(self) -> int:
        return lease_size(self.rate, self.burst)


def lease_size(rate: float, burst: float) -> int:
    """Tokens one lease asks for: a tenth of a second's worth, at most a tenth of the burst, at least 1."""
    return max(1, min(int(rate / 10), int(burst / 10), 50))


def _limits() -> Limits:
    return Limits(
        float(getattr(settings, "CLAIMSPORTAL_A2A_RATE", 100)),
        float(getattr(settings, "CLAIMSPORTAL_A2A_BURST", 200)),
    )


def _lease_sql() -> str:
    """One statement: refill the client's bucket for the time elapsed, take up to the lease, return
    (granted, tokens left). The SET expressions read the row as it was (both engines)."""
    postgresql = connection.vendor == "postgresql"
    least, greatest = ("LEAST", "GREATEST") if postgresql else ("MIN", "MAX")
    table = "a2a_ratebucket"
    available = f"{least}(%s, {table}.tokens + {greatest}(0, %s - {table}.refilled_at) * %s)"
    whole = (
        f"FLOOR({greatest}(0, {available}))" if postgresql else f"CAST({greatest}(0, {available}) AS INTEGER)"
    )
    taken = f"{least}(%s, {whole})"
    return (
        f"INSERT INTO {table} (client_id, tokens, refilled_at, granted) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT (client_id) DO UPDATE SET granted = {taken}, tokens = {available} - {taken}, "
        f"refilled_at = {greatest}({table}.refilled_at, %s) RETURNING granted, tokens"
    )


def lease(client_pk: int, limits: Limits, *, now: float | None = None) -> tuple[int, float]:
    """Take up to ``limits.lease`` tokens from the client's shared bucket: (granted, tokens left).
    Only whole tokens are granted (``FLOOR``; SQLite's ``CAST … AS INTEGER`` truncates the same)."""
    at = time.time() if now is None else now
    want = limits.lease
    first = min(want, int(limits.burst))
    avail = [limits.burst, at, limits.rate]
    params = [
        client_pk,
        limits.burst - first,
        at,
        first,
        want,
        *avail,  # granted
        *avail,  # tokens = available
        want,
        *avail,  # - taken
        at,  # refilled_at
    ]
    with connection.cursor() as cursor:
        cursor.execute(_lease_sql(), params)
        granted, tokens = cursor.fetchone()
    return int(granted), float(tokens)


def check_rate(client_pk: int) -> None:
    """Spend one of the client's tokens, leasing more from the shared bucket when this process has
    none left; raise :class:`RateLimited` when the bucket is empty."""
    limits = _limits()
    if limits.rate <= 0:
        return
    with _lock:
        if _leased.get(client_pk, 0) > 0:
            _leased[client_pk] -= 1
            return
    granted, tokens = lease(client_pk, limits)
    if granted < 1:
        wait = max(1, math.ceil((1 - tokens) / limits.rate))
        error = RateLimited(
            "RATE_LIMITED",
            f"Too many requests: at most {limits.rate:g} per second; retry after {wait} s",
            [ErrorDetail("Authorization", "rate limit exceeded")],
        )
        error.retry_after = wait
        raise error
    with _lock:
        _leased[client_pk] = _leased.get(client_pk, 0) + granted - 1


def reset() -> None:
    """Forget this process's leased tokens (tests; the shared buckets are rows)."""
    with _lock:
        _leased.clear()
