"""Several claims' printable documents at once (the worklist's "Print", issue 18): one ZIP file with,
for each claim the user can see, every document of it they may have (``documents.printable``'s rules,
the same as each claim page's downloads), rendered now if the worker has not yet. A claim not visible,
or with no document yet, is reported and left out. Audited once, as every bulk action."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from claimsportal.claims.acting import Actor
from claimsportal.claims.bulk import NOT_VISIBLE, BulkAction, BulkResult, claim_numbers, record_bulk
from claimsportal.claims.selectors import get_visible_claim
from claimsportal.documents import printable
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import ErrorDetail, PortalError

NO_DOCUMENTS = "This claim has no printable documents yet"


def print_claims(
    actor: Actor, user: User, application_ids: Sequence[str]
) -> tuple[bytes | None, list[BulkResult]]:
    """The ZIP of the claims' documents (``<applicationId>/<file>.pdf``; None when no claim had one) and
    one result per claim, in the order given."""
    named = claim_numbers(application_ids)
    results: list[BulkResult] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, number in named:
            claim = None
            if number is not None:
                try:
                    claim = get_visible_claim(actor, number)
                except PortalError:
                    claim = None
            if claim is None:  # not a claim, or none this user can see: the same answer
                results.append(BulkResult(key, "", NOT_VISIBLE))
                continue
            documents = list(printable.documents_of(actor, claim))
            if not documents:
                results.append(
                    BulkResult(
                        key, "", PortalError("NOT_FOUND", NO_DOCUMENTS, [ErrorDetail("", NO_DOCUMENTS)])
                    )
                )
                continue
            for document in documents:
                document = printable.ensure_rendered(document)
                archive.writestr(f"{key}/{printable.file_name(document)}", printable.read_pdf(document))
            results.append(BulkResult(key, "print"))
    record_bulk(user, BulkAction.PRINT, results)
    return (buffer.getvalue() if any(r.done for r in results) else None), results
