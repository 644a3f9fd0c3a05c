"""GDPR "Delete claim" (ADMINISTRATION.md §4.4): either party, at any stage, by a user holding the
ADVANCED USER Delete Claims profile, with a reason; drafts only by the claimant side. The claim is
hidden from everyone at once (``claims.visibility``: a GDPR-deleted claim is in no scope), its time
limit stops, the other party is told, and the retention job purges it 14 days later (rule G01).
Nothing restores it: no code path clears ``gdpr_deleted_at``. The operator's report counts deletions
per organisation, month and reason (``GdprDeletionTally``), never naming a claim or a person."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import structlog
from django.db import transaction
from django.db.models import F, Sum

from claimsportal.claims import ledger, notices
from claimsportal.claims.acting import Actor, format_application_id, parse_application_id
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.core import clock
from claimsportal.custody.models import GdprDeletionTally, GdprReason, RetentionRule
from claimsportal.custody.policy import GDPR_DELETED
from claimsportal.organisations.models import Organisation, User
from claimsportal.organisations.profiles import Profile
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import Side

log = structlog.get_logger(__name__)

OPERATION = "deleteClaim"
NEEDS_PROFILE = "Deleting a claim needs the ADVANCED USER Delete Claims profile"
SHORT_REASONS = {
    GdprReason.RECTIFICATION: "rectification",
    GdprReason.ERASURE: "erasure",
    GdprReason.RESTRICTION: "restriction",
    GdprReason.SENT_IN_ERROR: "sent in error",
    GdprReason.DUPLICATE: "duplicate",
}


def may_delete(user: User) -> bool:
    return user.organisation_id is not None and Profile.DELETE_CLAIMS in user.profile_set


def purge_days() -> int:
    rule = RetentionRule.objects.filter(clock=GDPR_DELETED).order_by("position").first()
    return rule.days if rule is not None else 14


@dataclass(frozen=True)
class Deletion:
    application_id: int
    purge_on: date


def delete_claim(actor: Actor, application_id: int | str, activity_guid: Any, reason: str) -> Deletion:
    """Delete the claim under GDPR for ``actor``'s organisation. Raises ``PortalError``: SCHEMA_INVALID
    (reason), FORBIDDEN_PROFILE, NOT_FOUND (not a party, a compensator and a draft, already deleted),
    STALE_ACTIVITY_GUID."""
    try:
        why = GdprReason(str(reason))
    except ValueError:
        raise PortalError(
            "SCHEMA_INVALID",
            f"reason must be one of {', '.join(GdprReason.values)}",
            [ErrorDetail("reason", f"one of {', '.join(GdprReason.values)}")],
        ) from None
    number = parse_application_id(application_id)
    user = User.objects.only("profiles", "organisation_id").get(pk=actor.user_pk)
    if not may_delete(user):
        raise PortalError(
            "FORBIDDEN_PROFILE", NEEDS_PROFILE, [ErrorDetail("profile", "no DELETE_CLAIMS profile")]
        )
    try:
        quoted = activity_guid if isinstance(activity_guid, uuid.UUID) else uuid.UUID(str(activity_guid))
    except ValueError:
        quoted = None
    now = clock.now()
    with transaction.atomic():
        row = ledger.lock_claim(number)
        if row is None or row.gdpr_deleted_at is not None or not _party(actor, row):
            raise PortalError(
                "NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "no claim you can see")]
            )
        if quoted != row.activity_guid:
            raise PortalError(
                "STALE_ACTIVITY_GUID",
                "The claim has changed since you read it: read it again and retry",
                [ErrorDetail("activityEngineGuid", "is not the current activityEngineGuid")],
            )
        other = row.comp_organisation_id if actor.side is Side.CR else row.cr_organisation_id
        told = []
        if other is not None and row.phase != DRAFT_PHASE:
            message = notices.render(
                notices.CLAIM_DELETED,
                number,
                who=notices.SIDE_LABELS[actor.side.value],
                reason=SHORT_REASONS[why],
            )
            told.append(ledger.Notice(other, "CHANGE", message))
        guid = uuid.uuid4()
        ledger.record(
            number,
            columns={
                "gdpr_deleted_at": now,
                "activity_guid": guid,
                "locked_by_id": None,
                "locked_at": None,
                "deadline_at": None,  # no time limit runs on a deleted claim
                "awaiting_organisation_id": None,
            },
            entry=ledger.Entry(
                operation=OPERATION,
                actor=actor,
                phase_before=row.phase,
                phase_after=row.phase,
                payload={"reason": why.value},
                activity_guid=guid,
                deadline_at=None,
            ),
            told=told,
            now=now,
            claim=row,
        )
        _count(actor, why, now.astimezone(LONDON).date(), draft=row.phase == DRAFT_PHASE)
    log.info(
        "claim.gdpr_deleted",
        application_id=format_application_id(number),
        organisation=actor.org_id,
        user=actor.user_id,
        reason=why.value,
    )
    return Deletion(number, now.astimezone(LONDON).date() + timedelta(days=purge_days() + 1))


def _party(actor: Actor, row: ledger.LockedClaim) -> bool:
    if actor.side is Side.CR:
        return row.cr_organisation_id == actor.organisation_pk
    return row.comp_organisation_id == actor.organisation_pk and row.phase != DRAFT_PHASE


def _count(actor: Actor, reason: GdprReason, day: date, *, draft: bool) -> None:
    tally, _ = GdprDeletionTally.objects.select_for_update().get_or_create(
        month=day.replace(day=1),
        organisation_id=actor.organisation_pk,
        side=actor.side.value,
        reason=reason.value,
        drafts=draft,
    )
    GdprDeletionTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)


@dataclass(frozen=True)
class ReportLine:
    month: date
    organisation: str
    organisation_name: str
    side: str
    reason: str
    drafts: bool
    count: int


def report(since: date | None = None) -> list[ReportLine]:
    """Deletions per month, organisation and reason, newest month first (the operator's page)."""
    tallies = GdprDeletionTally.objects.all()
    if since is not None:
        tallies = tallies.filter(month__gte=since.replace(day=1))
    rows = (
        tallies.values("month", "organisation_id", "side", "reason", "drafts")
        .annotate(total=Sum("count"))
        .order_by("-month", "organisation_id", "reason", "drafts")
    )
    names = {o.pk: o for o in Organisation.objects.filter(pk__in={r["organisation_id"] for r in rows})}
    labels = dict(GdprReason.choices)
    return [
        ReportLine(
            month=row["month"],
            organisation=names[row["organisation_id"]].org_id,
            organisation_name=names[row["organisation_id"]].name,
            side="Claimant representative" if row["side"] == Side.CR.value else "Compensator",
            reason=labels[row["reason"]],
            drafts=row["drafts"],
            count=int(row["total"]),
        )
        for row in rows
    ]
