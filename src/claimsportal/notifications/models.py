"""In-portal notifications (ADMINISTRATION.md §5): one stream per organisation, read by web users and
A2A clients alike, informational only, purged after 15 calendar days."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models

from claimsportal.claims.models import Claim
from claimsportal.organisations.models import Organisation


class Notification(models.Model):
    class Kind(models.TextChoices):
        CHANGE = "CHANGE", "Claim changed by the other party"
        WARNING = "WARNING", "Time limit approaching"
        TIME_LIMIT_REACHED = "TIME_LIMIT_REACHED", "Time limit reached"
        # A bulk transfer (ADMINISTRATION.md §3): the source is told too, though it no longer sees the claim
        TRANSFERRED = "TRANSFERRED", "Claim transferred"

    id = models.BigAutoField(primary_key=True)  # also the feed's cursor: strictly increasing
    guid = models.UUIDField(default=uuid.uuid4, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    message = models.CharField(max_length=300)
    deadline_at = models.DateTimeField(null=True, blank=True, help_text="The deadline a warning is about")
    created_at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["organisation", "id"], name="notification_feed"),
            models.Index(fields=["claim"], name="notification_claim"),
            models.Index(fields=["created_at"], name="notification_purge"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["claim", "organisation", "kind", "deadline_at"],
                condition=models.Q(kind__in=["WARNING", "TIME_LIMIT_REACHED"]),
                name="one_warning_per_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.message}"
