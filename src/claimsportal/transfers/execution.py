"""Running a transfer (the ``claims-transfer`` job and the operator's command).

The claims change only through ``claims.ledger.apply_set``, a batch at a time, each batch one
transaction: the organisation column of the transferring side, its branch and allocated user, the
awaiting organisation where it was the source, and the locks of the source's users are released;
the phase, every deadline column and the claim's history stay as they are (the first event still
names the organisation that created the claim). Each claim gets a ``claimTransferred`` event naming
the transfer and both organisations, and the notice "The Claim … has been successfully transferred
from … to …" goes to the destination, the other party and the source.

Safe to kill and re-run: a claim moved is no longer the source's, so it is never picked again
(and ``FOR UPDATE SKIP LOCKED`` keeps two workers apart on PostgreSQL); each batch records its
claims in the report in the same transaction, so the report and the claims never disagree.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import structlog
from django.db import connection, transaction
from django.db.models import Count, Q

from claimsportal.claims import ledger, notices, selectors
from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.notifications.models import Notification
from claimsportal.protocols.timers import LONDON
from claimsportal.transfers import plans, rules, services
from claimsportal.transfers.models import Transfer, TransferResult

log = structlog.get_logger(__name__)

OPERATION = selectors.TRANSFER_OPERATION
RUNNABLE = (Transfer.Status.APPROVED, Transfer.Status.RUNNING)


@dataclass
class RunFigures:
    transfers: int = 0
    moved: int = 0
    skipped: int = 0
    failed: int = 0
    batches: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "transfers": self.transfers,
            "claimsTransferred": self.moved,
            "claimsSkipped": self.skipped,
            "claimsFailed": self.failed,
            "transferBatches": self.batches,
            "transferSeconds": round(self.seconds, 3),
        }


Progress = Callable[[RunFigures], None]


def due_transfers(today: date) -> list[int]:
    return list(
        Transfer.objects.filter(
            Q(status=Transfer.Status.APPROVED, scheduled_for__lte=today) | Q(status=Transfer.Status.RUNNING)
        )
        .order_by("scheduled_for", "pk")
        .values_list("pk", flat=True)
    )


def run_due(
    *, now: datetime | None = None, batch_size: int = 5000, progress: Progress | None = None
) -> RunFigures:
    """Run every transfer due on the business day of ``now`` (and finish any one left running)."""
    now = now or clock.now()
    figures = RunFigures()
    for pk in due_transfers(now.astimezone(LONDON).date()):
        one = run_transfer(pk, now=now, batch_size=batch_size, progress=progress)
        figures.transfers += one.transfers
        figures.moved += one.moved
        figures.skipped += one.skipped
        figures.failed += one.failed
        figures.batches += one.batches
        figures.seconds += one.seconds
    return figures


def run_transfer(
    pk: int, *, now: datetime | None = None, batch_size: int = 5000, progress: Progress | None = None
) -> RunFigures:
    """Run (or resume) one approved transfer to the end; a transfer already done does nothing."""
    now = now or clock.now()
    figures = RunFigures()
    started = time.monotonic()
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().select_related("source", "destination").get(pk=pk)
        if transfer.status not in RUNNABLE:
            return figures
        if transfer.status == Transfer.Status.APPROVED:
            transfer.status = Transfer.Status.RUNNING
            transfer.started_at = clock.real_now()
            transfer.save(update_fields=["status", "started_at"])
            for party in (transfer.source, transfer.destination):
                audit(None, "transfer.started", transfer.reference, organisation=party)
    figures.transfers = 1
    plan = plans.Plan.of(transfer)
    for change in claim_sets(transfer, plan, batch_size):
        while True:
            with transaction.atomic():
                if not _still_running(pk):  # another worker finished it meanwhile
                    return figures
                result = ledger.apply_set(change, now=now)
                _record(transfer, result.written, now)
            figures.moved += len(result.moved)
            figures.batches += 1 if result.moved else 0
            figures.seconds = time.monotonic() - started
            if result.moved and progress:
                progress(figures)
            if len(result.moved) < change.limit:
                break
    _finish(transfer, plan, now, figures)
    figures.seconds = time.monotonic() - started
    log.info("transfers.ran", reference=transfer.reference, **figures.as_dict())
    return figures


def _still_running(pk: int) -> bool:
    """Lock the transfer's row for the batch: two workers on one transfer take turns, and the end (the
    failed claims, the counts) is never computed while a batch is in flight."""
    return bool(
        list(
            Transfer.objects.select_for_update()
            .filter(pk=pk, status=Transfer.Status.RUNNING)
            .values_list("pk")
        )
    )


# --------------------------------------------------------------------------------------------------
# The claim sets
# --------------------------------------------------------------------------------------------------


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def claim_sets(transfer: Transfer, plan: plans.Plan, batch_size: int) -> Iterator[ledger.ClaimSet]:
    """The ledger's claim sets for the plan: one for options ALL and BRANCHES (repeated until no claim
    is left), one per chunk of the list for option LIST."""
    columns = plan.columns
    types = sorted(plan.destination_types)
    inactive = sorted(rules.INACTIVE_PHASES)
    where = (
        f"{columns.organisation} = %s AND claim_type IN ({_placeholders(len(types))})"
        f" AND phase NOT IN ({_placeholders(len(inactive))})"
    )
    params: list[Any] = [plan.source.pk, *types, *inactive]
    constants = [
        plan.source.pk,
        plan.destination.pk,
        transfer.reference,
        plan.source.org_id,
        plan.destination.org_id,
        plan.source.name,
        plan.destination.name,
    ]
    names = "from_org, to_org, ref, from_code, to_code, from_name, to_name"
    typed = "CAST(%s AS bigint), CAST(%s AS bigint), " + ", ".join(["CAST(%s AS text)"] * 5)
    target = "dest_branch, dest_user"
    target_typed = "CAST(%s AS bigint), CAST(%s AS bigint)"
    lookup_columns = (
        "from_org",
        "to_org",
        "ref",
        "from_code",
        "to_code",
        "from_name",
        "to_name",
        "dest_branch",
        "dest_user",
    )
    on_party = f"m.from_org = due.{columns.organisation}"
    if plan.option == Transfer.Option.ALL:
        yield _claim_set(
            plan,
            where=where,
            params=params,
            lookup=f"m({names}, {target}) AS (VALUES ({typed}, {target_typed}))",
            lookup_params=[*constants, plan.default.branch_pk, plan.default.user_pk],
            lookup_on=on_party,
            lookup_columns=lookup_columns,
            batch_size=batch_size,
        )
    elif plan.option == Transfer.Option.BRANCHES:
        branches = sorted(plan.branches.items())
        rows = ", ".join([f"(CAST(%s AS bigint), {typed}, {target_typed})"] * len(branches))
        lookup_params: list[Any] = []
        for source_branch, to in branches:
            lookup_params += [source_branch, *constants, to.branch_pk, to.user_pk]
        yield _claim_set(
            plan,
            where=f"{where} AND {columns.branch} IN ({_placeholders(len(branches))})",
            params=[*params, *(b for b, _ in branches)],
            lookup=f"m(source_branch, {names}, {target}) AS (VALUES {rows})",
            lookup_params=lookup_params,
            lookup_on=f"{on_party} AND m.source_branch = due.{columns.branch}",
            lookup_columns=lookup_columns,
            batch_size=batch_size,
        )
    else:
        for chunk in plan.list_chunks():
            rows = ", ".join([f"(CAST(%s AS bigint), {typed}, {target_typed})"] * len(chunk))
            lookup_params = []
            for application_id in chunk:
                to = plan.lines[application_id]
                lookup_params += [application_id, *constants, to.branch_pk, to.user_pk]
            yield _claim_set(
                plan,
                where=f"{where} AND application_id IN ({_placeholders(len(chunk))})",
                params=[*params, *chunk],
                lookup=f"m(claim, {names}, {target}) AS (VALUES {rows})",
                lookup_params=lookup_params,
                lookup_on=f"{on_party} AND m.claim = due.application_id",
                lookup_columns=lookup_columns,
                batch_size=max(batch_size, len(chunk)),
            )


def _claim_set(
    plan: plans.Plan,
    *,
    where: str,
    params: Sequence[Any],
    lookup: str,
    lookup_params: Sequence[Any],
    lookup_on: str,
    lookup_columns: tuple[str, ...],
    batch_size: int,
) -> ledger.ClaimSet:
    columns = plan.columns
    # A lock held by one of the source's users is released; the other party's locks stay.
    source_lock = "src.locked_by_id IN (SELECT u.id FROM organisations_user AS u WHERE u.organisation_id = src.from_org)"
    return ledger.ClaimSet(
        carry=(
            "application_id",
            "phase",
            "claim_type",
            columns.organisation,
            columns.branch,
            "awaiting_organisation_id",
            "locked_by_id",
            "locked_at",
        ),
        where=where,
        params=params,
        order_by="application_id",
        limit=batch_size,
        lookup=lookup,
        lookup_params=lookup_params,
        lookup_on=lookup_on,
        lookup_columns=lookup_columns,
        assignments={
            columns.organisation: "src.to_org",
            columns.branch: "src.dest_branch",
            columns.allocated: "src.dest_user",
            "awaiting_organisation_id": (
                "CASE WHEN src.awaiting_organisation_id = src.from_org THEN src.to_org"
                " ELSE src.awaiting_organisation_id END"
            ),
            "locked_by_id": f"CASE WHEN {source_lock} THEN NULL ELSE src.locked_by_id END",
            "locked_at": f"CASE WHEN {source_lock} THEN NULL ELSE src.locked_at END",
        },
        operation=OPERATION,
        event_payload={
            "transferId": "src.ref",
            "fromOrganisationId": "src.from_code",
            "toOrganisationId": "src.to_code",
            "fromOrganisationName": "src.from_name",
            "toOrganisationName": "src.to_name",
        },
        notice_kind=Notification.Kind.TRANSFERRED.value,
        notice_template=notices.TRANSFERRED,
        # The destination and the other party (after the change), and the source (before it)
        notify=("cr_organisation_id", "comp_organisation_id"),
        notify_before=(columns.organisation,),
    )


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------


def _record(transfer: Transfer, written: Sequence[Any], now: datetime) -> None:
    """In the batch's transaction: each claim moved, in the report (one statement on PostgreSQL)."""
    if not written:
        return
    recorded_at = clock.real_now()
    columns = "transfer_id, application_id, outcome, reason, phase, recorded_at"
    ids = [w.application_id for w in written]
    phases = [w.phase_after for w in written]
    moved = TransferResult.Outcome.MOVED.value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO transfers_transferresult ({columns})"
                " SELECT %s, t.application_id, %s, '', t.phase, %s"
                " FROM unnest(%s::bigint[], %s::text[]) AS t(application_id, phase) ON CONFLICT DO NOTHING",
                [transfer.pk, moved, recorded_at, ids, phases],
            )
        else:
            cursor.executemany(
                f"INSERT INTO transfers_transferresult ({columns}) VALUES (%s, %s, %s, '', %s, %s)"
                " ON CONFLICT DO NOTHING",
                [
                    [transfer.pk, i, moved, p, ledger.db_datetime(recorded_at)]
                    for i, p in zip(ids, phases, strict=True)
                ],
            )


