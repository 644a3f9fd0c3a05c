"""How a delivery is signed, and how a receiver checks it (docs/webhooks.md, "Verifying a delivery").

The signature is HMAC-SHA256, keyed with the endpoint's signing secret, over ``"<timestamp>.<body>"``
(the Unix time in seconds when the attempt was sent, a full stop, the raw request body), sent as
``X-ClaimsPortal-Signature: v1=<hex>``, with ``X-ClaimsPortal-Timestamp`` and
``X-ClaimsPortal-Key-Id`` (which secret signed it). A receiver recomputes it over the bytes it
received, compares in constant time and refuses a timestamp more than ``REPLAY_WINDOW`` seconds away
from its own clock; the ``X-ClaimsPortal-Event-Id`` (also in the body) de-duplicates retries.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE = "X-ClaimsPortal-Signature"
TIMESTAMP = "X-ClaimsPortal-Timestamp"
KEY_ID = "X-ClaimsPortal-Key-Id"
EVENT_ID = "X-ClaimsPortal-Event-Id"
EVENT_KIND = "X-ClaimsPortal-Event"
REPLAY_WINDOW = 300  # seconds either side of the receiver's clock


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def headers(
    *, secret: str, key_id: str, event_id: str, kind: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "ClaimsPortal-Webhooks/1",
        EVENT_ID: event_id,
        EVENT_KIND: kind,
        KEY_ID: key_id,
        TIMESTAMP: str(timestamp),
        SIGNATURE: signature(secret, timestamp, body),
    }


def verify(
    secrets_by_key: Mapping[str, str], received: Mapping[str, str], body: bytes, *, now: float
) -> str | None:
    """What a receiver does: None if the delivery is genuine and fresh, else why not.
    ``received`` are the request's headers (any case); ``secrets_by_key``: key ID → secret."""
    lowered = {name.lower(): value for name, value in received.items()}
    secret = secrets_by_key.get(lowered.get(KEY_ID.lower(), ""))
    if secret is None:
        return "unknown key ID"
    try:
        timestamp = int(lowered.get(TIMESTAMP.lower(), ""))
    except ValueError:
        return "no timestamp"
    if abs(now - timestamp) > REPLAY_WINDOW:
        return "timestamp outside the replay window"
    if not hmac.compare_digest(lowered.get(SIGNATURE.lower(), ""), signature(secret, timestamp, body)):
        return "bad signature"
    return None
