"""User profiles (ADMINISTRATION.md §1.6; WORKFLOW.md §1.3) and what each one lets a user do.

One user may hold several profiles; what they may see and do is the union.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from claimsportal.protocols.types import Side


class Profile(StrEnum):
    ADMINISTRATOR = "ADMINISTRATOR"
    RTA_CLAIM_HANDLER = "RTA_CLAIM_HANDLER"
    ELPL_CLAIM_HANDLER = "ELPL_CLAIM_HANDLER"
    RTA_TEAM_LEADER = "RTA_TEAM_LEADER"
    ELPL_TEAM_LEADER = "ELPL_TEAM_LEADER"
    RTA_BRANCH_CLAIM_HANDLER = "RTA_BRANCH_CLAIM_HANDLER"
    ELPL_BRANCH_CLAIM_HANDLER = "ELPL_BRANCH_CLAIM_HANDLER"
    RTA_CLAIM_DISPATCHER = "RTA_CLAIM_DISPATCHER"
    ELPL_CLAIM_DISPATCHER = "ELPL_CLAIM_DISPATCHER"
    RTA_BRANCH_DISPATCHER = "RTA_BRANCH_DISPATCHER"
    ELPL_BRANCH_DISPATCHER = "ELPL_BRANCH_DISPATCHER"
    DELETE_CLAIMS = "DELETE_CLAIMS"
    SEARCH_ARCHIVE = "SEARCH_ARCHIVE"


class Reach(StrEnum):
    """Which of the organisation's claims a claims profile reaches."""

    ALL = "ALL"  # every claim of the type (handlers, team leaders)
    BRANCH = "BRANCH"  # claims allocated to the user's branch (COMP branch handlers)
    NEW_ARRIVALS = "NEW_ARRIVALS"  # newly received claims org-wide (COMP dispatchers)
    NEW_ARRIVALS_BRANCH = "NEW_ARRIVALS_BRANCH"  # newly received claims in the user's branch


@dataclass(frozen=True)
class ClaimsProfile:
    profile: Profile
    family: str  # "RTA" or "ELPL"
    reach: Reach
    team_leader: bool = False
    dispatcher: bool = False
    sides: frozenset[Side] = frozenset({Side.CR, Side.COMP})
    label: str = ""


_COMP = frozenset({Side.COMP})

CLAIMS_PROFILES: dict[Profile, ClaimsProfile] = {
    c.profile: c
    for c in (
        ClaimsProfile(Profile.RTA_CLAIM_HANDLER, "RTA", Reach.ALL, label="RTA Claim Handler"),
        ClaimsProfile(Profile.ELPL_CLAIM_HANDLER, "ELPL", Reach.ALL, label="ELPL Claim Handler"),
        ClaimsProfile(Profile.RTA_TEAM_LEADER, "RTA", Reach.ALL, team_leader=True, label="RTA Team Leader"),
        ClaimsProfile(
            Profile.ELPL_TEAM_LEADER, "ELPL", Reach.ALL, team_leader=True, label="ELPL Team Leader"
        ),
        ClaimsProfile(
            Profile.RTA_BRANCH_CLAIM_HANDLER,
            "RTA",
            Reach.BRANCH,
            sides=_COMP,
            label="RTA Branch Claim Handler",
        ),
        ClaimsProfile(
            Profile.ELPL_BRANCH_CLAIM_HANDLER,
            "ELPL",
            Reach.BRANCH,
            sides=_COMP,
            label="ELPL Branch Claim Handler",
        ),
        ClaimsProfile(
            Profile.RTA_CLAIM_DISPATCHER,
            "RTA",
            Reach.NEW_ARRIVALS,
            dispatcher=True,
            sides=_COMP,
            label="RTA Claim Dispatcher",
        ),
        ClaimsProfile(
            Profile.ELPL_CLAIM_DISPATCHER,
            "ELPL",
            Reach.NEW_ARRIVALS,
            dispatcher=True,
            sides=_COMP,
            label="ELPL Claim Dispatcher",
        ),
        ClaimsProfile(
            Profile.RTA_BRANCH_DISPATCHER,
            "RTA",
            Reach.NEW_ARRIVALS_BRANCH,
            dispatcher=True,
            sides=_COMP,
            label="RTA Branch Dispatcher",
        ),
        ClaimsProfile(
            Profile.ELPL_BRANCH_DISPATCHER,
            "ELPL",
            Reach.NEW_ARRIVALS_BRANCH,
            dispatcher=True,
            sides=_COMP,
            label="ELPL Branch Dispatcher",
        ),
    )
}

# The phases in which a claim counts as "newly received" for dispatchers.
NEW_ARRIVAL_PHASES = frozenset({"ClaimAcknowledgement", "ClaimSubmitted"})


def profiles_valid_for(side: Side) -> frozenset[Profile]:
    claims = {p for p, c in CLAIMS_PROFILES.items() if side in c.sides}
    return frozenset(claims | {Profile.ADMINISTRATOR, Profile.DELETE_CLAIMS, Profile.SEARCH_ARCHIVE})


def parse_profiles(values: list[str] | str, side: Side) -> list[Profile]:
    """Profiles from their codes; raises ValueError naming any unknown or not valid for the side."""
    raw = [v.strip().upper() for v in (values.split(",") if isinstance(values, str) else values) if v.strip()]
    if not raw:
        raise ValueError("at least one profile is required")
    out: list[Profile] = []
    allowed = profiles_valid_for(side)
    for code in raw:
        try:
            profile = Profile(code)
        except ValueError:
            raise ValueError(
                f"unknown profile {code!r}; known: {', '.join(p.value for p in Profile)}"
            ) from None
        if profile not in allowed:
            raise ValueError(f"profile {code} is not available to a {side.value} organisation")
        if profile not in out:
            out.append(profile)
    return out
