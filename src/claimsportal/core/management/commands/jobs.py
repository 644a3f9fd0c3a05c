from __future__ import annotations

from typing import Any

from claimsportal.core import retention
from claimsportal.core.commands import JsonCommand
from claimsportal.jobs.health import report
from claimsportal.jobs.portal_jobs import PORTAL_JOBS


class Command(JsonCommand):
    help = (
        "The worker's jobs: each one's schedule, clock, last run (duration, result, figures, error) and "
        "lag against its schedule ('late' past its budget), and the retention periods the jobs read."
    )

    def run(self, **options: Any) -> Any:
        return {**report(PORTAL_JOBS), "retention": retention.listing()}
