"""The portal's jobs, in priority order: the law first (timeouts, then their warnings), then the purges,
the account jobs and the printable documents. Each reads its clock (docs/decisions.md, "Two clocks")
and its retention period from the table (``core.retention``); each calls its service through its
module, so a test can replace the service."""

from __future__ import annotations

from datetime import time, timedelta

from claimsportal.a2a import guessing
from claimsportal.a2a.models import CredentialFailure, IdempotencyRecord
from claimsportal.claims import timers
from claimsportal.core import clock, retention
from claimsportal.custody import sweep as custody
from claimsportal.documents import attachments, printable
from claimsportal.jobs import runner
from claimsportal.jobs.registry import DailyAt, Every, Figures, Job, JobClock, JobContext, Registry
from claimsportal.litigants import reminders as litigant_reminders
from claimsportal.notifications import services as notifications
from claimsportal.organisations import accounts, throttle
from claimsportal.publishing import figures as dashboard
from claimsportal.publishing import service
from claimsportal.transfers import execution as transfers
from claimsportal.webhooks import delivery as webhooks

TIMEOUTS = "timeouts"
DEADLINE_WARNINGS = "deadline-warnings"
PRINTABLE_DOCUMENTS = "printable-documents"
RETENTION = "claim-retention"
CLAIMS_TRANSFER = "claims-transfer"
WEBHOOK_DELIVERIES = "webhook-deliveries"
# The jobs that run "every pass": ``run-timers --interval`` sets how often.
EVERY_PASS = (TIMEOUTS, DEADLINE_WARNINGS)
# What the sandbox's runTimers runs: the jobs of the business clock an integrator moves (not the PDFs:
# they render on the first download anyway, and a request should not wait for 200 of them).
LITIGANT_REMINDERS = "litigant-reminders"
SANDBOX = (TIMEOUTS, DEADLINE_WARNINGS, "notifications-purge", RETENTION, LITIGANT_REMINDERS)

PASS_SECONDS = 30.0
HOURLY = Every(3600.0)
NIGHTLY = DailyAt(time(3, 0))  # after the small hours' DST changes (01:00-02:00), before the working day


def timeouts(context: JobContext) -> Figures:
    swept = timers.run_due_timeouts(now=context.now, batch_size=context.batch_size, progress=context.progress)
    return swept.as_dict()


def claims_transfer(context: JobContext) -> Figures:
    ran = transfers.run_due(now=context.now, batch_size=context.batch_size)
    return ran.as_dict()


def deadline_warnings(context: JobContext) -> Figures:
    return {"warnings": notifications.create_deadline_warnings(context.business_now()).created}


def litigant_reminders_job(context: JobContext) -> Figures:
    return {"remindersSent": litigant_reminders.send_due_reminders(context.business_now())}


def notifications_purge(context: JobContext) -> Figures:
    return {"notificationsPurged": notifications.purge_expired(context.business_now())}


def claim_retention(context: JobContext) -> Figures:
    applied = custody.run_retention(
        now=context.business_now(), batch_size=context.batch_size, trigger="worker"
    )
    return {
        "claimsDeleted": applied.deleted,
        "claimsAutoAcknowledged": applied.acknowledged,
        "retentionByRule": {code: figures["done"] for code, figures in applied.by_rule.items()},
    }


def file_removals(context: JobContext) -> Figures:
    return {"filesRemoved": attachments.remove_queued_files()}


def credential_failures_purge(context: JobContext) -> Figures:
    # Never before the guessing window has ended: a shorter period in the table must not lift a lockout.
    kept = max(retention.period(retention.CREDENTIAL_FAILURES), guessing.WINDOW)
    deleted, _ = CredentialFailure.objects.filter(window_started_at__lt=clock.real_now() - kept).delete()
    return {"credentialFailuresPurged": deleted}


