"""Every list and search reads its page from an index, in order, on PostgreSQL (plan shapes, not timings).

Each query the worklist, the search (every criterion, every sort order and direction, first and next
page), the notifications feed and ``getClaim`` send is ``EXPLAIN``-ed with sequential scans, bitmap
scans and sorts priced out of reach (``enable_* = off``: the planner then takes them only when no index
can serve the query). The plan must read ``claims_claim`` through the index named for that shape, and,
for a page, sort nothing (a date range in application ID order reads its range from the date's index
and sorts the range's IDs: ``claims.selectors.search``): a query that needs a new index, or stops matching one (an expression index
serves only the very same expression), fails here instead of turning into a scan at a million claims
(``python -m bench lists`` measures those sizes).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claimsportal.claims import selectors
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.notifications import services as notification_services
from tests.conftest import World, send_claim, step

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans (make test-postgres)"),
]

BIG_TABLES = ("claims_claim", "notifications_notification")


def _nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("Plans", []) for n in _nodes(child))]


class _Undo(Exception):
    pass


def plans_of(
    call: Callable[[], Any], *, keep: str | None = None, sorting: bool = False
) -> list[list[dict[str, Any]]]:
    """The plan nodes of each statement ``call`` sends to the big tables, planned with sequential
    scans (and, unless ``sorting``, bitmap scans and sorts) disabled, so that only the absence of a
    fitting index leaves one in the plan; with ``keep``, every other index of the big tables but
    their primary keys and constraints' is dropped first (and restored: all in a rolled-back
    transaction), so that on a test database's few rows the planner cannot pick just any index."""
    with CaptureQueriesContext(connection) as captured:
        call()
    found: list[list[dict[str, Any]]] = []
    disabled = ["enable_seqscan"] + ([] if sorting else ["enable_bitmapscan", "enable_sort"])
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _explain(cursor, captured.captured_queries, disabled, keep, found)
            raise _Undo
    except _Undo:
        pass
    assert found, "no statement read the claims or the notifications"
    return found


def _explain(
    cursor: Any, queries: list[dict[str, Any]], disabled: list[str], keep: str | None, found: list[Any]
) -> None:
    if keep is not None:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index AS i"
            " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)",
            [list(BIG_TABLES)],
        )
        for (name,) in cursor.fetchall():
            if name != keep:
                cursor.execute(f'DROP INDEX "{name}"')
    for setting in disabled:
        cursor.execute(f"SET LOCAL {setting} = off")
    for query in queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT") and any(t in sql for t in BIG_TABLES):
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
            document = plan if isinstance(plan, list) else json.loads(plan)
            found.append(_nodes(document[0]["Plan"]))


PKEY = "claims_claim_pkey"


def assert_reads_by(
    call: Callable[[], Any],
    index: str,
    *,
    table: str = "claims_claim",
    sorting: bool = False,
    or_primary_key: bool = False,
) -> None:
    """The first statement reads ``table`` through ``index`` (or, ``or_primary_key``, a page in
    application ID order, the primary key: at scale PostgreSQL walks it when the organisation's
    claims are dense) and, unless ``sorting`` (a date range: its rows are read from the index, then
    sorted), sorts nothing; no statement scans a big table
    sequentially."""
    first, *rest = plans_of(call, keep=index, sorting=sorting)
    described = json.dumps(first, indent=1)[:3000]
    on_table = [n for n in first if n.get("Relation Name") == table]
    assert on_table, described
    assert on_table[0]["Node Type"] in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan"), described
    used = {n.get("Index Name") for n in first}
    assert index in used or (or_primary_key and PKEY in used), described
    if not sorting:
        assert not [n for n in first if n["Node Type"] == "Sort"], described
    for nodes in [first, *rest]:
        assert not [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in BIG_TABLES]


@pytest.fixture
def claims(world: World) -> list[int]:
    """Three claims with the insurer: one acknowledged, two waiting for it."""
    sent = [send_claim(world) for _ in range(3)]
    step(world, world.comp_handler, sent[0], "acceptClaim", insurerClaimReferenceNumber="INS-1")
    return [info.application_id for info in sent]


def _search(actor: Actor, *, cursor_from: int = 0, **criteria: Any) -> Callable[[], Any]:
    """A search by ``criteria``; with ``cursor_from``, the page after the first ``cursor_from`` rows."""
    wanted = selectors.SearchCriteria(**criteria)
    cursor = None
    if cursor_from:
        cursor = selectors.search(actor, wanted, limit=cursor_from).next_cursor
        assert cursor is not None
    return lambda: selectors.search(actor, wanted, cursor=cursor, limit=1)


SORT_INDEXES = {
    "StartDate": "by_start",
    "UpdateDate": "by_update",
    "DispatchDate": "by_sent",
    "Priority": "by_deadline",
}


