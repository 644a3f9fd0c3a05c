"""The daily retention job applies the policy's table on its boundary days, on the business clock:
the day before, a claim is kept; the day after, it is gone for both parties (ADMINISTRATION.md §4.2;
docs/custody.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.custody import policy
from claimsportal.custody.models import RetentionRule, RetentionRun
from claimsportal.custody.rules import acknowledgements, fate, rules
from claimsportal.custody.sweep import run_retention
from claimsportal.notifications.models import Notification
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.types import ClaimType
from tests.conftest import World, send_claim
from tests.custody.conftest import at, placed, retention_on

pytestmark = pytest.mark.django_db

D = date(2026, 3, 2)  # the clock's day: the CNF is sent today


def test_the_table_is_the_policy() -> None:
    stored = [
        (r.code, r.category, r.wording, tuple(r.phases), r.clock, r.days, r.months, r.action)
        for r in RetentionRule.objects.all()
    ]
    assert stored == [
        (p.code, p.category, p.wording, p.phases, p.clock, p.days, p.months, p.action) for p in policy.POLICY
    ]


@pytest.mark.parametrize("claim_type", [ClaimType.RTA, ClaimType.EL])
def test_every_phase_is_ruled_once_or_moved_on_by_its_time_limit(claim_type: ClaimType) -> None:
    definition = definition_for(claim_type)
    covering: dict[str, list[str]] = {}
    for rule in policy.POLICY:
        for phase_id in rule.phases:
            covering.setdefault(phase_id, []).append(rule.code)
    for phase_id, phase in definition.phases.items():
        codes = covering.get(phase_id, [])
        if phase.on_timeout:
            assert len(codes) <= 1, (phase_id, codes)  # a running time limit moves it on anyway
        else:
            assert len(codes) == 1, (phase_id, codes)
    unknown = (
        set(covering) - set(definition_for(ClaimType.RTA).phases) - set(definition_for(ClaimType.EL).phases)
    )
    assert unknown == set()


def test_each_acknowledgement_phase_has_its_end() -> None:
    ends = acknowledgements()
    for rule in policy.POLICY:
        if rule.action == policy.AUTO_ACKNOWLEDGE:
            for phase in rule.phases:
                assert phase in ends
    assert ends["EndOfStage2"] == ("EndOfStage2Acknowledged", "acknowledgeCPPFResponse")
    assert ends["Stage2SettlementPackConfirmation"][0] == "Stage2SettlementPackConfirmationEnd"


BOUNDARIES = [
    # (rule, phase, clock column, days) — the claim's clock falls on D; deleted when more than `days` passed
    ("R01", "Stage2SettlementPackAgreedEnd", "phase_entered_at", 30),
    ("R02", "FraudStated", "updated_at", 30),
    ("R03", "ClaimsRejectedToCR", "updated_at", 60),
    ("R04", "ClaimDataInputEdit", "updated_at", 90),
    ("R05", "CourtProceedingsPackForm", "updated_at", 365),
    ("R16", "Stage2SettlementPackNotAgreed", "updated_at", 365),
    ("R21", "AcceptanceOfPartialInterimPayment", "sent_at", 1825),
    ("R28", "StartOfStage21", "sent_at", 1825),
    ("R33", "LiabilityNotAdmittedEnd", "phase_entered_at", 30),
]


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
@pytest.mark.parametrize(("code", "phase", "column", "days"), BOUNDARIES)
def test_a_rule_deletes_on_the_day_after_its_period_and_not_before(
    world: World, clock: FixedClock, claim_type: str, code: str, phase: str, column: str, days: int
) -> None:
    claim = placed(world, phase, claim_type, **{column: at(D, 23)})
    other = placed(world, phase, claim_type, **{column: at(D + timedelta(days=1), 0)})
    last_kept = D + timedelta(days=days)
    assert fate(Claim.objects.get(pk=claim), D).day == last_kept + timedelta(days=1)  # type: ignore[union-attr]

    retention_on(last_kept)
    assert Claim.objects.filter(pk__in=[claim, other]).count() == 2

    applied = retention_on(last_kept + timedelta(days=1))
    assert not Claim.objects.filter(pk=claim).exists()
    assert not ClaimEvent.objects.filter(claim_id=claim).exists()
    assert not Notification.objects.filter(claim_id=claim).exists()
    assert Claim.objects.filter(pk=other).exists()  # its clock is a day later
    assert applied.by_rule[code] == {"done": 1}


def test_a_rule_naming_no_phase_of_this_portal_takes_no_claim(world: World, clock: FixedClock) -> None:
    claim = placed(world, "StartOfStage21", sent_at=at(D))
    assert retention_on(D + timedelta(days=400)).by_rule.get("R14") is None
    assert Claim.objects.filter(pk=claim).exists()


def test_the_archive_keeps_a_claim_12_months_from_its_acknowledgement(
    world: World, clock: FixedClock
) -> None:
    claim = placed(world, "EndOfStage2Acknowledged", phase_entered_at=at(date(2026, 2, 28)))
    retention_on(date(2027, 2, 28))
    assert Claim.objects.filter(pk=claim).exists()
    retention_on(date(2027, 3, 1))
    assert not Claim.objects.filter(pk=claim).exists()


def test_a_claim_acknowledged_by_the_portal_after_30_days_then_follows_the_normal_rules(
    world: World, clock: FixedClock
) -> None:
    claim = placed(world, "LiabilityNotAdmitted", owner_side="CR", phase_entered_at=at(D))
    Claim.objects.filter(pk=claim).update(awaiting_organisation=world.cr)
    retention_on(D + timedelta(days=30))
    assert Claim.objects.get(pk=claim).phase == "LiabilityNotAdmitted"

    acknowledged_on = D + timedelta(days=31)
    applied = retention_on(acknowledged_on)
    row = Claim.objects.get(pk=claim)
    assert (row.phase, row.owner_side, row.awaiting_organisation_id) == (
        "LiabilityNotAdmittedEnd",
        None,
        None,
    )
    assert applied.acknowledged == 1
    event = ClaimEvent.objects.filter(claim_id=claim).latest("id")
    assert (event.operation, event.actor_side, event.payload) == (
        "autoAcknowledge",
        "SYSTEM",
        {"rule": "R32", "daysWaited": "30"},
    )
    told = Notification.objects.filter(claim_id=claim, message__contains="acknowledged by the portal")
    assert sorted(told.values_list("organisation_id", flat=True)) == sorted([world.cr.pk, world.comp.pk])
    assert "Liability Not Admitted" in told[0].message

    retention_on(acknowledged_on + timedelta(days=30))
    assert Claim.objects.filter(pk=claim).exists()
    retention_on(acknowledged_on + timedelta(days=31))
    assert not Claim.objects.filter(pk=claim).exists()


def test_end_of_stage_2_is_acknowledged_into_the_archive(world: World, clock: FixedClock) -> None:
    claim = placed(world, "EndOfStage2", owner_side="CR", phase_entered_at=at(D))
    retention_on(D + timedelta(days=31))
    assert Claim.objects.get(pk=claim).phase == "EndOfStage2Acknowledged"
    retention_on(D + timedelta(days=62))  # the archive keeps it: not an R33 end
    assert Claim.objects.filter(pk=claim).exists()


def test_a_childs_settlement_confirmation_is_not_acknowledged_by_the_portal(
    world: World, clock: FixedClock
) -> None:
    child = placed(
        world,
        "Stage2SettlementPackConfirmation",
        owner_side="CR",
        phase_entered_at=at(D),
        claimant_adult_on=date(2030, 1, 1),
    )
    adult = placed(world, "Stage2SettlementPackConfirmation", owner_side="CR", phase_entered_at=at(D))
    retention_on(D + timedelta(days=31))
    assert Claim.objects.get(pk=child).phase == "Stage2SettlementPackConfirmation"
    assert Claim.objects.get(pk=adult).phase == "Stage2SettlementPackConfirmationEnd"


def test_a_minor_at_the_accident_is_kept_until_21_years_and_1_month_then_deleted(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world, dob=date(2008, 1, 10))  # 16 at the accident of 15 March 2024
    row = Claim.objects.get(pk=info.application_id)
    assert (row.claimant_adult_on, row.retention_floor) == (date(2026, 1, 10), date(2029, 2, 10))
    Claim.objects.filter(pk=row.pk).update(phase="FraudStated", updated_at=at(D))
    retention_on(date(2027, 1, 1))  # long inactive, an adult now: still within the floor
    retention_on(date(2029, 2, 9))
    assert Claim.objects.filter(pk=row.pk).exists()
    assert fate(Claim.objects.get(pk=row.pk), date(2029, 2, 9)).day == date(2029, 2, 10)  # type: ignore[union-attr]
    retention_on(date(2029, 2, 10))
    assert not Claim.objects.filter(pk=row.pk).exists()


def test_a_child_today_is_never_deleted_by_an_inactivity_rule_until_the_floor(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world, dob=date(2015, 6, 1), child=True)
    row = Claim.objects.get(pk=info.application_id)
    assert row.retention_floor == date(2036, 7, 1)
    Claim.objects.filter(pk=row.pk).update(phase="ClaimsRejectedToCR", updated_at=at(D))
    retention_on(date(2033, 6, 1))  # 18 today: the minor-at-accident floor still holds it
    assert Claim.objects.filter(pk=row.pk).exists()
    retention_on(date(2036, 7, 1))
    assert not Claim.objects.filter(pk=row.pk).exists()


def test_an_adult_claim_is_not_held_by_the_protection(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    Claim.objects.filter(pk=info.application_id).update(phase="FraudStated", updated_at=at(D))
    retention_on(D + timedelta(days=31))
    assert not Claim.objects.filter(pk=info.application_id).exists()


def test_a_running_claim_has_no_deletion_date_while_its_time_limit_runs(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world)
    assert fate(Claim.objects.get(pk=info.application_id), D) is None


def test_the_fate_and_the_sweep_agree_day_by_day(world: World, clock: FixedClock) -> None:
    claims = [
        placed(world, "FraudStated", updated_at=at(D, 0)),
        placed(world, "EndOfStage2Acknowledged", phase_entered_at=at(date(2026, 1, 31), 12)),
        placed(world, "StartOfStage21", sent_at=at(date(2024, 2, 29), 12)),
        placed(world, "ExitProcessEnd", phase_entered_at=at(D), retention_floor=date(2026, 4, 20)),
    ]
    expected = {pk: fate(Claim.objects.get(pk=pk), D).day for pk in claims}  # type: ignore[union-attr]
    by_rule = {rule.code: rule for rule in rules()}
    for pk, day in expected.items():
        row = Claim.objects.get(pk=pk)
        rule = fate(row, D).rule  # type: ignore[union-attr]
        for probe in (day - timedelta(days=1), day):
            where, params = by_rule[rule.code].condition(probe)
            taken = Claim.objects.extra(where=[where], params=params).filter(pk=pk).exists()  # noqa: S610
            assert taken == (probe == day), (rule.code, probe, day)


def test_a_dry_run_counts_and_changes_nothing(world: World, clock: FixedClock) -> None:
    placed(world, "FraudStated", updated_at=at(D))
    placed(world, "FraudStated", updated_at=at(D + timedelta(days=10)))
    applied = run_retention(now=at(D + timedelta(days=31)), dry_run=True, trigger="test")
    assert applied.by_rule["R02"] == {"dueNow": 1, "dueWithin30Days": 1}
    assert Claim.objects.filter(phase="FraudStated").count() == 2
    run = RetentionRun.objects.latest("id")
    assert run.dry_run and run.figures["byRule"]["R02"]["dueNow"] == 1


def test_every_run_is_recorded_with_its_counts_and_no_personal_data(world: World, clock: FixedClock) -> None:
    placed(world, "FraudStated", updated_at=at(D))
    retention_on(D + timedelta(days=31))
    run = RetentionRun.objects.latest("id")
    assert (run.dry_run, run.business_day, run.figures["deleted"]) == (False, D + timedelta(days=31), 1)
    assert "Smith" not in str(run.figures)


def test_a_second_run_the_same_day_does_nothing_more(world: World, clock: FixedClock) -> None:
    placed(world, "FraudStated", updated_at=at(D))
    assert retention_on(D + timedelta(days=31)).deleted == 1
    assert retention_on(D + timedelta(days=31)).deleted == 0
