"""``perform``: the one door through which a claim changes (ARCHITECTURE.md §4 rule 2).

In one transaction with the claim row locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs
IMMEDIATE transactions, so writers are serialised): visibility, lock, ``activityEngineGuid``, side,
phase, profile, payload and the protocol's guards are checked; then the claim row is updated and
one ``ClaimEvent`` is written, with a new ``activityEngineGuid``. Nothing is written on any error.

The hot path is three SQL statements (select, update, insert) on a cached actor: it does not build
ORM model instances, because a claims portal's throughput is bounded by this function.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Protocol, cast

import structlog
from django.db import transaction
from django.db.models.functions import Lower

from claimsportal.claims import effects, ledger, litigant_rules
from claimsportal.claims.acting import Actor, ClaimInfo, access_facts, access_refusal, parse_application_id
from claimsportal.claims.deadlines import deadline_columns, spec_from_row
from claimsportal.claims.models import Claim
from claimsportal.claims.notices import change_message
from claimsportal.claims.protection import protection
from claimsportal.claims.visibility import VisibilityScope
from claimsportal.core import clock
from claimsportal.organisations.directory import ResolvedCompensator, resolve_compensator
from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.protocols import payloads as p
from claimsportal.protocols.access import DEFAULT_RULES, AccessFacts, AccessRule, first_broken
from claimsportal.protocols.definitions import ProtocolDefinition
from claimsportal.protocols.engine import Outcome, decide, guard_problems
from claimsportal.protocols.errors import ErrorDetail, PortalError, business_rule
from claimsportal.protocols.forms.facts import INSURER_INFORMATION_PATH, cnf_facts
from claimsportal.protocols.state import ClaimState
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON, DeadlineSpec
from claimsportal.protocols.types import ClaimType, OperationKind, Side
from claimsportal.reference.calendar import get_calendar

log = structlog.get_logger(__name__)

PROCESS_VERSION = (7, 0)
CNF_OPERATIONS = frozenset({"addClaim", "resendRejectedClaim"})


# --------------------------------------------------------------------------------------------------
# Raw row access (lean: the hot path)
# --------------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------------
# perform
# --------------------------------------------------------------------------------------------------


def perform(
    *,
    actor: Actor,
    operation: str,
    application_id: int | str | None = None,
    activity_guid: str | uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
) -> ClaimInfo:
    """Perform one portal operation on behalf of ``actor``. Raises :class:`PortalError` on refusal."""
    payload = dict(payload or {})
    if operation == "addClaim" and application_id is None:
        return _add_claim(actor, payload)
    if application_id is None:
        raise PortalError(
            "SCHEMA_INVALID", "applicationId is required", [ErrorDetail("applicationId", "required")]
        )
    number = parse_application_id(application_id)
    quoted = _parse_guid(activity_guid)
    if operation in CNF_OPERATIONS:
        litigant_rules.check_representation(actor, payload)
    now = clock.now()
    calendar = get_calendar()
    with transaction.atomic():
        row = ledger.lock_claim(number)
        if row is None or not actor.scope.can_see(row):
            raise PortalError(
                "NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "no claim you can see")]
            )
        definition = definition_for(row.claim_type)
        rules = definition.access_rules(operation)
        facts = access_facts(actor, row, lock_only=rules == DEFAULT_RULES)
        _check_access([r for r in rules if r.checked_first], facts, operation)
        if quoted != row.activity_guid:
            raise PortalError(
                "STALE_ACTIVITY_GUID",
                "The claim has changed since you read it: read its status and try again",
                [ErrorDetail("activityEngineGuid", "is not the current activityEngineGuid")],
            )
        _check_time_limit(definition, row, operation, now)
        state, spec = protocol_facts(row)
        outcome = decide(
            definition,
            phase=row.phase,
            owner=Side(row.owner_side) if row.owner_side else None,
            state=state,
            deadline=spec,
            operation=operation,
            side=actor.side,
            payload=payload,
            now=now,
            calendar=calendar,
        )
        _check_access([r for r in rules if not r.checked_first], facts, operation)
        changes = (
            _housekeeping_changes(actor, row, outcome, now)
            if outcome.operation.kind is OperationKind.HOUSEKEEPING
            else {}
        )
        changes.update(_service_changes(actor, row, outcome))
        info = _write(
            actor,
            row,
            definition,
            outcome,
            changes,
            now,
            calendar,
            previous_state=state,
            previous_deadline=spec,
        )
    log.debug(
        "claim.operation",
        operation=operation,
        application_id=number,
        user=actor.user_id,
        organisation=actor.org_id,
        phase_before=outcome.phase_before,
        phase_after=outcome.phase_after,
    )
    return info


class ClaimRow(Protocol):
    """What :func:`protocol_facts` reads of a claim: its locked row (``perform``) or its model."""

    @property
    def state(self) -> Any: ...
    @property
    def deadline_kind(self) -> str: ...
    @property
    def deadline_anchor(self) -> Any: ...
    @property
    def deadline_business_days(self) -> int: ...
    @property
    def deadline_further_days(self) -> int: ...
    @property
    def deadline_fixed_date(self) -> Any: ...


def protocol_facts(row: ClaimRow) -> tuple[ClaimState, DeadlineSpec | None]:
    """The claim's protocol state and running deadline, as the engine reads them."""
    spec = spec_from_row(
        row.deadline_kind,
        row.deadline_anchor,
        row.deadline_business_days,
        row.deadline_further_days,
        row.deadline_fixed_date,
    )
    return ClaimState.from_json(row.state), spec


