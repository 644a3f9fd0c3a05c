"""Attachments: files either party adds to a claim (``addAttachment``, ``getAttachmentsList``,
``getAttachment``; WORKFLOW.md §7.3, §7.5, §15 item 19).

The rules, in one place for the A2A API and the web UI:

* **Who.** Anybody who can see the claim (the one visibility rule, ``VisibilityScope``), of either
  side, whoever's turn it is, may add. A claim the actor cannot see is ``NOT_FOUND``, never
  "forbidden". The claimant side sees every attachment of its claim; a compensator sees those the
  claimant side added (a draft's too, once the claim is sent to it) and those of its own
  organisation or group, not another compensator's (a claim resent elsewhere:
  ``documents.visibility``). An attachment it may not see is ``NOT_FOUND`` too.
* **When.** In every active phase (``addAttachment`` is cross-cutting, WORKFLOW.md §4.2), drafts
  included; never once the claim has ended (a terminal phase: ``WRONG_PHASE``). A claim locked by
  another user refuses it (``CLAIM_LOCKED``), as every other change does.
* **Limits** (§7.5): a file is at most 4 MB and a claim's attachments at most 20 MB together (MB =
  1,048,576 bytes; ``LIMIT_EXCEEDED``, 413); the claimant representative side may add 40, the
  compensator side 10, counted separately (``LIMIT_EXCEEDED``, 422). The counts and the total are
  checked with the claim row locked (``SELECT … FOR UPDATE``; SQLite serialises writers), so two
  uploads at once cannot pass a limit together.
* **Inputs.** A title of 1 to 100 characters, a description of at most 500, a file name of at most
  255 that is a name and not a path: one with ``/`` or ``\\``, a control or invisible formatting
  character (e.g. a right-to-left override that disguises ``exe``), or that is ``.``/``..`` is
  refused rather than silently changed, so what the other party sees is what the sender sent. An
  empty file is refused.
* **Content.** The bytes are stored as given (nothing is sniffed, converted or virus-scanned here);
  their size and SHA-256 are recorded. The file's name in the private storage is the claim and the
  attachment's GUID, never the sender's name. The recorded content type is the one declared (the
  web browser's) or guessed from the file name's extension; it is served only when it is one of a
  few inert types, else as ``application/octet-stream``, always as a download
  (``Content-Disposition: attachment``, ``X-Content-Type-Options: nosniff``).
* **Immutable.** An attachment is never changed or removed on its own; its file goes when its
  claim is deleted (``delete_claim_files``).
* **Records.** In one transaction: the attachment row, a process-history event (``addAttachment``,
  the phase unchanged), an audit entry (``attachment.added``) and a notification to the other
  party's organisation (not for a draft, which it cannot see). The claim row itself is not changed:
  its ``activityEngineGuid`` stays (adding a file is not a step of the process, so a client's
  quoted GUID stays good) and so does its ``updated_at``.
* **No orphan files.** The file is written first (outside the transaction, so the claim is not held
  locked while 4 MB go to the storage), then the rows; if the transaction fails the file is removed.
  A caller that wraps ``add_attachment`` in a transaction of its own (the A2A Idempotency-Key does)
  runs it inside ``no_orphan_files()``, which removes the files whose rows did not survive (looked
  up by their GUIDs, which are unique: no scan of the table).
"""

from __future__ import annotations

import hashlib
import mimetypes
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import structlog
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, Sum

from claimsportal.claims import idsets, ledger, notices
from claimsportal.claims.acting import (
    Actor,
    access_facts,
    access_refusal,
    format_application_id,
    parse_application_id,
)
from claimsportal.claims.effects import Deleted
from claimsportal.claims.models import Claim
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.core import clock
from claimsportal.core.models import AuditEntry
from claimsportal.documents.models import Attachment, FileRemoval, PrintableDocument
from claimsportal.documents.storage import private_storage
from claimsportal.documents.visibility import attachments_q
from claimsportal.notifications.models import Notification
from claimsportal.organisations.models import Organisation
from claimsportal.protocols.access import DEFAULT_RULES, first_broken
from claimsportal.protocols.errors import ErrorDetail, PortalError, limit_exceeded
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.types import Side

