"""One pass of the timer worker: every job of the registry (``claimsportal.jobs``) once, in priority
order (timeouts first, the law), each isolated, with their figures merged in one dict. The worker
itself runs each job in its own thread on its own schedule (``run-timers``); this pass is
``run-timers --once`` and what the tests call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from claimsportal.claims.timers import SweepResult
from claimsportal.core import clock
from claimsportal.documents.printable import render_pending
from claimsportal.jobs import runner
from claimsportal.jobs.portal_jobs import PORTAL_JOBS, PRINTABLE_DOCUMENTS
from claimsportal.jobs.registry import Figures, JobContext


def _printable_documents(context: JobContext) -> Figures:
    # This module's ``render_pending``, looked up when the job runs (a test replaces it here).
    rendered = render_pending(now=context.now)
    return {"documentsRendered": rendered.rendered, "documentsFailed": rendered.failed}


def run_pass(
    *,
    now: datetime | None = None,
    batch_size: int = 5000,
    progress: Callable[[SweepResult], None] | None = None,
) -> dict[str, Any]:
    registry = PORTAL_JOBS.replaced(PRINTABLE_DOCUMENTS, run=_printable_documents)
    context = JobContext(now=now or clock.now(), batch_size=batch_size, progress=progress)
    return runner.merged(registry, runner.run_once(registry, context))
