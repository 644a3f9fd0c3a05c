"""Reference data the operator maintains. The business calendar's added and removed days."""

from __future__ import annotations

from typing import ClassVar

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


class InsurerIndexEntry(models.Model):
    """One line of the RTA Insurer Index (ADMINISTRATION.md §6): an insurer's name as an RTA CNF
    names it, and the portal organisation that receives claims against it. RTA only: EL/PL claims
    choose the compensator from the portal's own list (``searchCompensators``)."""

    index_id = models.CharField("insurer index ID", max_length=16, unique=True)
    insurer_name = models.CharField(max_length=120)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="insurer_index_entries"
    )
    compensator_type = models.CharField(max_length=1, help_text="I insurer, S self-insured, M MIB")
    enabled = models.BooleanField(default=True)
    version = models.PositiveIntegerField(help_text="The index version that last changed this entry")

    class Meta:
        indexes: ClassVar = [models.Index(fields=["insurer_name"])]
        verbose_name_plural = "insurer index entries"

    def __str__(self) -> str:
        return f"{self.index_id} {self.insurer_name}"
