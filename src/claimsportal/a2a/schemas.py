"""Response shapes of the A2A API and the request-body schemas of the operations (OpenAPI).

Request bodies are validated once, by the operation's own payload model inside ``perform`` (with
the portal's today as context and the protocol's field paths in every error). The OpenAPI document
describes the same models: their JSON schemas are generated from them, so the document and the
code cannot disagree.
"""

from __future__ import annotations

import copy
from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from claimsportal.a2a.examples import CLAIM_TYPE_EXAMPLES, EXAMPLE_GUID, add_claim_example, example_payload
from claimsportal.protocols.tables import DEFINITIONS

COMPONENT_REF = "#/components/schemas/{model}"


class ErrorDetailOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    details: list[ErrorDetailOut]


class ClaimInfoOut(Schema):
    applicationId: str
    activityEngineGuid: str
    phaseCacheId: str
    phaseCacheName: str


class ClaimStatusOut(Schema):
    claimInfo: ClaimInfoOut
    gdprClaimDeleted: int


class PasswordChangedOut(Schema):
    changed: bool
    message: str


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


class ApplicationReferencesOut(Schema):
    crReference: str
    cmReference: str
    claimantSurname: str


class ClaimRowOut(ClaimInfoOut):
    claimType: str
    applicationReferences: ApplicationReferencesOut
    creationTime: str
    updateTime: str
    sentTime: str | None
    deadlineAt: str | None
    lockStatus: bool
    lockUserId: str | None
    versionMajor: int
    versionMinor: int
    attachmentsCount: int
    printableDocumentsCount: int
    gdprClaimDeleted: int


class ClaimPageOut(Schema):
    claims: list[ClaimRowOut]
    nextCursor: str | None


class HistoryEventOut(Schema):
    occurredAt: str
    operation: str
    side: str
    userId: str | None
    organisationId: str | None
    phaseBefore: str
    phaseAfter: str
    deadlineAt: str | None


class RetentionOut(Schema):
    """When and why the retention policy will act on the claim if nothing changes (docs/custody.md)."""

    rule: str  # R01 … R34, G01
    ruleText: str
    action: str  # DELETE or AUTO_ACKNOWLEDGE
    on: str  # the day (YYYY-MM-DD) the daily job will act
    heldForChild: bool  # the day is the claimant's protection (18; 21 years and 1 month)
    text: str


class ClaimantRepresentativeOut(Schema):
    """``getClaim``'s ``ClaimantRepresentative``: the claimant side's organisation, and whether the
    claimant is a litigant in person (``@LitigantInPerson``, WORKFLOW.md §1.1): an unrepresented
    claimant acting for themselves, marked by the CNF's "not legally represented" tick."""

    organisationId: str
    organisationName: str
    organisationPath: str
    branchId: str | None
    litigantInPerson: bool = Field(
        description="True when the claimant is not legally represented (an unrepresented claimant)"
    )


class TransferOut(Schema):
    """One bulk transfer the claim was moved by (ADMINISTRATION.md §3)."""

    transferId: str
    transferDesc: str
    transferredAt: str
    fromOrganisationId: str
    toOrganisationId: str


class TransfersListOut(Schema):
    """``TransfersList`` of WORKFLOW.md §6.12: the bulk-transfer flag and the transfers."""

    transferred: bool
    transfers: list[TransferOut]


class StatementOfTruthOut(Schema):
    """A form's signed statement of truth: the wording it confirmed, stored when it was sent."""

    wordingVersion: str = Field(description="The wording's version: the day it came into force (ISO 8601)")
    signatory: str = Field(description="S: the claimant's legal representative; C: the claimant in person")
    signedOn: str = Field(description="The day the form was sent (business clock, ISO 8601)")
    text: str = Field(description="The words confirmed, naming the form")


class ClaimOut(Schema):
    """``getClaim``: the whole claim as the acting user sees it."""

    claimInfo: ClaimInfoOut
    claimType: str
    processVersion: dict[str, int]
    claimantRepresentative: ClaimantRepresentativeOut | None
    compensator: dict[str, Any] | None
    references: ApplicationReferencesOut
    awaitingSide: str | None
    deadline: dict[str, Any] | None
    lock: dict[str, Any]
    allocation: dict[str, str | None]
    sentTime: str | None
    creationTime: str
    updateTime: str
    cnf: dict[str, Any] | None
    # The CNF's signed statement of truth: the wording version confirmed (stored when it was sent)
    statementOfTruth: StatementOfTruthOut | None = None
    # Each: operation, submittedAt, side, form and statementOfTruth (a StatementOfTruthOut, or null for
    # a form that carries no signed statement)
    submittedForms: list[dict[str, Any]]
    allowedOperations: list[str]
    attachmentsCount: int
    printableDocumentsCount: int
    transfersList: TransfersListOut
    gdprClaimDeleted: int
    retention: RetentionOut | None = None


