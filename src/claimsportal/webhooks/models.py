"""Webhook endpoints, their outbox of deliveries and each delivery's attempts (docs/webhooks.md)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models

from claimsportal.organisations.models import Organisation


class Endpoint(models.Model):
    """Where an organisation wants to hear of changes: an HTTPS URL, the events it wants and the
    secret the portal signs with (sealed: ``webhooks.sealing``; shown once, when it is made)."""

    endpoint_id = models.UUIDField(default=uuid.uuid4, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    url = models.CharField(max_length=500)
    description = models.CharField(max_length=120, blank=True)
    events = models.JSONField(default=list, help_text="The event kinds wanted (webhooks.events.KINDS)")
    key_id = models.CharField(max_length=40, help_text="Names the signing secret in each request")
    sealed_secret = models.TextField(help_text="The signing secret, encrypted and authenticated")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    secret_changed_at = models.DateTimeField()
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["organisation", "created_at"], name="webhook_endpoint_org")]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.url}"


class EndpointsVersion(models.Model):
    """One row (pk 1) whose stamp is replaced in the transaction of every endpoint change: each process
    caches which organisations want which events and trusts the cache only under the same stamp. A
    new random stamp, not a counter: a change rolled back can never make an old stamp current again."""

    stamp = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"webhook endpoints version {self.stamp}"


class Delivery(models.Model):
    """One event for one endpoint: an outbox row written in the change's transaction. ``claim_id``
    is a plain number, not a foreign key: a deleted claim's deletion event outlives the claim."""

    class Status(models.TextChoices):
        PENDING = "PENDING", "Waiting to be delivered"
        DELIVERED = "DELIVERED", "Delivered"
        PARKED = "PARKED", "Given up after 24 hours of retries"

    id = models.BigAutoField(primary_key=True)  # the order of the events of one claim
    event_id = models.UUIDField(help_text="The same for every endpoint and every retry: de-duplicate on it")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="+", db_index=False)
    claim_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=40)
    body = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.IntegerField(default=0)
    created_at = models.DateTimeField(help_text="Real time the change was written")
    retry_from = models.DateTimeField(
        help_text="The 24 hours of retries count from here (a redelivery restarts them)"
    )
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True, help_text="A worker is sending it")
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status = models.IntegerField(null=True, blank=True, help_text="HTTP status of the last attempt")
    last_latency_ms = models.IntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes: ClassVar = [
            # The log of an endpoint, newest first
            models.Index(fields=["endpoint", "-id"], name="webhook_delivery_log"),
            # The queue: pending rows in the order they fall due
            models.Index(
                fields=["next_attempt_at", "id"],
                name="webhook_delivery_due",
                condition=models.Q(status="PENDING"),
            ),
            # In order per claim: is an earlier event of this claim still pending for this endpoint?
            models.Index(
                fields=["endpoint", "claim_id", "id"],
                name="webhook_delivery_chain",
                condition=models.Q(status="PENDING"),
            ),
            # A lease: an endpoint's pending rows in ID order, without reading the rows already sent
            # (a backlog of a million after an outage is read a batch at a time)
            models.Index(
                fields=["endpoint", "id"],
                name="webhook_delivery_pending",
                condition=models.Q(status="PENDING"),
            ),
            models.Index(fields=["created_at"], name="webhook_delivery_purge"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_delivery_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id} to {self.endpoint_id}: {self.status}"


class Attempt(models.Model):
    """One try at sending a delivery: when, the answer's status (None: no answer), how long, why not."""

    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="+", db_index=False)
    attempted_at = models.DateTimeField()
    status = models.IntegerField(null=True, blank=True)
    latency_ms = models.IntegerField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["delivery", "id"], name="webhook_attempt_delivery")]

    def __str__(self) -> str:
        return f"attempt on {self.delivery_id} at {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.status}"
