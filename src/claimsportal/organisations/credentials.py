"""The credentials version: how a disabled user or a revoked A2A client reaches every process at once.

Processes may cache what they verified (``a2a.auth`` caches access tokens and acting users). Every
change that must stop a caller calls :func:`bump` in the transaction of the change: one
``UPDATE … SET version = version + 1`` of a single row. Each request reads the version once
(:func:`current`: one primary-key ``SELECT`` of that row) and trusts only cache entries made under
the same version. As the bump commits with the change, a request that sees the new version also sees
the change; a request that still sees the old version is ordered before the change.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from claimsportal.core.prepared import fetch_one
from claimsportal.organisations.models import CredentialsVersion

ROW = 1
_TABLE = CredentialsVersion._meta.db_table


def bump() -> None:
    """Move the version (inside the caller's transaction when there is one)."""
    if not CredentialsVersion.objects.filter(pk=ROW).update(version=F("version") + 1):
        with transaction.atomic():
            CredentialsVersion.objects.get_or_create(pk=ROW, defaults={"version": 1})


def current() -> int:
    """The version now (0 before the first bump): every API request's one read, prepared
    (``core.prepared``; through the ORM it cost about a quarter of a state change's CPU)."""
    found = fetch_one(f"SELECT version FROM {_TABLE} WHERE id = %s", [ROW])
    return 0 if found is None else int(found[0])
