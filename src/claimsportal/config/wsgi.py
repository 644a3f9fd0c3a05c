"""The WSGI application: the A2A API on a lean middleware stack, everything else on the full one.

A case-management system's call to ``/a2a/`` authenticates with a bearer token: it has no session, no
CSRF token, no flash messages, no web section, and static files are never under ``/a2a/``. Running
those middleware for it cost about a tenth of a small read's CPU (0.6 of 6.2 ms per ``GET
…/status`` in process), so the API's requests go to a second Django handler whose chain leaves them
out (``API_SKIPPED``). What protects or marks an API answer stays, in the same order: security
headers and the HTTPS redirect, the CSP, ``Cache-Control: no-store``, ``CommonMiddleware`` (host
check, slash redirects), the request guard (control characters), ``X-Frame-Options``. Every API view is CSRF-exempt (bearer tokens;
``tests/config/test_wsgi.py`` checks it), so the CSRF middleware had nothing to do there. The API's
documentation page (``/a2a/v1/docs``, an HTML page for people) and the OpenAPI document keep the full
stack.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsportal.config.settings")

API_PREFIX = "/a2a/"
FULL_STACK_UNDER_API = ("/a2a/v1/docs", "/a2a/v1/openapi.json")
API_SKIPPED = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "claimsportal.web.account.sections.SectionMiddleware",
    }
)


def api_middleware() -> list[str]:
    """``settings.MIDDLEWARE`` less what an API request does not use, in the same order."""
    return [path for path in settings.MIDDLEWARE if path not in API_SKIPPED]


class ApiMiddleware(BaseHandler):
    """A Django handler whose middleware chain is ``api_middleware()`` (mixed into a handler class)."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from settings.MIDDLEWARE; it is read once, here, at start-up.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = api_middleware()
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class ApiHandler(ApiMiddleware, WSGIHandler):
    """Django's WSGI handler with the API's middleware chain."""


StartResponse = Callable[..., Any]


class PortalApplication:
    """Routes ``/a2a/`` (but its docs page) to the API's handler and every other path to the full one."""

    def __init__(self) -> None:
        self.full = get_wsgi_application()  # django.setup() first
        self.api = ApiHandler()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        if path.startswith(API_PREFIX) and not path.startswith(FULL_STACK_UNDER_API):
            return self.api(environ, start_response)
        return self.full(environ, start_response)


application = PortalApplication()
