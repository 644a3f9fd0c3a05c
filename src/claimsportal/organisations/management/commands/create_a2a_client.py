from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.organisations.services import create_a2a_client, get_organisation


class Command(JsonCommand):
    help = "Create A2A client credentials for an organisation; prints the client id and secret (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation ID, e.g. CR00001")
        parser.add_argument("--name", default="", help="a label, e.g. the case-management system's name")

    def run(self, **options: Any) -> Any:
        org = get_organisation(options["organisation"])
        new = create_a2a_client(organisation=org, name=options["name"])
        return {"organisationId": org.org_id, "clientId": new.client.client_id, "clientSecret": new.secret}
