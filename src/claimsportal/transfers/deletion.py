"""Deleted claims leave the transfers' lists and reports (the transfer's own totals stay)."""

from __future__ import annotations

from collections.abc import Sequence

from claimsportal.claims import idsets
from claimsportal.claims.effects import Deleted
from claimsportal.transfers.models import TransferLine, TransferResult


def forget_claims(deleted: Sequence[Deleted]) -> int:
    """The ``claims.effects`` on-delete hook."""
    ids = [claim.application_id for claim in deleted]
    return idsets.delete_rows(TransferLine._meta.db_table, "application_id", ids) + idsets.delete_rows(
        TransferResult._meta.db_table, "application_id", ids
    )
