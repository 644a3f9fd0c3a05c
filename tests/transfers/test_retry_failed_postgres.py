"""A claim held by another transaction for the whole run is FAILED in the report; running the transfer
again moves it, and only it, once (PostgreSQL: a real row lock in another connection)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.notifications.models import Notification
from claimsportal.transfers import execution, rules, services
from claimsportal.transfers.models import Transfer, TransferResult
from tests.claims.test_stage1_paths import OUTCOMES, reach
from tests.conftest import CONCURRENT_POSTGRES, World, send_claim, step
from tests.transfers.conftest import Admins, form
from tests.transfers.test_operator_command import command

pytestmark = CONCURRENT_POSTGRES


@contextmanager
def held(application_id: int) -> Iterator[None]:
    """The claim's row locked by another connection (as a ``perform`` in flight holds it) until the
    block ends."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM claims_claim WHERE application_id = %s FOR UPDATE", [application_id]
                )
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(timeout=30)
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=60)


def test_a_claim_held_during_the_run_fails_and_running_the_transfer_again_moves_it_once(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    ids = [send_claim(world, surname=f"Claimant{i}").application_id for i in range(5)]
    busy = ids[2]
    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))
    with held(busy):
        first = execution.run_transfer(transfer.pk, now=clock.now(), batch_size=2)
    assert (first.moved, first.failed) == (4, 1)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.moved, transfer.failed) == (Transfer.Status.DONE, 4, 1)
    failed = TransferResult.objects.get(transfer=transfer, outcome=TransferResult.Outcome.FAILED)
    assert (failed.application_id, failed.reason) == (busy, rules.Skip.IN_USE)
    assert Claim.objects.get(pk=busy).cr_organisation_id == world.cr.pk

    # A claim the source sends after the transfer is not part of it: a run again leaves it alone
    later = send_claim(world, surname="Later").application_id

    again = execution.retry_failed(transfer.pk, now=clock.now(), batch_size=2)
    assert (again.moved, again.failed) == (1, 0)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.moved, transfer.skipped, transfer.failed) == (
        Transfer.Status.DONE,
        5,
        0,
        0,
    )
    assert Claim.objects.filter(pk__in=ids, cr_organisation=world.other_cr).count() == 5
    assert Claim.objects.get(pk=later).cr_organisation_id == world.cr.pk
    outcomes = dict(TransferResult.objects.filter(transfer=transfer).values_list("application_id", "outcome"))
    assert outcomes == dict.fromkeys(ids, TransferResult.Outcome.MOVED)
    for application_id in ids:
        assert ClaimEvent.objects.filter(claim_id=application_id, operation=execution.OPERATION).count() == 1
        assert Notification.objects.filter(claim_id=application_id, kind="TRANSFERRED").count() == 3
    retried = AuditEntry.objects.filter(target=transfer.reference, action="transfer.retried")
    assert set(retried.values_list("organisation_id", flat=True)) == {world.cr.pk, world.other_cr.pk}

    # Idempotent: nothing failed, so running it again does nothing
    assert execution.retry_failed(transfer.pk, now=clock.now(), batch_size=2).moved == 0
    assert ClaimEvent.objects.filter(operation=execution.OPERATION).count() == 5


def test_a_failed_claim_that_ended_meanwhile_is_skipped_with_its_reason_when_run_again(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    for i in range(2):
        send_claim(world, surname=f"Claimant{i}")
    deciding = reach(world, "RTA", "LiabilityDecision")
    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))
    with held(deciding.application_id):
        execution.run_transfer(transfer.pk, now=clock.now(), batch_size=5)
    transfer.refresh_from_db()
    assert (transfer.moved, transfer.failed) == (2, 1)

    # Still the sending firm's: the compensator refuses liability, the firm acknowledges, it ends
    _decided, acknowledgement, end, _ = OUTCOMES["N"]
    decided = step(world, world.comp_handler, deciding, "sendLiabilityDecision", liabilityDecision="N")
    step(world, world.cr_handler, decided, acknowledgement)
    assert Claim.objects.get(pk=deciding.application_id).phase == end

    # The operator's command runs again a transfer done with failed claims
    again = command("transfers", "run", transfer.reference)
    assert (again["status"], again["claimsTransferred"], again["claimsFailed"]) == ("DONE", 0, 0)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.moved, transfer.skipped, transfer.failed) == (
        Transfer.Status.DONE,
        2,
        1,
        0,
    )
    result = TransferResult.objects.get(transfer=transfer, application_id=deciding.application_id)
    assert (result.outcome, result.reason, result.phase) == (
        TransferResult.Outcome.SKIPPED,
        rules.Skip.ENDED,
        end,
    )
    assert Claim.objects.get(pk=deciding.application_id).cr_organisation_id == world.cr.pk
    assert not ClaimEvent.objects.filter(
        claim_id=deciding.application_id, operation=execution.OPERATION
    ).exists()
