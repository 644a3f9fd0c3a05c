"""Leaving the process from every Stage 2.1 and Stage 2 phase, through ``perform`` (WORKFLOW.md §4.2,
§7.3 T72/T73, §9.2).

The phases come from the transition tables: every phase of the stages after Stage 1 (Stage 2.1,
Stage 2, RTA additional damages and the court proceedings pack), so a new phase is tested as soon as
it is declared. Each case takes a claim to its phase along a path the tables offer (found by
:func:`plan` with the pure engine, then walked through ``perform`` and the timer sweep) and checks:

* where ``exitProcess`` is offered, the side that owns the phase exits with each code WORKFLOW.md §9.2
  gives it (code 1 only before the liability decision, so never here) and the claim lands in
  ``ExitProcess`` with the other side, which acknowledges it (``ExitProcessEnd``); each of these runs
  in a savepoint that is rolled back, so one claim serves every code;
* the codes the side may not use, and the other side, are refused with their documented errors;
* where it is not offered, both sides are refused (``WRONG_PHASE``);
* every refusal writes nothing: the claim row, its history and the notifications are unchanged.

The expected codes, messages and counts are written out from WORKFLOW.md, not read from the tables.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pytest
from django.db import transaction

from claimsportal.claims.acting import ClaimInfo
from claimsportal.core.clock import FixedClock
from claimsportal.notifications.models import Notification
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.definitions import ProtocolDefinition
from claimsportal.protocols.engine import decide
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.state import ClaimState
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON, DeadlineSpec
from claimsportal.protocols.types import ActingSide, ClaimType, OperationKind, ProtocolName, Side
from claimsportal.reference.calendar import get_calendar
from tests.claims.conftest import database, refused
from tests.claims.test_stage1_paths import (
    ALLOWED_EXIT_CODES,
    COMP,
    CR,
    KNOWN_EXIT_CODES,
    assert_no_deadline,
    expect,
    trail,
)
from tests.claims.test_stage2_paths import CHILD_DOB, Walker, interim_form, on, start_of_stage21
from tests.conftest import DEFAULT_NOW, World, step
from tests.shorthands import form_shorthand

# The stages after Stage 1 (tables.py ``Phase.stage``): WORKFLOW.md §4.2 Stage 2.1, Stage 2, Stage 2
# additional damages (RTA) and the court proceedings pack.
STAGES = ("Stage 2.1", "Stage 2", "Additional Damages", "Court Proceedings Pack")
ELPL_TYPES = ("EL", "ELD", "PL")

# WORKFLOW.md §4.1a: P20-P27, P30-P40, P60-P62 and, RTA only, P50-P56 (the outcome P56 is three
# phases). Exit is offered in P20-P22, P24-P27, P30, P31, P35-P38, P60 and, RTA, P50-P52 and P54.
PHASE_COUNTS = {ProtocolName.RTA: (31, 18), ProtocolName.ELPL: (22, 14)}

EXIT_BUSINESS_RULE = "is not an exit reason this side may use in this protocol"
CODE_1_AFTER_LIABILITY = "Exit code 1 (incomplete CNF) is only allowed before the liability decision"
NOT_CODES = ("0", "16", "99")  # two digits, so valid in the schema, but no exit code


def stage2_phases(definition: ProtocolDefinition) -> list[str]:
    return [p.id for p in definition.phases.values() if p.stage in STAGES]


def _cases() -> list[tuple[str, str]]:
    """(claim type, phase): RTA's phases, and the EL/PL phases spread over EL, ELD and PL."""
    cases = [("RTA", phase) for phase in stage2_phases(definition_for(ClaimType.RTA))]
    elpl = stage2_phases(definition_for(ClaimType.EL))
    cases += [(ELPL_TYPES[i % len(ELPL_TYPES)], phase) for i, phase in enumerate(elpl)]
    return cases


CASES = _cases()


# --------------------------------------------------------------------------------------------------
# Reaching any phase: a path planned with the pure engine, walked through perform
# --------------------------------------------------------------------------------------------------

# The payloads (tests.shorthands) the planner tries for an operation. Operations not listed are tried
# with an empty payload, or True and False for a payload of one yes/no field.
PAYLOADS: dict[str, list[dict[str, Any]]] = {
    "addInterimSPFRequest": [{"amountRequested": "1500.00"}],
    "addInterimSPFResponse": [{"amountOffered": "1500.00"}, {"amountOffered": "600.00"}],
    "rejectInterimSettlementPack": [{"rejectionComment": "The CRU certificate is not attached"}],
    "addStage2SPFResponse": [{"settlementPackDecision": d} for d in ("C", "CO", "R")],
    "addStage2SPFCounterOfferByCM": [{"settlementPackCounterOfferDecision": d} for d in ("ACO", "NEWCO")],
    "addS2SPFAdditionalDamagesResponse": [{"additionalDamagesDecision": d} for d in ("A", "CO")],
}
TIMEOUT = "timeout"


