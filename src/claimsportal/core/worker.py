"""One pass of the timer worker: timeouts first (the law), then warnings, purges, the account jobs and
the printable documents not yet rendered (a bounded number per pass; the next pass continues)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import structlog

from claimsportal.a2a import guessing, idempotency
from claimsportal.claims.timers import SweepResult, run_due_timeouts
from claimsportal.core import clock
from claimsportal.documents.printable import render_pending
from claimsportal.notifications import services as notifications
from claimsportal.organisations import accounts

log = structlog.get_logger(__name__)


def run_pass(
    *,
    now: datetime | None = None,
    batch_size: int = 5000,
    progress: Callable[[SweepResult], None] | None = None,
) -> dict[str, Any]:
    now = now or clock.now()
    swept = run_due_timeouts(now=now, batch_size=batch_size, progress=progress)
    warned = notifications.create_deadline_warnings(now)
    result = {
        **swept.as_dict(),
        "warnings": warned.created,
        "notificationsPurged": notifications.purge_expired(now),
        "credentialFailuresPurged": guessing.purge_expired(),
        "idempotencyRecordsPurged": idempotency.purge_expired(),
        # Accounts follow real time, never the sandbox's business clock (core/clock.py).
        "usersDisabledIdle": accounts.disable_idle_users(clock.real_now()),
        "expiryReminders": accounts.send_expiry_reminders(clock.real_today()),
        "usersDeleted": accounts.delete_long_disabled_users(clock.real_now()),
    }
    # After the rest: a PDF can wait, a time limit cannot; and a failure here (storage down) must not
    # stop the worker, whose next pass runs the timeouts again.
    try:
        documents = render_pending(now=now)
    except Exception:
        log.exception("worker.documents_failed")
        return {**result, "documentsRendered": 0, "documentsFailed": None}
    return {**result, "documentsRendered": documents.rendered, "documentsFailed": documents.failed}
