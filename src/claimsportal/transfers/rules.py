"""The rules of a bulk transfer that need no database (ADMINISTRATION.md §3): which claims move,
why a claim is skipped, how much notice a transfer needs, the size below which it is not meant for.
"""

from __future__ import annotations

from collections.abc import Iterable

from claimsportal.claims.visibility import DRAFT_PHASE, TYPES_BY_FAMILY
from claimsportal.protocols.tables import DEFINITIONS

# Working days between the request and the transfer: 20 if either side uses A2A (the software house's
# bulk-transfer implementation must be understood, maybe re-tested), 5 web to web.
NOTICE_A2A = 20
NOTICE_WEB = 5
# "About 100 claims in one transaction; not meant for individual claims": below this, a warning (the
# operator may still run it).
SMALL_TRANSFER = 100

# Phases in which a claim is not active: the draft and every end phase of every protocol.
END_PHASES = frozenset(
    phase.id for definition in DEFINITIONS.values() for phase in definition.phases.values() if phase.terminal
)
INACTIVE_PHASES = frozenset({DRAFT_PHASE, *END_PHASES})


class Skip:
    """Why a claim is not moved (the report's words; plain English)."""

    DRAFT = "Draft claim: never sent, so not active (send it to the compensator first)"
    ENDED = "The claim has ended (it is in an end phase)"
    NOT_A_PARTY = "Not a claim of the sending organisation"
    WRONG_TYPE = "The receiving organisation does not handle this type of claim"
    IN_USE = "Could not be moved: the claim was being changed at the time; run the transfer again"


SKIP_ORDER = (Skip.DRAFT, Skip.ENDED, Skip.NOT_A_PARTY, Skip.WRONG_TYPE, Skip.IN_USE)


def claim_types_of(families: Iterable[str]) -> frozenset[str]:
    """The claim types an organisation handles, from its families (RTA, ELPL)."""
    return frozenset(t for family in families for t in TYPES_BY_FAMILY.get(family, ()))


def notice_days(source_uses_a2a: bool, destination_uses_a2a: bool) -> int:
    return NOTICE_A2A if source_uses_a2a or destination_uses_a2a else NOTICE_WEB


def skip_reason(
    *, phase: str, claim_type: str, is_party: bool, destination_types: frozenset[str]
) -> str | None:
    """Why this claim would be skipped, or None if it moves."""
    if not is_party:
        return Skip.NOT_A_PARTY
    if phase == DRAFT_PHASE:
        return Skip.DRAFT
    if phase in END_PHASES:
        return Skip.ENDED
    if claim_type not in destination_types:
        return Skip.WRONG_TYPE
    return None