@dataclass(frozen=True)
class Move:
    side: Side | None  # None: the timer sweep
    operation: str
    payload: dict[str, Any]
    phase_after: str
    at: datetime  # when: the claim's time, or the last day of its time limit (or when the timer fires)


@dataclass(frozen=True)
class _Node:
    phase: str
    owner: Side | None
    state: ClaimState
    deadline: DeadlineSpec | None
    now: datetime
    path: tuple[Move, ...]


def _payloads(definition: ProtocolDefinition, operation: str, phase: str) -> list[dict[str, Any]]:
    if operation in PAYLOADS:
        return PAYLOADS[operation]
    op = definition.operation(operation, phase)
    assert op is not None
    flags = [name for name, f in op.payload.model_fields.items() if f.annotation is bool]
    if len(flags) == 1:
        return [{flags[0]: True}, {flags[0]: False}]
    return [{}]


def _times(node: _Node, calendar: BusinessCalendar) -> list[datetime]:
    """When to try an operation: now and, in a timed phase, on its last day (some outcomes, such as the
    further consideration period, depend on an offer made late)."""
    if node.deadline is None:
        return [node.now]
    last_day = node.deadline.last_day_for_action(calendar)
    late = datetime.combine(last_day, time(10, 0), tzinfo=LONDON)
    return [node.now, late] if late > node.now else [node.now]


def _next(definition: ProtocolDefinition, node: _Node, calendar: BusinessCalendar) -> Iterator[_Node]:
    phase = definition.phases[node.phase]
    if phase.on_timeout is not None and node.deadline is not None:
        target = definition.phases[phase.on_timeout]
        fires = node.deadline.fires_at(calendar)
        move = Move(None, TIMEOUT, {}, target.id, fires)
        yield _Node(target.id, target.owner, node.state, None, fires, (*node.path, move))
    for at in _times(node, calendar):
        for op in definition.operations_from(node.phase):
            if op.kind is not OperationKind.WORKFLOW or op.name == "exitProcess":
                continue
            side = Side(op.actor.value) if op.actor in (ActingSide.CR, ActingSide.COMP) else node.owner
            assert side is not None
            for shorthand in _payloads(definition, op.name, node.phase):
                payload = form_shorthand(definition.name.value, op.name, shorthand, node.state)
                try:
                    outcome = decide(
                        definition,
                        phase=node.phase,
                        owner=node.owner,
                        state=node.state,
                        deadline=node.deadline,
                        operation=op.name,
                        side=side,
                        payload=payload,
                        now=at,
                        calendar=calendar,
                    )
                except PortalError:
                    continue
                move = Move(side, op.name, shorthand, outcome.phase_after, at)
                yield _Node(
                    outcome.phase_after,
                    outcome.owner_after,
                    outcome.state,
                    outcome.deadline,
                    at,
                    (*node.path, move),
                )


def plan(w: Walker, target: str) -> tuple[Move, ...] | None:
    """The shortest path of operations and timeouts the tables offer from the claim's phase to
    ``target`` (breadth first, with the engine alone), or None."""
    claim = w.claim
    definition = definition_for(claim.claim_type)
    calendar = get_calendar()
    assert claim.owner_side is not None and claim.deadline_at is None, "plans start from an untimed phase"
    start = _Node(
        claim.phase, Side(claim.owner_side), ClaimState.from_json(claim.state), None, w.clock.now(), ()
    )
    queue, seen = deque([start]), {_key(start)}
    while queue:
        node = queue.popleft()
        if node.phase == target:
            return node.path
        for after in _next(definition, node, calendar):
            if _key(after) not in seen:
                seen.add(_key(after))
                queue.append(after)
    return None


def _key(node: _Node) -> tuple[Any, ...]:
    """Nodes are told apart by their phase and the yes/no facts of the claim (such as the further
    consideration period or the original damages agreed), which decide where a phase can lead."""
    flags = tuple(sorted((k, v) for k, v in node.state.to_json().items() if isinstance(v, bool)))
    return node.phase, flags


