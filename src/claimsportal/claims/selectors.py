"""Reading claims: worklist, search, one claim with what the user may do, history.

Every read goes through the one visibility rule (``VisibilityScope.q()`` for lists, ``can_see`` for
one claim): a claim the user may not see does not exist for them. Lists are keyset-paginated (an
opaque cursor), so a client paging through a changing worklist never skips or repeats a claim.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import DateTimeField, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.lookups import GreaterThan, LessThan

from claimsportal.claims.acting import Actor, access_facts, format_application_id, parse_application_id
from claimsportal.claims.litigant_rules import marks_litigant_in_person
from claimsportal.claims.models import SORT_DEADLINE, SORT_SENT, Claim
from claimsportal.claims.visibility import ARCHIVED_PHASE, DRAFT_PHASE
from claimsportal.documents.models import Attachment, PrintableDocument
from claimsportal.documents.visibility import attachments_q, documents_q
from claimsportal.organisations.models import User
from claimsportal.protocols.access import first_broken
from claimsportal.protocols.definitions import Operation
from claimsportal.protocols.engine import check_side
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms.withheld import form_without_withheld, without_withheld
from claimsportal.protocols.payloads import EmptyPayload
from claimsportal.protocols.tables import DEFINITIONS, definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import OperationKind, Side
from claimsportal.reference.calendar import get_calendar

MAX_PAGE = 200
# The event a bulk transfer writes on each claim it moves (the transfers app writes it through the ledger).
TRANSFER_OPERATION = "claimTransferred"

SORT_FIELDS = {
    "ApplicationId": "application_id",
    "StartDate": "created_at",
    "UpdateDate": "updated_at",
    "DispatchDate": "sort_sent",
    "Priority": "sort_deadline",
}


def _invalid(field_name: str, message: str) -> PortalError:
    return PortalError("SCHEMA_INVALID", f"{field_name}: {message}", [ErrorDetail(field_name, message)])


# --------------------------------------------------------------------------------------------------
# What the user may do
# --------------------------------------------------------------------------------------------------


def allowed_operations(actor: Actor, claim: Claim) -> list[str]:
    """The operations ``actor`` may attempt on ``claim`` now: the phase's operations for their side,
    each offered only when every one of its access rules holds (``protocols.access``: the lock,
    allocation and profiles), read from the same table ``perform`` refuses by. (A payload may still
    break a rule: this says what is offered, not that any input will do.)"""
    if not actor.scope.rules_for(claim):
        return []
    definition = definition_for(claim.claim_type)
    owner = Side(claim.owner_side) if claim.owner_side else None
    facts = access_facts(actor, claim)
    names: list[str] = []
    for op in definition.operations_from(claim.phase):
        if not _side_may(op, actor.side, owner) or first_broken(op.access, facts) is not None:
            continue
        if op.name not in names:
            names.append(op.name)
    return names


def _side_may(op: Operation, side: Side, owner: Side | None) -> bool:
    try:
        check_side(op, side, owner)
    except PortalError:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------------------------------


# A list row (``list_row``) shows neither the state nor the CNF: not read for a page (the CNF is
# about 3 KB of JSON a claim, most of it out of line in PostgreSQL's TOAST table, and decoding both
# for 50 rows was a tenth of a search's CPU).
LIST_DEFERRED = ("state", "cnf")


@dataclass(frozen=True)
class Page:
    claims: Sequence[Claim]
    next_cursor: str | None


def visible_claims(actor: Actor) -> QuerySet[Claim]:
    return Claim.objects.filter(actor.scope.q())


def with_document_counts(rows: QuerySet[Claim], actor: Actor) -> QuerySet[Claim]:
    """Annotate ``attachments_count`` and ``printable_documents_count`` (the attachments and printable
    documents ``actor`` sees: ``documents.visibility``, as the lists) of the §7.2 ``claim`` row: one
    correlated ``COUNT`` subquery each, on the (claim, created_at) indexes, so a page of rows is
    still one query."""

    def count(model: type[Attachment] | type[PrintableDocument], where: Q) -> Subquery:
        counted = (
            model.objects.filter(where, claim_id=OuterRef("pk"))
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        return Subquery(counted, output_field=IntegerField())

    return rows.annotate(
        attachments_count=count(Attachment, attachments_q(actor)),
        printable_documents_count=count(PrintableDocument, documents_q(actor)),
    )


def document_counts(claim: Claim, actor: Actor) -> tuple[int, int]:
    """(attachments, printable documents ``actor`` sees) of ``claim``: the annotations of
    ``with_document_counts`` when it has them, else two counts."""
    attachments = getattr(claim, "attachments_count", None)
    documents = getattr(claim, "printable_documents_count", None)
    if attachments is None or documents is None:
        attachments = Attachment.objects.filter(attachments_q(actor), claim_id=claim.pk).count()
        documents = PrintableDocument.objects.filter(documents_q(actor), claim_id=claim.pk).count()
    return int(attachments), int(documents)


def _encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, kinds: list[type]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        return [
            datetime.fromisoformat(v) if k is datetime else k(v) for v, k in zip(values, kinds, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise _invalid("cursor", "is not a cursor this API returned") from None


def _page_size(limit: int | None) -> int:
    if limit is None:
        return 50
    if not 1 <= limit <= MAX_PAGE:
        raise _invalid("limit", f"must be between 1 and {MAX_PAGE}")
    return limit


def worklist(actor: Actor, *, cursor: str | None = None, limit: int | None = None) -> Page:
    """Claims awaiting the actor's organisation that the actor can see, oldest application first."""
    size = _page_size(limit)
    rows = with_document_counts(
        visible_claims(actor).filter(awaiting_organisation_id=actor.organisation_pk), actor
    )
    if cursor:
        (after,) = _decode_cursor(cursor, [int])
        rows = rows.filter(application_id__gt=after)
    found = list(
        rows.order_by("application_id").select_related("locked_by").defer(*LIST_DEFERRED)[: size + 1]
    )
    more = len(found) > size
    found = found[:size]
    return Page(found, _encode_cursor([found[-1].pk]) if more and found else None)


