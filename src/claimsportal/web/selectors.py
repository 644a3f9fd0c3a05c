"""Read models for the web UI: worklist rows and a claim with its history, through the one visibility rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, QuerySet

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.services import format_application_id
from claimsportal.claims.visibility import VisibilityScope
from claimsportal.organisations.models import User
from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.reference.calendar import get_calendar


@dataclass(frozen=True)
class WorklistRow:
    application_id: str
    claim_type: str
    claimant: str
    cr_reference: str
    comp_reference: str
    phase: str
    phase_name: str
    deadline_at: datetime | None
    business_days_left: int | None
    locked_to_me: bool


@dataclass(frozen=True)
class HistoryRow:
    occurred_at: datetime
    actor: str  # "user.id (ORG001)", or "System" for timeouts and sweeps
    operation: str
    phase_before: str  # the phase's name (its code if the protocol no longer has it)
    phase_after: str


def business_days_left(
    deadline_at: datetime, *, today: date, calendar: BusinessCalendar | None = None
) -> int:
    """Business days from today to the last day before the time limit fires (the day it fires is not one)."""
    last_day = deadline_at.astimezone(LONDON).date() - timedelta(days=1)
    return (calendar or get_calendar()).business_days_between(today, last_day)


def claim_list(user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(VisibilityScope.for_user(user).q())


def worklist(user: User, *, today: date, limit: int = 200) -> list[WorklistRow]:
    """Claims awaiting the user's organisation and visible to the user, oldest change first."""
    calendar = get_calendar()
    rows = (
        claim_list(user)
        .filter(awaiting_organisation_id=user.organisation_id)
        .order_by(F("deadline_at").asc(nulls_last=True), "updated_at")
        .values_list(
            "application_id",
            "claim_type",
            "claimant_surname",
            "cr_reference",
            "comp_reference",
            "phase",
            "deadline_at",
            "locked_by_id",
        )[:limit]
    )
    out = []
    for app_id, claim_type, surname, cr_ref, comp_ref, phase, deadline_at, locked_by in rows:
        left = None
        if deadline_at is not None:
            left = business_days_left(deadline_at, today=today, calendar=calendar)
        out.append(
            WorklistRow(
                format_application_id(app_id),
                claim_type,
                surname,
                cr_ref,
                comp_ref,
                phase,
                definition_for(claim_type).phases[phase].name,
                deadline_at,
                left,
                locked_by == user.pk,
            )
        )
    return out


def claim_get(user: User, application_id: int) -> Claim | None:
    return (
        claim_list(user)
        .filter(pk=application_id)
        .select_related("cr_organisation", "comp_organisation", "locked_by")
        .first()
    )


def claim_history(claim: Claim) -> list[HistoryRow]:
    phases = definition_for(claim.claim_type).phases
    events: QuerySet[ClaimEvent] = claim.events.order_by("id").select_related(
        "actor_user", "actor_organisation"
    )

    def phase_name(code: str) -> str:
        phase = phases.get(code)
        return phase.name if phase is not None else code

    return [
        HistoryRow(
            occurred_at=event.occurred_at,
            actor=_actor_label(event),
            operation=event.operation,
            phase_before=phase_name(event.phase_before),
            phase_after=phase_name(event.phase_after),
        )
        for event in events
    ]


def _actor_label(event: ClaimEvent) -> str:
    if event.actor_user is None:
        return "System"
    org = event.actor_organisation
    return f"{event.actor_user.user_id} ({org.org_id})" if org is not None else event.actor_user.user_id
