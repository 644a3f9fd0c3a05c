"""The claim page's Attachments section: the list, the upload form and the downloads.

The rules are ``documents.attachments``'s (visibility, phases, lock, limits, names); a refusal is
its ``PortalError``, shown beside the field it names. The form posts to its own URL: a valid upload
goes back to the claim page, an invalid one shows the form again on a page of its own with the
errors (the GOV.UK pattern; a browser cannot fill a file input in again anyway).

An uploaded file is never read past the 4 MB limit: an upload handler placed before the request's
body is parsed skips the rest of a larger file (so it is not even written to a temporary file), and
skips every file part but the first one of the form's file field (a POST may carry up to
``DATA_UPLOAD_MAX_NUMBER_FILES`` parts: none of the others is kept, and the upload is refused).
That needs the handler in place before the CSRF check reads the form, so the upload view checks
CSRF itself, after placing it (Django's documented pattern for upload handlers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor, format_application_id, parse_application_id
from claimsportal.claims.models import Claim
from claimsportal.documents import attachments as service
from claimsportal.documents.models import Attachment
from claimsportal.presentation.messages import plain_text
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.types import Side
from claimsportal.web.account.forms import GovukForm, add_portal_error
from claimsportal.web.claims.acting import with_actor

FIELDS = {
    service.TITLE: "title",
    service.DESCRIPTION: "description",
    service.FILE_NAME: "file",
    service.CONTENT: "file",
}
FILE_HINT = (
    f"Any type of file, up to {service.megabytes(service.MAX_FILE_SIZE)}. A claim's attachments can "
    f"total {service.megabytes(service.MAX_CLAIM_TOTAL)}; the claimant representative can add "
    f"{service.MAX_COUNT_BY_SIDE[Side.CR]} and the compensator "
    f"{service.MAX_COUNT_BY_SIDE[Side.COMP]}. Attachments cannot be changed or removed once added."
)
TOO_LARGE = f"The file must be {service.megabytes(service.MAX_FILE_SIZE)} or smaller"


class AttachmentForm(GovukForm):
    file = forms.FileField(
        label="File",
        help_text=FILE_HINT,
        allow_empty_file=True,  # the service says "The file is empty", like the API
        error_messages={"required": "Choose a file to upload", "missing": "Choose a file to upload"},
    )
    title = forms.CharField(
        label="Title",
        max_length=service.TITLE_MAX,
        help_text="For example, Medical report by Dr Patel",
        error_messages={
            "required": "Enter a title",
            "max_length": f"The title must be {service.TITLE_MAX} characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=service.DESCRIPTION_MAX,
        widget=forms.Textarea,
        error_messages={
            "max_length": f"The description must be {service.DESCRIPTION_MAX} characters or fewer"
        },
    )


@dataclass(frozen=True)
class AttachmentRow:
    title: str
    description: str
    file_name: str
    size: str
    added_by: str
    side: str
    added_at: datetime
    url: str


@dataclass(frozen=True)
class AttachmentsSection:
    """What the claim page's ``web/claims/_attachments.html`` shows."""

    application_id: str
    rows: list[AttachmentRow]
    form: AttachmentForm | None  # None: no upload now (``refusal`` says why)
    refusal: str


def _row(attachment: Attachment) -> AttachmentRow:
    number = format_application_id(attachment.claim_id)
    return AttachmentRow(
        attachment.title,
        attachment.description,
        attachment.file_name,
        service.megabytes(attachment.size) if attachment.size >= 100_000 else f"{attachment.size:,} bytes",
        attachment.owner_name,
        "Claimant representative" if attachment.owner_side == "CR" else "Compensator",
        attachment.created_at,
        reverse("claims:attachment", args=[number, str(attachment.guid)]),
    )


def section(actor: Actor, claim: Claim, form: AttachmentForm | None = None) -> AttachmentsSection:
    """The section for a claim ``actor`` can see (one query: the attachments)."""
    refusal = service.adding_refused(actor, claim)
    return AttachmentsSection(
        format_application_id(claim.pk),
        [_row(a) for a in service.list_attachments(actor, claim)],
        None if refusal is not None else form or AttachmentForm(),
        plain_text(refusal.message) if refusal is not None else "",
    )


