"""``claimsportal serve``: the production web server (UI + A2A API), granian with bounded threads.

The process becomes granian (``exec``): a supervisor (systemd, a container runtime) signals it
directly. ``CLAIMSPORTAL_WORKERS`` processes x ``CLAIMSPORTAL_THREADS`` request threads, so at most
that many PostgreSQL connections (``core.serving``; docs/deployment.md).
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claimsportal.core.serving import granian_command, server_threads, server_workers


class Command(BaseCommand):
    help = "Serve the web UI and the A2A API with granian (production); the timer workers run apart."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None, help="default $CLAIMSPORTAL_WORKERS or 2")
        parser.add_argument("--threads", type=int, default=None, help="default $CLAIMSPORTAL_THREADS or 4")
        parser.add_argument("--access-log", action="store_true", help="log every request (granian's format)")

    def handle(self, *args: Any, **options: Any) -> None:
        command = granian_command(
            host=options["host"],
            port=options["port"],
            workers=options["workers"] or server_workers(),
            threads=options["threads"] or server_threads(),
            access_log=options["access_log"],
        )
        os.execv(command[0], command)  # noqa: S606 - granian of this interpreter's environment
