"""A message sent to the helpdesk through the contact form: it waits in the operator's queue."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from claimsportal.organisations.models import User


class HelpRequest(models.Model):
    class Role(models.TextChoices):
        ADMINISTRATOR = "ADMINISTRATOR", "Administrator"
        HANDLER = "HANDLER", "Claim handler"
        UNREPRESENTED = "UNREPRESENTED", "Unrepresented claimant (no solicitor)"
        OTHER = "OTHER", "Someone else"

    class Section(models.TextChoices):
        CLAIMS = "claims", "Claims Portal"
        ADMIN = "admin", "Administration"
        NOT_SIGNING_IN = "none", "Not signing in"

    class Status(models.TextChoices):
        OPEN = "OPEN", "Waiting for a reply"
        ANSWERED = "ANSWERED", "Answered"

    reference = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    email = models.EmailField()
    user_id = models.CharField(max_length=50, blank=True, default="", help_text="As typed, if given")
    organisation = models.CharField(max_length=120, blank=True, default="")
    role = models.CharField(max_length=16, choices=Role.choices)
    section = models.CharField(max_length=8, choices=Section.choices)
    error_message = models.CharField(max_length=500, blank=True, default="", help_text="The exact message")
    description = models.TextField()
    submitted_at = models.DateTimeField()
    due_on = models.DateField(help_text="5 working days after it was sent")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["status", "due_on", "submitted_at"], name="help_request_queue")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name} ({self.status})"
