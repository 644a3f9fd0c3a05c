"""Cross-cutting state: the sandbox clock offset and worker heartbeats."""

from __future__ import annotations

from django.db import models


class SandboxClock(models.Model):
    """One row: how far the sandbox clock is moved from real time, for every process."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    offset_seconds = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sandbox clock offset {self.offset_seconds}s"


class WorkerHeartbeat(models.Model):
    """The last sign of life of a named background job (timer worker, sweeps)."""

    name = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    host = models.CharField(max_length=128, default="")
    pid = models.IntegerField(default=0)
    last_pass = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