log = structlog.get_logger(__name__)

MB = 1024 * 1024
MAX_FILE_SIZE = 4 * MB
MAX_CLAIM_TOTAL = 20 * MB
MAX_COUNT_BY_SIDE = {Side.CR: 40, Side.COMP: 10}
TITLE_MAX = 100
DESCRIPTION_MAX = 500
FILE_NAME_MAX = 255

# The A2A names of the inputs (WORKFLOW.md §7.2 ``attachmentInput``): every error names one of them.
TITLE = "dataAttachmentTitle"
DESCRIPTION = "dataAttachmentDesc"
FILE_NAME = "dataAttachmentFileName"
CONTENT = "dataAttachmentFileZip"

OPERATION = "addAttachment"  # the process-history event
AUDIT_ACTION = "attachment.added"

# Content types served as recorded: documents and images a browser does not run. Anything else
# (HTML, SVG, XML, scripts, unknown) is served as application/octet-stream.
SAFE_CONTENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/rtf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/zip",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/tiff",
        "image/bmp",
        "text/plain",
        "text/csv",
        "audio/mpeg",
        "video/mp4",
    }
)
OCTET_STREAM = "application/octet-stream"


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB".replace(".0 MB", " MB")


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------


def _invisible(ch: str, *, allow: str = "") -> bool:
    """Control, formatting (e.g. bidirectional overrides), surrogate, private-use or unassigned
    characters, and line or paragraph separators."""
    return ch not in allow and (
        unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
    )


def check_file_size(size: int) -> None:
    """The per-file limit; the web view asks before it reads an upload."""
    if size > MAX_FILE_SIZE:
        raise limit_exceeded(
            f"The file must be {megabytes(MAX_FILE_SIZE)} or smaller (this one is {megabytes(size)})",
            CONTENT,
            too_large=True,
        )


def _clean(title: Any, description: Any, file_name: Any, content: bytes) -> tuple[str, str, str]:
    """The inputs as stored (trimmed), or every problem at once, each naming its field."""
    details: list[ErrorDetail] = []
    title = title.strip() if isinstance(title, str) else ""
    if not title:
        details.append(ErrorDetail(TITLE, "Enter a title"))
    elif len(title) > TITLE_MAX:
        details.append(ErrorDetail(TITLE, f"The title must be {TITLE_MAX} characters or fewer"))
    elif any(_invisible(ch) for ch in title):
        details.append(ErrorDetail(TITLE, "The title must not contain control characters"))
    if description is None:
        description = ""
    if not isinstance(description, str):
        details.append(ErrorDetail(DESCRIPTION, "The description must be text"))
        description = ""
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        details.append(
            ErrorDetail(DESCRIPTION, f"The description must be {DESCRIPTION_MAX} characters or fewer")
        )
    elif any(_invisible(ch, allow="\n\r\t") for ch in description):
        details.append(ErrorDetail(DESCRIPTION, "The description must not contain control characters"))
    name = file_name.strip() if isinstance(file_name, str) else ""
    if not name:
        details.append(ErrorDetail(FILE_NAME, "Enter the file's name"))
    elif len(name) > FILE_NAME_MAX:
        details.append(ErrorDetail(FILE_NAME, f"The file name must be {FILE_NAME_MAX} characters or fewer"))
    elif "/" in name or "\\" in name or name in (".", ".."):
        details.append(ErrorDetail(FILE_NAME, "The file name must be a name, not a path (no / or \\)"))
    elif any(_invisible(ch) for ch in name):
        details.append(
            ErrorDetail(
                FILE_NAME, "The file name must not contain control or invisible formatting characters"
            )
        )
    if not content:
        details.append(ErrorDetail(CONTENT, "The file is empty"))
    if details:
        raise PortalError("SCHEMA_INVALID", "The attachment is not valid", details)
    return title, description, name


