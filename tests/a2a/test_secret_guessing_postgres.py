"""The secret-guessing guard counts before it checks (issue 17 item 6): of 40 wrong secrets sent at
once for one client from one address, exactly ``CLIENT_LIMIT`` are checked; the rest get 429 with
``Retry-After``. Before, the guard checked first and counted afterwards, and 17 of 40 got through.

Real concurrent transactions: PostgreSQL only (``make test-postgres``).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from django.db import connection
from django.test import Client

from claimsportal.a2a import guessing
from claimsportal.a2a.models import CredentialFailure
from tests.a2a.conftest import BASE, Callers
from tests.conftest import CONCURRENT_POSTGRES

pytestmark = CONCURRENT_POSTGRES

ATTEMPTS = 40
ADDRESS = "198.51.100.9"


def test_forty_wrong_secrets_at_once_are_checked_at_most_ten_times(callers: Callers) -> None:
    barrier = threading.Barrier(ATTEMPTS, timeout=30)
    results: list[Any] = [None] * ATTEMPTS
    body = json.dumps(
        {"grant_type": "client_credentials", "client_id": callers.cr.client_id, "client_secret": "guess"}
    )

    def worker(index: int) -> None:
        try:
            http = Client(REMOTE_ADDR=ADDRESS)
            barrier.wait()
            response = http.post(f"{BASE}/token", data=body, content_type="application/json")
            results[index] = (response.status_code, json.loads(response.content), response.headers)
        except BaseException as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert all(isinstance(r, tuple) for r in results), results
    checked = [r for r in results if r[0] == 401]
    refused = [r for r in results if r[0] == 429]
    assert len(checked) == guessing.CLIENT_LIMIT, [r[0] for r in results]
    assert len(refused) == ATTEMPTS - guessing.CLIENT_LIMIT
    assert all(r[1]["code"] == "RATE_LIMITED" and int(r[2]["Retry-After"]) > 0 for r in refused)
    counts = dict(CredentialFailure.objects.values_list("key", "failures"))
    assert counts[f"client:{callers.cr.client_id.lower()}@{ADDRESS}"] == ATTEMPTS
    assert counts[f"address:{ADDRESS}"] == ATTEMPTS
