"""Sandbox mode: integrators move the clock and run the timers over HTTP to test their time limits."""

from __future__ import annotations

from typing import Any

import pytest

from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.core.clock import SystemClock, use_clock
from tests.a2a.conftest import caller_for
from tests.conftest import World, cnf

pytestmark = pytest.mark.django_db


def test_moving_the_clock_past_a_deadline_and_running_the_timers_fires_the_timeout(
    world: World, settings: Any
) -> None:
    settings.SANDBOX = True
    with use_clock(SystemClock()):
        cr = caller_for(world.cr)
        sent = cr.post(
            "/claims",
            world.cr_handler,
            {"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf("RTA")},
        )
        assert sent.status == 201, sent.body
        claim = Claim.objects.get(pk=int(sent.body["applicationId"]))
        assert claim.deadline_at is not None
        refused = cr.post("/sandbox/clock", world.cr_handler, {"advanceBusinessDays": 0})
        assert (refused.status, refused.fields) == (422, ["advanceBusinessDays"])
        both = cr.post(
            "/sandbox/clock", world.cr_handler, {"advanceBusinessDays": 1, "now": "2030-01-01T00:00"}
        )
        assert both.status == 422
        early = cr.post("/sandbox/runTimers", world.cr_handler)
        assert (early.status, early.body["timedOut"]) == (200, 0)
        moved = cr.post("/sandbox/clock", world.cr_handler, {"now": claim.deadline_at.isoformat()})
        assert moved.status == 200
        assert clock.now() >= claim.deadline_at
        # the client's token was issued before the jump and has expired in sandbox time: get another
        cr = caller_for(world.cr)
        fired = cr.post("/sandbox/runTimers", world.cr_handler)
        assert (fired.status, fired.body["timedOut"]) == (200, 1)
        claim.refresh_from_db()
        assert claim.phase == "LiabilityDecisionTimeout" and claim.owner_side == "CR"
        status = cr.get(f"/claims/{claim.pk}/status", world.cr_handler)
        assert status.body["claimInfo"]["phaseCacheId"] == "LiabilityDecisionTimeout"