def _recorded_content_type(declared: str, file_name: str) -> str:
    """The declared type without parameters (lower case), else the one the extension suggests."""
    value = (declared or "").split(";", 1)[0].strip().lower()
    if not value or value == OCTET_STREAM:
        value = (mimetypes.guess_type(file_name, strict=False)[0] or OCTET_STREAM).lower()
    kind, _, subtype = value.partition("/")
    if (
        not kind
        or not subtype
        or len(value) > 100
        or not value.isascii()
        or any(c in value for c in " \"'<>")
    ):
        return OCTET_STREAM
    return value


def served_content_type(attachment: Attachment) -> str:
    """What a download is served as: the recorded type if it is an inert one, else octet-stream."""
    return attachment.content_type if attachment.content_type in SAFE_CONTENT_TYPES else OCTET_STREAM


# --------------------------------------------------------------------------------------------------
# The claim
# --------------------------------------------------------------------------------------------------

_CLAIM_FIELDS = (
    "application_id",
    "claim_type",
    "phase",
    "cr_organisation_id",
    "comp_organisation_id",
    "comp_branch_id",
    "cr_allocated_user_id",
    "comp_allocated_user_id",
    "locked_by_id",
    "activity_guid",
    "deadline_at",
)


def _not_found() -> PortalError:
    return PortalError("NOT_FOUND", "No such claim", [ErrorDetail("applicationId", "no claim you can see")])


def _visible_claim(actor: Actor, number: int, *, for_update: bool = False) -> Claim:
    rows = Claim.objects.only(*_CLAIM_FIELDS).filter(pk=number)
    if for_update:
        rows = rows.select_for_update(of=("self",))
    claim = rows.first()
    if claim is None or not actor.scope.can_see(claim):
        raise _not_found()
    return claim


def adding_refused(actor: Actor, claim: Claim) -> PortalError | None:
    """Why ``actor`` may not add an attachment to ``claim`` now (a claim they can see), or None: the
    claim has ended, or another user holds its lock. (The limits are checked when a file comes.)"""
    phase = definition_for(claim.claim_type).phases.get(claim.phase)
    if phase is None or phase.terminal:
        name = phase.name if phase is not None else claim.phase
        return PortalError(
            "WRONG_PHASE",
            f"Attachments cannot be added to a claim that has ended ({name})",
            [ErrorDetail("phaseCacheId", f"{claim.phase} is an end phase")],
        )
    broken = first_broken(
        DEFAULT_RULES, access_facts(actor, claim, lock_only=True)
    )  # the lock, as for any operation
    if broken is not None:
        return access_refusal(broken, OPERATION)
    return None


def _check(actor: Actor, claim: Claim, size: int) -> None:
    refusal = adding_refused(actor, claim)
    if refusal is not None:
        raise refusal
    totals = Attachment.objects.filter(claim_id=claim.pk).aggregate(
        total=Sum("size"), mine=Count("pk", filter=Q(owner_side=actor.side.value))
    )
    limit = MAX_COUNT_BY_SIDE[actor.side]
    if totals["mine"] >= limit:
        raise limit_exceeded(
            f"{notices.SIDE_LABELS[actor.side.value].capitalize()} side has added {limit} attachments to this "
            f"claim: no more can be added (at most {limit})",
            CONTENT,
        )
    total = (totals["total"] or 0) + size
    if total > MAX_CLAIM_TOTAL:
        raise limit_exceeded(
            f"The claim's attachments would total {megabytes(total)}: at most "
            f"{megabytes(MAX_CLAIM_TOTAL)} per claim ({megabytes(MAX_CLAIM_TOTAL - total + size)} left)",
            CONTENT,
            too_large=True,
        )


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------

# The (GUID, storage name) of each file written inside ``no_orphan_files()``.
_written: ContextVar[list[tuple[uuid.UUID, str]] | None] = ContextVar(
    "attachment_files_written", default=None
)


def _remove_file(name: str) -> None:
    try:
        private_storage().delete(name)
    except OSError:  # pragma: no cover - logged, and the next attempt (or an operator) removes it
        log.exception("attachment.file_not_removed", file=name)


