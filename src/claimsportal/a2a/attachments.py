"""Attachments over A2A (API.md): ``getAttachmentsList``, ``addAttachment`` and ``getAttachment``.

The fields are those of WORKFLOW.md §7.2 ``attachmentInput`` / ``attachment``; the file travels as
base64 in ``dataAttachmentFileZip`` (despite the name, the raw file, not a zip). ``getAttachment``
answers JSON with the content in base64, as the real operation does; a client that sends
``Accept: application/octet-stream`` (and not ``application/json``) gets the raw bytes instead, as a
download served as the metadata's ``contentType`` says (the recorded type if it is an inert one, else
``application/octet-stream``: the web download's rule). The rules are ``documents.attachments``'s; this module only parses JSON and maps errors.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema, Status

from claimsportal.a2a.caller import claims_caller, json_object
from claimsportal.a2a.idempotency import run_idempotently
from claimsportal.a2a.schemas import ERROR_RESPONSES, READ_ERRORS, ErrorOut
from claimsportal.claims.acting import format_application_id
from claimsportal.documents import attachments as service
from claimsportal.documents.models import Attachment
from claimsportal.protocols.errors import ErrorDetail, PortalError, limit_exceeded

router = Router()

EXAMPLE_FILE = (
    b"Medical report summary\n"
    b"Claimant: Ms A Okafor. Examined 12 February 2026.\n"
    b"Whiplash injury to the neck; prognosis 6 months from the accident.\n"
)
EXAMPLE_BODY = {
    "dataAttachmentTitle": "Medical report (summary)",
    "dataAttachmentDesc": "Summary of the initial medical report by Dr J Patel",
    "dataAttachmentFileName": "medical-report-summary.txt",
    "dataAttachmentFileZip": base64.b64encode(EXAMPLE_FILE).decode(),
}
# Non-empty, canonical, padded standard base64 (what ``_decode`` accepts, line breaks aside).
CANONICAL_BASE64 = (
    r"^(?:[A-Za-z0-9+/]{4})*"
    r"(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)$"
)
# The text the service accepts (documents.attachments._clean: no control, formatting, private-use or
# unassigned character, no line separator) stated as a pattern a generator and a validator both read:
# printable ASCII and the Latin letters up to U+024F (no soft hyphen). A title and a file name have
# something besides spaces; a file name has a letter or digit and no / or \.
_LATIN = "\u00a0-\u00ac\u00ae-\u024f"
TITLE_PATTERN = rf"^[ -~{_LATIN}]*[!-~{_LATIN}][ -~{_LATIN}]*$"
DESCRIPTION_PATTERN = rf"^[\t\n\r -~{_LATIN}]*$"
FILE_NAME_PATTERN = rf"^[ -.0-\[\]-~{_LATIN}]*[A-Za-z0-9][ -.0-\[\]-~{_LATIN}]*$"
INPUT_FIELDS = (service.TITLE, service.DESCRIPTION, service.FILE_NAME, service.CONTENT)


class AttachmentOut(Schema):
    """``attachment`` of WORKFLOW.md §7.2 (metadata), plus the owner's side, size, SHA-256 and types:
    ``contentType`` is what a download is served as, ``declaredContentType`` the type recorded when
    the file was added (the browser's, or the file name's extension's guess)."""

    applicationId: str
    dataAttachmentGuid: str
    dataAttachmentTitle: str
    dataAttachmentDesc: str
    dataAttachmentFileName: str
    dataAttachmentDate: str
    dataAttachmentOwner: str
    dataAttachmentOwnerSide: str
    size: int
    sha256: str
    contentType: str = Field(
        description="What a download of the file is served as: the declared type if it is an inert "
        "one (PDF, images, plain text, office documents…), else application/octet-stream"
    )
    declaredContentType: str = Field(
        description="The type recorded when the file was added: the one declared (web upload) or "
        "guessed from the file name's extension (A2A)"
    )


class AttachmentContentOut(AttachmentOut):
    """One attachment with its content (base64)."""

    dataAttachmentFileZip: str


def attachment_record(attachment: Attachment) -> dict[str, Any]:
    return {
        "applicationId": format_application_id(attachment.claim_id),
        "dataAttachmentGuid": str(attachment.guid),
        "dataAttachmentTitle": attachment.title,
        "dataAttachmentDesc": attachment.description,
        "dataAttachmentFileName": attachment.file_name,
        "dataAttachmentDate": attachment.created_at.isoformat(),
        "dataAttachmentOwner": attachment.owner_name,
        "dataAttachmentOwnerSide": attachment.owner_side,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "contentType": service.served_content_type(attachment),
        "declaredContentType": attachment.content_type,
    }


def _invalid(field_name: str, message: str) -> PortalError:
    return PortalError("SCHEMA_INVALID", f"{field_name}: {message}", [ErrorDetail(field_name, message)])


def _decode(value: str) -> bytes:
    """Standard base64 (RFC 4648 alphabet, padded to a multiple of 4, canonical); line breaks and
    spaces are ignored (MIME encoders insert them). The size is checked before anything is decoded."""
    compact = "".join(value.split())
    padding = len(compact) - len(compact.rstrip("="))
    service.check_file_size(len(compact) * 3 // 4 - min(padding, 2))
    try:
        encoded = compact.encode("ascii")
        data = binascii.a2b_base64(encoded, strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        data = None
    if data is None or base64.b64encode(data) != encoded:  # e.g. extra or missing padding
        raise _invalid(service.CONTENT, "is not valid base64 (RFC 4648, padded)")
    return data


def _attachment_input(request: HttpRequest, application_id: str) -> dict[str, Any]:
    try:
        request.body  # noqa: B018 - read here, so that a body over the limit is a 413 like a large file
    except RequestDataTooBig:
        raise limit_exceeded(
            f"The request body is too large: a file is at most {service.megabytes(service.MAX_FILE_SIZE)}",
            service.CONTENT,
            too_large=True,
        ) from None
    body = json_object(request)
    unknown = sorted(set(body) - {*INPUT_FIELDS, "applicationId"})
    if unknown:
        raise PortalError(
            "SCHEMA_INVALID",
            f"Unknown fields: {', '.join(unknown)}",
            [ErrorDetail(name, "not a field of attachmentInput") for name in unknown],
        )
    quoted = body.get("applicationId")
    if quoted is not None and str(quoted).strip().lstrip("0") != application_id.strip().lstrip("0"):
        raise _invalid("applicationId", "must be the claim of the path (or left out)")
    for name in INPUT_FIELDS:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise _invalid(name, "must be a string")
    encoded = body.get(service.CONTENT)
    if not encoded:
        raise _invalid(service.CONTENT, "is required: the file, base64-encoded")
    return {
        "title": body.get(service.TITLE) or "",
        "description": body.get(service.DESCRIPTION) or "",
        "file_name": body.get(service.FILE_NAME) or "",
        "content": _decode(encoded),
    }


@router.get(
    "/claims/{applicationId}/attachments",
    response={200: list[AttachmentOut], **READ_ERRORS},
    operation_id="getAttachmentsList",
    summary="The claim's attachments (metadata, oldest first)",
    description=(
        "The claimant side sees every attachment of its claim; a compensator sees those added by the "
        "claimant side and by its own organisation or an organisation of its group (not those of a "
        "compensator the claim was with before being resent). The content: getAttachment."
    ),
    tags=["attachments"],
)
def get_attachments_list(request: HttpRequest, applicationId: str) -> list[dict[str, Any]]:
    _client, actor = claims_caller(request)
    return [attachment_record(a) for a in service.list_attachments(actor, applicationId)]


@router.post(
    "/claims/{applicationId}/attachments",
    response={201: AttachmentOut, **ERROR_RESPONSES, 413: ErrorOut},
    operation_id="addAttachment",
    summary="Add a file to the claim (attachmentInput); answers its GUID and metadata",
    description=(
        "Either party, in any phase until the claim ends (409 WRONG_PHASE after), unless another user "
        "holds the claim's lock (409 CLAIM_LOCKED). dataAttachmentFileZip is the file itself, base64 "
        "(RFC 4648 with padding; line breaks ignored). Limits (WORKFLOW.md §7.5): 4 MB per file and "
        "20 MB per claim (413 LIMIT_EXCEEDED; MB = 1,048,576 bytes), 40 attachments added by the "
        "claimant representative side and 10 by the compensator side (422 LIMIT_EXCEEDED). Title 1 to "
        "100 characters, description up to 500, file name up to 255 and without / or \\ or control "
        "characters; an empty file is refused (422 SCHEMA_INVALID). Attachments cannot be changed or "
        "removed. The claim's activityEngineGuid does not change (not a process step): no "
        "activityEngineGuid is sent. The other party is notified."
    ),
    tags=["attachments"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "title": "attachmentInput",
                        "type": "object",
                        "additionalProperties": False,
                        "required": [service.TITLE, service.FILE_NAME, service.CONTENT],
                        "properties": {
                            "applicationId": {
                                "type": "string",
                                "pattern": r"^[0-9]{1,8}$",
                                "description": "Optional: the claim of the path (leading zeros aside); any "
                                "other claim is refused (422 SCHEMA_INVALID)",
                            },
                            service.TITLE: {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": service.TITLE_MAX,
                                "pattern": TITLE_PATTERN,
                            },
                            service.DESCRIPTION: {
                                "type": "string",
                                "maxLength": service.DESCRIPTION_MAX,
                                "pattern": DESCRIPTION_PATTERN,
                            },
                            service.FILE_NAME: {
                                "type": "string",
                                "minLength": 1,
                                "maxLength": service.FILE_NAME_MAX,
                                "pattern": FILE_NAME_PATTERN,
                            },
                            service.CONTENT: {
                                "type": "string",
                                "contentEncoding": "base64",
                                "minLength": 4,
                                "maxLength": (service.MAX_FILE_SIZE + 2) // 3 * 4,
                                "pattern": CANONICAL_BASE64,
                                "description": "The file's bytes (at least one), base64-encoded: RFC 4648 "
                                "with padding, canonical (the unused bits of the last character zero); "
                                "at most 4 MB decoded",
                            },
                        },
                    },
                    "examples": {"medicalReport": {"summary": "A small text file", "value": EXAMPLE_BODY}},
                }
            },
        }
    },
)
def add_attachment(request: HttpRequest, applicationId: str) -> Status[dict[str, Any]]:
    client, actor = claims_caller(request)
    inputs = _attachment_input(request, applicationId)

    def run() -> tuple[int, dict[str, Any]]:
        return 201, attachment_record(service.add_attachment(actor, applicationId, **inputs))

    with service.no_orphan_files():
        status, answer = run_idempotently(request, client.client_pk, run)
    return Status(status, answer)


