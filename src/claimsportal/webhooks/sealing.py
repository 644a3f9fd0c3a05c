"""Signing secrets at rest: sealed (encrypted and authenticated) with a key of the deployment, since
the portal must sign with the secret itself and so cannot keep only a hash of it, as it does for A2A
client secrets.

Standard library only: a keystream of HMAC-SHA256 blocks over a random 16-byte nonce and a counter
(HMAC as a pseudo-random function in counter mode), then an HMAC-SHA256 tag over the version, the
nonce and the ciphertext (encrypt-then-MAC), each with its own key derived from the sealing key.
The sealing key is ``CLAIMSPORTAL_WEBHOOK_SEALING_KEY`` or, without it, derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

VERSION = b"v1"
NONCE_BYTES = 16
TAG_BYTES = 32


class Unsealable(ValueError):
    """A sealed value that was altered, or sealed under another key."""


def _keys() -> tuple[bytes, bytes]:
    root_text = getattr(settings, "CLAIMSPORTAL_WEBHOOK_SEALING_KEY", "") or settings.SECRET_KEY
    root = hmac.new(root_text.encode(), b"claimsportal webhooks sealing", hashlib.sha256).digest()
    return (
        hmac.new(root, b"encryption", hashlib.sha256).digest(),
        hmac.new(root, b"authentication", hashlib.sha256).digest(),
    )


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def seal(plain: str) -> str:
    encryption, authentication = _keys()
    data = plain.encode()
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = bytes(a ^ b for a, b in zip(data, _keystream(encryption, nonce, len(data)), strict=True))
    tag = hmac.new(authentication, VERSION + nonce + cipher, hashlib.sha256).digest()
    return VERSION.decode() + "." + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def unseal(sealed: str) -> str:
    version, _, text = sealed.partition(".")
    if version.encode() != VERSION:
        raise Unsealable("not a sealed value of this version")
    try:
        raw = base64.urlsafe_b64decode(text.encode())
    except ValueError:
        raise Unsealable("not a sealed value") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise Unsealable("too short")
    nonce, cipher, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    encryption, authentication = _keys()
    expected = hmac.new(authentication, VERSION + nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        raise Unsealable("altered, or sealed under another key")
    return bytes(
        a ^ b for a, b in zip(cipher, _keystream(encryption, nonce, len(cipher)), strict=True)
    ).decode()
