"""The A2A API (design/API.md): every portal operation over REST, under its canonical name.

Authentication: ``POST /a2a/v1/token`` (client credentials or refresh token) → bearer token; every
other call also names the acting user in ``X-Login-As``. Errors are ``{"code", "message",
"details"}`` with the statuses of API.md; a claim the acting user cannot see is 404, never 403.
Every state change goes through ``claims.services.perform`` (the one door); the API only
authenticates, parses JSON and maps errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.params.functions import Query

from claimsportal.a2a import auth, guessing
from claimsportal.a2a.idempotency import run_idempotently
from claimsportal.a2a.ratelimit import check_rate
from claimsportal.a2a.schemas import (
    COMPONENTS,
    ERROR_RESPONSES,
    PAYLOAD_MODELS,
    BranchOut,
    ClaimInfoOut,
    ClaimOut,
    ClaimPageOut,
    ClaimStatusOut,
    ClearedOut,
    ErrorOut,
    HistoryEventOut,
    HospitalOut,
    InsurerInfoOut,
    NotificationPageOut,
    OrganisationInfoOut,
    PasswordChangedOut,
    ProcessVersionOut,
    TokenOut,
    UserInfoOut,
    request_body,
    request_examples,
)
from claimsportal.claims import selectors
from claimsportal.claims.acting import Actor
from claimsportal.claims.services import PROCESS_VERSION, perform
from claimsportal.core import clock
from claimsportal.notifications import services as notification_services
from claimsportal.organisations.directory import search_compensators, search_insurer_index
from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.tables import DEFINITIONS
from claimsportal.protocols.types import ClaimType
from claimsportal.reference.hospitals import MAX_LIMIT as HOSPITALS_MAX_LIMIT
from claimsportal.reference.hospitals import search_hospitals

log = structlog.get_logger(__name__)

PUBLIC_PATHS = frozenset({"/token", "/changePassword", "/openapi.json", "/docs"})
LOGIN_AS_PARAMETER = {
    "name": "X-Login-As",
    "in": "header",
    "required": True,
    "description": "The user ID of the portal user on whose behalf the call is made (same organisation "
    "as the client; enabled, active, in date).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 50},
}
IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Repeat a POST safely: a repeat with the same key and body returns the first answer "
    "and changes nothing; the same key with another body is refused.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 128},
}


class A2AApi(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {}).update(COMPONENTS)
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "access_token from POST /token"}
        }
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if body is not None and operation.get("operationId") in PAYLOAD_MODELS:
                    name = operation["operationId"]
                    body["examples"] = request_examples(name, with_guid=name != "addClaim")
                if path.endswith(("/token", "/changePassword")):
                    operation["security"] = []
                    continue
                operation["security"] = [{"bearer": []}]
                parameters = operation.setdefault("parameters", [])
                parameters.append(dict(LOGIN_AS_PARAMETER))
                if method == "post":
                    parameters.append(dict(IDEMPOTENCY_PARAMETER))
        return schema


api = A2AApi(
    title="Claims Portal A2A API",
    version="1.0",
    description=(
        "Every portal operation under its canonical name (WORKFLOW.md §7.3). Authenticate with "
        "POST /token, then send `Authorization: Bearer <access_token>` and `X-Login-As: <userId>`."
    ),
    urls_namespace="a2a",
    docs_url="/docs",
    docs_decorator=csp_override(settings.DOCS_CSP),
    openapi_url="/openapi.json",
)


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------


def error_response(request: HttpRequest, error: PortalError) -> HttpResponse:
    response = api.create_response(request, error.as_dict(), status=error.status)
    if error.code == "RATE_LIMITED":
        response["Retry-After"] = str(getattr(error, "retry_after", 1))
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="a2a"'
    return response


@api.exception_handler(PortalError)
def _portal_error(request: HttpRequest, error: PortalError) -> HttpResponse:
    return error_response(request, error)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    details = []
    for item in error.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("query", "path", "body", "header")]
        details.append(ErrorDetail(".".join(loc) or "request", str(item.get("msg", "is not valid"))))
    return error_response(
        request, PortalError("SCHEMA_INVALID", "The request does not match the operation's schema", details)
    )


# --------------------------------------------------------------------------------------------------
# Who is calling
# --------------------------------------------------------------------------------------------------


def _client(request: HttpRequest) -> auth.ClientContext:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PortalError(
            "AUTH_INVALID",
            "Send Authorization: Bearer <access_token> (from POST /a2a/v1/token)",
            [ErrorDetail("Authorization", "missing or not a bearer token")],
        )
    client = auth.client_for_access_token(token.strip())
    check_rate(client.client_pk)
    return client


def _caller(request: HttpRequest) -> tuple[auth.ClientContext, Actor]:
    client = _client(request)
    return client, auth.acting_user(client, request.headers.get("X-Login-As"))


def _claims_caller(request: HttpRequest) -> tuple[auth.ClientContext, Actor]:
    """A caller who may work on claims: the acting user holds a claims profile."""
    client, actor = _caller(request)
    if not actor.scope.rules:
        raise PortalError(
            "FORBIDDEN_PROFILE",
            "The acting user has no claims profile (claim handler, team leader, branch claim handler or "
            "dispatcher)",
            [ErrorDetail("X-Login-As", "no claims profile")],
        )
    return client, actor


def _json_object(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise PortalError(
            "SCHEMA_INVALID",
            "The request body must be a JSON object",
            [ErrorDetail("body", "not a JSON object")],
        )
    return body


# --------------------------------------------------------------------------------------------------
# Authentication
# --------------------------------------------------------------------------------------------------


def _guarded[T](request: HttpRequest, client_id: str, field: str, attempt: Callable[[], T]) -> T:
    """``attempt`` a client's secret unless too many wrong ones came for it (``a2a.guessing``)."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    guessing.check_allowed(client_id, address, field)
    try:
        result = attempt()
    except auth.WrongCredentials:
        guessing.record_failure(client_id, address)
        raise
    guessing.clear(client_id, address)
    return result


