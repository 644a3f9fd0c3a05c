"""The A2A notification feed: cursor polling and removal."""

from __future__ import annotations

import pytest

from claimsportal.core.clock import FixedClock
from tests.a2a.conftest import Callers
from tests.conftest import World, send_claim

pytestmark = pytest.mark.django_db


def test_the_a2a_feed_and_removal(world: World, clock: FixedClock, callers: Callers) -> None:
    send_claim(world)
    page = callers.comp.get("/notifications", world.comp_handler)
    assert page.status == 200 and len(page.body["notifications"]) == 1
    record = page.body["notifications"][0]
    assert set(record) == {
        "applicationId",
        "formattedDate",
        "notificationDateTime",
        "notificationGuid",
        "notificationMessage",
        "kind",
    }
    assert record["formattedDate"] == "02/03/2026 10:00"
    again = callers.comp.get(f"/notifications?after={page.body['nextCursor']}", world.comp_handler)
    assert again.body["notifications"] == [] and again.body["nextCursor"] == page.body["nextCursor"]
    assert callers.cr.get("/notifications", world.cr_handler).body["notifications"] == []
    gone = callers.comp.call("DELETE", f"/notifications/{record['notificationGuid']}", world.comp_handler)
    assert gone.status == 204
    missing = callers.comp.call("DELETE", f"/notifications/{record['notificationGuid']}", world.comp_handler)
    assert (missing.status, missing.code) == (404, "NOT_FOUND")
    assert callers.comp.get("/notifications?after=abc", world.comp_handler).fields == ["after"]
