"""Disabling a user or revoking a client takes effect on the next request in *every* process (issue 17
item 9): each request reads the credentials version once and trusts only cache entries made under it.

Another server process is simulated by this process's caches as that process would hold them: the
entries are copied before the change and put back after it (the change's own process empties its
caches; the others' entries stay until the version tells them otherwise). A subprocess would test
the same thing more slowly: what matters is that nothing but the database reaches the other process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction

from claimsportal.a2a import auth
from claimsportal.organisations import accounts, administration, credentials
from claimsportal.organisations.models import A2AClient, User
from tests.a2a.conftest import Callers
from tests.conftest import World

pytestmark = pytest.mark.django_db


@contextmanager
def in_another_process() -> Iterator[None]:
    """What happens inside reaches this process only through the database, as for another process."""
    with auth._lock:
        tokens, actors = dict(auth._tokens), dict(auth._actors)
    yield
    with auth._lock:
        auth._tokens.update(tokens)
        auth._actors.update(actors)


def admin(world: World) -> User:
    return User.objects.select_related("organisation").get(pk=world.cr_admin.pk)


CHANGES: dict[str, Callable[[World, Callers], object]] = {
    "user disabled by the Administrator": lambda world, callers: administration.set_enabled(
        admin(world), world.cr_handler.user_id, enabled=False, confirmed=True
    ),
    "user locked out": lambda world, callers: accounts.disable(
        User.objects.get(pk=world.cr_handler.pk), accounts.Disabled.LOCKOUT
    ),
    "client revoked by the Administrator": lambda world, callers: administration.revoke_a2a_client(
        admin(world), callers.cr.client_id
    ),
    "token revoked": lambda world, callers: auth.revoke_token(callers.cr.token),
    "secret changed": lambda world, callers: auth.change_secret(
        callers.cr.client_id, callers.cr.secret, "A-New-Secret-2026!xyz"
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_in_another_process_is_seen_on_the_next_request(
    callers: Callers, world: World, change: str
) -> None:
    assert callers.cr.get("/claims", world.cr_handler).status == 200  # token and user now cached
    assert auth._tokens and auth._actors
    with in_another_process():
        CHANGES[change](world, callers)
    assert auth._tokens and auth._actors, "this process still holds its entries"
    answer = callers.cr.get("/claims", world.cr_handler)
    assert (answer.status, answer.code) in {(401, "AUTH_INVALID"), (403, "LOGIN_AS_INVALID")}, answer.body


def test_without_the_version_moving_the_cache_is_used(callers: Callers, world: World) -> None:
    """The control: a change that bypasses the services (and so the version) is not seen at once,
    which is why every disabling and revoking service moves the version."""
    assert callers.cr.get("/claims", world.cr_handler).status == 200
    User.objects.filter(pk=world.cr_handler.pk).update(is_enabled=False)
    A2AClient.objects.filter(client_id=callers.cr.client_id).update(revoked_at=world.cr.created_at)
    assert callers.cr.get("/claims", world.cr_handler).status == 200, "served from the cache"
    credentials.bump()
    assert callers.cr.get("/claims", world.cr_handler).status == 401


def test_the_version_moves_with_the_change_not_without_it(world: World) -> None:
    before = credentials.current()

    def disable_then_fail() -> None:
        with transaction.atomic():
            accounts.disable(User.objects.get(pk=world.cr_handler.pk), accounts.Disabled.ADMIN)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        disable_then_fail()
    assert credentials.current() == before
    accounts.disable(User.objects.get(pk=world.cr_handler.pk), accounts.Disabled.ADMIN)
    assert credentials.current() == before + 1