# --------------------------------------------------------------------------------------------------
# Upload
# --------------------------------------------------------------------------------------------------


FILE_FIELD = "file"
ONE_FILE = "Choose one file to upload"


class UploadQuota(FileUploadHandler):
    """Keeps only the first file of the form's file field, and skips the rest of it once it is over
    the per-file limit; remembers either (``exceeded``, ``unexpected``) for the view to refuse.

    A part to skip is skipped from its first chunk (``SkipFile`` from ``receive_data_chunk``): the
    parser then reads it to its end without handing it to the handlers after this one, so nothing is
    spooled. (Not from ``new_file``: there the parser would close the file already received.)"""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.exceeded = False
        self.unexpected = False  # a file part in another field, or a second file
        self._files = 0
        self._skip = False
        self._received = 0

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self._received = 0
        self._skip = field_name != FILE_FIELD or self._files > 0
        if self._skip:
            self.unexpected = True
        else:
            self._files += 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self._skip:
            raise SkipFile
        self._received += len(raw_data)
        if self._received > service.MAX_FILE_SIZE:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _quota(request: HttpRequest) -> UploadQuota | None:
    return next((h for h in request.upload_handlers if isinstance(h, UploadQuota)), None)


def _form_page(request: HttpRequest, claim: Claim, form: AttachmentForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "web/claims/attachment_add.html",
        {"claim": claim, "application_id": format_application_id(claim.pk), "form": form},
        status=status,
    )


@with_actor
@require_http_methods(["GET", "POST"])
def _attachment_add(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    claim = claim_selectors.get_visible_claim(actor, application_id)
    claim_url = reverse("claim", args=[format_application_id(claim.pk)])
    refusal = service.adding_refused(actor, claim)
    if refusal is not None:
        messages.error(request, plain_text(refusal.message))
        return redirect(claim_url)
    if request.method == "GET":
        return _form_page(request, claim, AttachmentForm())
    form = AttachmentForm(request.POST, request.FILES)
    quota = _quota(request)
    valid = form.is_valid()
    if quota is not None and quota.exceeded:
        form.errors.pop("file", None)  # it came, but was too large to keep ("Choose a file" is wrong)
        form.add_error("file", TOO_LARGE)
        valid = False
    elif quota is not None and quota.unexpected:
        form.errors.pop("file", None)
        form.add_error("file", ONE_FILE)  # not what the form sends: refused, not silently trimmed
        valid = False
    if not valid:
        return _form_page(request, claim, form, status=422)
    upload = form.cleaned_data["file"]
    try:
        service.check_file_size(upload.size or 0)
        attachment = service.add_attachment(
            actor,
            claim.pk,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            file_name=upload.name or "",
            content=upload.read(),
            content_type=upload.content_type or "",
        )
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise Http404(error.message) from None
        add_portal_error(form, error, FIELDS)
        return _form_page(request, claim, form, status=error.status)
    messages.success(request, f"Attachment “{attachment.title}” added ({attachment.file_name})")
    return redirect(f"{claim_url}#attachments-heading")


@csrf_exempt  # checked below, once the upload handler is in place
def attachment_add(request: HttpRequest, application_id: str) -> HttpResponse:
    """Add an attachment: GET the form, POST the upload (multipart)."""
    request.upload_handlers.insert(0, UploadQuota(request))
    response: HttpResponse = csrf_protect(_attachment_add)(request, application_id=application_id)
    return response


# --------------------------------------------------------------------------------------------------
# Download
# --------------------------------------------------------------------------------------------------


@with_actor
@require_GET
def attachment_download(request: HttpRequest, actor: Actor, application_id: str, guid: str) -> HttpResponse:
    """The file, as a download, for anybody who can see its claim (else 404)."""
    attachment = service.get_attachment(actor, guid)
    if attachment.claim_id != parse_application_id(application_id):
        raise Http404("No such attachment")
    response = HttpResponse(
        service.read_content(attachment), content_type=service.served_content_type(attachment)
    )
    response["Content-Disposition"] = content_disposition_header(True, attachment.file_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
