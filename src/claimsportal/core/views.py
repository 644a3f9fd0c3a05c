from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from claimsportal.core import clock


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: the database answers and the clock reads."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse(
        {"status": "ok", "now": clock.now().isoformat(), "realNow": clock.real_now().isoformat()}
    )