def idempotency_purge(context: JobContext) -> Figures:
    kept = retention.period(retention.IDEMPOTENCY_RECORDS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.real_now() - kept).delete()
    return {"idempotencyRecordsPurged": deleted}


def attempt_counts_purge(context: JobContext) -> Figures:
    # The sign-in and password-reset throttles' counts, once the longest of their windows has ended.
    longest = max(accounts.SIGN_IN_WINDOW, accounts.RESET_WINDOW)
    return {"attemptCountsPurged": throttle.purge_expired(longest)}


def idle_users(context: JobContext) -> Figures:
    return {"usersDisabledIdle": accounts.disable_idle_users(clock.real_now())}


def expiry_reminders(context: JobContext) -> Figures:
    return {"expiryReminders": accounts.send_expiry_reminders(clock.real_today())}


def disabled_users_deletion(context: JobContext) -> Figures:
    return {"usersDeleted": accounts.delete_long_disabled_users(clock.real_now())}


def printable_documents(context: JobContext) -> Figures:
    rendered = printable.render_pending(now=context.now)
    return {"documentsRendered": rendered.rendered, "documentsFailed": rendered.failed}


def executive_dashboard(context: JobContext) -> Figures:
    return {"monthsPublished": dashboard.publish_previous_month(context.business_now())}


def service_probe(context: JobContext) -> Figures:
    return {"probeOk": service.probe(clock.real_now())}


def webhook_deliveries(context: JobContext) -> Figures:
    # Real time: retries are about a receiver being down (docs/webhooks.md).
    return webhooks.deliver_due().as_dict()


def webhook_deliveries_purge(context: JobContext) -> Figures:
    return {"webhookDeliveriesPurged": webhooks.purge(clock.real_now())}


