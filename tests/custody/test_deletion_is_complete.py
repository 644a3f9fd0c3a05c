"""A deletion is complete: the claim row, its events, notifications, Idempotency-Key answers,
attachments and printable documents in the database, and their files in storage. Only anonymous
counters remain. Every table is checked (any column naming a claim), and the storage folder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from django.db import connection

from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.documents import attachments, printable
from claimsportal.documents.models import FileRemoval, PrintableDocument
from tests.a2a.conftest import Callers
from tests.conftest import World
from tests.custody.conftest import at, retention_on

pytestmark = pytest.mark.django_db

CLAIM_COLUMNS = ("claim_id", "application_id")


def rows_naming(ids: list[int]) -> dict[str, int]:
    """Every table's rows whose claim column names one of ``ids``."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for column in CLAIM_COLUMNS:
                if column in columns:
                    holes = ", ".join(["%s"] * len(ids))
                    cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} IN ({holes})", ids)
                    count = int(cursor.fetchone()[0])
                    if count:
                        found[f"{table}.{column}"] = count
    return found


def stored_files() -> list[Path]:
    root = Path(str(storages["private"].location))  # type: ignore[attr-defined]
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_deleting_claims_leaves_no_row_and_no_file_anywhere(
    world: World,
    clock: FixedClock,
    callers: Callers,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    ids = []
    for n in range(2):
        answer = callers.cr.post(
            "/claims",
            world.cr_handler,
            {"claimType": "RTA", "compensator": world.comp.path, "cnf": _cnf(n)},
            headers={"Idempotency-Key": f"send-{n}"},
        )
        assert answer.status == 201, answer.body
        number = answer.body["applicationId"]
        ids.append(int(number))
        attachments.add_attachment(
            world.actor(world.cr_handler),
            number,
            title="Medical report",
            description="GP notes",
            file_name="report.pdf",
            content=b"%PDF-1.4 medical data",
        )
    with django_capture_on_commit_callbacks(execute=True):
        for document in PrintableDocument.objects.filter(claim_id__in=ids):
            printable.ensure_rendered(document)
    assert rows_naming(ids).keys() >= {
        "claims_claimevent.claim_id",
        "notifications_notification.claim_id",
        "documents_attachment.claim_id",
        "documents_printabledocument.claim_id",
        "a2a_idempotencyrecord.application_id",
    }
    assert len(stored_files()) >= 4

    Claim.objects.filter(pk__in=ids).update(phase="FraudStated", updated_at=at(date(2026, 3, 2)))
    with django_capture_on_commit_callbacks(execute=True):
        retention_on(date(2026, 3, 2) + timedelta(days=31))

    assert rows_naming(ids) == {}
    assert not Claim.objects.filter(pk__in=ids).exists()
    assert stored_files() == []
    assert not FileRemoval.objects.exists()


def test_files_left_queued_by_an_interrupted_deletion_are_removed_by_the_job(
    world: World, clock: FixedClock, callers: Callers
) -> None:
    answer = callers.cr.post(
        "/claims", world.cr_handler, {"claimType": "RTA", "compensator": world.comp.path, "cnf": _cnf(0)}
    )
    number = answer.body["applicationId"]
    attachments.add_attachment(
        world.actor(world.cr_handler),
        number,
        title="X-ray",
        description="",
        file_name="x.pdf",
        content=b"%PDF-1.4",
    )
    Claim.objects.filter(pk=int(number)).update(phase="FraudStated", updated_at=at(date(2026, 3, 2)))
    retention_on(date(2026, 4, 2))  # committed, but the after-commit removal never ran (as if killed)
    assert FileRemoval.objects.count() == 1 and len(stored_files()) == 1
    assert attachments.remove_queued_files() == 1
    assert stored_files() == [] and not FileRemoval.objects.exists()


def _cnf(n: int) -> dict[str, Any]:
    from tests.conftest import cnf

    return cnf("RTA", surname=f"Claimant{n}")
