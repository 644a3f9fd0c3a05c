"""Claims driven at random through ``perform`` and the timer sweep, checked against the protocol tables.

Each example sends one claim (random protocol and claim type, adult, child or coming of age
claimant, MIB or insurer for RTA, sent on a random day around bank holidays), then random steps:
an operation of the current phase (sometimes any other) with a valid or invalid payload, by a user
of the owning side, of the other side, of an unrelated organisation or with a stale
``activityEngineGuid``; or time passing by business days, or up to a deadline, followed by the sweep.

After every step: only the owning side ever changes the claim; a refusal changes nothing; the
deadline exists exactly in timed phases and is never already due; a terminal phase refuses
everything; and the event log replayed through ``engine.decide`` ends where the claim is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from claimsportal.claims.acting import Actor
from claimsportal.claims.deadlines import spec_from_row
from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.claims.timers import TIMEOUT_OPERATION, run_due_timeouts
from claimsportal.claims.visibility import ARCHIVED_PHASE
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import User
from claimsportal.protocols.definitions import ProtocolDefinition
from claimsportal.protocols.engine import Outcome, decide
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.state import ClaimState
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON, DeadlineSpec
from claimsportal.protocols.types import ClaimType, OperationKind, Side
from claimsportal.reference.calendar import get_calendar
from tests.conftest import World, cnf, send_claim, step
from tests.shorthands import FORM_KEYS, form_shorthand, liability_shorthand, stage2_shorthand

# Days a claim may be sent on: a plain Monday, the Thursday before Easter 2026, the Friday before
# Christmas 2026, Christmas Eve, and a Saturday before the clocks go back.
STARTS = [
    datetime(2026, 3, 2, 10, 0, tzinfo=LONDON),
    datetime(2026, 4, 2, 16, 30, tzinfo=LONDON),
    datetime(2026, 12, 18, 11, 0, tzinfo=LONDON),
    datetime(2026, 12, 24, 9, 0, tzinfo=LONDON),
    datetime(2026, 10, 24, 12, 0, tzinfo=LONDON),
]
AGES = ["adult", "child", "coming_of_age"]
# The main path, one step per phase (owner side, valid payload), used to start some walks deeper in.
MAIN_PATH: dict[str, tuple[str, dict[str, Any]]] = {
    "ClaimAcknowledgement": ("acknowledgeClaim", {}),
    "ClaimSubmitted": ("acceptClaim", {}),
    "Article75Decision": ("applyArticle75", {"isArticle75": False}),
    "LiabilityDecision": ("sendLiabilityDecision", {"liabilityDecision": "A"}),
    "LiabilityAdmitted": ("acknowledgeLiabilityAdmitted", {}),
    "LiabilityAdmittedForChild": ("acknowledgeLiabilityAdmittedForChild", {}),
    "StartOfStage21": ("setInterimPaymentNeeded", {"isInterimPaymentNeeded": False}),
    "Stage2SettlementPackForm": ("addStage2SPFRequest", {"generalDamages": "3500.00"}),
    "Stage2SettlementPackDecision": ("addStage2SPFResponse", {"settlementPackDecision": "CO"}),
    "Stage2SettlementPackCounterOfferDecision": (
        "setStage2SPFCounterOfferNeeded",
        {"isStage2SPFCounterOfferNeeded": False},
    ),
    "Stage2SettlementPackAgreementDecision": ("setStage2SPFAgreementDecision", {"isAgreed": False}),
    "StartS2SPAdditionalDamages": ("setAdditionalDamagesExistence", {"additionalDamagesExist": True}),
    "S2SPAdditionalDamagesRequestForm": ("addS2SPFAdditionalDamagesRequest", {"hireCharges": "900.00"}),
    "CourtProceedingsPackForm": ("addCPPFRequest", {}),
}
# Detours from the main path on the way to some targets.
INTERIM: dict[str, tuple[str, dict[str, Any]]] = {
    "StartOfStage21": ("setInterimPaymentNeeded", {"isInterimPaymentNeeded": True}),
    "InterimSettlementPackForm": ("addInterimSPFRequest", {"amountRequested": "1500.00"}),
}
COUNTER_OFFER: dict[str, tuple[str, dict[str, Any]]] = {
    "Stage2SettlementPackCounterOfferDecision": (
        "setStage2SPFCounterOfferNeeded",
        {"isStage2SPFCounterOfferNeeded": True},
    ),
    "Stage2SettlementPackCounterOfferCR": ("addStage2SPFCounterOfferByCR", {"generalDamages": "3200.00"}),
}
SKIP_TO: list[tuple[str | None, dict[str, tuple[str, dict[str, Any]]]]] = [
    ("InterimPaymentDecision", INTERIM),
    ("Stage2SettlementPackDecision", {}),
    ("Stage2SettlementPackCounterOfferDecision", {}),
    ("Stage2SettlementPackCounterOfferDecisionCM", COUNTER_OFFER),
    ("Stage2SettlementPackAgreementDecision", {}),
    ("StartS2SPAdditionalDamages", {}),
    ("AdditionalDamagesDecision", {}),
    ("CourtProceedingsPackFormResponse", {}),
    (None, {}),
    (None, {}),
]
# Operations whose refusals may also come from the database (other compensator, CNF rules).
SERVICE_RULES = {"reassignToAnotherCM", "resendRejectedClaim"}
# Operations that take the claim out of the process: drawn less often so that walks get deep.
ENDINGS = {"exitProcess", "stateFraud", "rejectClaimToCR", "exitRejectedClaim"}


# --------------------------------------------------------------------------------------------------
# Replaying the event log through the engine
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Folded:
    """A claim as the engine sees it: what its event log folds to."""

    phase: str
    owner: Side | None
    state: ClaimState
    deadline: DeadlineSpec | None


def replay(claim: Claim) -> Folded:
    """Fold the claim's events (ordered by id) through ``engine.decide``, checking each one."""
    definition = definition_for(claim.claim_type)
    calendar = get_calendar()
    folded = Folded(
        definition.initial_phase, Side.CR, ClaimState(claim_type=ClaimType(claim.claim_type)), None
    )
    for event in claim.events.order_by("id"):
        where = f"event {event.pk} {event.operation}"
        assert event.phase_before == folded.phase, where
        if event.operation == TIMEOUT_OPERATION:
            phase = definition.phases[folded.phase]
            assert event.actor_side == "SYSTEM", where
            assert phase.on_timeout == event.phase_after, where
            assert folded.deadline is not None and folded.deadline.fires_at(calendar) <= event.occurred_at, (
                where
            )
            folded = Folded(event.phase_after, definition.phases[event.phase_after].owner, folded.state, None)
            continue
        payload = {k: v for k, v in event.payload.items() if k != "_route"}
        outcome = decide(
            definition,
            phase=folded.phase,
            owner=folded.owner,
            state=folded.state,
            deadline=folded.deadline,
            operation=event.operation,
            side=Side(event.actor_side),
            payload=payload,
            now=event.occurred_at,
            calendar=calendar,
        )
        assert outcome.phase_after == event.phase_after, where
        assert event.deadline_at == (outcome.deadline.fires_at(calendar) if outcome.deadline else None), where
        folded = Folded(outcome.phase_after, outcome.owner_after, outcome.state, outcome.deadline)
    return folded