@api.post(
    "/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="getToken",
    summary="Get or refresh a token (client credentials or refresh token)",
    tags=["authentication"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["client_credentials", "refresh_token"]},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"},
                            "refresh_token": {"type": "string"},
                        },
                        "required": ["grant_type"],
                    },
                    "examples": {
                        "client_credentials": {
                            "value": {
                                "grant_type": "client_credentials",
                                "client_id": "demo-comp-a2a",
                                "client_secret": "demo-comp-a2a-secret-change-me",
                            }
                        }
                    },
                },
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"grant_type": {"type": "string"}}}
                },
            },
        }
    },
)
def token(request: HttpRequest) -> dict[str, object]:
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form: dict[str, Any] = request.POST.dict()
    else:
        form = _json_object(request)
    grant = form.get("grant_type")
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    if grant == "client_credentials":
        client_id, secret = values.get("client_id", ""), values.get("client_secret", "")
        pair = _guarded(
            request, client_id, "client_secret", lambda: auth.token_for_client_credentials(client_id, secret)
        )
    elif grant == "refresh_token":
        pair = auth.token_for_refresh_token(values.get("refresh_token", ""))
    else:
        raise PortalError(
            "SCHEMA_INVALID",
            "grant_type must be client_credentials or refresh_token",
            [ErrorDetail("grant_type", "must be client_credentials or refresh_token")],
        )
    return pair.as_dict()


