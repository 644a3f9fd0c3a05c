"""One error shape for the whole portal: ``{"code", "message", "details": [{"field", "message"}]}``.

The codes and HTTP statuses are the A2A contract (design/API.md); the web UI shows the same messages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

STATUS_BY_CODE = {
    "AUTH_INVALID": 401,
    "TOKEN_EXPIRED": 401,
    "LOGIN_AS_INVALID": 403,
    "FORBIDDEN_PROFILE": 403,
    "NOT_FOUND": 404,
    "WRONG_PHASE": 409,
    "WRONG_SIDE": 403,
    "STALE_ACTIVITY_GUID": 409,
    "CLAIM_LOCKED": 409,
    "SCHEMA_INVALID": 422,
    "BUSINESS_RULE": 422,
    "LIMIT_EXCEEDED": 422,  # a count limit; a size limit answers 413 (``limit_exceeded(too_large=True)``)
    "RATE_LIMITED": 429,
    "MAINTENANCE": 503,
}


@dataclass(frozen=True)
class ErrorDetail:
    """One problem: the field's dotted path and the API's message. ``kind`` and ``context`` are the
    validator's error type and its parameters (``missing``, ``string_pattern_mismatch`` with its
    ``pattern``, ...): never sent by the API, they let the web word the problem for a person."""

    field: str
    message: str
    kind: str = dataclasses.field(default="", compare=False)
    context: Mapping[str, Any] | None = dataclasses.field(default=None, compare=False, hash=False)


@dataclass
class PortalError(Exception):
    code: str
    message: str
    details: list[ErrorDetail] = field(default_factory=list)
    http_status: int | None = None  # when one code has two statuses (LIMIT_EXCEEDED: 413 or 422)

    def __post_init__(self) -> None:
        if self.code not in STATUS_BY_CODE:
            raise ValueError(f"unknown error code {self.code}")
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return self.http_status or STATUS_BY_CODE[self.code]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "details": [{"field": d.field, "message": d.message} for d in self.details],
        }

    def __str__(self) -> str:
        extra = "; ".join(f"{d.field}: {d.message}" if d.field else d.message for d in self.details)
        return f"{self.code}: {self.message}" + (f" ({extra})" if extra else "")


def business_rule(message: str, field_path: str = "") -> PortalError:
    return PortalError("BUSINESS_RULE", message, [ErrorDetail(field_path, message)])


def limit_exceeded(message: str, field_path: str, *, too_large: bool = False) -> PortalError:
    """An attachment limit (API.md): 413 when the request is too large (a file, the claim's total),
    422 when a count is reached."""
    return PortalError(
        "LIMIT_EXCEEDED", message, [ErrorDetail(field_path, message)], 413 if too_large else None
    )
