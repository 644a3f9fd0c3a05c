"""Sandbox endpoints (API.md): move the clock and run the timers. They answer 404 outside sandbox
mode (``CLAIMSPORTAL_SANDBOX=1``) and are only documented in a sandbox deployment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from claimsportal.a2a.caller import caller, json_object
from claimsportal.a2a.schemas import ERROR_RESPONSES
from claimsportal.core import clock
from claimsportal.core.sandbox import move_clock, sandbox_enabled
from claimsportal.protocols.errors import ErrorDetail, PortalError

router = Router()


class ClockOut(Schema):
    now: str


class TimersOut(Schema):
    now: str
    timedOut: int


def _sandbox_only() -> None:
    if not sandbox_enabled():
        raise PortalError("NOT_FOUND", "No such path", [ErrorDetail("path", "sandbox mode only")])


@router.post(
    "/sandbox/clock",
    response={200: ClockOut, **ERROR_RESPONSES},
    operation_id="sandboxClock",
    summary='Move the sandbox clock: {"advanceBusinessDays": n} or {"now": "<ISO instant>"}',
    tags=["sandbox"],
    include_in_schema=sandbox_enabled(),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "advanceBusinessDays": {"type": "integer", "minimum": 1, "maximum": 400},
                            "now": {"type": "string", "format": "date-time"},
                        },
                    },
                    "example": {"advanceBusinessDays": 15},
                }
            },
        }
    },
)
def sandbox_clock(request: HttpRequest) -> dict[str, Any]:
    _sandbox_only()
    caller(request)
    body = json_object(request)
    days = body.get("advanceBusinessDays")
    raw_now = body.get("now")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        raise PortalError(
            "SCHEMA_INVALID",
            "advanceBusinessDays must be an integer",
            [ErrorDetail("advanceBusinessDays", "integer")],
        )
    target = None
    if raw_now is not None:
        try:
            target = datetime.fromisoformat(str(raw_now))
        except ValueError:
            raise PortalError(
                "SCHEMA_INVALID", "now must be an ISO 8601 instant", [ErrorDetail("now", "ISO 8601 instant")]
            ) from None
    return {"now": move_clock(advance_business_days=days, now=target).isoformat()}


@router.post(
    "/sandbox/runTimers",
    response={200: TimersOut, **ERROR_RESPONSES},
    operation_id="sandboxRunTimers",
    summary="Apply every timeout due at the sandbox clock's now",
    tags=["sandbox"],
    include_in_schema=sandbox_enabled(),
)
def sandbox_run_timers(request: HttpRequest) -> dict[str, Any]:
    _sandbox_only()
    caller(request)
    from claimsportal.jobs.portal_jobs import run_sandbox_timers  # the worker's registry, business-clock jobs

    timed_out = run_sandbox_timers()
    return {"now": clock.now().isoformat(), "timedOut": timed_out}
