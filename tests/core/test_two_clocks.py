"""Two clocks: the business clock (moved in sandbox mode) drives deadlines and timers; real time drives
tokens, secrets, sign-in, lockouts and user inactivity, so moving the sandbox clock locks nobody out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.core.clock import FixedClock, SystemClock, use_clock
from claimsportal.core.worker import run_pass
from claimsportal.organisations import accounts
from claimsportal.organisations.models import User
from tests.a2a.conftest import caller_for, token_request
from tests.conftest import DEFAULT_NOW, World, cnf

pytestmark = pytest.mark.django_db

TWO_YEARS_ON = datetime(2028, 3, 2, 10, 0, tzinfo=DEFAULT_NOW.tzinfo)


class RealTime:
    """Real time that a test moves by hand (the business clock adds the sandbox offset to it)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_moving_the_sandbox_clock_two_years_keeps_token_secret_and_users_working(
    world: World, settings: Any
) -> None:
    settings.SANDBOX = True
    real = RealTime(DEFAULT_NOW)
    with use_clock(SystemClock(real=real)):
        cr = caller_for(world.cr)
        sent = cr.post(
            "/claims", world.cr_handler, {"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf()}
        )
        assert sent.status == 201, sent.body
        claim = Claim.objects.get(pk=int(sent.body["applicationId"]))
        assert claim.deadline_at is not None and claim.deadline_at < TWO_YEARS_ON

        moved = cr.post("/sandbox/clock", world.cr_handler, {"now": TWO_YEARS_ON.isoformat()})
        assert moved.status == 200, moved.body
        assert clock.now() >= TWO_YEARS_ON
        assert clock.real_now() == DEFAULT_NOW  # real time did not move

        # The same access token (issued a real minute ago) still works, for the same user.
        listed = cr.get("/claims", world.cr_handler)
        assert listed.status == 200, listed.body
        # Deadlines fire by the business clock.
        fired = cr.post("/sandbox/runTimers", world.cr_handler)
        assert (fired.status, fired.body["timedOut"]) == (200, 1)
        claim.refresh_from_db()
        assert claim.phase == "LiabilityDecisionTimeout"

        # The worker's account jobs follow real time: nobody is idle, expired or deleted.
        figures = run_pass()
        assert (figures["usersDisabledIdle"], figures["usersDeleted"]) == (0, 0)
        handler = User.objects.get(pk=world.cr_handler.pk)
        assert handler.is_enabled and handler.is_active
        outcome = accounts.sign_in(handler.user_id, "Passw0rd!Passw0rd", accounts.Section.CLAIMS)
        assert outcome.user is not None, outcome.message

        # An hour of real time later the token has expired; the same secret gets a new one.
        real.at = DEFAULT_NOW + timedelta(minutes=61)
        assert cr.get("/claims", world.cr_handler).status == 401
        renewed = token_request(
            cr.http, grant_type="client_credentials", client_id=cr.client_id, client_secret=cr.secret
        )
        assert renewed.status == 200, renewed.body
        again = cr.get("/claims", world.cr_handler, token=renewed.body["access_token"])
        assert again.status == 200, again.body


def test_outside_sandbox_mode_the_business_clock_is_real_time(world: World, settings: Any) -> None:
    settings.SANDBOX = False
    real = RealTime(DEFAULT_NOW)
    with use_clock(SystemClock(real=real)):
        assert clock.now() == clock.real_now() == DEFAULT_NOW
        with pytest.raises(RuntimeError, match="sandbox mode"):
            clock.set_sandbox_now(TWO_YEARS_ON)


def test_real_time_rules_ignore_a_business_clock_moved_past_them(world: World) -> None:
    """A user idle for 89 real days stays enabled although the business clock is years ahead."""
    moved = FixedClock(TWO_YEARS_ON, real=DEFAULT_NOW + timedelta(days=89))
    with use_clock(moved):
        assert run_pass()["usersDisabledIdle"] == 0
        assert accounts.sign_in("cr.handler", "Passw0rd!Passw0rd", accounts.Section.CLAIMS).user is not None
        moved.advance_real(timedelta(days=2))
        assert run_pass()["usersDisabledIdle"] > 0
