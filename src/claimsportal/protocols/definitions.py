"""The shapes a protocol is declared in: phases, operations, routes, guards and timer effects."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from claimsportal.protocols.access import DEFAULT_RULES, AccessRule
from claimsportal.protocols.calendar import BusinessCalendar
from claimsportal.protocols.partial import PartialPayload
from claimsportal.protocols.state import ClaimState
from claimsportal.protocols.timers import DeadlineSpec, TimerKind
from claimsportal.protocols.types import ActingSide, OperationKind, ProtocolName, Side

SAME = "<same>"  # a route target: the claim stays in the phase it is in


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    stage: str
    owner: Side | None  # None: terminal, or chosen when entered (ExitProcess: the side that did not exit)
    terminal: bool = False
    timer: TimerKind | None = None
    on_timeout: str | None = None  # the phase a timeout leads to
    ref: str = ""  # P-number in WORKFLOW.md, for cross-reference
    note: str = ""


@dataclass(frozen=True)
class Context:
    """What a guard, route or effect may look at. A guard run on part of a form (``engine.guard_problems``)
    sees the payload as a :class:`~claimsportal.protocols.partial.PartialPayload`."""

    protocol: ProtocolName
    phase: str
    state: ClaimState
    payload: BaseModel | PartialPayload
    side: Side
    now: datetime
    today: date
    calendar: BusinessCalendar
    deadline: DeadlineSpec | None

    def field(self, name: str) -> Any:
        return getattr(self.payload, name)


Predicate = Callable[[Context], bool]


@dataclass(frozen=True)
class Guard:
    """A business rule; ``check`` returns True when the rule holds."""

    label: str
    check: Predicate
    message: str
    field: str = ""


@dataclass(frozen=True)
class Route:
    """One possible outcome of an operation: the first route whose ``when`` holds is taken."""

    target: str
    when: Predicate | None = None
    label: str = ""
    timer: TimerEffect | None = None  # overrides the operation's timer effect


@dataclass(frozen=True)
class TimerEffect:
    """How the deadline changes. ``compute`` returns the new spec (or None to clear it); ``label``
    describes it for the generated docs."""

    label: str
    compute: Callable[[Context, str], DeadlineSpec | None] | None = None  # (ctx, target phase)


@dataclass(frozen=True)
class Operation:
    name: str
    refs: str  # T-numbers in WORKFLOW.md
    actor: ActingSide
    sources: frozenset[str]
    routes: tuple[Route, ...]
    payload: type[BaseModel]
    guards: tuple[Guard, ...] = ()
    effect: Callable[[Context, str], dict[str, Any]] | None = None  # (ctx, target) -> state changes
    timer: TimerEffect | None = None  # None: the default rule (keep / start / clear by target phase)
    kind: OperationKind = OperationKind.WORKFLOW
    access: tuple[AccessRule, ...] = DEFAULT_RULES  # lock, allocation and profile rules (protocols.access)
    description: str = ""
    decisions: tuple[str, ...] = ()  # [I]/[?] decisions taken for this operation, for the docs


@dataclass(frozen=True)
class ProtocolDefinition:
    name: ProtocolName
    phases: Mapping[str, Phase]
    operations: tuple[Operation, ...]
    initial_phase: str
    decisions: tuple[str, ...] = ()
    start_timer: Callable[[TimerKind, Context, str], DeadlineSpec] | None = None
    _index: dict[tuple[str, str], Operation] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for op in self.operations:
            for source in op.sources:
                key = (op.name, source)
                if key in self._index:
                    raise ValueError(f"{self.name}: {op.name} declared twice for {source}")
                self._index[key] = op
            for route in op.routes:
                if route.target != SAME and route.target not in self.phases:
                    raise ValueError(f"{self.name}: {op.name} routes to unknown phase {route.target}")
            for source in op.sources:
                if source not in self.phases:
                    raise ValueError(f"{self.name}: {op.name} starts from unknown phase {source}")
        for phase in self.phases.values():
            if phase.on_timeout and phase.on_timeout not in self.phases:
                raise ValueError(f"{self.name}: {phase.id} times out to unknown {phase.on_timeout}")
            if (phase.timer is None) != (phase.on_timeout is None):
                raise ValueError(f"{self.name}: {phase.id} needs both a timer and a timeout target")

    @property
    def operation_names(self) -> frozenset[str]:
        return frozenset(op.name for op in self.operations)

    def operation(self, name: str, phase: str) -> Operation | None:
        return self._index.get((name, phase))

    def access_rules(self, name: str) -> tuple[AccessRule, ...]:
        """The access rules of operation ``name`` (the same in every phase it is declared for)."""
        for op in self.operations:
            if op.name == name:
                return op.access
        return DEFAULT_RULES

    def operations_named(self, name: str) -> list[Operation]:
        return [op for op in self.operations if op.name == name]

    def operations_from(self, phase: str) -> list[Operation]:
        return [op for op in self.operations if phase in op.sources]

    def timed_phases(self) -> Iterable[Phase]:
        return (p for p in self.phases.values() if p.timer is not None)
