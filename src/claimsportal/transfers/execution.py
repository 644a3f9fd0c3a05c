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

Each worker walks the claim set in application-ID order, each batch starting after the last claim of
the one before (so no batch reads again the claims already moved); on PostgreSQL ``workers``
connections do so at once, ``SKIP LOCKED`` sharing the claims out. A claim passed over because
another transaction held it is taken by a last sweep; one still held then is FAILED in the report,
and running the transfer again (:func:`retry_failed`) moves those claims, and only those.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import structlog
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from claimsportal.claims import ledger, notices, selectors
from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.notifications.models import Notification
from claimsportal.protocols.timers import LONDON
from claimsportal.transfers import plans, rules, services
from claimsportal.transfers.models import Transfer, TransferResult

log = structlog.get_logger(__name__)

OPERATION = selectors.TRANSFER_OPERATION
RUNNABLE = (Transfer.Status.APPROVED, Transfer.Status.RUNNING)
WORKERS = 2  # connections moving one transfer's claims at once (PostgreSQL; elsewhere one)


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
    *,
    now: datetime | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
    workers: int = WORKERS,
) -> RunFigures:
    """Run every transfer due on the business day of ``now`` (and finish any one left running)."""
    now = now or clock.now()
    figures = RunFigures()
    for pk in due_transfers(now.astimezone(LONDON).date()):
        one = run_transfer(pk, now=now, batch_size=batch_size, progress=progress, workers=workers)
        figures.transfers += one.transfers
        figures.moved += one.moved
        figures.skipped += one.skipped
        figures.failed += one.failed
        figures.batches += one.batches
        figures.seconds += one.seconds
    return figures


def run_transfer(
    pk: int,
    *,
    now: datetime | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
    workers: int = WORKERS,
) -> RunFigures:
    """Run (or resume) one approved transfer to the end; a transfer already done does nothing.

    ``workers`` connections move its claims at once on PostgreSQL (outside any transaction of the
    caller's: each batch is a transaction of its own); one elsewhere."""
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
    retrying = _failed_claims(transfer)  # a run again of a transfer done with failures: those claims only
    run = _Run(transfer, now, figures, started, progress)
    changes = list(claim_sets(transfer, plan, batch_size, only=retrying))
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    if not run.work(changes, workers=max(1, workers) if parallel else 1):
        return figures
    # A last sweep from the start of each set: the claims another transaction held when a worker
    # passed them (SKIP LOCKED) and has let go since.
    held = any(left.exists() for left in _left(plan, retrying))
    if held and not run.work(changes, workers=1, resume=False):
        return figures
    _finish(transfer, plan, now, figures, retrying)
    figures.seconds = time.monotonic() - started
    log.info("transfers.ran", reference=transfer.reference, **figures.as_dict())
    return figures


def retry_failed(
    pk: int,
    *,
    now: datetime | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
    workers: int = WORKERS,
) -> RunFigures:
    """Run again a transfer done with failed claims: it is RUNNING again and moves the claims the report
    says FAILED, and only those, as the first run would have (their report rows become MOVED; a claim
    that can no longer move is reported SKIPPED with its reason, one still held FAILED again). Nothing
    happens to a transfer without failures. Safe to kill and re-run like the first run."""
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().select_related("source", "destination").get(pk=pk)
        if transfer.status == Transfer.Status.DONE and transfer.failed:
            transfer.status = Transfer.Status.RUNNING
            transfer.save(update_fields=["status"])
            for party in (transfer.source, transfer.destination):
                audit(
                    None, "transfer.retried", transfer.reference, organisation=party, failed=transfer.failed
                )
    return run_transfer(pk, now=now, batch_size=batch_size, progress=progress, workers=workers)


def _failed_claims(transfer: Transfer) -> list[int] | None:
    """The claims a running transfer is to retry (its report's FAILED rows: only a finished run writes
    them), or None for a first run."""
    failed = list(
        transfer.results.filter(outcome=TransferResult.Outcome.FAILED)
        .order_by("application_id")
        .values_list("application_id", flat=True)
    )
    return failed or None


