from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.transfers import execution, plans, services
from claimsportal.transfers.models import Transfer


class Command(JsonCommand):
    # No system checks: they import every URL configuration (the web and API pages), seconds of a
    # scripted run that touches none of them; ``manage.py check`` and the server still run them.
    requires_system_checks = ()
    help = (
        "Transfer claims between two organisations of the same type now, as a request approved at once by "
        "the operator (agreed with both organisations outside the portal). Prints JSON: with --dry-run what "
        "would move and what would be skipped and why; else the transfer's reference and figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="source", required=True, help="sending organisation ID, e.g. CR00001"
        )
        parser.add_argument("--to", dest="destination", required=True, help="receiving organisation ID")
        parser.add_argument(
            "--branch",
            action="append",
            default=[],
            help="a branch ID of the sender (repeat): its claims only",
        )
        parser.add_argument(
            "--claims", type=Path, help="CSV file: applicationId,destinationBranch[,destinationUser] per line"
        )
        parser.add_argument("--to-branch", default="001", help="the receiver's branch (default 001)")
        parser.add_argument("--to-user", default="", help="a user of the receiver to allocate the claims to")
        parser.add_argument("--dry-run", action="store_true", help="change nothing; say what would happen")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--workers",
            type=int,
            default=execution.WORKERS,
            help=f"connections moving claims at once (PostgreSQL; default {execution.WORKERS})",
        )

    def run(self, **options: Any) -> Any:
        if options["branch"] and options["claims"]:
            raise ValueError("give either --branch or --claims, not both")
        option = Transfer.Option.ALL
        claims_csv = None
        if options["branch"]:
            option = Transfer.Option.BRANCHES
        if options["claims"]:
            option = Transfer.Option.LIST
            try:
                claims_csv = options["claims"].read_bytes()
            except OSError as error:
                raise ValueError(f"cannot read {options['claims']}: {error.strerror}") from None
        nobody = services.Contact("", "", "")
        form = services.TransferForm(
            source_org_id=options["source"],
            destination_org_id=options["destination"],
            option=option,
            preferred_date=None,
            source_contact=nobody,
            destination_contact=nobody,
            destination_branch_id=options["to_branch"],
            destination_user_id=options["to_user"],
            source_branch_ids=tuple(options["branch"]),
            claims_csv=claims_csv,
        )
        if options["dry_run"]:
            checked = services.check_form(form, contacts=False)
            plan = plans.Plan.draft(checked, option)
            return {"dryRun": True, **plans.dry_run(plan).as_dict()}
        transfer = services.operator_transfer(None, form)
        dry = plans.dry_run(plans.Plan.of(transfer))

        def progress(figures: execution.RunFigures) -> None:
            print(
                f"moved {figures.moved} in {figures.batches} batches, {figures.seconds:.1f} s",
                file=sys.stderr,
            )

        figures = execution.run_transfer(
            transfer.pk, batch_size=options["batch_size"], progress=progress, workers=options["workers"]
        )
        transfer.refresh_from_db()
        return {
            "reference": transfer.reference,
            "status": transfer.status,
            "moved": transfer.moved,
            "skipped": transfer.skipped,
            "failed": transfer.failed,
            "skippedByReason": dict(dry.skipped_rows()),
            "warnings": dry.warnings,
            "batches": figures.batches,
            "seconds": round(figures.seconds, 3),
        }
