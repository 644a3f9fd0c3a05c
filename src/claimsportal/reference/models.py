"""Reference data the operator maintains: the business calendar's added and removed days, the RTA
Insurer Index and the NHS hospital sites of ``getHospitalsList``."""

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


class Hospital(models.Model):
    """One NHS site from the Organisation Data Service (ODS) files, for ``getHospitalsList`` (WORKFLOW.md
    §7.2 ``hospital``). Loaded by ``import_hospitals`` (``reference.hospitals.import_ods_sites``); never
    deleted: a site the ODS closes keeps its row with its close date and is no longer returned.

    ``name_key`` and ``post_code_key`` are the search forms (``hospitals.name_key`` /
    ``hospitals.post_code_key``): upper-case letters and digits only. Both are indexed; on PostgreSQL
    Django adds a ``varchar_pattern_ops`` index to each (prefix ``LIKE``) and migration 0003 a trigram
    index on ``name_key`` (contains) when ``pg_trgm`` can be enabled."""

    ods_code = models.CharField("ODS organisation code", max_length=10, unique=True)
    name = models.CharField(max_length=100)
    address_line1 = models.CharField(max_length=100, blank=True)
    address_line2 = models.CharField(max_length=100, blank=True)
    address_line3 = models.CharField(max_length=100, blank=True)
    address_line4 = models.CharField(max_length=100, blank=True)
    post_code = models.CharField(max_length=8, help_text="Upper case, one space before the inward code")
    name_key = models.CharField(max_length=200, db_index=True, help_text="The name as searched")
    post_code_key = models.CharField(max_length=7, db_index=True, help_text="The postcode without spaces")
    open_date = models.DateField()
    close_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.ods_code} {self.name}"
