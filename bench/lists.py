"""Lists and searches at scale: the A2A reads of one large insurer at two database sizes.

The claims are generated as ``generate`` does (``INSERT … SELECT … generate_series``), first
``--lists-small`` of them (default 100,000), then the rest up to ``--claims`` (default 1,000,000), so
the same requests are timed on the small and on the large database: a read that stays flat is
served by an index, one that grows with the table is a scan. The first insurer's claim handler
(``bench.comp.00``) holds a quarter of the claims, a large part of them awaiting it. One notification
per claim for the organisation that awaits it is generated with the claims (set-based, as the feed
would have them after a day of work).

Each request goes through the whole product in process (``django.test.Client``: middleware, bearer
token, ``X-Login-As``, django-ninja, the selectors and the JSON answer), not over HTTP: the figure is
the server's time for the read, without a load generator sharing the two CPUs. Each is run
``--lists-repeats`` times after one unmeasured call; the printed p50/p95/max are per request, with
the goal (p95 < 50 ms) beside them and the ratio large ÷ small.

Every SQL statement those requests send is then ``EXPLAIN ANALYZE``-d on the large database, and the
summary names the requests whose plans read more than a page's worth of ``claims_claim`` or
``notifications_notification`` (a sequential scan, an index scan filtering out many rows, a big sort).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.common import OtherLoad, Summary, checkpoint, machine_check, percentile, say, verdict

P95_GOAL_MS = 50.0
FLAT_GOAL = 2.0  # p95 at the large size at most this many times the small size's


@dataclass
class Timing:
    label: str
    samples_ms: list[float] = field(default_factory=list)
    rows: int = 0
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU per request (the server's work)

    def p(self, fraction: float) -> float:
        return percentile(sorted(self.samples_ms), fraction)

    def cpu_p(self, fraction: float) -> float:
        return percentile(sorted(self.cpu_ms), fraction) if self.cpu_ms else 0.0


@dataclass
class Reader:
    """The insurer's A2A caller, in process."""

    client: Any
    headers: dict[str, str]

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = self.client.get(path, params or {}, headers=self.headers)
        if answer.status_code != 200:
            raise SystemExit(
                f"bench: GET {path} {params} answered {answer.status_code}: {answer.content[:300]!r}"
            )
        body: dict[str, Any] = answer.json()
        return body


def _reader(world: Any) -> Reader:
    from django.test import Client

    from bench.generate import ensure_comp_users
    from claimsportal.a2a.auth import token_for_client_credentials
    from claimsportal.organisations.models import Organisation
    from claimsportal.organisations.services import create_a2a_client

    user = ensure_comp_users(world, 1)[0]
    organisation = Organisation.objects.get(pk=world.comp_org)
    created = create_a2a_client(organisation=organisation, name="bench lists")
    token = token_for_client_credentials(created.client.client_id, created.secret).access_token
    return Reader(Client(), {"Authorization": f"Bearer {token}", "X-Login-As": user})


def _notifications(first_id: int, last_id: int) -> int:
    """One notification per generated claim for the organisation awaiting it (set-based)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_notification (guid, organisation_id, claim_id, kind, message,"
            " deadline_at, created_at)"
            " SELECT gen_random_uuid(), c.awaiting_organisation_id, c.application_id, 'CHANGE',"
            " 'Claim ' || lpad(c.application_id::text, 8, '0') || ' changed', NULL,"
            " now() - interval '1 hour' + (c.application_id - %s) * interval '1 millisecond'"
            " FROM claims_claim AS c WHERE c.application_id BETWEEN %s AND %s"
            " AND c.awaiting_organisation_id IS NOT NULL",
            [last_id, first_id, last_id],
        )
        inserted = cursor.rowcount
        cursor.execute("VACUUM ANALYZE notifications_notification")
    return int(inserted)


def _sample(world: Any) -> dict[str, Any]:
    """Values the searches look for: a visible claim of the insurer's (id, CR and CM references)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.application_id, c.cr_reference, c.comp_reference, c.sent_at, b.branch_id"
            " FROM claims_claim AS c JOIN organisations_branch AS b ON b.id = c.comp_branch_id"
            " WHERE c.comp_organisation_id = %s AND c.comp_reference <> '' AND c.phase <> 'Draft'"
            " ORDER BY c.application_id DESC LIMIT 1",
            [world.comp_org],
        )
        application_id, cr_reference, comp_reference, sent_at, branch = cursor.fetchone()
    month_start = sent_at.date().replace(day=1)
    return {
        "branchPath": branch,
        "month": {"sentDateFrom": month_start.isoformat(), "sentDateTo": sent_at.date().isoformat()},
        "applicationId": f"{application_id:08d}",
        "CRReferenceNumber": cr_reference,
        "CMReferenceNumber": comp_reference,
        "sentDay": sent_at.date().isoformat(),
    }


