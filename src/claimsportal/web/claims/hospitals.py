"""The NHS hospital finder beside each hospital of a CNF (``getHospitalsList``'s search)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from claimsportal.claims.acting import Actor
from claimsportal.presentation.messages import plain_text
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.reference.hospitals import HospitalInfo, search_hospitals
from claimsportal.web.claims.acting import with_actor
from claimsportal.web.claims.schema_form import (
    SummaryError,
)

HOSPITAL_RESULTS = 20  # sites listed at most: a longer list answers nobody, the search is narrowed
HOSPITAL_INPUTS = {"hospitalName": "name", "postCode": "postcode"}  # the search's field -> the input
HOSPITAL_LABELS = {"name": "Hospital name", "postcode": "Postcode"}
NO_HOSPITAL_CRITERIA = "Enter part of the hospital's name or the start of its postcode"


def _wants_json(request: HttpRequest) -> bool:
    """JSON for the page's script (``?format=json``, or ``Accept`` preferring it); HTML otherwise."""
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _hospitals_found(count: int, more: bool) -> str:
    if more:
        return f"More than {count} NHS hospitals found: the first {count} are shown. Narrow the search."
    if count == 0:
        return "No NHS hospital found"
    return f"{count} NHS hospital{'' if count == 1 else 's'} found"


@with_actor
@require_GET
def hospital_finder(request: HttpRequest, actor: Actor) -> HttpResponse:
    """``GET /work/hospitals/?name=&postcode=``: open NHS hospital sites by words of the name and/or the
    start of the postcode (``reference.hospitals.search_hospitals``: one query, at most
    ``HOSPITAL_RESULTS`` sites). A GOV.UK page of its own, from which a claim handler without
    JavaScript copies a site; or JSON for the finder beside each hospital of the CNF (claimsportal.js):
    ``{"hospitals": [{name, addressLine1-4, postCode}], "count", "more", "summary"}``, or status 400
    with ``{"errors": [{field, message}]}``. Read-only."""
    as_json = _wants_json(request)
    name = str(request.GET.get("name", "")).strip()
    postcode = str(request.GET.get("postcode", "")).strip()
    searched = as_json or "name" in request.GET or "postcode" in request.GET
    problems: list[tuple[str, str]] = []  # (input, message); input "" for a problem of no input
    found: list[HospitalInfo] = []
    if searched and not name and not postcode:
        problems.append(("name", NO_HOSPITAL_CRITERIA))
    elif searched:
        try:  # one more than is shown: whether there are more
            found = search_hospitals(name=name, post_code=postcode, limit=HOSPITAL_RESULTS + 1)
        except PortalError as error:
            for detail in error.details or [ErrorDetail("", error.message)]:
                problems.append((HOSPITAL_INPUTS.get(detail.field, ""), plain_text(detail.message)))
    more = len(found) > HOSPITAL_RESULTS
    hospitals = found[:HOSPITAL_RESULTS]
    summary = _hospitals_found(len(hospitals), more)
    response: HttpResponse
    if as_json and problems:
        errors = [{"field": field, "message": message} for field, message in problems]
        response = JsonResponse({"errors": errors}, status=400)
    elif as_json:
        response = JsonResponse(
            {
                "hospitals": [asdict(h) for h in hospitals],
                "count": len(hospitals),
                "more": more,
                "summary": summary,
            }
        )
    else:
        response = _hospitals_page(request, name, postcode, searched, problems, hospitals, summary)
    patch_vary_headers(response, ["Accept"])
    return response


def _hospitals_page(
    request: HttpRequest,
    name: str,
    postcode: str,
    searched: bool,
    problems: list[tuple[str, str]],
    hospitals: list[HospitalInfo],
    summary: str,
) -> HttpResponse:
    field_errors: dict[str, list[str]] = {}
    errors: list[SummaryError] = []
    for field, message in problems:
        if not field:
            errors.append(SummaryError(message, ""))
            continue
        field_errors.setdefault(field, []).append(message)
        shown = message if message == NO_HOSPITAL_CRITERIA else f"{HOSPITAL_LABELS[field]}: {message}"
        errors.append(SummaryError(shown, f"#{field}"))
    return render(
        request,
        "web/claims/hospitals.html",
        {
            "name": name,
            "postcode": postcode,
            "field_errors": field_errors,
            "errors": errors,
            "searched": searched and not errors,
            "hospitals": [
                {
                    "name": h.name,
                    "address": ", ".join(
                        line
                        for line in (h.addressLine1, h.addressLine2, h.addressLine3, h.addressLine4)
                        if line
                    ),
                    "post_code": h.postCode,
                }
                for h in hospitals
            ],
            "summary": summary,
        },
    )
