"""What the portal publishes, and the anonymous facts the Executive Dashboard is computed from.

Facts and service samples are **append-only** rows with no claim, organisation or user in them: a
fact is written when the event happens (``facts.observe``) and never updated, so no operation waits
on a shared counter row, and deleting claims (retention, GDPR) changes no figure.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class Fact(models.Model):
    """One anonymous management-information fact: in ``month`` (the business clock, Europe/London),
    for claims of ``protocol`` (RTA, EL, ELD, PL), ``metric`` happened once, for ``reason``, with
    ``amount`` (the settled damages of a settlement)."""

    class Metric(models.TextChoices):
        CNF_SENT = "CNF_SENT", "CNFs sent to compensators"
        STAGE1_EXIT = "STAGE1_EXIT", "Claims leaving at Stage 1"
        EXIT = "EXIT", "Exits through the Exit function"
        STAGE2_EXIT = "STAGE2_EXIT", "Claims leaving in Stage 2 other than by settlement"
        SETTLED = "SETTLED", "Claims settled"
        COURT_PACK = "COURT_PACK", "Court Proceedings Packs completed"

    month = models.DateField(help_text="The first day of the month the event happened in")
    protocol = models.CharField(max_length=3)
    metric = models.CharField(max_length=16, choices=Metric.choices)
    reason = models.CharField(max_length=24, blank=True, default="")
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        # Covering: a month's figures (count and sum of the amounts per protocol, measure and reason)
        # come from the index alone, an index-only scan (docs/publishing.md, "Benchmark").
        indexes: ClassVar = [
            models.Index(
                fields=["month", "protocol", "metric", "reason"],
                include=["amount"],
                name="fact_month_covering",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.protocol} {self.metric} {self.reason}"


class PublishedMonth(models.Model):
    """A month's figures as published (the monthly job): frozen, so later facts (none should come for
    a past month) or a change of the measures' definitions never rewrite what was published."""

    month = models.DateField(unique=True)
    published_at = models.DateTimeField()
    # [{"protocol", "metric", "reason", "count", "amount"}] for the month itself
    figures = models.JSONField(default=list)
    # {"availabilityPercent", "averageResponseMs", "requests", "organisations", "users", …}
    service = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["-month"]

    def __str__(self) -> str:
        return f"MI {self.month:%B %Y}"


class ServiceSample(models.Model):
    """One minute of the service as the product measured it (real time): whether the portal answered
    its own probe, and the requests one process served in that minute with their total and slowest
    time. Anonymous: no path, user or organisation."""

    minute = models.DateTimeField()
    probe_ok = models.BooleanField(null=True, help_text="None: a request sample, not a probe")
    requests = models.PositiveIntegerField(default=0)
    server_errors = models.PositiveIntegerField(default=0)
    total_ms = models.BigIntegerField(default=0)
    slowest_ms = models.PositiveIntegerField(default=0)
    over_second = models.PositiveIntegerField(default=0)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["minute"])]

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.requests} requests"


class NewsItem(models.Model):
    """A news item of the public "News and updates" page, or an announcement (shown on the sign-in
    page and as a banner to signed-in users until ``shown_until``)."""

    class Category(models.TextChoices):
        UPDATE = "UPDATE", "Update"
        MANAGEMENT_INFO = "MI", "Management info"
        ANNOUNCEMENT = "ANNOUNCEMENT", "Announcement"

    category = models.CharField(max_length=12, choices=Category.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField()
    # Announcements: shown on the sign-in page and as a banner until then (None: not a banner).
    shown_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-published_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["published_at"]),
            models.Index(fields=["shown_until"]),
        ]

    def __str__(self) -> str:
        return self.title


class MaintenanceWindow(models.Model):
    """A scheduled maintenance window (real time): the web and/or the A2A API are unavailable from
    ``starts_at`` to ``ends_at``; the operator's console stays open."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    message = models.CharField(max_length=500)
    web = models.BooleanField(default=True)
    a2a = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["starts_at"]
        indexes: ClassVar = [models.Index(fields=["ends_at", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"


class InsurerIndexVersion(models.Model):
    """A published version of the RTA Insurer Index: its number, when and by whom, and every entry as
    it stood (so any version can be downloaded, and changes since a version computed)."""

    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"insurerIndexId", "insurerName", "organisationId", "compensatorType", "enabled"}], by ID
    entries = models.JSONField(default=list)
    summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["-number"]

    def __str__(self) -> str:
        return f"Insurer Index v{self.number}"


class StatementOfTruthWording(models.Model):
    """The words of the Part 22 statement of truth in force from ``effective_from`` (ADMINISTRATION.md
    §8.2), in the claimant's own (``C``) or the legal representative's (``S``) variant. A form shows and
    prints the wording in force on the day it was signed; a future change is a new row."""

    class Signatory(models.TextChoices):
        REPRESENTATIVE = "S", "The claimant's legal representative"
        CLAIMANT = "C", "The claimant in person"

    effective_from = models.DateField()
    signatory = models.CharField(max_length=1, choices=Signatory.choices)
    # "{document}" stands for the form's name ("Claim Notification Form", "Stage 2 Settlement Pack" …)
    text = models.TextField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["signatory", "effective_from"], name="one_wording_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.signatory} from {self.effective_from}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A wording is never changed once written (signed forms refer to it): a change is a new row."""
        if self.pk is not None and StatementOfTruthWording.objects.filter(pk=self.pk).exists():
            raise ValueError("A statement of truth wording is never changed: add a new row from its date")
        super().save(*args, **kwargs)

    @property
    def version(self) -> str:
        """The wording's version: the day it came into force (ISO 8601), one per signatory."""
        return self.effective_from.isoformat()


class SignedStatement(models.Model):
    """Which wording of the statement of truth a signed form confirmed: written when the form is sent
    (``statement_of_truth.record``, a ledger observer, in the form's transaction), with the wording in
    force on that day of the business clock for the form's signatory. Every document that carries the
    form shows this wording, whatever wordings are added later. The form is its claim's event of
    ``operation`` at ``signed_at`` (the event's time); the rows go with their claim."""

    claim_id = models.BigIntegerField()
    operation = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    wording = models.ForeignKey(StatementOfTruthWording, on_delete=models.PROTECT, related_name="+")

    class Meta:
        # Not unique: under a fixed business clock (tests, a training day) two forms of one claim can
        # carry the same time; they then confirmed the wording of the same day.
        indexes: ClassVar = [models.Index(fields=["claim_id", "signed_at"], name="signed_statement_claim")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.operation} {self.signed_at:%Y-%m-%d}"
