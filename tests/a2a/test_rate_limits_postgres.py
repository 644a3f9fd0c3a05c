"""Forty requests of one client at once, from forty connections (as from several server processes):
the shared bucket grants exactly its burst, never more — the lease is one atomic statement.

Real concurrent transactions: PostgreSQL only (``make test-postgres``).
"""

from __future__ import annotations

import threading

from django.db import connection

from claimsportal.a2a import ratelimit
from claimsportal.organisations.services import create_a2a_client
from tests.conftest import CONCURRENT_POSTGRES, World

pytestmark = CONCURRENT_POSTGRES

CONNECTIONS = 40
BURST = 10


def test_forty_leases_at_once_grant_exactly_the_burst(world: World) -> None:
    client_pk = create_a2a_client(organisation=world.cr, name="racing").client.pk
    limits = ratelimit.Limits(rate=0.001, burst=BURST)  # leases of one token, no refill to speak of
    barrier = threading.Barrier(CONNECTIONS, timeout=30)
    granted: list[int | BaseException] = [0] * CONNECTIONS

    def worker(index: int) -> None:
        try:
            barrier.wait()
            granted[index] = ratelimit.lease(client_pk, limits)[0]
        except BaseException as exc:
            granted[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert all(isinstance(g, int) for g in granted), granted
    assert sum(g for g in granted if isinstance(g, int)) == BURST
