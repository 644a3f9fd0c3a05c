"""The outbox: each change writes its webhook deliveries in its own transaction (``claims.effects``
observers), so nothing is sent for a change that rolled back and nothing is lost for one that
committed. The delivery job (``webhooks.delivery``) sends them.

The observers run on the hot path of every operation. Which organisations want which events is
cached per process (``Subscriptions``) under the stamp of one row (``EndpointsVersion``), replaced in
the transaction of every endpoint change: when no endpoint of the claim's parties wants the event,
an observer costs one primary-key read of that row (a prepared statement on PostgreSQL) and nothing
else.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from claimsportal.claims import effects, ledger
from claimsportal.claims.models import Claim
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.core import clock
from claimsportal.documents.models import PrintableDocument
from claimsportal.notifications.models import Notification
from claimsportal.webhooks import events, wakeup
from claimsportal.webhooks.models import Delivery, Endpoint, EndpointsVersion

VERSION_ROW = 1


# --------------------------------------------------------------------------------------------------
# Who wants what (a per-process cache under the endpoints' stamp)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subscriptions:
    stamp: uuid.UUID | None
    # organisation pk -> (endpoint pk, the kinds it wants) for every enabled endpoint
    by_organisation: dict[int, tuple[tuple[int, frozenset[str]], ...]]

    def endpoints(self, organisation_id: int | None, kind: str | None) -> list[int]:
        if organisation_id is None or kind is None:
            return []
        return [pk for pk, kinds in self.by_organisation.get(organisation_id, ()) if kind in kinds]

    def any_of(self, organisations: set[int]) -> bool:
        return any(o in self.by_organisation for o in organisations)


_cached: Subscriptions | None = None
_loading = threading.Lock()


def _stamp() -> uuid.UUID | None:
    row = ledger.hot("SELECT stamp FROM webhooks_endpointsversion WHERE id = %s", [VERSION_ROW], fetch=True)
    if row is None or row[0] is None:
        return None
    return row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(str(row[0]))


def subscriptions() -> Subscriptions:
    """Which enabled endpoints want what, as of now. The stamp is read first: an endpoint change that
    commits between the two reads is loaded under the older stamp and simply read again next time."""
    global _cached
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached.stamp == stamp:
        return cached
    with _loading:
        found: dict[int, list[tuple[int, frozenset[str]]]] = defaultdict(list)
        for pk, organisation_id, kinds in Endpoint.objects.filter(enabled=True).values_list(
            "pk", "organisation_id", "events"
        ):
            found[organisation_id].append((pk, frozenset(kinds or ())))
        fresh = Subscriptions(stamp, {o: tuple(e) for o, e in found.items()})
        _cached = fresh
    return fresh


def endpoints_changed() -> None:
    """Call in the transaction of every endpoint change (create, enable, disable, events, delete):
    every process reloads its cache on its next event."""
    if not EndpointsVersion.objects.filter(pk=VERSION_ROW).update(stamp=uuid.uuid4()):
        with transaction.atomic():
            EndpointsVersion.objects.update_or_create(pk=VERSION_ROW, defaults={"stamp": uuid.uuid4()})


# --------------------------------------------------------------------------------------------------
# Events to deliveries
# --------------------------------------------------------------------------------------------------


@dataclass
class _Event:
    kind: str
    organisation_id: int
    endpoints: list[int]
    application_id: int | None
    occurred_at: datetime
    claim: dict[str, Any] | None
    event_id: uuid.UUID | None = None  # None: a notification's GUID, still to be read
    notice: tuple[str, str] | None = None  # (notification kind, words)
    more: dict[str, Any] = field(default_factory=dict)


def _write(planned: Sequence[_Event]) -> int:
    if not planned:
        return 0
    now = clock.real_now()
    rows = []
    for event in planned:
        event_id = event.event_id or uuid.uuid4()
        notification = (
            events.notification_part(event_id, event.notice[0], event.notice[1]) if event.notice else None
        )
        body = events.body(
            event_id=event_id,
            kind=event.kind,
            occurred_at=event.occurred_at,
            claim=event.claim,
            notification=notification,
            **event.more,
        )
        rows += [
            Delivery(
                event_id=event_id,
                endpoint_id=endpoint,
                claim_id=event.application_id,
                kind=event.kind,
                body=body,
                created_at=now,
                retry_from=now,
                next_attempt_at=now,
            )
            for endpoint in event.endpoints
        ]
    Delivery.objects.bulk_create(rows)
    wakeup.notify(row.endpoint_id for row in rows)  # at commit: the deliverers wake at once
    return len(rows)


def _notification_guids(planned: Sequence[_Event]) -> None:
    """The set-based form does not tell the GUIDs of the notifications it wrote: read the few wanted
    (a claim has one notification of a kind per organisation per change)."""
    missing = [e for e in planned if e.event_id is None and e.notice is not None and e.application_id]
    if not missing:
        return
    found: dict[tuple[int, int, str, datetime], uuid.UUID] = {}
    for claim_id, organisation_id, kind, created_at, guid in Notification.objects.filter(
        claim_id__in={e.application_id for e in missing},
        kind__in={e.notice[0] for e in missing if e.notice},
        created_at__in={e.occurred_at for e in missing},
    ).values_list("claim_id", "organisation_id", "kind", "created_at", "guid"):
        found[(claim_id, organisation_id, kind, created_at)] = guid
    for event in missing:
        assert event.application_id is not None and event.notice is not None
        event.event_id = found.get(
            (event.application_id, event.organisation_id, event.notice[0], event.occurred_at)
        )


def parties(cr: int | None, comp: int | None, phase: str) -> set[int]:
    """The organisations that may hear of a claim in ``phase``: the compensator never sees a draft."""
    return {o for o in (cr, None if phase == DRAFT_PHASE else comp) if o is not None}


def _events_of(w: effects.Written, subs: Subscriptions) -> list[_Event]:
    """The webhook events one ledger event makes, each with the endpoints that want it."""
    told_to = parties(w.cr_organisation_id, w.comp_organisation_id, w.phase_after)
    if not subs.any_of(told_to | {t.organisation_id for t in w.told}):
        return []
    claim = events.claim_part(w.application_id, w.claim_type, w.phase_after, w.activity_guid, w.deadline_at)
    more = {"operation": w.operation, "actorSide": w.actor_side, "phaseBefore": w.phase_before}
    # (kind, organisation, event ID or None for a notification's GUID still to be read, notice)
    wanted: list[tuple[str, int, uuid.UUID | None, tuple[str, str] | None]] = []
    for told in w.told:
        kind = events.notice_event(told.kind, w.operation)
        if kind is not None:
            wanted.append((kind, told.organisation_id, told.guid, (told.kind, told.message)))
    if w.operation == events.TRANSFER_OPERATION:
        shared = uuid.uuid4()
        wanted += [(events.TRANSFERRED, organisation, shared, None) for organisation in sorted(told_to)]
    shared = uuid.uuid4()
    for organisation in sorted(told_to):
        mine = next((t for t in w.told if t.organisation_id == organisation), None)
        wanted.append((events.CHANGED, organisation, shared, (mine.kind, mine.message) if mine else None))
    planned = []
    for kind, organisation, event_id, notice in wanted:
        endpoints = subs.endpoints(organisation, kind)
        if endpoints:
            planned.append(
                _Event(
                    kind,
                    organisation,
                    endpoints,
                    w.application_id,
                    w.occurred_at,
                    claim,
                    event_id=event_id,
                    notice=notice,
                    more=more,
                )
            )
    return planned


def on_written(written: Sequence[effects.Written]) -> None:
    """The ``claims.effects`` observer: the deliveries of the events just written."""
    subs = subscriptions()
    if not subs.by_organisation:
        return
    planned = [event for w in written for event in _events_of(w, subs)]
    if planned:
        _notification_guids(planned)
        _write(planned)


def on_noticed(noticed: Sequence[effects.Noticed]) -> None:
    """The notice observer: deadline warnings (only those actually written: ``ledger.notify`` skips a
    warning the unique constraint already holds)."""
    subs = subscriptions()
    if not subs.by_organisation:
        return
    wanted = [
        (n, kind, endpoints)
        for n in noticed
        if (kind := events.notice_event(n.kind, ""))
        and (endpoints := subs.endpoints(n.organisation_id, kind))
    ]
    if not wanted:
        return
    written = set(
        Notification.objects.filter(guid__in=[n.guid for n, _, _ in wanted]).values_list("guid", flat=True)
    )
    claims = {
        row[0]: row
        for row in Claim.objects.filter(pk__in={n.application_id for n, _, _ in wanted}).values_list(
            "pk", "claim_type", "phase", "activity_guid", "deadline_at"
        )
    }
    planned = []
    for n, kind, endpoints in wanted:
        if n.guid not in written or n.application_id not in claims:
            continue
        _, claim_type, phase, guid, deadline = claims[n.application_id]
        planned.append(
            _Event(
                kind,
                n.organisation_id,
                endpoints,
                n.application_id,
                n.occurred_at,
                events.claim_part(n.application_id, claim_type, phase, guid, n.deadline_at or deadline),
                event_id=n.guid,
                notice=(n.kind, n.message),
            )
        )
    _write(planned)


def on_deleted(deleted: Sequence[effects.Deleted]) -> None:
    """The on-delete hook: a deletion's event, to each party's endpoints that want it (the delivery
    outlives the claim: it holds the application ID, not a foreign key)."""
    subs = subscriptions()
    if not subs.by_organisation:
        return
    planned = []
    for d in deleted:
        shared = uuid.uuid4()
        for organisation in sorted(parties(d.cr_organisation_id, d.comp_organisation_id, d.phase)):
            endpoints = subs.endpoints(organisation, events.DELETED)
            if endpoints:
                planned.append(
                    _Event(
                        events.DELETED,
                        organisation,
                        endpoints,
                        d.application_id,
                        d.occurred_at,
                        events.claim_part(d.application_id, d.claim_type, d.phase, None, None),
                        event_id=shared,
                        more={"reason": d.reason},
                    )
                )
    _write(planned)


def on_document_rendered(document: PrintableDocument) -> None:
    """A printable document's PDF was just stored (by the worker or a first download), in the storing
    transaction: "document ready" to the parties that see it (the claimant side unless it is the
    compensator's alone; the compensator it was made for, while the claim is still with it)."""
    subs = subscriptions()
    if not subs.by_organisation:
        return
    row = (
        Claim.objects.filter(pk=document.claim_id)
        .values_list(
            "claim_type",
            "phase",
            "activity_guid",
            "deadline_at",
            "cr_organisation_id",
            "comp_organisation_id",
        )
        .first()
    )
    if row is None:
        return
    claim_type, phase, guid, deadline, cr, comp = row
    told_to = []
    if document.visible_to_side in ("", "CR") and cr is not None:
        told_to.append(cr)
    if (
        document.visible_to_side in ("", "COMP")
        and comp is not None
        and document.comp_organisation_id == comp
    ):
        told_to.append(comp)
    shared = uuid.uuid4()
    planned = []
    for organisation in told_to:
        endpoints = subs.endpoints(organisation, events.DOCUMENT_READY)
        if endpoints and organisation in parties(cr, comp, phase):
            planned.append(
                _Event(
                    events.DOCUMENT_READY,
                    organisation,
                    endpoints,
                    document.claim_id,
                    document.rendered_at or clock.now(),
                    events.claim_part(document.claim_id, claim_type, phase, guid, deadline),
                    event_id=shared,
                    more={
                        "document": {
                            "printableDocumentId": str(document.document_id),
                            "kind": document.kind,
                            "title": document.title,
                            "version": document.version,
                        }
                    },
                )
            )
    _write(planned)
