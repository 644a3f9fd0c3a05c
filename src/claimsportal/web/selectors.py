"""Read models for the web UI: worklist rows and a claim with its history, through the one visibility rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, QuerySet

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.services import format_application_id
from claimsportal.claims.visibility import VisibilityScope
from claimsportal.organisations.models import User
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


def claim_list(user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(VisibilityScope.for_user(user).q())


def worklist(user: User, *, today: Any, limit: int = 200) -> list[WorklistRow]:
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
            last_day = deadline_at.astimezone(LONDON).date() - timedelta(days=1)
            left = calendar.business_days_between(today, last_day)
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
        .select_related("cr_organisation", "comp_organisation")
        .first()
    )


def claim_history(claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.order_by("id").select_related("actor_user", "actor_organisation")
