"""What a transfer would do: the plan (which claims, where to) and the dry run shared by the console's
pages, the operator's command and the run itself (ADMINISTRATION.md §3).

A :class:`Plan` is read from a saved :class:`Transfer` or built by the operator's command; the dry
run counts, set-based, what would move and what would be skipped and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from claimsportal.claims.models import Claim
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.transfers import rules
from claimsportal.transfers.models import Transfer
from claimsportal.transfers.services import Checked

CHUNK = 5000  # claims of a list read (or moved) at a time
SAMPLE = 50  # skipped claims named in a dry run


@dataclass(frozen=True)
class Columns:
    """The claim columns of the side whose organisation changes."""

    organisation: str
    branch: str
    allocated: str

    @classmethod
    def of(cls, org_type: str) -> Columns:
        side = "cr" if org_type == Organisation.Type.CR else "comp"
        return cls(f"{side}_organisation_id", f"{side}_branch_id", f"{side}_allocated_user_id")


@dataclass(frozen=True)
class Destination:
    branch_pk: int
    user_pk: int | None


@dataclass
class Plan:
    source: Organisation
    destination: Organisation
    option: str  # Transfer.Option
    default: Destination
    branches: dict[int, Destination] = field(default_factory=dict)  # option BRANCHES: source branch pk
    lines: dict[int, Destination] = field(default_factory=dict)  # option LIST: application ID

    @property
    def columns(self) -> Columns:
        return Columns.of(self.source.org_type)

    @property
    def destination_types(self) -> frozenset[str]:
        return rules.claim_types_of(self.destination.claim_types)

    @classmethod
    def of(cls, transfer: Transfer) -> Plan:
        plan = cls(
            transfer.source,
            transfer.destination,
            transfer.option,
            Destination(transfer.destination_branch_id, transfer.destination_user_id),
        )
        if transfer.option == Transfer.Option.BRANCHES:
            for source_branch, branch, user in transfer.branches.values_list(
                "source_branch_id", "destination_branch_id", "destination_user_id"
            ):
                plan.branches[source_branch] = Destination(branch, user)
        elif transfer.option == Transfer.Option.LIST:
            for application_id, branch, user in transfer.lines.values_list(
                "application_id", "destination_branch_id", "destination_user_id"
            ).iterator(chunk_size=CHUNK):
                plan.lines[application_id] = Destination(branch, user)
        return plan

    @classmethod
    def draft(cls, checked: Checked, option: str) -> Plan:
        """The plan of a form not saved (the operator's dry run from the command line)."""
        default = Destination(checked.branch.pk, checked.user.pk if checked.user else None)
        plan = cls(checked.source, checked.destination, option, default)
        for branch in checked.source_branches:
            plan.branches[branch.pk] = default
        for line in checked.lines:
            plan.lines[line.application_id] = branch_user(line.destination_branch, line.destination_user)
        return plan

    # -- the claims ------------------------------------------------------------------------------
    def parties(self) -> QuerySet[Claim]:
        """The source's claims the option names (before the rules): option LIST is read in chunks."""
        claims = Claim.objects.filter(**{self.columns.organisation: self.source.pk})
        if self.source.org_type == Organisation.Type.COMP:
            # A draft is the claimant firm's alone: the compensator it names does not have it yet
            claims = claims.exclude(phase=DRAFT_PHASE)
        if self.option == Transfer.Option.BRANCHES:
            claims = claims.filter(**{f"{self.columns.branch}__in": sorted(self.branches)})
        return claims

    def movable(self) -> Q:
        """The rules as a filter: active, and of a type the destination handles."""
        return ~Q(phase__in=sorted(rules.INACTIVE_PHASES)) & Q(claim_type__in=sorted(self.destination_types))

    def list_chunks(self, only: Sequence[int] | None = None) -> Iterator[list[int]]:
        """The listed claims (of them, those in ``only``), in chunks."""
        ids = sorted(self.lines if only is None else set(self.lines).intersection(only))
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]


