"""``Cache-Control: no-store`` on every response Django renders (issue 17, RFC 6749 §5.1).

Signed-in pages, the administration console, every A2A read and write and the two credential
endpoints (``POST /a2a/v1/token``, ``POST /a2a/v1/changePassword``) carry personal data, claims or
secrets: no browser, proxy or case-management system's HTTP cache may keep them. One middleware,
placed just inside WhiteNoise, marks them all, so no view can forget: it sees every response of a
view, of the A2A fast path (``a2a.dispatch`` is an ordinary URL pattern, so the middleware runs for
it) and of the middleware inside it (section redirects, CSRF refusals, error pages).

The public pages rendered by Django (``/login/``, the registration pages, ``/healthz``,
``/a2a/v1/openapi.json``, ``/a2a/v1/docs``) are marked too: they are cheap to render, the sign-in
and registration forms carry a CSRF token, the health checks must never be answered from a cache and
the OpenAPI document's examples follow the business clock. What may be cached is the static assets,
which WhiteNoise serves (with its own long-lived headers) before a request reaches this middleware.
See docs/decisions.md, "No-store on every rendered response".

A directive the view set is kept (``never_cache``'s ``private, must-revalidate`` …); ``no-store`` is
added to it, and ``Pragma: no-cache`` for HTTP/1.0 caches (RFC 6749 §5.1 asks for both on a token).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Adds ``Cache-Control: no-store`` and ``Pragma: no-cache`` to every response it sees."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        mark_no_store(response)
        return response


def mark_no_store(response: HttpResponseBase) -> None:
    """``no-store`` in the response's ``Cache-Control`` (kept with the view's other directives)."""
    if "no-store" not in response.get("Cache-Control", ""):
        patch_cache_control(response, no_store=True)
    if not response.has_header("Pragma"):
        response["Pragma"] = "no-cache"
