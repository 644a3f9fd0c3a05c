"""The Executive Dashboard's facts: recorded when the events happen, one anonymous row per fact, and
untouched when the claims behind them are deleted.

A generated history (claims walked through ``perform`` and the timer sweep, across protocols and two
months) is counted twice: by the dashboard (``figures.aggregate`` over the facts) and independently,
from the claims' own event histories with the measures' definitions written out here again.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from claimsportal.claims import effects, ledger
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import facts, figures
from claimsportal.publishing.models import Fact, PublishedMonth
from tests.claims.test_stage2_paths import court_pack_form, negotiating, on, stage2_sent
from tests.conftest import World, send_claim, step

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def _exit(world: World, info: Any, code: str) -> Any:
    return step(world, world.comp_handler, info, "exitProcess", exitReasonCode=code, exitComment="Out")


def generate_history(world: World, clock: FixedClock) -> None:
    """Claims of every protocol through the measured paths, in March and April 2026."""
    # March: RTA liability denied; EL admitted with contributory negligence; PL fraud stated.
    info = send_claim(world, "RTA")
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="N")
    for claim_type, decision in (("EL", "AN"), ("ELD", "N")):
        info = send_claim(world, claim_type)
        info = step(world, world.comp_handler, info, "acknowledgeClaim")
        info = step(world, world.comp_handler, info, "acceptClaim")
        step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision=decision)
    info = send_claim(world, "PL")
    step(world, world.comp_handler, info, "stateFraud", reasonCode="0", reasonDescription="Staged")
    # March: the compensator exits two RTA claims (duplicate claim, code 6) before accepting them.
    for _ in range(2):
        _exit(world, send_claim(world, "RTA"), "6")
    # March: an RTA and an EL claim settle on the claimant's pack (3,500.00 general damages).
    for claim_type in ("RTA", "EL"):
        w = stage2_sent(world, clock, claim_type)
        w.comp("addStage2SPFResponse", settlementPackDecision="C")
        w.cr("acknowledgeStage2SPFConfirmation")
    # March: a PL pack repudiated (a Stage 2 exit).
    w = stage2_sent(world, clock, "PL")
    w.comp("addStage2SPFResponse", settlementPackDecision="R")
    # April (the sweep runs on 1 April): the one RTA claim left unanswered times out at Stage 1.
    on(clock, date(2026, 3, 2))
    send_claim(world, "RTA")
    # RTA negotiation (counter offer 20 March), the claimant accepts the insurer's 3,000.00 in April.
    w = negotiating(world, clock, "RTA")
    on(clock, date(2026, 4, 1), 9)
    assert run_due_timeouts().moved == 1
    on(clock, date(2026, 4, 1), 11)
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    w.cr("addStage2SPFCounterOfferByCR", generalDamages="3400.00")
    w.comp("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO", offer="3000.00")
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=False)
    w.cr("setStage2SPFAgreementDecision", isAgreed=True)
    w.comp("acknowledgeStage2SPFAgreed")
    # April: an EL court proceedings pack, answered by the insurer.
    w = court_pack_form(world, clock, "EL")
    on(clock, date(2026, 4, 2))
    w.cr("addCPPFRequest", claimantFinalOffer="3500.00")
    w.comp("addCPPFResponse", finalOffer="3000.00")
    # April: the claimant exits an RTA claim in Stage 2 (claim too complex, code 4).
    w = stage2_sent(world, clock, "RTA", sent=date(2026, 4, 2))
    w.comp("addStage2SPFResponse", settlementPackDecision="CO")
    w.cr("exitProcess", exitReasonCode="4", exitComment="Complex")


def independent_counts() -> Counter[tuple[date, str, str, str]]:
    """The measures counted from the claims' event histories (not from the facts)."""
    found: Counter[tuple[date, str, str, str]] = Counter()
    stage1 = {
        "LiabilityDecisionTimeout": "TIMEOUT",
        "LiabilityNotAdmitted": "LIABILITY_DENIED",
        "LiabilityAdmittedWithNegligence": "CONTRIBUTORY_NEGLIGENCE",
        "FraudStated": "FRAUD_STATED",
    }
    stage2_phases = {
        "Stage2SettlementPackForm",
        "Stage2SettlementPackDecision",
        "Stage2SettlementPackCounterOfferDecision",
        "Stage2SettlementPackCounterOfferCR",
        "Stage2SettlementPackCounterOfferDecisionCM",
        "Stage2SettlementPackAgreementDecision",
        "StartOfStage21",
        "InterimSettlementPackForm",
        "InterimPaymentDecision",
        "WaitingForInterimPayment",
        "AcceptanceOfPartialInterimPayment",
        "DecisionOfPartialInterimPayment",
        "InterimPaymentDecisionTimeout",
        "StartS2SPAdditionalDamages",
        "S2SPAdditionalDamagesRequestForm",
        "AdditionalDamagesDecision",
        "AdditionalDamagesDecisionCR",
    }
    settled = {
        "Stage2SettlementPackConfirmationEnd",
        "Stage2SettlementPackAgreedEnd",
        "Stage2SettlementPackAllDamagesAgreedEnd",
    }
    for e in ClaimEvent.objects.select_related("claim").order_by("id"):
        month = e.occurred_at.astimezone(LONDON).date().replace(day=1)
        key = (month, e.claim.claim_type)
        if e.operation == "addClaim":
            found[(*key, "CNF_SENT", "")] += 1
        elif e.phase_after in stage1 and e.phase_before != e.phase_after:
            found[(*key, "STAGE1_EXIT", stage1[e.phase_after])] += 1
        elif e.phase_after == "ExitProcess":
            found[(*key, "EXIT", e.payload["exitReasonCode"])] += 1
            if e.phase_before in stage2_phases:
                found[(*key, "STAGE2_EXIT", "EXIT")] += 1
        elif e.phase_after == "Stage2SettlementPackRepudiation":
            found[(*key, "STAGE2_EXIT", "REPUDIATED")] += 1
        elif e.phase_after in settled:
            found[(*key, "SETTLED", "")] += 1
        elif e.phase_after == "EndOfStage2":
            found[(*key, "COURT_PACK", "")] += 1
    return found


