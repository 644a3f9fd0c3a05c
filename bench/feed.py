"""A polling client versus a cursor-feed client doing the same work: requests per completed claim.

A claimant firm's case-management system must notice each claim whose liability the compensator has
just admitted and acknowledge it (``acknowledgeLiabilityAdmitted``). The compensator decides
``--feed-claims`` claims at a steady pace over HTTP while the firm's worklist also holds
``--feed-background`` claims waiting for its own people (a counter-offer decision), as a real
worklist does. Two clients do the same job, one after the other, each with its own claims:

* **polling** (the pattern of WORKFLOW.md §7.4): every ``--feed-interval`` seconds read the whole
  worklist (``GET /claims``, every page), and for each claim whose ``activityEngineGuid`` changed since
  the last look read its status and the claim, then act when it is in LiabilityAdmitted;
* **feed**: every interval read ``GET /notifications?after=<cursor>``, and for each notification read
  the claim (``allowedOperations`` and its GUID) and act when ``acknowledgeLiabilityAdmitted`` is offered.

* **webhook** (docs/webhooks.md): the firm registers an endpoint for ``claim.handedOver``; the
  portal's ``webhook-deliveries`` job (run here in this process, as the worker runs it) pushes each
  signed event to a receiver on loopback, which checks the signature and acts on the body alone
  (application ID, phase, ``activityEngineGuid``, deadline and the notification's words are in it;
  its HTTP client refuses any read): one request per claim, the acknowledgement itself. Its
  liability decisions come from several threads at ``--webhook-rate`` per second together.

All talk to the same server as a real client would (HTTP on loopback). Each client's requests per
acknowledged claim are counted by purpose: to learn of changes (worklist, feed, status, getClaim) and
to do the work (the operation). The goal (>= 10x fewer than polling) is read on the former
(docs/decisions.md). Delivery after commit at 200 changes/s is measured by ``bench/webhooks.py``.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.common import Summary, say

BASE = "http://127.0.0.1:{port}/a2a/v1"


# What each request is for. Learning of changes: reading the worklist, the notifications feed, a
# claim's status or the claim itself. Doing the work: the operation the claim is waiting for, which
# every client must send however it learnt of the change.
LEARN = ("worklist", "feed", "status", "getClaim")
WORK = "operation"


def purpose(method: str, path: str) -> str:
    """Which of ``LEARN`` or ``WORK`` an A2A request of these clients is (by method and path)."""
    route = path.split("?", 1)[0].rstrip("/")
    if method == "POST":
        return WORK
    if route == "/claims":
        return "worklist"
    if route == "/notifications":
        return "feed"
    if route.endswith("/status"):
        return "status"
    if route.startswith("/claims/"):
        return "getClaim"
    raise ValueError(f"not a request of these clients: {method} {path}")


@dataclass
class ClientRun:
    style: str
    requests: int = 0
    acknowledged: int = 0
    seconds: float = 0.0
    by_purpose: dict[str, int] = field(default_factory=dict)

    @property
    def learning(self) -> int:
        """Requests spent learning of changes (everything but the operations)."""
        return sum(n for p, n in self.by_purpose.items() if p != WORK)

    @property
    def working(self) -> int:
        return self.by_purpose.get(WORK, 0)

    def per_claim(self, count: int) -> float:
        return count / max(1, self.acknowledged)


class ReadRefused(AssertionError):
    """A client that must act on what it was pushed tried to read the portal."""


class Http:
    """An A2A client's HTTP calls, counted by purpose. ``reads=False``: a client that must never
    read (the webhook client acts on the pushed body alone); a read raises ``ReadRefused``."""

    def __init__(self, port: int, token: str, user: str, *, reads: bool = True) -> None:
        self.base = BASE.format(port=port)
        self.headers = {"Authorization": f"Bearer {token}", "X-Login-As": user}
        self.reads = reads
        self.by_purpose: Counter[str] = Counter()

    @property
    def count(self) -> int:
        return sum(self.by_purpose.values())

    def reset(self) -> None:
        self.by_purpose.clear()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        kind = purpose(method, path)
        if kind != WORK and not self.reads:
            raise ReadRefused(f"{method} {path}: this client acts on the pushed body alone")
        self.by_purpose[kind] += 1
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            raw = answer.read()
        return json.loads(raw) if raw else None


def _decide_in_background(http: Http, claims: list[tuple[int, str]], per_second: float) -> threading.Thread:
    """The compensator: a full liability decision (admitted) on each claim, at a steady pace (one
    thread: see ``_decide_in_threads`` for higher rates)."""
    from claimsportal.protocols.forms.examples import insurer_response_example

    body = {"insurerResponse": insurer_response_example("RTA", "A")}

    def work() -> None:
        for application_id, guid in claims:
            http.call(
                "POST",
                f"/claims/{application_id}/sendLiabilityDecision",
                {"activityEngineGuid": guid, **body},
            )
            time.sleep(1 / per_second)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _worklist(http: Http) -> list[dict[str, Any]]:
    cursor = None
    rows: list[dict[str, Any]] = []
    while True:
        page = http.call("GET", "/claims?limit=200" + (f"&cursor={cursor}" if cursor else ""))
        rows += page["claims"]
        cursor = page["nextCursor"]
        if cursor is None:
            return rows


def warm_polling_state(http: Http) -> dict[str, str]:
    """The polling client's local table before the measurement (it has synchronised once already)."""
    seen = {row["applicationId"]: row["activityEngineGuid"] for row in _worklist(http)}
    http.reset()
    return seen