@dataclass(frozen=True)
class SearchCriteria:
    """``searchClaimCriteria`` (WORKFLOW.md §7.2) plus the claimant's surname."""

    applicationId: str | None = None
    branchPath: str | None = None
    CMReferenceNumber: str | None = None
    CRReferenceNumber: str | None = None
    claimantSurname: str | None = None
    claimType: str | None = None
    phaseCacheId: str | None = None
    dispatchDateFrom: date | None = None
    dispatchDateTo: date | None = None
    sentDateFrom: date | None = None
    sentDateTo: date | None = None
    startDateFrom: date | None = None
    startDateTo: date | None = None
    sortField: str = "ApplicationId"
    sortOrder: str = "Asc"


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def _after(cursor: str, column: str, descending: bool) -> Q:
    """The rows after a search cursor in (``column``, application ID) order, as one row comparison
    ``(key, application_id) > (v, id)`` (``<`` descending): PostgreSQL starts the (organisation, key,
    application ID) index scan right there. Spelt ``key > v OR (key = v AND id > id0)`` it could
    only bound the scan by the key, and walked every claim sharing the cursor's key (a busy day's
    time limit: 52 ms for page 20 at 1,000,000 claims)."""
    if column == "application_id":
        (after_id,) = _decode_cursor(cursor, [int])
        return Q(application_id__lt=after_id) if descending else Q(application_id__gt=after_id)
    after_value, after_id = _decode_cursor(cursor, [datetime, int])
    pair = _Row(F(column), F("application_id"))
    given = _Row(Value(after_value, output_field=DateTimeField()), Value(after_id))
    return Q(LessThan(pair, given) if descending else GreaterThan(pair, given))


class _Row(Func):
    """A row value ``(a, b)``, compared as a whole (SQL row comparison: lexicographic)."""

    template = "(%(expressions)s)"
    output_field = DateTimeField()


def _dated(criteria: SearchCriteria) -> bool:
    return any(
        (
            criteria.sentDateFrom,
            criteria.sentDateTo,
            criteria.dispatchDateFrom,
            criteria.dispatchDateTo,
            criteria.startDateFrom,
            criteria.startDateTo,
        )
    )


