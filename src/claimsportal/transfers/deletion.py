"""Deleted claims leave the transfers' lists and reports (the transfer's own totals stay)."""

from __future__ import annotations

from collections.abc import Sequence

from claimsportal.claims.effects import Deleted
from claimsportal.transfers.models import TransferLine, TransferResult


def forget_claims(deleted: Sequence[Deleted]) -> int:
    """The ``claims.effects`` on-delete hook."""
    ids = [claim.application_id for claim in deleted]
    gone = 0
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        gone += TransferLine.objects.filter(application_id__in=chunk).delete()[0]
        gone += TransferResult.objects.filter(application_id__in=chunk).delete()[0]
    return gone
