"""Organisations, branches, users and A2A clients (ADMINISTRATION.md §1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from claimsportal.organisations.profiles import CLAIMS_PROFILES, ClaimsProfile, Profile
from claimsportal.protocols.types import Side


class Organisation(models.Model):
    class Type(models.TextChoices):
        CR = "CR", "Claimant representative"
        COMP = "COMP", "Compensator"

    class CompensatorType(models.TextChoices):
        INSURER = "I", "Insurer"
        SELF_INSURED = "S", "Self-insured"
        MIB = "M", "MIB"

    org_id = models.CharField("organisation ID", max_length=16, unique=True)
    org_type = models.CharField(max_length=4, choices=Type.choices)
    name = models.CharField(max_length=120)
    claim_types = models.JSONField(default=list, help_text='Claim type families: "RTA", "ELPL"')
    compensator_type = models.CharField(max_length=1, choices=CompensatorType.choices, blank=True, default="")
    group = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="Organisations of one group (brands, TPAs) may reassign to each other",
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    # Contact details (the administrators keep them current; name and ID change only through the operator)
    address = models.JSONField(default=dict, blank=True)
    telephone = models.CharField(max_length=30, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    ico_number = models.CharField("ICO registration number", max_length=20, blank=True, default="")
    regulator = models.CharField(max_length=10, blank=True, default="", help_text="CR: SRA, CILEX or BSB")
    regulator_number = models.CharField(max_length=30, blank=True, default="")
    software_house = models.CharField(
        max_length=120, blank=True, default="", help_text="A2A supplier, if any"
    )
    litigant_in_person = models.BooleanField(
        default=False,
        help_text="An unrepresented claimant's one-person CR account: one claim, in their own name",
    )

    class Meta:
        indexes: ClassVar = [models.Index(fields=["org_type", "name"])]

    def __str__(self) -> str:
        return f"{self.org_id} {self.name}"

    @property
    def path(self) -> str:
        return f"/{self.org_id}"

    @property
    def side(self) -> Side:
        return Side(self.org_type)


class Branch(models.Model):
    class Kind(models.TextChoices):
        CENTRAL_POINT = "CENTRAL_POINT", "Central Point"
        HANDLING_POINT = "HANDLING_POINT", "Handling Point"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="branches")
    branch_id = models.CharField(max_length=3)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HANDLING_POINT)
    enabled = models.BooleanField(default=True)
    address = models.JSONField(default=dict, blank=True)
    telephone = models.CharField(max_length=30, blank=True, default="")
    email = models.EmailField(blank=True, default="")

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "branch_id"], name="branch_id_unique_in_org"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(kind="CENTRAL_POINT", enabled=True),
                name="one_enabled_central_point",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.org_id}/{self.branch_id} {self.name}"


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(user_id__iexact=username)


class User(AbstractBaseUser):
    """A portal user. ``user_id`` is unique across the portal and case-insensitive; never an e-mail."""

    user_id = models.CharField("user ID", max_length=50)
    email = models.EmailField("MFA e-mail", max_length=254)
    forename = models.CharField(max_length=60, blank=True, default="")
    surname = models.CharField(max_length=60, blank=True, default="")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="users", null=True, blank=True)
    profiles = models.JSONField(default=list)
    is_enabled = models.BooleanField("enabled", default=True)
    is_active = models.BooleanField("active", default=True)
    is_operator = models.BooleanField(default=False, help_text="Claims Portal operator staff")
    expiry_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    # Sign-in rules (ADMINISTRATION.md §2.3-§2.5)
    failed_logins = models.PositiveSmallIntegerField(default=0, help_text="Consecutive failed sign-ins")
    disabled_reason = models.CharField(
        max_length=12,
        blank=True,
        default="",
        help_text="Why Enabled was cleared: LOCKOUT, INACTIVITY, EXPIRED or ADMIN",
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=True, help_text="First sign-in, or reset by an admin")
    password_changed_at = models.DateTimeField(null=True, blank=True)
    expiry_reminder_sent_for = models.DateField(
        null=True, blank=True, help_text="The expiry date the 14-day reminder was sent for"
    )
    # MFA by an authenticator app (TOTP, RFC 6238) instead of the e-mailed code, if the user set it up
    totp_secret = models.CharField(max_length=64, blank=True, default="")
    totp_enabled = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(default=0, help_text="The last time step used (no replay)")

    USERNAME_FIELD = "user_id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    objects = UserManager()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(Lower("user_id"), name="user_id_unique_case_insensitive"),
            models.UniqueConstraint(Lower("email"), "organisation", name="mfa_email_unique_in_org"),
        ]

    def __str__(self) -> str:
        return self.user_id

    @property
    def side(self) -> Side | None:
        return self.organisation.side if self.organisation_id and self.organisation else None

    @property
    def profile_set(self) -> frozenset[Profile]:
        return frozenset(Profile(p) for p in self.profiles)

    def claims_profiles(self) -> list[ClaimsProfile]:
        return [CLAIMS_PROFILES[p] for p in self.profile_set if p in CLAIMS_PROFILES]

    def is_in_date(self, today: date) -> bool:
        return self.expiry_date is None or today <= self.expiry_date

    def may_sign_in(self, today: date) -> bool:
        return self.is_enabled and self.is_active and self.is_in_date(today)

    def natural_key(self) -> tuple[Any, ...]:
        return (self.user_id,)


class A2AClient(models.Model):
    """Client credentials of an organisation's case-management system; the secret is stored hashed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="a2a_clients")
    client_id = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=256)
    previous_secret_hash = models.CharField(max_length=256, blank=True, default="")
    previous_secret_valid_until = models.DateTimeField(
        null=True, blank=True, help_text="After a rotation the old secret works until then"
    )
    name = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    secret_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the secret was last changed or rotated (None: when created)"
    )

    def __str__(self) -> str:
        return f"{self.client_id} ({self.organisation.org_id})"

    @property
    def secret_set_at(self) -> datetime:
        """Since when the current secret has been in use (its age counts towards the expiry)."""
        return self.secret_changed_at or self.created_at


