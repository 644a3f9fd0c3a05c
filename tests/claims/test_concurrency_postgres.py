"""Concurrent writers on PostgreSQL: the row lock and the activityEngineGuid let exactly one of two
conflicting operations through; two timer workers never move a claim twice (SKIP LOCKED).

These need real concurrent transactions, so they run against PostgreSQL only (``make test-postgres``);
SQLite serialises every writer and would prove nothing here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.services import perform
from claimsportal.claims.timers import SweepResult, run_due_timeouts
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.timers import LONDON
from tests.conftest import CONCURRENT_POSTGRES, World, send_claim

pytestmark = CONCURRENT_POSTGRES

ROUNDS = 20
BARRIER_TIMEOUT = 30.0
RTA_FIRES = datetime(2026, 3, 24, 0, 0, tzinfo=LONDON)  # claims sent on Monday 2 March 2026


def run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads released at the same moment; each returns its result or the exception it
    raised. Every thread closes its own database connection."""
    barrier = threading.Barrier(len(jobs), timeout=BARRIER_TIMEOUT)
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except BaseException as exc:  # reported to the test below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a worker thread hung"
    return results


def operation(world: World, user: User, info: ClaimInfo, name: str, **payload: Any) -> Callable[[], Any]:
    actor = world.actor(user)  # resolved in the test's thread

    def job() -> ClaimInfo:
        return perform(
            actor=actor,
            operation=name,
            application_id=info.application_id,
            activity_guid=info.activity_guid,  # both quote the guid they read
            payload=payload,
        )

    return job


def assert_exactly_one_won(
    results: list[Any],
    info: ClaimInfo,
    codes: frozenset[str] = frozenset({"STALE_ACTIVITY_GUID", "WRONG_PHASE"}),
) -> ClaimInfo:
    wins = [r for r in results if isinstance(r, ClaimInfo)]
    losses = [r for r in results if isinstance(r, PortalError)]
    others = [r for r in results if not isinstance(r, ClaimInfo | PortalError)]
    assert not others, others
    assert len(wins) == 1, results
    assert len(losses) == 1, results
    assert losses[0].code in codes, str(losses[0])
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.phase == wins[0].phase
    assert claim.activity_guid == wins[0].activity_guid
    # One event for sending, exactly one for the race.
    assert ClaimEvent.objects.filter(claim_id=info.application_id).count() == 2
    return wins[0]


def test_accept_and_reject_at_once_exactly_one_wins(world: World) -> None:
    outcomes: set[str] = set()
    for round_ in range(ROUNDS):
        info = send_claim(world, surname=f"Race{round_}")
        results = run_together(
            operation(world, world.comp_handler, info, "acceptClaim"),
            operation(world, world.comp_leader, info, "rejectClaimToCR", rejectionReasonCode="0"),
        )
        outcomes.add(assert_exactly_one_won(results, info).phase)
    assert outcomes <= {"Article75Decision", "AcknowledgeRejectedClaim"}


def test_the_same_operation_twice_at_once_is_done_once(world: World) -> None:
    for round_ in range(ROUNDS):
        info = send_claim(world, surname=f"Twice{round_}")
        results = run_together(
            operation(world, world.comp_handler, info, "acceptClaim"),
            operation(world, world.comp_leader, info, "acceptClaim"),
        )
        won = assert_exactly_one_won(results, info)
        assert won.phase == "Article75Decision"
        loss = next(r for r in results if isinstance(r, PortalError))
        assert loss.code == "STALE_ACTIVITY_GUID"


def test_a_lock_and_an_operation_at_once(world: World) -> None:
    """lockClaim by one user against a decision by another: either the lock comes first (the other user
    finds the claim locked) or the decision does (the lock's guid is stale); never both."""
    for round_ in range(ROUNDS // 2):
        info = send_claim(world, surname=f"Lock{round_}")
        results = run_together(
            operation(world, world.comp_handler, info, "lockClaim"),
            operation(world, world.comp_leader, info, "acceptClaim"),
        )
        assert_exactly_one_won(results, info, frozenset({"STALE_ACTIVITY_GUID", "CLAIM_LOCKED"}))


def test_two_timer_workers_move_every_due_claim_exactly_once(world: World) -> None:
    claims = [send_claim(world, surname=f"Due{i}").application_id for i in range(200)]
    assert Claim.objects.filter(deadline_at__lte=RTA_FIRES).count() == 200
    batches: list[int] = []

    def sweep() -> SweepResult:
        return run_due_timeouts(now=RTA_FIRES, batch_size=15, progress=lambda r: batches.append(r.moved))

    results = run_together(sweep, sweep)
    errors = [r for r in results if not isinstance(r, SweepResult)]
    assert not errors, errors
    assert sum(r.moved for r in results) == 200
    timeouts = ClaimEvent.objects.filter(operation="timeout")
    assert timeouts.count() == 200
    per_claim = dict(timeouts.values("claim_id").annotate(n=Count("id")).values_list("claim_id", "n"))
    assert per_claim == dict.fromkeys(claims, 1)
    assert set(Claim.objects.filter(pk__in=claims).values_list("phase", flat=True)) == {
        "LiabilityDecisionTimeout"
    }
    assert not Claim.objects.filter(deadline_at__isnull=False).exists()
    # A third pass finds nothing.
    assert run_due_timeouts(now=RTA_FIRES).moved == 0
