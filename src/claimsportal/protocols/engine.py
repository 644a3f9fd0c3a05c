"""The protocol engine: given a claim's phase, facts and deadline, decide what an operation does.

Pure: no database, no clock of its own. ``claims.services.perform`` is the only caller that writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.definitions import SAME, Context, Guard, Operation, ProtocolDefinition
from claimsportal.protocols.errors import ErrorDetail, PortalError, business_rule
from claimsportal.protocols.partial import Missing, PartialPayload
from claimsportal.protocols.state import ClaimState
from claimsportal.protocols.timers import LONDON, DeadlineSpec
from claimsportal.protocols.types import ActingSide, Side


@dataclass(frozen=True)
class Outcome:
    operation: Operation
    payload: BaseModel
    phase_before: str
    phase_after: str
    owner_after: Side | None
    state: ClaimState
    deadline: DeadlineSpec | None
    route_label: str

    @property
    def phase_changed(self) -> bool:
        return self.phase_before != self.phase_after


def validate_payload(model: type[BaseModel], payload: dict[str, Any], today: date) -> BaseModel:
    """Validate ``payload``; dates in the forms are checked against ``today`` (the portal's clock)."""
    try:
        return model.model_validate(payload, context={"today": today})
    except ValidationError as exc:
        details = [
            ErrorDetail(
                ".".join(str(p) for p in err["loc"]) or "body",
                err["msg"],
                kind=err["type"],
                context={key: str(value) for key, value in (err.get("ctx") or {}).items()},
            )
            for err in exc.errors()
        ]
        raise PortalError(
            "SCHEMA_INVALID", "The request does not match the operation's schema", details
        ) from exc


def find_operation(definition: ProtocolDefinition, name: str, phase: str) -> Operation:
    op = definition.operation(name, phase)
    if op is not None:
        return op
    if not definition.operations_named(name):
        raise PortalError(
            "NOT_FOUND",
            f"There is no operation {name!r} in the {definition.name} protocol",
            [ErrorDetail("operation", "unknown operation")],
        )
    phase_name = definition.phases[phase].name if phase in definition.phases else phase
    raise PortalError(
        "WRONG_PHASE",
        f"{name} is not allowed while the claim is in phase {phase} ({phase_name})",
        [ErrorDetail("phaseCacheId", f"{name} is not allowed in {phase}")],
    )


def check_side(op: Operation, side: Side, owner: Side | None) -> None:
    allowed: set[Side]
    if op.actor is ActingSide.OWNER:
        allowed = {owner} if owner else set()
    elif op.actor is ActingSide.EITHER:
        allowed = {Side.CR, Side.COMP}
    else:
        allowed = {Side(op.actor.value)}
    if side not in allowed:
        who = " or ".join(sorted(s.value for s in allowed)) or "nobody"
        raise PortalError(
            "WRONG_SIDE",
            f"{op.name} can only be done by the {who} side at this point",
            [ErrorDetail("operation", f"not allowed for the {side.value} side")],
        )


def decide(
    definition: ProtocolDefinition,
    *,
    phase: str,
    owner: Side | None,
    state: ClaimState,
    deadline: DeadlineSpec | None,
    operation: str,
    side: Side,
    payload: dict[str, Any],
    now: datetime,
    calendar: BusinessCalendar,
) -> Outcome:
    """Check and apply one operation. Raises :class:`PortalError` on any refusal."""
    op = find_operation(definition, operation, phase)
    check_side(op, side, owner)
    today = now.astimezone(LONDON).date()
    model = validate_payload(op.payload, payload, today)
    ctx = Context(
        protocol=definition.name,
        phase=phase,
        state=state,
        payload=model,
        side=side,
        now=now,
        today=today,
        calendar=calendar,
        deadline=deadline,
    )
    for guard in op.guards:
        check_guard(guard, ctx)
    route = next((r for r in op.routes if r.when is None or r.when(ctx)), None)
    if route is None:  # the table is closed: every operation has a route for every valid input
        raise business_rule(f"{operation} has no outcome for this input in {phase}")
    target = phase if route.target == SAME else route.target
    new_state = state.update(**op.effect(ctx, target)) if op.effect else state
    ctx_after = Context(
        protocol=definition.name,
        phase=phase,
        state=new_state,
        payload=model,
        side=side,
        now=now,
        today=today,
        calendar=calendar,
        deadline=deadline,
    )
    timer = route.timer or op.timer
    if definition.phases[target].timer is None:
        new_deadline = None  # a deadline exists exactly when the phase is timed
    elif timer is not None and timer.compute is not None:
        new_deadline = timer.compute(ctx_after, target)
    else:
        new_deadline = default_deadline(definition, ctx_after, phase, target)
    target_phase = definition.phases[target]
    if target_phase.terminal:
        owner_after = None
    elif route.target == SAME:
        owner_after = owner
    elif target_phase.owner is not None:
        owner_after = target_phase.owner
    else:
        owner_after = side.other  # ExitProcess: the side that did not exit acknowledges
    return Outcome(
        operation=op,
        payload=model,
        phase_before=phase,
        phase_after=target,
        owner_after=owner_after,
        state=new_state,
        deadline=new_deadline,
        route_label=route.label,
    )


def check_guard(guard: Guard, ctx: Context) -> None:
    """Raise the guard's refusal (its message at its field, or the problems it raises itself) unless
    its rule holds."""
    if not guard.check(ctx):
        raise business_rule(guard.message, guard.field)


def guard_problems(
    definition: ProtocolDefinition,
    *,
    phase: str,
    state: ClaimState,
    deadline: DeadlineSpec | None,
    operation: str,
    side: Side,
    payload: dict[str, Any],
    now: datetime,
    calendar: BusinessCalendar,
) -> list[ErrorDetail]:
    """What the operation's guards refuse in whatever part of ``payload`` is present (a form asked
    page by page): the same guards as :func:`decide`, in the same order, with the same fields and
    words, each on the payload as far as it is given and valid (:class:`PartialPayload`). A guard
    whose inputs are not all there waits for the whole form (skipped); the first refusal is returned,
    as :func:`decide` raises it. Nothing else is checked (the phase, the side, the form's own schema:
    ``validate_payload``); an operation not possible in ``phase`` has no problems here."""
    op = definition.operation(operation, phase)
    if op is None:
        return []
    today = now.astimezone(LONDON).date()
    ctx = Context(
        protocol=definition.name,
        phase=phase,
        state=state,
        payload=PartialPayload(op.payload, payload, {"today": today}),
        side=side,
        now=now,
        today=today,
        calendar=calendar,
        deadline=deadline,
    )
    for guard in op.guards:
        try:
            check_guard(guard, ctx)
        except Missing:
            continue
        except PortalError as refusal:
            return list(refusal.details)
    return []


def default_deadline(
    definition: ProtocolDefinition, ctx: Context, source: str, target: str
) -> DeadlineSpec | None:
    """Keep the running timer while the claim stays under the same kind of timer, start one when it
    enters a timed phase, clear it when it leaves timed phases."""
    kind = definition.phases[target].timer
    if kind is None:
        return None
    if ctx.deadline is not None and ctx.deadline.kind is kind and definition.phases[source].timer is kind:
        return ctx.deadline
    assert definition.start_timer is not None
    return definition.start_timer(kind, ctx, target)


def timeout_target(definition: ProtocolDefinition, phase: str) -> str | None:
    return definition.phases[phase].on_timeout
