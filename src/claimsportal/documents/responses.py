"""The HTTP answer that hands over a printable document's PDF (A2A and web alike)."""

from __future__ import annotations

from django.http import HttpResponse

from claimsportal.documents import printable
from claimsportal.documents.models import PrintableDocument


def pdf_response(document: PrintableDocument, pdf: bytes) -> HttpResponse:
    """``pdf`` as a download (``Content-Disposition: attachment``), never cached by a shared cache:
    a document is personal data, served only after the visibility check."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{printable.file_name(document)}"'
    response["Content-Length"] = str(len(pdf))
    response["Cache-Control"] = "private, no-store"
    if document.sha256:
        response["ETag"] = f'"{document.sha256}"'
    return response
