"""The worklist's bulk actions: lock, unlock, allocate to a user, or print several claims at once.

The worklist's checkboxes (``claims``) belong to the form ``#bulk-actions``, whose buttons post here
(``action``). Lock and unlock are done at once; allocating first asks for the user (a picker, with the
selected claims carried along); printing answers with a ZIP of the claims' documents. Each claim goes
through ``perform`` on its own (``claims.bulk``): the results page says, claim by claim, what was done
and, in words, what was refused and why.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from claimsportal.claims.acting import Actor
from claimsportal.claims.bulk import BULK_LIMIT, BulkAction, BulkResult, claim_numbers, perform_bulk
from claimsportal.core import clock
from claimsportal.documents.bulk_print import print_claims
from claimsportal.presentation.messages import plain_text
from claimsportal.protocols.errors import PortalError
from claimsportal.web import pickers
from claimsportal.web.account import sections
from claimsportal.web.claims.acting import back, user_of, with_actor
from claimsportal.web.claims.schema_form import SummaryError

NOT_VISIBLE_WORDS = "There is no claim with this number that you can see"
DONE_WORDS = {
    BulkAction.LOCK: "Locked to you",
    BulkAction.UNLOCK: "Unlocked",
    BulkAction.ALLOCATE: "Allocated to {user}",
    BulkAction.PRINT: "Its documents are in the ZIP file",
}
HEADINGS = {
    BulkAction.LOCK: "Lock claims",
    BulkAction.UNLOCK: "Unlock claims",
    BulkAction.ALLOCATE: "Allocate claims",
    BulkAction.PRINT: "Print claims",
}
PAST = {
    BulkAction.LOCK: "locked",
    BulkAction.UNLOCK: "unlocked",
    BulkAction.ALLOCATE: "allocated",
    BulkAction.PRINT: "printed",
}


def refusal_words(error: PortalError) -> str:
    """Why a claim was not changed, for a person."""
    if error.code == "NOT_FOUND" and error.message == "No such claim":
        return NOT_VISIBLE_WORDS
    return plain_text(error.message)


def _rows(results: list[BulkResult], action: BulkAction, user: str = "") -> list[dict[str, Any]]:
    return [
        {
            "application_id": r.application_id,
            "done": r.done,
            "words": DONE_WORDS[action].format(user=user) if r.error is None else refusal_words(r.error),
        }
        for r in results
    ]


def _audit_details(request: HttpRequest) -> dict[str, Any]:
    """A team leader acting as another user: who really did it (the session says)."""
    real = request.session.get(sections.REAL_USER_ID_KEY)
    return {"real_user": real} if real else {}


def _results_page(
    request: HttpRequest, action: BulkAction, results: list[BulkResult], user: str = ""
) -> HttpResponse:
    done = sum(1 for r in results if r.done)
    return render(
        request,
        "web/claims/bulk_results.html",
        {
            "heading": HEADINGS[action],
            "summary": f"{done} of {len(results)} claim{'' if len(results) == 1 else 's'} {PAST[action]}",
            "rows": _rows(results, action, user),
            "refused": len(results) - done,
        },
    )


@with_actor
@require_POST
def bulk_action(request: HttpRequest, actor: Actor) -> HttpResponse:
    """``POST /work/bulk/``: ``claims`` (application IDs), ``action`` (lock, unlock, allocate, print)."""
    selected = [str(v) for v in request.POST.getlist("claims")]
    try:
        action = BulkAction(str(request.POST.get("action", "")))
    except ValueError:
        messages.error(request, "Choose what to do with the selected claims")
        return back(request, "/")
    try:
        named = claim_numbers(selected)
    except PortalError as error:
        messages.error(request, plain_text(error.message))
        return back(request, "/")
    user = user_of(request)
    if action is BulkAction.ALLOCATE:
        return _allocate(request, actor, [key for key, _n in named])
    if action is BulkAction.PRINT:
        archive, results = print_claims(actor, user, selected)
        if archive is None:
            return _results_page(request, action, results)
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="claims-{clock.today():%Y-%m-%d}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response
    results = perform_bulk(actor, user, action, selected, audit_details=_audit_details(request))
    return _results_page(request, action, results)


def _allocate(request: HttpRequest, actor: Actor, selected: list[str]) -> HttpResponse:
    """Allocating: the user to allocate the selected claims to (a picker of the organisation's claims
    users), then each claim allocated through ``perform``."""
    source = pickers.user_source(actor)
    chosen = str(request.POST.get("targetUserID", "")).strip()
    confirming = request.POST.get("confirm") == "1" and not pickers.searching(request.POST, "targetUserID")
    errors: list[str] = []
    if confirming:
        option = source.find(chosen)
        if option is None:
            errors = ["Choose the user to allocate the claims to"]
        else:
            results = perform_bulk(
                actor,
                user_of(request),
                BulkAction.ALLOCATE,
                selected,
                target_user_id=option.value,
                audit_details=_audit_details(request),
            )
            return _results_page(request, BulkAction.ALLOCATE, results, option.label)
    picker = pickers.build_picker(
        source,
        name="targetUserID",
        id="targetUserID",
        label="Allocate to",
        hint="A claims user of your organisation",
        kind="user",
        value=chosen,
        query=str(request.POST.get("targetUserID-q", "")),
        errors=errors,
        empty_text="Choose a user",
        label_class="govuk-label--m",
    )
    return render(
        request,
        "web/claims/bulk_allocate.html",
        {
            "selected": selected,
            "picker": picker,
            "errors": [SummaryError(text, "#targetUserID") for text in errors],
            "limit": BULK_LIMIT,
        },
    )
