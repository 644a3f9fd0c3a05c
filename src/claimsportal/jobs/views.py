"""``GET /healthz/jobs``: for the monitoring, like ``/healthz`` (no sign-in): 200 when every job is
within its lag budget, 503 otherwise. Names, schedules, last runs and lags only: the figures and
error texts are for the operator (``claimsportal jobs``)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from claimsportal.jobs.health import report
from claimsportal.jobs.portal_jobs import PORTAL_JOBS


def healthz_jobs(request: HttpRequest) -> JsonResponse:
    answer = report(PORTAL_JOBS, details=False)
    return JsonResponse(answer, status=200 if answer["healthy"] else 503)
