"""Scheduled maintenance (ADMINISTRATION.md §8.3): the operator schedules a window (real time: start,
end, message, web and/or A2A).

- Before it: announced automatically (a banner on every page from :data:`ANNOUNCE_BEFORE` ahead, and on
  the sign-in page).
- During it: :class:`MaintenanceMiddleware` answers the A2A API with ``503 MAINTENANCE`` (the API's JSON
  error, ``Retry-After`` in seconds and the window's end in ``details``), and the web with a plain
  maintenance page (503), except the sign-in pages and, for the operator's staff, the console. The
  health checks always answer.
- Time limits are not extended by a window (§8.1: outages do not extend Protocol deadlines): the timer
  worker keeps running, so a claim times out during a window exactly when it would have otherwise.

The current window is read once per :data:`CACHE_SECONDS` per process (one indexed query), and at once
after this process schedules or cancels one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations.models import User
from claimsportal.organisations.operator import check_operator
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing.models import MaintenanceWindow

log = structlog.get_logger(__name__)
ANNOUNCE_BEFORE = timedelta(days=14)
CACHE_SECONDS = 10.0
MESSAGE_LENGTH = 500
API_PREFIX = "/a2a/"
# Always answered: the health checks, the static files, signing in and out (the operator signs in
# during a window) and the account steps of a sign-in.
ALWAYS_OPEN = ("/healthz", "/static/", "/login/", "/logout/", "/account/")
CONSOLE_PREFIX = "/console/"


@dataclass(frozen=True)
class Window:
    pk: int
    starts_at: datetime
    ends_at: datetime
    message: str
    web: bool
    a2a: bool

    @property
    def ends_text(self) -> str:
        return f"{self.ends_at.astimezone(LONDON):%A %-d %B %Y at %H:%M}"

    @property
    def starts_text(self) -> str:
        return f"{self.starts_at.astimezone(LONDON):%A %-d %B %Y at %H:%M}"


def _window(row: MaintenanceWindow) -> Window:
    return Window(row.pk, row.starts_at, row.ends_at, row.message, row.web, row.a2a)


def schedule(
    *, starts_at: datetime, ends_at: datetime, message: str, web: bool, a2a: bool, by: User
) -> MaintenanceWindow:
    check_operator(by)
    now = clock.real_now()
    message = message.strip()
    problems = []
    if ends_at <= starts_at:
        problems.append(ErrorDetail("endsAt", "The end must be after the start"))
    if ends_at <= now:
        problems.append(ErrorDetail("endsAt", "The end must be in the future"))
    if not (web or a2a):
        problems.append(ErrorDetail("scope", "Choose the web, the A2A API or both"))
    if not message:
        problems.append(ErrorDetail("message", "Enter the message users will see"))
    elif len(message) > MESSAGE_LENGTH:
        problems.append(ErrorDetail("message", f"The message must be {MESSAGE_LENGTH} characters or fewer"))
    if problems:
        raise PortalError("BUSINESS_RULE", "The maintenance window cannot be scheduled", problems)
    with transaction.atomic():
        window = MaintenanceWindow.objects.create(
            starts_at=starts_at,
            ends_at=ends_at,
            message=message,
            web=web,
            a2a=a2a,
            created_at=now,
            created_by=by,
        )
        audit(
            by,
            "maintenance.scheduled",
            str(window.pk),
            startsAt=starts_at.isoformat(),
            endsAt=ends_at.isoformat(),
            web=web,
            a2a=a2a,
        )
    invalidate()
    return window


def cancel(window: MaintenanceWindow, *, by: User) -> None:
    check_operator(by)
    with transaction.atomic():
        window.cancelled_at = clock.real_now()
        window.save(update_fields=["cancelled_at"])
        audit(by, "maintenance.cancelled", str(window.pk))
    invalidate()


def upcoming_and_current(now: datetime | None = None) -> list[Window]:
    """Windows not cancelled that have not ended and start within :data:`ANNOUNCE_BEFORE`."""
    now = now or clock.real_now()
    rows = MaintenanceWindow.objects.filter(
        cancelled_at__isnull=True, ends_at__gt=now, starts_at__lte=now + ANNOUNCE_BEFORE
    ).order_by("starts_at")
    return [_window(row) for row in rows]


_cache: dict[str, tuple[float, list[Window]]] = {}


def invalidate() -> None:
    _cache.clear()


def _near_windows(now: datetime) -> list[Window]:
    """The windows that could be current in the next :data:`CACHE_SECONDS` (cached per process)."""
    cached = _cache.get("near")
    stamp = now.timestamp()
    if cached is not None and stamp - cached[0] < CACHE_SECONDS and stamp >= cached[0]:
        return cached[1]
    horizon = now + timedelta(seconds=CACHE_SECONDS)
    try:
        rows = MaintenanceWindow.objects.filter(
            cancelled_at__isnull=True, ends_at__gt=now, starts_at__lte=horizon
        )
        windows = [_window(row) for row in rows]
    except Exception:  # the database unreachable: no window known; the view answers as it can
        log.warning("maintenance_windows_unreadable")
        return []
    _cache["near"] = (stamp, windows)
    return windows


def current(now: datetime | None = None) -> Window | None:
    now = now or clock.real_now()
    for window in _near_windows(now):
        if window.starts_at <= now < window.ends_at:
            return window
    return None


def retry_after(window: Window, now: datetime) -> int:
    return max(1, math.ceil((window.ends_at - now).total_seconds()))


def api_answer(window: Window, now: datetime) -> HttpResponse:
    body = {
        "code": "MAINTENANCE",
        "message": f"The A2A API is unavailable for scheduled maintenance until {window.ends_at.isoformat()}",
        "details": [{"field": "endsAt", "message": window.ends_at.isoformat()}],
    }
    response = HttpResponse(json.dumps(body), status=503, content_type="application/json")
    response["Retry-After"] = str(retry_after(window, now))
    return response


def web_answer(request: HttpRequest, window: Window, now: datetime) -> HttpResponse:
    page = render_to_string("publishing/maintenance.html", {"window": window}, request=request)
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(retry_after(window, now))
    return response


class MaintenanceMiddleware:
    """During a window: the API's ``503 MAINTENANCE``, the web's maintenance page; the sign-in pages,
    the health checks and (for the operator's staff) the console stay open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        now = clock.real_now()
        window = current(now)
        if window is None:
            return self.get_response(request)
        if path.startswith(API_PREFIX):
            return api_answer(window, now) if window.a2a else self.get_response(request)
        if not window.web:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if path.startswith(CONSOLE_PREFIX) and getattr(user, "is_operator", False):
            return self.get_response(request)
        return web_answer(request, window, now)
