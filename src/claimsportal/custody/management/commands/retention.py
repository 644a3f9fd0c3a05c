"""``claimsportal retention``: the data retention policy by hand (the worker runs it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.custody.rules import rules
from claimsportal.custody.sweep import RetentionResult, run_retention


class Command(JsonCommand):
    help = (
        "Apply the data retention policy now (business clock): automatic acknowledgements, the archive's "
        "end, deletions. --dry-run counts per rule what would go today and in the next 30 days; --rules "
        "prints the rules."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--rules", action="store_true", help="print the rules and exit")
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="claims per transaction (default 5000)"
        )

    def run(self, **options: Any) -> Any:
        if options["rules"]:
            return [
                {
                    "rule": rule.code,
                    "category": rule.category,
                    "phase": rule.wording,
                    "phases": list(rule.phases),
                    "clock": rule.clock,
                    "period": rule.period,
                    "action": rule.action,
                    "childProtection": rule.protects_children,
                    "adultsOnly": rule.adults_only,
                    "note": rule.note,
                }
                for rule in rules()
            ]
        batch = options["batch_size"]
        if batch < 1:
            raise ValueError("--batch-size must be at least 1")

        def progress(code: str, result: RetentionResult) -> None:
            self.stderr.write(
                f"{code}: {result.by_rule[code]['done']} claims; {result.deleted} deleted and "
                f"{result.acknowledged} acknowledged so far ({result.seconds:.1f} s)"
            )

        applied = run_retention(
            dry_run=options["dry_run"], batch_size=batch, trigger="command", progress=progress
        )
        return applied.as_dict()
