from __future__ import annotations

import logging
import os
from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.core.demo import seed_demo


class Command(JsonCommand):
    help = "Load the demo organisations, users, A2A clients and claims (idempotent); prints the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print nothing on success")

    def run(self, **options: Any) -> Any:
        if os.environ.get("CLAIMSPORTAL_LIVE") == "1":
            raise ValueError("demo data is never loaded into a live deployment (CLAIMSPORTAL_LIVE=1)")
        return seed_demo()

    def handle(self, *args: Any, **options: Any) -> None:
        if options["quiet"]:
            # Quiet means quiet: the progress log lines too (warnings and errors still show).
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.WARNING)
            try:
                self.run(**options)
            finally:
                root.setLevel(level)
            return
        super().handle(*args, **options)
