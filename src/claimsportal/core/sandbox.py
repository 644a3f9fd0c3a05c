"""Moving the clock in sandbox (integration) mode: the CLI and the A2A sandbox endpoints share this."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from claimsportal.core import clock
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.timers import LONDON
from claimsportal.reference.calendar import get_calendar


def sandbox_enabled() -> bool:
    return bool(getattr(settings, "SANDBOX", False))


def move_clock(*, advance_business_days: int | None = None, now: datetime | None = None) -> datetime:
    """Set the portal's clock (every process) forward by business days, or to an instant."""
    if not sandbox_enabled():
        raise PortalError(
            "NOT_FOUND",
            "The clock can only be moved in sandbox mode",
            [ErrorDetail("sandbox", "not a sandbox deployment (CLAIMSPORTAL_SANDBOX=1)")],
        )
    if (advance_business_days is None) == (now is None):
        raise PortalError(
            "SCHEMA_INVALID",
            "Give exactly one of advanceBusinessDays and now",
            [ErrorDetail("advanceBusinessDays", "give exactly one of advanceBusinessDays and now")],
        )
    if now is not None:
        target = now if now.tzinfo is not None else now.replace(tzinfo=LONDON)
    else:
        assert advance_business_days is not None
        if not 1 <= advance_business_days <= 400:
            raise PortalError(
                "SCHEMA_INVALID",
                "advanceBusinessDays must be between 1 and 400",
                [ErrorDetail("advanceBusinessDays", "between 1 and 400")],
            )
        local = clock.now().astimezone(LONDON)
        day = get_calendar().add_business_days(local.date(), advance_business_days)
        target = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=LONDON)
    return clock.set_sandbox_now(target)