class HospitalOut(Schema):
    """``hospital`` of WORKFLOW.md §7.2."""

    name: str
    addressLine1: str
    addressLine2: str
    addressLine3: str
    addressLine4: str
    postCode: str


class OrganisationInfoOut(Schema):
    organisationId: str
    organisationName: str
    organisationPath: str
    compensatorType: str
    claimTypes: list[str]


class InsurerInfoOut(Schema):
    insurerIndexId: str
    insurerName: str
    compensatorType: str
    organisationId: str
    organisationName: str
    organisationPath: str


class BranchOut(Schema):
    branchId: str
    name: str
    kind: str
    enabled: bool


class UserInfoOut(Schema):
    userId: str
    userName: str
    userSurname: str
    userBranchId: str | None
    userEnabled: bool
    userProfile: list[str]


class NotificationOut(Schema):
    applicationId: str
    formattedDate: str
    notificationDateTime: str
    notificationGuid: str
    notificationMessage: str
    kind: str


class NotificationPageOut(Schema):
    notifications: list[NotificationOut]
    nextCursor: str | None
    more: bool


class ClearedOut(Schema):
    deleted: int


class ProcessVersionOut(Schema):
    processName: str
    versionMajor: int
    versionMinor: int


ERROR_RESPONSES: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,  # the body is larger than the API takes (a2a.body)
    415: ErrorOut,  # not application/json in UTF-8
    422: ErrorOut,
    429: ErrorOut,
    500: ErrorOut,  # INTERNAL_ERROR: logged with its traceback; never an HTML page
}
# The error answers of a read (a read changes nothing, so never 409).
READ_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


# --------------------------------------------------------------------------------------------------
# Operation request bodies
# --------------------------------------------------------------------------------------------------


def _payload_models() -> dict[str, dict[str, type[BaseModel]]]:
    """operation name -> protocol -> payload model (from the protocol tables)."""
    out: dict[str, dict[str, type[BaseModel]]] = {}
    for definition in DEFINITIONS.values():
        for op in definition.operations:
            out.setdefault(op.name, {})[definition.name.value] = op.payload
    return out


PAYLOAD_MODELS = _payload_models()


def _component_schemas() -> tuple[dict[Any, dict[str, Any]], dict[str, Any]]:
    models = sorted({m for by in PAYLOAD_MODELS.values() for m in by.values()}, key=lambda m: m.__qualname__)
    key_map, top = models_json_schema([(m, "validation") for m in models], ref_template=COMPONENT_REF)
    return {model: key_map[(model, "validation")] for model in models}, top.get("$defs", {})


_REFS, COMPONENTS = _component_schemas()


def _body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's own schema plus ``activityEngineGuid`` (inline, so ``additionalProperties: false``
    still holds)."""
    name = _REFS[model]["$ref"].rsplit("/", 1)[-1]
    schema: dict[str, Any] = copy.deepcopy(COMPONENTS[name])
    schema.setdefault("properties", {})
    schema["properties"] = {
        "activityEngineGuid": {
            "type": "string",
            "format": "uuid",
            "description": "The claim's current activityEngineGuid (from getClaimsStatus or the last answer)",
        },
        **schema["properties"],
    }
    schema["required"] = ["activityEngineGuid", *schema.get("required", [])]
    schema["title"] = f"{schema.get('title', name)} request"
    return schema


def request_body(operation: str, *, with_guid: bool = True) -> dict[str, Any]:
    """The OpenAPI requestBody of ``operation``: its schema (one per protocol when they differ).

    Built when the routes are declared, so it reads nothing that changes: the examples, whose dates
    follow the business clock (a database read in sandbox mode), are added by
    :func:`request_examples` each time the document is served."""
    by_protocol = PAYLOAD_MODELS[operation]
    distinct = list(dict.fromkeys(by_protocol.values()))
    schemas = [
        _body_schema(model)
        if with_guid
        else copy.deepcopy(COMPONENTS[_REFS[model]["$ref"].rsplit("/", 1)[-1]])
        for model in distinct
    ]
    # anyOf, not oneOf: the claim's protocol picks the model, and an EL/PL body may also be a valid RTA one
    schema = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def request_examples(operation: str, *, with_guid: bool = True) -> dict[str, Any]:
    """A complete example body of ``operation`` per protocol, and for ``addClaim`` per claim type
    (RTA, EL, ELD, PL), each one that succeeds as sent on the demo data."""
    if operation == "addClaim":
        return {
            claim_type: {"summary": f"{claim_type} claim", "value": add_claim_example(claim_type)}
            for claim_type in CLAIM_TYPE_EXAMPLES
        }
    examples = {}
    for protocol in PAYLOAD_MODELS[operation]:
        value = example_payload(operation, protocol)
        if with_guid:
            value = {"activityEngineGuid": EXAMPLE_GUID, **value}
        examples[protocol] = {"summary": f"{protocol} claim", "value": value}
    return examples
