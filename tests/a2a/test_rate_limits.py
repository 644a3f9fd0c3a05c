"""A client's rate limit is one bucket in the database, leased by every server process a few tokens at
a time: several processes together never give a client more than its rate (issue 20: "rate limits
that hold across servers"). Before, each process had a bucket of its own in memory, so P processes
gave a client P times its rate."""

from __future__ import annotations

import pytest
from django.test import override_settings

from claimsportal.a2a import ratelimit
from claimsportal.a2a.models import RateBucket
from claimsportal.organisations.models import A2AClient
from claimsportal.organisations.services import create_a2a_client
from tests.a2a.conftest import Callers
from tests.conftest import World

T0 = 1_900_000_000.0  # epoch seconds: the lease math on a clock of the test's own


@pytest.fixture
def client_pk(world: World) -> int:
    return create_a2a_client(organisation=world.cr, name="rate test").client.pk


def test_a_lease_takes_whole_tokens_and_the_bucket_refills_with_time(client_pk: int) -> None:
    limits = ratelimit.Limits(rate=10, burst=20)  # leases of 1 token: a tenth of a second's worth
    assert limits.lease == 1
    wide = ratelimit.Limits(rate=100, burst=40)
    assert wide.lease == 4, "at most a tenth of the burst"
    assert ratelimit.lease(client_pk, wide, now=T0) == (4, 36.0), "a new bucket starts full"
    for left in (32.0, 28.0, 24.0, 20.0, 16.0, 12.0, 8.0, 4.0, 0.0):
        assert ratelimit.lease(client_pk, wide, now=T0) == (4, left)
    assert ratelimit.lease(client_pk, wide, now=T0) == (0, 0.0), "empty: nothing granted"
    granted, left = ratelimit.lease(client_pk, wide, now=T0 + 0.025)
    assert (granted, round(left, 3)) == (2, 0.5), "2.5 tokens refilled: 2 granted"
    assert ratelimit.lease(client_pk, wide, now=T0 + 3600) == (4, 36.0), "refilled to the burst, no more"
    assert ratelimit.lease(client_pk, wide, now=T0 + 3599) == (4, 32.0), "a clock going back refills nothing"


@override_settings(CLAIMSPORTAL_A2A_RATE=0.001, CLAIMSPORTAL_A2A_BURST=3)
def test_processes_share_one_bucket(client_pk: int) -> None:
    """Each ``reset()`` is another server process (no tokens leased yet): three requests in all pass,
    spread over three processes, and the fourth is refused in whichever process it reaches."""
    for _process in range(3):
        ratelimit.reset()
        ratelimit.check_rate(client_pk)
    ratelimit.reset()
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.check_rate(client_pk)
    assert refused.value.code == "RATE_LIMITED" and refused.value.retry_after >= 1
    assert refused.value.details[0].field == "Authorization"


@override_settings(CLAIMSPORTAL_A2A_RATE=1000, CLAIMSPORTAL_A2A_BURST=2000)
def test_a_process_writes_the_bucket_once_per_lease(
    client_pk: int, django_assert_num_queries: object
) -> None:
    ratelimit.check_rate(client_pk)  # leases 50 tokens
    assert RateBucket.objects.get(client_id=client_pk).granted == 50
    with django_assert_num_queries(0):  # type: ignore[operator]
        for _ in range(49):
            ratelimit.check_rate(client_pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        ratelimit.check_rate(client_pk)


@override_settings(CLAIMSPORTAL_A2A_RATE=0.001, CLAIMSPORTAL_A2A_BURST=2)
def test_over_http_a_client_over_its_rate_gets_429_from_any_process(callers: Callers, world: World) -> None:
    assert callers.cr.get("/claims", world.cr_handler).status == 200
    ratelimit.reset()
    assert callers.cr.get("/claims", world.cr_handler).status == 200
    ratelimit.reset()
    limited = callers.cr.get("/claims", world.cr_handler)
    assert (limited.status, limited.code) == (429, "RATE_LIMITED")
    assert int(limited.headers["Retry-After"]) >= 1
    assert callers.comp.get("/claims", world.comp_handler).status == 200, "limits are per client"


def test_deleting_a_client_deletes_its_bucket(client_pk: int) -> None:
    ratelimit.lease(client_pk, ratelimit.Limits(rate=10, burst=20), now=T0)
    A2AClient.objects.filter(pk=client_pk).delete()
    assert not RateBucket.objects.filter(client_id=client_pk).exists()
