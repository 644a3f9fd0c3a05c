"""Bulk claims transfers between organisations (ADMINISTRATION.md §3): the request and its state,
its options (branches mapped, claims listed), and the per-claim result report.

The claims themselves change only through ``claims.ledger.apply_set`` (``transfers.execution``);
these tables hold the request, who agreed and approved it, and what happened to each claim.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from claimsportal.organisations.models import Branch, Organisation, User


class Transfer(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "REQUESTED", "Waiting for the other organisation"
        AGREED = "AGREED", "Agreed, waiting for the operator"
        DECLINED = "DECLINED", "Declined by the other organisation"
        APPROVED = "APPROVED", "Approved and scheduled"
        REJECTED = "REJECTED", "Rejected by the operator"
        RUNNING = "RUNNING", "Running"
        DONE = "DONE", "Done"

    class Option(models.TextChoices):
        ALL = "ALL", "All active claims"
        BRANCHES = "BRANCHES", "The active claims of chosen branches"
        LIST = "LIST", "A list of claims"

    reference = models.CharField(max_length=16, unique=True)
    org_type = models.CharField(max_length=4, choices=Organisation.Type.choices)
    source = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=8, choices=Option.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    # Where the claims go when no line says otherwise (options ALL and BRANCHES without a mapping)
    destination_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    destination_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    preferred_date = models.DateField()
    scheduled_for = models.DateField(null=True, blank=True)
    # Who filed it and from which side; the authorising Administrator of each side
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    requested_at = models.DateTimeField()
    requested_on = models.DateField(help_text="The business day of the request (the notice counts from it)")
    source_admin = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    destination_admin = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, default="", help_text="Why it was declined or rejected")
    # The primary contact of each side (told by e-mail of every step; blank for a transfer the operator
    # ran from the command line after agreeing it with both organisations outside the portal)
    source_contact_name = models.CharField(max_length=120)
    source_contact_email = models.EmailField(blank=True)
    source_contact_phone = models.CharField(max_length=30, blank=True)
    destination_contact_name = models.CharField(max_length=120)
    destination_contact_email = models.EmailField(blank=True)
    destination_contact_phone = models.CharField(max_length=30, blank=True)
    # The run
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    moved = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["status", "scheduled_for"], name="transfer_due"),
            models.Index(fields=["source", "requested_at"], name="transfer_source"),
            models.Index(fields=["destination", "requested_at"], name="transfer_destination"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("destination")), name="transfer_between_two_organisations"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.source_id}->{self.destination_id} {self.status}"


class TransferBranch(models.Model):
    """Option BRANCHES: the claims of ``source_branch`` go to ``destination_branch`` (and user)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="branches")
    source_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    destination_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    destination_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["transfer", "source_branch"], name="transfer_branch_once")
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.source_branch_id}->{self.destination_branch_id}"


class TransferLine(models.Model):
    """Option LIST: one claim of the uploaded list, with its destination branch and user."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField(help_text="The line of the uploaded file")
    application_id = models.BigIntegerField()
    destination_branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+")
    destination_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["transfer", "application_id"], name="transfer_line_once")
        ]
        # A deleted claim's lines go with it (transfers.apps: the on-delete hook).
        indexes: ClassVar = [models.Index(fields=["application_id"], name="transfer_line_claim")]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.application_id}"


class TransferResult(models.Model):
    """What the run did with one claim: the report (one row per claim, written once)."""

    class Outcome(models.TextChoices):
        MOVED = "MOVED", "Moved"
        SKIPPED = "SKIPPED", "Skipped"
        FAILED = "FAILED", "Failed"

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="results", db_index=False)
    application_id = models.BigIntegerField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reason = models.CharField(max_length=200, blank=True, default="")
    phase = models.CharField(max_length=64, blank=True, default="")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["transfer", "application_id"], name="transfer_result_once")
        ]
        indexes: ClassVar = [models.Index(fields=["application_id"], name="transfer_result_claim")]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.application_id} {self.outcome}"
