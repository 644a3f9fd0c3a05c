"""The timer sweep: due claims move to their timeout phase, once, in batches (ARCHITECTURE.md §4 rule 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.timers import SweepResult, run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import WorkerHeartbeat
from claimsportal.core.worker import run_pass
from claimsportal.jobs.portal_jobs import TIMEOUTS
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.timers import LONDON
from tests.conftest import World, send_claim, step

RTA_FIRES = datetime(2026, 3, 24, 0, 0, tzinfo=LONDON)  # sent Monday 2 March: 15 bd, last day 23 March
CLAIMSPORTAL = Path(sys.executable).with_name("claimsportal")


def snapshot(application_id: int) -> tuple[object, ...]:
    c = Claim.objects.get(pk=application_id)
    return (c.phase, c.owner_side, c.activity_guid, c.deadline_at, c.updated_at, c.locked_by_id)


def timeout_events() -> int:
    return ClaimEvent.objects.filter(operation="timeout").count()


def test_a_due_claim_moves_to_its_timeout_phase(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    before = Claim.objects.get(pk=info.application_id)
    assert before.deadline_at == RTA_FIRES
    result = run_due_timeouts(now=RTA_FIRES)
    assert result.moved == 1
    assert result.by_phase == {"ClaimSubmitted": 1}
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.phase == "LiabilityDecisionTimeout"
    assert claim.owner_side == "CR"
    assert claim.awaiting_organisation_id == world.cr.pk
    # The deadline is cleared, with every stored input.
    assert claim.deadline_at is None
    assert claim.deadline_kind == ""
    assert claim.deadline_anchor is None
    assert claim.deadline_business_days == 0
    assert claim.deadline_fixed_date is None
    # A new activityEngineGuid: the old one is stale now.
    assert claim.activity_guid != before.activity_guid
    assert claim.updated_at == RTA_FIRES
    event = ClaimEvent.objects.get(claim=claim, operation="timeout")
    assert event.actor_side == "SYSTEM"
    assert event.actor_user_id is None and event.actor_organisation_id is None
    assert (event.phase_before, event.phase_after) == ("ClaimSubmitted", "LiabilityDecisionTimeout")
    assert event.activity_guid == claim.activity_guid
    assert event.occurred_at == RTA_FIRES
    assert event.payload["timer"] == "LIABILITY"
    # The CR can acknowledge the timeout with the new guid; the old guid is refused.
    info = step(
        world,
        world.cr_handler,
        ClaimInfo(info.application_id, claim.activity_guid, claim.phase, ""),
        "acknowledgeLiabilityDecisionTimeout",
    )
    assert info.phase == "LiabilityDecisionTimeoutEnd"


def test_claims_of_each_timed_kind_move_to_their_own_timeout_phase(world: World) -> None:
    rta = send_claim(world, surname="Rta")
    el = send_claim(world, "EL", surname="El")
    mib = send_claim(world, surname="Mib", insurer_type="M", compensator=world.mib.path)
    late = datetime(2026, 6, 1, tzinfo=LONDON)  # after every liability period
    result = run_due_timeouts(now=late)
    assert result.moved == 3
    assert result.by_phase == {"ClaimSubmitted": 2, "ClaimAcknowledgement": 1}
    for info in (rta, el, mib):
        assert Claim.objects.get(pk=info.application_id).phase == "LiabilityDecisionTimeout"


def test_claims_not_yet_due_are_untouched(world: World, clock: FixedClock) -> None:
    due = send_claim(world, surname="Due")
    clock.advance(timedelta(days=1))  # sent on Tuesday 3 March: fires on Wednesday 25 March
    later = send_claim(world, surname="Later")
    later_before = snapshot(later.application_id)
    events_before = ClaimEvent.objects.count()
    # A second before the deadline nothing is due.
    assert run_due_timeouts(now=RTA_FIRES - timedelta(seconds=1)).moved == 0
    assert Claim.objects.get(pk=due.application_id).phase == "ClaimSubmitted"
    assert ClaimEvent.objects.count() == events_before
    # At the deadline only the first one moves.
    assert run_due_timeouts(now=RTA_FIRES).moved == 1
    assert Claim.objects.get(pk=due.application_id).phase == "LiabilityDecisionTimeout"
    assert snapshot(later.application_id) == later_before


def test_claims_without_a_deadline_are_never_swept(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    before = snapshot(info.application_id)
    assert run_due_timeouts(now=datetime(2030, 1, 1, tzinfo=LONDON)).moved == 0
    assert snapshot(info.application_id) == before


def test_a_second_run_moves_nothing(world: World) -> None:
    claims = [send_claim(world, surname=f"S{i}") for i in range(3)]
    first = run_due_timeouts(now=RTA_FIRES)
    assert first.moved == 3
    after_first = [snapshot(c.application_id) for c in claims]
    events = ClaimEvent.objects.count()
    second = run_due_timeouts(now=RTA_FIRES + timedelta(days=30))
    assert second.moved == 0
    assert second.batches == 0
    assert [snapshot(c.application_id) for c in claims] == after_first
    assert ClaimEvent.objects.count() == events
    assert timeout_events() == 3


def test_batches_of_two_over_five_due_claims(world: World) -> None:
    claims = [send_claim(world, surname=f"B{i}") for i in range(5)]
    not_due_yet = send_claim(world, "EL", surname="NotDue")
    seen: list[tuple[int, int]] = []

    def progress(result: SweepResult) -> None:
        seen.append((result.batches, result.moved))

    result = run_due_timeouts(now=RTA_FIRES, batch_size=2, progress=progress)
    assert result.moved == 5
    assert result.batches == 3
    assert seen == [(1, 2), (2, 4), (3, 5)]
    assert timeout_events() == 5
    assert {Claim.objects.get(pk=c.application_id).phase for c in claims} == {"LiabilityDecisionTimeout"}
    assert Claim.objects.get(pk=not_due_yet.application_id).phase == "ClaimAcknowledgement"
    # Every claim has exactly one timeout event and a distinct new guid.
    for c in claims:
        assert ClaimEvent.objects.filter(claim_id=c.application_id, operation="timeout").count() == 1
    guids = {Claim.objects.get(pk=c.application_id).activity_guid for c in claims}
    assert len(guids) == 5


def test_an_exact_multiple_of_the_batch_size_counts_only_batches_that_moved_claims(world: World) -> None:
    for i in range(4):
        send_claim(world, surname=f"M{i}")
    result = run_due_timeouts(now=RTA_FIRES, batch_size=2)
    assert (result.moved, result.batches) == (4, 2)
    assert timeout_events() == 4


def test_a_lock_is_released_when_the_claim_passes_to_the_other_side(world: World) -> None:
    info = send_claim(world)
    step(world, world.comp_handler, info, "lockClaim")
    assert Claim.objects.get(pk=info.application_id).locked_by_id == world.comp_handler.pk
    run_due_timeouts(now=RTA_FIRES)
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.owner_side == "CR"
    assert claim.locked_by_id is None and claim.locked_at is None


def test_each_pass_records_the_timeouts_jobs_heartbeat(world: World, clock: FixedClock) -> None:
    """The worker's registry records one heartbeat row per job (jobs/), the sweep's named "timeouts"."""
    send_claim(world)
    assert not WorkerHeartbeat.objects.filter(name=TIMEOUTS).exists()
    clock.set(RTA_FIRES)
    run_pass(now=RTA_FIRES)
    beat = WorkerHeartbeat.objects.get(name=TIMEOUTS)
    assert beat.beat_at == RTA_FIRES
    assert beat.pid == os.getpid()
    assert (beat.result, beat.error) == ("ok", "")
    assert beat.last_pass["moved"] == 1
    assert beat.last_pass["byPhase"] == {"ClaimSubmitted": 1}
    # An empty pass beats too (the worker is alive), and replaces the row.
    clock.advance(timedelta(minutes=1))
    run_pass()
    assert WorkerHeartbeat.objects.filter(name=TIMEOUTS).count() == 1
    beat = WorkerHeartbeat.objects.get(name=TIMEOUTS)
    assert beat.beat_at == RTA_FIRES + timedelta(minutes=1)
    assert beat.last_pass["moved"] == 0


def test_without_now_the_sweep_uses_the_portal_clock(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    clock.set(RTA_FIRES - timedelta(minutes=1))
    assert run_due_timeouts().moved == 0
    clock.set(RTA_FIRES)
    assert run_due_timeouts().moved == 1
    assert Claim.objects.get(pk=info.application_id).phase == "LiabilityDecisionTimeout"


# --------------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------------


def test_run_timers_once_prints_json(world: World, clock: FixedClock) -> None:
    for i in range(3):
        send_claim(world, surname=f"C{i}")
    clock.set(RTA_FIRES + timedelta(hours=9))
    out, err = StringIO(), StringIO()
    call_command("run_timers", "--once", "--batch-size", "2", stdout=out, stderr=err)
    printed = json.loads(out.getvalue())
    assert printed["moved"] == 3
    assert printed["batches"] == 2
    assert printed["byPhase"] == {"ClaimSubmitted": 3}
    assert "3 claims timed out in 2 batches" in err.getvalue()
    out = StringIO()
    call_command("run_timers", "--once", stdout=out)
    assert json.loads(out.getvalue())["moved"] == 0
    assert timeout_events() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch-size", "0"], "--batch-size must be at least 1"),
        (["--batch-size", "-5"], "--batch-size must be at least 1"),
        (["--interval", "0"], "--interval must be positive"),
    ],
)
def test_bad_options_are_refused_and_nothing_moves(
    world: World, clock: FixedClock, args: list[str], message: str
) -> None:
    send_claim(world)
    clock.set(RTA_FIRES)
    with pytest.raises(CommandError, match=message):
        call_command("run_timers", "--once", *args, stdout=StringIO(), stderr=StringIO())
    assert timeout_events() == 0
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch-size", "0"], "CommandError: --batch-size must be at least 1"),
        (["--batch-size", "many"], "argument --batch-size: invalid int value: 'many'"),
    ],
)
def test_the_cli_exits_non_zero_on_a_bad_batch_size(tmp_path: Path, args: list[str], message: str) -> None:
    env = {**os.environ, "CLAIMSPORTAL_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own entry point
        [str(CLAIMSPORTAL), "run-timers", "--once", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert done.stdout == ""


def test_once_the_time_limit_has_passed_the_phases_operations_are_refused_before_the_sweep(
    world: World, clock: FixedClock
) -> None:
    """The timeout wins at the deadline, not when the worker next runs: a liability decision sent at
    09:00 the day after the last day is refused, and nothing is written."""
    info = step(world, world.comp_handler, send_claim(world), "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    clock.set(RTA_FIRES - timedelta(minutes=1))
    before = snapshot(info.application_id)
    clock.set(RTA_FIRES + timedelta(hours=9))
    with pytest.raises(PortalError) as refused:
        step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    assert refused.value.code == "WRONG_PHASE"
    assert "2026-03-24 00:00" in refused.value.message and "LiabilityDecisionTimeout" in refused.value.message
    assert snapshot(info.application_id) == before
    locked = step(world, world.comp_handler, info, "lockClaim")  # housekeeping is still possible
    run_due_timeouts()
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.phase == "LiabilityDecisionTimeout" and claim.locked_by_id is None
    assert locked.phase == "LiabilityDecision"


def test_one_minute_before_the_time_limit_the_decision_is_still_in_time(
    world: World, clock: FixedClock
) -> None:
    info = step(world, world.comp_handler, send_claim(world), "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    clock.set(RTA_FIRES - timedelta(minutes=1))
    assert step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A").phase == (
        "LiabilityAdmitted"
    )


def test_a_failure_rendering_documents_does_not_stop_the_worker_or_its_timeouts(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimsportal.core import worker

    info = send_claim(world)

    def storage_down(**_: Any) -> Any:
        raise OSError("the private storage is unreachable")

    monkeypatch.setattr(worker, "render_pending", storage_down)
    result = worker.run_pass(now=RTA_FIRES)
    assert result["moved"] == 1 and result["documentsFailed"] is None
    assert Claim.objects.get(pk=info.application_id).phase == "LiabilityDecisionTimeout"
