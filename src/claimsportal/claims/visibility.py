"""Who may see which claim: the one visibility rule (ARCHITECTURE.md §4 rule 5).

A :class:`VisibilityScope` is built once per user from their organisation, branch and profiles. The
same scope answers for one claim row in Python (the ``perform`` hot path) and for lists and searches
as a Django ``Q`` (set-based); a test proves the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db.models import Q

from claimsportal.organisations.profiles import NEW_ARRIVAL_PHASES, Reach
from claimsportal.protocols.types import ClaimType, Side

DRAFT_PHASE = "ClaimDataInputEdit"
# A claim acknowledged at the End of Stage 2 leaves worklists and searches for the archive, seen only
# through the archive search (custody.archive, the Search Archived Claims profile) until deleted.
ARCHIVED_PHASE = "EndOfStage2Acknowledged"
TYPES_BY_FAMILY = {
    "RTA": (ClaimType.RTA.value,),
    "ELPL": (ClaimType.EL.value, ClaimType.ELD.value, ClaimType.PL.value),
}


class ScopedClaim(Protocol):
    claim_type: str
    phase: str
    cr_organisation_id: int
    comp_organisation_id: int | None
    comp_branch_id: int | None
    cr_allocated_user_id: int | None
    comp_allocated_user_id: int | None
    gdpr_deleted_at: datetime | None


def in_custody(row: ScopedClaim) -> bool:
    """Archived or deleted under GDPR: out of every worklist, search and claim page."""
    return row.gdpr_deleted_at is not None or row.phase == ARCHIVED_PHASE


@dataclass(frozen=True)
class ScopeRule:
    family: str
    reach: Reach
    team_leader: bool
    dispatcher: bool


@dataclass(frozen=True)
class VisibilityScope:
    user_pk: int
    organisation_pk: int
    side: Side
    branch_pk: int | None
    rules: tuple[ScopeRule, ...]

    @classmethod
    def for_user(cls, user: Any) -> VisibilityScope:
        if user.organisation_id is None:
            return cls(user.pk, 0, Side.CR, None, ())
        side = Side(user.organisation.org_type)
        rules = tuple(
            ScopeRule(c.family, c.reach, c.team_leader, c.dispatcher)
            for c in user.claims_profiles()
            if side in c.sides
        )
        return cls(user.pk, user.organisation_id, side, user.branch_id, rules)

    # -- one claim ---------------------------------------------------------------------------------
    def rules_for(self, row: ScopedClaim) -> list[ScopeRule]:
        """The profile rules through which this user reaches the claim (empty: not visible)."""
        if in_custody(row):
            return []
        if self.side is Side.CR:
            if row.cr_organisation_id != self.organisation_pk:
                return []
            allocated = row.cr_allocated_user_id
        else:
            if row.comp_organisation_id != self.organisation_pk or row.phase == DRAFT_PHASE:
                return []
            allocated = row.comp_allocated_user_id
        out = []
        for rule in self.rules:
            if row.claim_type not in TYPES_BY_FAMILY[rule.family]:
                continue
            if (
                rule.reach in (Reach.BRANCH, Reach.NEW_ARRIVALS_BRANCH)
                and row.comp_branch_id != self.branch_pk
            ):
                continue
            if (
                rule.reach in (Reach.NEW_ARRIVALS, Reach.NEW_ARRIVALS_BRANCH)
                and row.phase not in NEW_ARRIVAL_PHASES
            ):
                continue
            if allocated is not None and allocated != self.user_pk and not rule.team_leader:
                continue
            out.append(rule)
        return out

    def can_see(self, row: ScopedClaim) -> bool:
        return bool(self.rules_for(row))

    # -- many claims -------------------------------------------------------------------------------
    def q(self, through: str = "") -> Q:
        """The same rule as :meth:`rules_for`, as a filter on ``Claim`` (or, with ``through`` = a
        relation's name and ``__``, on a model that points at the claim: ``"claim__"``)."""

        def on(**lookups: object) -> Q:
            return Q(**{f"{through}{name}": value for name, value in lookups.items()})

        if not self.rules:
            return Q(pk__in=[])
        if self.side is Side.CR:
            base = on(cr_organisation_id=self.organisation_pk)
            allocated = "cr_allocated_user_id"
        else:
            base = on(comp_organisation_id=self.organisation_pk) & ~on(phase=DRAFT_PHASE)
            allocated = "comp_allocated_user_id"
        base &= on(gdpr_deleted_at__isnull=True) & ~on(phase=ARCHIVED_PHASE)
        alternatives = Q(pk__in=[])
        for rule in self.rules:
            cond = on(claim_type__in=TYPES_BY_FAMILY[rule.family])
            if rule.reach in (Reach.BRANCH, Reach.NEW_ARRIVALS_BRANCH):
                cond &= on(comp_branch_id=self.branch_pk)
            if rule.reach in (Reach.NEW_ARRIVALS, Reach.NEW_ARRIVALS_BRANCH):
                cond &= on(phase__in=sorted(NEW_ARRIVAL_PHASES))
            if not rule.team_leader:
                cond &= on(**{f"{allocated}__isnull": True}) | on(**{allocated: self.user_pk})
            alternatives |= cond
        return base & alternatives