def search(
    actor: Actor, criteria: SearchCriteria, *, cursor: str | None = None, limit: int | None = None
) -> Page:
    size = _page_size(limit)
    if criteria.sortField not in SORT_FIELDS:
        raise _invalid("sortField", f"must be one of {', '.join(SORT_FIELDS)}")
    if criteria.sortOrder not in ("Asc", "Desc"):
        raise _invalid("sortOrder", "must be Asc or Desc")
    rows = with_document_counts(visible_claims(actor), actor).annotate(
        sort_sent=SORT_SENT, sort_deadline=SORT_DEADLINE
    )
    q = Q()
    if criteria.applicationId:
        q &= Q(application_id=parse_application_id(criteria.applicationId))
    if criteria.CRReferenceNumber:
        q &= Q(cr_reference__iexact=criteria.CRReferenceNumber.strip())
    if criteria.CMReferenceNumber:
        q &= Q(comp_reference__iexact=criteria.CMReferenceNumber.strip())
    if criteria.claimantSurname:
        q &= Q(claimant_surname__iexact=criteria.claimantSurname.strip())
    if criteria.claimType:
        if criteria.claimType not in ("RTA", "EL", "ELD", "PL"):
            raise _invalid("claimType", "must be one of RTA, EL, ELD, PL")
        q &= Q(claim_type=criteria.claimType)
    if criteria.phaseCacheId:
        q &= Q(phase=criteria.phaseCacheId)
    if criteria.branchPath:
        branch = criteria.branchPath.strip().strip("/").split("/")[-1]
        column = "cr_branch__branch_id" if actor.side is Side.CR else "comp_branch__branch_id"
        q &= Q(**{column: branch})
    # The sent (dispatch) date is matched on COALESCE(sent_at, created_at) with sent_at present: the
    # same claims as on sent_at, read from the (organisation, dispatch date) index DispatchDate sorts by.
    for low, high, field_name, column in (
        (criteria.sentDateFrom, criteria.sentDateTo, "sent_at", "sort_sent"),
        (criteria.dispatchDateFrom, criteria.dispatchDateTo, "sent_at", "sort_sent"),
        (criteria.startDateFrom, criteria.startDateTo, "created_at", "created_at"),
    ):
        if low and high and low > high:
            raise _invalid(field_name, "the 'from' date is after the 'to' date")
        if (low or high) and column == "sort_sent":
            q &= Q(sent_at__isnull=False)
        if low:
            q &= Q(**{f"{column}__gte": _day_start(low)})
        if high:
            q &= Q(**{f"{column}__lt": _day_start(high + timedelta(days=1))})
    rows = rows.filter(q)
    column = SORT_FIELDS[criteria.sortField]
    descending = criteria.sortOrder == "Desc"
    if cursor:
        rows = rows.filter(_after(cursor, column, descending))
    if column == "application_id" and _dated(criteria):
        # A date range in application ID order: the range is read from its (organisation, date)
        # index and its rows sorted. Ordered by the bare column, PostgreSQL may instead walk the
        # primary key and filter on the date, expecting the day's claims spread over all of them; a
        # day's claims are consecutive application IDs, so that walk passes every older claim first
        # (98,800 rows for a recent day at 1,000,000 claims). ``+ 0`` leaves it no such path. Only
        # the IDs are sorted (a day's claims sorted whole, with their forms, took ten times as long
        # as reading them), then the page's rows are read by primary key.
        key = F(column) + 0
        page = rows.order_by(key.desc() if descending else key.asc()).values_list("pk", flat=True)
        rows = rows.filter(pk__in=list(page[: size + 1]))
    order = [F(column).desc() if descending else F(column).asc()]
    if column != "application_id":
        order.append(F("application_id").desc() if descending else F("application_id").asc())
    found = list(rows.order_by(*order).select_related("locked_by").defer(*LIST_DEFERRED)[: size + 1])
    more = len(found) > size
    found = found[:size]
    next_cursor = None
    if more and found:
        last = found[-1]
        next_cursor = (
            _encode_cursor([last.pk])
            if column == "application_id"
            else _encode_cursor([getattr(last, column), last.pk])
        )
    return Page(found, next_cursor)


# --------------------------------------------------------------------------------------------------
# One claim
# --------------------------------------------------------------------------------------------------


def get_visible_claim(actor: Actor, application_id: int | str, *, with_counts: bool = False) -> Claim:
    """The claim, if ``actor`` can see it; ``with_counts``: with ``with_document_counts``'s annotations
    (for ``claim_detail``, in the same query)."""
    number = parse_application_id(application_id)
    rows = Claim.objects.filter(pk=number)
    if with_counts:
        rows = with_document_counts(rows, actor)
    claim = rows.select_related(
        "cr_organisation", "comp_organisation", "cr_branch", "comp_branch", "locked_by"
    ).first()
    if claim is None or not actor.scope.can_see(claim):
        raise _not_visible(actor, claim)
    return claim