def _polling_client(http: Http, target: int, interval: float, seen: dict[str, str]) -> ClientRun:
    run = ClientRun("polling")
    started = time.monotonic()
    while run.acknowledged < target:
        for row in _worklist(http):
            number, guid = row["applicationId"], row["activityEngineGuid"]
            if seen.get(number) == guid:
                continue
            status = http.call("GET", f"/claims/{number}/status")
            claim = http.call("GET", f"/claims/{number}")
            guid = status["claimInfo"]["activityEngineGuid"]
            if "acknowledgeLiabilityAdmitted" in claim["allowedOperations"]:
                answer = http.call(
                    "POST", f"/claims/{number}/acknowledgeLiabilityAdmitted", {"activityEngineGuid": guid}
                )
                guid = answer["activityEngineGuid"]
                run.acknowledged += 1
            seen[number] = guid
        if run.acknowledged < target:
            time.sleep(interval)
    run.seconds = time.monotonic() - started
    run.requests = http.count
    run.by_purpose = dict(http.by_purpose)
    return run


def _feed_client(http: Http, target: int, interval: float) -> ClientRun:
    run = ClientRun("feed")
    cursor: str | None = None
    started = time.monotonic()
    while run.acknowledged < target:
        while True:
            page = http.call("GET", "/notifications?limit=200" + (f"&after={cursor}" if cursor else ""))
            cursor = page["nextCursor"]
            for notice in page["notifications"]:
                number = notice["applicationId"]
                claim = http.call("GET", f"/claims/{number}")
                if "acknowledgeLiabilityAdmitted" in claim["allowedOperations"]:
                    http.call(
                        "POST",
                        f"/claims/{number}/acknowledgeLiabilityAdmitted",
                        {"activityEngineGuid": claim["claimInfo"]["activityEngineGuid"]},
                    )
                    run.acknowledged += 1
            if not page["more"]:
                break
        if run.acknowledged < target:
            time.sleep(interval)
    run.seconds = time.monotonic() - started
    run.requests = http.count
    run.by_purpose = dict(http.by_purpose)
    return run


def _decide_in_threads(
    port: int, token: str, user: str, claims: list[tuple[int, str]], per_second: float, threads: int
) -> list[threading.Thread]:
    """The compensator deciding from ``threads`` connections at ``per_second`` together (one HTTP
    client cannot send 200 decisions a second one after the other)."""
    return [
        _decide_in_background(Http(port, token, user), claims[i::threads], per_second / threads)
        for i in range(threads)
    ]


@dataclass
class WebhookRun(ClientRun):
    latencies_ms: list[float] | None = None
    refused: int = 0
    duplicates: int = 0
    decided_per_second: float = 0.0
    complete_bodies: int = 0  # bodies carrying all the client needs to act (see ``_case_file_entry``)
    incomplete_bodies: int = 0


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


# What the webhook client reads from the pushed body to act (docs/webhooks.md, "The body"): none of
# it is read from the portal.
NEEDED = ("applicationId", "phaseCacheId", "activityEngineGuid", "deadline")


def _case_file_entry(body: dict[str, Any]) -> dict[str, Any] | None:
    """What a case-management system files from one pushed event: the claim's number, phase, the GUID
    to quote next, the time limit for its diary and the notification's words for the handler; None if
    the body lacks any of them (the client would then have to read the claim)."""
    claim = body.get("claim") or {}
    notice = body.get("notification") or {}
    if any(key not in claim for key in NEEDED) or not claim["activityEngineGuid"]:
        return None
    if not notice.get("notificationMessage"):
        return None
    return {**{key: claim[key] for key in NEEDED}, "notice": notice["notificationMessage"]}


