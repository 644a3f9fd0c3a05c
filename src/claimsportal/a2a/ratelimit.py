"""Per-client rate limits: a token bucket per client in each server process.

``CLAIMSPORTAL_A2A_RATE`` requests per second (default 100) with bursts of ``CLAIMSPORTAL_A2A_BURST``
(default 200), per client and per process; a client over its limit gets ``RATE_LIMITED`` (429) with
``Retry-After``. Per-process buckets need no shared store and cost nothing on the hot path; with N
processes a client's ceiling is N times the rate, which the deployment sizes accordingly.
"""

from __future__ import annotations

import math
import threading
import time

from django.conf import settings

from claimsportal.protocols.errors import ErrorDetail, PortalError

_lock = threading.Lock()
_buckets: dict[int, tuple[float, float]] = {}  # client -> (tokens, last refill, monotonic)


class RateLimited(PortalError):
    retry_after: int


def _limits() -> tuple[float, float]:
    rate = float(getattr(settings, "CLAIMSPORTAL_A2A_RATE", 100))
    burst = float(getattr(settings, "CLAIMSPORTAL_A2A_BURST", 200))
    return rate, burst


def check_rate(client_pk: int) -> None:
    rate, burst = _limits()
    if rate <= 0:
        return
    now = time.monotonic()
    with _lock:
        tokens, last = _buckets.get(client_pk, (burst, now))
        tokens = min(burst, tokens + (now - last) * rate)
        if tokens < 1:
            _buckets[client_pk] = (tokens, now)
            wait = max(1, math.ceil((1 - tokens) / rate))
            error = RateLimited(
                "RATE_LIMITED",
                f"Too many requests: at most {rate:g} per second; retry after {wait} s",
                [ErrorDetail("Authorization", "rate limit exceeded")],
            )
            error.retry_after = wait
            raise error
        _buckets[client_pk] = (tokens - 1, now)


def reset() -> None:
    with _lock:
        _buckets.clear()