def _not_visible(actor: Actor, claim: Claim | None) -> PortalError:
    """NOT_FOUND; to a party of a claim deleted under GDPR or archived, saying which (a non-party
    learns nothing)."""
    party = claim is not None and (
        claim.cr_organisation_id == actor.organisation_pk
        if actor.side is Side.CR
        else claim.comp_organisation_id == actor.organisation_pk and claim.phase != DRAFT_PHASE
    )
    if party and claim is not None and claim.gdpr_deleted_at is not None:
        return PortalError(
            "NOT_FOUND",
            f"Claim {format_application_id(claim.pk)} was deleted under data protection law: it is no longer available",
            [ErrorDetail("applicationId", "deleted (Delete claim)")],
        )
    if party and claim is not None and claim.phase == ARCHIVED_PHASE:
        return PortalError(
            "NOT_FOUND",
            f"Claim {format_application_id(claim.pk)} is in the archive: search archived claims to read it",
            [ErrorDetail("applicationId", "archived (GET /archive/claims/{applicationId})")],
        )
    return PortalError("NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "no claim you can see")])


def claim_info(claim: Claim) -> dict[str, str]:
    return {
        "applicationId": format_application_id(claim.pk),
        "activityEngineGuid": str(claim.activity_guid),
        "phaseCacheId": claim.phase,
        "phaseCacheName": definition_for(claim.claim_type).phases[claim.phase].name,
    }


def deadline_info(claim: Claim, today: date) -> dict[str, Any] | None:
    if claim.deadline_at is None:
        return None
    last_day = claim.deadline_at.astimezone(LONDON).date() - timedelta(days=1)
    return {
        "kind": claim.deadline_kind,
        "lastDayForAction": last_day.isoformat(),
        "firesAt": claim.deadline_at.isoformat(),
        "businessDaysLeft": get_calendar().business_days_between(today, last_day),
    }


def list_row(claim: Claim) -> dict[str, Any]:
    """The ``claim`` list/search row of §7.2 (of a claim from ``worklist`` or ``search``, which count
    its attachments and printable documents)."""
    attachments = getattr(claim, "attachments_count", None)
    documents = getattr(claim, "printable_documents_count", None)
    assert attachments is not None and documents is not None, "a row of worklist() or search()"
    return {
        **claim_info(claim),
        "claimType": claim.claim_type,
        "applicationReferences": {
            "crReference": claim.cr_reference,
            "cmReference": claim.comp_reference,
            "claimantSurname": claim.claimant_surname,
        },
        "creationTime": claim.created_at.isoformat(),
        "updateTime": claim.updated_at.isoformat(),
        "sentTime": claim.sent_at.isoformat() if claim.sent_at else None,
        "deadlineAt": claim.deadline_at.isoformat() if claim.deadline_at else None,
        "lockStatus": claim.locked_by_id is not None,
        "lockUserId": claim.locked_by.user_id if claim.locked_by_id and claim.locked_by else None,
        "versionMajor": claim.version_major,
        "versionMinor": claim.version_minor,
        "attachmentsCount": attachments,
        "printableDocumentsCount": documents,
        "gdprClaimDeleted": 1 if claim.gdpr_deleted_at else 0,
    }


def _organisation(org: Any, branch: Any) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "organisationId": org.org_id,
        "organisationName": org.name,
        "organisationPath": org.path,
        "branchId": branch.branch_id if branch is not None else None,
    }


def _claimant_representative(claim: Claim) -> dict[str, Any] | None:
    """The claimant side, with the litigant-in-person marker the claim's CNF carries."""
    party = _organisation(claim.cr_organisation, claim.cr_branch)
    if party is not None:
        party["litigantInPerson"] = marks_litigant_in_person(claim.cnf)
    return party