def part_problems(actor: Actor, claim: Claim, operation: str, payload: dict[str, Any]) -> list[ErrorDetail]:
    """What the protocol's guards of ``operation`` refuse in the part of its form given so far (a page
    of a long form, ``protocols.engine.guard_problems``), on the claim as ``claim`` was read, with
    ``perform``'s clock and calendar: the same fields and words as the send. Nothing is locked or
    written; the send checks everything again (``perform``)."""
    state, spec = protocol_facts(claim)
    return guard_problems(
        definition_for(claim.claim_type),
        phase=claim.phase,
        state=state,
        deadline=spec,
        operation=operation,
        side=actor.side,
        payload=payload,
        now=clock.now(),
        calendar=get_calendar(),
    )


def _parse_guid(value: str | uuid.UUID | None) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise PortalError(
            "SCHEMA_INVALID",
            "activityEngineGuid is required",
            [ErrorDetail("activityEngineGuid", "must be the claim's current activityEngineGuid")],
        ) from None


def _check_time_limit(
    definition: ProtocolDefinition, row: ledger.LockedClaim, operation: str, now: datetime
) -> None:
    """Once a phase's time limit has passed, its timeout has won: no workflow operation of that phase
    may still be done, even if the timer worker has not yet moved the claim (it will, in its next
    pass). Housekeeping (locks, allocation) stays possible."""
    if row.deadline_at is None or now < row.deadline_at:
        return
    op = definition.operation(operation, row.phase)
    if op is None or op.kind is not OperationKind.WORKFLOW:
        return
    target = definition.phases[row.phase].on_timeout or "its timeout phase"
    raise PortalError(
        "WRONG_PHASE",
        f"The time limit for {row.phase} passed at {row.deadline_at.astimezone(LONDON):%Y-%m-%d %H:%M} "
        f"(London): the claim is moving to {target}",
        [ErrorDetail("phaseCacheId", f"the time limit of {row.phase} has passed")],
    )


def _check_access(rules: list[AccessRule], facts: AccessFacts, operation: str) -> None:
    """The protocol's lock, allocation and profile rules of ``operation`` (``protocols.access``)."""
    broken = first_broken(rules, facts)
    if broken is not None:
        raise access_refusal(broken, operation)


