"""Who acts on a claim, and how a claim is named: the acting user (resolved once per request or per
worker), the application ID as shown (eight digits) and as accepted, and what an operation returns.

Every claims service, the A2A API and the web share these; they hold no rule of the protocol.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Protocol

from claimsportal.claims.visibility import ScopedClaim, VisibilityScope
from claimsportal.core import clock
from claimsportal.organisations.accounts import AGREEMENT_NOT_ACCEPTED, agreement_accepted
from claimsportal.organisations.models import User
from claimsportal.protocols.access import AccessFacts, AccessRule, LockHolder
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.types import Side

# --------------------------------------------------------------------------------------------------
# Who acts
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf an operation runs, resolved once (per request or per worker)."""

    user_pk: int
    user_id: str
    organisation_pk: int
    org_id: str
    side: Side
    scope: VisibilityScope
    claim_types: frozenset[str] = field(default_factory=frozenset)
    # An unrepresented claimant's account (``Organisation.litigant_in_person``): one claim, their own
    litigant_in_person: bool = False

    @classmethod
    def for_user(cls, user: User) -> Actor:
        if user.organisation is None:
            raise PortalError("FORBIDDEN_PROFILE", "Operator accounts cannot act on claims")
        if not user.may_sign_in(clock.real_today()):
            raise PortalError(
                "LOGIN_AS_INVALID",
                "The acting user is disabled, inactive or past their expiry date",
                [ErrorDetail("userId", "not an enabled, active, in-date user")],
            )
        org = user.organisation
        if not org.enabled:
            raise PortalError("LOGIN_AS_INVALID", "The acting user's organisation is disabled")
        if not agreement_accepted(org.pk):
            raise PortalError(
                "LOGIN_AS_INVALID",
                AGREEMENT_NOT_ACCEPTED,
                [ErrorDetail("userId", "user agreement not accepted")],
            )
        return cls(
            user_pk=user.pk,
            user_id=user.user_id,
            organisation_pk=org.pk,
            org_id=org.org_id,
            side=Side(org.org_type),
            scope=VisibilityScope.for_user(user),
            claim_types=frozenset(org.claim_types),
            litigant_in_person=org.litigant_in_person,
        )


# --------------------------------------------------------------------------------------------------
# What an operation returns
# --------------------------------------------------------------------------------------------------


def format_application_id(application_id: int) -> str:
    return f"{application_id:08d}"


def parse_application_id(value: str | int) -> int:
    """Application IDs are shown with leading zeros and accepted without them."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise PortalError(
            "NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "must be a number")]
        ) from None
    if number <= 0:
        raise PortalError("NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "must be positive")])
    return number


@dataclass(frozen=True)
class ClaimInfo:
    application_id: int
    activity_guid: uuid.UUID
    phase: str
    phase_name: str

    def as_dict(self) -> dict[str, str]:
        return {
            "applicationId": format_application_id(self.application_id),
            "activityEngineGuid": str(self.activity_guid),
            "phaseCacheId": self.phase,
            "phaseCacheName": self.phase_name,
        }


class LockedOrScoped(ScopedClaim, Protocol):
    locked_by_id: int | None


def access_facts(actor: Actor, claim: LockedOrScoped, *, lock_only: bool = False) -> AccessFacts:
    """The facts the protocol's access rules read (``protocols.access``), for ``actor`` and ``claim``.
    ``lock_only``: the rules to check read only the lock (most operations), so the profile facts are
    not worked out (they read False)."""
    holder = claim.locked_by_id
    lock = (
        LockHolder.NOBODY
        if holder is None
        else LockHolder.ME
        if holder == actor.user_pk
        else LockHolder.OTHER
    )
    if lock_only:
        return AccessFacts(lock=lock, team_leader=False, may_allocate_branch=False, allocated=False)
    rules = actor.scope.rules_for(claim)
    allocated = claim.cr_allocated_user_id if actor.side is Side.CR else claim.comp_allocated_user_id
    return AccessFacts(
        lock=lock,
        team_leader=any(r.team_leader for r in rules),
        may_allocate_branch=any(r.dispatcher or r.team_leader or r.reach == "ALL" for r in rules),
        allocated=allocated is not None,
    )


def access_refusal(rule: AccessRule, operation: str) -> PortalError:
    """The error of a broken access rule."""
    message = rule.message.format(operation=operation)
    return PortalError(rule.code, message, [ErrorDetail(rule.field, rule.detail or message)])
