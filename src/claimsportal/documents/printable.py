"""Printable documents (WORKFLOW.md §10): which operation creates which document, and the PDF's life.

**Creating.** ``due_documents`` is called by ``claims.services._write`` inside the operation's
transaction, after the claim row and its event are written. An operation that creates no document
costs one dict lookup (``RULES``). One that does gets one ``INSERT … SELECT`` per document, which
snapshots what the document prints into ``context`` in the same statement: the claim's CNF as
stored less what no PDF prints (the referral source, ``forms.withheld``: removed in the statement),
the parties' organisation names and addresses and the references as they are now, the claim type,
the application ID, the date, and the forms of the pack (the previous version's forms plus the one
just sent). The row also records the claim's compensator at that moment
(``comp_organisation``): a compensator sees only the documents created while the claim was with it
or its group (``documents.visibility``). A refused operation raises before this point, so it
creates nothing; a failed insert rolls the operation back.

**Versions.** An operation either starts a new pack (the next ``sequence`` of its kind, version 1:
an interim request, the Stage 2 Settlement Pack, the additional damages request, the court
proceedings pack) or updates the latest one (same sequence, next version, the previous forms plus
the new one: a response, a counter offer). The CNF sent again (``resendRejectedClaim``) is the next
version of the CNF. Earlier versions are never changed.

**Rendering.** Outside the operation's transaction, from ``context`` only, so a PDF never changes
once created, whatever happens later to the organisations (ADMINISTRATION.md §3): the timer worker
renders pending documents in batches (``render_pending``; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL),
and a download of a document the worker has not reached renders it at once (``ensure_rendered``).
Both check and set under the row's lock, so two renders never both store a file. A document that
fails (to render, or to be stored) is retried by later passes with an exponential backoff (1 minute,
2, 4 … at most a day: ``next_attempt_at``), so documents that always fail do not hold up the
others; each document is stored under a savepoint of its own, and a file whose row could not be
updated is removed. A download renders at once whatever the backoff says.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import structlog
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q, QuerySet

from claimsportal.core import clock
from claimsportal.documents.models import PrintableDocument
from claimsportal.documents.storage import private_storage
from claimsportal.documents.visibility import documents_q
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.forms.withheld import WITHHELD_CNF_PATHS, form_without_withheld
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import Side

if TYPE_CHECKING:
    from claimsportal.claims.acting import Actor
    from claimsportal.claims.ledger import LockedClaim
    from claimsportal.claims.models import Claim
    from claimsportal.protocols.engine import Outcome

log = structlog.get_logger(__name__)

# Told of each document whose PDF has just been stored, in the storing transaction (the webhooks
# app's "document ready" outbox row); registered by the apps above in their ready().
OnRendered = Callable[[PrintableDocument], object]
_on_rendered: list[OnRendered] = []


def register_on_rendered(hook: OnRendered) -> None:
    if hook not in _on_rendered:
        _on_rendered.append(hook)


Kind = PrintableDocument.Kind
CONTEXT_SCHEMA = 1  # the shape of ``context``; rendering reads every version it ever wrote


# --------------------------------------------------------------------------------------------------
# Which operation creates which document (WORKFLOW.md §10)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRule:
    kind: str
    new_pack: bool = False  # True: the next sequence, version 1; False: the next version of the latest
    with_form: bool = True  # the operation's form joins the pack's forms (the CNF is the claim's own)
    visible_to_side: str = ""  # "" both parties; "CR": the claimant side only


_CNF = (
    DocumentRule(Kind.CNF, with_form=False),
    # The Defendant Only CNF is the claimant representative's to post to the defendant (who is not a
    # portal user); the compensator has the full CNF. Same rule as claims.defendant_only.
    DocumentRule(Kind.DEFENDANT_ONLY_CNF, with_form=False, visible_to_side=Side.CR.value),
)

RULES: dict[str, tuple[DocumentRule, ...]] = {
    "addClaim": _CNF,
    "resendRejectedClaim": _CNF,
    "sendLiabilityDecision": (DocumentRule(Kind.CNF_INSURER_RESPONSE),),
    "addInterimSPFRequest": (DocumentRule(Kind.INTERIM_SETTLEMENT_PACK, new_pack=True),),
    "addInterimSPFResponse": (DocumentRule(Kind.INTERIM_SETTLEMENT_PACK),),
    "addStage2SPFRequest": (DocumentRule(Kind.STAGE2_SETTLEMENT_PACK, new_pack=True),),
    "addStage2SPFResponse": (DocumentRule(Kind.STAGE2_SETTLEMENT_PACK),),
    "addStage2SPFCounterOfferByCR": (DocumentRule(Kind.STAGE2_SETTLEMENT_PACK),),
    "addStage2SPFCounterOfferByCM": (DocumentRule(Kind.STAGE2_SETTLEMENT_PACK),),
    "addS2SPFAdditionalDamagesRequest": (DocumentRule(Kind.STAGE2_ADDITIONAL_DAMAGES, new_pack=True),),
    "addS2SPFAdditionalDamagesResponse": (DocumentRule(Kind.STAGE2_ADDITIONAL_DAMAGES),),
    "addCPPFRequest": (DocumentRule(Kind.COURT_PROCEEDINGS_PACK, new_pack=True),),
    "addCPPFResponse": (DocumentRule(Kind.COURT_PROCEEDINGS_PACK),),
}
"""Operations that create a document. The agreement decisions (``setStage2SPFAgreementDecision``,
``setS2SPFAdditionalDamagesDecision``) carry no figures, so the pack's last version stands."""

