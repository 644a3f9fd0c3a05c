"""Helpers shared by the claims tests: a snapshot of everything ``perform`` writes, and ``refused``,
which expects a refusal and proves that nothing was written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.notifications.models import Notification
from claimsportal.protocols.errors import PortalError

Database = tuple[list[dict[str, Any]], list[int], list[int]]


def database() -> Database:
    """Every column of every claim, and the ids of every event and notification (all ``perform``
    writes: the claim row, its history and the other party's notification)."""
    claims: list[dict[str, Any]] = [dict(row) for row in Claim.objects.order_by("pk").values()]
    events = list(ClaimEvent.objects.order_by("pk").values_list("pk", flat=True))
    notifications = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    return claims, events, notifications


@contextmanager
def refused(clock: FixedClock, code: str, field: str | None = None) -> Iterator[list[PortalError]]:
    """Expect a PortalError with ``code`` (with a detail on ``field``) and no write at all. The clock
    moves first, so that a write would show in ``updated_at`` too."""
    before = database()
    clock.advance(timedelta(minutes=7))
    caught: list[PortalError] = []
    with pytest.raises(PortalError) as excinfo:
        yield caught
    error = excinfo.value
    caught.append(error)
    assert error.code == code, str(error)
    if field is not None:
        assert field in [d.field for d in error.details], str(error)
    assert database() == before, "a refused operation wrote to the database"
