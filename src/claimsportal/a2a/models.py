"""Tokens and idempotency records of the A2A API. Tokens are stored as SHA-256 hashes only."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from claimsportal.organisations.models import A2AClient


class AccessToken(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", "Access token"
        REFRESH = "refresh", "Refresh token"

    token_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    client = models.ForeignKey(A2AClient, on_delete=models.CASCADE, related_name="tokens")
    family = models.UUIDField(help_text="An access token and its refresh token share a family")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["client", "expires_at"], name="a2a_token_client"),
            models.Index(fields=["family"], name="a2a_token_family"),
            models.Index(fields=["expires_at"], name="a2a_token_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} token of {self.client_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``: a repeat gets it back. A row
    without a status is a reservation (``a2a.idempotency``): its request is under way or was refused."""

    client = models.ForeignKey(A2AClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.TextField(blank=True, default="", help_text="The JSON text first sent, keys in order")
    created_at = models.DateTimeField()
    # The claim the answer is about: deleted with it (a2a.apps registers the on-delete hook).
    application_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_unique_per_client")
        ]
        indexes: ClassVar = [
            models.Index(fields=["created_at"], name="idempotency_created"),
            models.Index(
                fields=["application_id"],
                name="idempotency_claim",
                condition=models.Q(application_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.key}"


class CredentialFailure(models.Model):
    """Wrong secrets sent for one key (a client ID from one address, or one address for any client)
    in the current window: what ``a2a.guessing`` counts to stop guessing."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.failures} since {self.window_started_at:%Y-%m-%d %H:%M}"


class RateBucket(models.Model):
    """A client's shared token bucket (``a2a.ratelimit``): what every server process leases its
    requests from, so a client's rate holds across processes and machines. Real time, as epoch
    seconds (a rate limit is security: the business clock never moves it)."""

    client = models.OneToOneField(A2AClient, on_delete=models.CASCADE, primary_key=True)
    tokens = models.FloatField()  # left in the bucket after the last lease
    refilled_at = models.FloatField()  # epoch seconds of the last lease
    granted = models.IntegerField(default=0)  # what the last lease gave its process

    def __str__(self) -> str:
        return f"{self.client_id}: {self.tokens:.1f} tokens"
