from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from claimsportal.organisations.models import User
from claimsportal.organisations.services import create_user
from claimsportal.publishing import maintenance, service
from tests.conftest import World
from tests.web.signing_in import in_section


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    maintenance.invalidate()
    service.RECORDER.flush()
    yield
    maintenance.invalidate()
    service.RECORDER.flush()


@pytest.fixture
def operator(world: World) -> User:
    user = create_user(
        organisation=world.cr, user_id="portal.operator", email="op@example.org", profiles="ADMINISTRATOR"
    ).user
    User.objects.filter(pk=user.pk).update(is_operator=True, organisation=None, profiles=[])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def operator_client(operator: User) -> Client:
    client = Client()
    in_section(client, operator, "admin")
    return client