def _wants_raw(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "").lower()
    return "application/octet-stream" in accept and "application/json" not in accept


@router.get(
    "/attachments/{attachmentGuid}",
    response={200: AttachmentContentOut, **READ_ERRORS},
    operation_id="getAttachment",
    summary="One attachment with its content (base64), or the raw file with Accept: application/octet-stream",
    description=(
        "The metadata with the content in base64 (`dataAttachmentFileZip`). With `Accept: "
        "application/octet-stream` (and not application/json) the raw bytes instead, as a download "
        "(`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`) served as the "
        "metadata's `contentType`: the recorded type if it is one of a few inert ones, else "
        "application/octet-stream. An attachment the acting user may not see is 404: a compensator "
        "sees those of the claimant side and of its own organisation or group, not another "
        "compensator's."
    ),
    tags=["attachments"],
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    media_type: {"schema": {"type": "string", "format": "binary"}}
                    for media_type in sorted(service.SAFE_CONTENT_TYPES | {service.OCTET_STREAM})
                }
            }
        }
    },
)
def get_attachment(request: HttpRequest, attachmentGuid: str) -> HttpResponse | dict[str, Any]:
    _client, actor = claims_caller(request)
    attachment = service.get_attachment(actor, attachmentGuid)
    content = service.read_content(attachment)
    if _wants_raw(request):
        response = HttpResponse(content, content_type=service.served_content_type(attachment))
        response["Content-Disposition"] = (
            content_disposition_header(True, attachment.file_name) or "attachment"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
    return {**attachment_record(attachment), "dataAttachmentFileZip": base64.b64encode(content).decode()}
