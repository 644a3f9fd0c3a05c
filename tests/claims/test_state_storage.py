"""A claim's protocol facts survive the database as written, on SQLite and on PostgreSQL's jsonb."""

from __future__ import annotations

import pytest

from claimsportal.claims.models import Claim
from claimsportal.protocols.state import ClaimState, heads_in_order
from tests.conftest import World, send_claim

pytestmark = pytest.mark.django_db

HEADS = {
    "11": {"gross": "3000.00", "percent": "0.00", "interest": "0.00"},
    "5": {"gross": "120.00", "percent": "0.00", "interest": "5.75"},
    "2": {"gross": "1200.00", "percent": "0.00", "interest": "0.00"},
}


def test_heads_of_damage_keep_the_claimants_order_through_the_database(world: World) -> None:
    # jsonb would return an object's keys as "2", "5", "11": the heads are stored as pairs instead.
    info = send_claim(world)
    state = ClaimState.from_json(Claim.objects.get(pk=info.application_id).state)
    Claim.objects.filter(pk=info.application_id).update(
        state=state.update(claimed_heads=HEADS, interim_heads={"8": HEADS["5"], "1": HEADS["2"]}).to_json()
    )
    stored = ClaimState.from_json(Claim.objects.get(pk=info.application_id).state)
    assert list(stored.claimed_heads) == ["11", "5", "2"]
    assert stored.claimed_heads == HEADS
    assert list(stored.interim_heads) == ["8", "1"]


def test_heads_written_as_an_object_are_still_read() -> None:
    assert heads_in_order({"11": HEADS["11"]}) == {"11": HEADS["11"]}
    assert heads_in_order([["5", HEADS["5"]], ["11", HEADS["11"]]]) == {"5": HEADS["5"], "11": HEADS["11"]}
