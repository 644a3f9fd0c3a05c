"""Claim custody on the API: GDPR "Delete claim" (``POST /claims/{applicationId}/deleteClaim``) and
the archive (``GET /archive/claims``, ``GET /archive/claims/{applicationId}`` and its attachments'
and documents' files), for acting users holding the ADVANCED USER Delete Claims and the Search Archived
Claims User profiles (docs/custody.md)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router, Schema, Status
from ninja.params.functions import Query

from claimsportal.a2a.caller import caller, json_object
from claimsportal.a2a.idempotency import run_idempotently
from claimsportal.a2a.schemas import ERROR_RESPONSES, READ_ERRORS
from claimsportal.custody import archive, gdpr
from claimsportal.custody.models import GdprReason
from claimsportal.documents import attachments, printable
from claimsportal.protocols.errors import ErrorDetail, PortalError

router = Router()


class DeletedOut(Schema):
    applicationId: str
    deleted: bool
    purgeOn: str


class ArchivedClaimOut(Schema):
    applicationId: str
    claimType: str
    archivedAt: str | None
    deleteOn: str | None
    references: dict[str, str]


class ArchiveSearchOut(Schema):
    claims: list[ArchivedClaimOut]


class ArchivedClaimDetailOut(Schema):
    applicationId: str
    claimType: str
    phaseCacheId: str
    archivedAt: str | None
    deleteOn: str | None
    references: dict[str, str]
    claimantRepresentative: str
    compensator: str | None
    sentTime: str | None
    cnf: dict[str, Any] | None
    history: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    printableDocuments: list[dict[str, Any]]


DELETE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["activityEngineGuid", "reason"],
                "additionalProperties": False,
                "properties": {
                    "activityEngineGuid": {"type": "string", "format": "uuid"},
                    "reason": {
                        "type": "string",
                        "enum": list(GdprReason.values),
                        "description": "; ".join(f"{value}: {label}" for value, label in GdprReason.choices),
                    },
                },
            },
            "example": {
                "activityEngineGuid": "8d5f3c1e-1b2a-4c3d-9e8f-7a6b5c4d3e2f",
                "reason": "RECTIFICATION",
            },
        }
    },
}


@router.post(
    "/claims/{applicationId}/deleteClaim",
    response={200: DeletedOut, **ERROR_RESPONSES},
    operation_id="deleteClaim",
    summary="Delete a claim under data protection law (GDPR): hidden at once, purged after 14 days",
    description=(
        "Either party, at any stage (a draft: only the claimant representative), by an acting user holding "
        "the ADVANCED USER Delete Claims profile (else 403 FORBIDDEN_PROFILE). The claim disappears for "
        "every user at once (404 afterwards), its time limit stops, the other party is notified, and it is "
        "purged with its documents after 14 days. Nothing can restore it. Repeatable with an "
        "Idempotency-Key."
    ),
    tags=["custody"],
    openapi_extra={"requestBody": DELETE_BODY},
)
def delete_claim(request: HttpRequest, applicationId: str) -> Status[dict[str, Any]]:
    client, actor = caller(request)
    body = json_object(request)
    unknown = sorted(set(body) - {"activityEngineGuid", "reason"})
    if unknown:
        raise PortalError(
            "SCHEMA_INVALID",
            "Unknown fields",
            [ErrorDetail(name, "not a field of deleteClaim") for name in unknown],
        )

    def run() -> tuple[int, dict[str, Any]]:
        done = gdpr.delete_claim(
            actor, applicationId, body.get("activityEngineGuid"), str(body.get("reason", ""))
        )
        return 200, {
            "applicationId": f"{done.application_id:08d}",
            "deleted": True,
            "purgeOn": done.purge_on.isoformat(),
        }

    status, answer = run_idempotently(request, client.client_pk, run)
    return Status(status, answer)


Criterion = Annotated[str, Query("", max_length=50)]


@router.get(
    "/archive/claims",
    response={200: ArchiveSearchOut, **READ_ERRORS},
    operation_id="searchArchivedClaims",
    summary="Search the archive: claims acknowledged at the End of Stage 2, kept 12 months",
    description=(
        "For an acting user holding the Search Archived Claims User profile (else 403 FORBIDDEN_PROFILE), "
        "of an organisation that is a party to the claims. By applicationId, claimantSurname (from the "
        "start) or reference (your side's); at least one (else 422 SCHEMA_INVALID). At most 50, newest "
        "archived first."
    ),
    tags=["custody"],
)
def search_archived(
    request: HttpRequest,
    applicationId: Criterion = "",
    claimantSurname: Criterion = "",
    reference: Criterion = "",
) -> dict[str, Any]:
    _client, actor = caller(request)
    archive.require_archive(actor)
    found = archive.search(actor, application_id=applicationId, surname=claimantSurname, reference=reference)
    return {
        "claims": [
            {
                "applicationId": f"{claim.pk:08d}",
                "claimType": claim.claim_type,
                "archivedAt": claim.phase_entered_at.isoformat() if claim.phase_entered_at else None,
                "deleteOn": (day.isoformat() if (day := archive.deleted_on(claim)) else None),
                "references": {
                    "crReference": claim.cr_reference,
                    "cmReference": claim.comp_reference,
                    "claimantSurname": claim.claimant_surname,
                },
            }
            for claim in found
        ]
    }


@router.get(
    "/archive/claims/{applicationId}",
    response={200: ArchivedClaimDetailOut, **READ_ERRORS},
    operation_id="getArchivedClaim",
    summary="One archived claim, read-only: its CNF, history, attachments and documents",
    tags=["custody"],
)
def get_archived(request: HttpRequest, applicationId: str) -> dict[str, Any]:
    _client, actor = caller(request)
    archive.require_archive(actor)
    return archive.detail(actor, archive.get(actor, applicationId))


@router.get(
    "/archive/claims/{applicationId}/attachments/{attachmentGuid}",
    response={200: None, **READ_ERRORS},
    operation_id="getArchivedAttachment",
    summary="The file of an archived claim's attachment",
    tags=["custody"],
    openapi_extra={
        "responses": {
            200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def get_archived_attachment(request: HttpRequest, applicationId: str, attachmentGuid: str) -> HttpResponse:
    _client, actor = caller(request)
    archive.require_archive(actor)
    found = archive.attachment(actor, archive.get(actor, applicationId), attachmentGuid)
    response = HttpResponse(
        attachments.read_content(found), content_type=attachments.served_content_type(found)
    )
    response["Content-Disposition"] = content_disposition_header(True, found.file_name) or "attachment"
    return response


@router.get(
    "/archive/claims/{applicationId}/documents/{printableDocumentId}",
    response={200: None, **READ_ERRORS},
    operation_id="getArchivedPrintableDocument",
    summary="The PDF of an archived claim's printable document",
    tags=["custody"],
    openapi_extra={
        "responses": {
            200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def get_archived_document(request: HttpRequest, applicationId: str, printableDocumentId: str) -> HttpResponse:
    _client, actor = caller(request)
    archive.require_archive(actor)
    document = printable.ensure_rendered(
        archive.document(actor, archive.get(actor, applicationId), printableDocumentId)
    )
    response = HttpResponse(printable.read_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, printable.file_name(document)) or "attachment"
    )
    return response
