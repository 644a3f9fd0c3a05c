"""An A2A client per side of the shared world, and a small HTTP helper."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from claimsportal.a2a import auth, ratelimit
from claimsportal.organisations.models import Organisation, User
from claimsportal.organisations.services import create_a2a_client
from tests.conftest import World

BASE = "/a2a/v1"


@pytest.fixture(autouse=True)
def _fresh_a2a_caches() -> Iterator[None]:
    auth.clear_process_caches()
    ratelimit.reset()
    yield
    auth.clear_process_caches()
    ratelimit.reset()


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def code(self) -> str | None:
        return self.body.get("code") if isinstance(self.body, dict) else None

    @property
    def fields(self) -> list[str]:
        return [d["field"] for d in self.body.get("details", [])] if isinstance(self.body, dict) else []


@dataclass
class Caller:
    """A case-management system of one organisation: its credentials and an access token."""

    client_id: str
    secret: str
    token: str
    refresh_token: str
    http: Client

    def call(
        self,
        method: str,
        path: str,
        user: User | str | None,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> Answer:
        sent = {"Authorization": f"Bearer {token if token is not None else self.token}"}
        if user is not None:
            sent["X-Login-As"] = user if isinstance(user, str) else user.user_id
        sent.update(headers or {})
        kwargs: dict[str, Any] = {"headers": sent}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(self.http, method.lower())(BASE + path, **kwargs)
        try:
            parsed = json.loads(response.content) if response.content else None
        except ValueError:
            parsed = response.content.decode(errors="replace")
        return Answer(response.status_code, parsed, dict(response.headers))

    def get(self, path: str, user: User | str | None, **kw: Any) -> Answer:
        return self.call("GET", path, user, **kw)

    def post(self, path: str, user: User | str | None, body: Any = None, **kw: Any) -> Answer:
        return self.call("POST", path, user, body if body is not None else {}, **kw)


def token_request(http: Client, **form: str) -> Answer:
    response = http.post(f"{BASE}/token", data=json.dumps(form), content_type="application/json")
    return Answer(response.status_code, json.loads(response.content), dict(response.headers))


def caller_for(org: Organisation) -> Caller:
    created = create_a2a_client(organisation=org, name="CMS")
    http = Client()
    answer = token_request(
        http,
        grant_type="client_credentials",
        client_id=created.client.client_id,
        client_secret=created.secret,
    )
    assert answer.status == 200, answer.body
    return Caller(
        created.client.client_id,
        created.secret,
        answer.body["access_token"],
        answer.body["refresh_token"],
        http,
    )


@dataclass
class Callers:
    cr: Caller
    comp: Caller
    tpa: Caller
    other_cr: Caller


@pytest.fixture
def callers(world: World) -> Callers:
    return Callers(
        caller_for(world.cr), caller_for(world.comp), caller_for(world.tpa), caller_for(world.other_cr)
    )
