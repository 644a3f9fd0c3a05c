"""Retention periods are data (``core.RetentionPeriod``), seeded with the policy's values: change a
row and the purge or account job follows."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from claimsportal.a2a.models import CredentialFailure
from claimsportal.core import retention
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import RetentionPeriod
from claimsportal.core.worker import run_pass
from claimsportal.notifications.models import Notification
from claimsportal.organisations.models import AttemptCount, User
from tests.conftest import World, send_claim

pytestmark = pytest.mark.django_db


def set_period(what: retention.Retention, period: timedelta) -> None:
    RetentionPeriod.objects.update_or_create(name=what.name, defaults={"period": period, "policy": "test"})


def test_the_migration_seeds_the_policys_values() -> None:
    seeded = importlib.import_module("claimsportal.core.migrations.0003_job_heartbeats_and_retention_periods")
    assert [(name, period) for name, period, _ in seeded.SEED] == [(r.name, r.default) for r in retention.ALL]
    assert [policy for _, _, policy in seeded.SEED] == [r.policy for r in retention.ALL]


def test_a_missing_row_falls_back_to_the_policys_value() -> None:
    RetentionPeriod.objects.all().delete()
    assert retention.period(retention.NOTIFICATIONS) == timedelta(days=15)
    set_period(retention.NOTIFICATIONS, timedelta(days=20))
    assert retention.period(retention.NOTIFICATIONS) == timedelta(days=20)


def test_the_notifications_purge_follows_its_row(world: World, clock: FixedClock) -> None:
    send_claim(world)
    clock.advance(timedelta(days=6))
    assert run_pass()["notificationsPurged"] == 0, "15 days"
    set_period(retention.NOTIFICATIONS, timedelta(days=5))
    assert run_pass()["notificationsPurged"] == 1
    assert not Notification.objects.filter(kind="CHANGE").exists()


def test_the_idle_users_job_and_the_sign_in_check_follow_their_row(world: World, clock: FixedClock) -> None:
    clock.advance(timedelta(days=31))
    assert run_pass()["usersDisabledIdle"] == 0, "90 days"
    set_period(retention.IDLE_USERS, timedelta(days=30))
    assert run_pass()["usersDisabledIdle"] == User.objects.filter(organisation__isnull=False).count()
    assert not User.objects.get(pk=world.cr_handler.pk).is_enabled


def test_the_credential_failures_purge_follows_its_row_but_never_cuts_a_window_short(
    clock: FixedClock,
) -> None:
    CredentialFailure.objects.create(key="a", failures=3, window_started_at=clock.real_now())
    clock.advance(timedelta(minutes=10))
    set_period(retention.CREDENTIAL_FAILURES, timedelta(minutes=1))
    assert run_pass()["credentialFailuresPurged"] == 0, "the 15-minute window has not ended"
    set_period(retention.CREDENTIAL_FAILURES, timedelta(hours=1))
    clock.advance(timedelta(minutes=30))
    assert run_pass()["credentialFailuresPurged"] == 0, "kept an hour"
    clock.advance(timedelta(minutes=21))
    assert run_pass()["credentialFailuresPurged"] == 1


def test_the_jobs_command_shows_the_period_in_force(world: World) -> None:
    set_period(retention.DISABLED_USERS, timedelta(days=730))
    out = StringIO()
    call_command("jobs", stdout=out)
    rows = {row["name"]: row for row in json.loads(out.getvalue())["retention"]}
    assert rows["disabled-users"] == {
        "name": "disabled-users",
        "period": "730 days",
        "seconds": 730 * 86_400,
        "policy": "test",
        "stored": True,
    }


def test_sign_in_and_reset_attempt_counts_go_once_their_window_has_ended(clock: FixedClock) -> None:
    """The throttles' counts are kept only while a window can still refuse (the longest: an hour)."""
    now = clock.real_now()
    AttemptCount.objects.create(
        key="sign-in:account:old", failures=3, window_started_at=now - timedelta(hours=2)
    )
    AttemptCount.objects.create(
        key="reset:account:live", failures=1, window_started_at=now - timedelta(minutes=30)
    )
    figures = run_pass()
    assert figures["attemptCountsPurged"] == 1
    assert list(AttemptCount.objects.values_list("key", flat=True)) == ["reset:account:live"]
