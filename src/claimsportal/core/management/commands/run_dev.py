from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claimsportal.core.demo import DEMO_A2A_CLIENTS, DEMO_OPERATOR, DEMO_PASSWORD, DEMO_USERS
from claimsportal.core.serving import granian_command
from claimsportal.core.supervision import spawn, supervise


def banner(host: str, port: int) -> str:
    """What ``make run`` prints first: where it serves, and every demo login (the operator too)."""
    lines = [
        "",
        f"Claims Portal is starting on http://{host}:{port}",
        f"Demo users (password {DEMO_PASSWORD}; the sign-in Section in brackets):",
    ]
    for user in DEMO_USERS:
        section = "Administration" if user.profiles == "ADMINISTRATOR" else "Claims Portal"
        lines.append(f"  {user.user_id:<22} {user.organisation:<8} {user.description} [{section}]")
    lines.append(f"  {DEMO_OPERATOR:<22} {'':<8} the portal's operator [Administration]")
    lines.append("Demo A2A clients:")
    for org, client_id, secret in DEMO_A2A_CLIENTS:
        lines.append(f"  {org:<8} client_id={client_id} client_secret={secret}")
    lines.append(f"A2A API docs: http://{host}:{port}/a2a/v1/docs")
    lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Run the web server (UI + A2A API) and the timer worker together, until Ctrl+C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--timer-interval", type=float, default=10.0)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(banner(options["host"], options["port"]))
        # A developer's machine: plain HTTP on localhost, and the training mode (no e-mailed sign-in
        # code), unless the environment says otherwise.
        env = {
            "CLAIMSPORTAL_INSECURE_HTTP": "1",
            "CLAIMSPORTAL_MODE": "training",
            **os.environ,
            "PYTHONUNBUFFERED": "1",
        }
        cli = [sys.executable, "-m", "claimsportal.cli"]
        processes = [
            spawn(
                granian_command(
                    host=options["host"], port=options["port"], workers=2, threads=4, access_log=True
                ),
                env,
            ),
            spawn([*cli, "run-timers", "--interval", str(options["timer_interval"])], env),
        ]

        supervise(processes)
