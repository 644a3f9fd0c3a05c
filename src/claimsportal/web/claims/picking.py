"""The pickers' search as you type (web/pickers.py): ``GET /work/pick/<kind>/``, JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from claimsportal.claims.acting import Actor
from claimsportal.protocols.errors import PortalError
from claimsportal.web.claims.acting import with_actor
from claimsportal.web.pickers import KINDS, QUERY_LENGTH, TOO_LONG, options_json, source_for


@with_actor
@require_GET
@never_cache
def picker_options(request: HttpRequest, actor: Actor, kind: str) -> HttpResponse:
    """``GET /work/pick/<kind>/?q=…`` (and the page's ``claim``, ``purpose``, ``source``): the first
    ``PICK_LIMIT`` matches the signed-in user may choose, as
    ``{"options": [{value, label, hint}], "more", "summary"}``; status 400 with
    ``{"errors": [{field, message}]}`` for a search text too long; 403 for a list the user may not
    have; 404 for an unknown list or a claim the user cannot see."""
    if kind not in KINDS:
        raise Http404("No such list")
    text = str(request.GET.get("q", ""))
    if len(text) > QUERY_LENGTH:
        return JsonResponse({"errors": [{"field": "q", "message": TOO_LONG}]}, status=400)
    params = {key: str(request.GET.get(key, "")) for key in ("claim", "purpose", "source")}
    try:
        source = source_for(actor, kind, params)
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise Http404(error.message) from None
        return JsonResponse({"errors": [{"field": "", "message": error.message}]}, status=403)
    return options_json(source, text)