@dataclass
class DryRun:
    would_move: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[int, str]] = field(default_factory=list)  # (application ID, reason), a sample

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def small(self) -> bool:
        return self.would_move < rules.SMALL_TRANSFER

    @property
    def warnings(self) -> list[str]:
        if self.small:
            return [
                f"Only {self.would_move} claim{'' if self.would_move == 1 else 's'} would move: a bulk transfer "
                f"is meant for about {rules.SMALL_TRANSFER} claims or more (the operator may still run it)"
            ]
        return []

    def skipped_rows(self) -> list[tuple[str, int]]:
        return [(reason, self.skipped[reason]) for reason in rules.SKIP_ORDER if self.skipped[reason]]

    def as_dict(self) -> dict[str, object]:
        return {
            "wouldMove": self.would_move,
            "skipped": self.skipped_total,
            "skippedByReason": dict(self.skipped_rows()),
            "examples": [{"applicationId": f"{a:08d}", "reason": r} for a, r in self.examples],
            "warnings": self.warnings,
        }


def dry_run(plan: Plan) -> DryRun:
    """What would move now and what would be skipped, and why (counts; a sample of skipped claims)."""
    result = DryRun()
    types = plan.destination_types
    if plan.option == Transfer.Option.LIST:
        for chunk in plan.list_chunks():
            found = _rows(plan, chunk)
            for application_id in chunk:
                claim_type, phase = found.get(application_id, ("", ""))
                reason = rules.skip_reason(
                    phase=phase,
                    claim_type=claim_type,
                    is_party=application_id in found,
                    destination_types=types,
                )
                _count(result, application_id, reason)
        return result
    groups = plan.parties().values("claim_type", "phase").annotate(n=Count("pk")).order_by()
    for group in groups:
        reason = rules.skip_reason(
            phase=group["phase"], claim_type=group["claim_type"], is_party=True, destination_types=types
        )
        if reason is None:
            result.would_move += group["n"]
        else:
            result.skipped[reason] += group["n"]
    if result.skipped_total:
        for application_id, claim_type, phase in (
            plan.parties()
            .exclude(plan.movable())
            .order_by("pk")
            .values_list("application_id", "claim_type", "phase")[:SAMPLE]
        ):
            reason = rules.skip_reason(
                phase=phase, claim_type=claim_type, is_party=True, destination_types=types
            )
            if reason:
                result.examples.append((application_id, reason))
    return result


def _rows(plan: Plan, chunk: Sequence[int]) -> dict[int, tuple[str, str]]:
    return {
        application_id: (claim_type, phase)
        for application_id, claim_type, phase in Plan(
            plan.source, plan.destination, Transfer.Option.ALL, plan.default
        )
        .parties()
        .filter(pk__in=chunk)
        .values_list("application_id", "claim_type", "phase")
    }


def _count(result: DryRun, application_id: int, reason: str | None) -> None:
    if reason is None:
        result.would_move += 1
        return
    result.skipped[reason] += 1
    if len(result.examples) < SAMPLE:
        result.examples.append((application_id, reason))


def skipped_claims(plan: Plan) -> Iterator[tuple[int, str, str]]:
    """Every claim the plan names that the rules skip: (application ID, phase, reason)."""
    types = plan.destination_types
    if plan.option == Transfer.Option.LIST:
        for chunk in plan.list_chunks():
            found = _rows(plan, chunk)
            for application_id in chunk:
                claim_type, phase = found.get(application_id, ("", ""))
                reason = rules.skip_reason(
                    phase=phase,
                    claim_type=claim_type,
                    is_party=application_id in found,
                    destination_types=types,
                )
                if reason:
                    yield application_id, phase, reason
        return
    rows = (
        plan.parties()
        .exclude(plan.movable())
        .order_by("pk")
        .values_list("application_id", "claim_type", "phase")
        .iterator(chunk_size=CHUNK)
    )
    for application_id, claim_type, phase in rows:
        reason = rules.skip_reason(phase=phase, claim_type=claim_type, is_party=True, destination_types=types)
        if reason:
            yield application_id, phase, reason


def branch_user(branch: Branch, user: User | None) -> Destination:
    return Destination(branch.pk, user.pk if user else None)
