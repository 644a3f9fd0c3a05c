"""Draft Claim Notification Forms (phase P01 ``ClaimDataInputEdit``).

A claimant representative chooses the claim type first (it never changes), then saves the form as
often as they like: a draft may be partial, and is validated in full only when it is sent
(``send_draft`` runs ``addClaim`` on it through ``perform``, the one door). ``draft_problems`` lists
what would stop it being sent, for a check-your-answers page. Drafts are claims in phase P01: the
compensator never sees them (visibility excludes P01 for the compensator side), only the claimant
representative deletes them, and every save issues a new ``activityEngineGuid`` so two people
editing one draft cannot overwrite each other silently.

The compensator is chosen inside the form, as on the real CNF (``insurerInformation``'s organisation
path or ID), or given when sending.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import structlog
from django.db import transaction

from claimsportal.claims import effects, ledger, litigant_rules
from claimsportal.claims.acting import Actor, ClaimInfo, format_application_id, parse_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.protection import protection
from claimsportal.claims.services import PROCESS_VERSION, perform
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.core import clock
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms.facts import INSURER_INFORMATION_PATH
from claimsportal.protocols.payloads import ElplAddClaimPayload, RtaAddClaimPayload
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.types import ClaimType, Side

log = structlog.get_logger(__name__)

MAX_DRAFT_BYTES = 256 * 1024
DRAFT_OPERATIONS = ("createDraft", "updateDraft")


@dataclass(frozen=True)
class DraftSummary:
    application_id: str
    claim_type: str
    claimant_surname: str
    cr_reference: str
    activity_guid: uuid.UUID
    created_at: datetime
    updated_at: datetime


def _check_form(cnf: Any, field_name: str = "cnf") -> dict[str, Any]:
    if not isinstance(cnf, dict):
        raise PortalError(
            "SCHEMA_INVALID", "A draft CNF must be an object", [ErrorDetail(field_name, "must be an object")]
        )
    if len(json.dumps(cnf, default=str)) > MAX_DRAFT_BYTES:
        raise PortalError(
            "SCHEMA_INVALID",
            "The draft is too large",
            [ErrorDetail(field_name, f"must be at most {MAX_DRAFT_BYTES // 1024} KB")],
        )
    return cnf


def _claim_type(value: str) -> ClaimType:
    try:
        return ClaimType(value)
    except ValueError:
        raise PortalError(
            "SCHEMA_INVALID",
            "claimType must be one of RTA, EL, ELD, PL",
            [ErrorDetail("claimType", "must be one of RTA, EL, ELD, PL")],
        ) from None


def _check_may_draft(actor: Actor, claim_type: ClaimType) -> None:
    if actor.side is not Side.CR:
        raise PortalError(
            "WRONG_SIDE",
            "Only a claimant representative drafts claims",
            [ErrorDetail("operation", "not allowed for the COMP side")],
        )
    family = claim_type.profile_family
    if not any(rule.family == family for rule in actor.scope.rules):
        raise PortalError(
            "FORBIDDEN_PROFILE",
            f"Your profiles do not cover {claim_type.value} claims",
            [ErrorDetail("claimType", f"no {family} claims profile")],
        )
    if family not in actor.claim_types:
        raise PortalError(
            "FORBIDDEN_PROFILE",
            f"Your organisation is not registered for {family} claims",
            [ErrorDetail("claimType", "not a claim type of your organisation")],
        )


def _columns(cnf: dict[str, Any]) -> dict[str, Any]:
    """The list columns and the claimant's protection, read leniently from a partial form (whatever
    is there, cut to size)."""

    def pick(*path: str) -> str:
        node: Any = cnf
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        return node.strip() if isinstance(node, str) else ""

    return {
        "claimant_surname": pick("claimAndClaimantDetails", "claimantDetails", "personalDetails", "surname")[
            :35
        ],
        "cr_reference": pick(
            "claimAndClaimantDetails", "claimantRepresentative", "companyDetails", "referenceNumber"
        )[:50],
        **protection(
            _day(pick("claimAndClaimantDetails", "claimantDetails", "personalDetails", "dateOfBirth")),
            _day(pick("accidentData", "accidentDetails", "accidentDate")),
            child_declared=pick("claimAndClaimantDetails", "claimantDetails", "childClaim") == "1",
            known_on=clock.today(),
        ).columns(),
    }


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _entry(actor: Actor, operation: str, guid: uuid.UUID, payload: dict[str, Any]) -> ledger.Entry:
    return ledger.Entry(
        operation=operation,
        actor=actor,
        phase_before=DRAFT_PHASE,
        phase_after=DRAFT_PHASE,
        payload=payload,
        activity_guid=guid,
        deadline_at=None,
    )


def _info(claim: Claim) -> ClaimInfo:
    definition = definition_for(claim.claim_type)
    return ClaimInfo(claim.pk, claim.activity_guid, DRAFT_PHASE, definition.phases[DRAFT_PHASE].name)


def create_draft(actor: Actor, claim_type: str, cnf: dict[str, Any] | None = None) -> ClaimInfo:
    """A new draft of ``claim_type`` (RTA, EL, ELD, PL), possibly empty or partial."""
    kind = _claim_type(claim_type)
    _check_may_draft(actor, kind)
    form = _check_form(cnf if cnf is not None else {})
    now = clock.now()
    guid = uuid.uuid4()
    with transaction.atomic():
        litigant_rules.check_may_open_claim(actor)
        number = ledger.open_claim(
            columns={
                "claim_type": kind.value,
                "version_major": PROCESS_VERSION[0],
                "version_minor": PROCESS_VERSION[1],
                "phase": DRAFT_PHASE,
                "owner_side": Side.CR.value,
                "cr_organisation_id": actor.organisation_pk,
                "awaiting_organisation_id": actor.organisation_pk,
                "cr_allocated_user_id": actor.user_pk,
                "activity_guid": guid,
                "deadline_kind": "",
                "deadline_business_days": 0,
                "deadline_further_days": 0,
                "state": {"claim_type": kind.value},
                "cnf": form,
                "comp_reference": "",
                **_columns(form),
            },
            entry=_entry(actor, "createDraft", guid, {"claimType": kind.value}),
            now=now,
        )
    log.info("draft.created", application_id=number, claim_type=kind.value, user=actor.user_id)
    definition = definition_for(kind.value)
    return ClaimInfo(number, guid, DRAFT_PHASE, definition.phases[DRAFT_PHASE].name)


def _locked_draft(actor: Actor, application_id: int | str, activity_guid: str | uuid.UUID | None) -> Claim:
    """The draft, locked for update, after the same checks ``perform`` makes (visibility, lock, GUID)."""
    number = parse_application_id(application_id)
    claim = Claim.objects.select_for_update().filter(pk=number).first()
    if claim is None or not actor.scope.can_see(claim):
        raise PortalError(
            "NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "no claim you can see")]
        )
    if claim.phase != DRAFT_PHASE:
        raise PortalError(
            "WRONG_PHASE",
            f"Claim {format_application_id(claim.pk)} has been sent: it is no longer a draft",
            [ErrorDetail("phaseCacheId", f"not a draft ({claim.phase})")],
        )
    if claim.locked_by_id not in (None, actor.user_pk):
        raise PortalError(
            "CLAIM_LOCKED", "The draft is locked by another user", [ErrorDetail("applicationId", "locked")]
        )
    try:
        quoted = activity_guid if isinstance(activity_guid, uuid.UUID) else uuid.UUID(str(activity_guid))
    except ValueError:
        quoted = None
    if quoted != claim.activity_guid:
        raise PortalError(
            "STALE_ACTIVITY_GUID",
            "The draft has changed since you read it: read it again and retry",
            [ErrorDetail("activityEngineGuid", "is not the current activityEngineGuid")],
        )
    return claim


def update_draft(
    actor: Actor,
    application_id: int | str,
    activity_guid: str | uuid.UUID | None,
    *,
    cnf: dict[str, Any] | None = None,
    sections: dict[str, Any] | None = None,
) -> ClaimInfo:
    """Save a draft: ``cnf`` replaces the whole form; ``sections`` replaces only the top-level
    sections given (a section set to ``None`` is removed) — how the web form saves one tab."""
    if (cnf is None) == (sections is None):
        raise PortalError(
            "SCHEMA_INVALID",
            "Give either the whole form (cnf) or some of its sections",
            [ErrorDetail("cnf", "give exactly one of cnf and sections")],
        )
    now = clock.now()
    with transaction.atomic():
        claim = _locked_draft(actor, application_id, activity_guid)
        if cnf is not None:
            form = _check_form(cnf)
        else:
            merged = dict(claim.cnf or {})
            for name, value in _check_form(sections, "sections").items():
                if value is None:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            form = _check_form(merged)
        claim.activity_guid = uuid.uuid4()
        ledger.record(
            claim.pk,
            columns={"cnf": form, "activity_guid": claim.activity_guid, **_columns(form)},
            entry=_entry(actor, "updateDraft", claim.activity_guid, {"sections": sorted(form)}),
            now=now,
        )
    return _info(claim)


def delete_draft(actor: Actor, application_id: int | str, activity_guid: str | uuid.UUID | None) -> None:
    """Delete a draft and its history for good (drafts only; only the claimant side sees them)."""
    with transaction.atomic():
        claim = _locked_draft(actor, application_id, activity_guid)
        number = claim.pk
        ledger.delete_claims(
            [
                effects.Deleted(
                    application_id=number,
                    claim_type=claim.claim_type,
                    phase=claim.phase,
                    cr_organisation_id=claim.cr_organisation_id,
                    comp_organisation_id=claim.comp_organisation_id,
                    reason="DRAFT",
                    occurred_at=clock.now(),
                )
            ]
        )
    log.info("draft.deleted", application_id=number, user=actor.user_id, organisation=actor.org_id)


def get_draft(actor: Actor, application_id: int | str) -> Claim:
    number = parse_application_id(application_id)
    claim = Claim.objects.filter(pk=number, phase=DRAFT_PHASE).first()
    if claim is None or not actor.scope.can_see(claim):
        raise PortalError(
            "NOT_FOUND", "No such draft", [ErrorDetail("applicationId", "no draft you can see")]
        )
    return claim


def list_drafts(actor: Actor, *, limit: int = 200) -> list[DraftSummary]:
    """The actor's organisation's drafts they can see, most recently saved first."""
    rows = (
        Claim.objects.filter(actor.scope.q(), phase=DRAFT_PHASE)
        .order_by("-updated_at", "-application_id")
        .values_list(
            "application_id",
            "claim_type",
            "claimant_surname",
            "cr_reference",
            "activity_guid",
            "created_at",
            "updated_at",
        )[:limit]
    )
    return [
        DraftSummary(format_application_id(pk), kind, surname, ref, guid, created, updated)
        for pk, kind, surname, ref, guid, created, updated in rows
    ]


def _compensator_in_form(cnf: dict[str, Any]) -> str:
    node: Any = cnf
    for part in (*INSURER_INFORMATION_PATH.split("."),):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return ""
    for key in ("insurerOrganizationPath", "insurerOrganizationID"):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _send_payload(claim: Claim, compensator: str | None) -> dict[str, Any]:
    form = dict(claim.cnf or {})
    target = (compensator or "").strip() or _compensator_in_form(form)
    if not target:
        raise PortalError(
            "BUSINESS_RULE",
            "Choose the compensator before sending the claim",
            [ErrorDetail("compensator", "choose the compensator (searchCompensators) before sending")],
        )
    return {"claimType": claim.claim_type, "compensator": target, "cnf": form}


def draft_problems(
    actor: Actor, application_id: int | str, *, today: date | None = None
) -> list[ErrorDetail]:
    """What would stop the draft being sent today, field by field (empty: ready to send)."""
    claim = get_draft(actor, application_id)
    model = RtaAddClaimPayload if claim.claim_type == ClaimType.RTA else ElplAddClaimPayload
    try:
        payload = _send_payload(claim, None)
    except PortalError as missing:
        problems = list(missing.details)
        payload = {"claimType": claim.claim_type, "compensator": "-", "cnf": claim.cnf or {}}
    else:
        problems = []
    try:
        validate_payload(model, payload, today or clock.today())
    except PortalError as invalid:
        problems.extend(invalid.details)
    return problems


def send_draft(
    actor: Actor,
    application_id: int | str,
    activity_guid: str | uuid.UUID | None,
    *,
    compensator: str | None = None,
) -> ClaimInfo:
    """Send the draft to the compensator (``addClaim`` on the draft): validated in full now."""
    claim = get_draft(actor, application_id)
    return perform(
        actor=actor,
        operation="addClaim",
        application_id=claim.pk,
        activity_guid=activity_guid,
        payload=_send_payload(claim, compensator),
    )