def _finish(transfer: Transfer, plan: plans.Plan, now: datetime, figures: RunFigures) -> None:
    """Skipped and failed claims into the report, the counts, DONE, the audit and the e-mails."""
    recorded_at = clock.real_now()
    with transaction.atomic():
        transfer = (
            Transfer.objects.select_for_update().select_related("source", "destination").get(pk=transfer.pk)
        )
        if transfer.status != Transfer.Status.RUNNING:
            return
        batch: list[TransferResult] = []
        for application_id, phase, reason in plans.skipped_claims(plan):
            batch.append(
                TransferResult(
                    transfer=transfer,
                    application_id=application_id,
                    outcome=TransferResult.Outcome.SKIPPED,
                    reason=reason,
                    phase=phase,
                    recorded_at=recorded_at,
                )
            )
        # Claims that should have moved and did not (in use by another worker at the time)
        left = plan.parties().filter(plan.movable())
        if plan.option == Transfer.Option.LIST:
            left = left.filter(pk__in=sorted(plan.lines))
        for application_id, phase in left.values_list("application_id", "phase").iterator(
            chunk_size=plans.CHUNK
        ):
            batch.append(
                TransferResult(
                    transfer=transfer,
                    application_id=application_id,
                    outcome=TransferResult.Outcome.FAILED,
                    reason=rules.Skip.IN_USE,
                    phase=phase,
                    recorded_at=recorded_at,
                )
            )
        TransferResult.objects.bulk_create(batch, batch_size=5000, ignore_conflicts=True)
        counts = dict(
            transfer.results.values_list("outcome")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("outcome", "n")
        )
        transfer.moved = counts.get(TransferResult.Outcome.MOVED, 0)
        transfer.skipped = counts.get(TransferResult.Outcome.SKIPPED, 0)
        transfer.failed = counts.get(TransferResult.Outcome.FAILED, 0)
        transfer.status = Transfer.Status.DONE
        transfer.finished_at = clock.real_now()
        transfer.save()
        for party in (transfer.source, transfer.destination):
            audit(
                None,
                "transfer.done",
                transfer.reference,
                organisation=party,
                moved=transfer.moved,
                skipped=transfer.skipped,
                failed=transfer.failed,
            )
        services.tell_done(transfer)
    figures.skipped += transfer.skipped
    figures.failed += transfer.failed
