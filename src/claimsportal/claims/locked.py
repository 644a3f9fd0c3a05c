"""A claim's row as the ledger locks and reads it on the hot path (no ORM instance), shared by the
ledger and by ``claims.effects``' effects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass
class LockedClaim:
    application_id: int
    claim_type: str
    phase: str
    owner_side: str | None
    cr_organisation_id: int
    comp_organisation_id: int | None
    comp_branch_id: int | None
    cr_allocated_user_id: int | None
    comp_allocated_user_id: int | None
    locked_by_id: int | None
    activity_guid: uuid.UUID
    deadline_kind: str
    deadline_anchor: Any
    deadline_business_days: int
    deadline_further_days: int
    deadline_fixed_date: Any
    state: dict[str, Any]
    comp_reference: str
    deadline_at: datetime | None
    gdpr_deleted_at: datetime | None  # deleted under GDPR: visible to nobody (claims.visibility)
