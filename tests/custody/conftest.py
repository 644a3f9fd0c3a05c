"""Claims placed where a retention rule looks: a claim sent through perform, then put in a phase with
its clock at a chosen day (a test may set rows directly; the product changes claims only through the
ledger)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from claimsportal.claims.models import Claim
from claimsportal.custody.sweep import RetentionResult, run_retention
from claimsportal.protocols.timers import LONDON
from tests.conftest import World, send_claim


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def placed(world: World, phase: str, claim_type: str = "RTA", **columns: Any) -> int:
    """A sent claim moved to ``phase``, nobody's turn unless ``owner_side`` is given, with ``columns``
    (its clocks) as given."""
    info = send_claim(world, claim_type)
    values: dict[str, Any] = {"phase": phase, "deadline_at": None, **columns}
    Claim.objects.filter(pk=info.application_id).update(**values)
    return info.application_id


def retention_on(day: date) -> RetentionResult:
    return run_retention(now=at(day, 4), trigger="test")


# The A2A test callers (a case-management system per organisation), for the API tests here.
from tests.a2a.conftest import _fresh_a2a_caches, callers  # noqa: E402, F401
