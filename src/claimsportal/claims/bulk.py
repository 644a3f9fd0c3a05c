"""Several claims at once (the worklist's bulk actions, issue 18): lock, unlock, allocate to a user.

Each claim goes through the one door, ``perform`` (its own transaction, the claim's row locked), as if
its own page had been used: visibility, lock, profile and phase are checked per claim, so a claim the
user cannot see or may not change is reported (``BulkResult.error``), never changed. The claims are
taken as they are now (their current ``activityEngineGuid``): these operations change no content.
Every bulk action is audited once (``core.audit``), with what was done and what was refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from claimsportal.claims.acting import Actor, format_application_id, parse_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.core.audit import audit
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import ErrorDetail, PortalError

BULK_LIMIT = 100  # claims in one bulk action at most (the worklist shows 50 a page)


class BulkAction(StrEnum):
    LOCK = "lock"
    UNLOCK = "unlock"
    ALLOCATE = "allocate"
    PRINT = "print"


@dataclass(frozen=True)
class BulkResult:
    """What happened to one claim: ``done``, or refused with ``error``."""

    application_id: str
    operation: str = ""
    error: PortalError | None = None

    @property
    def done(self) -> bool:
        return self.error is None


NOT_VISIBLE = PortalError(
    "NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "no claim you can see")]
)


def claim_numbers(application_ids: Sequence[str]) -> list[tuple[str, int | None]]:
    """The claims named, each once, in the order given: (as shown, its number or None if it is not
    an application ID). More than :data:`BULK_LIMIT`: ``LIMIT_EXCEEDED``; none: ``SCHEMA_INVALID``."""
    seen: dict[str, int | None] = {}
    for given in application_ids:
        text = str(given).strip()
        if not text:
            continue
        try:
            number: int | None = parse_application_id(text)
        except PortalError:
            number = None
        key = format_application_id(number) if number is not None else text[:20]
        seen.setdefault(key, number)
    if not seen:
        raise PortalError(
            "SCHEMA_INVALID", "Select at least one claim", [ErrorDetail("applicationIds", "none selected")]
        )
    if len(seen) > BULK_LIMIT:
        raise PortalError(
            "LIMIT_EXCEEDED",
            f"Select {BULK_LIMIT} claims or fewer",
            [ErrorDetail("applicationIds", f"at most {BULK_LIMIT}")],
        )
    return list(seen.items())


def _operation(action: BulkAction, locked_by_id: int | None, actor: Actor) -> str:
    if action is BulkAction.LOCK:
        return "lockClaim"
    if action is BulkAction.UNLOCK:  # one's own lock; a team leader releases another's
        leader = any(rule.team_leader for rule in actor.scope.rules)
        return "forceUnlockClaim" if leader and locked_by_id not in (None, actor.user_pk) else "unlockClaim"
    if action is BulkAction.ALLOCATE:
        return "allocateUser"
    raise ValueError(f"{action} is not a change of claims")


def perform_bulk(
    actor: Actor,
    user: User,
    action: BulkAction,
    application_ids: Sequence[str],
    *,
    target_user_id: str = "",
    audit_details: Mapping[str, Any] | None = None,
) -> list[BulkResult]:
    """Lock, unlock or allocate (to ``target_user_id``) each claim named, through ``perform``; one
    result per claim, in the order given. ``user`` is who is audited (with ``audit_details``)."""
    named = claim_numbers(application_ids)
    if action is BulkAction.ALLOCATE and not target_user_id.strip():
        raise PortalError(
            "SCHEMA_INVALID",
            "Choose the user to allocate the claims to",
            [ErrorDetail("targetUserID", "required")],
        )
    numbers = [n for _key, n in named if n is not None]
    current = {
        pk: (guid, locked_by)
        for pk, guid, locked_by in Claim.objects.filter(pk__in=numbers).values_list(
            "pk", "activity_guid", "locked_by_id"
        )
    }
    payload = {"targetUserID": target_user_id.strip()} if action is BulkAction.ALLOCATE else {}
    results: list[BulkResult] = []
    for key, number in named:
        row = current.get(number) if number is not None else None
        if number is None or row is None:
            results.append(BulkResult(key, "", NOT_VISIBLE))
            continue
        operation = _operation(action, row[1], actor)
        try:
            perform(
                actor=actor,
                operation=operation,
                application_id=number,
                activity_guid=row[0],
                payload=payload,
            )
        except PortalError as error:
            # Not visible, or visible but not this user's to change: reported, the claim untouched.
            results.append(BulkResult(key, operation, NOT_VISIBLE if error.code == "NOT_FOUND" else error))
        else:
            results.append(BulkResult(key, operation))
    record_bulk(user, action, results, target_user_id=target_user_id, details=audit_details)
    return results


def record_bulk(
    user: User,
    action: BulkAction,
    results: Sequence[BulkResult],
    *,
    target_user_id: str = "",
    details: Mapping[str, Any] | None = None,
) -> None:
    """One audit entry for a bulk action: the claims done, and those refused with the refusal's code."""
    done = [r.application_id for r in results if r.done]
    recorded: dict[str, Any] = {
        "done": done,
        "refused": {r.application_id: r.error.code for r in results if r.error is not None},
        **({"target_user": target_user_id} if target_user_id else {}),
        **dict(details or {}),
    }
    audit(user, f"claims.bulk_{action.value}", f"{len(done)} of {len(results)} claims", None, **recorded)
