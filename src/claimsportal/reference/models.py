"""Reference data the operator maintains. The business calendar's added and removed days."""

from __future__ import annotations

from django.db import models


class NonWorkingDayOverride(models.Model):
    class Kind(models.TextChoices):
        ADDED = "ADDED", "Extra non-working day"
        REMOVED = "REMOVED", "Holiday declared a working day"

    day = models.DateField(unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.reason}"
