"""Printable documents over the A2A API: ``getPrintableDocumentsList`` and ``getPrintableDocument``
(WORKFLOW.md §7.3, §10).

The claim must be visible to the acting user (the one visibility rule; otherwise 404, never 403) and
the document must be one the caller may have (``documents.visibility``: the Defendant Only CNF is
the claimant side's, and a compensator has only the documents created while the claim was with its
organisation or group): a document the caller may not have is "not found" too. A document the timer worker has not rendered yet is
rendered by the download itself, so a client never waits for the worker or polls for it.

``getPrintableDocument`` answers ``application/pdf`` (``Content-Disposition: attachment``) by
default; a client that sends ``Accept: application/json`` (and not ``application/pdf``) gets the
document's metadata with the PDF in base64 (``content``), as SOAP clients got it.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from claimsportal.a2a.caller import claims_caller
from claimsportal.a2a.schemas import READ_ERRORS
from claimsportal.claims import selectors
from claimsportal.documents import printable
from claimsportal.documents.models import PrintableDocument
from claimsportal.documents.responses import pdf_response

router = Router()


class PrintableDocumentOut(Schema):
    printableDocumentId: str
    applicationId: str
    title: str
    kind: str
    sequence: int
    version: int
    createdTime: str
    fileName: str
    contentType: str
    rendered: bool
    size: int | None
    sha256: str | None


class PrintableDocumentContentOut(PrintableDocumentOut):
    content: str  # the PDF, base64


DOCUMENT_EXAMPLE = {
    "printableDocumentId": "0b6f4c1e-8d7a-4f53-9a0e-2f1d8c3b7a10",
    "applicationId": "00000042",
    "title": "Stage 2 Settlement Pack (RTA5)",
    "kind": "STAGE2_SETTLEMENT_PACK",
    "sequence": 1,
    "version": 2,
    "createdTime": "2026-03-20T10:00:00+00:00",
    "fileName": "00000042-stage2-settlement-pack-1-v2.pdf",
    "contentType": "application/pdf",
    "rendered": True,
    "size": 48213,
    "sha256": "9f2c5e0d4b1a7c3e8f6d2b9a0c4e7f1a3b5d8c2e6f9a1b4c7d0e3f6a9b2c5d8e",
}


def document_record(document: PrintableDocument) -> dict[str, Any]:
    rendered = document.rendered_at is not None
    return {
        "printableDocumentId": str(document.document_id),
        "applicationId": f"{document.claim_id:08d}",
        "title": document.title,
        "kind": document.kind,
        "sequence": document.sequence,
        "version": document.version,
        "createdTime": document.created_at.isoformat(),
        "fileName": printable.file_name(document),
        "contentType": "application/pdf",
        "rendered": rendered,
        "size": document.size if rendered else None,
        "sha256": document.sha256 if rendered else None,
    }


@router.get(
    "/claims/{applicationId}/documents",
    response={200: list[PrintableDocumentOut], **READ_ERRORS},
    operation_id="getPrintableDocumentsList",
    summary="The printable documents of a claim the acting user may have, oldest first",
    description=(
        "One entry per version: an updated pack (a response, a counter offer) is a new version of "
        "its document and earlier versions stay as they were printed. `size` and `sha256` are known "
        "once the PDF is rendered (`rendered`); getPrintableDocument renders it at once if need be. "
        "The Defendant Only CNF is listed for the claimant side only. A compensator has only the "
        "documents created while the claim was with its organisation or group (not those of a "
        "compensator the claim was with before being resent)."
    ),
    tags=["documents"],
    openapi_extra={"responses": {200: {"content": {"application/json": {"example": [DOCUMENT_EXAMPLE]}}}}},
)
def get_printable_documents_list(request: HttpRequest, applicationId: str) -> list[dict[str, Any]]:
    _client, actor = claims_caller(request)
    claim = selectors.get_visible_claim(actor, applicationId)
    return [document_record(d) for d in printable.documents_of(actor, claim)]


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "application/pdf" not in accept


@router.get(
    "/documents/{printableDocumentId}",
    response={200: PrintableDocumentContentOut, **READ_ERRORS},
    operation_id="getPrintableDocument",
    summary="One printable document: the PDF (or, with Accept: application/json, base64 in JSON)",
    description=(
        "Answers `application/pdf` with `Content-Disposition: attachment` by default. With "
        "`Accept: application/json` (and not application/pdf) the answer is the document's metadata "
        "with the PDF base64-encoded in `content`. A document not yet rendered is rendered now. A "
        "document whose claim the acting user cannot see, or which the acting user may not have (see "
        "getPrintableDocumentsList), is 404."
    ),
    tags=["documents"],
    openapi_extra={
        "responses": {
            200: {
                "headers": {
                    "Content-Disposition": {
                        "description": 'With the PDF: attachment; filename="<applicationId>-<kind>-<sequence>-v<version>.pdf"',
                        "schema": {"type": "string"},
                    }
                },
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/json": {"example": {**DOCUMENT_EXAMPLE, "content": "JVBERi0xLjcK..."}},
                },
            }
        }
    },
)
def get_printable_document(request: HttpRequest, printableDocumentId: str) -> HttpResponse | dict[str, Any]:
    _client, actor = claims_caller(request)
    document = printable.ensure_rendered(printable.visible_document(actor, printableDocumentId))
    pdf = printable.read_pdf(document)
    if _wants_json(request):
        return {**document_record(document), "content": base64.b64encode(pdf).decode("ascii")}
    return pdf_response(document, pdf)
