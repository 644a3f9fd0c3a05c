from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from claimsportal.core.commands import JsonCommand
from claimsportal.organisations.services import create_user, get_organisation


class Command(JsonCommand):
    help = "Create a user of an organisation; prints the user and the initial password as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="organisation ID, e.g. CR00001")
        parser.add_argument("--user-id", required=True)
        parser.add_argument("--email", required=True, help="the user's own business e-mail (MFA e-mail)")
        parser.add_argument("--profiles", required=True, help="comma-separated profile codes")
        parser.add_argument("--branch", default=None, help="branch ID (default 001)")
        parser.add_argument("--forename", default="")
        parser.add_argument("--surname", default="")

    def run(self, **options: Any) -> Any:
        org = get_organisation(options["organisation"])
        new = create_user(
            organisation=org,
            user_id=options["user_id"],
            email=options["email"],
            profiles=options["profiles"],
            branch_id=options["branch"],
            forename=options["forename"],
            surname=options["surname"],
        )
        user = new.user
        return {
            "userId": user.user_id,
            "organisationId": org.org_id,
            "branchId": user.branch.branch_id if user.branch else None,
            "email": user.email,
            "profiles": user.profiles,
            "expiryDate": user.expiry_date,
            "initialPassword": new.initial_password,
        }