def reach(world: World, clock: FixedClock, claim_type: str, phase: str) -> Walker:
    """A claim of ``claim_type`` walked through ``perform`` to ``phase``: an adult's, or a child's
    where only a child's claim gets there (all damages agreed after additional damages)."""
    for n, dob in enumerate((None, CHILD_DOB)):
        if n:
            clock.set(DEFAULT_NOW)
        w = start_of_stage21(world, clock, claim_type, dob=dob)
        path = plan(w, phase)
        if path is not None:
            break
    else:
        raise AssertionError(f"no path to {phase}: give its operation a payload in PAYLOADS")
    for move in path:
        if move.side is None:
            assert w.claim.deadline_at == move.at
            owner = definition_for(claim_type).phases[move.phase_after].owner
            w.timeout(move.at, move.phase_after, owner.value if owner else None)
            continue
        assert move.at >= clock.now()
        clock.set(move.at)
        if move.side is Side.CR:
            w.cr(move.operation, **move.payload)
        else:
            w.comp(move.operation, **move.payload)
        assert w.info.phase == move.phase_after, (move, w.info.phase)
    return w


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


class _Undo(Exception):
    """Raised to roll a savepoint back."""


@contextlib.contextmanager
def undone() -> Iterator[None]:
    """Run the block in a savepoint and roll it back: the claim returns to the phase it was in."""
    with contextlib.suppress(_Undo), transaction.atomic():
        yield
        raise _Undo


def user_of(world: World, side: str) -> User:
    return world.cr_handler if side == CR else world.comp_handler


def org_of(world: World, side: str) -> Organisation:
    return world.cr if side == CR else world.comp


def exit_as(world: World, side: str, info: ClaimInfo, code: str) -> ClaimInfo:
    return step(world, user_of(world, side), info, "exitProcess", exitReasonCode=code, exitComment="Leaving")


def details(error: PortalError) -> list[tuple[str, str]]:
    return [(d.field, d.message) for d in error.details]


# --------------------------------------------------------------------------------------------------
# The cases are the tables' phases
# --------------------------------------------------------------------------------------------------


def test_every_stage_2_phase_of_the_tables_is_a_case() -> None:
    for protocol, (phases, exit_phases) in PHASE_COUNTS.items():
        definition = definition_for(ClaimType.RTA if protocol is ProtocolName.RTA else ClaimType.EL)
        in_scope = stage2_phases(definition)
        exits = [p for p in in_scope if definition.operation("exitProcess", p) is not None]
        assert (len(in_scope), len(exits)) == (phases, exit_phases), protocol
        assert {definition.phases[p].stage for p in in_scope} == (
            set(STAGES) if protocol is ProtocolName.RTA else set(STAGES) - {"Additional Damages"}
        )
    assert len(CASES) == 31 + 22
    assert {t for t, _ in CASES} == {"RTA", *ELPL_TYPES}


def test_the_only_other_way_out_of_stage_2_is_the_interim_payment_answer() -> None:
    """Besides ``exitProcess``, only ``setStage21Payment`` leads to ``ExitProcess`` (WORKFLOW.md §4.2
    P27: a refused partial offer once paid; payment not received, code 12); tested below."""
    for claim_type in (ClaimType.RTA, ClaimType.EL):
        definition = definition_for(claim_type)
        others = {
            (op.name, source)
            for op in definition.operations
            if op.name != "exitProcess" and any(r.target == "ExitProcess" for r in op.routes)
            for source in op.sources
        }
        assert others == {("setStage21Payment", "WaitingForInterimPayment")}, claim_type