def _requests(reader: Reader, sample: dict[str, Any]) -> list[tuple[str, Callable[[], int]]]:
    """(label, one request returning the rows it read) for every list and search."""

    def get(path: str, params: dict[str, Any] | None = None, key: str = "claims") -> Callable[[], int]:
        def call() -> int:
            return len(reader.get(path, params)[key])

        return call

    claims = "/a2a/v1/claims"
    search = "/a2a/v1/claims/search"
    day = sample["sentDay"]
    requests: list[tuple[str, Callable[[], int]]] = [
        ("worklist, first page", get(claims)),
        ("getClaim", lambda: len(reader.get(f"{claims}/{sample['applicationId']}")) and 1),
        ("search applicationId", get(search, {"applicationId": sample["applicationId"]})),
        ("search CRReferenceNumber", get(search, {"CRReferenceNumber": sample["CRReferenceNumber"]})),
        ("search CMReferenceNumber", get(search, {"CMReferenceNumber": sample["CMReferenceNumber"]})),
        ("search claimantSurname (no match)", get(search, {"claimantSurname": "Sm"})),
        ("search claimantSurname (common)", get(search, {"claimantSurname": "Smith"})),
        ("search claimType + phase", get(search, {"claimType": "EL", "phaseCacheId": "LiabilityDecision"})),
        ("search phase", get(search, {"phaseCacheId": "LiabilityDecision"})),
        ("search branchPath", get(search, {"branchPath": sample["branchPath"]})),
        ("search sent on one day", get(search, {"sentDateFrom": day, "sentDateTo": day})),
        ("search dispatched on one day", get(search, {"dispatchDateFrom": day, "dispatchDateTo": day})),
        ("search started on one day", get(search, {"startDateFrom": day, "startDateTo": day})),
        (
            "search sent in a month, newest first",
            get(search, {**sample["month"], "sortField": "DispatchDate", "sortOrder": "Desc"}),
        ),
        ("search by ApplicationId, newest first", get(search, {"sortOrder": "Desc"})),
    ]
    for field_name in ("StartDate", "UpdateDate", "DispatchDate", "Priority"):
        for order in ("Asc", "Desc"):
            requests.append(
                (
                    f"search by {field_name} {order}",
                    get(search, {"sortField": field_name, "sortOrder": order}),
                )
            )
    requests.append(
        ("notifications, first page", get("/a2a/v1/notifications", {"after": "0"}, key="notifications"))
    )
    return requests


def _cpu() -> float:
    return time.process_time()


def _time(call: Callable[[], int], repeats: int) -> tuple[list[float], list[float], int]:
    rows = call()  # one unmeasured call: caches, plans
    samples, cpu = [], []
    for _ in range(repeats):
        c0, t0 = _cpu(), time.perf_counter()
        rows = call()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((_cpu() - c0) * 1000)
    return samples, cpu, rows


# Next pages by cursor: (label, path, parameters, the answer's list, the cursor's parameter)
WALKS: list[tuple[str, str, dict[str, str], str, str]] = [
    ("worklist, pages 2-40 by cursor", "/a2a/v1/claims", {}, "claims", "cursor"),
    (
        "search by UpdateDate Desc, pages 2-40",
        "/a2a/v1/claims/search",
        {"sortField": "UpdateDate", "sortOrder": "Desc"},
        "claims",
        "cursor",
    ),
    (
        "search by Priority Asc, pages 2-40",
        "/a2a/v1/claims/search",
        {"sortField": "Priority", "sortOrder": "Asc"},
        "claims",
        "cursor",
    ),
    (
        "notifications, pages 2-40 by cursor",
        "/a2a/v1/notifications",
        {"after": "0"},
        "notifications",
        "after",
    ),
]


def _walk(
    reader: Reader, walk: tuple[str, str, dict[str, str], str, str], pages: int, walks: int
) -> tuple[list[float], list[float], int]:
    """Pages 2..``pages`` by cursor, ``walks`` times: one sample per page."""
    _label, path, params, key, cursor_param = walk
    samples: list[float] = []
    cpu: list[float] = []
    rows = 0
    for _ in range(walks):
        cursor = reader.get(path, params)["nextCursor"]
        for _page in range(2, pages + 1):
            if not cursor:
                break
            c0, t0 = _cpu(), time.perf_counter()
            body = reader.get(path, {**params, cursor_param: cursor})
            samples.append((time.perf_counter() - t0) * 1000)
            cpu.append((_cpu() - c0) * 1000)
            rows += len(body[key])
            cursor = body["nextCursor"]
    return samples, cpu, rows


def _page(reader: Reader, walk: tuple[str, str, dict[str, str], str, str], number: int) -> Callable[[], int]:
    """A call of page ``number`` of ``walk`` (the cursor read first)."""
    _label, path, params, key, cursor_param = walk
    query = dict(params)
    for _ in range(number - 1):
        cursor = reader.get(path, query)["nextCursor"]
        query = {**params, cursor_param: cursor}
    return lambda: len(reader.get(path, query)[key])


