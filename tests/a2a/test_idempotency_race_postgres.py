"""Concurrent repeats with one ``Idempotency-Key`` get the first answer, byte for byte, and the change
is made once (issue 17 item 3). The repeat must wait on the key, not on the claim's row lock, where it
used to fail the activity GUID check with 409 STALE_ACTIVITY_GUID.

These need real concurrent transactions, so they run against PostgreSQL only (``make test-postgres``).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from django.db import connection
from django.test import Client

from claimsportal.claims.models import Claim, ClaimEvent
from tests.a2a.conftest import BASE, Callers
from tests.a2a.test_claims_over_http import send
from tests.conftest import CONCURRENT_POSTGRES, World, cnf

pytestmark = CONCURRENT_POSTGRES

ROUNDS = 20


def post_together(
    path: str, token: str, user: str | list[str], bodies: list[bytes], key: str
) -> list[tuple[int, bytes]]:
    """POST each body (as each user) at the same moment from its own thread (its own connection)."""
    users = user if isinstance(user, list) else [user] * len(bodies)
    barrier = threading.Barrier(len(bodies), timeout=30)
    results: list[Any] = [None] * len(bodies)

    def worker(index: int) -> None:
        try:
            http = Client()
            barrier.wait()
            response = http.post(
                BASE + path,
                data=bodies[index],
                content_type="application/json",
                headers={
                    "Authorization": f"Bearer {token}",
                    "X-Login-As": users[index],
                    "Idempotency-Key": key,
                },
            )
            results[index] = (response.status_code, response.content)
        except BaseException as exc:  # reported below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a worker thread hung"
    assert all(isinstance(r, tuple) for r in results), results
    return results


def test_racing_repeats_of_an_operation_get_the_first_answer_and_move_the_claim_once(
    callers: Callers, world: World
) -> None:
    for round_ in range(ROUNDS):
        info = send(callers, world)
        body = json.dumps({"activityEngineGuid": info["activityEngineGuid"]}).encode()
        path = f"/claims/{int(info['applicationId'])}/acceptClaim"
        first, second = post_together(
            path, callers.comp.token, world.comp_handler.user_id, [body, body], f"accept-{round_}"
        )
        assert first[0] == second[0] == 200, (round_, first, second)
        assert first[1] == second[1], "the repeat is the first answer, byte for byte"
        claim = Claim.objects.get(pk=int(info["applicationId"]))
        assert claim.phase == json.loads(first[1])["phaseCacheId"] == "Article75Decision"
        assert ClaimEvent.objects.filter(claim=claim).count() == 2  # sent, accepted once


def test_racing_repeats_of_add_claim_make_one_claim(callers: Callers, world: World) -> None:
    body = json.dumps({"claimType": "EL", "compensator": world.comp.path, "cnf": cnf("EL")}).encode()
    for round_ in range(ROUNDS // 4):
        before = Claim.objects.count()
        first, second = post_together(
            "/claims", callers.cr.token, world.cr_handler.user_id, [body, body], f"send-{round_}"
        )
        assert first[0] == second[0] == 201, (first, second)
        assert first[1] == second[1]
        assert Claim.objects.count() == before + 1


def test_the_same_key_for_another_request_at_once_is_refused(callers: Callers, world: World) -> None:
    """One key, the same body, two acting users (another request): one is done, the other refused."""
    users = [world.comp_handler.user_id, world.comp_leader.user_id]
    for round_ in range(ROUNDS // 4):
        info = send(callers, world)
        body = json.dumps({"activityEngineGuid": info["activityEngineGuid"]}).encode()
        path = f"/claims/{int(info['applicationId'])}/acceptClaim"
        results = post_together(path, callers.comp.token, users, [body, body], f"other-{round_}")
        assert sorted(status for status, _ in results) == [200, 422], results
        refused = next(json.loads(content) for status, content in results if status == 422)
        assert refused["details"][0]["field"] == "Idempotency-Key"
        assert ClaimEvent.objects.filter(claim_id=int(info["applicationId"])).count() == 2