def dashboard_counts() -> Counter[tuple[date, str, str, str]]:
    found: Counter[tuple[date, str, str, str]] = Counter()
    for month, counts in figures.aggregate(MARCH, APRIL).items():
        for (protocol, metric, reason), (count, _) in counts.items():
            found[(month, protocol, metric, reason)] = count
    return found


def test_every_measure_matches_an_independent_count_of_a_generated_history(
    world: World, clock: FixedClock
) -> None:
    generate_history(world, clock)
    assert dashboard_counts() == independent_counts()
    counts = figures.aggregate(MARCH, APRIL)
    march, april = counts[MARCH], counts[APRIL]
    # Spelled out, so that the two counts cannot agree by both being wrong.
    assert march[("RTA", "CNF_SENT", "")][0] == 6
    assert march[("RTA", "STAGE1_EXIT", "LIABILITY_DENIED")][0] == 1
    assert march[("EL", "STAGE1_EXIT", "CONTRIBUTORY_NEGLIGENCE")][0] == 1
    assert march[("ELD", "STAGE1_EXIT", "LIABILITY_DENIED")][0] == 1
    assert march[("PL", "STAGE1_EXIT", "FRAUD_STATED")][0] == 1
    assert march[("RTA", "EXIT", "6")][0] == 2
    assert march[("RTA", "SETTLED", "")] == (1, Decimal("3500.00"))
    assert march[("EL", "SETTLED", "")] == (1, Decimal("3500.00"))
    assert march[("PL", "STAGE2_EXIT", "REPUDIATED")][0] == 1
    assert april[("RTA", "STAGE1_EXIT", "TIMEOUT")][0] == 1
    assert april[("RTA", "SETTLED", "")] == (1, Decimal("3000.00"))  # the insurer's offer, accepted
    assert april[("EL", "COURT_PACK", "")][0] == 1
    assert april[("RTA", "EXIT", "4")][0] == 1
    assert april[("RTA", "STAGE2_EXIT", "EXIT")][0] == 1
    # The table: the month's figure and the rolling 12 months; the average settled damages.
    rows = {(r.measure.metric, r.measure.reason): r for r in figures.month_table(APRIL, counts)}
    assert rows[("SETTLED", "")].month["RTA"] == 1
    assert rows[("SETTLED", "")].rolling["RTA"] == 2
    assert rows[(figures.AVERAGE, "")].rolling["RTA"] == Decimal("3250.00")
    assert rows[(figures.AVERAGE, "")].month["PL"] is None