class _Run:
    """The workers of one run of a transfer, sharing its figures."""

    def __init__(
        self,
        transfer: Transfer,
        now: datetime,
        figures: RunFigures,
        started: float,
        progress: Progress | None,
    ) -> None:
        self.transfer, self.now, self.figures, self.started, self.progress = (
            transfer,
            now,
            figures,
            started,
            progress,
        )
        self.lock = threading.Lock()
        self.stop = threading.Event()  # the transfer is no longer running, or a worker failed

    def work(self, changes: Sequence[ledger.ClaimSet], *, workers: int, resume: bool = True) -> bool:
        """Every worker drains each claim set in turn; False when the transfer stopped running meanwhile
        (another process finished it). A worker's error stops the others and is raised here."""
        if workers == 1:
            return self._drain_all(changes, resume)
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                self._drain_all(changes, resume)
            except BaseException as error:  # raised in the caller's thread below
                errors.append(error)
                self.stop.set()
            finally:
                connection.close()  # this thread's own connection

        threads = [threading.Thread(target=worker, name=f"transfer-{i}") for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return not self.stop.is_set()

    def _drain_all(self, changes: Sequence[ledger.ClaimSet], resume: bool) -> bool:
        for change in changes:
            if not self._drain(change, resume):
                self.stop.set()
                return False
        return True

    def _drain(self, change: ledger.ClaimSet, resume: bool) -> bool:
        """Move the set's claims a batch at a time; each batch after the last claim of the one before
        (``resume``), or from the start."""
        after: int | None = None
        while not self.stop.is_set():
            batch = change
            if after is not None:
                batch = replace(
                    change, where=f"({change.where}) AND application_id > %s", params=[*change.params, after]
                )
            with transaction.atomic():
                if not _still_running(self.transfer.pk):  # another process finished it meanwhile
                    return False
                result = ledger.apply_set(batch, now=self.now)
                _record(self.transfer, result.written)
            if result.moved:
                with self.lock:
                    self.figures.moved += len(result.moved)
                    self.figures.batches += 1
                    self.figures.seconds = time.monotonic() - self.started
                    if self.progress:
                        self.progress(self.figures)
            if len(result.moved) < change.limit:
                return True
            if resume:
                after = result.written[-1].application_id  # the set is in application-ID order
        return False


def _still_running(pk: int) -> bool:
    """Hold the transfer's row for the batch: the end (the failed claims, the counts) is never computed
    while a batch is in flight. Shared on PostgreSQL, so that the workers of a run move claims at once."""
    sql = "SELECT id FROM transfers_transfer WHERE id = %s AND status = %s"
    if connection.vendor == "postgresql":
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, Transfer.Status.RUNNING.value])
        return cursor.fetchone() is not None


def _left(plan: plans.Plan, only: Sequence[int] | None) -> Iterator[QuerySet[Claim]]:
    """The claims that should have moved and have not, a query per chunk of claims named (a list, the
    claims retried)."""
    left = plan.parties().filter(plan.movable())
    if plan.option == Transfer.Option.LIST:
        for chunk in plan.list_chunks(only):
            yield left.filter(pk__in=chunk)
    elif only is not None:
        for start in range(0, len(only), plans.CHUNK):
            yield left.filter(pk__in=only[start : start + plans.CHUNK])
    else:
        yield left


# --------------------------------------------------------------------------------------------------
# The claim sets
# --------------------------------------------------------------------------------------------------


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def claim_sets(
    transfer: Transfer, plan: plans.Plan, batch_size: int, *, only: Sequence[int] | None = None
) -> Iterator[ledger.ClaimSet]:
    """The ledger's claim sets for the plan: one for options ALL and BRANCHES (repeated until no claim
    is left), one per chunk of the list for option LIST; with ``only`` (a run again of the claims that
    failed), one per chunk of those claims."""
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
    if only is not None and plan.option != Transfer.Option.LIST:
        for start in range(0, len(only), plans.CHUNK):
            chunk = list(only[start : start + plans.CHUNK])
            for change in claim_sets(transfer, plan, batch_size):
                yield replace(
                    change,
                    where=f"{change.where} AND application_id IN ({_placeholders(len(chunk))})",
                    params=[*change.params, *chunk],
                )
        return
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
        for chunk in plan.list_chunks(only):
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