def claim_detail(actor: Actor, claim: Claim, today: date) -> dict[str, Any]:
    """``getClaim``: the claim as the actor sees it, with every submitted form and what they may do.
    The compensator side never sees what the CNF withholds from it (``forms.withheld``)."""
    compensator = actor.side is Side.COMP
    # The forms and the transfers, in one read of the claim's history
    events = list(
        claim.events.filter(operation__in=[*FORM_OPERATIONS, TRANSFER_OPERATION])
        .order_by("id")
        .values_list("operation", "occurred_at", "actor_side", "payload")
    )
    forms = [
        {
            "operation": operation,
            "submittedAt": occurred_at.isoformat(),
            "side": side,
            "form": _form_for(compensator, {k: v for k, v in payload.items() if not k.startswith("_")}),
        }
        for operation, occurred_at, side, payload in events
        if operation != TRANSFER_OPERATION
    ]
    allocated = {
        "CR": claim.cr_allocated_user_id,
        "COMP": claim.comp_allocated_user_id,
    }
    user_ids = dict(
        User.objects.filter(pk__in=[pk for pk in allocated.values() if pk]).values_list("pk", "user_id")
    )
    attachments, documents = document_counts(claim, actor)
    return {
        "claimInfo": claim_info(claim),
        "claimType": claim.claim_type,
        "processVersion": {"versionMajor": claim.version_major, "versionMinor": claim.version_minor},
        "claimantRepresentative": _claimant_representative(claim),
        "compensator": _organisation(claim.comp_organisation, claim.comp_branch),
        "references": {
            "crReference": claim.cr_reference,
            "cmReference": claim.comp_reference,
            "claimantSurname": claim.claimant_surname,
        },
        "awaitingSide": claim.owner_side,
        "deadline": deadline_info(claim, today),
        "lock": {
            "locked": claim.locked_by_id is not None,
            "lockUserId": claim.locked_by.user_id if claim.locked_by else None,
            "lockedAt": claim.locked_at.isoformat() if claim.locked_at else None,
        },
        "allocation": {side: user_ids.get(pk) if pk else None for side, pk in allocated.items()},
        "sentTime": claim.sent_at.isoformat() if claim.sent_at else None,
        "creationTime": claim.created_at.isoformat(),
        "updateTime": claim.updated_at.isoformat(),
        "cnf": without_withheld(claim.cnf) if compensator else claim.cnf,
        "submittedForms": forms,
        "allowedOperations": allowed_operations(actor, claim),
        "attachmentsCount": attachments,
        "printableDocumentsCount": documents,
        "transfersList": transfers_list(
            (occurred_at, payload)
            for operation, occurred_at, _, payload in events
            if operation == TRANSFER_OPERATION
        ),
        "gdprClaimDeleted": 1 if claim.gdpr_deleted_at else 0,
    }


def transfers_list(transfers_events: Iterable[tuple[datetime, dict[str, Any]]]) -> dict[str, Any]:
    """``TransfersList`` (WORKFLOW.md §6.12): whether the claim was moved by a bulk transfer, and each
    transfer, from its ``claimTransferred`` events (when, payload), oldest first."""
    transfers = [
        {
            "transferId": payload.get("transferId", ""),
            "transferDesc": (
                f"Transferred from {payload.get('fromOrganisationName', '')} "
                f"({payload.get('fromOrganisationId', '')}) to {payload.get('toOrganisationName', '')} "
                f"({payload.get('toOrganisationId', '')})"
            ),
            "transferredAt": occurred_at.isoformat(),
            "fromOrganisationId": payload.get("fromOrganisationId", ""),
            "toOrganisationId": payload.get("toOrganisationId", ""),
        }
        for occurred_at, payload in transfers_events
    ]
    return {"transferred": bool(transfers), "transfers": transfers}


def _form_for(compensator: bool, form: dict[str, Any]) -> dict[str, Any]:
    return form_without_withheld(form) if compensator else form


def history(claim: Claim) -> list[dict[str, Any]]:
    """The process history, oldest first (who did what, when, and where it took the claim)."""
    return [
        {
            "occurredAt": event.occurred_at.isoformat(),
            "operation": event.operation,
            "side": event.actor_side,
            "userId": event.actor_user.user_id if event.actor_user else None,
            "organisationId": event.actor_organisation.org_id if event.actor_organisation else None,
            "phaseBefore": event.phase_before,
            "phaseAfter": event.phase_after,
            "deadlineAt": event.deadline_at.isoformat() if event.deadline_at else None,
        }
        for event in claim.events.order_by("id").select_related("actor_user", "actor_organisation")
    ]


def _form_operations() -> frozenset[str]:
    """Operations that carry a payload (forms and decisions), from the protocol tables."""
    names = set()
    for definition in DEFINITIONS.values():
        for op in definition.operations:
            if op.kind is OperationKind.WORKFLOW and op.payload is not EmptyPayload:
                names.add(op.name)
    return frozenset(names)


FORM_OPERATIONS = _form_operations()
