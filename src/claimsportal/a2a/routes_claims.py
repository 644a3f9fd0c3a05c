"""Claims: the worklist (``GET /claims``), search, one claim, its status and its history; and
``POST /claims`` (addClaim), beside ``GET /claims`` because django-ninja serves one path from one
router. The operations on an existing claim are in ``a2a.routes_operations``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from ninja.params.functions import Query

from claimsportal.a2a.caller import claims_caller
from claimsportal.a2a.routes_operations import perform_operation
from claimsportal.a2a.schemas import (
    ERROR_RESPONSES,
    READ_ERRORS,
    ClaimInfoOut,
    ClaimOut,
    ClaimPageOut,
    ClaimStatusOut,
    HistoryEventOut,
    request_body,
)
from claimsportal.claims import selectors
from claimsportal.core import clock
from claimsportal.custody.rules import fate
from claimsportal.publishing import statement_of_truth

router = Router()


def retention_of(claim: Any, today: date) -> dict[str, Any] | None:
    """What the retention policy will do to the claim if nothing changes: the rule, its words, the
    action and the day (docs/custody.md); None while a running time limit moves it on first."""
    end = fate(claim, today)
    if end is None:
        return None
    return {
        "rule": end.rule.code,
        "ruleText": f"{end.rule.category}: {end.rule.wording}, {end.rule.period}",
        "action": end.rule.action,
        "on": end.day.isoformat(),
        "heldForChild": end.held_by_protection,
        "text": end.words(),
    }


# The query parameters' rules, stated in the OpenAPI document as the server enforces them.
Limit = Annotated[
    int | None,
    Query(
        None, ge=1, le=selectors.MAX_PAGE, description=f"At most this many claims (1 to {selectors.MAX_PAGE})"
    ),
]
Cursor = Annotated[
    str | None,
    Query(
        None,
        pattern=r"^[A-Za-z0-9_-]+$",
        max_length=200,
        description="The nextCursor of the previous page, exactly as it came (opaque: any other value is "
        "refused with 422 SCHEMA_INVALID); leave it out for the first page",
    ),
]
DATE_RANGE = "A date range whose 'from' is after its 'to' is refused (422 SCHEMA_INVALID)."


@router.get(
    "/claims",
    response={200: ClaimPageOut, **READ_ERRORS},
    operation_id="getClaimsList",
    summary="The acting user's worklist: claims awaiting their organisation",
    tags=["claims"],
)
def get_claims_list(request: HttpRequest, cursor: Cursor = None, limit: Limit = None) -> dict[str, Any]:
    _client, actor = claims_caller(request)
    page = selectors.worklist(actor, cursor=cursor, limit=limit)
    return {"claims": [selectors.list_row(c) for c in page.claims], "nextCursor": page.next_cursor}


@router.get(
    "/claims/search",
    response={200: ClaimPageOut, **READ_ERRORS},
    operation_id="searchClaims",
    summary="Search the claims the acting user can see (searchClaimCriteria)",
    description="Every criterion given must hold. " + DATE_RANGE,
    tags=["claims"],
)
def search_claims(
    request: HttpRequest,
    applicationId: Annotated[
        str | None, Query(None, pattern=r"^[0-9]{1,8}$", description="With or without leading zeros")
    ] = None,
    branchPath: str | None = None,
    CMReferenceNumber: str | None = None,
    CRReferenceNumber: str | None = None,
    claimantSurname: str | None = None,
    claimType: Literal["RTA", "EL", "ELD", "PL"] | None = None,
    phaseCacheId: str | None = None,
    dispatchDateFrom: date | None = None,
    dispatchDateTo: date | None = None,
    sentDateFrom: date | None = None,
    sentDateTo: date | None = None,
    startDateFrom: date | None = None,
    startDateTo: date | None = None,
    sortField: Literal[
        "ApplicationId", "StartDate", "UpdateDate", "DispatchDate", "Priority"
    ] = "ApplicationId",
    sortOrder: Literal["Asc", "Desc"] = "Asc",
    cursor: Cursor = None,
    limit: Limit = None,
) -> dict[str, Any]:
    _client, actor = claims_caller(request)
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


@router.get(
    "/claims/{applicationId}",
    response={200: ClaimOut, **READ_ERRORS},
    operation_id="getClaim",
    summary="The whole claim, with every submitted form and the acting user's allowedOperations",
    tags=["claims"],
)
def get_claim(request: HttpRequest, applicationId: str) -> dict[str, Any]:
    _client, actor = claims_caller(request)
    claim = selectors.get_visible_claim(actor, applicationId, with_counts=True)
    today = clock.today()
    detail = selectors.claim_detail(actor, claim, today)
    # The statement-of-truth wording each signed form confirmed, as stored when it was sent
    signed = statement_of_truth.signed_for(claim.pk)
    for entry in detail["submittedForms"]:
        found = statement_of_truth.for_form(signed, entry["operation"], entry["submittedAt"])
        entry["statementOfTruth"] = (
            found.as_json(statement_of_truth.document_name(entry["operation"])) if found else None
        )
    cnf = statement_of_truth.for_cnf(signed)
    return {
        **detail,
        "statementOfTruth": cnf.as_json("Claim Notification Form") if cnf and detail["cnf"] else None,
        "retention": retention_of(claim, today),
    }


@router.get(
    "/claims/{applicationId}/status",
    response={200: ClaimStatusOut, **READ_ERRORS},
    operation_id="getClaimsStatus",
    summary="The claim's current phase and activityEngineGuid",
    tags=["claims"],
)
def get_claims_status(request: HttpRequest, applicationId: str) -> dict[str, Any]:
    _client, actor = claims_caller(request)
    claim = selectors.get_visible_claim(actor, applicationId)
    return {"claimInfo": selectors.claim_info(claim), "gdprClaimDeleted": 1 if claim.gdpr_deleted_at else 0}


@router.get(
    "/claims/{applicationId}/history",
    response={200: list[HistoryEventOut], **READ_ERRORS},
    operation_id="getClaimHistory",
    summary="The process history, oldest first",
    tags=["claims"],
)
def get_claim_history(request: HttpRequest, applicationId: str) -> list[dict[str, Any]]:
    _client, actor = claims_caller(request)
    return selectors.history(selectors.get_visible_claim(actor, applicationId))


@router.post(
    "/claims",
    response={201: ClaimInfoOut, **ERROR_RESPONSES},
    operation_id="addClaim",
    summary="Send a Claim Notification Form to a compensator (creates and sends the claim)",
    tags=["claims"],
    openapi_extra={"requestBody": request_body("addClaim", with_guid=False)},
)
def add_claim(request: HttpRequest) -> Status[dict[str, Any]]:
    return perform_operation(request, "addClaim", None)