def _record(transfer: Transfer, written: Sequence[Any]) -> None:
    """In the batch's transaction: each claim moved, in the report (one statement on PostgreSQL). A
    claim that had FAILED (a run again) is MOVED now."""
    if not written:
        return
    recorded_at = clock.real_now()
    columns = "transfer_id, application_id, outcome, reason, phase, recorded_at"
    ids = [w.application_id for w in written]
    phases = [w.phase_after for w in written]
    moved, failed = TransferResult.Outcome.MOVED.value, TransferResult.Outcome.FAILED.value
    upsert = (
        " ON CONFLICT (transfer_id, application_id) DO UPDATE SET outcome = excluded.outcome, reason = '',"
        " phase = excluded.phase, recorded_at = excluded.recorded_at"
        " WHERE transfers_transferresult.outcome = %s"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO transfers_transferresult ({columns})"
                " SELECT %s, t.application_id, %s, '', t.phase, %s"
                f" FROM unnest(%s::bigint[], %s::text[]) AS t(application_id, phase){upsert}",
                [transfer.pk, moved, recorded_at, ids, phases, failed],
            )
        else:
            cursor.executemany(
                f"INSERT INTO transfers_transferresult ({columns}) VALUES (%s, %s, %s, '', %s, %s){upsert}",
                [
                    [transfer.pk, i, moved, p, ledger.db_datetime(recorded_at), failed]
                    for i, p in zip(ids, phases, strict=True)
                ],
            )


def _finish(
    transfer: Transfer, plan: plans.Plan, now: datetime, figures: RunFigures, retrying: Sequence[int] | None
) -> None:
    """Skipped and failed claims into the report, the counts, DONE, the audit and the e-mails. After a
    run again (``retrying``: the claims that had failed) only those claims are reported again."""
    recorded_at = clock.real_now()
    retried = set(retrying or ())
    with transaction.atomic():
        transfer = (
            Transfer.objects.select_for_update().select_related("source", "destination").get(pk=transfer.pk)
        )
        if transfer.status != Transfer.Status.RUNNING:
            return
        if retrying is not None:
            # Those still not moved are reported below again: skipped (why), or failed once more
            transfer.results.filter(outcome=TransferResult.Outcome.FAILED).delete()

        def row(application_id: int, outcome: str, reason: str, phase: str) -> TransferResult:
            return TransferResult(
                transfer=transfer,
                application_id=application_id,
                outcome=outcome,
                reason=reason,
                phase=phase,
                recorded_at=recorded_at,
            )

        batch: list[TransferResult] = [
            row(application_id, TransferResult.Outcome.SKIPPED, reason, phase)
            for application_id, phase, reason in plans.skipped_claims(plan)
            if retrying is None or application_id in retried
        ]
        # Claims that should have moved and did not (held by another transaction at the time)
        for left in _left(plan, retrying):
            for application_id, phase in left.values_list("application_id", "phase").iterator(
                chunk_size=plans.CHUNK
            ):
                batch.append(row(application_id, TransferResult.Outcome.FAILED, rules.Skip.IN_USE, phase))
        if retrying is not None:
            # A claim retried that is no longer the sending organisation's at all
            reported = {r.application_id for r in batch} | set(
                transfer.results.values_list("application_id", flat=True)
            )
            batch += [
                row(application_id, TransferResult.Outcome.SKIPPED, rules.Skip.NOT_A_PARTY, "")
                for application_id in sorted(retried - reported)
            ]
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
