from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claimsportal.protocols.docs import render_all


class Command(BaseCommand):
    help = (
        "Write docs/phases-rta.md and docs/phases-elpl.md from the protocol tables (--check: only compare)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--docs-dir", default="docs")
        parser.add_argument("--check", action="store_true", help="fail if a file is stale; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        docs = Path(options["docs_dir"])
        stale = []
        for filename, text in render_all().items():
            path = docs / filename
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current == text:
                continue
            stale.append(str(path))
            if not options["check"]:
                docs.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        if options["check"] and stale:
            raise CommandError(f"stale: {', '.join(stale)} (run `make docs`)")
        self.stdout.write(("wrote " if stale else "up to date: ") + (", ".join(stale) or str(docs)))
