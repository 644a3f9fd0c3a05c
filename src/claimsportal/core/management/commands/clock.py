from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from claimsportal.core import clock
from claimsportal.core.commands import JsonCommand
from claimsportal.protocols.timers import LONDON
from claimsportal.reference.calendar import get_calendar


class Command(JsonCommand):
    help = "Show the portal clock; in sandbox mode, move it (--advance-business-days N or --set ISO)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--advance-business-days", type=int, default=None)
        group.add_argument(
            "--set", dest="set_to", default=None, help="an ISO 8601 instant, e.g. 2026-12-01T09:00"
        )

    def run(self, **options: Any) -> Any:
        days, set_to = options["advance_business_days"], options["set_to"]
        if days is None and set_to is None:
            return {"now": clock.now().isoformat(), "sandbox": settings.SANDBOX}
        if not settings.SANDBOX:
            raise ValueError("the clock can only be moved in sandbox mode (set CLAIMSPORTAL_SANDBOX=1)")
        if set_to is not None:
            try:
                target = datetime.fromisoformat(set_to)
            except ValueError:
                raise ValueError(f"--set: {set_to!r} is not an ISO 8601 date-time") from None
            if target.tzinfo is None:
                target = target.replace(tzinfo=LONDON)
        else:
            if days < 1:
                raise ValueError("--advance-business-days must be at least 1")
            local = clock.now().astimezone(LONDON)
            day = get_calendar().add_business_days(local.date(), days)
            target = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=LONDON)
        return {"now": clock.set_sandbox_now(target).isoformat(), "sandbox": True}
