"""The small vocabulary every protocol table is written in."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """The two sides of a claim. ``CR`` = claimant representative, ``COMP`` = compensator."""

    CR = "CR"
    COMP = "COMP"

    @property
    def other(self) -> Side:
        return Side.COMP if self is Side.CR else Side.CR


class ClaimType(StrEnum):
    RTA = "RTA"
    EL = "EL"
    ELD = "ELD"
    PL = "PL"

    @property
    def protocol(self) -> ProtocolName:
        return ProtocolName.RTA if self is ClaimType.RTA else ProtocolName.ELPL

    @property
    def profile_family(self) -> str:
        """Which claims profiles cover this type: ``RTA`` or ``ELPL`` (WORKFLOW.md §1.3)."""
        return "RTA" if self is ClaimType.RTA else "ELPL"


class ProtocolName(StrEnum):
    RTA = "RTA"
    ELPL = "ELPL"


class InsurerType(StrEnum):
    """``C13_InsurerType`` (WORKFLOW.md §1.1): insurer, self-insured, MIB."""

    INSURER = "I"
    SELF_INSURED = "S"
    MIB = "M"


class OperationKind(StrEnum):
    WORKFLOW = "workflow"
    HOUSEKEEPING = "housekeeping"


class ActingSide(StrEnum):
    """Who may call an operation: a fixed side, or whichever side owns the current phase."""

    CR = "CR"
    COMP = "COMP"
    OWNER = "OWNER"
    EITHER = "EITHER"
