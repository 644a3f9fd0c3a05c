"""What a claim change does beyond the claim's own row, event and notifications, registered by the
apps above ``claims`` (so that ``claims`` imports none of them):

- **effects** (:func:`register`): run by ``perform`` in the operation's transaction, after the ledger
  has written the change, with the decided outcome (the printable documents an operation makes due,
  WORKFLOW.md §10);
- **observers** (:func:`register_observer`): told of every event the ledger writes, whichever form
  wrote it (an operation, a draft, an attachment, a timer or any other job's set-based change), in the
  same transaction, as :class:`Written` records: the anonymous management-information facts, webhook
  deliveries (an outbox: nothing for a change that rolls back, nothing lost for one that commits);
- **on delete** (:func:`register_on_delete`): told of the claims being deleted, in the deleting
  transaction, before their rows go (their attachments' files, a deletion's webhook, its counters);
- **notice observers** (:func:`register_notice_observer`): told of the notifications written about
  claims that do not change (``ledger.notify``: the deadline warnings), as :class:`Noticed` records,
  in the same transaction (a deadline warning's webhook).

An observer must be cheap when it has nothing to do: it runs on the hot path of every operation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from claimsportal.protocols.types import Side

if TYPE_CHECKING:
    from claimsportal.claims.locked import LockedClaim
    from claimsportal.protocols.engine import Outcome

# (the claim as locked, the outcome, the acting side, the payload as its event stores it, now)
Effect = Callable[["LockedClaim", "Outcome", Side, dict[str, Any], datetime], None]


@dataclass(frozen=True)
class Told:
    """A notification the change inserted: to which organisation, its kind and its words."""

    organisation_id: int
    kind: str
    message: str
    # The notification's GUID (the feed's ``notificationGuid``) when the writer knows it: the
    # single-claim forms do; the set-based form leaves it None (its rows' GUIDs are made by SQL).
    guid: uuid.UUID | None = None


@dataclass(frozen=True)
class Noticed:
    """A notification offered about a claim that does not change (a deadline warning). ``ledger.notify``
    skips one the unique constraint already holds: an observer that acts on it checks that a row with
    ``guid`` exists."""

    application_id: int
    organisation_id: int
    kind: str
    message: str
    deadline_at: datetime | None
    guid: uuid.UUID
    occurred_at: datetime


@dataclass(frozen=True)
class Written:
    """One event the ledger has just written, with the claim as it is after the change."""

    application_id: int
    claim_type: str  # RTA, EL, ELD, PL
    cr_organisation_id: int | None
    comp_organisation_id: int | None
    operation: str
    actor_side: str  # "CR", "COMP" or "SYSTEM" (a timer or another job)
    actor_organisation_id: int | None
    actor_user_id: int | None
    phase_before: str
    phase_after: str
    activity_guid: uuid.UUID
    deadline_at: datetime | None
    occurred_at: datetime
    payload: Mapping[str, Any]
    told: tuple[Told, ...] = ()


@dataclass(frozen=True)
class Deleted:
    """A claim being deleted (its row is still there when the hooks run)."""

    application_id: int
    claim_type: str
    phase: str
    cr_organisation_id: int | None
    comp_organisation_id: int | None
    reason: str  # the retention rule's code, "GDPR", "DRAFT"
    occurred_at: datetime


# Called with the events just written, in their transaction.
Observer = Callable[[Sequence[Written]], object]

# Called with the claims being deleted, in the deleting transaction.
OnDelete = Callable[[Sequence[Deleted]], object]

# Called with the notifications ``ledger.notify`` offered, in their transaction.
NoticeObserver = Callable[[Sequence[Noticed]], object]

_effects: list[Effect] = []
_observers: list[Observer] = []
_on_delete: list[OnDelete] = []
_notice_observers: list[NoticeObserver] = []


def register(effect: Effect) -> None:
    """Add ``effect`` (idempotent: an app's ``ready()`` may run twice in tests)."""
    if effect not in _effects:
        _effects.append(effect)


def registered() -> tuple[Effect, ...]:
    return tuple(_effects)


def register_observer(observer: Observer) -> None:
    """Add ``observer``, told of every event the ledger writes."""
    if observer not in _observers:
        _observers.append(observer)


def observers() -> tuple[Observer, ...]:
    return tuple(_observers)


def observe(written: Sequence[Written]) -> None:
    """Tell every observer (the ledger calls this after each write)."""
    if written:
        for observer in _observers:
            observer(written)


def register_on_delete(hook: OnDelete) -> None:
    """Add ``hook``, run when claims are deleted (the documents app removes their files on commit)."""
    if hook not in _on_delete:
        _on_delete.append(hook)


def on_delete() -> tuple[OnDelete, ...]:
    return tuple(_on_delete)


def register_notice_observer(observer: NoticeObserver) -> None:
    """Add ``observer``, told of the notifications ``ledger.notify`` writes (deadline warnings)."""
    if observer not in _notice_observers:
        _notice_observers.append(observer)


def notice_observers() -> tuple[NoticeObserver, ...]:
    return tuple(_notice_observers)


def observe_notices(noticed: Sequence[Noticed]) -> None:
    """Tell every notice observer (``ledger.notify`` calls this after its insert)."""
    if noticed:
        for observer in _notice_observers:
            observer(noticed)
