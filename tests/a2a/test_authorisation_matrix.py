"""The authorisation matrix of the A2A write API: every operation by every kind of caller.

For every operation of the protocol tables (the keys of ``a2a.schemas.PAYLOAD_MODELS``) and each row
of the tables that declares it, in RTA and in EL/PL (an ``OWNER`` operation once in a phase the
compensator owns and once in one the claimant side owns), a claim is put in a phase where the
operation *is* allowed and its documented example request (``a2a.examples``) is sent by:

- ``owning_side``: the side allowed to call it (a team leader for the team-leader operations) → 200
  with the new ``claimInfo`` (201 for ``addClaim``): a phase the operation routes to, a new
  ``activityEngineGuid``, exactly one new event, and no other claim changed;
- ``other_side``: the same profile on the other side → 403 ``WRONG_SIDE`` (200 for the ``EITHER``
  operations ``allocateUser``/``deallocateUser``; for ``unlockClaim`` also 409 ``CLAIM_LOCKED`` once
  the owning user holds the lock, which is checked before the side).

and, once per operation (on its first case, RTA where it exists), as these are refused before the
claim's phase matters:

- ``unrelated_organisation``: a claimant firm and a compensator (of the claim's compensator's group)
  that are not parties to the claim → 404 ``NOT_FOUND``, never 403;
- ``wrong_profile``: an administrator-only user of the owning side → 403 ``FORBIDDEN_PROFILE``; also a
  claim handler for the team-leader operations and a branch claim handler for ``allocateClaimToBranch``;
- ``disabled_user``: the owning user, disabled → 403 ``LOGIN_AS_INVALID``;
- ``expired_token``: the owning client's token one hour later → 401 ``TOKEN_EXPIRED`` (and a made-up
  token → 401 ``AUTH_INVALID``).

Besides: every operation, in each protocol, sent by the side that would own it to a claim in a phase
where it is not allowed → 409 ``WRONG_PHASE``; an operation of the other protocol → 404 ``NOT_FOUND``;
``addClaim`` (no claim yet) by each kind of caller; the other reasons an acting user may not act.
Every refusal leaves the claims (all columns), the event log and the notifications as they were.

The owning-side success is covered for every operation row, Stage 1 and Stage 2 alike: the claims
are built once per module (``matrix``: one claim per phase needed, through ``send_claim``/``step`` and
the timer sweep) inside an outer transaction, and each test runs in a savepoint of it, so whatever a
test changes is rolled back and every test starts from the same database (``Matrix.baseline``). A
module-scoped world cannot use the function-scoped ``world`` fixture: ``build_world`` makes the same
one. Phases reached only through time passing (``*Timeout``) are built in the past and swept; the
compensator's agreement decision needs the further consideration period, so that claim's counter
offer is made in the last five business days of the negotiation period.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from django.db import connection, models, transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from claimsportal.a2a import auth, ratelimit
from claimsportal.a2a.examples import example_payload
from claimsportal.a2a.schemas import PAYLOAD_MODELS
from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core import clock as clock_module
from claimsportal.core.clock import FixedClock, use_clock
from claimsportal.notifications.models import Notification
from claimsportal.organisations.accounts import publish_agreement
from claimsportal.organisations.models import User
from claimsportal.protocols import access
from claimsportal.protocols.definitions import SAME, Operation, ProtocolDefinition
from claimsportal.protocols.tables import DEFINITIONS
from claimsportal.protocols.timers import (
    FURTHER_CONSIDERATION_DAYS,
    STAGE2_TOTAL_DAYS,
    DeadlineSpec,
    TimerKind,
    in_last_business_days,
)
from claimsportal.protocols.types import ActingSide as Who
from claimsportal.protocols.types import ProtocolName, Side
from claimsportal.reference import calendar as calendar_service
from tests.a2a.conftest import Answer, Caller, Callers, caller_for
from tests.conftest import DEFAULT_NOW, World, make_user, send_claim, step
from tests.conftest import build_world as conftest_world

# The operations the protocol tables reserve for team leaders (their access rules).
TEAM_LEADER_OPERATIONS = frozenset(
    op.name
    for definition in DEFINITIONS.values()
    for op in definition.operations
    if access.TEAM_LEADER in op.access
)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("a2a_authorisation_matrix")]

CR, COMP = Side.CR, Side.COMP
NOW = DEFAULT_NOW  # Monday 2 March 2026, 10:00 London
PAST = NOW - timedelta(days=49)  # Monday 12 January 2026: every period started then has run out by NOW
CLAIM_TYPE = {"RTA": "RTA", "ELPL": "EL"}
FIRST_PHASE = {"RTA": "ClaimSubmitted", "ELPL": "ClaimAcknowledgement"}
TERMINAL = "FraudStatedEnd"  # a phase in which nothing is allowed


# --------------------------------------------------------------------------------------------------
# How each claim is reached: key → (parent key, side, operation, payload). A key names the phase the
# claim ends in, with a prefix for a variant ("child:", "further:", "cr-exit:"); the roots are the
# phase a CNF is sent to. Without a payload a step sends the operation's documented example (so that
# a claim tells the examples' story, and the next example fits it); a payload is a tests.conftest
# ``step`` shorthand choosing another outcome. ``WAIT`` marks that the steps before it are done
# earlier (PAST, or so that NOW falls in the further consideration period) and the clock then moves
# to NOW and the timers run.
# --------------------------------------------------------------------------------------------------

WAIT = "wait"


@dataclass(frozen=True)
class Recipe:
    parent: str
    side: Side | None  # None: a WAIT marker
    operation: str
    payload: dict[str, Any] | None = None  # None: the example


def _do(parent: str, side: Side, operation: str, **shorthand: Any) -> Recipe:
    return Recipe(parent, side, operation, shorthand or None)


def _wait(parent: str, since: str) -> Recipe:
    return Recipe(parent, None, WAIT, {"since": since})


def recipes(protocol: str) -> dict[str, Recipe]:
    rta = protocol == "RTA"
    first = FIRST_PHASE[protocol]
    s2_decision, s2_cm, s2_cr = (
        "Stage2SettlementPackDecision",
        "Stage2SettlementPackCounterOfferDecisionCM",
        "Stage2SettlementPackCounterOfferCR",
    )
    out: dict[str, Recipe] = {}
    for prefix in ("", "child:"):
        if rta:
            out[f"{prefix}Article75Decision"] = _do(f"{prefix}ClaimSubmitted", COMP, "acceptClaim")
            out[f"{prefix}LiabilityDecision"] = _do(f"{prefix}Article75Decision", COMP, "applyArticle75")
        else:
            out[f"{prefix}ClaimSubmitted"] = _do(f"{prefix}ClaimAcknowledgement", COMP, "acknowledgeClaim")
            out[f"{prefix}LiabilityDecision"] = _do(f"{prefix}ClaimSubmitted", COMP, "acceptClaim")
    out |= {
        "AcknowledgeRejectedClaim": _do("ClaimSubmitted", COMP, "rejectClaimToCR"),
        "ClaimsRejectedToCR": _do("AcknowledgeRejectedClaim", CR, "acknowledgeRejectedClaim"),
        "FraudStated": _do(first, COMP, "stateFraud"),
        TERMINAL: _do("FraudStated", CR, "acknowledgeFraudStated"),
        "ExitProcess": _do(first, COMP, "exitProcess"),
        "LiabilityDecisionTimeout": _wait(first, "past"),
        "LiabilityAdmitted": _do("LiabilityDecision", COMP, "sendLiabilityDecision"),
        "LiabilityAdmittedForChild": _do("child:LiabilityDecision", COMP, "sendLiabilityDecision"),
        "LiabilityAdmittedWithNegligence": _do(
            "LiabilityDecision", COMP, "sendLiabilityDecision", liabilityDecision="AN"
        ),
        "LiabilityNotAdmitted": _do(
            "LiabilityDecision", COMP, "sendLiabilityDecision", liabilityDecision="N"
        ),
        "StartOfStage21": _do("LiabilityAdmitted", CR, "acknowledgeLiabilityAdmitted"),
        "cr-exit:ExitProcess": _do("StartOfStage21", CR, "exitProcess"),
        "InterimSettlementPackForm": _do("StartOfStage21", CR, "setInterimPaymentNeeded"),
        "InterimPaymentDecision": _do("InterimSettlementPackForm", CR, "addInterimSPFRequest"),
        "InterimSettlementPackRejected": _do("InterimPaymentDecision", COMP, "rejectInterimSettlementPack"),
        "InterimPaymentDecisionTimeout": _wait("InterimPaymentDecision", "past"),
        "WaitingForInterimPayment": _do("InterimPaymentDecision", COMP, "addInterimSPFResponse"),
        "AcceptanceOfPartialInterimPayment": _do(
            "InterimPaymentDecision", COMP, "addInterimSPFResponse", amountOffered="1200.00"
        ),
        "DecisionOfPartialInterimPayment": _do(
            "AcceptanceOfPartialInterimPayment", CR, "acceptPartialInterimPayment"
        ),
        "Stage2SettlementPackForm": _do(
            "StartOfStage21", CR, "setInterimPaymentNeeded", isInterimPaymentNeeded=False
        ),
        s2_decision: _do("Stage2SettlementPackForm", CR, "addStage2SPFRequest"),
        "Stage2SettlementPackDecisionTimeout": _wait(s2_decision, "past"),
        "Stage2SettlementPackConfirmation": _do(
            s2_decision, COMP, "addStage2SPFResponse", settlementPackDecision="C"
        ),
        "Stage2SettlementPackRepudiation": _do(
            s2_decision, COMP, "addStage2SPFResponse", settlementPackDecision="R"
        ),
        "Stage2SettlementPackCounterOfferDecision": _do(
            s2_decision, COMP, "addStage2SPFResponse", settlementPackDecision="CO"
        ),
        s2_cr: _do("Stage2SettlementPackCounterOfferDecision", CR, "setStage2SPFCounterOfferNeeded"),
        s2_cm: _do(s2_cr, CR, "addStage2SPFCounterOfferByCR"),
        f"further:{s2_cr}": _wait(s2_cr, "further"),
        f"further:{s2_cm}": _do(f"further:{s2_cr}", CR, "addStage2SPFCounterOfferByCR"),
        "Stage2SettlementPackNotAgreed": _do(
            f"further:{s2_cm}", COMP, "setStage2SPFAgreementDecision", isAgreed=False
        ),
        "Stage2SettlementPackAgreementDecision": _do(
            "Stage2SettlementPackCounterOfferDecision",
            CR,
            "setStage2SPFCounterOfferNeeded",
            isStage2SPFCounterOfferNeeded=False,
        ),
        "Stage2SettlementPackAgreedCR": _do(
            "Stage2SettlementPackAgreementDecision", CR, "setStage2SPFAgreementDecision"
        ),
        "CourtProceedingsPackFormResponse": _do("CourtProceedingsPackForm", CR, "addCPPFRequest"),
        "EndOfStage2": _do("CourtProceedingsPackFormResponse", COMP, "addCPPFResponse"),
    }
    not_agreed = _do(
        "Stage2SettlementPackAgreementDecision", CR, "setStage2SPFAgreementDecision", isAgreed=False
    )
    if not rta:
        out["CourtProceedingsPackForm"] = not_agreed
        return out
    return out | {
        "StartS2SPAdditionalDamages": not_agreed,
        "CourtProceedingsPackForm": _do(
            "StartS2SPAdditionalDamages", CR, "setAdditionalDamagesExistence", additionalDamagesExist=False
        ),
        "S2SPAdditionalDamagesRequestForm": _do(
            "StartS2SPAdditionalDamages", CR, "setAdditionalDamagesExistence"
        ),
        "AdditionalDamagesDecision": _do(
            "S2SPAdditionalDamagesRequestForm", CR, "addS2SPFAdditionalDamagesRequest"
        ),
        "AdditionalDamagesTimeout": _wait("AdditionalDamagesDecision", "past"),
        "AllDamagesAgreed": _do("AdditionalDamagesDecision", COMP, "addS2SPFAdditionalDamagesResponse"),
        "AdditionalDamagesDecisionCR": _do(
            "AdditionalDamagesDecision",
            COMP,
            "addS2SPFAdditionalDamagesResponse",
            additionalDamagesDecision="CO",
        ),
        # The original damages were not agreed on this path: agreeing the additional ones leads here.
        "AdditionalDamagesOriginalNotAgreed": _do(
            "AdditionalDamagesDecisionCR", CR, "setS2SPFAdditionalDamagesDecision"
        ),
    }


RECIPES = {protocol: recipes(protocol) for protocol in ("RTA", "ELPL")}


def phase_of(key: str) -> str:
    return key.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class Plan:
    """How to build the claim of one key: its root, the steps, and where the clock jumps to NOW."""

    child: bool
    since: str  # "" (everything at NOW), "past" or "further"
    before: tuple[Recipe, ...]
    after: tuple[Recipe, ...]


def plan_for(protocol: str, key: str) -> Plan:
    chain: list[Recipe] = []
    while key in RECIPES[protocol]:
        recipe = RECIPES[protocol][key]
        chain.insert(0, recipe)
        key = recipe.parent
    assert phase_of(key) == FIRST_PHASE[protocol], key
    waits = [i for i, r in enumerate(chain) if r.side is None]
    assert len(waits) <= 1, chain
    if not waits:
        return Plan(key.startswith("child:"), "", tuple(chain), ())
    at = waits[0]
    since = (chain[at].payload or {})["since"]
    return Plan(key.startswith("child:"), since, tuple(chain[:at]), tuple(chain[at + 1 :]))


# --------------------------------------------------------------------------------------------------
# The world, its clients and its claims, built once per module
# --------------------------------------------------------------------------------------------------


@dataclass
class Matrix:
    world: World
    comp_admin: User
    callers: Callers
    clock: FixedClock
    claims: dict[tuple[str, str], int]  # (protocol, key) → applicationId
    baseline: Snapshot  # the database as every test starts (each test runs in a rolled-back savepoint)

    def caller(self, side: Side) -> Caller:
        return self.callers.cr if side is CR else self.callers.comp

    def user(self, side: Side, role: str) -> User:
        w = self.world
        users = {
            (CR, "handler"): w.cr_handler,
            (CR, "leader"): w.cr_leader,
            (CR, "admin"): w.cr_admin,
            (COMP, "handler"): w.comp_handler,
            (COMP, "leader"): w.comp_leader,
            (COMP, "admin"): self.comp_admin,
        }
        return users[(side, role)]


def build_world() -> tuple[World, User]:
    """The world of tests/conftest.py, plus a compensator administrator."""
    world = conftest_world()
    return world, make_user(world.comp, "comp.admin", "ADMINISTRATOR")


def further_consideration_start() -> date:
    """A day to send the Stage 2 pack on such that today (NOW) falls in the last five business days
    of the total consideration period: a counter offer made today gets the further consideration."""
    calendar = calendar_service.get_calendar()
    today = NOW.date()
    for days_back in range(40, 80):
        start = today - timedelta(days=days_back)
        spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=start, business_days=STAGE2_TOTAL_DAYS)
        if (
            start.weekday() < 5
            and spec.last_day_for_action(calendar) > today
            and in_last_business_days(spec, today, calendar, FURTHER_CONSIDERATION_DAYS)
        ):
            return start
    raise AssertionError("no day puts NOW in the further consideration period")


def current_info(application_id: int) -> ClaimInfo:
    claim = Claim.objects.get(pk=application_id)
    return ClaimInfo(application_id, claim.activity_guid, claim.phase, "")


def build_claims(world: World, clock: FixedClock, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """One claim per (protocol, recipe key), sent and moved with tests.conftest ``send_claim`` and
    ``step``, and the timer sweep."""
    users = {CR: world.cr_handler, COMP: world.comp_handler}

    def run(protocol: str, info: ClaimInfo, steps: tuple[Recipe, ...]) -> ClaimInfo:
        for recipe in steps:
            assert recipe.side is not None
            payload = recipe.payload
            if payload is None:
                payload = example_body(world, protocol, recipe.operation, recipe.side)
            info = step(world, users[recipe.side], info, recipe.operation, **payload)
        return info

    def send(protocol: str, plan: Plan) -> ClaimInfo:
        return send_claim(world, CLAIM_TYPE[protocol], child=plan.child)

    plans = {(protocol, key): plan_for(protocol, key) for protocol, key in sorted(keys)}
    further = further_consideration_start()
    starts = {"past": PAST, "further": NOW.replace(year=further.year, month=further.month, day=further.day)}
    claims: dict[tuple[str, str], int] = {}
    for where, plan in plans.items():
        if plan.since:
            clock.set(starts[plan.since])
            claims[where] = run(where[0], send(where[0], plan), plan.before).application_id
    clock.set(NOW)
    run_due_timeouts()
    for where, plan in plans.items():
        if plan.since:
            run(where[0], current_info(claims[where]), plan.after)
        else:
            claims[where] = run(where[0], send(where[0], plan), plan.before).application_id
    phases = dict(Claim.objects.values_list("application_id", "phase"))
    for (protocol, key), application_id in claims.items():
        assert phases[application_id] == phase_of(key), (protocol, key, phases[application_id])
    return claims


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Matrix]:
    fixed = FixedClock(NOW)
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        use_clock(fixed),
        transaction.atomic(),
    ):
        calendar_service.invalidate()
        world, comp_admin = build_world()
        callers = Callers(
            caller_for(world.cr), caller_for(world.comp), caller_for(world.tpa), caller_for(world.other_cr)
        )
        used = {(c.protocol, c.at) for c in CASES} | {(p, at) for p, _, at in WRONG_PHASE}
        claims = build_claims(world, fixed, used | {(p, FIRST_PHASE[p]) for p in RECIPES})
        try:
            yield Matrix(world, comp_admin, callers, fixed, claims, snapshot())
        finally:
            transaction.set_rollback(True)
            auth.clear_process_caches()
            ratelimit.reset()


@pytest.fixture(autouse=True)
def _at_now(matrix: Matrix) -> None:
    """Each test starts at NOW (the expired-token test moves the clock) with no cached acting users."""
    matrix.clock.set(NOW)
    auth.clear_process_caches()


# --------------------------------------------------------------------------------------------------
# The cases: one per (protocol, operation row), in a phase where the operation is allowed
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    protocol: str
    operation: str
    at: str  # recipe key of the claim
    prep: str = ""  # "locked": locked by the owning handler; "allocated": both sides allocated

    @property
    def phase(self) -> str:
        return phase_of(self.at)

    @property
    def definition(self) -> ProtocolDefinition:
        return DEFINITIONS[ProtocolName(self.protocol)]

    @property
    def op(self) -> Operation:
        op = self.definition.operation(self.operation, self.phase)
        assert op is not None, f"{self.operation} is not allowed in {self.phase}"
        return op

    @property
    def targets(self) -> set[str]:
        """The phases the operation may lead to from here (its routes)."""
        return {self.phase if r.target == SAME else r.target for r in self.op.routes}

    @property
    def role(self) -> str:
        return "leader" if self.operation in TEAM_LEADER_OPERATIONS else "handler"

    @property
    def id(self) -> str:
        return f"{self.protocol}-{self.operation}@{self.at}"


def _cases() -> list[Case]:
    """Per protocol: operation → the claims (recipe keys) it is tried on, with the state it needs."""
    cases: list[Case] = []
    for protocol in ("RTA", "ELPL"):
        first = FIRST_PHASE[protocol]
        s2 = "Stage2SettlementPack"
        table: dict[str, list[str]] = {
            "acceptClaim": ["ClaimSubmitted"],
            "rejectClaimToCR": ["ClaimSubmitted"],
            "reassignToAnotherCM": [first],
            "stateFraud": [first],
            "acknowledgeRejectedClaim": ["AcknowledgeRejectedClaim"],
            "resendRejectedClaim": ["ClaimsRejectedToCR"],
            "exitRejectedClaim": ["ClaimsRejectedToCR"],
            "sendLiabilityDecision": ["LiabilityDecision"],
            "acknowledgeLiabilityAdmitted": ["LiabilityAdmitted"],
            "acknowledgeLiabilityAdmittedForChild": ["LiabilityAdmittedForChild"],
            "acknowledgeLiabilityAdmittedWithNeg": ["LiabilityAdmittedWithNegligence"],
            "acknowledgeDeniedLiability": ["LiabilityNotAdmitted"],
            "acknowledgeLiabilityDecisionTimeout": ["LiabilityDecisionTimeout"],
            "acknowledgeFraudStated": ["FraudStated"],
            "setInterimPaymentNeeded": ["StartOfStage21"],
            "addInterimSPFRequest": ["InterimSettlementPackForm"],
            "addInterimSPFResponse": ["InterimPaymentDecision"],
            "rejectInterimSettlementPack": ["InterimPaymentDecision"],
            "extendInterimPaymentDecisionTimeout": ["InterimPaymentDecision"],
            "acknowledgeRejectedInterimSettlementPack": ["InterimSettlementPackRejected"],
            "acknowledgeInterimPaymentDecisionTimeout": ["InterimPaymentDecisionTimeout"],
            "returnToStartOfStage21": ["InterimPaymentDecisionTimeout"],
            "acceptPartialInterimPayment": ["AcceptanceOfPartialInterimPayment"],
            "acknowledgePartialPaymentDecision": ["DecisionOfPartialInterimPayment"],
            "setStage21Payment": ["WaitingForInterimPayment"],
            "addStage2SPFRequest": [f"{s2}Form"],
            "addStage2SPFResponse": [f"{s2}Decision"],
            "extendStage2SPFDecisionTimeout": [f"{s2}Decision"],
            "extendStage2SPFCounterOfferTimeout": [
                f"{s2}CounterOfferDecision",
                f"{s2}CounterOfferDecisionCM",
            ],
            "acknowledgeStage2SPFConfirmation": [f"{s2}Confirmation"],
            "acknowledgeStage2SPFRepudiation": [f"{s2}Repudiation"],
            "acknowledgeStage2SPFDecisionTimeout": [f"{s2}DecisionTimeout"],
            "setStage2SPFCounterOfferNeeded": [f"{s2}CounterOfferDecision"],
            "addStage2SPFCounterOfferByCR": [f"{s2}CounterOfferCR"],
            "addStage2SPFCounterOfferByCM": [f"{s2}CounterOfferDecisionCM"],
            # The claimant's row, and the compensator's (only in the further consideration period).
            "setStage2SPFAgreementDecision": [
                f"{s2}AgreementDecision",
                f"further:{s2}CounterOfferDecisionCM",
            ],
            "acknowledgeStage2SPFAgreed": [f"{s2}AgreedCR"],
            "acknowledgeStage2SPFNotAgreed": [f"{s2}NotAgreed"],
            "addCPPFRequest": ["CourtProceedingsPackForm"],
            "addCPPFResponse": ["CourtProceedingsPackFormResponse"],
            "acknowledgeCPPFResponse": ["EndOfStage2"],
            # OWNER operations: once where the compensator owns the phase, once where the claimant does.
            "exitProcess": [first, "StartOfStage21"],
            "acknowledgeExitProcess": ["ExitProcess", "cr-exit:ExitProcess"],
            "lockClaim": [first, "LiabilityAdmitted"],
            "unlockClaim": [f"locked:{first}", "locked:LiabilityAdmitted"],
            "forceUnlockClaim": [f"locked:{first}", "locked:LiabilityAdmitted"],
            "allocateUser": [first],
            "deallocateUser": [f"allocated:{first}"],
            "allocateClaimToBranch": [first],
        }
        if protocol == "RTA":
            table |= {
                "applyArticle75": ["Article75Decision"],
                "setStage1Payment": ["LiabilityAdmitted"],
                "setAdditionalDamagesExistence": ["StartS2SPAdditionalDamages"],
                "addS2SPFAdditionalDamagesRequest": ["S2SPAdditionalDamagesRequestForm"],
                "addS2SPFAdditionalDamagesResponse": ["AdditionalDamagesDecision"],
                "extendAdditionalDamagesDecisionTimeout": ["AdditionalDamagesDecision"],
                "acknowledgeAllDamagesAgreed": ["AllDamagesAgreed"],
                "setS2SPFAdditionalDamagesDecision": ["AdditionalDamagesDecisionCR"],
                # The compensator's row, and the claimant's (after an additional damages timeout).
                "acknowledgeAdditionalDamagesAgreement": [
                    "AdditionalDamagesOriginalNotAgreed",
                    "AdditionalDamagesTimeout",
                ],
                "acknowledgeAdditionalDamagesDecisionTimeout": ["AdditionalDamagesTimeout"],
            }
        else:
            table["acknowledgeClaim"] = ["ClaimAcknowledgement"]
        for operation, keys in table.items():
            for key in keys:
                prep, _, at = (
                    key.rpartition(":") if key.startswith(("locked:", "allocated:")) else ("", "", key)
                )
                cases.append(Case(protocol, operation, at, prep))
    return cases


CASES = _cases()
OPERATIONS = sorted(name for name in PAYLOAD_MODELS if name != "addClaim")


@functools.cache
def _example(operation: str, protocol: str, today: date) -> dict[str, Any]:
    """``example_payload`` builds every example anew on each call (CNFs, forms): once per operation,
    protocol and day (the examples' dates are relative to today)."""
    return example_payload(operation, protocol)


def example_body(world: World, protocol: str, operation: str, side: Side) -> dict[str, Any]:
    """The operation's documented example body, with what refers to this test's world or dates
    filled in (the examples name the demo data's organisations and users)."""
    body = copy.deepcopy(_example(operation, protocol, clock_module.today()))
    if operation == "addClaim":
        body["compensator"] = world.comp.path
    elif operation == "reassignToAnotherCM":
        body["organisationPath"] = world.tpa.path  # same group G1
    elif operation == "allocateUser":
        body["targetUserID"] = (world.cr_handler if side is CR else world.comp_handler).user_id
    elif operation == "extendStage2SPFCounterOfferTimeout":
        # The example's date (30 days ahead) is not later than the 35-business-day negotiation limit.
        body["newTimeOut"] = (clock_module.today() + timedelta(days=90)).isoformat()
    return body


# --------------------------------------------------------------------------------------------------
# Calling and checking
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    claims: list[tuple[Any, ...]]  # every column of every claim, ordered by applicationId
    event_ids: list[int]
    notifications: list[tuple[Any, ...]]  # every column of every notification


def _rows(model: type[models.Model]) -> list[tuple[Any, ...]]:
    """Every column of every row, read raw as text (decoding some 90 CNFs and a few hundred
    timestamps per snapshot would be most of this module's time)."""
    meta = model._meta
    columns = ", ".join(f"CAST({f.column} AS TEXT)" for f in meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {meta.db_table} ORDER BY {meta.pk.column}")
        return [tuple(row) for row in cursor.fetchall()]


def snapshot() -> Snapshot:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM claims_claimevent ORDER BY id")
        event_ids = [int(row[0]) for row in cursor.fetchall()]
    return Snapshot(_rows(Claim), event_ids, _rows(Notification))


@dataclass(frozen=True)
class Head:
    """What a call needs of the claim: its ID, current activityEngineGuid and owner."""

    application_id: int
    guid: UUID
    owner: Side | None


def head(m: Matrix, protocol: str, key: str) -> Head:
    application_id = m.claims[(protocol, key)]
    guid, owner = Claim.objects.values_list("activity_guid", "owner_side").get(pk=application_id)
    return Head(application_id, guid, Side(owner) if owner else None)


def owning_side(case: Case, claim: Head) -> Side:
    actor = case.op.actor
    if actor in (Who.OWNER, Who.EITHER):
        assert claim.owner is not None, claim
        return claim.owner
    return Side(actor.value)


def post(
    m: Matrix,
    protocol: str,
    operation: str,
    claim: Head,
    side: Side,
    user: User | str | None,
    *,
    caller: Caller | None = None,
    token: str | None = None,
) -> Answer:
    """The operation's documented request on ``claim``, as ``side`` would send it."""
    body = {"activityEngineGuid": str(claim.guid), **example_body(m.world, protocol, operation, side)}
    path = f"/claims/{claim.application_id}/{operation}"
    return (caller or m.caller(side)).post(path, user, body, token=token)


def prepare(m: Matrix, case: Case) -> tuple[Head, Snapshot]:
    """Put the claim in the state the operation needs (inside the test's savepoint); the claim as it
    then is, and the database to compare with."""
    claim = head(m, case.protocol, case.at)
    if not case.prep:
        return claim, m.baseline
    info = ClaimInfo(claim.application_id, claim.guid, case.phase, "")
    side = owning_side(case, claim)
    if case.prep == "locked":
        step(m.world, m.user(side, "handler"), info, "lockClaim")
    elif case.prep == "allocated":
        for s in (side, side.other):
            target = m.user(s, "handler").user_id
            info = step(m.world, m.user(s, "leader"), info, "allocateUser", targetUserID=target)
    return head(m, case.protocol, case.at), snapshot()


def assert_refused(answer: Answer, expected: tuple[int, str], before: Snapshot) -> None:
    assert (answer.status, answer.code) == expected, answer.body
    assert snapshot() == before, "a refused call changed the database"


def assert_performed(case: Case, claim: Head, side: Side, answer: Answer, before: Snapshot) -> None:
    """200 with the new claimInfo (one of the operation's routes); the claim changed, with one new
    event, and nothing else did."""
    assert answer.status == 200, answer.body
    guid, phase = Claim.objects.values_list("activity_guid", "phase").get(pk=claim.application_id)
    assert guid != claim.guid, "every change issues a new activityEngineGuid"
    assert phase in case.targets, (phase, case.targets)
    assert answer.body == {
        "applicationId": f"{claim.application_id:08d}",
        "activityEngineGuid": str(guid),
        "phaseCacheId": phase,
        "phaseCacheName": case.definition.phases[phase].name,
    }
    after = snapshot()
    mine = str(claim.application_id)

    def others(snap: Snapshot) -> list[tuple[Any, ...]]:
        return [row for row in snap.claims if row[0] != mine]

    assert others(after) == others(before), "another claim changed"
    new = ClaimEvent.objects.filter(pk__in=set(after.event_ids) - set(before.event_ids))
    assert [(e.claim_id, e.operation, e.actor_side, e.phase_before, e.phase_after) for e in new] == [
        (claim.application_id, case.operation, side.value, case.phase, phase)
    ]


# --------------------------------------------------------------------------------------------------
# The matrix. The two sides are checked for every case; the four kinds of caller refused before the
# claim's phase matters (``ACCESS_KINDS``) once per operation, on its first case (RTA where it exists).
# --------------------------------------------------------------------------------------------------


def check_owning_side(m: Matrix, case: Case) -> None:
    claim, before = prepare(m, case)
    side = owning_side(case, claim)
    answer = post(m, case.protocol, case.operation, claim, side, m.user(side, case.role))
    assert_performed(case, claim, side, answer, before)


def check_other_side(m: Matrix, case: Case) -> None:
    if case.operation == "unlockClaim":
        # Unlocked, the other side is refused for its side; locked by the owning user (the state
        # unlockClaim needs), the lock is checked first.
        claim = head(m, case.protocol, case.at)
        side = owning_side(case, claim).other
        answer = post(m, case.protocol, case.operation, claim, side, m.user(side, case.role))
        assert_refused(answer, (403, "WRONG_SIDE"), m.baseline)
    claim, before = prepare(m, case)
    side = owning_side(case, claim).other
    answer = post(m, case.protocol, case.operation, claim, side, m.user(side, case.role))
    if case.op.actor is Who.EITHER:
        assert_performed(case, claim, side, answer, before)
    elif case.operation == "unlockClaim":
        assert_refused(answer, (409, "CLAIM_LOCKED"), before)
    else:
        assert_refused(answer, (403, "WRONG_SIDE"), before)


def check_unrelated_organisation(m: Matrix, case: Case) -> None:
    claim, before = prepare(m, case)
    w = m.world
    for side, caller, user in (
        (CR, m.callers.other_cr, w.other_cr_handler),
        (COMP, m.callers.tpa, w.tpa_handler),  # a compensator of the same group as the claim's
    ):
        answer = post(m, case.protocol, case.operation, claim, side, user, caller=caller)
        assert_refused(answer, (404, "NOT_FOUND"), before)


def check_wrong_profile(m: Matrix, case: Case) -> None:
    claim, before = prepare(m, case)
    side = owning_side(case, claim)
    answer = post(m, case.protocol, case.operation, claim, side, m.user(side, "admin"))
    assert_refused(answer, (403, "FORBIDDEN_PROFILE"), before)
    if case.role == "leader":  # a team-leader operation by a claim handler
        answer = post(m, case.protocol, case.operation, claim, side, m.user(side, "handler"))
        assert_refused(answer, (403, "FORBIDDEN_PROFILE"), before)
    if case.operation == "allocateClaimToBranch":
        # A branch claim handler sees the claim once it is in their branch, but may not move it.
        info = ClaimInfo(claim.application_id, claim.guid, case.phase, "")
        step(m.world, m.world.comp_handler, info, case.operation, branchId="002")
        claim, before = head(m, case.protocol, case.at), snapshot()
        answer = post(m, case.protocol, case.operation, claim, side, m.world.comp_branch_handler)
        assert_refused(answer, (403, "FORBIDDEN_PROFILE"), before)


def check_disabled_user(m: Matrix, case: Case) -> None:
    claim, before = prepare(m, case)
    side = owning_side(case, claim)
    user = m.user(side, case.role)
    User.objects.filter(pk=user.pk).update(is_enabled=False)
    auth.clear_process_caches()  # acting users are cached for a few seconds per process (documented)
    answer = post(m, case.protocol, case.operation, claim, side, user)
    assert_refused(answer, (403, "LOGIN_AS_INVALID"), before)


def check_expired_token(m: Matrix, case: Case) -> None:
    claim, before = prepare(m, case)
    side = owning_side(case, claim)
    user = m.user(side, case.role)
    made_up = post(m, case.protocol, case.operation, claim, side, user, token="made-up-token")
    assert_refused(made_up, (401, "AUTH_INVALID"), before)
    m.clock.advance(timedelta(seconds=auth.ACCESS_TOKEN_SECONDS))
    expired = post(m, case.protocol, case.operation, claim, side, user)
    assert_refused(expired, (401, "TOKEN_EXPIRED"), before)
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")


SIDE_KINDS: dict[str, Callable[[Matrix, Case], None]] = {
    "owning_side": check_owning_side,
    "other_side": check_other_side,
}
ACCESS_KINDS: dict[str, Callable[[Matrix, Case], None]] = {
    "unrelated_organisation": check_unrelated_organisation,
    "wrong_profile": check_wrong_profile,
    "disabled_user": check_disabled_user,
    "expired_token": check_expired_token,
}


def _first_cases() -> list[Case]:
    """Each operation's first case, RTA where the operation exists in RTA."""
    first: dict[str, Case] = {}
    for case in sorted(CASES, key=lambda c: c.protocol != "RTA"):  # stable: table order within each
        first.setdefault(case.operation, case)
    return sorted(first.values(), key=lambda c: c.operation)


FIRST_CASES = _first_cases()
MATRIX = [(case, kind) for case in CASES for kind in SIDE_KINDS] + [
    (case, kind) for case in FIRST_CASES for kind in ACCESS_KINDS
]


@pytest.mark.parametrize(("case", "kind"), MATRIX, ids=[f"{c.id}-{k}" for c, k in MATRIX])
def test_operation_by_caller_kind(matrix: Matrix, case: Case, kind: str) -> None:
    {**SIDE_KINDS, **ACCESS_KINDS}[kind](matrix, case)


# --------------------------------------------------------------------------------------------------
# Wrong phase, wrong protocol
# --------------------------------------------------------------------------------------------------


def _wrong_phase_cases() -> list[tuple[str, str, str]]:
    """(protocol, operation, key of a claim in a phase where no row of the operation is allowed)."""
    out = []
    for protocol in ("RTA", "ELPL"):
        definition = DEFINITIONS[ProtocolName(protocol)]
        for operation in OPERATIONS:
            rows = definition.operations_named(operation)
            if rows:
                sources = set().union(*(op.sources for op in rows))
                probe = next(k for k in (FIRST_PHASE[protocol], TERMINAL) if phase_of(k) not in sources)
                out.append((protocol, operation, probe))
    return out


WRONG_PHASE = _wrong_phase_cases()


@pytest.mark.parametrize(
    ("protocol", "operation", "at"),
    WRONG_PHASE,
    ids=[f"{p}-{o}@{a}-wrong_phase" for p, o, a in WRONG_PHASE],
)
def test_operation_in_a_phase_where_it_is_not_allowed(
    matrix: Matrix, protocol: str, operation: str, at: str
) -> None:
    """By the side that would own it (each side, for an operation declared for both)."""
    rows = DEFINITIONS[ProtocolName(protocol)].operations_named(operation)
    claim = head(matrix, protocol, at)
    fixed = {Side(op.actor.value) for op in rows if op.actor in (Who.CR, Who.COMP)}
    role = "leader" if operation in TEAM_LEADER_OPERATIONS else "handler"
    for side in sorted(fixed) if fixed else [claim.owner or CR]:
        answer = post(matrix, protocol, operation, claim, side, matrix.user(side, role))
        assert_refused(answer, (409, "WRONG_PHASE"), matrix.baseline)
        assert answer.fields == ["phaseCacheId"]


OTHER_PROTOCOL = [
    (protocol, operation)
    for protocol in ("RTA", "ELPL")
    for operation in OPERATIONS
    if not DEFINITIONS[ProtocolName(protocol)].operations_named(operation)
]


@pytest.mark.parametrize(
    ("protocol", "operation"), OTHER_PROTOCOL, ids=[f"{p}-{o}-other_protocol" for p, o in OTHER_PROTOCOL]
)
def test_an_operation_of_the_other_protocol_is_not_found(
    matrix: Matrix, protocol: str, operation: str
) -> None:
    """RTA-only operations on an EL claim, acknowledgeClaim on an RTA claim: 404, the body valid."""
    other = "ELPL" if protocol == "RTA" else "RTA"
    side = Side(DEFINITIONS[ProtocolName(other)].operations_named(operation)[0].actor.value)
    claim = head(matrix, protocol, FIRST_PHASE[protocol])
    answer = post(matrix, other, operation, claim, side, matrix.user(side, "handler"))
    assert_refused(answer, (404, "NOT_FOUND"), matrix.baseline)
    assert answer.fields == ["operation"]


# --------------------------------------------------------------------------------------------------
# addClaim: there is no claim yet
# --------------------------------------------------------------------------------------------------

ADD_CLAIM_KINDS = [*SIDE_KINDS, *ACCESS_KINDS]


@pytest.mark.parametrize("kind", ADD_CLAIM_KINDS)
@pytest.mark.parametrize("protocol", ["RTA", "ELPL"])
def test_add_claim_by_caller_kind(matrix: Matrix, protocol: str, kind: str) -> None:
    m, w = matrix, matrix.world
    body = example_body(m.world, protocol, "addClaim", CR)
    before = m.baseline

    def send(caller: Caller, user: User) -> Answer:
        return caller.post("/claims", user, body)

    if kind in ("owning_side", "unrelated_organisation"):
        # An unrelated claimant firm is not refused: the claim it sends is its own and nobody else's.
        caller, user, outsider = (
            (m.callers.cr, w.cr_handler, (m.callers.other_cr, w.other_cr_handler))
            if kind == "owning_side"
            else (m.callers.other_cr, w.other_cr_handler, (m.callers.cr, w.cr_handler))
        )
        answer = send(caller, user)
        assert answer.status == 201, answer.body
        claim = Claim.objects.get(pk=int(answer.body["applicationId"]))
        first = FIRST_PHASE[protocol]
        assert answer.body == {
            "applicationId": f"{claim.application_id:08d}",
            "activityEngineGuid": str(claim.activity_guid),
            "phaseCacheId": first,
            "phaseCacheName": DEFINITIONS[ProtocolName(protocol)].phases[first].name,
        }
        assert (claim.cr_organisation_id, claim.comp_organisation_id, claim.claim_type) == (
            user.organisation_id,
            w.comp.pk,
            CLAIM_TYPE[protocol],
        )
        after = snapshot()
        new_id = str(claim.application_id)
        assert [row for row in after.claims if row[0] != new_id] == before.claims, "another claim changed"
        assert [row[0] for row in after.claims if row[0] == new_id] == [new_id]
        assert len(after.event_ids) == len(before.event_ids) + 1
        seen = outsider[0].get(f"/claims/{claim.application_id}", outsider[1])
        assert (seen.status, seen.code) == (404, "NOT_FOUND")
    elif kind == "other_side":
        assert_refused(send(m.callers.comp, w.comp_handler), (403, "WRONG_SIDE"), before)
    elif kind == "wrong_profile":
        assert_refused(send(m.callers.cr, w.cr_admin), (403, "FORBIDDEN_PROFILE"), before)
    elif kind == "disabled_user":
        User.objects.filter(pk=w.cr_handler.pk).update(is_enabled=False)
        auth.clear_process_caches()
        assert_refused(send(m.callers.cr, w.cr_handler), (403, "LOGIN_AS_INVALID"), before)
    else:
        m.clock.advance(timedelta(seconds=auth.ACCESS_TOKEN_SECONDS))
        assert_refused(send(m.callers.cr, w.cr_handler), (401, "TOKEN_EXPIRED"), before)


# --------------------------------------------------------------------------------------------------
# The acting user beyond "disabled"; the matrix covers the tables
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["unknown", "other_organisation", "inactive", "past_expiry", "agreement_not_accepted", "missing"]
)
def test_an_acting_user_who_may_not_act_is_refused(matrix: Matrix, who: str) -> None:
    m, w = matrix, matrix.world
    claim = head(m, "RTA", "ClaimSubmitted")
    login_as: User | str | None = w.comp_handler
    if who == "unknown":
        login_as = "nobody.here"
    elif who == "other_organisation":
        login_as = w.tpa_handler
    elif who == "missing":
        login_as = None
    elif who == "inactive":
        User.objects.filter(pk=w.comp_handler.pk).update(is_active=False)
    elif who == "past_expiry":
        User.objects.filter(pk=w.comp_handler.pk).update(expiry_date=NOW.date() - timedelta(days=1))
    else:  # a new user agreement the compensator's administrator has not accepted yet
        publish_agreement(version="2026.1", title="User agreement", text="The terms.")
    answer = post(m, "RTA", "acceptClaim", claim, COMP, login_as)
    assert_refused(answer, (403, "LOGIN_AS_INVALID"), m.baseline)
    from_user = who in ("inactive", "past_expiry", "agreement_not_accepted")
    assert answer.fields == (["userId"] if from_user else ["X-Login-As"])


def test_the_matrix_covers_every_operation_of_the_tables() -> None:
    for protocol in ("RTA", "ELPL"):
        for op in DEFINITIONS[ProtocolName(protocol)].operations:
            if op.name == "addClaim":
                continue
            assert any(
                c.protocol == protocol and c.operation == op.name and c.phase in op.sources for c in CASES
            ), f"no case for {protocol} {op.name} by {op.actor} in {sorted(op.sources)}"
    assert {c.operation for c in CASES} | {"addClaim"} == set(PAYLOAD_MODELS)
    assert {c.operation for c in FIRST_CASES} == set(OPERATIONS)
    for case in CASES:
        assert case.op.name == case.operation and case.targets <= set(case.definition.phases)
