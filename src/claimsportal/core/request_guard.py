"""Refuse a URL whose path or query string holds a control character (NUL above all: PostgreSQL
cannot store or compare it) before any view runs (``core.text``'s rule).

On the API (``/a2a/``) the answer is the API's JSON error, ``422 SCHEMA_INVALID`` naming the query
parameter or ``path``; on the web it is a 400 page that says, in words, what is wrong with the address.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from claimsportal.core import text

API_PREFIX = "/a2a/"


def url_problems(request: HttpRequest) -> list[tuple[str, str]]:
    """``(parameter, message)`` for the path and each query parameter (name or value) that breaks the rule."""
    found: list[tuple[str, str]] = []
    wrong = text.problem(request.path_info)
    if wrong:
        found.append(("path", wrong))
    for name, values in request.GET.lists():
        for value in (name, *values):
            wrong = text.problem(value)
            if wrong:
                found.append((name if text.problem(name) is None else "query", wrong))
                break
    return found


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = url_problems(request)
        if not found:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            answer = {
                "code": "SCHEMA_INVALID",
                "message": "The address must not contain control characters (such as NUL)",
                "details": [{"field": field, "message": message} for field, message in found],
            }
            return HttpResponse(json.dumps(answer), status=422, content_type="application/json")
        page = render_to_string("400.html", {"problems": found}, request=request)
        return HttpResponse(page, status=400)
