"""The claim ledger is the only writer of claim rows, claim events and notifications: a change, its
event and its notices commit together; the set-based form changes a batch of claims with the same
words as the single-claim form; and no other module writes those tables (a grep over the code)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, transaction

from claimsportal.claims import effects, ledger, notices
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.notifications.models import Notification
from tests.conftest import World, send_claim

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "claimsportal"

# What writes a claim row, an event or a notification; only claims/ledger.py may say these.
WRITES = re.compile(
    r"UPDATE\s+claims_claim\b|INSERT\s+INTO\s+claims_claim(?:event)?\b|INSERT\s+INTO\s+notifications_notification\b"
    r"|\b(?:Claim|ClaimEvent|Notification)\.objects\.(?:create|bulk_create|update|get_or_create|update_or_create)\("
    r"|\b(?:Claim|ClaimEvent|Notification)\.objects\.filter\([^)]*\)\.update\("
    r"|\bclaim\.save\(",
    re.IGNORECASE,
)
# Each remaining writer with its reason; the list only shrinks.
ALLOWED: dict[str, str] = {}


def test_no_module_but_the_ledger_writes_claims_events_or_notifications() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative or relative == "claims/ledger.py" or relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if WRITES.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "write through claims.ledger instead:\n" + "\n".join(offenders)


def test_the_grep_finds_a_writer_when_there_is_one() -> None:
    assert WRITES.search('cursor.execute("UPDATE claims_claim SET phase = %s")')
    assert WRITES.search("ClaimEvent.objects.create(claim=claim)")
    assert WRITES.search("Notification.objects.bulk_create(rows)")
    assert WRITES.search("Claim.objects.filter(pk=1).update(phase='x')")
    assert not WRITES.search("Claim.objects.filter(pk=1).first()")


def _entry(info_guid: uuid.UUID, phase: str) -> ledger.Entry:
    return ledger.Entry(
        operation="testChange",
        actor=None,
        phase_before=phase,
        phase_after=phase,
        payload={"why": "a test"},
        activity_guid=info_guid,
        deadline_at=None,
    )


def test_a_change_its_event_and_its_notices_are_written_together(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    guid = uuid.uuid4()
    message = notices.render(notices.TIME_LIMIT_REACHED, info.application_id, label="Liability decision")
    with transaction.atomic():
        ledger.record(
            info.application_id,
            columns={"comp_reference": "REF-1", "activity_guid": guid},
            entry=_entry(guid, info.phase),
            told=[
                ledger.Notice(world.cr.pk, "CHANGE", message),
                ledger.Notice(world.comp.pk, "CHANGE", message),
            ],
            now=clock.now(),
        )
    claim = Claim.objects.get(pk=info.application_id)
    assert (claim.comp_reference, claim.activity_guid, claim.updated_at) == ("REF-1", guid, clock.now())
    event = ClaimEvent.objects.filter(claim_id=info.application_id).latest("id")
    assert (event.operation, event.actor_side, event.activity_guid, event.payload) == (
        "testChange",
        "SYSTEM",
        guid,
        {"why": "a test"},
    )
    told = Notification.objects.filter(claim_id=info.application_id, kind="CHANGE", message=message)
    assert sorted(told.values_list("organisation_id", flat=True)) == sorted([world.cr.pk, world.comp.pk])
    assert message == f"Liability decision for claim {info.application_id:08d}: time limit reached"


def test_no_event_is_written_for_a_claim_that_does_not_exist(world: World, clock: FixedClock) -> None:
    before = ClaimEvent.objects.count()
    with pytest.raises((IntegrityError, psycopg.IntegrityError, ledger.NoSuchClaim)), transaction.atomic():
        ledger.record(
            999_999,
            columns={"comp_reference": "X"},
            entry=_entry(uuid.uuid4(), "ClaimSubmitted"),
            now=clock.now(),
        )
    assert ClaimEvent.objects.count() == before


def test_a_failed_notice_leaves_neither_the_change_nor_the_event(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    events = ClaimEvent.objects.filter(claim_id=info.application_id).count()
    with pytest.raises((IntegrityError, psycopg.IntegrityError, DatabaseError)), transaction.atomic():
        ledger.record(
            info.application_id,
            columns={"comp_reference": "NEVER"},
            entry=_entry(uuid.uuid4(), info.phase),
            told=[ledger.Notice(world.cr.pk, None, "a notice of no kind")],  # type: ignore[arg-type]
            now=clock.now(),
        )
    assert Claim.objects.get(pk=info.application_id).comp_reference != "NEVER"
    assert ClaimEvent.objects.filter(claim_id=info.application_id).count() == events


def test_the_set_based_form_words_notices_as_the_single_claim_form(world: World, clock: FixedClock) -> None:
    infos = [send_claim(world) for _ in range(3)]
    clock.advance(timedelta(days=60))
    change = ledger.ClaimSet(
        carry=("application_id", "phase", "cr_organisation_id", "comp_organisation_id"),
        where="application_id IN (%s, %s)",
        params=[infos[0].application_id, infos[1].application_id],
        lookup="m(source, label) AS (VALUES (%s, %s))",
        lookup_params=[infos[0].phase, "Liability decision"],
        lookup_on="m.source = due.phase",
        lookup_columns=("label",),
        assignments={"comp_reference": "'SWEPT'"},
        operation="testSweep",
        event_payload={"label": "src.label"},
        notice_kind="CHANGE",
        notice_template=notices.TIME_LIMIT_REACHED,
        notify=("cr_organisation_id",),
    )
    with transaction.atomic():
        result = ledger.apply_set(change, now=clock.now())
    assert sorted(result.moved) == [(infos[0].phase, infos[0].phase)] * 2
    swept = Claim.objects.filter(comp_reference="SWEPT")
    assert sorted(swept.values_list("pk", flat=True)) == [infos[0].application_id, infos[1].application_id]
    assert not Claim.objects.filter(pk=infos[2].application_id, comp_reference="SWEPT").exists()
    for info in infos[:2]:
        claim = Claim.objects.get(pk=info.application_id)
        assert claim.activity_guid != info.activity_guid
        event = ClaimEvent.objects.filter(claim_id=info.application_id).latest("id")
        assert (event.operation, event.actor_side, event.activity_guid) == (
            "testSweep",
            "SYSTEM",
            claim.activity_guid,
        )
        assert event.payload == {"label": "Liability decision"}
        notice = Notification.objects.get(
            claim_id=info.application_id, kind="CHANGE", organisation_id=world.cr.pk
        )
        assert notice.message == notices.render(
            notices.TIME_LIMIT_REACHED, info.application_id, label="Liability decision"
        )


def test_a_notice_template_with_a_percent_sign_is_not_a_format_directive() -> None:
    fmt, fields = notices.sql_format("{label} at 100% for claim {claim}")
    assert (fmt, fields) == ("%s at 100%% for claim %s", ["label", "claim"])


@pytest.fixture
def observed() -> Iterator[list[effects.Written]]:
    """Every event the ledger writes during the test, as its observers are told of it."""
    seen: list[effects.Written] = []

    def observer(written: Sequence[effects.Written]) -> None:
        seen.extend(written)

    effects.register_observer(observer)
    try:
        yield seen
    finally:
        effects._observers.remove(observer)


def test_observers_hear_of_an_operation_with_the_claim_and_its_notice(
    world: World, clock: FixedClock, observed: list[effects.Written]
) -> None:
    info = send_claim(world)
    stored = Claim.objects.get(pk=info.application_id)
    sent = observed[-1]
    assert (sent.application_id, sent.operation, sent.actor_side) == (info.application_id, "addClaim", "CR")
    assert (sent.claim_type, sent.cr_organisation_id, sent.comp_organisation_id) == (
        stored.claim_type,
        world.cr.pk,
        world.comp.pk,
    )
    assert (sent.phase_after, sent.activity_guid) == (stored.phase, stored.activity_guid)
    assert [t.organisation_id for t in sent.told] == [world.comp.pk]
    assert sent.told[0].message == Notification.objects.get(claim_id=info.application_id).message


def test_observers_hear_of_each_claim_a_set_changes_with_its_notices(
    world: World, clock: FixedClock, observed: list[effects.Written]
) -> None:
    infos = [send_claim(world) for _ in range(2)]
    observed.clear()
    change = ledger.ClaimSet(
        carry=("application_id", "phase", "cr_organisation_id"),
        where="application_id IN (%s, %s)",
        params=[info.application_id for info in infos],
        lookup="m(source, label) AS (VALUES (%s, %s))",
        lookup_params=[infos[0].phase, "Liability decision"],
        lookup_on="m.source = due.phase",
        lookup_columns=("label",),
        assignments={"comp_reference": "'SWEPT'"},
        operation="testSweep",
        event_payload={"label": "src.label"},
        notice_kind="CHANGE",
        notice_template=notices.TIME_LIMIT_REACHED,
        notify=("cr_organisation_id", "comp_organisation_id"),
    )
    with transaction.atomic():
        result = ledger.apply_set(change, now=clock.now())
    assert result.written == observed
    assert [w.application_id for w in observed] == [info.application_id for info in infos]
    for info, written in zip(infos, observed, strict=True):
        claim = Claim.objects.get(pk=info.application_id)
        assert (written.operation, written.actor_side, written.activity_guid) == (
            "testSweep",
            "SYSTEM",
            claim.activity_guid,
        )
        assert dict(written.payload) == {"label": "Liability decision"}
        assert {t.organisation_id for t in written.told} == {world.cr.pk, world.comp.pk}
        message = notices.render(notices.TIME_LIMIT_REACHED, info.application_id, label="Liability decision")
        assert {t.message for t in written.told} == {message}
        assert Notification.objects.filter(claim_id=info.application_id, message=message).count() == 2


def test_an_observer_that_fails_rolls_the_change_back(world: World, clock: FixedClock) -> None:
    info = send_claim(world)

    def refuse(written: Sequence[effects.Written]) -> None:
        raise RuntimeError("observer down")

    effects.register_observer(refuse)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            ledger.record(
                info.application_id,
                columns={"comp_reference": "NEVER"},
                entry=_entry(uuid.uuid4(), info.phase),
                now=clock.now(),
            )
    finally:
        effects._observers.remove(refuse)
    assert Claim.objects.get(pk=info.application_id).comp_reference != "NEVER"
