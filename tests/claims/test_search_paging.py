"""A search paged by cursor returns exactly the claims of one long page, in the same order, for every
sort order and direction: ties on the sort key (claims sent in the same instant) are broken by
application ID, claims without a time limit come last by Priority, and a dated search in application
ID order pages like any other (``claims.selectors.search``: row-comparison cursors, the ID-sorted
date range)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from claimsportal.claims import selectors
from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.core.clock import FixedClock
from tests.conftest import World, send_claim, step


@pytest.fixture
def sent(world: World, clock: FixedClock) -> list[int]:
    """Five claims: three sent in one instant, then two more a minute apart; one acknowledged later
    (a new update time), one the compensator exits (no time limit any more)."""
    infos = [send_claim(world) for _ in range(3)]
    for _ in range(2):
        clock.advance(timedelta(minutes=1))
        infos.append(send_claim(world))
    clock.advance(timedelta(minutes=1))
    step(world, world.comp_handler, infos[0], "acceptClaim", insurerClaimReferenceNumber="INS-1")
    step(world, world.comp_handler, infos[3], "exitProcess", exitReasonCode="1", exitComment="Out")
    return [info.application_id for info in infos]


def _walk(actor: Any, criteria: selectors.SearchCriteria, limit: int) -> list[int]:
    found: list[int] = []
    cursor = None
    for _ in range(50):
        page = selectors.search(actor, criteria, cursor=cursor, limit=limit)
        found += [c.pk for c in page.claims]
        cursor = page.next_cursor
        if cursor is None:
            return found
    raise AssertionError("the cursor never ran out")


@pytest.mark.django_db
@pytest.mark.parametrize("field", list(selectors.SORT_FIELDS))
@pytest.mark.parametrize("order", ["Asc", "Desc"])
def test_pages_by_cursor_are_the_long_page_in_order(
    world: World, sent: list[int], field: str, order: str
) -> None:
    actor = world.actor(world.cr_handler)
    criteria = selectors.SearchCriteria(sortField=field, sortOrder=order)
    whole = [c.pk for c in selectors.search(actor, criteria, limit=200).claims]
    assert sorted(whole) == sorted(sent)
    for limit in (1, 2, 3):
        assert _walk(actor, criteria, limit) == whole
    column = selectors.SORT_FIELDS[field]
    rows = {c.pk: c for c in selectors.search(actor, criteria, limit=200).claims}
    keys = [(getattr(rows[pk], column), pk) for pk in whole]
    assert keys == sorted(keys, reverse=order == "Desc")


@pytest.mark.django_db
def test_claims_without_a_time_limit_come_last_by_priority(world: World, sent: list[int]) -> None:
    actor = world.actor(world.cr_handler)
    ascending = _walk(actor, selectors.SearchCriteria(sortField="Priority"), 2)
    without = [pk for pk in ascending if Claim.objects.get(pk=pk).deadline_at is None]
    assert without and ascending[-len(without) :] == without


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["Asc", "Desc"])
def test_a_dated_search_in_application_id_order_pages_like_the_long_page(
    world: World, sent: list[int], order: str
) -> None:
    actor = world.actor(world.comp_handler)
    today = clock.today()
    criteria = selectors.SearchCriteria(sentDateFrom=today, sentDateTo=today, sortOrder=order)
    whole = [c.pk for c in selectors.search(actor, criteria, limit=200).claims]
    assert whole == sorted(sent, reverse=order == "Desc")
    assert _walk(actor, criteria, 2) == whole
    tomorrow = today + timedelta(days=1)
    assert selectors.search(actor, selectors.SearchCriteria(sentDateFrom=tomorrow)).claims == []
