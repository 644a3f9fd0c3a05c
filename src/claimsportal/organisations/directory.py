"""The compensator directory: finding who a CNF can be sent to (ADMINISTRATION.md §6).

``searchCompensators`` lists the portal's enabled compensator organisations (every claim type);
``searchCompensatorsByInsurerIndex`` lists the RTA Insurer Index, which names insurers as a CNF does
and says which portal organisation receives their claims. ``resolve_compensator`` turns what a
claimant representative sends (an organisation path or ID, or an insurer-index ID for RTA) into the
organisation, with a specific error for each way it can be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from claimsportal.organisations.models import Organisation
from claimsportal.protocols.errors import ErrorDetail, PortalError, business_rule
from claimsportal.protocols.types import ClaimType
from claimsportal.reference.models import InsurerIndexEntry

INSURER_INDEX_ID = re.compile(r"^II[0-9]{4,10}$")
SEARCH_LIMIT = 200
COMPENSATOR_TYPES = ("I", "S", "M")


@dataclass(frozen=True)
class OrganisationInfo:
    """``organisationInfo`` of ``searchCompensators``."""

    organisationId: str
    organisationName: str
    organisationPath: str
    compensatorType: str
    claimTypes: tuple[str, ...]


@dataclass(frozen=True)
class InsurerInfo:
    """``insurerInfo`` of ``searchCompensatorsByInsurerIndex``: the name to put in the CNF's
    ``insurerName`` and the organisation to send it to."""

    insurerIndexId: str
    insurerName: str
    compensatorType: str
    organisationId: str
    organisationName: str
    organisationPath: str


@dataclass(frozen=True)
class ResolvedCompensator:
    organisation: Organisation
    insurer_name: str | None  # from the insurer index, when the claim was addressed through it


def _check_type(compensator_type: str | None) -> str | None:
    if compensator_type in (None, ""):
        return None
    if compensator_type not in COMPENSATOR_TYPES:
        raise PortalError(
            "SCHEMA_INVALID",
            "compensatorType must be I (insurer), S (self-insured) or M (MIB)",
            [ErrorDetail("compensatorType", "must be one of I, S, M")],
        )
    return compensator_type


def search_compensators(
    *,
    compensator_type: str | None = None,
    organisation_name: str | None = None,
    claim_type: ClaimType | None = None,
) -> list[OrganisationInfo]:
    """Enabled compensators, by name; ``organisation_name`` matches any part of the name."""
    wanted_type = _check_type(compensator_type)
    rows = Organisation.objects.filter(org_type=Organisation.Type.COMP, enabled=True).order_by("name")
    if wanted_type:
        rows = rows.filter(compensator_type=wanted_type)
    if organisation_name and organisation_name.strip():
        rows = rows.filter(name__icontains=organisation_name.strip())
    found = [
        OrganisationInfo(org.org_id, org.name, org.path, org.compensator_type, tuple(org.claim_types))
        for org in rows[: SEARCH_LIMIT * 2]
    ]
    if claim_type is not None:  # claim_types is a JSON list: filtered here, portable to SQLite
        found = [o for o in found if claim_type.profile_family in o.claimTypes]
    return found[:SEARCH_LIMIT]


def search_insurer_index(
    *, compensator_type: str | None = None, organisation_name: str | None = None
) -> list[InsurerInfo]:
    """Enabled RTA Insurer Index entries whose insurer or organisation name contains the text."""
    wanted_type = _check_type(compensator_type)
    rows = InsurerIndexEntry.objects.filter(
        enabled=True, organisation__enabled=True, organisation__org_type=Organisation.Type.COMP
    ).select_related("organisation")
    if wanted_type:
        rows = rows.filter(compensator_type=wanted_type)
    if organisation_name and organisation_name.strip():
        text = organisation_name.strip()
        rows = rows.filter(Q(insurer_name__icontains=text) | Q(organisation__name__icontains=text))
    return [
        InsurerInfo(
            e.index_id,
            e.insurer_name,
            e.compensator_type,
            e.organisation.org_id,
            e.organisation.name,
            e.organisation.path,
        )
        for e in rows.order_by("insurer_name", "index_id")[:SEARCH_LIMIT]
    ]


def resolve_compensator(key: str, claim_type: ClaimType, field_name: str) -> ResolvedCompensator:
    """The compensator a claim is addressed to: ``/COMP001``, ``COMP001`` or (RTA) ``II0001``."""
    text = key.strip()
    insurer_name: str | None = None
    if INSURER_INDEX_ID.match(text.upper()):
        if claim_type is not ClaimType.RTA:
            raise business_rule(
                "the Insurer Index is for RTA claims only: choose the compensator from "
                "searchCompensators (an organisation path such as /COMP001)",
                field_name,
            )
        entry = (
            InsurerIndexEntry.objects.filter(index_id=text.upper(), enabled=True)
            .select_related("organisation")
            .first()
        )
        if entry is None:
            raise business_rule("no current Insurer Index entry has this ID", field_name)
        org: Organisation | None = entry.organisation
        insurer_name = entry.insurer_name
    else:
        org = Organisation.objects.filter(org_id=text.lstrip("/").upper()).first()
    if org is None or org.org_type != Organisation.Type.COMP:
        raise business_rule("no compensator with this organisation path or ID", field_name)
    if not org.enabled:
        raise business_rule("this compensator is not currently using the portal", field_name)
    if claim_type.profile_family not in org.claim_types:
        raise business_rule(
            f"this compensator does not handle {claim_type.profile_family} claims", field_name
        )
    return ResolvedCompensator(org, insurer_name)


def add_insurer_index_entry(*, insurer_name: str, org_id: str, compensator_type: str) -> InsurerIndexEntry:
    """Publish one entry in a new index version (RTA compensators only); IDs are never reused."""
    name = insurer_name.strip()
    if not 1 <= len(name) <= 120:
        raise PortalError(
            "SCHEMA_INVALID",
            "insurerName: 1 to 120 characters",
            [ErrorDetail("insurerName", "1-120 characters")],
        )
    kind = _check_type(compensator_type)
    if kind is None:
        raise PortalError(
            "SCHEMA_INVALID", "compensatorType is required", [ErrorDetail("compensatorType", "required")]
        )
    org = Organisation.objects.filter(org_id=org_id.strip().lstrip("/").upper()).first()
    if org is None or org.org_type != Organisation.Type.COMP or "RTA" not in org.claim_types:
        raise business_rule("must be a compensator that handles RTA claims", "organisationId")
    # IDs count up from the highest ever issued (entries are disabled, never deleted, so never reused);
    # the unique constraint stops two publishers taking the same one.
    number = (
        max((int(i[2:]) for i in InsurerIndexEntry.objects.values_list("index_id", flat=True)), default=0) + 1
    )
    version = max(InsurerIndexEntry.objects.values_list("version", flat=True), default=0) + 1
    return InsurerIndexEntry.objects.create(
        index_id=f"II{number:04d}",
        insurer_name=name,
        organisation=org,
        compensator_type=kind,
        version=version,
    )