def _webhook_client(http: Http, firm_pk: int, target: int, decide: Any, timeout: float = 600.0) -> WebhookRun:
    """Register an endpoint, run the delivery job, receive, verify and act on each hand-over from its
    body alone (``http`` refuses reads)."""
    import queue
    from datetime import datetime
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from django.conf import settings

    from claimsportal.jobs import runner
    from claimsportal.jobs.portal_jobs import PORTAL_JOBS, WEBHOOK_DELIVERIES
    from claimsportal.organisations.models import Organisation
    from claimsportal.webhooks import events, services, signing

    assert not http.reads, "the webhook client must act without reading the portal"
    run = WebhookRun("webhook", latencies_ms=[])
    todo: queue.Queue[tuple[str, str]] = queue.Queue()
    seen: set[str] = set()
    keys: dict[str, str] = {}
    case_file: dict[str, dict[str, Any]] = {}
    lock = threading.Lock()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            arrived = time.time()
            refused = signing.verify(keys, dict(self.headers.items()), raw, now=arrived)
            self.send_response(401 if refused else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            if refused:
                run.refused += 1
                return
            body = json.loads(raw)
            with lock:
                if body["eventId"] in seen:
                    run.duplicates += 1
                    return
                seen.add(body["eventId"])
                assert run.latencies_ms is not None
                run.latencies_ms.append(
                    1000 * (arrived - datetime.fromisoformat(body["occurredAt"]).timestamp())
                )
                entry = _case_file_entry(body)
                if entry is None:
                    run.incomplete_bodies += 1
                    return
                run.complete_bodies += 1
                case_file[entry["applicationId"]] = entry
            if body["kind"] == events.HANDED_OVER and entry["phaseCacheId"] == "LiabilityAdmitted":
                todo.put((entry["applicationId"], entry["activityEngineGuid"]))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = True  # the receiver is on loopback
    created = services.register(
        Organisation.objects.get(pk=firm_pk),
        None,
        url=f"http://127.0.0.1:{server.server_address[1]}/events",
        events_wanted=[events.HANDED_OVER],
    )
    keys[created.endpoint.key_id] = created.secret
    worker = runner.Worker(PORTAL_JOBS.only([WEBHOOK_DELIVERIES]))
    worker.start()
    started = time.monotonic()
    deciders = decide()
    decided_at: list[float] = []

    def watch() -> None:
        for thread in deciders:
            thread.join(timeout=600)
        decided_at.append(time.monotonic())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        while run.acknowledged < target and time.monotonic() - started < timeout:
            try:
                number, guid = todo.get(timeout=1.0)
            except queue.Empty:
                continue
            http.call("POST", f"/claims/{number}/acknowledgeLiabilityAdmitted", {"activityEngineGuid": guid})
            run.acknowledged += 1
    finally:
        watcher.join(timeout=600)
        run.decided_per_second = target / max(
            1e-9, (decided_at[0] if decided_at else time.monotonic()) - started
        )
        worker.stop()
        worker.join(timeout=30)
        server.shutdown()
        server.server_close()
    run.seconds = time.monotonic() - started
    run.requests = http.count
    run.by_purpose = dict(http.by_purpose)
    return run


def _firm(label: str, comp_org: int, comp_branch: int, claims: int, background: int) -> tuple[int, str, Any]:
    """A claimant firm of its own, its claims awaiting the compensator's liability decision, and a
    background worklist; returns (organisation pk, its user, the claims as (id, guid))."""
    from django.db import connection

    from bench.generate import BENCH_PASSWORD, World, generate_claims
    from claimsportal.organisations.services import create_organisation, create_user

    firm = create_organisation(org_type="CR", name=f"Bench {label} Firm LLP", claim_types="RTA,ELPL")
    user_id = f"bench.{label}.cms"
    create_user(
        organisation=firm,
        user_id=user_id,
        email=f"{user_id}@bench.invalid",
        profiles="RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER",
        password=BENCH_PASSWORD,
    )
    world = World([firm.pk], [comp_org], [comp_branch])
    if background:
        generate_claims(
            world,
            count=background,
            due=0,
            mix=[("RTA", "Stage2SettlementPackCounterOfferDecision", 1)],
            vacuum=False,
            label=f"{label} firm's background worklist",
        )
    generated = generate_claims(
        world, count=claims, due=0, mix=[("RTA", "LiabilityDecision", 1)], label=f"{label} firm's claims"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_id, activity_guid FROM claims_claim WHERE application_id BETWEEN %s AND %s"
            " ORDER BY application_id",
            [generated.first_id, generated.last_id],
        )
        rows = [(int(pk), str(guid)) for pk, guid in cursor.fetchall()]
    return firm.pk, user_id, rows


def run(args: Any, port: int, summary: Summary) -> None:
    from bench.generate import ensure_comp_users, ensure_world
    from claimsportal.a2a.auth import token_for_client_credentials
    from claimsportal.organisations.models import Organisation
    from claimsportal.organisations.services import create_a2a_client

    world = ensure_world()
    (decider,) = ensure_comp_users(world, 1)[:1]
    comp = Organisation.objects.get(pk=world.comp_org)
    comp_client = create_a2a_client(organisation=comp, name="bench compensator CMS")
    comp_token = token_for_client_credentials(comp_client.client.client_id, comp_client.secret).access_token
    results: list[ClientRun] = []
    webhook_rate = float(getattr(args, "webhook_rate", 200.0))
    for style in ("polling", "feed", "webhook"):
        firm_pk, user_id, claims = _firm(
            style, world.comp_org, world.comp_branches[0], args.feed_claims, args.feed_background
        )
        firm_client = create_a2a_client(
            organisation=Organisation.objects.get(pk=firm_pk), name=f"{style} CMS"
        )
        token = token_for_client_credentials(firm_client.client.client_id, firm_client.secret).access_token
        rate = webhook_rate if style == "webhook" else args.feed_rate
        say(
            f"{style} client: {len(claims)} claims decided at {rate:g}/s, worklist background "
            f"{args.feed_background:,}"
            + (f", polling every {args.feed_interval:g} s" if style != "webhook" else "")
        )
        client = Http(port, token, user_id, reads=style != "webhook")
        if style == "webhook":
            result: ClientRun = _webhook_client(
                client,
                firm_pk,
                len(claims),
                lambda claims=claims: _decide_in_threads(port, comp_token, decider, claims, webhook_rate, 8),
            )
        else:
            seen = warm_polling_state(client) if style == "polling" else {}
            decider_thread = _decide_in_background(Http(port, comp_token, decider), claims, args.feed_rate)
            if style == "polling":
                result = _polling_client(client, len(claims), args.feed_interval, seen)
            else:
                result = _feed_client(client, len(claims), args.feed_interval)
            decider_thread.join(timeout=600)
        _say_requests(result)
        results.append(result)
    _summarise_requests(results, summary)
    hooked = results[-1]
    if isinstance(hooked, WebhookRun):
        say(
            f"webhook: {hooked.complete_bodies} bodies carried the application ID, phase, GUID, deadline "
            f"and notification text ({hooked.incomplete_bodies} did not); {hooked.duplicates} duplicates, "
            f"{hooked.refused} refused signatures"
        )
        if hooked.latencies_ms:
            p50, p99 = _percentile(hooked.latencies_ms, 0.5), _percentile(hooked.latencies_ms, 0.99)
            say(
                f"webhook: {len(hooked.latencies_ms)} events delivered at {hooked.decided_per_second:.0f} "
                f"decisions/s over HTTP; after the change (body's occurredAt, before the commit) p50 "
                f"{p50:.0f} ms, p99 {p99:.0f} ms (the goal at 200 changes/s: the delivery measurement below)"
            )


def _say_requests(result: ClientRun) -> None:
    by = ", ".join(f"{purpose} {n:,}" for purpose, n in sorted(result.by_purpose.items()))
    say(
        f"{result.style}: {result.acknowledged} claims acknowledged with {result.requests:,} requests "
        f"({result.per_claim(result.requests):.2f} per claim) in {result.seconds:.1f} s: to learn of "
        f"changes {result.learning:,} ({result.per_claim(result.learning):.2f} per claim), to do the work "
        f"{result.working:,} ({result.per_claim(result.working):.2f}); {by or 'none'}"
    )


def _ratio(polling: float, other: float) -> str:
    return "none needed" if other == 0 else f"{polling / other:.1f}x fewer"


def _summarise_requests(results: list[ClientRun], summary: Summary) -> None:
    """Per client: requests to learn of changes, to do the work, in all (per completed claim); the
    goal (>= 10x fewer than polling) is read on the requests to learn of changes (docs/decisions.md,
    "Issue 21: the webhook benchmark's goals")."""
    from bench.common import verdict

    polling = next(r for r in results if r.style == "polling")
    p_learn, p_total = polling.per_claim(polling.learning), polling.per_claim(polling.requests)
    for result in results:
        learn = result.per_claim(result.learning)
        work = result.per_claim(result.working)
        total = result.per_claim(result.requests)
        label = f"requests per completed claim, {result.style}: learn / work / total"
        if result is polling:
            summary.add("api client", label, f"{learn:.2f} / {work:.2f} / {total:.2f}")
            continue
        summary.add(
            "api client",
            label,
            f"{learn:.2f} / {work:.2f} / {total:.2f} (learning {_ratio(p_learn, learn)}, "
            f"total {_ratio(p_total, total)} than polling)",
            ">= 10x fewer to learn of changes" if result.style == "webhook" else "",
            verdict(learn * 10 <= p_learn) if result.style == "webhook" else "",
        )
