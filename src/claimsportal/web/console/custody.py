"""Claim custody in the console: the archive search and its read-only claims (users holding the
Search Archived Claims User profile), and for the operator the retention rules with their runs and
the report of GDPR deletions per organisation and month (docs/custody.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.custody import archive, gdpr
from claimsportal.custody.models import RetentionRun
from claimsportal.custody.rules import rules
from claimsportal.documents import attachments, printable
from claimsportal.organisations.models import User
from claimsportal.presentation.labels import operation_label
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.web.console.access import checked_page, operator_page

archive_page = checked_page(archive.archive_actor)
"""A page of the archive: an Administration session of a user holding the archive profile."""


@archive_page
def archive_search(request: HttpRequest, actor: Actor) -> HttpResponse:
    criteria = {
        "application_id": request.GET.get("application_id", "").strip()[:20],
        "surname": request.GET.get("surname", "").strip()[:35],
        "reference": request.GET.get("reference", "").strip()[:50],
    }
    searched = any(criteria.values())
    results, error = [], ""
    if searched:
        try:
            results = archive.search(
                actor,
                application_id=criteria["application_id"],
                surname=criteria["surname"],
                reference=criteria["reference"],
            )
        except PortalError:
            error = "Enter an application ID as a number, for example 1234 or 00001234"
    rows = [
        {
            "claim": claim,
            "number": format_application_id(claim.pk),
            "deleted_on": archive.deleted_on(claim),
        }
        for claim in results
    ]
    return render(
        request,
        "web/console/archive.html",
        {"criteria": criteria, "searched": searched, "rows": rows, "error": error},
    )


@archive_page
def archive_claim(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    try:
        claim = archive.get(actor, application_id)
    except PortalError:
        return render(request, "web/console/archive_missing.html", status=404)
    phases = definition_for(claim.claim_type).phases
    history = [
        {
            "when": event.occurred_at,
            "what": operation_label(event.operation),
            "who": "the portal"
            if event.actor_side == "SYSTEM"
            else ("the claimant representative" if event.actor_side == "CR" else "the compensator"),
            "stage": phases[event.phase_after].name if event.phase_after in phases else event.phase_after,
        }
        for event in claim.events.order_by("id")
    ]
    return render(
        request,
        "web/console/archive_claim.html",
        {
            "claim": claim,
            "number": format_application_id(claim.pk),
            "deleted_on": archive.deleted_on(claim),
            "history": history,
            "attachments": archive.attachments(actor, claim),
            "documents": archive.documents(actor, claim),
        },
    )


@archive_page
def archive_attachment(request: HttpRequest, actor: Actor, application_id: str, guid: str) -> HttpResponse:
    try:
        found = archive.attachment(actor, archive.get(actor, application_id), guid)
    except PortalError:
        return render(request, "web/console/archive_missing.html", status=404)
    response = HttpResponse(
        attachments.read_content(found), content_type=attachments.served_content_type(found)
    )
    response["Content-Disposition"] = content_disposition_header(True, found.file_name) or "attachment"
    return response


@archive_page
def archive_document(
    request: HttpRequest, actor: Actor, application_id: str, document_id: str
) -> HttpResponse:
    try:
        document = printable.ensure_rendered(
            archive.document(actor, archive.get(actor, application_id), document_id)
        )
    except PortalError:
        return render(request, "web/console/archive_missing.html", status=404)
    response = HttpResponse(printable.read_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, printable.file_name(document)) or "attachment"
    )
    return response


@operator_page
def retention(request: HttpRequest, operator: User) -> HttpResponse:
    runs = RetentionRun.objects.order_by("-started_at", "-pk")[:20]
    return render(request, "web/console/retention.html", {"rules": rules(), "runs": runs})


@operator_page
def gdpr_report(request: HttpRequest, operator: User) -> HttpResponse:
    return render(request, "web/console/gdpr_report.html", {"lines": gdpr.report()})
