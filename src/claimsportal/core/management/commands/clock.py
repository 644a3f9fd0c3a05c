from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from claimsportal.core import clock
from claimsportal.core.commands import JsonCommand
from claimsportal.core.sandbox import move_clock, sandbox_enabled
from claimsportal.protocols.errors import PortalError


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
        if not sandbox_enabled():
            raise ValueError("the clock can only be moved in sandbox mode (set CLAIMSPORTAL_SANDBOX=1)")
        if days is not None and days < 1:
            raise ValueError("--advance-business-days must be at least 1")
        target: datetime | None = None
        if set_to is not None:
            try:
                target = datetime.fromisoformat(set_to)
            except ValueError:
                raise ValueError(f"--set: {set_to!r} is not an ISO 8601 date-time") from None
        try:
            moved = move_clock(advance_business_days=days, now=target)
        except PortalError as refused:
            raise ValueError(str(refused)) from None
        return {"now": moved.isoformat(), "sandbox": True}
