"""The helpdesk (ADMINISTRATION.md §8.9) and "Resend my user ID" (§2.6).

The contact form's message waits in the operator's queue, oldest first; the helpdesk aims to reply
within five working days and says so, with the date. Every message carries what the helpdesk needs
(§2.6): who is asking (role), which section, the exact message shown.

"Resend my user ID": an Administrator (or an unrepresented claimant, who is their own account's only
user) types their e-mail address; the user IDs of their accounts are e-mailed to it. The page says
the same whether or not the address is known, and the requests are counted (per address typed and
per network address) before anything is looked up, like the password reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import structlog
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.helpdesk.models import HelpRequest
from claimsportal.organisations import throttle
from claimsportal.organisations.models import User
from claimsportal.organisations.operator import check_operator
from claimsportal.organisations.profiles import Profile
from claimsportal.organisations.services import invalid
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.reference.calendar import get_calendar

log = structlog.get_logger(__name__)

TARGET_WORKING_DAYS = 5
# The service hours of the helpdesk (ADMINISTRATION.md §8.9, 2022 snapshot).
HOURS = [
    ("Monday to Friday", "8am to 6pm (not bank holidays)"),
    ("Saturday", "8am to 2pm"),
    ("Sunday and bank holidays", "Closed"),
]
RESEND_WINDOW = timedelta(hours=1)
RESEND_EMAIL_LIMIT = 3  # like the password reset: each request e-mails the address
RESEND_ADDRESS_LIMIT = 10
RESEND_SENT = (
    "If that e-mail address belongs to an Administrator or an unrepresented claimant, we have sent it "
    "the user IDs of those accounts. Check your junk folder if it does not arrive within a few minutes."
)
TOO_MANY_RESENDS = "Too many requests: wait {minutes} minutes, then try again"


@dataclass(frozen=True)
class ResendOutcome:
    message: str
    refused: bool = False


def _email(value: str, field: str = "email") -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        raise invalid(field, "enter an e-mail address in the correct format, like name@example.com") from None
    return value


def resend_user_ids(email: str, *, address: str | None = None) -> ResendOutcome:
    """E-mail the user IDs of the Administrator (and unrepresented claimant) accounts of ``email``.
    The answer is the same whether or not any exists; counted first against the throttles."""
    email = _email(email)
    rules = [throttle.Rule(f"resend-id:email:{email.lower()[:150]}", RESEND_EMAIL_LIMIT, RESEND_WINDOW)]
    if address:
        rules.append(throttle.Rule(f"resend-id:address:{address}", RESEND_ADDRESS_LIMIT, RESEND_WINDOW))
    refusal = throttle.hit(rules)
    if refusal is not None:
        log.info("resend_user_id.throttled", key=refusal.rule.key)
        return ResendOutcome(TOO_MANY_RESENDS.format(minutes=refusal.minutes), refused=True)
    accounts = [
        (user_id, org_name)
        for user_id, profiles, org_name, litigant in User.objects.annotate(mail=Lower("email"))
        .filter(mail=email.lower(), is_active=True, organisation__isnull=False)
        .order_by("user_id")
        .values_list("user_id", "profiles", "organisation__name", "organisation__litigant_in_person")
        if litigant or Profile.ADMINISTRATOR.value in (profiles or [])
    ]
    if accounts:
        lines = "\n".join(f"- {user_id} ({org_name})" for user_id, org_name in accounts)
        send_mail(
            "Your Claims Portal user ID",
            f"You asked for the user IDs of your Claims Portal accounts:\n\n{lines}\n\nIf you did not ask, "
            "you need do nothing: nobody else has been told them.",
            None,
            [email],
        )
    log.info("resend_user_id", found=len(accounts))
    return ResendOutcome(RESEND_SENT)


def submit_request(
    *,
    name: str,
    email: str,
    role: str,
    section: str,
    description: str,
    error_message: str = "",
    user_id: str = "",
    organisation: str = "",
) -> HelpRequest:
    """Store a contact-form message in the operator's queue and acknowledge it by e-mail."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 120:
        raise invalid("name", "enter your name")
    email = _email(email)
    if role not in HelpRequest.Role.values:
        raise invalid("role", "say who you are: an Administrator, a claim handler, an unrepresented claimant")
    if section not in HelpRequest.Section.values:
        raise invalid("section", "say which section you were signing in to")
    description = (description or "").strip()
    if not 10 <= len(description) <= 5000:
        raise invalid("description", "describe the problem (10 to 5,000 characters)")
    error_message = (error_message or "").strip()
    if len(error_message) > 500:
        raise invalid("errorMessage", "must be at most 500 characters: copy the message exactly")
    user_id = (user_id or "").strip()[:50]
    organisation = (organisation or "").strip()[:120]
    today = clock.real_today()
    due = get_calendar().add_business_days(today, TARGET_WORKING_DAYS)
    with transaction.atomic():
        count = HelpRequest.objects.select_for_update().count() + 1
        request = HelpRequest.objects.create(
            reference=f"HELP-{count:06d}",
            name=name,
            email=email,
            user_id=user_id,
            organisation=organisation,
            role=role,
            section=section,
            error_message=error_message,
            description=description,
            submitted_at=clock.real_now(),
            due_on=due,
        )
        send_mail(
            f"We have your message ({request.reference})",
            f"Thank you for contacting the Claims Portal helpdesk. Your reference is {request.reference}. "
            f"We aim to reply within {TARGET_WORKING_DAYS} working days, by {due:%-d %B %Y}. The helpdesk "
            "deals with technical problems with the portal only: it cannot advise on your claim.",
            None,
            [email],
        )
    log.info("helpdesk.request", reference=request.reference)
    return request


def queue(operator: User) -> QuerySet[HelpRequest]:
    """The messages waiting for a reply, oldest target first."""
    check_operator(operator)
    return HelpRequest.objects.filter(status=HelpRequest.Status.OPEN).order_by("due_on", "submitted_at")


def recently_answered(operator: User, limit: int = 20) -> QuerySet[HelpRequest]:
    check_operator(operator)
    return HelpRequest.objects.filter(status=HelpRequest.Status.ANSWERED).order_by("-answered_at")[:limit]


def is_overdue(request: HelpRequest, today: date | None = None) -> bool:
    return request.status == HelpRequest.Status.OPEN and (today or clock.real_today()) > request.due_on


def mark_answered(operator: User, reference: str) -> HelpRequest:
    """The operator has replied (by e-mail, outside the portal): the message leaves the queue. Audited."""
    check_operator(operator)
    with transaction.atomic():
        request = HelpRequest.objects.select_for_update().filter(reference=reference).first()
        if request is None:
            raise PortalError("NOT_FOUND", "No such message", [ErrorDetail("reference", "unknown")])
        if request.status != HelpRequest.Status.OPEN:
            raise PortalError(
                "BUSINESS_RULE",
                "The message was already answered",
                [ErrorDetail("reference", "already answered")],
            )
        request.status = HelpRequest.Status.ANSWERED
        request.answered_at = clock.real_now()
        request.answered_by = operator
        request.save(update_fields=["status", "answered_at", "answered_by"])
        audit(operator, "helpdesk.answered", reference)
    return request
