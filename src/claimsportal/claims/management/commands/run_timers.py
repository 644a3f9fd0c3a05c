from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import CommandParser

from claimsportal.claims.timers import SweepResult
from claimsportal.core.commands import JsonCommand
from claimsportal.core.worker import run_pass


class Command(JsonCommand):
    help = (
        "Apply due timeouts, then create time-limit warnings, purge old notifications and render pending "
        "printable documents: one pass with --once, otherwise a loop every --interval seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between passes (loop)")
        parser.add_argument("--batch-size", type=int, default=5000)

    def run(self, **options: Any) -> Any:
        batch = options["batch_size"]
        if batch < 1:
            raise ValueError("--batch-size must be at least 1")
        if options["interval"] <= 0:
            raise ValueError("--interval must be positive")

        def progress(result: SweepResult) -> None:
            self.stderr.write(
                f"run-timers: {result.moved} claims timed out in {result.batches} batches "
                f"({result.seconds:.1f} s)"
            )

        if options["once"]:
            return run_pass(batch_size=batch, progress=progress)
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        total = 0
        self.stderr.write(f"run-timers: sweeping every {options['interval']} s (Ctrl+C to stop)")
        while not stopping:
            total += int(run_pass(batch_size=batch, progress=progress)["moved"])
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
        return {"moved": total, "stopped": True}
