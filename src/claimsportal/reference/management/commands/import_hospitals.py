from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.reference.hospitals import import_ods_sites


class Command(JsonCommand):
    help = (
        "Load NHS hospital sites for getHospitalsList from an NHS Organisation Data Service site file "
        "(ets.csv for NHS trust sites in England, wlhbsite.csv for Wales; headerless ODS layout, or the "
        ".zip it comes in). Upserts by organisation code in one transaction; a bad row stops the import "
        "with its line and column, and nothing is written. Prints the counts as JSON; progress on stderr."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the ODS .csv file (or a .zip holding one)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and count the changes, write nothing"
        )

    def run(self, **options: Any) -> Any:
        path = Path(options["file"])
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        report = import_ods_sites(path, dry_run=options["dry_run"], progress=self.stderr.write)
        return {"file": str(path), **report.as_dict()}