@api.post(
    "/changePassword",
    response={200: PasswordChangedOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="changePassword",
    summary="Change the client's own secret (its A2A password), which expires every 90 days",
    description=(
        "Authenticated by the current secret (an expired one too), not by a token. The new secret "
        "must meet the portal's password rules: at least 12 characters with a special character, a "
        'digit, upper- and lower-case letters; no "password" or an abbreviation of it; not the '
        "client ID or organisation ID; not the current or previous secret. The old secret stops "
        "working at once and every token of the client is revoked: ask for a new token with the new "
        "secret."
    ),
    tags=["authentication"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "client_id": {"type": "string"},
                            "oldPassword": {"type": "string"},
                            "newPassword": {"type": "string"},
                        },
                        "required": ["client_id", "oldPassword", "newPassword"],
                    },
                    "example": {
                        "client_id": "demo-comp-a2a",
                        "oldPassword": "demo-comp-a2a-secret-change-me",
                        "newPassword": "Correct-Horse-Battery-2026",
                    },
                }
            },
        }
    },
)
def change_password(request: HttpRequest) -> dict[str, object]:
    body = _json_object(request)
    values = {k: v if isinstance(v, str) else "" for k, v in body.items()}
    missing = [name for name in ("client_id", "oldPassword", "newPassword") if not values.get(name)]
    if missing:
        raise PortalError(
            "SCHEMA_INVALID",
            "client_id, oldPassword and newPassword are required",
            [ErrorDetail(name, "required") for name in missing],
        )
    _guarded(
        request,
        values["client_id"],
        "oldPassword",
        lambda: auth.change_secret(values["client_id"], values["oldPassword"], values["newPassword"]),
    )
    return {"changed": True, "message": "Password changed: ask for a token with the new one"}


# --------------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------------

READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@api.get(
    "/claims",
    response={200: ClaimPageOut, **READ_ERRORS},
    operation_id="getClaimsList",
    summary="The acting user's worklist: claims awaiting their organisation",
    tags=["claims"],
)
def get_claims_list(
    request: HttpRequest, cursor: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    _client, actor = _claims_caller(request)
    page = selectors.worklist(actor, cursor=cursor, limit=limit)
    return {"claims": [selectors.list_row(c) for c in page.claims], "nextCursor": page.next_cursor}


@api.get(
    "/claims/search",
    response={200: ClaimPageOut, **READ_ERRORS},
    operation_id="searchClaims",
    summary="Search the claims the acting user can see (searchClaimCriteria)",
    tags=["claims"],
)
def search_claims(
    request: HttpRequest,
    applicationId: str | None = None,
    branchPath: str | None = None,
    CMReferenceNumber: str | None = None,
    CRReferenceNumber: str | None = None,
    claimantSurname: str | None = None,
    claimType: str | None = None,
    phaseCacheId: str | None = None,
    dispatchDateFrom: date | None = None,
    dispatchDateTo: date | None = None,
    sentDateFrom: date | None = None,
    sentDateTo: date | None = None,
    startDateFrom: date | None = None,
    startDateTo: date | None = None,
    sortField: str = "ApplicationId",
    sortOrder: str = "Asc",
    cursor: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    _client, actor = _claims_caller(request)
    criteria = selectors.SearchCriteria(
        applicationId=applicationId,
        branchPath=branchPath,
        CMReferenceNumber=CMReferenceNumber,
        CRReferenceNumber=CRReferenceNumber,
        claimantSurname=claimantSurname,
        claimType=claimType,
        phaseCacheId=phaseCacheId,
        dispatchDateFrom=dispatchDateFrom,
        dispatchDateTo=dispatchDateTo,
        sentDateFrom=sentDateFrom,
        sentDateTo=sentDateTo,
        startDateFrom=startDateFrom,
        startDateTo=startDateTo,
        sortField=sortField,
        sortOrder=sortOrder,
    )
    page = selectors.search(actor, criteria, cursor=cursor, limit=limit)
    return {"claims": [selectors.list_row(c) for c in page.claims], "nextCursor": page.next_cursor}


@api.get(
    "/claims/{applicationId}",
    response={200: ClaimOut, **READ_ERRORS},
    operation_id="getClaim",
    summary="The whole claim, with every submitted form and the acting user's allowedOperations",
    tags=["claims"],
)
def get_claim(request: HttpRequest, applicationId: str) -> dict[str, Any]:
    _client, actor = _claims_caller(request)
    claim = selectors.get_visible_claim(actor, applicationId, with_counts=True)
    return selectors.claim_detail(actor, claim, clock.today())


@api.get(
    "/claims/{applicationId}/status",
    response={200: ClaimStatusOut, **READ_ERRORS},
    operation_id="getClaimsStatus",
    summary="The claim's current phase and activityEngineGuid",
    tags=["claims"],
)
def get_claims_status(request: HttpRequest, applicationId: str) -> dict[str, Any]:
    _client, actor = _claims_caller(request)
    claim = selectors.get_visible_claim(actor, applicationId)
    return {"claimInfo": selectors.claim_info(claim), "gdprClaimDeleted": 0}


@api.get(
    "/claims/{applicationId}/history",
    response={200: list[HistoryEventOut], **READ_ERRORS},
    operation_id="getClaimHistory",
    summary="The process history, oldest first",
    tags=["claims"],
)
def get_claim_history(request: HttpRequest, applicationId: str) -> list[dict[str, Any]]:
    _client, actor = _claims_caller(request)
    return selectors.history(selectors.get_visible_claim(actor, applicationId))


@api.get(
    "/compensators",
    response={200: list[OrganisationInfoOut], **READ_ERRORS},
    operation_id="searchCompensators",
    summary="Compensators a CNF can be sent to",
    tags=["reference"],
)
def compensators(
    request: HttpRequest,
    compensatorType: str | None = None,
    organisationName: str | None = None,
    claimType: str | None = None,
) -> list[dict[str, Any]]:
    _caller(request)
    kind = None
    if claimType:
        try:
            kind = ClaimType(claimType)
        except ValueError:
            raise PortalError(
                "SCHEMA_INVALID",
                "claimType must be RTA, EL, ELD or PL",
                [ErrorDetail("claimType", "unknown")],
            ) from None
    found = search_compensators(
        compensator_type=compensatorType, organisation_name=organisationName, claim_type=kind
    )
    return [{**o.__dict__, "claimTypes": list(o.claimTypes)} for o in found]


@api.get(
    "/insurer-index",
    response={200: list[InsurerInfoOut], **READ_ERRORS},
    operation_id="searchCompensatorsByInsurerIndex",
    summary="The RTA Insurer Index: insurer names and the organisation that receives their claims",
    tags=["reference"],
)
def insurer_index(
    request: HttpRequest, compensatorType: str | None = None, organisationName: str | None = None
) -> list[dict[str, Any]]:
    _caller(request)
    return [
        i.__dict__
        for i in search_insurer_index(compensator_type=compensatorType, organisation_name=organisationName)
    ]


HOSPITAL_EXAMPLE = {
    "name": "ST GEORGE'S HOSPITAL",
    "addressLine1": "BLACKSHAW ROAD",
    "addressLine2": "TOOTING",
    "addressLine3": "LONDON",
    "addressLine4": "",
    "postCode": "SW17 0QT",
}


@api.get(
    "/hospitals",
    response={200: list[HospitalOut], **READ_ERRORS},
    operation_id="getHospitalsList",
    summary="Open NHS hospital sites by name and/or postcode, for a CNF's hospital block",
    description=(
        "At least one of hospitalName and postCode; given both, a site matches both. Every word of "
        "hospitalName must appear in the name (any order; case, punctuation and accents ignored); "
        "postCode matches the start of the postcode, spaces ignored. Ordered by name, at most `limit` "
        "sites: when exactly `limit` come back, narrow the search. Closed sites are never listed. "
        "The sites come from the NHS Organisation Data Service files."
    ),
    tags=["reference"],
    openapi_extra={"responses": {200: {"content": {"application/json": {"example": [HOSPITAL_EXAMPLE]}}}}},
)
def hospitals(
    request: HttpRequest,
    hospitalName: Annotated[
        str | None,
        Query(None, max_length=100, description="Words of the name, e.g. `st georges` or `royal infirmary`"),
    ] = None,
    postCode: Annotated[
        str | None,
        Query(None, max_length=10, description="The start of the postcode, e.g. `SW17` or `sw17 0q`"),
    ] = None,
    limit: Annotated[
        int | None, Query(None, ge=1, le=HOSPITALS_MAX_LIMIT, description="At most this many (default 50)")
    ] = None,
) -> list[dict[str, Any]]:
    _caller(request)
    return [h.__dict__ for h in search_hospitals(name=hospitalName, post_code=postCode, limit=limit)]


@api.get(
    "/branches",
    response={200: list[BranchOut], **READ_ERRORS},
    operation_id="getBranchesList",
    summary="The branches of the acting user's organisation",
    tags=["reference"],
)
def branches(request: HttpRequest) -> list[dict[str, Any]]:
    _client, actor = _caller(request)
    return [
        {"branchId": b.branch_id, "name": b.name, "kind": b.kind, "enabled": b.enabled}
        for b in Branch.objects.filter(organisation_id=actor.organisation_pk).order_by("branch_id")
    ]


@api.get(
    "/users",
    response={200: list[UserInfoOut], **READ_ERRORS},
    operation_id="getMyUsersList",
    summary="The users of the acting user's organisation (for allocation)",
    tags=["reference"],
)
def users(request: HttpRequest) -> list[dict[str, Any]]:
    _client, actor = _caller(request)
    rows = (
        User.objects.filter(organisation_id=actor.organisation_pk)
        .select_related("branch")
        .order_by("user_id")
    )
    return [
        {
            "userId": u.user_id,
            "userName": u.forename,
            "userSurname": u.surname,
            "userBranchId": u.branch.branch_id if u.branch else None,
            "userEnabled": u.is_enabled and u.is_active,
            "userProfile": list(u.profiles),
        }
        for u in rows
    ]


@api.get(
    "/organisations/{organisationId}",
    response={200: OrganisationInfoOut, **READ_ERRORS},
    operation_id="getOrganisation",
    summary="One organisation by its ID or path (without the leading slash)",
    tags=["reference"],
)
def organisation(request: HttpRequest, organisationId: str) -> dict[str, Any]:
    _caller(request)
    org = Organisation.objects.filter(org_id=organisationId.strip("/").upper(), enabled=True).first()
    if org is None:
        raise PortalError("NOT_FOUND", "No such organisation", [ErrorDetail("organisationId", "unknown")])
    return {
        "organisationId": org.org_id,
        "organisationName": org.name,
        "organisationPath": org.path,
        "compensatorType": org.compensator_type,
        "claimTypes": list(org.claim_types),
    }


@api.get(
    "/system/process-version",
    response={200: ProcessVersionOut, **READ_ERRORS},
    operation_id="getSystemProcessVersion",
    summary="The current process name and version",
    tags=["reference"],
)
def process_version(request: HttpRequest) -> dict[str, Any]:
    _caller(request)
    return {
        "processName": "ClaimsPortal",
        "versionMajor": PROCESS_VERSION[0],
        "versionMinor": PROCESS_VERSION[1],
    }


# --------------------------------------------------------------------------------------------------
# Notifications
# --------------------------------------------------------------------------------------------------


@api.get(
    "/notifications",
    response={200: NotificationPageOut, **READ_ERRORS},
    operation_id="getNotificationsList",
    summary="Notifications after a cursor (oldest first): poll with the last nextCursor you received",
    tags=["notifications"],
)
def get_notifications(
    request: HttpRequest, after: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    _client, actor = _caller(request)
    page = notification_services.feed(actor, after=after, limit=limit)
    return {
        "notifications": [notification_services.as_record(n) for n in page.notifications],
        "nextCursor": page.next_cursor,
        "more": page.more,
    }


@api.delete(
    "/notifications/{notificationGuid}",
    response={204: None, **READ_ERRORS},
    operation_id="removeNotification",
    summary="Delete one notification (for the whole organisation)",
    tags=["notifications"],
)
def remove_notification(request: HttpRequest, notificationGuid: str) -> Status[None]:
    _client, actor = _caller(request)
    notification_services.remove(actor, notificationGuid)
    return Status(204, None)


@api.delete(
    "/notifications",
    response={200: ClearedOut, **READ_ERRORS},
    operation_id="clearNotifications",
    summary="Delete every notification the acting user can see",
    tags=["notifications"],
)
def clear_notifications(request: HttpRequest) -> dict[str, int]:
    _client, actor = _caller(request)
    return {"deleted": notification_services.clear_all(actor)}


# --------------------------------------------------------------------------------------------------
# Writes: addClaim, and one path per operation
# --------------------------------------------------------------------------------------------------

WRITE_RESPONSES: dict[int, Any] = {200: ClaimInfoOut, **ERROR_RESPONSES}


def _perform(request: HttpRequest, operation: str, application_id: str | None) -> Status[dict[str, Any]]:
    client, actor = _claims_caller(request)
    body = _json_object(request)
    guid = body.pop("activityEngineGuid", None) if application_id is not None else None

    def run() -> tuple[int, dict[str, Any]]:
        info = perform(
            actor=actor, operation=operation, application_id=application_id, activity_guid=guid, payload=body
        )
        return (201 if application_id is None else 200), info.as_dict()

    status, answer = run_idempotently(request, client.client_pk, run)
    return Status(status, answer)


@api.post(
    "/claims",
    response={201: ClaimInfoOut, **ERROR_RESPONSES},
    operation_id="addClaim",
    summary="Send a Claim Notification Form to a compensator (creates and sends the claim)",
    tags=["claims"],
    openapi_extra={"requestBody": request_body("addClaim", with_guid=False)},
)
def add_claim(request: HttpRequest) -> Status[dict[str, Any]]:
    return _perform(request, "addClaim", None)


def _operation_view(name: str) -> Callable[[HttpRequest, str], Status[dict[str, Any]]]:
    def view(request: HttpRequest, applicationId: str) -> Status[dict[str, Any]]:
        return _perform(request, name, applicationId)

    view.__name__ = name
    return view


def serve_operation(request: HttpRequest, applicationId: str, name: str) -> HttpResponse:
    """``POST /claims/{applicationId}/{name}`` without django-ninja's per-request machinery (parsing
    the one path parameter into a model, validating our own answer against ``ClaimInfoOut``): the
    same ``_perform`` and the API's own error handlers and renderer, so the answer is byte for byte
    what ninja's view gives (tests/a2a/test_dispatch.py). ``a2a.dispatch`` routes to it."""
    try:
        result = _perform(request, name, applicationId)
        return api.create_response(request, result.value, status=result.status_code)
    except Exception as error:
        return api.on_exception(request, error)


def _describe(name: str) -> tuple[str, str]:
    for definition in DEFINITIONS.values():
        for op in definition.operations:
            if op.name == name:
                protocols = sorted(d.name.value for d in DEFINITIONS.values() if name in d.operation_names)
                sources = sorted(
                    {s for d in DEFINITIONS.values() for o in d.operations_named(name) for s in o.sources}
                )
                summary = op.description or f"{name} ({op.refs})"
                detail = (
                    f"{op.description}\n\nProtocols: {', '.join(protocols)}. Caller: {op.actor.value}. "
                    f"Allowed in phases: {', '.join(sources)}. Transitions: {op.refs}."
                )
                return summary.split(". ")[0][:120], detail
    raise KeyError(name)


# Every operation on an existing claim, each at POST /claims/{applicationId}/{name}.
OPERATION_NAMES = frozenset(PAYLOAD_MODELS) - {"addClaim"}

for _name in sorted(OPERATION_NAMES):
    _summary, _description = _describe(_name)
    api.default_router.add_api_operation(
        f"/claims/{{applicationId}}/{_name}",
        ["POST"],
        _operation_view(_name),
        response=WRITE_RESPONSES,
        operation_id=_name,
        summary=_summary,
        description=_description,
        tags=["operations"],
        openapi_extra={"requestBody": request_body(_name)},
    )


# --------------------------------------------------------------------------------------------------
# Routes of their own modules: attachments, and the sandbox (integration environments only)
# --------------------------------------------------------------------------------------------------

import claimsportal.a2a.attachments  # noqa: E402, F401 - getAttachmentsList, addAttachment, getAttachment
from claimsportal.a2a import documents as _documents  # noqa: E402, F401 - getPrintableDocumentsList, getPrintableDocument
from claimsportal.a2a import sandbox  # noqa: E402, F401 - registers the sandbox routes (404 outside sandbox)
