"""Searching the claims the user can see (``claims.selectors.search``, as the API's searchClaims)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.selectors import SORT_FIELDS, SearchCriteria
from claimsportal.core import clock
from claimsportal.presentation.labels import field_label
from claimsportal.presentation.messages import plain_text
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.web import selectors
from claimsportal.web.claims.acting import with_actor
from claimsportal.web.claims.schema_form import (
    SummaryError,
)

SEARCH_TEXT = (
    ("applicationId", "Application ID", "With or without the leading zeros"),
    ("claimantSurname", "Claimant's last name", ""),
    ("CRReferenceNumber", "Claimant representative's reference", ""),
    ("CMReferenceNumber", "Compensator's reference", ""),
    ("branchPath", "Branch", "The branch ID or path, for example 002"),
)
SEARCH_DATES = (
    ("sentDateFrom", "Sent on or after"),
    ("sentDateTo", "Sent on or before"),
    ("startDateFrom", "Created on or after"),
    ("startDateTo", "Created on or before"),
)
# Where the search service names a problem (its column or criterion) -> the field on the page.
SEARCH_ERROR_FIELDS = {"sent_at": "sentDateFrom", "created_at": "startDateFrom", "cursor": ""}
SORT_LABELS = {
    "ApplicationId": "Application ID",
    "StartDate": "Date created",
    "UpdateDate": "Date updated",
    "DispatchDate": "Date sent",
    "Priority": "Time limit",
}


def _search_date(params: Any, name: str) -> tuple[dict[str, str], date | None, str]:
    parts = {p: str(params.get(f"{name}[{p}]", "")).strip() for p in ("day", "month", "year")}
    if not any(parts.values()):
        return parts, None, ""
    try:
        return parts, date(int(parts["year"]), int(parts["month"]), int(parts["day"])), ""
    except ValueError:
        return parts, None, "must be a real date, for example 27 3 2026"


@with_actor
def search_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    params = request.GET
    searched = bool(params)
    text = {name: str(params.get(name, "")).strip() for name, _, _ in SEARCH_TEXT}
    field_errors: dict[str, list[str]] = {}
    dates: dict[str, date | None] = {}
    date_parts: dict[str, dict[str, str]] = {}
    for name, _label in SEARCH_DATES:
        date_parts[name], dates[name], problem = _search_date(params, name)
        if problem:
            field_errors.setdefault(name, []).append(problem)
    claim_type = str(params.get("claimType", ""))
    phase = str(params.get("phaseCacheId", ""))
    sort_field = str(params.get("sortField", "ApplicationId"))
    sort_order = str(params.get("sortOrder", "Asc"))
    results: list[selectors.WorklistRow] = []
    next_cursor = None
    general: list[str] = []
    if searched and not field_errors:
        criteria = SearchCriteria(
            applicationId=text["applicationId"] or None,
            branchPath=text["branchPath"] or None,
            CMReferenceNumber=text["CMReferenceNumber"] or None,
            CRReferenceNumber=text["CRReferenceNumber"] or None,
            claimantSurname=text["claimantSurname"] or None,
            claimType=claim_type or None,
            phaseCacheId=phase or None,
            dispatchDateFrom=None,
            dispatchDateTo=None,
            sentDateFrom=dates["sentDateFrom"],
            sentDateTo=dates["sentDateTo"],
            startDateFrom=dates["startDateFrom"],
            startDateTo=dates["startDateTo"],
            sortField=sort_field,
            sortOrder=sort_order,
        )
        try:
            found = claim_selectors.search(
                actor, criteria, cursor=str(params.get("cursor", "")) or None, limit=50
            )
        except PortalError as error:
            for detail in error.details or [ErrorDetail("", error.message)]:
                target = SEARCH_ERROR_FIELDS.get(detail.field, detail.field)
                if target:
                    field_errors.setdefault(target, []).append(plain_text(detail.message))
                else:
                    general.append(plain_text(detail.message))
        else:
            results = _search_rows(found.claims, actor)
            next_cursor = found.next_cursor
    labels = (
        {name: label for name, label, _ in SEARCH_TEXT}
        | dict(SEARCH_DATES)
        | {
            "claimType": "Claim type",
            "phaseCacheId": "Phase",
            "sortField": "Sort by",
            "sortOrder": "Order",
        }
    )
    errors = [
        SummaryError(
            f"{labels.get(name, field_label(name))}: {message}", f"#{name}{'-day' if name in dates else ''}"
        )
        for name, messages_ in field_errors.items()
        for message in messages_
    ] + [SummaryError(message, "") for message in general]
    next_params = None
    if next_cursor:
        next_params = request.GET.copy()
        next_params["cursor"] = next_cursor
    return render(
        request,
        "web/claims/search.html",
        {
            "text_fields": [
                {"name": n, "label": label, "hint": hint, "value": text[n], "errors": field_errors.get(n, [])}
                for n, label, hint in SEARCH_TEXT
            ],
            "date_fields": [
                {"name": n, "label": label, "parts": date_parts[n], "errors": field_errors.get(n, [])}
                for n, label in SEARCH_DATES
            ],
            "claim_type": claim_type,
            "claim_types": selectors.CLAIM_TYPES,
            "phase": phase,
            "phases": sorted(selectors.phase_names().items(), key=lambda item: item[1]),
            "sort_field": sort_field,
            "sort_fields": [(key, SORT_LABELS.get(key, key)) for key in SORT_FIELDS],
            "sort_order": sort_order,
            "field_errors": field_errors,
            "errors": errors,
            "searched": searched and not errors,
            "results": results,
            "next_query": next_params.urlencode() if next_params is not None else "",
        },
    )


def _search_rows(claims: Any, actor: Actor) -> list[selectors.WorklistRow]:
    today = clock.today()
    out = []
    for claim in claims:
        phases = definition_for(claim.claim_type).phases
        out.append(
            selectors.WorklistRow(
                format_application_id(claim.pk),
                claim.claim_type,
                claim.claimant_surname,
                claim.cr_reference,
                claim.comp_reference,
                claim.phase,
                phases[claim.phase].name if claim.phase in phases else claim.phase,
                claim.deadline_at,
                selectors.business_days_left(claim.deadline_at, today=today) if claim.deadline_at else None,
                claim.locked_by_id == actor.user_pk,
                claim.updated_at,
                claim.locked_by.user_id if claim.locked_by_id and claim.locked_by else "",
            )
        )
    return out