@contextmanager
def no_orphan_files() -> Iterator[None]:
    """Around a transaction of the caller's that calls ``add_attachment`` (outside any transaction
    itself): afterwards, committed or rolled back, remove every file written in it whose attachment
    row does not exist."""
    written: list[tuple[uuid.UUID, str]] = []
    token = _written.set(written)
    try:
        yield
    finally:
        _written.reset(token)
        if written:
            kept = set(
                Attachment.objects.filter(guid__in=[guid for guid, _name in written]).values_list(
                    "guid", flat=True
                )
            )
            for guid, name in written:
                if guid not in kept:
                    _remove_file(name)


def read_content(attachment: Attachment) -> bytes:
    with private_storage().open(str(attachment.file.name), "rb") as handle:
        data: bytes = handle.read()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        log.error("attachment.checksum_mismatch", guid=str(attachment.guid), file=attachment.file.name)
    return data


def delete_claim_files(claim_ids: Iterable[int]) -> int:
    """Queue the stored files of these claims' attachments and printable documents for removal, in
    the deleting transaction (``FileRemoval`` rows); once it commits they are removed at once, and
    the ``file-removals`` job removes whatever a killed process left queued. Returns how many."""
    ids = list(claim_ids)
    names: list[str] = idsets.select_column(Attachment._meta.db_table, "file", "claim_id", ids)
    names += idsets.select_column(
        PrintableDocument._meta.db_table, "file", "claim_id", ids, extra=" AND file <> ''"
    )
    if names:
        now = clock.real_now()
        FileRemoval.objects.bulk_create(
            [FileRemoval(name=name, queued_at=now) for name in names], batch_size=1000
        )
        transaction.on_commit(lambda: remove_queued_files(names))
    return len(names)


def remove_queued_files(names: Sequence[str] | None = None, *, limit: int = 5000) -> int:
    """Remove queued files (``names``, or the oldest ``limit`` queued) and their queue rows; a file
    already gone counts as removed. Returns how many were removed."""
    if names is None:
        batches = [list(FileRemoval.objects.order_by("id").values_list("id", "name")[:limit])]
    else:
        wanted = list(names)
        batches = [
            list(FileRemoval.objects.filter(name__in=wanted[start : start + 500]).values_list("id", "name"))
            for start in range(0, len(wanted), 500)
        ]
    count = 0
    for rows in batches:
        removed: list[int] = []
        for pk, name in rows:
            try:
                private_storage().delete(name)
            except OSError:
                log.exception("claim.file_not_removed", file=name)
                continue
            removed.append(pk)
        FileRemoval.objects.filter(pk__in=removed).delete()
        count += len(removed)
    if count:
        log.info("claim.files_removed", files=count)
    return count


def delete_claim_documents(deleted: Sequence[Deleted]) -> int:
    """The ``claims.effects`` on-delete hook: the claims' attachments and printable documents, rows
    now and files once the deletion commits. Returns how many rows went."""
    ids = [claim.application_id for claim in deleted]
    delete_claim_files(ids)
    return idsets.delete_rows(Attachment._meta.db_table, "claim_id", ids) + idsets.delete_rows(
        PrintableDocument._meta.db_table, "claim_id", ids
    )


# --------------------------------------------------------------------------------------------------
# The operations
# --------------------------------------------------------------------------------------------------


