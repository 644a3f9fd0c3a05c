"""The claim, its append-only event log and its deadline (ARCHITECTURE.md §4).

Claims change only through ``claims.services.perform`` (and the set-based timer sweep), never by
saving these models directly.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from django.db import models
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce, Upper

from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.protocols.timers import LONDON

# Search's sort keys that are not a column (claims.selectors.SORT_FIELDS): DispatchDate is the day the
# claim was sent (a draft's creation), Priority the time limit, none last. The search indexes below
# are on these very expressions: PostgreSQL uses an expression index only for the same expression.
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=LONDON)
SORT_SENT = Coalesce("sent_at", "created_at", output_field=DateTimeField())
SORT_DEADLINE = Coalesce("deadline_at", Value(FAR_FUTURE), output_field=DateTimeField())


def _search_orders(side: str) -> list[models.Index]:
    """One side's claims (``cr``/``comp``) in each of search's sort orders but ApplicationId, ties by
    application ID: the first page and each next page (keyset) of a sorted search, and a date range
    (start, sent or dispatch date), are read in order from the index instead of sorting all the
    organisation's claims (docs/decisions.md, "Issue 20: every search order by index")."""
    organisation = F(f"{side}_organisation")
    return [
        models.Index(organisation, F("created_at"), F("application_id"), name=f"claim_{side}_by_start"),
        models.Index(organisation, F("updated_at"), F("application_id"), name=f"claim_{side}_by_update"),
        models.Index(organisation, SORT_SENT, F("application_id"), name=f"claim_{side}_by_sent"),
        models.Index(organisation, SORT_DEADLINE, F("application_id"), name=f"claim_{side}_by_deadline"),
    ]


class Claim(models.Model):
    application_id = models.BigAutoField(primary_key=True)
    claim_type = models.CharField(max_length=4)
    version_major = models.PositiveSmallIntegerField(default=7)
    version_minor = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=64)
    owner_side = models.CharField(max_length=4, null=True, blank=True)  # noqa: DJ001 - NULL: terminal, nobody owns it
    # Indexes are chosen for the hot path: every index costs an entry on every change of a claim, so
    # foreign keys covered by a composite index (or mostly NULL, with a partial index) get no index
    # of their own.
    cr_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    cr_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    comp_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    comp_branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    awaiting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        help_text="The organisation whose turn it is (worklists)",
    )
    cr_allocated_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    comp_allocated_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    locked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    activity_guid = models.UUIDField(default=uuid.uuid4)
    deadline_at = models.DateTimeField(null=True, blank=True)
    deadline_kind = models.CharField(max_length=32, blank=True, default="")
    deadline_anchor = models.DateField(null=True, blank=True)
    deadline_business_days = models.PositiveSmallIntegerField(default=0)
    deadline_further_days = models.PositiveSmallIntegerField(default=0)
    deadline_fixed_date = models.DateField(null=True, blank=True)
    state = models.JSONField(default=dict)
    cnf = models.JSONField(null=True, blank=True)
    claimant_surname = models.CharField(max_length=35, blank=True, default="")
    cr_reference = models.CharField(max_length=50, blank=True, default="")
    comp_reference = models.CharField(max_length=50, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()  # the last change: the retention policy's "last update"
    # Custody (docs/custody.md): when the claim entered its phase (the policy's "reached"), the
    # claimant's protection (claims.protection) and a GDPR deletion, which hides the claim at once.
    phase_entered_at = models.DateTimeField(null=True, blank=True)
    claimant_adult_on = models.DateField(null=True, blank=True)
    retention_floor = models.DateField(null=True, blank=True)
    gdpr_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(
                fields=["deadline_at"],
                name="claim_deadline_due",
                condition=models.Q(deadline_at__isnull=False),
            ),
            models.Index(fields=["awaiting_organisation", "updated_at"], name="claim_worklist"),
            # The worklist's default order: nearest time limit first, per awaiting organisation.
            models.Index(fields=["awaiting_organisation", "deadline_at"], name="claim_worklist_deadline"),
            # Each side's claims by phase, in application ID order (search's default sort): a search by
            # phase (how a case-management system polls) reads its page in order instead of walking
            # the primary key; one by phase and claim type filters the phase's claims on the type.
            models.Index(fields=["cr_organisation", "phase", "application_id"], name="claim_cr_search"),
            models.Index(fields=["comp_organisation", "phase", "application_id"], name="claim_comp_search"),
            # The API's worklist (getClaimsList): awaiting organisation, oldest application first, by
            # cursor; without it PostgreSQL walks the primary key past every other organisation's claims.
            models.Index(fields=["awaiting_organisation", "application_id"], name="claim_worklist_id"),
            # Search matches surname and references case-insensitively (``__iexact``: UPPER(x) = UPPER(%s)
            # on PostgreSQL), so the indexes are on UPPER(x): an index on x itself is never used for it.
            # with the application ID: a common surname's page comes in search's default order
            models.Index(Upper("claimant_surname"), F("application_id"), name="claim_claimant_surname_ci"),
            # The references too (issue 20): a reference many claims share still pages in order.
            models.Index(Upper("cr_reference"), F("application_id"), name="claim_cr_reference_ci"),
            models.Index(Upper("comp_reference"), F("application_id"), name="claim_comp_reference_ci"),
            *_search_orders("cr"),
            *_search_orders("comp"),
            # The retention sweep, rule by rule: a phase and its clock.
            models.Index(fields=["phase", "updated_at"], name="claim_phase_updated"),
            models.Index(fields=["phase", "phase_entered_at"], name="claim_phase_entered"),
            models.Index(
                fields=["gdpr_deleted_at"],
                name="claim_gdpr_deleted",
                condition=models.Q(gdpr_deleted_at__isnull=False),
            ),
            models.Index(
                fields=["locked_by"], name="claim_locked_by", condition=models.Q(locked_by__isnull=False)
            ),
            models.Index(
                fields=["cr_allocated_user"],
                name="claim_cr_allocated",
                condition=models.Q(cr_allocated_user__isnull=False),
            ),
            models.Index(
                fields=["comp_allocated_user"],
                name="claim_comp_allocated",
                condition=models.Q(comp_allocated_user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id:08d} {self.claim_type} {self.phase}"


class ClaimEvent(models.Model):
    """One entry of a claim's process history. Append-only: never updated, never deleted alone."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events", db_index=False)
    occurred_at = models.DateTimeField()
    operation = models.CharField(max_length=64)
    actor_user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_side = models.CharField(max_length=6)  # CR, COMP or SYSTEM
    phase_before = models.CharField(max_length=64)
    phase_after = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    activity_guid = models.UUIDField()
    deadline_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["claim", "id"], name="claimevent_history")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.operation} {self.phase_before}->{self.phase_after}"