def _housekeeping_changes(
    actor: Actor, row: ledger.LockedClaim, outcome: Outcome, now: datetime
) -> dict[str, Any]:
    name = outcome.operation.name
    allocated_column = "cr_allocated_user_id" if actor.side is Side.CR else "comp_allocated_user_id"
    if name == "lockClaim":
        return {"locked_by_id": actor.user_pk, "locked_at": now}
    if name in ("unlockClaim", "forceUnlockClaim"):  # the access rules checked who and whether
        return {"locked_by_id": None, "locked_at": None}
    if name == "allocateUser":
        target = (
            User.objects.annotate(uid=Lower("user_id"))
            .filter(
                uid=cast(p.AllocateUserPayload, outcome.payload).targetUserID.lower(),
                organisation_id=actor.organisation_pk,
            )
            .select_related("organisation")
            .first()
        )
        if target is None or not target.is_enabled or not target.is_active:
            raise business_rule("must be an enabled user of your organisation", "targetUserID")
        if not VisibilityScope.for_user(target).rules_for(_with_allocation(row, allocated_column, target.pk)):
            raise business_rule("this user's profiles do not cover the claim", "targetUserID")
        return {allocated_column: target.pk}
    if name == "deallocateUser":
        return {allocated_column: None}
    if name == "allocateClaimToBranch":
        branch = (
            Branch.objects.filter(
                organisation_id=actor.organisation_pk,
                branch_id=cast(p.AllocateBranchPayload, outcome.payload).branchId,
                enabled=True,
            )
            .values_list("pk", flat=True)
            .first()
        )
        if branch is None:
            raise business_rule("must be an enabled branch of your organisation", "branchId")
        return {"comp_branch_id": branch}
    raise AssertionError(f"no housekeeping rule for {name}")  # pragma: no cover - the table is closed


def _with_allocation(row: ledger.LockedClaim, column: str, user_pk: int) -> ledger.LockedClaim:
    copy = ledger.LockedClaim(**row.__dict__)
    setattr(copy, column, user_pk)
    return copy


def _service_changes(actor: Actor, row: ledger.LockedClaim, outcome: Outcome) -> dict[str, Any]:
    """Column changes that need the database: a new compensator (reassign, resend), references."""
    name = outcome.operation.name
    claim_type = ClaimType(row.claim_type)
    if name == "reassignToAnotherCM":
        target = resolve_compensator(
            cast(p.ReassignPayload, outcome.payload).organisationPath, claim_type, "organisationPath"
        ).organisation
        if target.pk == row.comp_organisation_id:
            raise business_rule("the claim is already with this compensator", "organisationPath")
        assert row.comp_organisation_id is not None
        current = Organisation.objects.only("group").get(pk=row.comp_organisation_id)
        if not current.group or current.group != target.group:
            raise business_rule(
                "can only be a brand, TPA or principal of the same group; otherwise reject the claim "
                "(reason 0, wrong organisation)",
                "organisationPath",
            )
        return _new_compensator(target)
    if name == "addClaim":  # sending a draft (P01): the draft's type was chosen first and stays
        send = cast(p.AddClaimPayload, outcome.payload)
        if send.claimType != row.claim_type:
            raise business_rule(
                f"must be the draft's claim type {row.claim_type}: a claim's type cannot change",
                "claimType",
            )
        resolved = resolve_compensator(send.compensator, claim_type, "compensator")
        return _cnf_columns(outcome, resolved) | _new_compensator(resolved.organisation)
    if name == "resendRejectedClaim":
        resend = cast(p.ResendRejectedClaimPayload, outcome.payload)
        if resend.compensator:
            resolved = resolve_compensator(resend.compensator, claim_type, "compensator")
            columns = _cnf_columns(outcome, resolved)
            if resolved.organisation.pk != row.comp_organisation_id:
                columns |= _new_compensator(resolved.organisation)
            return columns
        assert row.comp_organisation_id is not None
        current = Organisation.objects.get(pk=row.comp_organisation_id)
        return _cnf_columns(outcome, ResolvedCompensator(current, None))
    if name in ("acceptClaim", "sendLiabilityDecision"):
        reference = getattr(outcome.payload, "insurerClaimReferenceNumber", None)
        if reference:
            return {"comp_reference": reference}
    return {}


