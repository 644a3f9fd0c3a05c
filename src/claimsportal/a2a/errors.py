"""The API's one error shape (design/API.md): ``{"code", "message", "details"}`` with the status of
the ``PortalError``, for the portal's refusals and for requests that do not match an operation's
schema. :func:`install_error_handlers` puts them on the API (``a2a.api``), with a JSON answer for
everything else a view may raise: a body over Django's size limit (413 ``LIMIT_EXCEEDED``), Django's
``Http404`` (404 ``NOT_FOUND``) and any unexpected exception (500 ``INTERNAL_ERROR``, logged with its
traceback): never Django's HTML pages on the API."""

from __future__ import annotations

import structlog
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from claimsportal.a2a.body import body_limit, too_large
from claimsportal.protocols.errors import ErrorDetail, PortalError

log = structlog.get_logger(__name__)

INTERNAL_ERROR = {
    "code": "INTERNAL_ERROR",
    "message": "The portal could not answer this request; nothing was changed. Try again later.",
    "details": [],
}
_HTTP_ERROR_CODES = {401: "AUTH_INVALID", 403: "FORBIDDEN_PROFILE", 404: "NOT_FOUND", 429: "RATE_LIMITED"}


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

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, error: SuspiciousOperation) -> HttpResponse:
        if isinstance(error, RequestDataTooBig | TooManyFieldsSent):
            return error_response(api, request, too_large(body_limit()))
        refused = PortalError(
            "SCHEMA_INVALID", "The request is malformed", [ErrorDetail("request", str(error))]
        )
        refused.http_status = 400
        return error_response(api, request, refused)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return error_response(api, request, PortalError("NOT_FOUND", "Not found"))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        code = _HTTP_ERROR_CODES.get(error.status_code, "SCHEMA_INVALID" if error.status_code < 500 else "")
        answer = {"code": code or "INTERNAL_ERROR", "message": str(error), "details": []}
        return api.create_response(request, answer, status=error.status_code)

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
        # Every change is one transaction (claims.services, the ledger): it has rolled back.
        log.error("a2a_unexpected_error", exc_info=error, path=request.path, method=request.method)
        return api.create_response(request, dict(INTERNAL_ERROR), status=500)
