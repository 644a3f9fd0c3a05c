"""What an operation does beyond the claim's own row, event and notifications, registered by the
apps above ``claims`` (so that ``claims`` imports none of them): today the printable documents an
operation makes due (``documents``, WORKFLOW.md §10). ``perform`` runs each registered effect in the
operation's transaction, after the ledger has written the change; and what must go when a claim is
deleted (its attachments' files)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from claimsportal.protocols.types import Side

if TYPE_CHECKING:
    from claimsportal.claims.ledger import LockedClaim
    from claimsportal.protocols.engine import Outcome

# (the claim as locked, the outcome, the acting side, the payload as its event stores it, now)
Effect = Callable[["LockedClaim", "Outcome", Side, dict[str, Any], datetime], None]

# Called with the application IDs of claims being deleted, in the deleting transaction.
OnDelete = Callable[[list[int]], object]

_effects: list[Effect] = []
_on_delete: list[OnDelete] = []


def register(effect: Effect) -> None:
    """Add ``effect`` (idempotent: an app's ``ready()`` may run twice in tests)."""
    if effect not in _effects:
        _effects.append(effect)


def registered() -> tuple[Effect, ...]:
    return tuple(_effects)


def register_on_delete(hook: OnDelete) -> None:
    """Add ``hook``, run when claims are deleted (the documents app removes their files on commit)."""
    if hook not in _on_delete:
        _on_delete.append(hook)


def on_delete() -> tuple[OnDelete, ...]:
    return tuple(_on_delete)
