"""Two workers running one transfer at the same time (PostgreSQL): every claim is moved exactly once,
with one event and one report row, and the transfer ends DONE once."""

from __future__ import annotations

from django.db.models import Count

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.transfers import execution, services
from claimsportal.transfers.models import Transfer, TransferResult
from tests.claims.test_concurrency_postgres import run_together
from tests.conftest import CONCURRENT_POSTGRES, World, send_claim
from tests.transfers.conftest import Admins, form

pytestmark = CONCURRENT_POSTGRES


def test_two_workers_on_one_transfer_move_each_claim_once(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    ids = [send_claim(world, surname=f"Claimant{i}").application_id for i in range(9)]
    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))
    now = clock.now()
    results = run_together(
        lambda: execution.run_transfer(transfer.pk, now=now, batch_size=2),
        lambda: execution.run_transfer(transfer.pk, now=now, batch_size=2),
    )
    assert all(isinstance(r, execution.RunFigures) for r in results), results
    assert sum(r.moved for r in results) == 9
    assert Claim.objects.filter(pk__in=ids, cr_organisation=world.other_cr).count() == 9
    per_claim = (
        ClaimEvent.objects.filter(operation=execution.OPERATION).values("claim_id").annotate(n=Count("id"))
    )
    assert sorted((row["claim_id"], row["n"]) for row in per_claim) == [(i, 1) for i in sorted(ids)]
    outcomes = TransferResult.objects.filter(transfer=transfer).values_list("outcome", flat=True)
    assert sorted(outcomes) == ["MOVED"] * 9
    transfer.refresh_from_db()
    assert (transfer.status, transfer.moved, transfer.failed) == (Transfer.Status.DONE, 9, 0)
