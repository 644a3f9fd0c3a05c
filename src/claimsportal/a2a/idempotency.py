"""``Idempotency-Key``: a repeated POST returns the first answer and changes nothing.

The key is scoped to the client. A request with a key first *reserves* it: an ``INSERT … ON CONFLICT
DO NOTHING`` of the key's row in its own short transaction (the unique constraint on client and key
makes one row whoever races). Then, in the transaction of the change, it locks that row
(``SELECT … FOR UPDATE``) *before* anything else, so a repeat that overlaps the first waits on the key
(never on the claim's row lock, where it would fail the activity GUID check) and, once the first
commits, finds its answer and returns it. The answer is stored in the same transaction as the change
it describes, so a crash cannot leave a change without its record (or a record without its change).

Only successful answers are stored: a refused request rolls back and leaves the reservation without
an answer, and its repeat runs again (a refused request changed nothing, so that is safe). The same
key with another path, user or body is refused (``SCHEMA_INVALID`` on ``Idempotency-Key``). The
answer is kept as the JSON text first sent (not ``jsonb``, which reorders keys), so a replay is byte
for byte the first answer. Records are kept for ``RETENTION``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from claimsportal.a2a.models import IdempotencyRecord
from claimsportal.claims import idsets
from claimsportal.claims.effects import Deleted
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


def _reused() -> PortalError:
    return PortalError(
        "SCHEMA_INVALID",
        "This Idempotency-Key was already used for a different request",
        [ErrorDetail("Idempotency-Key", "already used with another path, user or body")],
    )


def _key_of(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 128:
        raise PortalError(
            "SCHEMA_INVALID",
            "Idempotency-Key must be 1 to 128 characters",
            [ErrorDetail("Idempotency-Key", "1 to 128 characters")],
        )
    return key


def _reserve(client_pk: int, key: str, fingerprint: str) -> None:
    """The key's row exists (committed) once this returns: an expired record is replaced."""
    now = clock.real_now()
    with transaction.atomic():
        IdempotencyRecord.objects.filter(
            client_id=client_pk, key=key, created_at__lt=now - RETENTION
        ).delete()
        IdempotencyRecord.objects.bulk_create(
            [IdempotencyRecord(client_id=client_pk, key=key, request_hash=fingerprint, created_at=now)],
            ignore_conflicts=True,  # INSERT … ON CONFLICT DO NOTHING
        )


def run_idempotently(request: HttpRequest, client_pk: int, run: Callable[[], Answer]) -> Answer:
    key = _key_of(request)
    if key is None:
        return run()
    fingerprint = _fingerprint(request)
    _reserve(client_pk, key, fingerprint)
    with transaction.atomic():
        # The key's lock first, before the claim's: a repeat waits here for the first to finish.
        record = IdempotencyRecord.objects.select_for_update().get(client_id=client_pk, key=key)
        if record.status_code is not None:
            if record.request_hash != fingerprint:
                raise _reused()
            return record.status_code, json.loads(record.answer)
        status, body = run()
        # The first successful request with this key owns it (a refused one left no answer behind).
        record.request_hash = fingerprint
        record.status_code = status
        record.answer = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        record.created_at = clock.real_now()
        record.application_id = _claim_of(body)
        record.save(update_fields=["request_hash", "status_code", "answer", "created_at", "application_id"])
    return status, body


def _claim_of(body: Any) -> int | None:
    """The application ID an answer is about (operations and deleteClaim answer with it)."""
    value = body.get("applicationId") if isinstance(body, dict) else None
    return int(value) if isinstance(value, str) and value.isdigit() else None


def forget_claims(deleted: Sequence[Deleted]) -> int:
    """The ``claims.effects`` on-delete hook: the stored answers about claims being deleted."""
    return idsets.delete_rows(
        IdempotencyRecord._meta.db_table, "application_id", [c.application_id for c in deleted]
    )


def purge_expired() -> int:
    """Delete records older than ``RETENTION`` (run by the timer worker)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.real_now() - RETENTION).delete()
    return deleted
