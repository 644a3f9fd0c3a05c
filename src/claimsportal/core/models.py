"""Cross-cutting state: the sandbox clock offset, worker heartbeats, retention periods and the audit trail."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class SandboxClock(models.Model):
    """One row: how far the sandbox clock is moved from real time, for every process."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    offset_seconds = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sandbox clock offset {self.offset_seconds}s"


class WorkerHeartbeat(models.Model):
    """The last sign of life of a named background job: one row per job of the registry
    (``claimsportal.jobs``), in real time. ``last_pass`` holds the last run's figures."""

    class Result(models.TextChoices):
        RUNNING = "running"
        OK = "ok"
        FAILED = "failed"

    name = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    host = models.CharField(max_length=128, default="")
    pid = models.IntegerField(default=0)
    last_pass = models.JSONField(default=dict)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    result = models.CharField(max_length=16, choices=Result.choices, blank=True, default="")
    error = models.TextField(blank=True, default="")
    succeeded_at = models.DateTimeField(null=True, blank=True, help_text="When the last ok run finished")
    claimed_for = models.DateField(
        null=True, blank=True, help_text="The day a daily job's run was claimed for (one run a day)"
    )

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class RetentionPeriod(models.Model):
    """How long a kind of record is kept, or how long before an account rule applies: data the purge
    and account jobs read (``core.retention``), seeded with the policy's values."""

    name = models.CharField(max_length=64, unique=True)
    period = models.DurationField()
    policy = models.TextField(help_text="The policy's own wording")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.period}"


class AuditEntry(models.Model):
    """One administrative action (users, branches, organisation details, A2A clients, agreements,
    registrations, sign-ins as another user). Append-only; claims keep their own event log."""

    occurred_at = models.DateTimeField()
    actor_user = models.ForeignKey(
        "organisations.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor_user_id_text = models.CharField(max_length=50, help_text="Kept when the user is deleted")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    action = models.CharField(max_length=64)
    target = models.CharField(max_length=120, blank=True, default="")
    details = models.JSONField(default=dict)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["organisation", "-occurred_at"], name="audit_by_organisation"),
            models.Index(fields=["action", "-occurred_at"], name="audit_by_action"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_user_id_text} {self.action} {self.target}"