# --------------------------------------------------------------------------------------------------
# Payloads: mostly valid, sometimes not
# --------------------------------------------------------------------------------------------------

MONEY = st.sampled_from(["1000.00", "1000", "1000.01", "1500.00", "2500.00", "600.00", "999.99"])
BAD_MONEY = st.sampled_from(["0", "-5.00", "12.345", "lots"])
COMMENT = st.sampled_from(["Reason given", "  Another reason  "])
BAD_COMMENT = st.sampled_from(["", "   ", "x" * 501])
OFFER = st.sampled_from(["1000.00", "3000.00", "3200.00", "3500.00"])


def maybe_bad(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(*[good] * 7, bad)


def flag(name: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({name: maybe_bad(st.booleans(), st.sampled_from(["maybe", None]))})


def choice(name: str, good: list[str], bad: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({name: maybe_bad(st.sampled_from(good), st.sampled_from(bad))})


def new_date(name: str, today: date) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            name: st.integers(-3, 60).map(lambda n: (today + timedelta(days=n)).isoformat()),
            "reasonForExtension": maybe_bad(st.sampled_from(["1", "2"]), st.just("3")),
        }
    )


def payloads(name: str, world: World, claim: Claim, today: date) -> st.SearchStrategy[dict[str, Any]]:
    empty = st.sampled_from([{}, {}, {}, {"unexpected": True}])
    requested = claim.state.get("interim_requested") or "1000.00"
    generators: dict[str, st.SearchStrategy[dict[str, Any]]] = {
        "acceptClaim": st.one_of(
            st.just({}),
            st.fixed_dictionaries(
                {"insurerClaimReferenceNumber": maybe_bad(st.just("INS-1"), st.just("x" * 31))}
            ),
        ),
        "rejectClaimToCR": choice("rejectionReasonCode", ["0", "1", "2"], ["3", "x"]),
        "reassignToAnotherCM": choice(
            "organisationPath", [world.tpa.path, world.comp.path], [world.mib.path, "/COMP99999", "nope"]
        ),
        "resendRejectedClaim": st.fixed_dictionaries(
            {
                "cnf": st.builds(
                    cnf,
                    st.just(claim.claim_type),
                    dob=st.sampled_from([date(1980, 1, 15), date(2015, 6, 1)]),
                    insurer_type=maybe_bad(st.sampled_from(["I", "M"]), st.just("X")),
                    child=maybe_bad(st.just(False), st.just(True)),  # True for an adult is refused
                )
            },
            optional={"compensator": st.sampled_from([world.comp.path, world.tpa.path, world.mib.path])},
        ),
        "stateFraud": st.fixed_dictionaries(
            {
                "reasonCode": maybe_bad(st.just("0"), st.just("1")),
                "reasonDescription": maybe_bad(COMMENT, BAD_COMMENT),
            }
        ),
        "sendLiabilityDecision": st.fixed_dictionaries(
            {"liabilityDecision": maybe_bad(st.sampled_from(["A"] * 6 + ["AN", "N"]), st.just("Y"))},
            optional={"reasonsForDenial": COMMENT},
        ).map(lambda p: liability_shorthand(ClaimType(claim.claim_type).protocol.value, p)),
        "applyArticle75": flag("isArticle75"),
        "setStage1Payment": flag("isStage1Paid"),
        "setInterimPaymentNeeded": flag("isInterimPaymentNeeded"),
        "addInterimSPFRequest": st.fixed_dictionaries({"amountRequested": maybe_bad(MONEY, BAD_MONEY)}),
        "addInterimSPFResponse": st.fixed_dictionaries(
            {"amountOffered": maybe_bad(st.one_of(st.just(requested), MONEY), BAD_MONEY)}
        ),
        "addStage2SPFRequest": st.fixed_dictionaries(
            {}, optional={"generalDamages": maybe_bad(OFFER, BAD_MONEY)}
        ),
        "addStage2SPFCounterOfferByCR": st.fixed_dictionaries(
            {}, optional={"generalDamages": maybe_bad(st.sampled_from(["1000.00", "2000.00"]), BAD_MONEY)}
        ),
        "addS2SPFAdditionalDamagesRequest": st.fixed_dictionaries(
            {}, optional={"hireCharges": maybe_bad(MONEY, BAD_MONEY)}
        ),
        "addCPPFRequest": st.fixed_dictionaries(
            {}, optional={"claimantFinalOffer": maybe_bad(OFFER, BAD_MONEY)}
        ),
        "addCPPFResponse": st.fixed_dictionaries({}, optional={"offer": maybe_bad(OFFER, BAD_MONEY)}),
        "rejectInterimSettlementPack": st.fixed_dictionaries(
            {"rejectionComment": maybe_bad(COMMENT, BAD_COMMENT)}
        ),
        "acceptPartialInterimPayment": flag("isPartialInterimPaymentAccepted"),
        "setStage21Payment": flag("isStage21Paid"),
        "addStage2SPFResponse": choice("settlementPackDecision", ["C", "CO", "CO", "R"], ["A"]),
        "extendStage2SPFDecisionTimeout": new_date("newTimeOut", today),
        "extendStage2SPFCounterOfferTimeout": new_date("newTimeOut", today),
        "extendAdditionalDamagesDecisionTimeout": new_date("newTimeOutDate", today),
        "setStage2SPFCounterOfferNeeded": flag("isStage2SPFCounterOfferNeeded"),
        "addStage2SPFCounterOfferByCM": choice(
            "settlementPackCounterOfferDecision", ["ACO", "NEWCO"], ["CO"]
        ),
        "setStage2SPFAgreementDecision": flag("isAgreed"),
        "setS2SPFAdditionalDamagesDecision": flag("isAgreed"),
        "setAdditionalDamagesExistence": flag("additionalDamagesExist"),
        "addS2SPFAdditionalDamagesResponse": choice("additionalDamagesDecision", ["A", "CO"], ["N"]),
        "exitProcess": st.fixed_dictionaries(
            {
                "exitReasonCode": maybe_bad(st.integers(1, 16).map(str), st.just("x")),
                "exitComment": maybe_bad(COMMENT, BAD_COMMENT),
            }
        ),
    }
    if name in FORM_KEYS:  # the shorthands stand for complete forms; {"unexpected": True} is sent as it is
        protocol = ClaimType(claim.claim_type).protocol.value
        return st.one_of(
            *[generators[name].map(lambda p: stage2_shorthand(protocol, name, p, claim.state))] * 7,
            st.just({"unexpected": True}),
        )
    return generators.get(name, empty)


# --------------------------------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------------------------------


def workflow_names(definition: ProtocolDefinition) -> list[str]:
    return sorted({op.name for op in definition.operations if op.kind is OperationKind.WORKFLOW})


class ClaimLifecycle(RuleBasedStateMachine):
    world: World
    clock: FixedClock

    def __init__(self) -> None:
        super().__init__()
        self.application_id: int | None = None
        self.folded: Folded | None = None  # the replayed log, refreshed by the invariant after each step
        self.actors: dict[int, Actor] = {}

    def actor(self, user: User) -> Actor:
        if user.pk not in self.actors:
            self.actors[user.pk] = self.world.actor(user)
        return self.actors[user.pk]

    # -- reading -----------------------------------------------------------------------------------
    def claim(self) -> Claim:
        assert self.application_id is not None
        return Claim.objects.get(pk=self.application_id)

    def users_by_comp(self) -> dict[int, User]:
        w = self.world
        return {w.comp.pk: w.comp_handler, w.tpa.pk: w.tpa_handler, w.mib.pk: w.mib_handler}

    def user_of(self, side: Side, claim: Claim) -> User:
        if side is Side.CR:
            return self.world.cr_handler
        assert claim.comp_organisation_id is not None
        return self.users_by_comp()[claim.comp_organisation_id]

    def snapshot(self, claim: Claim) -> tuple[Any, ...]:
        return (
            claim.phase,
            claim.owner_side,
            claim.activity_guid,
            claim.state,
            claim.deadline_at,
            claim.comp_organisation_id,
            claim.events.count(),
        )

    # -- sending -----------------------------------------------------------------------------------
    @initialize(
        claim_type=st.sampled_from(["RTA", "RTA", "EL", "ELD", "PL"]),
        age=st.sampled_from(AGES),
        days_to_18=st.integers(1, 90),
        mib=st.booleans(),
        start=st.sampled_from(STARTS),
        skip_to=st.sampled_from(SKIP_TO),
    )
    def send(
        self,
        claim_type: str,
        age: str,
        days_to_18: int,
        mib: bool,
        start: datetime,
        skip_to: tuple[str | None, dict[str, tuple[str, dict[str, Any]]]],
    ) -> None:
        self.clock.set(start)
        dob: date = {
            "adult": date(1980, 1, 15),
            "child": date(2015, 6, 1),
            "coming_of_age": date(start.year - 18, start.month, start.day) + timedelta(days=days_to_18),
        }[age]
        mib = mib and claim_type == "RTA"
        extra: dict[str, Any] = {"insurer_type": "M" if mib else "I"} if claim_type == "RTA" else {}
        info = send_claim(
            self.world,
            claim_type,
            compensator=(self.world.mib if mib else self.world.comp).path,
            dob=dob,
            **extra,
        )
        self.application_id = info.application_id
        claim = self.claim()
        assert claim.phase == ("ClaimSubmitted" if claim_type == "RTA" else "ClaimAcknowledgement")
        assert claim.owner_side == Side.COMP
        self.skip_ahead(*skip_to)

    def skip_ahead(self, target: str | None, detours: dict[str, tuple[str, dict[str, Any]]]) -> None:
        """Walk the claim along the main path (with ``detours``), at the same instant, until it
        reaches ``target`` or a step is refused (a child gets no interim payment)."""
        claim = self.claim()
        while target is not None and claim.phase != target:
            step = detours.get(claim.phase) or MAIN_PATH.get(claim.phase)
            if step is None:
                return
            assert claim.owner_side is not None
            payload = form_shorthand(
                ClaimType(claim.claim_type).protocol.value, step[0], step[1], claim.state
            )
            try:
                perform(
                    actor=self.actor(self.user_of(Side(claim.owner_side), claim)),
                    operation=step[0],
                    application_id=claim.pk,
                    activity_guid=claim.activity_guid,
                    payload=payload,
                )
            except PortalError as refused:
                if refused.code != "BUSINESS_RULE":
                    raise
                return
            claim = self.claim()

    # -- acting ------------------------------------------------------------------------------------
    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        """Mostly an operation; sometimes time passes (by business days, or up to the deadline)."""
        what = data.draw(st.sampled_from(["act"] * 16 + ["wait"] * 3 + ["deadline"]), label="step")
        if what == "act":
            self.act(data)
        elif what == "deadline" and self.claim().deadline_at is not None:
            self.wait_for_the_deadline(data.draw(st.booleans(), label="just before"))
        else:
            days = data.draw(st.one_of(*[st.integers(0, 2)] * 4, st.integers(3, 30)), label="days")
            self.wait(days, data.draw(st.sampled_from([0, 9, 17, 23]), label="hour"))

    def act(self, data: st.DataObject) -> None:
        claim = self.claim()
        definition = definition_for(claim.claim_type)
        in_phase = sorted(
            {op.name for op in definition.operations_from(claim.phase) if op.kind is OperationKind.WORKFLOW}
        )
        if in_phase and data.draw(st.integers(0, 9), label="off phase?") < 9:
            weighted = [n for n in in_phase for _ in range(1 if n in ENDINGS else 6)]
            name = data.draw(st.sampled_from(weighted), label="operation")
        else:
            name = data.draw(
                st.sampled_from([*workflow_names(definition), "noSuchOperation"]), label="operation"
            )
        today = self.clock.now().astimezone(LONDON).date()
        payload = data.draw(payloads(name, self.world, claim, today), label="payload")
        who = data.draw(
            st.sampled_from(["owner"] * 16 + ["other", "other", "unrelated", "former", "stale"]), label="who"
        )

        owner = (
            Side(claim.owner_side) if claim.owner_side else data.draw(st.sampled_from([Side.CR, Side.COMP]))
        )
        user = self.user_of(owner.other if who == "other" else owner, claim)
        if who == "unrelated":
            user = self.world.other_cr_handler
        elif who == "former":  # a compensator that is not (or no longer) the claim's
            others = [u for pk, u in sorted(self.users_by_comp().items()) if pk != claim.comp_organisation_id]
            user = data.draw(st.sampled_from(others), label="former compensator")
        guid = uuid.uuid4() if who == "stale" else claim.activity_guid

        folded = self.folded
        assert folded is not None and folded.phase == claim.phase
        predicted: Outcome | PortalError
        try:
            predicted = decide(
                definition,
                phase=folded.phase,
                owner=folded.owner,
                state=folded.state,
                deadline=folded.deadline,
                operation=name,
                side=self.actor(user).side,
                payload=payload,
                now=self.clock.now(),
                calendar=get_calendar(),
            )
        except PortalError as refusal:
            predicted = refusal

        before = self.snapshot(claim)
        try:
            info = perform(
                actor=self.actor(user),
                operation=name,
                application_id=claim.pk,
                activity_guid=guid,
                payload=payload,
            )
        except PortalError as refused:
            error: PortalError | None = refused
        else:
            error = None

        after = self.claim()
        terminal = definition.phases[claim.phase].terminal
        if who in ("unrelated", "former") or claim.phase == ARCHIVED_PHASE:
            # an archived claim is out of every claim page: only the archive search reads it
            assert error is not None and error.code == "NOT_FOUND", error
        elif who == "stale":
            assert error is not None and error.code == "STALE_ACTIVITY_GUID", error
        elif name == "noSuchOperation":
            assert error is not None and error.code == "NOT_FOUND", error
        elif terminal:
            assert error is not None and error.code == "WRONG_PHASE", error
        elif who == "other":
            assert error is not None, f"{name} succeeded for the side whose turn it is not"
            expected = {"WRONG_SIDE", "NOT_FOUND"} if name in in_phase else {"WRONG_PHASE", "NOT_FOUND"}
            assert error.code in expected, error
        elif isinstance(predicted, PortalError):
            assert error is not None and error.code == predicted.code, (error, predicted)
        elif error is not None:
            assert error.code == "BUSINESS_RULE" and name in SERVICE_RULES, (error, predicted)
        else:
            assert info.phase == predicted.phase_after == after.phase
            assert after.activity_guid == info.activity_guid != claim.activity_guid
            assert after.events.count() == before[-1] + 1
            last = after.events.order_by("-id").first()
            assert last is not None and last.operation == name and last.actor_side == owner.value

        if error is not None:
            assert self.snapshot(after) == before, f"the refused {name} changed the claim"

    # -- time passing ------------------------------------------------------------------------------
    def sweep(self) -> None:
        before = self.claim()
        definition = definition_for(before.claim_type)
        now = self.clock.now()
        run_due_timeouts(now=now)
        after = self.claim()
        if before.deadline_at is not None and before.deadline_at <= now:
            target = definition.phases[before.phase].on_timeout
            assert after.phase == target
            assert after.deadline_at is None
            assert after.activity_guid != before.activity_guid
            last = after.events.order_by("-id").first()
            assert last is not None and last.operation == TIMEOUT_OPERATION
            assert (last.phase_before, last.phase_after) == (before.phase, target)
        else:
            assert self.snapshot(after) == self.snapshot(before)

    def wait(self, days: int, hour: int) -> None:
        now = self.clock.now()
        day = get_calendar().add_business_days(now.astimezone(LONDON).date(), days)
        self.clock.set(max(now, datetime.combine(day, time(hour), tzinfo=LONDON)))
        self.sweep()

    def wait_for_the_deadline(self, just_before: bool) -> None:
        deadline = self.claim().deadline_at
        assert deadline is not None
        target = deadline - timedelta(microseconds=1) if just_before else deadline
        self.clock.set(max(self.clock.now(), target))
        self.sweep()

    # -- what always holds -------------------------------------------------------------------------
    @invariant()
    def the_claim_is_what_its_events_say(self) -> None:
        if self.application_id is None:
            return
        claim = self.claim()
        definition = definition_for(claim.claim_type)
        phase = definition.phases[claim.phase]
        assert (claim.deadline_at is not None) == (phase.timer is not None), claim.phase
        if claim.deadline_at is not None:
            assert claim.deadline_at > self.clock.now(), "an open deadline is already due"

        folded = self.folded = replay(claim)
        assert folded.phase == claim.phase
        assert (folded.owner.value if folded.owner else None) == claim.owner_side
        assert folded.state.to_json() == claim.state
        stored = spec_from_row(
            claim.deadline_kind,
            claim.deadline_anchor,
            claim.deadline_business_days,
            claim.deadline_further_days,
            claim.deadline_fixed_date,
        )
        assert stored == folded.deadline
        if folded.deadline is not None:
            assert claim.deadline_at == folded.deadline.fires_at(get_calendar())

        if phase.terminal:
            assert claim.owner_side is None
        elif phase.owner is not None:
            assert claim.owner_side == phase.owner.value
        else:  # ExitProcess: the side that did not exit acknowledges
            assert claim.owner_side == Side(claim.state["exit_side"]).other.value
        awaiting = {Side.CR.value: claim.cr_organisation_id, Side.COMP.value: claim.comp_organisation_id}
        if claim.owner_side:
            assert claim.awaiting_organisation_id == awaiting[claim.owner_side]


@pytest.mark.django_db
def test_random_claims_follow_the_tables_and_only_the_owning_side_moves_them(
    world: World, clock: FixedClock
) -> None:
    ClaimLifecycle.world = world
    ClaimLifecycle.clock = clock
    run_state_machine_as_test(
        ClaimLifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


# --------------------------------------------------------------------------------------------------
# A case the random walk found worth pinning down
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resending_an_rta_claim_needs_the_insurer_type_like_sending_it(
    world: World, clock: FixedClock
) -> None:
    info = send_claim(world, "RTA", insurer_type="M", compensator=world.mib.path)
    info = step(world, world.mib_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    bare = cnf()
    del bare["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]["insurerType"]
    with pytest.raises(PortalError) as refused:
        step(world, world.cr_handler, info, "resendRejectedClaim", cnf=bare)
    assert refused.value.code == "SCHEMA_INVALID"
    assert refused.value.details[0].field == (
        "cnf.claimAndClaimantDetails.defendantDetails.insurerInformation.insurerType"
    )
    claim = Claim.objects.get(pk=info.application_id)
    assert (claim.phase, claim.activity_guid) == ("ClaimsRejectedToCR", info.activity_guid)
    resent = step(world, world.cr_handler, info, "resendRejectedClaim", cnf=cnf(insurer_type="M"))
    assert resent.phase == "ClaimSubmitted"
    assert Claim.objects.get(pk=info.application_id).state["insurer_type"] == "M"
