"""A transfer end to end through the services and the job: requested by one Administrator, agreed by
the other organisation's, approved and scheduled by the operator, run by the ``claims-transfer`` job
on its day; the claims move with every timer intact, both organisations and the other party are
told, and the report says what moved and what was skipped and why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.jobs import runner
from claimsportal.jobs.portal_jobs import CLAIMS_TRANSFER, PORTAL_JOBS
from claimsportal.jobs.registry import JobContext
from claimsportal.notifications.models import Notification
from claimsportal.transfers import execution, rules, services
from claimsportal.transfers.models import Transfer, TransferResult
from tests.conftest import World
from tests.transfers.conftest import Admins, cr_claims, form, working_days_on

DEADLINE_COLUMNS = (
    "phase",
    "owner_side",
    "deadline_at",
    "deadline_kind",
    "deadline_anchor",
    "deadline_business_days",
    "deadline_further_days",
    "deadline_fixed_date",
    "state",
    "cnf",
    "sent_at",
    "created_at",
    "comp_organisation_id",
    "comp_branch_id",
    "comp_allocated_user_id",
)


def snapshot(ids: list[int]) -> dict[int, tuple[object, ...]]:
    return {row[0]: row[1:] for row in Claim.objects.filter(pk__in=ids).values_list("pk", *DEADLINE_COLUMNS)}


def run_job(clock: FixedClock) -> dict[str, object]:
    registry = PORTAL_JOBS.only([CLAIMS_TRANSFER])
    (outcome,) = runner.run_once(registry, JobContext(now=clock.now()))
    assert outcome.ok, outcome
    return dict(runner.merged(registry, [outcome]))


def test_a_transfer_requested_agreed_approved_and_run_moves_the_active_claims_with_their_timers(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    claims = cr_claims(world, active=3)
    ids = [c.application_id for c in claims.active]
    before = snapshot(ids)
    first_events = {i: ClaimEvent.objects.filter(claim_id=i).order_by("id").first() for i in ids}

    transfer = services.request_transfer(admins.cr, form(world.cr, world.other_cr))
    assert transfer.status == Transfer.Status.REQUESTED and transfer.reference.startswith("TR")
    services.agree(admins.other_cr, transfer.reference)
    day = working_days_on(6)
    transfer = services.approve(admins.operator, transfer.reference, day)
    assert transfer.status == Transfer.Status.APPROVED
    subjects = [m.subject for m in mail.outbox]
    assert [s.split(" ", 3)[-1] for s in subjects][:2] == ["requested", "agreed"]
    assert all(
        set(m.to) == {"sending.contact@example.org", "receiving.contact@example.org"} for m in mail.outbox
    )

    # Not before its day
    assert run_job(clock)["claimsTransferred"] == 0
    assert Claim.objects.filter(pk__in=ids, cr_organisation=world.cr).count() == 3

    clock.set(clock.now().replace(year=day.year, month=day.month, day=day.day))
    figures = run_job(clock)
    assert figures["transfers"] == 1 and figures["claimsTransferred"] == 3 and figures["claimsSkipped"] == 2

    moved = Claim.objects.filter(pk__in=ids)
    assert {c.cr_organisation_id for c in moved} == {world.other_cr.pk}
    assert {c.cr_branch_id for c in moved} == {transfer.destination_branch_id}
    assert {c.cr_allocated_user_id for c in moved} == {None}
    assert snapshot(ids) == before, "phase, deadlines, their inputs and the other party stay as they were"
    for i in ids:
        assert ClaimEvent.objects.filter(claim_id=i).order_by("id").first() == first_events[i], "creator kept"
        event = ClaimEvent.objects.filter(claim_id=i).order_by("-id").first()
        assert event is not None and event.operation == execution.OPERATION and event.actor_side == "SYSTEM"
        assert event.payload["transferId"] == transfer.reference
        assert (event.payload["fromOrganisationId"], event.payload["toOrganisationId"]) == (
            world.cr.org_id,
            world.other_cr.org_id,
        )
        told = set(
            Notification.objects.filter(claim_id=i, message__contains="successfully transferred").values_list(
                "organisation_id", flat=True
            )
        )
        assert told == {world.cr.pk, world.other_cr.pk, world.comp.pk}, "source, destination and other party"
        message = Notification.objects.filter(claim_id=i, organisation=world.comp).latest("id").message
        assert message == (
            f"The Claim {i:08d} has been successfully transferred from {world.cr.name} to {world.other_cr.name}"
        )

    # The draft and the ended claim stay, and the report says why
    assert Claim.objects.get(pk=claims.draft).cr_organisation_id == world.cr.pk
    assert Claim.objects.get(pk=claims.ended).cr_organisation_id == world.cr.pk
    report = dict(TransferResult.objects.filter(transfer=transfer).values_list("application_id", "reason"))
    assert report[claims.draft] == rules.Skip.DRAFT and report[claims.ended] == rules.Skip.ENDED
    transfer.refresh_from_db()
    assert (transfer.status, transfer.moved, transfer.skipped, transfer.failed) == (
        Transfer.Status.DONE,
        3,
        2,
        0,
    )
    assert mail.outbox[-1].subject == f"Claims transfer {transfer.reference} done"
    actions = set(
        AuditEntry.objects.filter(target=transfer.reference).values_list("action", "organisation_id")
    )
    for action in ("transfer.requested", "transfer.agreed", "transfer.approved", "transfer.done"):
        assert {(action, world.cr.pk), (action, world.other_cr.pk)} <= actions

    # Running again changes nothing
    clock.advance(timedelta(minutes=5))
    assert run_job(clock)["claimsTransferred"] == 0
    assert ClaimEvent.objects.filter(operation=execution.OPERATION).count() == 3


@pytest.mark.parametrize("crash_after_batches", [1, 2])
def test_a_run_killed_between_batches_resumes_and_moves_no_claim_twice(
    world: World, admins: Admins, clock: FixedClock, crash_after_batches: int
) -> None:
    claims = cr_claims(world, active=5)
    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))

    class Killed(Exception):
        pass

    def kill(figures: execution.RunFigures) -> None:
        if figures.batches == crash_after_batches:
            raise Killed

    with pytest.raises(Killed):
        execution.run_transfer(transfer.pk, now=clock.now(), batch_size=2, progress=kill)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RUNNING
    assert Claim.objects.filter(cr_organisation=world.other_cr).count() == 2 * crash_after_batches
    assert TransferResult.objects.filter(transfer=transfer).count() == 2 * crash_after_batches

    figures = execution.run_due(now=clock.now(), batch_size=2)
    assert figures.moved == 5 - 2 * crash_after_batches
    ids = [c.application_id for c in claims.active]
    assert Claim.objects.filter(pk__in=ids, cr_organisation=world.other_cr).count() == 5
    for i in ids:
        assert ClaimEvent.objects.filter(claim_id=i, operation=execution.OPERATION).count() == 1
    transfer.refresh_from_db()
    assert (transfer.status, transfer.moved, transfer.skipped) == (Transfer.Status.DONE, 5, 2)
