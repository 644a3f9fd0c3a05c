"""An unrepresented claimant registered through the service, beside the shared world."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.services import perform
from claimsportal.core import clock
from claimsportal.litigants import registration
from claimsportal.organisations.models import User
from tests.conftest import World
from tests.shorthands import cnf_for

PASSWORD = "Claims-Portal-2026!x"


def code_in_last_mail() -> str:
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)


def register(
    forename: str = "Alex",
    surname: str = "Morgan",
    email: str = "alex@example.net",
    user_id: str = "alex.morgan",
) -> User:
    started = registration.start(forename, surname, email)
    assert registration.verify(started.token, code_in_last_mail())
    return registration.create_account(
        started.token, user_id=user_id, password=PASSWORD, agreement_accepted=True
    )


def litigant_cnf(
    claim_type: str = "RTA", surname: str = "Morgan", changes: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """A complete CNF as an unrepresented claimant sends it: the tick, and the claimant signs."""
    form = cnf_for(claim_type, sent_on=clock.today(), surname=surname)
    form["applicationData"]["claimDetails"]["signatory"] = "C"
    form["claimAndClaimantDetails"]["claimantRepresentative"]["litigantInPerson"] = "1"
    for path, value in (changes or {}).items():
        node = form
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return form


def send_as_litigant(
    world: World, litigant: User, claim_type: str = "RTA", changes: dict[str, str | None] | None = None
) -> ClaimInfo:
    return perform(
        actor=world.actor(litigant),
        operation="addClaim",
        payload={
            "claimType": claim_type,
            "compensator": world.comp.path,
            "cnf": litigant_cnf(claim_type, changes=changes),
        },
    )


@pytest.fixture
def litigant(world: World) -> User:
    return register()
