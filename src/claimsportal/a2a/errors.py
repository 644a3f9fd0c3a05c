"""The API's one error shape (design/API.md): ``{"code", "message", "details"}`` with the status of
the ``PortalError``, for the portal's refusals and for requests that do not match an operation's
schema. :func:`install_error_handlers` puts them on the API (``a2a.api``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from claimsportal.protocols.errors import ErrorDetail, PortalError


def error_response(api: NinjaAPI, request: HttpRequest, error: PortalError) -> HttpResponse:
    response = api.create_response(request, error.as_dict(), status=error.status)
    if error.code == "RATE_LIMITED":
        response["Retry-After"] = str(getattr(error, "retry_after", 1))
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="a2a"'
    return response


def validation_error(error: NinjaValidationError) -> PortalError:
    """django-ninja's validation error (a query, path or body parameter) as the portal's SCHEMA_INVALID."""
    details = []
    for item in error.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("query", "path", "body", "header")]
        details.append(ErrorDetail(".".join(loc) or "request", str(item.get("msg", "is not valid"))))
    return PortalError("SCHEMA_INVALID", "The request does not match the operation's schema", details)


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer a ``PortalError`` and django-ninja's validation errors in the one error shape."""

    @api.exception_handler(PortalError)
    def _portal_error(request: HttpRequest, error: PortalError) -> HttpResponse:
        return error_response(api, request, error)

    @api.exception_handler(NinjaValidationError)
    def _validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
        return error_response(api, request, validation_error(error))
