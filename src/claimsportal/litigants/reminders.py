"""E-mail reminders before each of an unrepresented claimant's time limits (business clock).

A claim of a litigant in person waiting for them (``owner_side`` CR) whose time limit's last day is
within ``REMINDER_BUSINESS_DAYS`` working days gets one e-mail, once: the ``DeadlineReminder`` row
(unique per claim and time limit) is written in the same transaction as the e-mail is queued, so a
second run sends nothing, and a new time limit (a new phase, an extension) gets its own reminder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

import structlog
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from claimsportal.claims import effects, idsets
from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.litigants.models import DeadlineReminder
from claimsportal.litigants.words import stage_for
from claimsportal.organisations.models import User
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.reference.calendar import get_calendar

log = structlog.get_logger(__name__)

REMINDER_BUSINESS_DAYS = 5
BATCH = 500


def last_day(deadline_at: datetime) -> datetime:
    """The last day to act: a deadline is stored as 00:00 (London) of the day after it."""
    return deadline_at.astimezone(LONDON) - timedelta(days=1)


def send_due_reminders(now: datetime) -> int:
    """Send every reminder due at ``now`` (business clock); returns how many were sent."""
    today = now.astimezone(LONDON).date()
    horizon_day = get_calendar().add_business_days(today, REMINDER_BUSINESS_DAYS) + timedelta(days=1)
    horizon = datetime.combine(horizon_day, time(0, 0), tzinfo=LONDON)
    already = DeadlineReminder.objects.filter(
        application_id=OuterRef("pk"), deadline_at=OuterRef("deadline_at")
    )
    due = list(
        Claim.objects.filter(
            deadline_at__gt=now,
            deadline_at__lte=horizon,
            owner_side="CR",
            cr_organisation__litigant_in_person=True,
        )
        .exclude(phase=DRAFT_PHASE)
        .exclude(Exists(already))
        .values_list("pk", "claim_type", "phase", "deadline_at", "cr_organisation_id")[:BATCH]
    )
    if not due:
        return 0
    emails: dict[int, list[str]] = {}
    for organisation_id, email in User.objects.filter(
        organisation_id__in={row[4] for row in due}, is_enabled=True, is_active=True
    ).values_list("organisation_id", "email"):
        emails.setdefault(organisation_id, []).append(email)
    sent = 0
    for application_id, claim_type, phase, deadline_at, organisation_id in due:
        recipients = emails.get(organisation_id)
        if not recipients or deadline_at is None:
            continue
        if _send_one(application_id, claim_type, phase, deadline_at, recipients, now):
            sent += 1
    log.info("litigant.reminders", sent=sent)
    return sent


def _send_one(
    application_id: int, claim_type: str, phase: str, deadline_at: datetime, to: list[str], now: datetime
) -> bool:
    definition = definition_for(claim_type)
    name = definition.phases[phase].name if phase in definition.phases else phase
    words = stage_for(phase, name, claimant_acts=True)
    day = last_day(deadline_at)
    number = format_application_id(application_id)
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                application_id=application_id,
                deadline_at=deadline_at,
                phase=phase,
                sent_to=to[0],
                sent_at=now,
            )
            send_mail(
                f"Your claim {number}: act by {day:%-d %B %Y}",
                f"{words.title}.\n\n{words.now}\n\nWhat you need to do: {words.you}\n\n"
                f"You must do this by the end of {day:%A %-d %B %Y}. If you do not, your claim may leave "
                "the portal process.\n\nSign in to the Claims Portal to see your claim and what you can do "
                "now.",
                None,
                to,
            )
    except IntegrityError:  # sent meanwhile by another run
        return False
    return True


def forget_deleted_claims(deleted: Sequence[effects.Deleted]) -> object:
    """On-delete hook: a deleted claim's reminder rows go with it."""
    idsets.delete_rows(DeadlineReminder._meta.db_table, "application_id", [d.application_id for d in deleted])
    return None
