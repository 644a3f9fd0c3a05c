"""Claim custody's own records: the retention rules (data the operator reads), each run of the
retention job (counts per rule, no personal data) and the anonymous tally of GDPR deletions per
organisation and month (the operator's misuse report). None of them refers to a claim."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from claimsportal.custody import policy
from claimsportal.organisations.models import Organisation


class RetentionRule(models.Model):
    class Clock(models.TextChoices):
        REACHED = policy.REACHED, "the day the claim reached the phase"
        LAST_UPDATE = policy.LAST_UPDATE, "the claim's last update"
        CNF_SENT = policy.CNF_SENT, "the day the CNF was sent"
        GDPR_DELETED = policy.GDPR_DELETED, "the day the claim was deleted with Delete claim"

    class Action(models.TextChoices):
        DELETE = policy.DELETE, "Deleted"
        AUTO_ACKNOWLEDGE = policy.AUTO_ACKNOWLEDGE, "Acknowledged automatically"

    code = models.CharField(max_length=8, unique=True)
    position = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=80, help_text="The policy's rule, in its words")
    wording = models.CharField(max_length=200, help_text="The policy's name of the phase(s)")
    phases = models.JSONField(default=list, help_text="The portal's phase IDs the rule covers")
    clock = models.CharField(max_length=16, choices=Clock.choices)
    days = models.PositiveIntegerField(default=0)
    months = models.PositiveSmallIntegerField(default=0)
    action = models.CharField(max_length=16, choices=Action.choices)
    adults_only = models.BooleanField(default=False)
    protects_children = models.BooleanField(
        default=True, help_text="Never before the claimant's protection ends (18; 21 years 1 month)"
    )
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering: ClassVar = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.category}: {self.wording}"


class RetentionRun(models.Model):
    """One run of the retention job (or its dry run): what each rule did."""

    started_at = models.DateTimeField(help_text="Real time")
    finished_at = models.DateTimeField(null=True, blank=True)
    business_day = models.DateField(help_text="The business clock's day the rules were applied on")
    dry_run = models.BooleanField(default=False)
    trigger = models.CharField(max_length=16)  # worker, command, sandbox
    figures = models.JSONField(default=dict)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["started_at"], name="retentionrun_started")]

    def __str__(self) -> str:
        return f"retention {self.business_day} {'dry run' if self.dry_run else ''}"


class GdprReason(models.TextChoices):
    """Why a claim was deleted with Delete claim (UK GDPR Arts 16 to 18, §4.4): a code, never free text,
    so that the operator's report holds no personal data."""

    RECTIFICATION = "RECTIFICATION", "Rectification: the claim was sent with wrong personal data"
    ERASURE = "ERASURE", "Erasure: the data subject asked for their data to be erased"
    RESTRICTION = "RESTRICTION", "Restriction: processing of the data must stop"
    SENT_IN_ERROR = "SENT_IN_ERROR", "Sent in error: the claim should never have been sent"
    DUPLICATE = "DUPLICATE", "Duplicate of another claim"


class GdprDeletionTally(models.Model):
    """How many claims an organisation deleted with Delete claim, per month and reason."""

    month = models.DateField(help_text="The first day of the month (business clock)")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=4)
    reason = models.CharField(max_length=16, choices=GdprReason.choices)
    drafts = models.BooleanField(default=False)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["month", "organisation", "side", "reason", "drafts"], name="one_gdpr_tally"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.organisation_id} {self.reason}: {self.count}"
