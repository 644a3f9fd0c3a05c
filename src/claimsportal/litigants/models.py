"""An e-mail address being verified for a self-registration, and the reminders already sent."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class EmailVerification(models.Model):
    """A person registering as an unrepresented claimant proves they read ``email``: a six-digit code
    is e-mailed; the browser's session holds ``token``. Real time drives the expiry."""

    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    forename = models.CharField(max_length=60)
    surname = models.CharField(max_length=60)
    code_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True, help_text="When the account was created")

    class Meta:
        indexes: ClassVar = [models.Index(fields=["created_at"], name="email_verification_age")]

    def __str__(self) -> str:
        return f"{self.email} ({'verified' if self.verified_at else 'unverified'})"


class DeadlineReminder(models.Model):
    """One reminder e-mailed to an unrepresented claimant for one time limit of their claim: the
    unique pair makes the job idempotent (one reminder per deadline, however often it runs)."""

    application_id = models.BigIntegerField(help_text="The claim (no foreign key: claims are deleted by SQL)")
    deadline_at = models.DateTimeField()
    phase = models.CharField(max_length=64)
    sent_to = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["application_id", "deadline_at"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} before {self.deadline_at:%Y-%m-%d}"
