from __future__ import annotations

from typing import Any

from claimsportal.claims.deadlines import recompute_open_deadlines
from claimsportal.core.commands import JsonCommand


class Command(JsonCommand):
    help = "Recompute every open deadline from its stored inputs and the calendar in force."

    def run(self, **options: Any) -> Any:
        return {"claimsChanged": recompute_open_deadlines()}
