"""The daily retention job over a large table: ``claimsportal retention`` in a subprocess.

On the claims ``bench.generate`` made (default 1,000,000), one in ten is made due for deletion by a
rule of the policy — inactive Fraud Stated (R02), settled 400 days ago (R01), rejected to the CR
(R03), Start of Stage 2.1 with its CNF sent more than 5 years ago (R28) — and one in a hundred waits
for the portal's automatic acknowledgement (R32); 2,000 of the due claims get an attachment with a
real file. Then the job runs as the operator runs it, under GNU time (peak RSS), and SQL checks that
exactly the due claims went, with their events, notifications, attachments and files, that the
acknowledged ones moved once, and that nothing else changed. Goals: < 60 s, < 300 MB."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from bench.common import (
    BIN_DIR,
    DatabaseUrl,
    OtherLoad,
    Summary,
    checkpoint,
    machine_check,
    say,
    scalar,
    verdict,
)
from bench.timers import RSS_GOAL_MB, WALL_GOAL_SECONDS, _sweep

FILES = 2000


def _prepare(now: Any) -> dict[str, int]:
    from datetime import timedelta

    from django.db import connection

    from claimsportal.documents.models import Attachment
    from claimsportal.documents.storage import private_storage

    old = now - timedelta(days=400)
    sent_long_ago = now - timedelta(days=2000)
    reached = now - timedelta(days=40)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET phase = CASE (application_id / 10) %% 4"
            " WHEN 0 THEN 'FraudStated' WHEN 1 THEN 'Stage2SettlementPackAgreedEnd'"
            " WHEN 2 THEN 'ClaimsRejectedToCR' ELSE 'StartOfStage21' END,"
            " owner_side = NULL, awaiting_organisation_id = NULL, deadline_at = NULL, updated_at = %s,"
            " phase_entered_at = %s, sent_at = %s, retention_floor = NULL, claimant_adult_on = NULL"
            " WHERE application_id %% 10 = 0",
            [old, old, sent_long_ago],
        )
        cursor.execute(
            "UPDATE claims_claim SET phase = 'LiabilityNotAdmitted', owner_side = 'CR', deadline_at = NULL,"
            " phase_entered_at = %s, retention_floor = NULL WHERE application_id %% 100 = 5",
            [reached],
        )
        cursor.execute(
            "SELECT application_id, cr_organisation_id FROM claims_claim WHERE application_id %% 10 = 0"
            " ORDER BY application_id LIMIT %s",
            [FILES],
        )
        with_files = cursor.fetchall()
    storage = private_storage()
    rows = []
    for application_id, organisation in with_files:
        name = storage.save(f"bench/{uuid.uuid4().hex}.pdf", _content())
        rows.append(
            Attachment(
                claim_id=application_id,
                title="Medical report",
                file_name="report.pdf",
                content_type="application/pdf",
                size=12,
                sha256="0" * 64,
                file=name,
                owner_side="CR",
                owner_organisation_id=organisation,
                owner_name="Bench",
                created_at=now,
            )
        )
    Attachment.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE claims_claim")
    return {
        "due": int(scalar("SELECT count(*) FROM claims_claim WHERE application_id %% 10 = 0")),
        "acknowledge": int(scalar("SELECT count(*) FROM claims_claim WHERE application_id %% 100 = 5")),
        "files": len(rows),
    }


def _content() -> Any:
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.4 med")


def run(args: Any, db: DatabaseUrl, summary: Summary) -> None:
    from django.db import connection
    from django.utils import timezone

    from claimsportal.documents.storage import private_storage

    now = timezone.now()
    total = scalar("SELECT count(*) FROM claims_claim")
    if not total:
        say("no claims: run 'generate' first (python -m bench retention runs it)")
        return
    expected = _prepare(now)
    events_before = scalar("SELECT count(*) FROM claims_claimevent")
    root = private_storage().path("bench")
    say(
        f"{total:,} claims; {expected['due']:,} due for deletion, {expected['acknowledge']:,} awaiting the "
        f"automatic acknowledgement, {expected['files']:,} stored files on due claims"
    )
    checkpoint()
    machine_check("retention")
    connection.close()
    others = OtherLoad()
    command = [str(BIN_DIR / "claimsportal"), "retention", "--batch-size", str(args.batch_size)]
    run_ = _sweep(db, args.batch_size, command)
    other_load = others.stop()
    say(
        f"retention exited {run_.code} after {run_.wall:.1f} s wall; peak RSS {run_.peak_mb:,.0f} MiB ({run_.how})"
    )
    report: dict[str, Any] = {}
    try:
        report = json.loads(run_.stdout)
    except ValueError:
        say(f"could not read its JSON output:\n{run_.stdout}\n{run_.stderr[-2000:]}")
    summary.add(
        "retention",
        "claimsportal retention wall s",
        f"{run_.wall:.1f}",
        f"< {WALL_GOAL_SECONDS}",
        verdict(run_.wall < WALL_GOAL_SECONDS),
    )
    summary.add(
        "retention",
        "peak RSS MiB",
        f"{run_.peak_mb:,.0f}",
        f"< {RSS_GOAL_MB}",
        verdict(run_.peak_mb < RSS_GOAL_MB),
    )
    summary.add(
        "retention", "seconds inside the job (batches)", f"{report.get('seconds')} ({report.get('batches')})"
    )
    summary.add("machine", "other processes' CPU during retention", f"{other_load:.0%}", "≤ 10%")
    # The figure above sees only processes alive before and after the run (not PostgreSQL's or short-lived
    # ones); the run queue length says how busy the 2 cores really were.
    summary.add(
        "machine", "load average (1 min, 5 min) after the run", "{:.1f}, {:.1f}".format(*os.getloadavg()[:2])
    )

    left_files = sum(len(files) for _, _, files in os.walk(root)) if os.path.isdir(root) else 0
    checks = [
        ("claims deleted", int(report.get("deleted", -1)), expected["due"]),
        ("claims acknowledged by the portal", int(report.get("acknowledged", -1)), expected["acknowledge"]),
        (
            "due claims left",
            int(scalar("SELECT count(*) FROM claims_claim WHERE application_id %% 10 = 0")),
            0,
        ),
        ("claims left in all", int(scalar("SELECT count(*) FROM claims_claim")), total - expected["due"]),
        (
            "acknowledged claims in their end phase",
            int(
                scalar(
                    "SELECT count(*) FROM claims_claim WHERE application_id %% 100 = 5 AND phase = 'LiabilityNotAdmittedEnd'"
                )
            ),
            expected["acknowledge"],
        ),
        (
            "orphan events",
            int(
                scalar(
                    "SELECT count(*) FROM claims_claimevent e LEFT JOIN claims_claim c ON c.application_id = e.claim_id WHERE c.application_id IS NULL"
                )
            ),
            0,
        ),
        (
            "orphan attachments",
            int(
                scalar(
                    "SELECT count(*) FROM documents_attachment a LEFT JOIN claims_claim c ON c.application_id = a.claim_id WHERE c.application_id IS NULL"
                )
            ),
            0,
        ),
        ("stored files left of deleted claims", left_files, 0),
        ("queued file removals left", int(scalar("SELECT count(*) FROM documents_fileremoval")), 0),
    ]
    for label, actual, wanted in checks:
        ok = actual == wanted
        say(f"  check {label:<45} {actual:>10,}  expected {wanted:>10,}  {'OK' if ok else 'MISMATCH'}")
        summary.add("retention", label, f"{actual:,}", f"= {wanted:,}", "ok" if ok else "MISMATCH")
    say(f"events before {events_before:,}, after {scalar('SELECT count(*) FROM claims_claimevent'):,}")
