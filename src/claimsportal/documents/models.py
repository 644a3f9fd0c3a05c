"""Attachments added to a claim by either party, and the printable documents the portal generates.

Both are immutable once added (WORKFLOW.md §15 item 19): an "updated" pack is a new version of its
document, and the earlier version stays as it was printed. The files live in the private storage
(``documents.storage``); deleting a claim deletes its rows (the files are removed with them by the
service that deletes, never by a signal).
"""

from __future__ import annotations

import uuid

from django.db import models

from claimsportal.documents.storage import private_storage


class Attachment(models.Model):
    """A file a party added to a claim (``attachment`` of WORKFLOW.md §7.2)."""

    guid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)  # dataAttachmentGuid
    # No index of its own: the (claim, created_at) index below serves every lookup by claim.
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="attachments", db_index=False
    )
    title = models.CharField(max_length=100)  # dataAttachmentTitle
    description = models.CharField(max_length=500, blank=True, default="")  # dataAttachmentDesc
    file_name = models.CharField(max_length=255)  # dataAttachmentFileName
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=private_storage, max_length=255)
    owner_side = models.CharField(max_length=4)  # CR or COMP: the limits count per side
    owner_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner_user = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=150)  # dataAttachmentOwner, as it was when added
    created_at = models.DateTimeField()  # dataAttachmentDate

    class Meta:
        indexes = [models.Index(fields=["claim", "created_at"], name="attachment_claim_created")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.guid})"


class PrintableDocument(models.Model):
    """A PDF the portal generates for a claim (WORKFLOW.md §10).

    ``context`` is what the document prints, taken in the transaction that created the row (the form
    as sent, the parties' names and addresses as they were), so rendering later gives the same PDF
    whatever changed since. ``file`` is empty until the PDF is rendered.
    """

    class Kind(models.TextChoices):
        CNF = "CNF", "Claim Notification Form"
        DEFENDANT_ONLY_CNF = "DEFENDANT_ONLY_CNF", "Defendant Only Claim Notification Form"
        CNF_INSURER_RESPONSE = "CNF_INSURER_RESPONSE", "Claim Notification Form with Insurer Response"
        INTERIM_SETTLEMENT_PACK = "INTERIM_SETTLEMENT_PACK", "Interim Settlement Pack"
        STAGE2_SETTLEMENT_PACK = "STAGE2_SETTLEMENT_PACK", "Stage 2 Settlement Pack"
        STAGE2_ADDITIONAL_DAMAGES = (
            "STAGE2_ADDITIONAL_DAMAGES",
            "Stage 2 Settlement Pack with Additional Damages",
        )
        COURT_PROCEEDINGS_PACK = "COURT_PROCEEDINGS_PACK", "Court Proceedings Pack"

    document_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)  # printableDocumentId
    # No index of its own: the (claim, created_at) index and the unique (claim, kind, …) serve it.
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="printable_documents", db_index=False
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    sequence = models.PositiveSmallIntegerField(default=1)  # e.g. the n-th interim settlement pack
    version = models.PositiveSmallIntegerField(default=1)  # an updated pack is the next version
    visible_to_side = models.CharField(max_length=4, blank=True, default="")  # "" = both parties
    context = models.JSONField()
    file = models.FileField(storage=private_storage, max_length=255, blank=True, default="")
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    # The compensator the claim was with when the document was created (the INSERT … SELECT takes it
    # from the claim row): a compensator sees only the documents of its own time on the claim, or of
    # its group's (``documents.visibility``). Null: the claim had no compensator.
    comp_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,  # read by claim only; organisations are disabled, never deleted
    )
    created_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)
    # The worker's retries (``printable.render_pending``): failed renders so far, and when the next
    # may be tried (null: never tried, due at once). A download renders at once whatever these say.
    render_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["claim", "created_at"], name="document_claim_created"),
            # The worker's queue: only the documents not rendered yet, in the order it takes them.
            models.Index(
                fields=["next_attempt_at", "created_at", "id"],
                name="document_to_render",
                condition=models.Q(rendered_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "kind", "sequence", "version"], name="document_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} ({self.document_id})"


class FileRemoval(models.Model):
    """A stored file whose row was deleted with its claim: written in the deleting transaction, so a
    file is never left behind by a deletion that committed (a process killed before removing it
    leaves this row for the ``file-removals`` job) and never removed by one that rolled back."""

    name = models.CharField(max_length=255)
    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
