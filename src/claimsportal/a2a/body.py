"""The one parser of the API's JSON request bodies (design/API.md, "Errors"): a body is a legal record,
so it is read strictly, I-JSON style (RFC 7493), and every refusal is the API's JSON error, never a
500 or Django's HTML page:

- at most ``max_bytes`` (Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` unless the endpoint says less):
  ``413 LIMIT_EXCEEDED``, checked on ``Content-Length`` before the body is read;
- ``Content-Type: application/json`` with no charset or ``charset=utf-8``: else ``415 SCHEMA_INVALID``;
- UTF-8 without a byte order mark (RFC 8259 §8.1): else ``422 SCHEMA_INVALID`` (UTF-16 included);
- nested at most ``MAX_DEPTH`` levels, by a scan of the brackets before the parser runs (and the
  parser's own ``RecursionError`` is caught): else ``422 SCHEMA_INVALID``;
- valid JSON, an object at the top: else ``422 SCHEMA_INVALID``;
- no duplicate key, no ``NaN``/``Infinity``/overflowing number (``1e309``), no integer beyond ±(2^53 - 1),
  no control character, bidirectional override or lone surrogate in any string or key
  (``core.text``): else ``422 SCHEMA_INVALID`` naming each field by its path.

An empty body is ``{}`` whatever its content type (operations that take nothing).
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest

from claimsportal.core import text
from claimsportal.protocols.errors import ErrorDetail, PortalError, limit_exceeded

MAX_DEPTH = 64
MAX_INTEGER = 2**53 - 1  # I-JSON: integers a double holds exactly
MAX_DETAILS = 20
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) or 2**62


def too_large(limit: int) -> PortalError:
    return limit_exceeded(f"The request body is too large: at most {limit:,} bytes", "body", too_large=True)


def raw_body(request: HttpRequest, max_bytes: int | None = None) -> bytes:
    """The request's body, at most ``max_bytes`` (else 413 ``LIMIT_EXCEEDED``)."""
    limit = max_bytes or body_limit()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_large(limit)
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large(limit) from None
    if len(body) > limit:
        raise too_large(limit)
    return body


def _schema_invalid(message: str, field: str = "body", status: int | None = None) -> PortalError:
    return PortalError("SCHEMA_INVALID", message, [ErrorDetail(field, message)], status)


def check_content_type(request: HttpRequest) -> None:
    """``application/json``, UTF-8 (a ``charset`` other than ``utf-8`` is refused): else 415."""
    media = (request.content_type or "").lower()
    charset = (request.content_params or {}).get("charset", "utf-8").strip().strip('"').lower()
    if media != "application/json":
        raise _schema_invalid(
            f"Send the body as Content-Type: application/json (not {media or 'none'})", "Content-Type", 415
        )
    if charset not in ("utf-8", "utf8"):
        raise _schema_invalid(f"The body must be UTF-8 (not {charset})", "Content-Type", 415)


def _decode(body: bytes) -> str:
    if body.startswith(_BOMS):
        raise _schema_invalid("The body is not valid JSON: UTF-8 without a byte order mark")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _schema_invalid(f"The body is not valid JSON: not UTF-8 (byte {error.start})") from None


def nesting_depth(body: bytes) -> int:
    """How deep ``body``'s arrays and objects nest (brackets inside strings are not counted)."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return 0 if not _BRACKETS.search(body) else 1  # too few brackets to go too deep
    brackets = _BRACKETS.findall(_STRINGS.sub(b'""', body))
    return max(accumulate(1 if b in (b"[", b"{") else -1 for b in brackets), default=0)


class _Object(dict[str, Any]):
    """A JSON object as parsed, with the keys it repeated."""

    duplicates: list[str]


class _NonFinite(float):
    """A number too large for a double (``1e309``), kept to be named with its path."""


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    result.duplicates = [] if len(result) == len(pairs) else _repeated(pairs)
    return result


def _repeated(pairs: list[tuple[str, Any]]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for key, _value in pairs:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    return repeated


def _float(literal: str) -> float:
    value = float(literal)
    return value if math.isfinite(value) else _NonFinite(value)


def _constant(literal: str) -> Any:
    raise ValueError(f"{literal} is not JSON")


def _problems(value: Any, path: str, found: list[ErrorDetail]) -> Any:
    """``value`` as plain dicts and lists, every problem of it appended to ``found``."""
    if len(found) >= MAX_DETAILS:
        return value
    if isinstance(value, str):
        wrong = text.problem(value)
        if wrong:
            found.append(ErrorDetail(path or "body", wrong))
        return value
    if isinstance(value, dict):
        for key in getattr(value, "duplicates", ()):
            found.append(ErrorDetail(_join(path, key), "is given more than once"))
        plain: dict[str, Any] = {}
        for key, child in value.items():
            wrong = text.problem(key)
            if wrong:
                found.append(ErrorDetail(_join(path, key), f"the field name {wrong}"))
            plain[key] = _problems(child, _join(path, key), found)
        return plain
    if isinstance(value, list):
        return [_problems(child, _join(path, index), found) for index, child in enumerate(value)]
    if isinstance(value, _NonFinite):
        found.append(ErrorDetail(path or "body", "is too large a number"))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        found.append(ErrorDetail(path or "body", f"is too large a number (at most {MAX_INTEGER})"))
    return value


def _join(path: str, name: str | int) -> str:
    return f"{path}.{name}" if path else str(name)


def parse_json(body: bytes) -> Any:
    """``body`` (UTF-8 JSON) checked as this module says; any value at the top."""
    source = _decode(body)
    if nesting_depth(body) > MAX_DEPTH:
        raise _schema_invalid(f"The body is nested more than {MAX_DEPTH} levels deep")
    try:
        value = json.loads(source, object_pairs_hook=_object, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise _schema_invalid(f"The body is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:  # JSONDecodeError; an integer of more than 4,300 digits; NaN
        raise _schema_invalid(f"The body is not valid JSON: {error}") from None
    found: list[ErrorDetail] = []
    plain = _problems(value, "", found)
    if found:
        raise PortalError("SCHEMA_INVALID", "The request body has invalid values", found[:MAX_DETAILS])
    return plain


def json_body(request: HttpRequest, max_bytes: int | None = None) -> dict[str, Any]:
    """The request's body, which must be a JSON object (none: ``{}``), read strictly (see above)."""
    body = raw_body(request, max_bytes)
    if not body:
        return {}
    check_content_type(request)
    value = parse_json(body)
    if not isinstance(value, dict):
        raise _schema_invalid("The request body must be a JSON object")
    return value
