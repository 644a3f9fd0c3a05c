"""The retention job killed with SIGKILL in the middle of a run, then run again: every due claim is
handled exactly once (deleted, or acknowledged by the portal with one event), and nothing else is
touched. PostgreSQL, a real worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core import clock
from claimsportal.custody.rules import load_policy
from claimsportal.custody.sweep import run_retention
from tests.conftest import CONCURRENT_POSTGRES, build_world, send_claim
from tests.custody.conftest import at

pytestmark = CONCURRENT_POSTGRES

CLAIMSPORTAL = Path(sys.executable).with_name("claimsportal")


def test_a_killed_run_and_its_rerun_handle_every_due_claim_once(tmp_path: Path) -> None:
    load_policy()  # a transactional test starts from an emptied database
    world = build_world()
    long_ago = at(clock.today() - timedelta(days=400))
    due_deleted = [send_claim(world).application_id for _ in range(23)]
    due_acknowledged = [send_claim(world).application_id for _ in range(12)]
    kept = [send_claim(world).application_id for _ in range(4)]
    Claim.objects.filter(pk__in=due_deleted).update(
        phase="FraudStated", updated_at=long_ago, deadline_at=None
    )
    Claim.objects.filter(pk__in=due_acknowledged).update(
        phase="LiabilityNotAdmitted", owner_side="CR", phase_entered_at=long_ago, deadline_at=None
    )
    Claim.objects.filter(pk__in=kept[:2]).update(phase="FraudStated", updated_at=at(clock.today()))
    before = {c.pk: (c.phase, c.activity_guid, c.updated_at) for c in Claim.objects.filter(pk__in=kept)}

    name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "CLAIMSPORTAL_DATA_DIR": str(tmp_path),
        "CLAIMSPORTAL_RETENTION_PAUSE": "0.5",
    }
    worker = subprocess.Popen(  # noqa: S603 - our own entry point
        [str(CLAIMSPORTAL), "retention", "--batch-size", "5"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while Claim.objects.filter(pk__in=due_deleted).count() > 23 - 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.poll() is None, "the run ended before it could be killed"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    left = Claim.objects.filter(pk__in=due_deleted).count()
    assert 0 < left < 23, left  # killed mid-run, with whole batches committed

    run_retention(now=clock.now(), trigger="test")

    assert not Claim.objects.filter(pk__in=due_deleted).exists()
    assert set(Claim.objects.filter(pk__in=due_acknowledged).values_list("phase", flat=True)) == {
        "LiabilityNotAdmittedEnd"
    }
    for pk in due_acknowledged:
        assert ClaimEvent.objects.filter(claim_id=pk, operation="autoAcknowledge").count() == 1
    after = {c.pk: (c.phase, c.activity_guid, c.updated_at) for c in Claim.objects.filter(pk__in=kept)}
    assert after == before
