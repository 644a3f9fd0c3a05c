"""Reference data: compensators and the RTA Insurer Index, NHS hospitals, the acting user's
branches and users, an organisation, the process version."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.params.functions import Query

from claimsportal.a2a.caller import caller
from claimsportal.a2a.schemas import (
    READ_ERRORS,
    BranchOut,
    HospitalOut,
    InsurerInfoOut,
    OrganisationInfoOut,
    ProcessVersionOut,
    UserInfoOut,
)
from claimsportal.claims.services import PROCESS_VERSION
from claimsportal.organisations.directory import search_compensators, search_insurer_index
from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.types import ClaimType
from claimsportal.publishing import insurer_index as index_versions
from claimsportal.reference.hospitals import MAX_LIMIT as HOSPITALS_MAX_LIMIT
from claimsportal.reference.hospitals import search_hospitals

router = Router()

# Some letter or digit, and the text rule (a2a.openapi.TEXT_PATTERN) around it.
_TEXT = r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]"
HOSPITAL_NAME_PATTERN = rf"^{_TEXT}*[A-Za-z0-9]{_TEXT}*$"

CompensatorType = Annotated[
    Literal["I", "S", "M"] | None,
    Query(None, description="I (insurer), S (self-insured) or M (the MIB)"),
]


@router.get(
    "/compensators",
    response={200: list[OrganisationInfoOut], **READ_ERRORS},
    operation_id="searchCompensators",
    summary="Compensators a CNF can be sent to",
    tags=["reference"],
)
def compensators(
    request: HttpRequest,
    compensatorType: CompensatorType = None,
    organisationName: str | None = None,
    claimType: Annotated[Literal["RTA", "EL", "ELD", "PL"] | None, Query(None)] = None,
) -> list[dict[str, Any]]:
    caller(request)
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


@router.get(
    "/insurer-index",
    response={200: list[InsurerInfoOut], **READ_ERRORS},
    operation_id="searchCompensatorsByInsurerIndex",
    summary="The RTA Insurer Index: insurer names and the organisation that receives their claims",
    tags=["reference"],
)
def insurer_index(
    request: HttpRequest,
    response: HttpResponse,
    compensatorType: CompensatorType = None,
    organisationName: str | None = None,
) -> list[dict[str, Any]]:
    caller(request)
    # The version these entries are (RTA A2A users must use the latest: ADMINISTRATION.md §6).
    response["X-Insurer-Index-Version"] = str(index_versions.current_version())
    return [
        i.__dict__
        for i in search_insurer_index(compensator_type=compensatorType, organisation_name=organisationName)
    ]


class InsurerIndexEntryOut(Schema):
    insurerIndexId: str
    insurerName: str
    organisationId: str
    compensatorType: str
    enabled: bool


class InsurerIndexChangeOut(Schema):
    before: InsurerIndexEntryOut
    after: InsurerIndexEntryOut


class InsurerIndexChangesOut(Schema):
    version: int
    since: int
    added: list[InsurerIndexEntryOut]
    removed: list[InsurerIndexEntryOut]
    changed: list[InsurerIndexChangeOut]


@router.get(
    "/insurer-index/changes",
    response={200: InsurerIndexChangesOut, **READ_ERRORS},
    operation_id="getInsurerIndexChanges",
    summary="The current RTA Insurer Index version and the entries added, removed and changed since a version",
    tags=["reference"],
)
def insurer_index_changes(
    request: HttpRequest, since: Annotated[int, Query(..., ge=0, description="A version you hold")]
) -> dict[str, Any]:
    caller(request)
    version, changes = index_versions.changes_since(since)
    return {"version": version, "since": since, **changes.as_dict()}


HOSPITAL_EXAMPLE = {
    "name": "ST GEORGE'S HOSPITAL",
    "addressLine1": "BLACKSHAW ROAD",
    "addressLine2": "TOOTING",
    "addressLine3": "LONDON",
    "addressLine4": "",
    "postCode": "SW17 0QT",
}


@router.get(
    "/hospitals",
    response={200: list[HospitalOut], **READ_ERRORS},
    operation_id="getHospitalsList",
    summary="Open NHS hospital sites by name and/or postcode, for a CNF's hospital block",
    description=(
        "At least one of hospitalName (with a letter or digit in it) and postCode; given both, a "
        "site matches both (422 SCHEMA_INVALID when neither is given). Every word of "
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
        Query(
            None,
            max_length=100,
            pattern=HOSPITAL_NAME_PATTERN,
            description="Words of the name, e.g. `st georges` or `royal infirmary` (a letter or digit at least)",
        ),
    ] = None,
    postCode: Annotated[
        str | None,
        Query(
            None,
            max_length=10,
            pattern=r"^ *(?:[A-Za-z0-9] *){1,7}$",
            description="The start of the postcode, e.g. `SW17` or `sw17 0q`: 1 to 7 letters and digits, "
            "spaces aside",
        ),
    ] = None,
    limit: Annotated[
        int | None, Query(None, ge=1, le=HOSPITALS_MAX_LIMIT, description="At most this many (default 50)")
    ] = None,
) -> list[dict[str, Any]]:
    caller(request)
    return [h.__dict__ for h in search_hospitals(name=hospitalName, post_code=postCode, limit=limit)]


@router.get(
    "/branches",
    response={200: list[BranchOut], **READ_ERRORS},
    operation_id="getBranchesList",
    summary="The branches of the acting user's organisation",
    tags=["reference"],
)
def branches(request: HttpRequest) -> list[dict[str, Any]]:
    _client, actor = caller(request)
    return [
        {"branchId": b.branch_id, "name": b.name, "kind": b.kind, "enabled": b.enabled}
        for b in Branch.objects.filter(organisation_id=actor.organisation_pk).order_by("branch_id")
    ]


@router.get(
    "/users",
    response={200: list[UserInfoOut], **READ_ERRORS},
    operation_id="getMyUsersList",
    summary="The users of the acting user's organisation (for allocation)",
    tags=["reference"],
)
def users(request: HttpRequest) -> list[dict[str, Any]]:
    _client, actor = caller(request)
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


@router.get(
    "/organisations/{organisationId}",
    response={200: OrganisationInfoOut, **READ_ERRORS},
    operation_id="getOrganisation",
    summary="One organisation by its ID or path (without the leading slash)",
    tags=["reference"],
)
def organisation(request: HttpRequest, organisationId: str) -> dict[str, Any]:
    caller(request)
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


@router.get(
    "/system/process-version",
    response={200: ProcessVersionOut, **READ_ERRORS},
    operation_id="getSystemProcessVersion",
    summary="The current process name and version",
    tags=["reference"],
)
def process_version(request: HttpRequest) -> dict[str, Any]:
    caller(request)
    return {
        "processName": "ClaimsPortal",
        "versionMajor": PROCESS_VERSION[0],
        "versionMinor": PROCESS_VERSION[1],
    }
