"""The claim page's Printable documents section and the PDF downloads.

The rules are ``documents.printable``'s: the claim must be visible to the user and the document's
side theirs (the Defendant Only CNF is the claimant side's), otherwise 404. A document the timer
worker has not rendered yet is rendered by the download itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from claimsportal.claims.acting import Actor, format_application_id, parse_application_id
from claimsportal.claims.models import Claim
from claimsportal.documents import printable
from claimsportal.documents.responses import pdf_response
from claimsportal.web.claims.acting import with_actor


@dataclass(frozen=True)
class DocumentRow:
    title: str
    sequence: int
    version: int
    created_at: datetime
    url: str
    file_name: str


def section(actor: Actor, claim: Claim) -> list[DocumentRow]:
    """The rows of the claim page's Printable documents section (oldest first)."""
    application_id = format_application_id(claim.pk)
    return [
        DocumentRow(
            d.title,
            d.sequence,
            d.version,
            d.created_at,
            reverse("claims:document", args=[application_id, str(d.document_id)]),
            printable.file_name(d),
        )
        for d in printable.documents_of(actor, claim)
    ]


@with_actor
@require_GET
def document_download(
    request: HttpRequest, actor: Actor, application_id: str, document_id: str
) -> HttpResponse:
    document = printable.visible_document(actor, document_id)
    if document.claim_id != parse_application_id(application_id):
        raise Http404("No such printable document")
    document = printable.ensure_rendered(document)
    return pdf_response(document, printable.read_pdf(document))