# --------------------------------------------------------------------------------------------------
# exitProcess in every phase
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("claim_type", "phase"), CASES, ids=[f"{t}-{p}" for t, p in CASES])
def test_exit_from_a_stage_2_phase(world: World, clock: FixedClock, claim_type: str, phase: str) -> None:
    w = reach(world, clock, claim_type, phase)
    definition = definition_for(claim_type)
    owner = definition.phases[phase].owner
    assert owner is not None
    side, other = owner.value, owner.other.value
    info = w.info

    if definition.operation("exitProcess", phase) is None:
        for who in (side, other):
            with refused(clock, "WRONG_PHASE") as caught:
                exit_as(world, who, info, "2")
            assert details(caught[0]) == [("phaseCacheId", f"exitProcess is not allowed in {phase}")]
        return

    protocol = ClaimType(claim_type).protocol
    allowed = ALLOWED_EXIT_CODES[(protocol, side)]
    # The other side may not exit while it is not its turn, whatever its code.
    for code in (ALLOWED_EXIT_CODES[(protocol, other)][0], "2"):
        with refused(clock, "WRONG_SIDE") as caught:
            exit_as(world, other, info, code)
        assert caught[0].message == f"exitProcess can only be done by the {side} side at this point"
        assert details(caught[0]) == [("operation", f"not allowed for the {other} side")]
    # Codes the owner may not use; code 1 (incomplete CNF) only before the liability decision.
    for code in [c for c in KNOWN_EXIT_CODES if c not in allowed] + list(NOT_CODES):
        with refused(clock, "BUSINESS_RULE") as caught:
            exit_as(world, side, info, code)
        assert details(caught[0]) == [("exitReasonCode", EXIT_BUSINESS_RULE)], code
    if "1" in allowed:
        with refused(clock, "BUSINESS_RULE") as caught:
            exit_as(world, side, info, "1")
        assert details(caught[0]) == [("exitReasonCode", CODE_1_AFTER_LIABILITY)]

    before = database()
    exits = [c for c in allowed if c != "1"]
    assert exits, "every side has exit codes"
    for code in exits:
        with undone():
            notified = Notification.objects.filter(organisation=org_of(world, other)).count()
            exited = exit_as(world, side, info, code)
            claim = expect(exited, "ExitProcess", other, org_of(world, other))
            assert_no_deadline(claim)
            assert (claim.state["exit_side"], claim.state["exit_code"]) == (side, code)
            assert Notification.objects.filter(organisation=org_of(world, other)).count() == notified + 1
            with refused(clock, "WRONG_SIDE", "operation"):  # the side that exited does not acknowledge
                step(world, user_of(world, side), exited, "acknowledgeExitProcess")
            ended = step(world, user_of(world, other), exited, "acknowledgeExitProcess")
            expect(ended, "ExitProcessEnd", None, None)
            assert trail(ended)[-2:] == [
                ("exitProcess", phase, "ExitProcess"),
                ("acknowledgeExitProcess", "ExitProcess", "ExitProcessEnd"),
            ]
            with refused(clock, "WRONG_PHASE", "phaseCacheId"):  # ended: no second exit
                exit_as(world, other, ended, "2")
    # The exits were rolled back: the claim is where it was, and still usable with the same guid.
    assert database() == before
    exited = exit_as(world, side, info, exits[-1])
    assert exited.phase == "ExitProcess"


# --------------------------------------------------------------------------------------------------
# setStage21Payment: the other way out (WORKFLOW.md §4.2 P27, T35/T36)
# --------------------------------------------------------------------------------------------------


def _waiting_for_payment(world: World, clock: FixedClock, claim_type: str, *, partial: bool) -> Walker:
    w = interim_form(world, clock, claim_type)
    on(clock, date(2026, 3, 30))
    w.cr("addInterimSPFRequest", amountRequested="1000.00")
    if partial:
        w.comp("addInterimSPFResponse", amountOffered="600.00")
        w.cr("acceptPartialInterimPayment", isPartialInterimPaymentAccepted=False)
        w.comp("acknowledgePartialPaymentDecision")
    else:
        w.comp("addInterimSPFResponse", amountOffered="1000.00")
    w.at("WaitingForInterimPayment", CR)
    return w


@pytest.mark.parametrize("claim_type", ["RTA", "ELD"])
@pytest.mark.parametrize(
    ("partial", "paid", "code"),
    [(True, True, None), (False, False, "12")],
    ids=["partial-refused", "not-paid"],
)
def test_the_interim_payment_answer_leaves_the_process_for_the_compensator_to_acknowledge(
    world: World, clock: FixedClock, claim_type: str, partial: bool, paid: bool, code: str | None
) -> None:
    w = _waiting_for_payment(world, clock, claim_type, partial=partial)
    on(clock, date(2026, 4, 20))  # after the payment due date (15 April)
    with refused(clock, "WRONG_SIDE") as caught:
        step(world, world.comp_handler, w.info, "setStage21Payment", isStage21Paid=paid)
    assert details(caught[0]) == [("operation", "not allowed for the COMP side")]
    w.cr("setStage21Payment", isStage21Paid=paid)
    claim = w.at("ExitProcess", COMP)
    assert_no_deadline(claim)
    assert (claim.state["exit_side"], claim.state["exit_code"]) == (CR, code)
    w.refuse(CR, "WRONG_SIDE", "acknowledgeExitProcess")
    w.comp("acknowledgeExitProcess")
    w.at("ExitProcessEnd", None)


def test_the_planned_path_goes_through_the_timer_sweep_where_a_phase_is_reached_by_a_timeout(
    world: World, clock: FixedClock
) -> None:
    w = reach(world, clock, "RTA", "AdditionalDamagesTimeout")
    assert trail(w.info)[-2:] == [
        ("addS2SPFAdditionalDamagesRequest", "S2SPAdditionalDamagesRequestForm", "AdditionalDamagesDecision"),
        ("timeout", "AdditionalDamagesDecision", "AdditionalDamagesTimeout"),
    ]
