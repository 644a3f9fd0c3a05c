"""The worklist, the home page of a claims user: claims awaiting the organisation (sorted, filtered,
paged) and the latest notifications."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claimsportal.core import clock
from claimsportal.presentation.labels import code_label
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import Side
from claimsportal.web import selectors
from claimsportal.web.claims.acting import user_of


@login_required
def worklist_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    query = selectors.WorklistQuery.from_params(request.GET)
    today = clock.today()
    page = selectors.worklist(user, query, today=today, page_size=selectors.PAGE_SIZE)
    urgency = selectors.worklist_urgency(user, query, today=today, now=clock.now())
    notes, more_notes = selectors.recent_notifications(user)
    columns = []
    for key, (label, _column) in selectors.SORTS.items():
        current = query.sort == key
        descending = not query.descending if current else key == "updated"
        columns.append(
            {
                "key": key,
                "label": label,
                "current": current,
                "aria_sort": ("descending" if query.descending else "ascending") if current else "",
                "query": urlencode(query.params(sort=key, order="desc" if descending else "asc")),
            }
        )
    return render(
        request,
        "web/worklist.html",
        {
            "page": page,
            "locked": page.locked,
            "others": page.others,
            "query": query,
            "columns": {str(c["key"]).replace("-", "_"): c for c in columns},
            "next_params": urlencode(query.params(cursor=page.next_cursor)) if page.next_cursor else None,
            "previous_params": (
                urlencode(query.params(cursor=page.previous_cursor)) if page.previous_cursor else None
            ),
            "stages": selectors.phases_by_stage(),
            "claim_types": [(t, code_label("claimType", t)) for t in selectors.CLAIM_TYPES],
            "filtered": bool(query.claim_type or query.phase or query.urgent),
            "urgency": urgency,
            "urgent_params": urlencode(query.params(urgent="1")),
            "export_params": urlencode(query.params()),
            "due_soon_days": selectors.DUE_SOON_DAYS,
            "notifications": notes,
            "more_notifications": more_notes,
            "has_claims_profile": bool(user.claims_profiles()),
            "is_cr": user.organisation is not None and user.organisation.org_type == Side.CR.value,
            # Bulk actions: the checkboxes, all ticked by "Select all claims on this page" without JavaScript
            "team_leader": any(p.team_leader for p in user.claims_profiles()),
            "select_all": request.GET.get("select") == "all",
            "select_all_params": _with(request, select="all"),
            "select_none_params": _with(request, select=""),
        },
    )


def _with(request: HttpRequest, **changes: str) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value:
            params[key] = value
        else:
            params.pop(key, None)
    return params.urlencode()


CSV_COLUMNS = (
    "Application ID",
    "Claim type",
    "Claimant",
    "Claimant representative reference",
    "Compensator reference",
    "Phase",
    "Time limit",
    "Business days left",
    "Urgency",
    "Locked by",
    "Updated",
)


def _cell(text: str) -> str:
    """A spreadsheet cell that is never read as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def worklist_csv(request: HttpRequest) -> HttpResponse:
    """The filtered worklist (every page, in its order) as a CSV file."""
    user = user_of(request)
    query = selectors.WorklistQuery.from_params(request.GET)
    rows = selectors.worklist_export(user, query, today=clock.today())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="worklist-{clock.today():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                _cell(text)
                for text in (
                    row.application_id,
                    code_label("claimType", row.claim_type),
                    row.claimant,
                    row.cr_reference,
                    row.comp_reference,
                    row.phase_name,
                    f"{row.deadline_at.astimezone(LONDON):%d/%m/%Y %H:%M}" if row.deadline_at else "",
                    "" if row.business_days_left is None else str(row.business_days_left),
                    row.urgency,
                    row.locked_by,
                    f"{row.updated_at.astimezone(LONDON):%d/%m/%Y %H:%M}" if row.updated_at else "",
                )
            ]
        )
    return response