def measure(reader: Reader, sample: dict[str, Any], repeats: int, size: int) -> dict[str, Timing]:
    checkpoint()
    machine_check(f"lists at {size:,} claims")
    others = OtherLoad()
    timings: dict[str, Timing] = {}
    for label, call in _requests(reader, sample):
        samples, cpu, rows = _time(call, repeats)
        timings[label] = Timing(label, samples, rows, cpu)
    for walk in WALKS:
        samples, cpu, rows = _walk(reader, walk, 40, max(1, repeats // 20))
        timings[walk[0]] = Timing(walk[0], samples, rows, cpu)
    load = others.stop()
    for timing in timings.values():
        say(
            f"  {size:>9,} claims  {timing.label:<40} p50 {timing.p(0.5):6.1f} ms  p95 {timing.p(0.95):6.1f} ms"
            f"  max {max(timing.samples_ms):6.1f} ms  CPU p50 {timing.cpu_p(0.5):5.1f} ms  ({timing.rows} rows)"
        )
    if load > 0.1:
        say(f"    WARNING: other processes used {load:.0%} of the CPUs meanwhile")
    return timings


ROWS_READ_LIMIT = 10_000  # a page read by an index touches a few hundred rows at most


def _heavy_nodes(node: dict[str, Any], found: list[str]) -> None:
    """Plan nodes that read many rows of the big tables: a sequential scan, an index or bitmap scan that
    returns or filters out more than ``ROWS_READ_LIMIT`` rows, a sort of more than that many."""
    relation = node.get("Relation Name", "")
    kind = node.get("Node Type", "")
    touched = float(node.get("Actual Rows", 0)) * float(node.get("Actual Loops", 1)) + float(
        node.get("Rows Removed by Filter", 0)
    )
    if relation in BIG_TABLES and (kind == "Seq Scan" or touched > ROWS_READ_LIMIT):
        found.append(f"{kind} on {relation} ({touched:,.0f} rows)")
    if kind == "Sort" and touched > ROWS_READ_LIMIT:
        found.append(f"Sort of {touched:,.0f} rows")
    for child in node.get("Plans", []):
        _heavy_nodes(child, found)


BIG_TABLES = frozenset({"claims_claim", "notifications_notification"})


def explain(reader: Reader, sample: dict[str, Any], size: int) -> dict[str, tuple[list[str], float]]:
    """For each request (and page 20 of each walk): what its statements' plans (``EXPLAIN ANALYZE``)
    read of the big tables beyond a page's worth (``_heavy_nodes``), and their execution time in
    PostgreSQL (ms), which waiting for a CPU on a shared machine moves much less than the wall time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found: dict[str, tuple[list[str], float]] = {}
    calls = [*_requests(reader, sample), *((walk[0], _page(reader, walk, 20)) for walk in WALKS)]
    for label, call in calls:
        with CaptureQueriesContext(connection) as captured:
            call()
        heavy: list[str] = []
        executed = 0.0
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT") or not any(t in sql for t in BIG_TABLES):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                (plan,) = cursor.fetchone()
                document = plan if isinstance(plan, list) else json.loads(plan)
                _heavy_nodes(document[0]["Plan"], heavy)
                executed += float(document[0].get("Execution Time", 0.0))
        found[label] = (heavy, executed)
        say(
            f"  {size:>9,} claims  EXPLAIN {label:<40} {executed:7.2f} ms in PostgreSQL  "
            f"{'; '.join(heavy) if heavy else 'a page of rows, by index'}"
        )
    return found


def run(args: Any, summary: Summary) -> None:
    from bench.generate import ensure_world, generate_claims

    world = ensure_world()
    reader = _reader(world)
    small = min(args.lists_small, args.claims)
    sizes = [small] if small == args.claims else [small, args.claims]
    results: dict[int, dict[str, Timing]] = {}
    plans: dict[int, dict[str, tuple[list[str], float]]] = {}
    generated = 0
    for size in sizes:
        result = generate_claims(world, count=size - generated, due=(size - generated) // 10)
        notices = _notifications(result.first_id, result.last_id)
        say(f"  {notices:,} notifications generated")
        generated = size
        results[size] = measure(reader, _sample(world), args.lists_repeats, size)
        plans[size] = explain(reader, _sample(world), size)
    large = sizes[-1]
    at = " → ".join(f"{s:,}" for s in sizes)
    for label, timing in results[large].items():
        p95 = timing.p(0.95)
        value = f"{p95:.1f}"
        if len(sizes) > 1:
            before = results[sizes[0]][label].p(0.95)
            value = f"{before:.1f} → {p95:.1f} (x{p95 / before:.2f})"
        value += "; CPU p50 " + " → ".join(f"{results[s][label].cpu_p(0.5):.1f}" for s in sizes)
        value += "; in PostgreSQL " + " → ".join(f"{plans[s][label][1]:.2f}" for s in sizes)
        summary.add(
            "lists", f"{label}: p95 ms at {at}", value, f"< {P95_GOAL_MS:.0f}", verdict(p95 < P95_GOAL_MS)
        )
    for size in sizes:
        scanning = sorted(label for label, (heavy, _ms) in plans[size].items() if heavy)
        summary.add(
            "lists",
            f"EXPLAIN ANALYZE at {size:,}: reads > {ROWS_READ_LIMIT:,} rows of claims/notifications",
            ", ".join(scanning) if scanning else "none (every list and search reads a page by index)",
            "none",
            verdict(not scanning),
        )
