"""A bulk transfer of 100,000 active claims: ``claimsportal transfer-claims`` in a subprocess.

Generates ``--claims`` claims (default here 100,000, none due) all of one claimant firm, creates an
empty receiving firm, and runs ``claimsportal transfer-claims --from … --to …`` as the operator runs it
(the ledger's set-based ``apply_set`` in batches of ``--batch-size``), measuring its wall time and peak
RSS (GNU time ``%M``). Then SQL checks: every claim moved once, one ``claimTransferred`` event each,
three notices each (source, destination, the compensator), the deadline columns byte-identical.
Figures are printed; a mismatch is reported, not raised.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from typing import Any

from bench.common import BIN_DIR, DatabaseUrl, Summary, checkpoint, machine_check, say, scalar, verdict

WALL_GOAL_SECONDS = 30
RSS_GOAL_MB = 300
GNU_TIME = "/usr/bin/time"
DEADLINES = (
    "md5(string_agg(concat_ws('|', application_id, phase, owner_side, deadline_at, deadline_kind, deadline_anchor,"
    " deadline_business_days, deadline_further_days, deadline_fixed_date, comp_organisation_id), ',' ORDER BY"
    " application_id))"
)


def _loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def run(args: Any, db: DatabaseUrl, summary: Summary) -> None:
    from django.db import connection

    from bench.generate import World, ensure_world, generate_claims
    from claimsportal.organisations.models import Organisation
    from claimsportal.organisations.services import create_organisation

    world = ensure_world()
    source = Organisation.objects.filter(name="Bench Sending Firm LLP").first() or create_organisation(
        org_type="CR", name="Bench Sending Firm LLP"
    )
    one_firm = World([source.pk], world.comp_orgs, world.comp_branches)
    count = args.transfer_claims
    generated = generate_claims(one_firm, count=count, due=0, label="claims of one firm")
    destination = Organisation.objects.filter(name="Bench Receiving Firm LLP").first() or create_organisation(
        org_type="CR", name="Bench Receiving Firm LLP"
    )
    ids = (generated.first_id, generated.last_id)
    where = "application_id BETWEEN %s AND %s"
    before = scalar(f"SELECT {DEADLINES} FROM claims_claim WHERE {where}", list(ids))
    notices_before = scalar("SELECT count(*) FROM notifications_notification")
    events_before = scalar("SELECT COALESCE(max(id), 0) FROM claims_claimevent")
    say(f"{count:,} claims of {source.org_id} to transfer to {destination.org_id}")
    checkpoint()
    machine_check("transfer-claims")
    connection.close()

    command = [
        str(BIN_DIR / "claimsportal"),
        "transfer-claims",
        "--from",
        source.org_id,
        "--to",
        destination.org_id,
        "--batch-size",
        str(args.batch_size),
        "--workers",
        str(args.transfer_workers),
    ]
    env = dict(os.environ, DATABASE_URL=db.url)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        wrapped = os.access(GNU_TIME, os.X_OK)
        argv = [GNU_TIME, "-f", "%M %U %S", "-o", report.name, *command] if wrapped else command
        load_before = _loadavg()
        started = time.monotonic()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
        load_after = _loadavg()
        fields = report.read().split() if wrapped else []
        peak = int(fields[-3]) / 1024 if len(fields) >= 3 else float("nan")
        command_cpu = float(fields[-2]) + float(fields[-1]) if len(fields) >= 3 else float("nan")
    for line in done.stderr.splitlines()[-5:]:
        say(f"  | {line[:160]}")
    printed: dict[str, Any] = {}
    try:
        printed = json.loads(done.stdout)
    except ValueError:
        say(
            f"could not read transfer-claims' JSON (exit {done.returncode}):\n{done.stdout}\n{done.stderr[-2000:]}"
        )
    say(f"transfer-claims exited {done.returncode} after {wall:.1f} s; peak RSS {peak:,.0f} MiB")
    summary.add(
        "transfer",
        f"transfer-claims ({count:,} claims) wall s",
        f"{wall:.1f}",
        f"< {WALL_GOAL_SECONDS}",
        verdict(wall < WALL_GOAL_SECONDS),
    )
    summary.add("transfer", "peak RSS MiB", f"{peak:,.0f}", f"< {RSS_GOAL_MB}", verdict(peak < RSS_GOAL_MB))
    inside = printed.get("seconds")
    summary.add(
        "transfer",
        "inside the run s (batches, workers)",
        f"{inside} ({printed.get('batches')}, {args.transfer_workers})",
    )
    summary.add("transfer", "transfer-claims CPU s (user + sys)", f"{command_cpu:.1f}")
    summary.add("transfer", "load average before / after", f"{load_before} / {load_after}")

    moved = scalar(
        f"SELECT count(*) FROM claims_claim WHERE {where} AND cr_organisation_id = %s", [*ids, destination.pk]
    )
    events = scalar(
        "SELECT count(DISTINCT claim_id) FROM claims_claimevent WHERE id > %s AND operation = 'claimTransferred'",
        [events_before],
    )
    all_events = scalar(
        "SELECT count(*) FROM claims_claimevent WHERE id > %s AND operation = 'claimTransferred'",
        [events_before],
    )
    told = scalar("SELECT count(*) FROM notifications_notification") - notices_before
    after = scalar(f"SELECT {DEADLINES} FROM claims_claim WHERE {where}", list(ids))
    checks = [
        ("claims moved", moved, count),
        ("transfer-claims' own count", int(printed.get("moved", -1)), count),
        ("claimTransferred events", all_events, count),
        ("claims with a claimTransferred event", events, count),
        ("notices (source, destination, compensator)", told, 3 * count),
        ("deadline columns unchanged", int(after == before), 1),
    ]
    for label, actual, expected in checks:
        ok = actual == expected
        say(f"  check {label:<45} {actual:>10,}  expected {expected:>10,}  {'OK' if ok else 'MISMATCH'}")
        summary.add("transfer", label, f"{actual:,}", f"= {expected:,}", "ok" if ok else "MISMATCH")