def _cnf_columns(outcome: Outcome, compensator: ResolvedCompensator) -> dict[str, Any]:
    """The sent CNF as stored (with the portal's routing filled in) and the columns lists read."""
    cnf = cast(p.AddClaimPayload, outcome.payload).cnf
    facts = cnf_facts(cnf)
    org = compensator.organisation
    named = (facts.insurer_organisation_id or facts.insurer_organisation_path).strip().lstrip("/").upper()
    if named and named != org.org_id:
        raise business_rule(
            f"names {named} but the claim is addressed to {org.org_id} (compensator): "
            "leave it empty or make them agree",
            f"cnf.{INSURER_INFORMATION_PATH}.insurerOrganizationID",
        )
    data = cnf.model_dump(mode="json", exclude_none=True)
    insurer = data["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]
    insurer["insurerOrganizationID"] = org.org_id
    insurer["insurerOrganizationPath"] = org.path
    if not insurer.get("insurerName"):
        insurer["insurerName"] = compensator.insurer_name or org.name
    sent = clock.now()
    given = protection(
        facts.claimant_date_of_birth,
        facts.accident_date,
        child_declared=facts.child_declared,
        known_on=sent.date(),
    )
    return {
        "cnf": data,
        "claimant_surname": facts.claimant_surname,
        "cr_reference": facts.cr_reference,
        "sent_at": sent,
        **given.columns(),
    }


def _new_compensator(target: Organisation) -> dict[str, Any]:
    central = _central_point(target)
    # The claim arrives at the new compensator's central point, unallocated and unlocked.
    return {
        "comp_organisation_id": target.pk,
        "comp_branch_id": central,
        "comp_allocated_user_id": None,
        "locked_by_id": None,
        "locked_at": None,
    }


def _central_point(org: Organisation) -> int:
    branch = (
        org.branches.filter(kind=Branch.Kind.CENTRAL_POINT, enabled=True).values_list("pk", flat=True).first()
    )
    if branch is None:
        raise business_rule("the compensator has no enabled central point branch", "compensator")
    return int(branch)


def _write(
    actor: Actor | None,
    row: ledger.LockedClaim,
    definition: ProtocolDefinition,
    outcome: Outcome,
    changes: dict[str, Any],
    now: datetime,
    calendar: Any,
    *,
    previous_state: ClaimState | None = None,
    previous_deadline: DeadlineSpec | None = None,
) -> ClaimInfo:
    """The claim change ``outcome`` decided, through the ledger: the row (columns that did not change
    are not rewritten: the state JSON and the deadline are unchanged by most operations), its event,
    and a notification to the other party when the claim passes to it; then the operation's effects
    (the printable documents it makes due, registered by the documents app)."""
    new_guid = uuid.uuid4()
    comp_org = changes.get("comp_organisation_id", row.comp_organisation_id)
    owner = outcome.owner_after
    awaiting = None if owner is None else (row.cr_organisation_id if owner is Side.CR else comp_org)
    columns: dict[str, Any] = {
        "phase": outcome.phase_after,
        "owner_side": owner.value if owner else None,
        "awaiting_organisation_id": awaiting,
        "activity_guid": new_guid,
    }
    if outcome.state != previous_state:
        columns["state"] = outcome.state.to_json()
    if outcome.owner_after is not None and row.owner_side and outcome.owner_after.value != row.owner_side:
        columns["locked_by_id"] = None  # the claim passes to the other side: release the lock
        columns["locked_at"] = None
    deadline = deadline_columns(outcome.deadline, calendar)
    if outcome.deadline != previous_deadline:
        columns.update(deadline)
    columns.update(changes)
    told: list[ledger.Notice] = []
    if actor is not None and owner is not None and awaiting is not None and row.owner_side != owner.value:
        # the claim passes to the other party: tell their organisation
        message = change_message(
            row.application_id,
            outcome.operation.name,
            actor.side.value,
            definition.phases[outcome.phase_after].name,
        )
        told.append(ledger.Notice(awaiting, "CHANGE", message))
    form = event_payload = outcome.payload.model_dump(mode="json")
    if outcome.route_label:
        event_payload = {**event_payload, "_route": outcome.route_label}
    entry = ledger.Entry(
        operation=outcome.operation.name,
        actor=actor,
        phase_before=outcome.phase_before,
        phase_after=outcome.phase_after,
        payload=event_payload,
        activity_guid=new_guid,
        deadline_at=deadline["deadline_at"],
    )
    ledger.record(row.application_id, columns=columns, entry=entry, told=told, now=now, claim=row)
    if actor is not None:
        for effect in effects.registered():
            effect(row, outcome, actor.side, form, now)
    return ClaimInfo(
        row.application_id, new_guid, outcome.phase_after, definition.phases[outcome.phase_after].name
    )


# --------------------------------------------------------------------------------------------------
# addClaim: a new claim, created and sent in one step (A2A addClaim)
# --------------------------------------------------------------------------------------------------


def _add_claim(actor: Actor, payload: dict[str, Any]) -> ClaimInfo:
    claim_type_raw = payload.get("claimType")
    try:
        claim_type = ClaimType(str(claim_type_raw))
    except ValueError:
        raise PortalError(
            "SCHEMA_INVALID",
            "claimType must be one of RTA, EL, ELD, PL",
            [ErrorDetail("claimType", "must be one of RTA, EL, ELD, PL")],
        ) from None
    if actor.side is not Side.CR:
        raise PortalError(
            "WRONG_SIDE",
            "Only a claimant representative can send a claim",
            [ErrorDetail("operation", "not allowed for the COMP side")],
        )
    if not any(r.family == claim_type.profile_family for r in actor.scope.rules):
        raise PortalError(
            "FORBIDDEN_PROFILE",
            f"Your profiles do not cover {claim_type.value} claims",
            [ErrorDetail("claimType", f"no {claim_type.profile_family} claims profile")],
        )
    if claim_type.profile_family not in actor.claim_types:
        raise PortalError(
            "FORBIDDEN_PROFILE",
            f"Your organisation is not registered for {claim_type.profile_family} claims",
            [ErrorDetail("claimType", "not a claim type of your organisation")],
        )
    litigant_rules.check_representation(actor, payload)
    definition = definition_for(claim_type)
    now = clock.now()
    calendar = get_calendar()
    outcome = decide(
        definition,
        phase=definition.initial_phase,
        owner=Side.CR,
        state=ClaimState(claim_type=claim_type),
        deadline=None,
        operation="addClaim",
        side=actor.side,
        payload=payload,
        now=now,
        calendar=calendar,
    )
    resolved = resolve_compensator(
        cast(p.AddClaimPayload, outcome.payload).compensator, claim_type, "compensator"
    )
    target = resolved.organisation
    central = _central_point(target)
    changes = _cnf_columns(outcome, resolved)
    with transaction.atomic():
        litigant_rules.check_may_open_claim(actor)
        application_id = ledger.open_claim(
            columns={
                "claim_type": claim_type.value,
                "version_major": PROCESS_VERSION[0],
                "version_minor": PROCESS_VERSION[1],
                "phase": definition.initial_phase,
                "owner_side": Side.CR.value,
                "cr_organisation_id": actor.organisation_pk,
                "comp_organisation_id": target.pk,
                "comp_branch_id": central,
                "activity_guid": uuid.uuid4(),
                "deadline_kind": "",
                "deadline_business_days": 0,
                "deadline_further_days": 0,
                "state": {},
                "claimant_surname": "",
                "cr_reference": "",
                "comp_reference": "",
            },
            entry=None,
            now=now,
        )
        row = ledger.lock_claim(application_id)
        assert row is not None
        info = _write(actor, row, definition, outcome, changes, now, calendar)
    log.info(
        "claim.sent",
        application_id=application_id,
        claim_type=claim_type.value,
        user=actor.user_id,
        organisation=actor.org_id,
        compensator=target.org_id,
    )
    return info
