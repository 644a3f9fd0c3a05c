"""The ``litigant-reminders`` job e-mails an unrepresented claimant 5 working days before each of their
time limits, once per time limit (business clock), and nobody else."""

from __future__ import annotations

from datetime import datetime

from django.core import mail

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.jobs.portal_jobs import LITIGANT_REMINDERS, PORTAL_JOBS, SANDBOX, litigant_reminders_job
from claimsportal.jobs.registry import JobClock, JobContext
from claimsportal.litigants.models import DeadlineReminder
from claimsportal.organisations.models import User
from claimsportal.protocols.timers import LONDON
from tests.conftest import World, send_claim, step
from tests.litigants.conftest import send_as_litigant


def _to_an_offer(world: World, claimant: User, info: ClaimInfo) -> ClaimInfo:
    """The insurer admits liability and answers the Stage 2 pack with a counter offer: the claimant's
    turn, with a time limit (the consideration period)."""
    comp = world.comp_handler
    info = step(world, comp, info, "acceptClaim", insurerClaimReferenceNumber="INS1")
    info = step(world, comp, info, "applyArticle75", isArticle75=False)
    info = step(world, comp, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, claimant, info, "acknowledgeLiabilityAdmitted")
    info = step(world, claimant, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    info = step(world, claimant, info, "addStage2SPFRequest")
    return step(world, comp, info, "addStage2SPFResponse", settlementPackDecision="CO")


def _run(at: datetime) -> int:
    return int(litigant_reminders_job(JobContext(now=at))["remindersSent"])


def test_one_reminder_five_working_days_before_each_time_limit(
    world: World, litigant: User, clock: FixedClock
) -> None:
    mine = _to_an_offer(world, litigant, send_as_litigant(world, litigant))
    firms = _to_an_offer(world, world.cr_handler, send_claim(world))
    claim = Claim.objects.get(pk=mine.application_id)
    assert claim.phase == "Stage2SettlementPackCounterOfferDecision" and claim.owner_side == "CR"
    # The last day to decide is Wednesday 22 April 2026 (the deadline is 00:00 on the 23rd).
    assert claim.deadline_at == datetime(2026, 4, 23, 0, 0, tzinfo=LONDON)
    assert Claim.objects.get(pk=firms.application_id).deadline_at == claim.deadline_at
    mail.outbox.clear()

    assert _run(datetime(2026, 4, 14, 9, 0, tzinfo=LONDON)) == 0  # 6 working days before: too early
    assert _run(datetime(2026, 4, 15, 9, 0, tzinfo=LONDON)) == 1  # 5 working days before the last day
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [litigant.email]
    assert "22 April 2026" in sent.subject and "Wednesday 22 April 2026" in sent.body
    assert "offer" in sent.body
    assert f"{mine.application_id:08d}" in sent.subject
    # Idempotent: later runs send nothing more for this time limit; the firm's claim gets none.
    assert _run(datetime(2026, 4, 16, 9, 0, tzinfo=LONDON)) == 0
    assert _run(datetime(2026, 4, 22, 9, 0, tzinfo=LONDON)) == 0
    assert len(mail.outbox) == 1
    assert list(DeadlineReminder.objects.values_list("application_id", flat=True)) == [mine.application_id]
    # A passed time limit is not reminded.
    assert _run(datetime(2026, 4, 23, 9, 0, tzinfo=LONDON)) == 0


def test_no_reminder_while_it_is_the_insurers_turn(world: World, litigant: User) -> None:
    info = send_as_litigant(world, litigant)
    assert Claim.objects.get(pk=info.application_id).owner_side == "COMP"
    assert _run(datetime(2026, 3, 20, 9, 0, tzinfo=LONDON)) == 0
    assert not mail.outbox or "act by" not in mail.outbox[-1].subject


def test_the_job_is_named_on_the_business_clock_and_run_by_the_sandbox() -> None:
    job = next(j for j in PORTAL_JOBS if j.name == LITIGANT_REMINDERS)
    assert job.clock is JobClock.BUSINESS
    assert LITIGANT_REMINDERS in SANDBOX
