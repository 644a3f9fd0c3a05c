"""``Idempotency-Key``: a repeated POST returns the first answer and changes nothing.

The key is scoped to the client. The first answer is stored in the same transaction as the change it
describes, so a crash cannot leave a change without its record (or a record without its change);
two concurrent requests with one key cannot both change the claim (the unique constraint makes the
second roll back and return the first's answer). Only successful answers are stored: a refused
request changed nothing, so repeating it is safe anyway. Records are kept for ``RETENTION``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from claimsportal.a2a.models import IdempotencyRecord
from claimsportal.core import clock
from claimsportal.protocols.errors import ErrorDetail, PortalError

RETENTION = timedelta(hours=24)
Answer = tuple[int, dict[str, Any]]


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.headers.get("X-Login-As", "").lower()):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Answer:
    if record.request_hash != fingerprint:
        raise PortalError(
            "SCHEMA_INVALID",
            "This Idempotency-Key was already used for a different request",
            [ErrorDetail("Idempotency-Key", "already used with another path, user or body")],
        )
    return record.status_code, record.response


def run_idempotently(request: HttpRequest, client_pk: int, run: Callable[[], Answer]) -> Answer:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return run()
    key = key.strip()
    if not 1 <= len(key) <= 128:
        raise PortalError(
            "SCHEMA_INVALID",
            "Idempotency-Key must be 1 to 128 characters",
            [ErrorDetail("Idempotency-Key", "1 to 128 characters")],
        )
    fingerprint = _fingerprint(request)
    since = clock.real_now() - RETENTION
    existing = IdempotencyRecord.objects.filter(client_id=client_pk, key=key, created_at__gte=since).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.filter(client_id=client_pk, key=key, created_at__lt=since).delete()
            status, body = run()
            IdempotencyRecord.objects.create(
                client_id=client_pk,
                key=key,
                request_hash=fingerprint,
                status_code=status,
                response=body,
                created_at=clock.real_now(),
            )
    except IntegrityError:
        record = IdempotencyRecord.objects.get(client_id=client_pk, key=key)
        return _replay(record, fingerprint)
    return status, body


def purge_expired() -> int:
    """Delete records older than ``RETENTION`` (run by the timer worker)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.real_now() - RETENTION).delete()
    return deleted