@pytest.mark.django_db
@pytest.mark.parametrize("side", ["cr", "comp"])
@pytest.mark.parametrize("order", ["Asc", "Desc"])
@pytest.mark.parametrize("field", list(SORT_INDEXES))
@pytest.mark.parametrize("page", ["first", "next"])
def test_a_sorted_search_reads_its_page_in_order_from_the_sides_index(
    world: World, claims: list[int], side: str, order: str, field: str, page: str
) -> None:
    actor = world.actor(world.cr_handler if side == "cr" else world.comp_handler)
    call = _search(actor, sortField=field, sortOrder=order, cursor_from=1 if page == "next" else 0)
    assert_reads_by(call, f"claim_{side}_{SORT_INDEXES[field]}")


@pytest.mark.django_db
@pytest.mark.parametrize("side", ["cr", "comp"])
@pytest.mark.parametrize(
    ("criteria", "index"),
    [
        ({"sentDateFrom": "today", "sentDateTo": "today"}, "by_sent"),
        ({"dispatchDateFrom": "today", "dispatchDateTo": "today"}, "by_sent"),
        ({"startDateFrom": "today", "startDateTo": "today"}, "by_start"),
        ({"sentDateFrom": "today", "sortField": "DispatchDate", "sortOrder": "Desc"}, "by_sent"),
        ({"claimType": "RTA", "phaseCacheId": "ClaimSubmitted"}, "search"),
        ({"phaseCacheId": "ClaimSubmitted"}, "search"),
    ],
)
def test_a_search_by_dates_or_type_and_phase_reads_the_sides_index(
    world: World, claims: list[int], side: str, criteria: dict[str, Any], index: str
) -> None:
    actor = world.actor(world.cr_handler if side == "cr" else world.comp_handler)
    today = clock.today()
    given: dict[str, Any] = {k: (today if v == "today" else v) for k, v in criteria.items()}
    sorting = "sortField" not in given and index != "search"  # a date range in application ID order
    assert_reads_by(
        _search(actor, **given), f"claim_{side}_{index}", sorting=sorting, or_primary_key=index == "search"
    )
    if "sentDateFrom" in given:  # the same claims as a match on sent_at itself
        found = selectors.search(actor, selectors.SearchCriteria(**given)).claims
        assert {c.pk for c in found} == set(claims)


@pytest.mark.django_db
def test_a_search_by_reference_surname_or_application_id_reads_one_index_entry(
    world: World, claims: list[int]
) -> None:
    # On a test database's few rows the planner may as well walk the primary key (the page's order);
    # at scale the equality on the index wins (python -m bench lists prints those plans).
    comp = world.actor(world.comp_handler)
    claim = Claim.objects.get(pk=claims[0])
    assert_reads_by(_search(comp, CMReferenceNumber="ins-1"), "claim_comp_reference_ci", or_primary_key=True)
    assert_reads_by(
        _search(comp, CRReferenceNumber=claim.cr_reference.lower()),
        "claim_cr_reference_ci",
        or_primary_key=True,
    )
    assert_reads_by(
        _search(comp, claimantSurname="No-Such-Name"), "claim_claimant_surname_ci", or_primary_key=True
    )
    assert_reads_by(
        _search(comp, claimantSurname=claim.claimant_surname),
        "claim_claimant_surname_ci",
        or_primary_key=True,
    )
    assert_reads_by(_search(comp, applicationId=format_application_id(claim.pk)), PKEY)


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["Asc", "Desc"])
@pytest.mark.parametrize("page", ["first", "next"])
def test_a_search_in_application_id_order_reads_the_primary_key_in_order(
    world: World, claims: list[int], order: str, page: str
) -> None:
    comp = world.actor(world.comp_handler)
    assert_reads_by(_search(comp, sortOrder=order, cursor_from=1 if page == "next" else 0), PKEY)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["first", "next"])
def test_the_worklist_reads_the_awaiting_organisations_index(
    world: World, claims: list[int], page: str
) -> None:
    comp = world.actor(world.comp_handler)
    cursor = selectors.worklist(comp, limit=1).next_cursor if page == "next" else None
    assert page == "first" or cursor is not None
    assert_reads_by(
        lambda: selectors.worklist(comp, cursor=cursor, limit=1), "claim_worklist_id", or_primary_key=True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["first", "next"])
def test_the_notifications_feed_walks_its_index_and_checks_each_claim_by_primary_key(
    world: World, claims: list[int], page: str
) -> None:
    comp = world.actor(world.comp_handler)
    after = notification_services.feed(comp, limit=1).next_cursor if page == "next" else None

    def call() -> notification_services.NotificationPage:
        return notification_services.feed(comp, after=after, limit=1)

    assert len(call().notifications) == 1
    assert_reads_by(call, "notification_feed", table="notifications_notification")
    (nodes,) = plans_of(call, keep="notification_feed")
    on_claims = [n for n in nodes if n.get("Relation Name") == "claims_claim"]
    assert on_claims and all(n.get("Index Name") == PKEY for n in on_claims), nodes


@pytest.mark.django_db
def test_get_claim_reads_the_claim_by_primary_key(world: World, claims: list[int]) -> None:
    comp = world.actor(world.comp_handler)
    assert_reads_by(lambda: selectors.get_visible_claim(comp, claims[0], with_counts=True), PKEY)
