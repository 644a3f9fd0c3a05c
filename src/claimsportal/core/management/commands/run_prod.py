"""``claimsportal run-prod`` (``make run-prod``): the production topology on one machine.

PgBouncer in transaction pooling mode in front of ``DATABASE_URL`` (PostgreSQL), ``--servers`` granian
servers (each ``CLAIMSPORTAL_WORKERS`` processes x ``CLAIMSPORTAL_THREADS`` threads) on consecutive
ports from ``--port``, and ``--timer-workers`` timer workers (``run-timers``; their sweeps take claims
with ``SKIP LOCKED``, so several share the work); every process reaches PostgreSQL through PgBouncer.
A load balancer in front of the ports is the operator's (docs/deployment.md); this command shows that
the processes share nothing but the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claimsportal.core import pgbouncer
from claimsportal.core.serving import granian_command, server_threads, server_workers
from claimsportal.core.supervision import spawn, supervise


class Command(BaseCommand):
    help = "PgBouncer (transaction pooling), several app servers and timer workers, until Ctrl+C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="first server's port (default 8000)")
        parser.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
        parser.add_argument("--timer-workers", type=int, default=2, help="timer workers (default 2)")
        parser.add_argument("--pgbouncer-port", type=int, default=6432)
        parser.add_argument(
            "--pool-size", type=int, default=8, help="PgBouncer's server connections (default 8)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError("run-prod needs DATABASE_URL=postgres://… (PgBouncer pools PostgreSQL)")
        if pgbouncer.available() is None:
            raise CommandError("PgBouncer is not installed (Debian: apt-get install -y pgbouncer)")
        upstream = pgbouncer.Upstream.from_url(url)
        directory = Path(tempfile.mkdtemp(prefix="claimsportal-pgbouncer-"))
        bouncer = pgbouncer.start(
            upstream, port=options["pgbouncer_port"], directory=directory, pool_size=options["pool_size"]
        )
        env = {
            **os.environ,
            "DATABASE_URL": upstream.through(options["pgbouncer_port"]),
            "CLAIMSPORTAL_DB_POOL": "transaction",
            "PYTHONUNBUFFERED": "1",
        }
        processes: list[subprocess.Popen[bytes]] = []
        workers, threads = server_workers(), server_threads()
        for n in range(options["servers"]):
            port = options["port"] + n
            command = granian_command(host=options["host"], port=port, workers=workers, threads=threads)
            processes.append(spawn(command, env))
            self.stdout.write(f"app server {n + 1}: http://{options['host']}:{port} ({workers} x {threads})")
        cli = [sys.executable, "-m", "claimsportal.cli", "run-timers"]
        for _ in range(options["timer_workers"]):
            processes.append(spawn(cli, env))
        self.stdout.write(
            f"PgBouncer (transaction pooling, {options['pool_size']} server connections) on port"
            f" {options['pgbouncer_port']}; {options['timer_workers']} timer workers"
        )
        try:
            supervise(processes)
        finally:
            pgbouncer.stop(bouncer)
