"""The service report's measurements, taken by the product itself (real time), anonymous.

- Response times: :class:`ServiceTimingMiddleware` counts, per process and per minute, the requests
  served, the server errors, their total and slowest time and how many took over a second; the minute
  is written as one :class:`ServiceSample` row when the process serves its first request of a later
  minute (one insert per process per busy minute, none on a quiet one; the request itself never waits
  on a shared row).
- Availability: the ``service-probe`` job (every minute) checks that the database answers and writes
  one probe row; a minute without a successful probe (worker or database down) is unavailable.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog
from django.db import connection
from django.http import HttpRequest, HttpResponse

from claimsportal.core import clock
from claimsportal.publishing.models import ServiceSample

log = structlog.get_logger(__name__)
NOT_TIMED = ("/static/", "/healthz")


def minute_of(instant: datetime) -> datetime:
    return instant.replace(second=0, microsecond=0)


@dataclass
class Minute:
    minute: datetime
    requests: int = 0
    server_errors: int = 0
    total_ms: int = 0
    slowest_ms: int = 0
    over_second: int = 0

    def add(self, elapsed_ms: int, status: int) -> None:
        self.requests += 1
        self.total_ms += elapsed_ms
        self.slowest_ms = max(self.slowest_ms, elapsed_ms)
        self.over_second += elapsed_ms > 1000
        self.server_errors += status >= 500

    def row(self) -> ServiceSample:
        return ServiceSample(
            minute=self.minute,
            probe_ok=None,
            requests=self.requests,
            server_errors=self.server_errors,
            total_ms=self.total_ms,
            slowest_ms=self.slowest_ms,
            over_second=self.over_second,
        )


class Recorder:
    """This process's current minute; a finished minute is handed back to be written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._minute: Minute | None = None

    def add(self, at: datetime, elapsed_ms: int, status: int) -> Minute | None:
        minute = minute_of(at)
        with self._lock:
            done = None
            if self._minute is not None and self._minute.minute != minute:
                done, self._minute = self._minute, None
            if self._minute is None:
                self._minute = Minute(minute)
            self._minute.add(elapsed_ms, status)
            return done

    def flush(self) -> Minute | None:
        with self._lock:
            done, self._minute = self._minute, None
            return done


RECORDER = Recorder()


def write(minute: Minute) -> None:
    try:
        minute.row().save()
    except Exception:  # a measurement must never fail a request
        log.warning("service_sample_not_written", minute=minute.minute.isoformat())


class ServiceTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(NOT_TIMED):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = int((time.perf_counter() - started) * 1000)
        done = RECORDER.add(clock.real_now(), elapsed_ms, response.status_code)
        if done is not None:
            write(done)
        return response


def probe(now: datetime | None = None) -> bool:
    """The availability probe: the database answers; one probe row for this minute."""
    at = minute_of(now or clock.real_now())
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            ok = bool(cursor.fetchone() == (1,))
        ServiceSample.objects.create(minute=at, probe_ok=ok)
    except Exception:
        log.warning("service_probe_failed", minute=at.isoformat())
        return False
    return ok