PORTAL_JOBS = Registry(
    [
        Job(
            TIMEOUTS,
            "Move every claim whose time limit has passed to its timeout phase",
            Every(PASS_SECONDS),
            JobClock.BUSINESS,
            timeouts,
            ("moved", "batches", "seconds", "byPhase"),
            timedelta(minutes=5),
        ),
        Job(
            DEADLINE_WARNINGS,
            "Warn the awaiting organisation 5 (liability) or 3 business days before a time limit",
            Every(PASS_SECONDS),
            JobClock.BUSINESS,
            deadline_warnings,
            ("warnings",),
            timedelta(minutes=5),
        ),
        Job(
            RETENTION,
            "Apply the data retention policy: acknowledge, archive and delete claims by its rules",
            DailyAt(time(3, 30)),
            JobClock.BUSINESS,
            claim_retention,
            ("claimsDeleted", "claimsAutoAcknowledged", "retentionByRule"),
            timedelta(hours=2),
        ),
        Job(
            "file-removals",
            "Remove the stored files of deleted claims left queued by an interrupted deletion",
            Every(60.0),
            JobClock.REAL,
            file_removals,
            ("filesRemoved",),
            timedelta(minutes=10),
        ),
        Job(
            LITIGANT_REMINDERS,
            "E-mail unrepresented claimants 5 working days before each time limit of theirs (once each)",
            HOURLY,
            JobClock.BUSINESS,
            litigant_reminders_job,
            ("remindersSent",),
            timedelta(hours=1),
        ),
        Job(
            CLAIMS_TRANSFER,
            "Run the approved bulk claims transfers due today (business clock), resuming any left running",
            Every(60.0),
            JobClock.BUSINESS,
            claims_transfer,
            (
                "transfers",
                "claimsTransferred",
                "claimsSkipped",
                "claimsFailed",
                "transferBatches",
                "transferSeconds",
            ),
            timedelta(hours=2),
        ),
        Job(
            "notifications-purge",
            "Delete notifications past their retention period",
            HOURLY,
            JobClock.BUSINESS,
            notifications_purge,
            ("notificationsPurged",),
            timedelta(hours=1),
            (retention.NOTIFICATIONS,),
        ),
        Job(
            "credential-failures-purge",
            "Delete counts of wrong A2A client secrets whose window has ended",
            HOURLY,
            JobClock.REAL,
            credential_failures_purge,
            ("credentialFailuresPurged",),
            timedelta(hours=1),
            (retention.CREDENTIAL_FAILURES,),
        ),
        Job(
            "idempotency-purge",
            "Delete A2A Idempotency-Key records past their retention period",
            HOURLY,
            JobClock.REAL,
            idempotency_purge,
            ("idempotencyRecordsPurged",),
            timedelta(hours=1),
            (retention.IDEMPOTENCY_RECORDS,),
        ),
        Job(
            "attempt-counts-purge",
            "Delete sign-in and password-reset attempt counts whose window has ended",
            HOURLY,
            JobClock.REAL,
            attempt_counts_purge,
            ("attemptCountsPurged",),
            timedelta(hours=1),
        ),
        Job(
            "idle-users",
            "Disable users who have not signed in for the idle period",
            NIGHTLY,
            JobClock.REAL,
            idle_users,
            ("usersDisabledIdle",),
            timedelta(hours=2),
            (retention.IDLE_USERS,),
        ),
        Job(
            "expiry-reminders",
            "E-mail Administrators whose account expires in 14 days",
            NIGHTLY,
            JobClock.REAL,
            expiry_reminders,
            ("expiryReminders",),
            timedelta(hours=2),
        ),
        Job(
            "disabled-users-deletion",
            "Delete users disabled for the deletion period who acted on no existing claim",
            NIGHTLY,
            JobClock.REAL,
            disabled_users_deletion,
            ("usersDeleted",),
            timedelta(hours=2),
            (retention.DISABLED_USERS,),
        ),
        Job(
            PRINTABLE_DOCUMENTS,
            "Render the printable documents not yet rendered (at most 200 a run)",
            Every(5.0),
            JobClock.BUSINESS,
            printable_documents,
            ("documentsRendered", "documentsFailed"),
            timedelta(minutes=10),
        ),
        Job(
            "executive-dashboard",
            "Publish the previous month's Executive Dashboard figures and post the news item (once)",
            DailyAt(time(4, 0)),
            JobClock.BUSINESS,
            executive_dashboard,
            ("monthsPublished",),
            timedelta(hours=2),
        ),
        Job(
            "service-probe",
            "Record this minute's availability probe (the database answers) for the service report",
            Every(60.0),
            JobClock.REAL,
            service_probe,
            ("probeOk",),
            timedelta(minutes=15),
        ),
        Job(
            WEBHOOK_DELIVERIES,
            "Send the signed webhook deliveries that are due, in order per claim, with retries",
            Every(0.5),
            JobClock.REAL,
            webhook_deliveries,
            ("webhooksDelivered", "webhooksFailed", "webhooksParked", "webhookEndpoints"),
            timedelta(minutes=5),
            wake=webhooks.wait_between_runs,  # at once when a change commits (PostgreSQL)
        ),
        Job(
            "webhook-deliveries-purge",
            "Delete webhook deliveries delivered or parked more than 30 days ago",
            HOURLY,
            JobClock.REAL,
            webhook_deliveries_purge,
            ("webhookDeliveriesPurged",),
            timedelta(hours=1),
        ),
    ]
)


def run_sandbox_timers() -> int:
    """The sandbox's ``runTimers``: the business-clock jobs (``SANDBOX``) once, in priority order, at the
    business clock's now, through the same registry and runner as the worker; returns the number of
    claims timed out. A failed job (logged and recorded like any run) fails the request, after the
    other jobs ran."""
    registry = PORTAL_JOBS.only(SANDBOX)
    outcomes = runner.run_once(registry, JobContext(now=clock.now()))
    failed = [outcome.job for outcome in outcomes if not outcome.ok]
    if failed:
        raise RuntimeError(f"job(s) failed: {', '.join(failed)}")
    return int(runner.merged(registry, outcomes)["moved"])
