"""Retention periods as data (ARCHITECTURE.md §4 rule 6): how long each kind of record is kept, and how
long before an account rule applies. The purge and account jobs read them from ``core.RetentionPeriod``
(seeded by ``core/migrations/0003``); a row that is missing (e.g. a test database flushed after a
transactional test) falls back to the policy's value below, so nothing purges early or never."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from claimsportal.core.models import RetentionPeriod


@dataclass(frozen=True)
class Retention:
    name: str
    default: timedelta
    policy: str


NOTIFICATIONS = Retention(
    "notifications",
    timedelta(days=15),
    "Notifications are deleted 15 calendar days after they were created (business clock).",
)
IDEMPOTENCY_RECORDS = Retention(
    "idempotency-records",
    timedelta(hours=24),
    "A2A Idempotency-Key records are kept 24 hours, within which a repeated request gets the first answer.",
)
CREDENTIAL_FAILURES = Retention(
    "credential-failures",
    timedelta(minutes=15),
    "Counts of wrong A2A client secrets are deleted once their 15-minute window has ended "
    "(never sooner than the window itself).",
)
IDLE_USERS = Retention(
    "idle-users",
    timedelta(days=90),
    "A user who has not signed in for 90 calendar days is disabled (real time).",
)
DISABLED_USERS = Retention(
    "disabled-users",
    timedelta(days=365),
    "A user disabled for 12 months (365 days) who acted on no claim that still exists is deleted.",
)

ALL = (NOTIFICATIONS, IDEMPOTENCY_RECORDS, CREDENTIAL_FAILURES, IDLE_USERS, DISABLED_USERS)
BY_NAME = {retention.name: retention for retention in ALL}


def period(retention: Retention) -> timedelta:
    """The period in force: the table's row, else the policy's default."""
    stored = RetentionPeriod.objects.filter(name=retention.name).values_list("period", flat=True).first()
    return retention.default if stored is None else stored


def days(retention: Retention) -> int:
    """The period in whole calendar days (the account rules count days)."""
    return period(retention).days


def describe(value: timedelta) -> str:
    """``15 days``, ``24 hours``, ``15 minutes``: the largest unit that divides the period (a day is
    said in hours, as the policies say it)."""
    seconds = int(value.total_seconds())
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        count, rest = divmod(seconds, size)
        if count and not rest and (unit != "day" or count > 1):
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def listing() -> list[dict[str, object]]:
    """Every retention period in force, with its policy (``claimsportal jobs``)."""
    stored = {row.name: row for row in RetentionPeriod.objects.all()}
    out: list[dict[str, object]] = []
    for retention in ALL:
        row = stored.get(retention.name)
        value = retention.default if row is None else row.period
        out.append(
            {
                "name": retention.name,
                "period": describe(value),
                "seconds": int(value.total_seconds()),
                "policy": retention.policy if row is None else row.policy,
                "stored": row is not None,
            }
        )
    return out
