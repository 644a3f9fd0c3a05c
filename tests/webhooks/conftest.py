"""Webhook tests: private addresses allowed (the reference receiver listens on loopback), fresh
subscription caches, and a receiver whose clock is the tests' real time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from claimsportal.core import clock as clock_module
from claimsportal.organisations.models import Organisation
from claimsportal.webhooks import outbox, services
from claimsportal.webhooks.models import Endpoint
from tests.webhooks.receiver import Receiver, running_receiver


@pytest.fixture(autouse=True)
def _loopback_allowed(settings: Any) -> None:
    settings.CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES = True
    settings.CLAIMSPORTAL_WEBHOOK_TIMEOUT = 2.0


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as found:
        found.now = lambda: clock_module.real_now().timestamp()
        yield found


def subscribe(receiver: Receiver, organisation: Organisation, *kinds: str) -> Endpoint:
    created = services.register(organisation, None, url=receiver.url, events_wanted=list(kinds))
    receiver.secrets[created.endpoint.key_id] = created.secret
    return created.endpoint


__all__ = ["outbox", "subscribe"]
