from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.organisations.services import create_organisation


class Command(JsonCommand):
    help = "Create an organisation (CR or COMP) with its first branch 001; prints it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--type", required=True, help="CR or COMP")
        parser.add_argument("--name", required=True)
        parser.add_argument("--claim-types", default="RTA,ELPL", help="RTA, ELPL or RTA,ELPL")
        parser.add_argument(
            "--compensator-type", default="", help="COMP only: I insurer, S self-insured, M MIB"
        )
        parser.add_argument(
            "--group", default="", help="group name: members may reassign claims to each other"
        )

    def run(self, **options: Any) -> Any:
        org = create_organisation(
            org_type=options["type"],
            name=options["name"],
            claim_types=options["claim_types"],
            compensator_type=options["compensator_type"],
            group=options["group"],
        )
        return {
            "organisationId": org.org_id,
            "organisationPath": org.path,
            "name": org.name,
            "type": org.org_type,
            "claimTypes": org.claim_types,
            "compensatorType": org.compensator_type or None,
            "branches": [
                {"branchId": b.branch_id, "name": b.name, "kind": b.kind} for b in org.branches.all()
            ],
        }
