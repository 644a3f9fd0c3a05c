"""Who may do what to a claim beyond its phase: the lock, allocation and profile rules of the
housekeeping operations (lock, unlock, force unlock, allocate, deallocate, branch) and the lock rule
of every other operation, as data over a few facts about the claim and the acting user.

``perform`` refuses with the first rule that does not hold; ``allowedOperations`` offers an operation
only when every rule holds: one table, read the same way by both (ARCHITECTURE.md §4 rule 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum


class LockHolder(StrEnum):
    NOBODY = "NOBODY"
    ME = "ME"  # the acting user
    OTHER = "OTHER"  # another user


@dataclass(frozen=True)
class AccessFacts:
    """What the rules look at, for one acting user and one claim."""

    lock: LockHolder
    team_leader: bool  # a team leader profile covering the claim
    may_allocate_branch: bool  # a dispatcher, team leader or organisation-wide handler profile
    allocated: bool  # the acting side has allocated the claim to one of its users


@dataclass(frozen=True)
class AccessRule:
    label: str  # for the generated docs
    holds: Callable[[AccessFacts], bool]
    code: str  # the error code when it does not hold (API.md)
    message: str  # ``{operation}`` is replaced by the operation's name
    field: str
    detail: str = ""  # the field error's message, when not the message itself

    @property
    def checked_first(self) -> bool:
        """The lock is checked before anything else about the request (even its
        activityEngineGuid); the other rules after the protocol's own checks."""
        return self.code == "CLAIM_LOCKED"


NOT_LOCKED_BY_ANOTHER = AccessRule(
    "not locked by another user",
    lambda f: f.lock is not LockHolder.OTHER,
    "CLAIM_LOCKED",
    "The claim is locked by another user",
    "applicationId",
    "locked by another user",
)
UNLOCKED = AccessRule(
    "not locked",
    lambda f: f.lock is LockHolder.NOBODY,
    "BUSINESS_RULE",
    "The claim is already locked",
    "applicationId",
)
LOCKED_BY_ME = AccessRule(
    "locked by the acting user",
    lambda f: f.lock is LockHolder.ME,
    "BUSINESS_RULE",
    "The claim is not locked by you",
    "applicationId",
)
LOCKED = AccessRule(
    "locked",
    lambda f: f.lock is not LockHolder.NOBODY,
    "BUSINESS_RULE",
    "The claim is not locked",
    "applicationId",
)
TEAM_LEADER = AccessRule(
    "a team leader",
    lambda f: f.team_leader,
    "FORBIDDEN_PROFILE",
    "{operation} needs a team leader profile",
    "operation",
    "team leaders only",
)
ALLOCATED = AccessRule(
    "allocated to a user",
    lambda f: f.allocated,
    "BUSINESS_RULE",
    "The claim is not allocated to a user",
    "applicationId",
)
MAY_ALLOCATE_BRANCH = AccessRule(
    "a dispatcher, team leader or organisation-wide handler",
    lambda f: f.may_allocate_branch,
    "FORBIDDEN_PROFILE",
    "{operation} needs a dispatcher, handler or team leader profile",
    "operation",
    "not allowed for branch claim handlers",
)

# Every operation not listed in the tables with rules of its own.
DEFAULT_RULES: tuple[AccessRule, ...] = (NOT_LOCKED_BY_ANOTHER,)


def first_broken(rules: Iterable[AccessRule], facts: AccessFacts) -> AccessRule | None:
    return next((rule for rule in rules if not rule.holds(facts)), None)
