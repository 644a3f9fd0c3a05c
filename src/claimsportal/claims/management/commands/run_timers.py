from __future__ import annotations

import json
import signal
import threading
from typing import Any

from django.core.management.base import CommandError, CommandParser

from claimsportal.claims.timers import SweepResult
from claimsportal.core import clock
from claimsportal.core.commands import JsonCommand
from claimsportal.jobs import runner
from claimsportal.jobs.portal_jobs import EVERY_PASS, PORTAL_JOBS
from claimsportal.jobs.registry import Every, JobContext, Registry

STOP_GRACE_SECONDS = 30.0  # on SIGTERM/SIGINT, how long a run in progress may take to finish


class Command(JsonCommand):
    help = (
        "Run the worker's jobs (claimsportal jobs lists them): due timeouts, time-limit warnings, purges, "
        "account jobs and printable documents, each in its own thread on its own schedule, printing one "
        "JSON line per run; --once runs every job once in priority order and prints their figures; "
        "--job NAME runs one job once; --only NAME[,NAME] loops over those jobs alone (a dedicated "
        "webhook-deliveries worker, for instance)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="every job once, in priority order, then exit"
        )
        parser.add_argument("--job", metavar="NAME", help="this job once, then exit")
        parser.add_argument(
            "--only",
            metavar="NAME[,NAME]",
            action="append",
            default=[],
            help="the loop runs only these jobs (repeatable); the others are left to other workers",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="seconds between runs of the timeout sweep and the warnings (loop)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="claims per batch of the timeout sweep"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._failed: list[str] = []
        super().handle(*args, **options)
        if self._failed:
            raise CommandError(
                f"job(s) failed: {', '.join(self._failed)} (the log has the traceback; claimsportal jobs the error)"
            )

    def run(self, **options: Any) -> Any:
        batch = options["batch_size"]
        if batch < 1:
            raise ValueError("--batch-size must be at least 1")
        if options["interval"] <= 0:
            raise ValueError("--interval must be positive")
        registry = PORTAL_JOBS
        for name in EVERY_PASS:
            registry = registry.replaced(name, schedule=Every(options["interval"]))
        only = [name.strip() for names in options["only"] for name in names.split(",") if name.strip()]
        if only:
            if options["job"] or options["once"]:
                raise ValueError("--only is for the loop: not with --once or --job")
            registry = registry.only(only)
        lock = threading.Lock()

        def say(text: str) -> None:
            with lock:
                self.stderr.write(text)

        def progress(result: SweepResult) -> None:
            say(
                f"run-timers: {result.moved} claims timed out in {result.batches} batches "
                f"({result.seconds:.1f} s)"
            )

        if options["job"]:
            job = registry.get(options["job"])
            outcome = runner.run_job(job, JobContext(batch_size=batch, progress=progress))
            self._failed += [] if outcome.ok else [job.name]
            return outcome.as_dict()
        if options["once"]:
            context = JobContext(now=clock.now(), batch_size=batch, progress=progress)
            outcomes = runner.run_once(registry, context)
            self._failed += [outcome.job for outcome in outcomes if not outcome.ok]
            jobs = {outcome.job: outcome.as_dict() for outcome in outcomes}
            return {**runner.merged(registry, outcomes), "jobs": jobs}
        return self._loop(registry, batch, say, progress)

    def _loop(self, registry: Registry, batch: int, say: Any, progress: Any) -> dict[str, Any]:
        lock = threading.Lock()
        totals = {"moved": 0, "runs": 0, "failedRuns": 0}

        def report(outcome: runner.Outcome) -> None:
            with lock:
                totals["runs"] += 1
                totals["failedRuns"] += 0 if outcome.ok else 1
                totals["moved"] += int(outcome.figures.get("moved", 0) or 0)
                self.stdout.write(json.dumps(outcome.as_dict(), default=str))

        worker = runner.Worker(
            registry, context=lambda: JobContext(batch_size=batch, progress=progress), on_outcome=report
        )

        def stop(signum: int, frame: Any) -> None:
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        schedules = ", ".join(f"{job.name} {job.schedule.describe()}" for job in registry)
        say(f"run-timers: {len(registry)} jobs, each in its own thread: {schedules} (Ctrl+C to stop)")
        worker.start()
        while not worker.stopping.wait(0.5):
            pass
        if not worker.join(timeout=STOP_GRACE_SECONDS):
            say("run-timers: a run still in progress was abandoned (it is safe to re-run)")
        return {**totals, "stopped": True}
