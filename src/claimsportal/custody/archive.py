"""The archive (ADMINISTRATION.md §4.6, R34): claims acknowledged at the End of Stage 2 leave every
worklist and search and stay here, read-only, for 12 months, then the retention job deletes them. Only
users holding the "Search Archived Claims User" profile, of an organisation that is a party to the
claim, find and read them (the administration console's archive search and the A2A archive routes);
the compensator side sees what it saw before (attachments and documents by ``documents.visibility``;
the CNF without what it withholds)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from claimsportal.claims import selectors
from claimsportal.claims.acting import Actor, format_application_id, parse_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.visibility import ARCHIVED_PHASE
from claimsportal.core import clock
from claimsportal.custody.rules import fate
from claimsportal.documents.models import Attachment, PrintableDocument
from claimsportal.documents.visibility import attachments_q, documents_q
from claimsportal.organisations.models import User
from claimsportal.organisations.profiles import Profile
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms.withheld import without_withheld
from claimsportal.protocols.types import Side

NEEDS_PROFILE = "Searching archived claims needs the Search Archived Claims User profile"
RESULTS = 50


def may_search(user: User) -> bool:
    return user.organisation_id is not None and Profile.SEARCH_ARCHIVE in user.profile_set


def archive_actor(user: User) -> Actor:
    """``user`` as an actor of the archive, or FORBIDDEN_PROFILE."""
    if not may_search(user):
        raise PortalError(
            "FORBIDDEN_PROFILE", NEEDS_PROFILE, [ErrorDetail("profile", "no SEARCH_ARCHIVE profile")]
        )
    return Actor.for_user(user)


def require_archive(actor: Actor) -> Actor:
    """``actor`` (an A2A caller's acting user), if they hold the archive profile."""
    user = User.objects.only("profiles", "organisation_id").get(pk=actor.user_pk)
    if not may_search(user):
        raise PortalError(
            "FORBIDDEN_PROFILE", NEEDS_PROFILE, [ErrorDetail("X-Login-As", "no SEARCH_ARCHIVE profile")]
        )
    return actor


def archived(actor: Actor) -> QuerySet[Claim]:
    """The archived claims of ``actor``'s organisation (a party to them)."""
    party = (
        Q(cr_organisation_id=actor.organisation_pk)
        if actor.side is Side.CR
        else Q(comp_organisation_id=actor.organisation_pk)
    )
    return Claim.objects.filter(party, phase=ARCHIVED_PHASE, gdpr_deleted_at__isnull=True)


def search(
    actor: Actor, *, application_id: str = "", surname: str = "", reference: str = "", limit: int = RESULTS
) -> list[Claim]:
    """Archived claims by application ID (with or without leading zeros), claimant surname (from the
    start, any case) or either side's reference; newest archived first. At least one criterion."""
    claims = archived(actor)
    if not (application_id.strip() or surname.strip() or reference.strip()):
        raise PortalError(
            "SCHEMA_INVALID",
            "Give an application ID, a claimant surname or a reference",
            [ErrorDetail("applicationId", "give at least one search criterion")],
        )
    if application_id.strip():
        claims = claims.filter(pk=parse_application_id(application_id))
    if surname.strip():
        claims = claims.filter(claimant_surname__istartswith=surname.strip())
    if reference.strip():
        field = "cr_reference" if actor.side is Side.CR else "comp_reference"
        claims = claims.filter(**{field: reference.strip()})
    return list(
        claims.select_related("cr_organisation", "comp_organisation").order_by("-phase_entered_at")[:limit]
    )


def get(actor: Actor, application_id: int | str) -> Claim:
    claim = (
        archived(actor)
        .select_related("cr_organisation", "comp_organisation", "cr_branch", "comp_branch")
        .filter(pk=parse_application_id(application_id))
        .first()
    )
    if claim is None:
        raise PortalError(
            "NOT_FOUND",
            "No such archived claim",
            [ErrorDetail("applicationId", "no archived claim you can see")],
        )
    return claim


def deleted_on(claim: Claim) -> date | None:
    end = fate(claim, clock.today())
    return end.day if end is not None else None


def attachments(actor: Actor, claim: Claim) -> list[Attachment]:
    return list(
        Attachment.objects.filter(attachments_q(actor), claim_id=claim.pk).order_by("created_at", "id")
    )


def attachment(actor: Actor, claim: Claim, guid: str) -> Attachment:
    try:
        key = uuid.UUID(str(guid))
    except ValueError:
        key = None
    found = (
        Attachment.objects.filter(attachments_q(actor), claim_id=claim.pk, guid=key).first() if key else None
    )
    if found is None:
        raise PortalError(
            "NOT_FOUND", "No such attachment", [ErrorDetail("attachmentGuid", "no attachment you can see")]
        )
    return found


def documents(actor: Actor, claim: Claim) -> list[PrintableDocument]:
    return list(
        PrintableDocument.objects.filter(documents_q(actor), claim_id=claim.pk)
        .defer("context")
        .order_by("created_at", "id")
    )


def document(actor: Actor, claim: Claim, document_id: str) -> PrintableDocument:
    try:
        key = uuid.UUID(str(document_id))
    except ValueError:
        key = None
    found = (
        PrintableDocument.objects.filter(documents_q(actor), claim_id=claim.pk, document_id=key).first()
        if key
        else None
    )
    if found is None:
        raise PortalError(
            "NOT_FOUND",
            "No such printable document",
            [ErrorDetail("printableDocumentId", "no document you can see")],
        )
    return found


def detail(actor: Actor, claim: Claim) -> dict[str, Any]:
    """The archived claim as the A2A archive route answers it: what getClaim says, read-only, with
    the process history and when the archive will delete it."""
    compensator = actor.side is Side.COMP
    cnf = claim.cnf
    if compensator and cnf is not None:
        cnf = without_withheld(cnf)
    end = deleted_on(claim)
    return {
        "applicationId": format_application_id(claim.pk),
        "claimType": claim.claim_type,
        "phaseCacheId": claim.phase,
        "archivedAt": claim.phase_entered_at.isoformat() if claim.phase_entered_at else None,
        "deleteOn": end.isoformat() if end else None,
        "references": {
            "crReference": claim.cr_reference,
            "cmReference": claim.comp_reference,
            "claimantSurname": claim.claimant_surname,
        },
        "claimantRepresentative": claim.cr_organisation.org_id,
        "compensator": claim.comp_organisation.org_id if claim.comp_organisation else None,
        "sentTime": claim.sent_at.isoformat() if claim.sent_at else None,
        "cnf": cnf,
        "history": selectors.history(claim),
        "attachments": [
            {"attachmentGuid": str(a.guid), "title": a.title, "fileName": a.file_name, "size": a.size}
            for a in attachments(actor, claim)
        ],
        "printableDocuments": [
            {"printableDocumentId": str(d.document_id), "kind": d.kind, "version": d.version}
            for d in documents(actor, claim)
        ],
    }
