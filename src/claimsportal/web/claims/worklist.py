"""The worklist, the home page of a claims user: claims awaiting the organisation (sorted, filtered,
paged) and the latest notifications."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claimsportal.core import clock
from claimsportal.protocols.types import Side
from claimsportal.web import selectors
from claimsportal.web.claims.acting import user_of


@login_required
def worklist_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    query = selectors.WorklistQuery.from_params(request.GET)
    page = selectors.worklist(user, query, today=clock.today(), page_size=selectors.PAGE_SIZE)
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
            "phases": sorted(selectors.phase_names().items(), key=lambda item: item[1]),
            "claim_types": selectors.CLAIM_TYPES,
            "filtered": bool(query.claim_type or query.phase),
            "notifications": notes,
            "more_notifications": more_notes,
            "has_claims_profile": bool(user.claims_profiles()),
            "is_cr": user.organisation is not None and user.organisation.org_type == Side.CR.value,
        },
    )