def test_a_published_month_and_the_facts_are_unchanged_when_the_claims_are_deleted(
    world: World, clock: FixedClock
) -> None:
    generate_history(world, clock)
    published = figures.publish_month(MARCH)
    assert published is not None
    before_facts = dashboard_counts()
    before_csv = figures.csv_text([MARCH, APRIL], live=True)
    claims = list(
        Claim.objects.values_list(
            "application_id", "claim_type", "phase", "cr_organisation_id", "comp_organisation_id"
        )
    )
    gone = ledger.delete_claims(
        [effects.Deleted(a, t, p, cr, comp, "GDPR", clock.now()) for a, t, p, cr, comp in claims]
    )
    assert gone == len(claims) > 10
    assert not Claim.objects.exists()
    assert dashboard_counts() == before_facts
    assert figures.csv_text([MARCH, APRIL], live=True) == before_csv
    assert PublishedMonth.objects.get(month=MARCH).figures == published.figures


def _written(operation: str, before: str, after: str, **payload: Any) -> effects.Written:
    return effects.Written(
        application_id=1,
        claim_type="RTA",
        cr_organisation_id=1,
        comp_organisation_id=2,
        operation=operation,
        actor_side="CR",
        actor_organisation_id=1,
        actor_user_id=1,
        phase_before=before,
        phase_after=after,
        activity_guid=uuid.uuid4(),
        deadline_at=None,
        occurred_at=datetime(2026, 3, 31, 23, 30, tzinfo=LONDON),
        payload=payload,
    )


@pytest.mark.django_db
def test_an_event_that_is_no_fact_runs_no_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        facts.observe(
            [
                _written("lockClaim", "ClaimSubmitted", "ClaimSubmitted"),
                _written("acknowledgeDeniedLiability", "LiabilityNotAdmitted", "LiabilityNotAdmittedEnd"),
                _written("acceptClaim", "ClaimSubmitted", "Article75Decision"),
                _written("resendRejectedClaim", "ClaimsRejectedToCR", "ClaimSubmitted"),
            ]
        )


def test_a_fact_holds_the_month_protocol_and_measure_and_nothing_that_names_a_party() -> None:
    assert {f.name for f in Fact._meta.get_fields()} == {
        "id",
        "month",
        "protocol",
        "metric",
        "reason",
        "amount",
    }
    assert facts.classify(_written("addClaim", "ClaimDataInputEdit", "ClaimSubmitted")) == [("CNF_SENT", "")]
    assert facts.month_of(_written("addClaim", "ClaimDataInputEdit", "ClaimSubmitted")) == MARCH
    not_paid = _written("setStage21Payment", "WaitingForInterimPayment", "ExitProcess", isStage21Paid=False)
    assert facts.classify(not_paid) == [("EXIT", "12"), ("STAGE2_EXIT", "EXIT")]
    first = _written("exitProcess", "ClaimSubmitted", "ExitProcess", exitReasonCode="1")
    assert facts.classify(first) == [("EXIT", "1")]
