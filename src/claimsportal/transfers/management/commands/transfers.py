from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core import clock
from claimsportal.core.commands import JsonCommand
from claimsportal.transfers import execution, plans
from claimsportal.transfers.models import Transfer


def _row(transfer: Transfer) -> dict[str, Any]:
    return {
        "reference": transfer.reference,
        "status": transfer.status,
        "from": transfer.source.org_id,
        "to": transfer.destination.org_id,
        "option": transfer.option,
        "preferredDate": transfer.preferred_date,
        "scheduledFor": transfer.scheduled_for,
        "moved": transfer.moved,
        "skipped": transfer.skipped,
        "failed": transfer.failed,
    }


class Command(JsonCommand):
    # No system checks: they import every URL configuration (the web and API pages), seconds of a
    # scripted run that touches none of them; ``manage.py check`` and the server still run them.
    requires_system_checks = ()
    help = (
        "Bulk claims transfers: 'list' them, 'dry-run REF' (what would move, what would be skipped and why), "
        "'run' the transfers due today (business clock) or 'run REF' one approved transfer now (a transfer done "
        "with failed claims: those claims again). Prints JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "dry-run", "run"])
        parser.add_argument("reference", nargs="?", default="")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--workers",
            type=int,
            default=execution.WORKERS,
            help=f"connections moving claims at once (PostgreSQL; default {execution.WORKERS})",
        )

    def run(self, **options: Any) -> Any:
        action, reference = options["action"], options["reference"].strip().upper()
        if action == "list":
            rows = Transfer.objects.select_related("source", "destination").order_by("-requested_at", "-pk")
            return {"transfers": [_row(t) for t in rows[:500]]}

        def progress(figures: execution.RunFigures) -> None:
            print(
                f"moved {figures.moved} in {figures.batches} batches, {figures.seconds:.1f} s",
                file=sys.stderr,
            )

        if action == "run" and not reference:
            figures = execution.run_due(
                now=clock.now(),
                batch_size=options["batch_size"],
                progress=progress,
                workers=options["workers"],
            )
            return figures.as_dict()
        transfer = (
            Transfer.objects.select_related("source", "destination").filter(reference=reference).first()
        )
        if transfer is None:
            raise ValueError(f"no transfer {reference!r}")
        if action == "dry-run":
            return {**_row(transfer), "dryRun": plans.dry_run(plans.Plan.of(transfer)).as_dict()}
        run = execution.run_transfer
        if transfer.status == Transfer.Status.DONE and transfer.failed:
            run = execution.retry_failed  # the claims that failed, again
        elif transfer.status not in execution.RUNNABLE:
            raise ValueError(
                f"transfer {transfer.reference} is {transfer.status.lower()}: only an approved one runs"
                " (or one done with failed claims)"
            )
        figures = run(
            transfer.pk, batch_size=options["batch_size"], progress=progress, workers=options["workers"]
        )
        transfer.refresh_from_db()
        return {**_row(transfer), **figures.as_dict()}
