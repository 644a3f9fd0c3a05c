"""One URL pattern for every claim operation path, so a request finds its view in one regex match.

django-ninja gives each documented path its own URL pattern, and Django tries patterns in order:
a ``POST /a2a/v1/claims/{id}/sendLiabilityDecision`` was compared with some 60 patterns before it
matched (about a tenth of the request's CPU in ``python -m bench api``). This pattern, placed before
the API's own, matches every ``claims/{applicationId}/{name}`` path the API documents with one
regular expression (an alternation of the names) and calls the very view ninja built for that path:
the same authentication, validation, errors and method checks (a GET on an operation path still
gets ninja's 405). A name the API does not document does not match here, and falls through to the
API's patterns and its 404 exactly as before.

A ``POST`` to an operation goes straight to ``direct`` (``a2a.api.serve_operation``), which runs the
same code as ninja's view without ninja's per-request parsing and response validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

CLAIM_PATH_PREFIX = "claims/<applicationId>/"


def claim_path_views(api: NinjaAPI) -> dict[str, Callable[..., HttpResponse]]:
    """The API's views for ``claims/{applicationId}/{name}``, by name (operations, status, history)."""
    patterns, _app_name, _namespace = api.urls
    views: dict[str, Callable[..., HttpResponse]] = {}
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLPattern) and route.startswith(CLAIM_PATH_PREFIX):
            name = route.removeprefix(CLAIM_PATH_PREFIX)
            if "/" not in name and "<" not in name:
                views[name] = pattern.callback
    return views


def claim_path_pattern(
    api: NinjaAPI,
    prefix: str,
    direct: Callable[[HttpRequest, str, str], HttpResponse],
    direct_names: Collection[str],
) -> URLPattern:
    """A pattern for ``{prefix}claims/{applicationId}/{name}`` dispatching to the API's own view, or
    for a ``POST`` to one of ``direct_names`` to ``direct(request, applicationId, name)``."""
    views = claim_path_views(api)
    names = "|".join(re.escape(name) for name in sorted(views, key=len, reverse=True))
    posts = frozenset(direct_names) & views.keys()

    @csrf_exempt  # the API authenticates with bearer tokens; ninja's own views are exempt too
    def claim_path(request: HttpRequest, applicationId: str, name: str) -> HttpResponse:
        if request.method == "POST" and name in posts:
            return direct(request, applicationId, name)
        return views[name](request, applicationId=applicationId)

    regex = rf"^{re.escape(prefix)}claims/(?P<applicationId>[^/]+)/(?P<name>{names})$"
    return re_path(regex, claim_path, name="a2a-claim-path")