_FORM_NUMBERS: dict[str, tuple[str, str]] = {  # (RTA, EL/ELD/PL), WORKFLOW.md §2.3
    Kind.INTERIM_SETTLEMENT_PACK: ("RTA4", "EPL4"),
    Kind.STAGE2_SETTLEMENT_PACK: ("RTA5", "EPL5"),
    Kind.COURT_PROCEEDINGS_PACK: ("RTA6 and RTA7", "EPL6 and EPL7"),
}


# Forms that can be printed as a draft before they are sent, and the document each would create
# (§10: the compensator's "IR draft" of the liability decision; the draft CNF has its own page).
DRAFT_PRINTS: dict[str, str] = {"sendLiabilityDecision": Kind.CNF_INSURER_RESPONSE}


def document_title(kind: str, claim_type: str) -> str:
    """The title printed and listed: the kind's name and the protocol's form number."""
    label = str(Kind(kind).label)
    if kind in (Kind.CNF, Kind.DEFENDANT_ONLY_CNF):
        return f"{label} ({claim_type}{1 if kind == Kind.CNF else 2})"
    if kind == Kind.COURT_PROCEEDINGS_PACK:
        label = "Court Proceedings Pack Part A and Part B"
    numbers = _FORM_NUMBERS.get(kind)
    if numbers is None:
        return label
    return f"{label} ({numbers[0] if claim_type == 'RTA' else numbers[1]})"


# --------------------------------------------------------------------------------------------------
# Creating: one INSERT … SELECT per document, in the operation's transaction
# --------------------------------------------------------------------------------------------------

_COLUMNS = (
    "document_id, claim_id, kind, title, sequence, version, visible_to_side, context, file, size,"
    " sha256, created_at, rendered_at, comp_organisation_id, render_attempts, next_attempt_at"
)
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _cnf_without_withheld(pg: bool) -> str:
    """The claim's CNF less the withheld paths (``forms.withheld.WITHHELD_CNF_PATHS``), in SQL: no
    PDF prints them, so the snapshot does not keep them. A path that is not there is no change."""
    for path in WITHHELD_CNF_PATHS:
        assert all(_KEY.fullmatch(key) for key in path), path  # spliced into the statement below
    if pg:
        removed = "".join(f" #- '{{{','.join(path)}}}'" for path in WITHHELD_CNF_PATHS)
        # ``#-`` refuses a scalar (it never is one: the CNF is validated before it is stored).
        return f"CASE WHEN jsonb_typeof(c.cnf) = 'object' THEN c.cnf{removed} ELSE c.cnf END"
    paths = ", ".join(f"'$.{'.'.join(path)}'" for path in WITHHELD_CNF_PATHS)
    return f"json(json_remove(c.cnf, {paths}))"