class PasswordHistory(models.Model):
    """Earlier password hashes of a user, for the no-reuse rules."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    created_at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["user", "-created_at"], name="password_history_user")]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.created_at:%Y-%m-%d}"


class OneTimeCode(models.Model):
    """An e-mailed one-time code: the MFA code of a sign-in, or a password reset code."""

    class Purpose(models.TextChoices):
        SIGN_IN = "SIGN_IN", "Sign-in verification"
        PASSWORD_RESET = "PASSWORD_RESET", "Password reset"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["user", "purpose", "-created_at"], name="one_time_code_user")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} code of {self.user_id}"


class UserAgreement(models.Model):
    """A version of the user agreement the operator publishes; the newest published one is current."""

    version = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    published_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class AgreementAcceptance(models.Model):
    """An organisation's acceptance of an agreement version, by one of its administrators."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="agreements")
    agreement = models.ForeignKey(UserAgreement, on_delete=models.PROTECT, related_name="acceptances")
    accepted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "agreement"], name="one_acceptance_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} accepted {self.agreement_id}"


class OrganisationApplication(models.Model):
    """An organisation's online registration, waiting for the operator (target: 5 working days)."""

    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending"
        APPROVED = "APPROVED", "Approved"
        REJECTED = "REJECTED", "Rejected"

    reference = models.CharField(max_length=16, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    org_type = models.CharField(max_length=4, choices=Organisation.Type.choices)
    claim_types = models.JSONField(default=list)
    name = models.CharField(max_length=120)
    address = models.JSONField(default=dict)
    telephone = models.CharField(max_length=30)
    email = models.EmailField()
    ico_number = models.CharField(max_length=20)
    regulator = models.CharField(max_length=10, blank=True, default="")
    regulator_number = models.CharField(max_length=30, blank=True, default="")
    compensator_type = models.CharField(max_length=1, blank=True, default="")
    software_house = models.CharField(max_length=120, blank=True, default="")
    branches = models.JSONField(default=list, help_text="Names of the branches wanted besides 001")
    admin_user_id = models.CharField(max_length=50)
    admin_forename = models.CharField(max_length=60)
    admin_surname = models.CharField(max_length=60)
    admin_email = models.EmailField()
    submitted_at = models.DateTimeField()
    due_on = models.DateField(help_text="5 working days after submission")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rejection_reason = models.TextField(blank=True, default="")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes: ClassVar = [models.Index(fields=["status", "due_on"], name="application_queue")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name} ({self.status})"


class CredentialsVersion(models.Model):
    """One row (pk 1): a counter bumped in the same transaction as any change that must reach every
    server process at once (a user disabled or changed, a password changed, an A2A client revoked or
    its secret changed, an organisation disabled). Processes that cache credentials read it once per
    request and drop their cache when it moved (``organisations.credentials``)."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"credentials version {self.version}"


class AttemptCount(models.Model):
    """Attempts counted for one throttle key (``organisations.throttle``: sign-in and password-reset
    codes, per address and per account) in the current window."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["window_started_at"], name="attempt_count_window")]

    def __str__(self) -> str:
        return f"{self.key}: {self.failures} since {self.window_started_at:%Y-%m-%d %H:%M}"
