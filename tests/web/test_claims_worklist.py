"""The worklist: locked to me / other activities, sorted, filtered, keyset-paginated, and a fixed
number of queries per page (as for search and the claim page), however many claims there are."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.web import selectors
from claimsportal.web.selectors import WorklistQuery
from tests.conftest import World, send_claim, step

PASSWORD = "Passw0rd!Passw0rd"


def _sign_in(client: Client, user_id: str) -> None:
    assert client.login(username=user_id, password=PASSWORD)


def _ids(rows: list[selectors.WorklistRow]) -> list[str]:
    return [r.application_id for r in rows]


def _claims(world: World, count: int, **kwargs: Any) -> list[ClaimInfo]:
    return [send_claim(world, surname=f"Claimant{n}", **kwargs) for n in range(count)]


def _table(page: str, table_id: str) -> str:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    return match.group(0) if match else ""


def test_claims_locked_to_me_are_apart_from_the_others(world: World, client: Client) -> None:
    first, second = _claims(world, 2)
    step(world, world.comp_handler, second, "lockClaim")
    page = selectors.worklist(world.comp_handler)
    assert _ids(page.locked) == [format_application_id(second.application_id)]
    assert _ids(page.others) == [format_application_id(first.application_id)]
    leader = selectors.worklist(world.comp_leader)
    assert leader.locked == []
    assert leader.others[-1].locked_by == "comp.handler"  # a colleague's lock is shown
    _sign_in(client, "comp.leader")
    assert "Locked by comp.handler" in client.get("/").content.decode()


def test_sorted_by_application_id_time_limit_or_update_either_way(world: World, clock: FixedClock) -> None:
    pl = send_claim(world, "PL", surname="Later")  # 1 + 40 business days
    rta = send_claim(world, surname="Sooner")  # 15 business days
    mib = send_claim(world, surname="Middle", insurer_type="M")  # MIB: 30 business days
    clock.advance(timedelta(minutes=5))
    locked = step(world, world.comp_handler, rta, "lockClaim")
    step(world, world.comp_handler, locked, "unlockClaim")  # the latest update
    by = {info.application_id: format_application_id(info.application_id) for info in (pl, rta, mib)}
    user = world.comp_handler
    assert _ids(selectors.worklist(user).others) == [
        by[rta.application_id],
        by[mib.application_id],
        by[pl.application_id],
    ]
    query = WorklistQuery(sort="time-limit", descending=True)
    assert _ids(selectors.worklist(user, query).others) == [
        by[pl.application_id],
        by[mib.application_id],
        by[rta.application_id],
    ]
    query = WorklistQuery(sort="application-id", descending=True)
    assert _ids(selectors.worklist(user, query).others) == sorted(by.values(), reverse=True)
    query = WorklistQuery(sort="updated", descending=True)
    assert _ids(selectors.worklist(user, query).others)[0] == by[rta.application_id]


def test_filtered_by_claim_type_and_phase(world: World, client: Client) -> None:
    send_claim(world, "PL", surname="Publicola")
    send_claim(world, surname="Roadnight")
    user = world.comp_handler
    assert [r.claimant for r in selectors.worklist(user, WorklistQuery(claim_type="PL")).others] == [
        "Publicola"
    ]
    assert [r.claimant for r in selectors.worklist(user, WorklistQuery(phase="ClaimSubmitted")).others] == [
        "Roadnight"
    ]
    _sign_in(client, "comp.handler")
    page = client.get(
        "/", {"type": "RTA", "phase": "ClaimSubmitted", "sort": "bogus", "order": "desc"}
    ).content.decode()
    assert "Roadnight" in page and "Publicola" not in page
    assert 'aria-sort="descending"' in page  # an unknown sort falls back to the time limit
    assert "Clear filters" in page


def test_keyset_pages_neither_skip_nor_repeat_a_claim(world: World) -> None:
    infos = _claims(world, 7)
    expected = [format_application_id(i.application_id) for i in infos]
    for sort in selectors.SORTS:
        for descending in (False, True):
            seen: list[str] = []
            query = WorklistQuery(sort=sort, descending=descending)
            pages = []
            while True:
                page = selectors.worklist(world.comp_handler, query, page_size=3)
                pages.append(page)
                seen += _ids(page.others)
                if page.next_cursor is None:
                    break
                query = WorklistQuery(sort=sort, descending=descending, cursor=page.next_cursor)
            assert sorted(seen) == expected, (sort, descending)
            assert len(seen) == 7 and [len(p.others) for p in pages] == [3, 3, 1]
            assert pages[0].previous_cursor is None
            back = selectors.worklist(
                world.comp_handler,
                WorklistQuery(sort=sort, descending=descending, cursor=pages[2].previous_cursor or ""),
                page_size=3,
            )
            assert _ids(back.others) == _ids(pages[1].others)
            assert back.previous_cursor is not None and back.next_cursor is not None


def test_the_worklist_page_links_to_the_next_and_previous_pages(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _claims(world, 3)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    _sign_in(client, "comp.handler")
    page = client.get("/").content.decode()
    next_link = re.search(r'href="\?([^"]+)" rel="next"', page)
    assert next_link is not None and 'rel="prev"' not in page
    second = client.get("/?" + next_link.group(1).replace("&amp;", "&")).content.decode()
    assert len(re.findall(r'<th scope="row"', _table(second, "other-activities"))) == 1
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/", {"cursor": "not-a-cursor"}).status_code == 200  # a bad cursor: the first page


def test_a_handler_does_not_see_a_claim_allocated_to_a_colleague(world: World) -> None:
    info = send_claim(world)
    step(world, world.comp_leader, info, "allocateUser", targetUserID="comp.leader")
    assert selectors.worklist(world.comp_handler).others == []
    assert len(selectors.worklist(world.comp_leader).others) == 1


@pytest.mark.parametrize("claims", [2, 12])
def test_the_worklist_costs_the_same_number_of_queries_for_any_number_of_claims(
    world: World, client: Client, django_assert_max_num_queries: Any, claims: int
) -> None:
    infos = _claims(world, claims)
    step(world, world.comp_handler, infos[0], "lockClaim")
    _sign_in(client, "comp.handler")
    client.get("/")  # the calendar and the schema caches warm
    # session, user, organisation, locked to me, other activities, urgency counts, notifications
    # (+ the session's save), and the two banners every page may show (announcement, maintenance)
    with django_assert_max_num_queries(12):
        page = client.get("/", {"sort": "updated", "type": "RTA"}).content.decode()
    assert page.count('<th scope="row"') == claims


@pytest.mark.parametrize("claims", [2, 12])
def test_search_costs_the_same_number_of_queries_for_any_number_of_claims(
    world: World, client: Client, django_assert_max_num_queries: Any, claims: int
) -> None:
    _claims(world, claims)
    _sign_in(client, "comp.handler")
    client.get(reverse("claims:search"), {"claimType": "RTA"})
    # session, user, organisation, user agreement (Actor.for_user), the search (+ the session's save)
    # (+ the announcement and maintenance banners of every page)
    with django_assert_max_num_queries(10):
        page = client.get(
            reverse("claims:search"), {"claimType": "RTA", "sortField": "Priority"}
        ).content.decode()
    assert page.count('<th scope="row"') == claims


@pytest.mark.parametrize("forms", [1, 3])
def test_the_claim_page_costs_the_same_number_of_queries_for_any_number_of_forms(
    world: World, client: Client, django_assert_max_num_queries: Any, forms: int
) -> None:
    info = send_claim(world)
    for _ in range(forms):
        info = step(world, world.comp_handler, info, "lockClaim")
        info = step(world, world.comp_handler, info, "unlockClaim")
    _sign_in(client, "comp.handler")
    url = reverse("claim", args=[format_application_id(info.application_id)])
    client.get(url)
    # + the retention rules (when the claim will be deleted), the statement-of-truth wording of the CNF
    # and of the form, and the announcement and maintenance banners: constants, whatever the forms
    with django_assert_max_num_queries(17):
        assert client.get(url).status_code == 200
    assert Claim.objects.get(pk=info.application_id).phase == "ClaimSubmitted"