@cache
def _insert_sql(vendor: str, new_pack: bool, with_form: bool) -> str:
    """The statement for one document. Parameters, in order: document_id, kind, title,
    visible_to_side, the context's own fields (applicationId, title, createdAt, createdOn,
    operation, side), [the form], created_at, then the claim and the kind (the previous version of
    the document) and the claim again (its row)."""
    pg = vendor == "postgresql"
    if new_pack:
        sequence, version = "COALESCE(prev.sequence, 0) + 1", "1"
    else:
        sequence, version = "COALESCE(prev.sequence, 1)", "COALESCE(prev.version, 0) + 1"
    if pg:
        obj, as_json, param = "jsonb_build_object", "{}", "%s::text"
        previous = "COALESCE(prev.context -> 'forms', '[]'::jsonb)"
        form = "jsonb_build_array(%s::jsonb)"
        forms = form if new_pack else f"{previous} || {form}" if with_form else previous
        typed = ("%s::uuid", "%s::text", "%s::text", "%s::text", "%s::timestamptz")
    else:
        obj, as_json, param = "json_object", "json({})", "%s"
        previous = "COALESCE(json_extract(prev.context, '$.forms'), '[]')"
        forms = (
            "json_array(json(%s))"
            if new_pack
            else f"json_insert({previous}, '$[#]', json(%s))"
            if with_form
            else f"json({previous})"
        )
        typed = ("%s", "%s", "%s", "%s", "%s")

    def organisation(alias: str) -> str:
        return (
            f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE {obj}('organisationId', {alias}.org_id,"
            f" 'name', {alias}.name, 'address', {as_json.format(alias + '.address')},"
            f" 'telephone', {alias}.telephone, 'email', {alias}.email) END"
        )

    context = (
        f"{obj}('schema', {CONTEXT_SCHEMA}, 'applicationId', {param}, 'claimType', c.claim_type,"
        f" 'title', {param}, 'createdAt', {param}, 'createdOn', {param},"
        f" 'createdBy', {obj}('operation', {param}, 'side', {param}),"
        f" 'references', {obj}('claimantRepresentative', c.cr_reference,"
        f" 'compensator', c.comp_reference, 'claimantSurname', c.claimant_surname),"
        f" 'claimantRepresentative', {organisation('cr')},"
        f" 'compensator', {organisation('comp')},"
        f" 'cnf', {_cnf_without_withheld(pg)},"
        f" 'forms', {forms})"
    )
    document_id, kind, title, side, created_at = typed
    return (
        f"INSERT INTO documents_printabledocument ({_COLUMNS})"
        f" SELECT {document_id}, c.application_id, {kind}, {title}, {sequence}, {version}, {side},"
        f" {context}, '', NULL, '', {created_at}, NULL, c.comp_organisation_id, 0, NULL"
        " FROM claims_claim c"
        " JOIN organisations_organisation cr ON cr.id = c.cr_organisation_id"
        " LEFT JOIN organisations_organisation comp ON comp.id = c.comp_organisation_id"
        " LEFT JOIN (SELECT sequence, version, context FROM documents_printabledocument"
        f" WHERE claim_id = %s AND kind = {kind} ORDER BY sequence DESC, version DESC LIMIT 1) prev"
        " ON 1 = 1"
        " WHERE c.application_id = %s"
    )


def create_due_documents(
    row: LockedClaim, outcome: Outcome, side: Side, form: dict[str, Any], now: datetime
) -> None:
    """The ``claims.effects`` hook: insert the documents ``outcome`` makes due, in its transaction."""
    from claimsportal.claims.ledger import hot

    for sql, params in due_documents(row, outcome, side, form, now):
        hot(sql, params)


def due_documents(
    row: LockedClaim, outcome: Outcome, side: Side, form: dict[str, Any], now: datetime
) -> Iterator[tuple[str, list[Any]]]:
    """The statements that create the documents ``outcome`` makes due (none for most operations).
    ``form`` is the operation's payload as its event stores it. The caller runs them in the
    operation's transaction, after the claim row is updated (the snapshot reads the updated row)."""
    rules = RULES.get(outcome.operation.name)
    if not rules:
        return
    vendor = connection.vendor
    ops = connection.ops
    native_uuid = connection.features.has_native_uuid_field
    application_id = f"{row.application_id:08d}"
    entry = ops.adapt_json_value(
        {
            "operation": outcome.operation.name,
            "side": side.value,
            "submittedAt": now.isoformat(),
            "form": form_without_withheld({k: v for k, v in form.items() if not k.startswith("_")}),
        },
        None,
    )
    created_at = ops.adapt_datetimefield_value(now)
    for rule in rules:
        document_id = uuid.uuid4()
        kind = str(rule.kind)
        title = document_title(kind, row.claim_type)
        params: list[Any] = [
            document_id if native_uuid else document_id.hex,
            kind,
            title,
            rule.visible_to_side,
            application_id,
            title,
            now.isoformat(),
            now.astimezone(LONDON).date().isoformat(),
            outcome.operation.name,
            side.value,
        ]
        if rule.new_pack or rule.with_form:
            params.append(entry)
        params += [created_at, row.application_id, kind, row.application_id]
        yield _insert_sql(vendor, rule.new_pack, rule.with_form), params


# --------------------------------------------------------------------------------------------------
# Reading: the documents of a claim the actor may see
# --------------------------------------------------------------------------------------------------


def documents_of(actor: Actor, claim: Claim) -> QuerySet[PrintableDocument]:
    """The documents of ``claim`` (which the caller has already found visible to ``actor``) that the
    actor may have (``documents.visibility``), oldest first."""
    return (
        PrintableDocument.objects.filter(documents_q(actor), claim_id=claim.pk)
        .defer("context")
        .order_by("created_at", "id")
    )


def _not_found() -> PortalError:
    return PortalError(
        "NOT_FOUND",
        "No such printable document",
        [ErrorDetail("printableDocumentId", "no document you can see")],
    )


def visible_document(actor: Actor, document_id: str | uuid.UUID) -> PrintableDocument:
    """One document, if its claim is visible to ``actor`` (the one visibility rule) and the actor may
    have it (``documents.visibility``: its side, and for a compensator its time on the claim);
    otherwise "not found", never "forbidden"."""
    try:
        key = document_id if isinstance(document_id, uuid.UUID) else uuid.UUID(str(document_id))
    except ValueError:
        raise _not_found() from None
    document = (
        PrintableDocument.objects.filter(documents_q(actor), document_id=key).select_related("claim").first()
    )
    if document is None or not actor.scope.can_see(document.claim):
        raise _not_found()
    return document


def file_name(document: PrintableDocument) -> str:
    """The name a download is saved under: ``<applicationId>-<kind>-<sequence>-v<version>.pdf``."""
    kind = document.kind.lower().replace("_", "-")
    return f"{document.claim_id:08d}-{kind}-{document.sequence}-v{document.version}.pdf"


def read_pdf(document: PrintableDocument) -> bytes:
    """The stored PDF of a rendered document (``ensure_rendered`` first)."""
    with private_storage().open(str(document.file.name), "rb") as handle:
        data: bytes = handle.read()
    return data


# --------------------------------------------------------------------------------------------------
# Rendering: outside the operation, check-and-set under the row's lock
# --------------------------------------------------------------------------------------------------

RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(days=1)


def retry_delay(attempts: int) -> timedelta:
    """How long the worker waits after the ``attempts``-th failure in a row: 1 minute, 2, 4 … at
    most a day."""
    return min(RETRY_FIRST * (1 << min(max(attempts, 1) - 1, 20)), RETRY_MAX)


def _row_locks() -> bool:
    """PostgreSQL locks rows (render while holding the row); SQLite's IMMEDIATE transactions lock the
    whole database, so there the PDF is rendered first and only stored under the lock."""
    return bool(connection.features.has_select_for_update)


def _remove_file(name: str) -> None:
    try:
        private_storage().delete(name)
    except OSError:  # pragma: no cover - logged; an operator removes it
        log.exception("document.file_not_removed", file=name)


def _store(document: PrintableDocument, pdf: bytes, now: datetime) -> str:
    """Write the PDF to the private storage and mark the row rendered (caller holds the row); the
    stored file's name. If the row cannot be updated, the file is removed again."""
    name = private_storage().save(
        f"documents/{document.claim_id:08d}/{document.document_id}.pdf", ContentFile(pdf)
    )
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        _mark_rendered(document.pk, name, len(pdf), digest, now)
    except BaseException:
        _remove_file(name)
        raise
    document.file.name = name
    document.size = len(pdf)
    document.sha256 = digest
    document.rendered_at = now
    try:
        for hook in _on_rendered:
            hook(document)
    except BaseException:
        _remove_file(name)
        raise
    return name


def _mark_rendered(pk: int, name: str, size: int, digest: str, now: datetime) -> None:
    PrintableDocument.objects.filter(pk=pk).update(file=name, size=size, sha256=digest, rendered_at=now)


def _render(document: PrintableDocument) -> bytes:
    from claimsportal.documents.rendering import render_pdf  # WeasyPrint loads on first use only

    return render_pdf(document)


def ensure_rendered(document: PrintableDocument, *, now: datetime | None = None) -> PrintableDocument:
    """``document`` with its PDF stored, rendering it now if nobody has (a download never waits for
    the worker, nor for a retry's backoff). Idempotent: whoever takes the row's lock first stores the
    file; anyone else finds it rendered and stores nothing."""
    if document.rendered_at is not None:
        return document
    pdf = None if _row_locks() else _render(document)
    stored = ""
    try:
        with transaction.atomic():
            current = PrintableDocument.objects.select_for_update().get(pk=document.pk)
            if current.rendered_at is None:
                stored = _store(current, pdf if pdf is not None else _render(current), now or clock.now())
                log.info("document.rendered", document_id=str(current.document_id), on_demand=True)
    except BaseException:
        if stored:  # the row's update did not commit: its file must not stay
            _remove_file(stored)
        raise
    return current


def _failed(document: PrintableDocument, now: datetime) -> None:
    """Log a failed render (or store) and put the document back in the queue after its backoff."""
    attempts = document.render_attempts + 1
    retry_at = now + retry_delay(attempts)
    log.exception(
        "document.render_failed",
        document_id=str(document.document_id),
        attempts=attempts,
        next_attempt_at=retry_at.isoformat(),
    )
    PrintableDocument.objects.filter(pk=document.pk).update(
        render_attempts=attempts, next_attempt_at=retry_at
    )


def pending_documents(now: datetime) -> QuerySet[PrintableDocument]:
    """The worker's queue: documents not rendered yet and due (never tried, or their backoff over),
    those never tried first (oldest first), then the retries in the order they fell due (the partial
    index ``document_to_render``)."""
    return (
        PrintableDocument.objects.filter(rendered_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by(F("next_attempt_at").asc(nulls_first=True), "created_at", "id")
    )


@dataclass
class RenderResult:
    rendered: int = 0
    failed: int = 0
    seconds: float = 0.0


def render_pending(
    *, batch_size: int = 20, max_documents: int = 200, now: datetime | None = None
) -> RenderResult:
    """Render the due documents (``pending_documents``) in batches of ``batch_size``, at most
    ``max_documents`` per call (the worker's pass goes on to its other jobs; the next pass continues).
    On PostgreSQL each batch is taken ``FOR UPDATE SKIP LOCKED`` (two workers, or a worker and a
    download, never render the same row) and each document is rendered and stored under a savepoint
    of its own. A document that fails to render or to be stored is logged and retried after its
    backoff (``retry_delay``); the others go on, and no file is left without its row."""
    started = time.monotonic()
    when = now or clock.now()
    result = RenderResult()
    failed: list[int] = []
    pending = pending_documents(when)
    while result.rendered + len(failed) < max_documents:
        size = min(batch_size, max_documents - result.rendered - len(failed))
        if _row_locks():
            saved: list[str] = []
            try:
                with transaction.atomic():
                    batch = list(pending.exclude(pk__in=failed).select_for_update(skip_locked=True)[:size])
                    for document in batch:
                        stored = ""
                        try:
                            with transaction.atomic():  # a savepoint: a failure undoes this one only
                                stored = _store(document, _render(document), now or clock.now())
                        except Exception:
                            if stored:  # pragma: no cover - the savepoint's release failed
                                _remove_file(stored)
                            failed.append(document.pk)
                            _failed(document, now or clock.now())  # a database error here ends the batch
                            continue
                        saved.append(stored)
                        result.rendered += 1
            except BaseException:
                for name in saved:  # the batch did not commit: its files must not stay
                    _remove_file(name)
                raise
        else:
            batch = list(pending.exclude(pk__in=failed)[:size])
            for document in batch:
                try:
                    ensure_rendered(document, now=now)
                except Exception:
                    failed.append(document.pk)
                    try:
                        _failed(document, now or clock.now())
                    except DatabaseError:  # e.g. the database is locked: retried without a backoff
                        log.exception("document.retry_not_recorded", document_id=str(document.document_id))
                    continue
                result.rendered += 1
        if len(batch) < size:
            break
    result.failed = len(failed)
    result.seconds = time.monotonic() - started
    if result.rendered or result.failed:
        log.info("documents.rendered", rendered=result.rendered, failed=result.failed, seconds=result.seconds)
    return result