def add_attachment(
    actor: Actor,
    application_id: int | str,
    *,
    title: str,
    description: str,
    file_name: str,
    content: bytes,
    content_type: str = "",
) -> Attachment:
    """``addAttachment``: store ``content`` and record it on the claim. Raises ``PortalError``."""
    number = parse_application_id(application_id)
    check_file_size(len(content))
    title, description, file_name = _clean(title, description, file_name, content)
    recorded_type = _recorded_content_type(content_type, file_name)
    # Refuse early (no file written) what the locked check below would refuse anyway.
    _check(actor, _visible_claim(actor, number), len(content))
    guid = uuid.uuid4()
    digest = hashlib.sha256(content).hexdigest()
    stored = private_storage().save(
        f"attachments/{format_application_id(number)}/{guid.hex}", ContentFile(content)
    )
    pending = _written.get()
    if pending is not None:
        pending.append((guid, stored))
    try:
        with transaction.atomic():
            claim = _visible_claim(actor, number, for_update=True)
            _check(actor, claim, len(content))
            now = clock.now()
            organisation_name = Organisation.objects.values_list("name", flat=True).get(
                pk=actor.organisation_pk
            )
            attachment = Attachment.objects.create(
                guid=guid,
                claim_id=number,
                title=title,
                description=description,
                file_name=file_name,
                content_type=recorded_type,
                size=len(content),
                sha256=digest,
                file=stored,
                owner_side=actor.side.value,
                owner_organisation_id=actor.organisation_pk,
                owner_user_id=actor.user_pk,
                owner_name=f"{actor.user_id} ({organisation_name})"[:150],
                created_at=now,
            )
            record = {
                "dataAttachmentGuid": str(guid),
                TITLE: title,
                FILE_NAME: file_name,
                "size": len(content),
                "sha256": digest,
            }
            AuditEntry.objects.create(
                occurred_at=now,
                actor_user_id=actor.user_pk,
                actor_user_id_text=actor.user_id,
                organisation_id=actor.organisation_pk,
                action=AUDIT_ACTION,
                target=f"{format_application_id(number)}/{guid}",
                details=record,
            )
            other = claim.comp_organisation_id if actor.side is Side.CR else claim.cr_organisation_id
            told = []
            if other is not None and claim.phase != DRAFT_PHASE:
                message = notices.render(
                    notices.ATTACHMENT_ADDED,
                    number,
                    title=title,
                    file_name=file_name,
                    who=notices.SIDE_LABELS[actor.side.value],
                )
                told.append(ledger.Notice(other, Notification.Kind.CHANGE, message))
            # The history and the other party's notification; the claim row and its
            # activityEngineGuid do not change.
            ledger.append(
                number,
                entry=ledger.Entry(
                    operation=OPERATION,
                    actor=actor,
                    phase_before=claim.phase,
                    phase_after=claim.phase,
                    payload=record,
                    activity_guid=claim.activity_guid,
                    deadline_at=claim.deadline_at,
                ),
                told=told,
                now=now,
            )
    except BaseException:
        _remove_file(stored)
        raise
    log.info(
        "attachment.added",
        application_id=number,
        guid=str(guid),
        size=len(content),
        user=actor.user_id,
        organisation=actor.org_id,
    )
    return attachment


def list_attachments(actor: Actor, application_id: int | str | Claim) -> list[Attachment]:
    """``getAttachmentsList``: the claim's attachments (metadata) that ``actor`` sees, oldest first.
    ``application_id`` may be a claim already read (the claim page): visibility is checked again,
    without a query."""
    if isinstance(application_id, Claim):
        if not actor.scope.can_see(application_id):
            raise _not_found()
        number = application_id.pk
    else:
        number = _visible_claim(actor, parse_application_id(application_id)).pk
    return list(Attachment.objects.filter(attachments_q(actor), claim_id=number).order_by("created_at", "id"))


def get_attachment(actor: Actor, guid: str | uuid.UUID) -> Attachment:
    """``getAttachment``: one attachment the actor sees, of a claim they can see (its content:
    ``read_content``)."""
    try:
        wanted = guid if isinstance(guid, uuid.UUID) else uuid.UUID(str(guid).strip())
    except ValueError:
        raise PortalError(
            "NOT_FOUND", "No such attachment", [ErrorDetail("attachmentGuid", "not an attachment GUID")]
        ) from None
    attachment = (
        Attachment.objects.filter(attachments_q(actor), guid=wanted)
        .select_related("claim")
        .defer("claim__cnf", "claim__state")
        .first()
    )
    if attachment is None or not actor.scope.can_see(attachment.claim):
        raise PortalError(
            "NOT_FOUND", "No such attachment", [ErrorDetail("attachmentGuid", "no attachment you can see")]
        )
    return attachment
