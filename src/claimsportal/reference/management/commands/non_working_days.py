from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.protocols.calendar import statutory_holidays
from claimsportal.reference.calendar import remove_override, set_override
from claimsportal.reference.models import NonWorkingDayOverride


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)") from None


class Command(JsonCommand):
    help = (
        "The business calendar's operator overrides: list them (and a year's statutory holidays), add an extra "
        "non-working day, declare a holiday a working day, or remove an override. Open deadlines are recomputed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--add", metavar="DATE", help="an extra non-working day, e.g. a short-notice holiday"
        )
        group.add_argument(
            "--declare-working", metavar="DATE", help="a statutory holiday that is a working day"
        )
        group.add_argument("--remove", metavar="DATE", help="remove the override for this day")
        parser.add_argument("--reason", default="", help="required with --add and --declare-working")
        parser.add_argument(
            "--year", type=int, default=None, help="with no action: also list this year's holidays"
        )

    def run(self, **options: Any) -> Any:
        if options["add"] or options["declare_working"]:
            adding = bool(options["add"])
            day = _day(options["add"] or options["declare_working"])
            if not adding and day not in statutory_holidays():
                raise ValueError(f"{day.isoformat()} is not a statutory holiday in England and Wales")
            kind = NonWorkingDayOverride.Kind.ADDED if adding else NonWorkingDayOverride.Kind.REMOVED
            changed = set_override(day=day, kind=kind, reason=options["reason"])
            return {"day": day.isoformat(), "kind": kind, "deadlinesRecomputed": changed}
        if options["remove"]:
            day = _day(options["remove"])
            return {"day": day.isoformat(), "removed": True, "deadlinesRecomputed": remove_override(day=day)}
        out: dict[str, Any] = {
            "overrides": [
                {"day": o.day.isoformat(), "kind": o.kind, "reason": o.reason}
                for o in NonWorkingDayOverride.objects.order_by("day")
            ]
        }
        if options["year"]:
            out["statutoryHolidays"] = {
                d.isoformat(): name
                for d, name in sorted(statutory_holidays().items())
                if d.year == options["year"]
            }
        return out
