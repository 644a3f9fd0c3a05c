"""The A2A API (design/API.md): every portal operation over REST, under its canonical name.

Authentication: ``POST /a2a/v1/token`` (client credentials or refresh token) → bearer token; every
other call also names the acting user in ``X-Login-As``. Errors are ``{"code", "message",
"details"}`` with the statuses of API.md; a claim the acting user cannot see is 404, never 403.
Every state change goes through ``claims.services.perform`` (the one door); the API only
authenticates, parses JSON and maps errors.

This module builds the API and nothing else: the routes are in one router a module (``routes_tokens``,
``routes_claims``, ``routes_reference``, ``routes_notifications``, ``routes_operations``,
``routes_webhooks``, ``attachments``, ``documents``, ``sandbox``), the caller helpers in ``caller``, the error shape in
``errors`` and the OpenAPI document's additions in ``openapi``. No module of the package imports
this one; ``config.urls`` does.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from claimsportal.a2a import (
    attachments,
    documents,
    routes_claims,
    routes_custody,
    routes_notifications,
    routes_operations,
    routes_reference,
    routes_tokens,
    routes_webhooks,
    sandbox,
)
from claimsportal.a2a.docs_page import AccessibleDocs
from claimsportal.a2a.errors import install_error_handlers
from claimsportal.a2a.openapi import A2AApi

# Re-exported for config.urls (the fast path of a2a.dispatch).
from claimsportal.a2a.routes_operations import OPERATION_NAMES as OPERATION_NAMES

PUBLIC_PATHS = frozenset({"/token", "/changePassword", "/openapi.json", "/docs"})

api = A2AApi(
    title="Claims Portal A2A API",
    version="1.0",
    description=(
        "Every portal operation under its canonical name (WORKFLOW.md §7.3). Authenticate with "
        "POST /token, then send `Authorization: Bearer <access_token>` and `X-Login-As: <userId>`."
    ),
    urls_namespace="a2a",
    docs_url="/docs",
    docs=AccessibleDocs(),  # the document as accessible HTML, not Swagger UI (a2a/docs_page.py)
    openapi_url="/openapi.json",
)
install_error_handlers(api)

# In this order: the OpenAPI document lists the paths as they are added (as when they were one file).
for _router in (
    routes_tokens.router,
    routes_claims.router,
    routes_reference.router,
    routes_notifications.router,
    routes_operations.router,
    routes_custody.router,  # deleteClaim, the archive
    attachments.router,  # getAttachmentsList, addAttachment, getAttachment
    documents.router,  # getPrintableDocumentsList, getPrintableDocument
    routes_webhooks.router,  # webhook endpoints, their delivery logs (docs/webhooks.md)
    sandbox.router,  # the sandbox routes (404 outside sandbox mode)
):
    api.add_router("", _router)


def serve_operation(request: HttpRequest, applicationId: str, name: str) -> HttpResponse:
    """``POST /claims/{applicationId}/{name}`` answered by this API's renderer and error handlers
    without django-ninja's per-request machinery (``routes_operations.serve_operation``)."""
    return routes_operations.serve_operation(api, request, applicationId, name)
