"""Shared by the transfer tests: the Administrators of each organisation, the operator, contacts, and
claims in each state a transfer must tell apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.drafts import create_draft
from claimsportal.claims.models import Claim
from claimsportal.organisations.models import Organisation, User
from claimsportal.organisations.services import create_user
from claimsportal.reference.calendar import get_calendar
from claimsportal.transfers import services
from claimsportal.transfers.models import Transfer
from tests.a2a.conftest import _fresh_a2a_caches, callers  # noqa: F401 - the A2A fixtures, for the visibility tests
from tests.claims.test_stage1_paths import OUTCOMES, reach
from tests.conftest import World, cnf, make_user, send_claim, step


@dataclass
class Admins:
    cr: User
    other_cr: User
    comp: User
    tpa: User
    operator: User


@pytest.fixture
def admins(world: World) -> Admins:
    operator = create_user(
        organisation=world.cr, user_id="portal.operator", email="op@example.org", profiles="ADMINISTRATOR"
    ).user
    User.objects.filter(pk=operator.pk).update(is_operator=True, organisation=None, profiles=[])
    return Admins(
        cr=User.objects.select_related("organisation").get(pk=world.cr_admin.pk),
        other_cr=make_user(world.other_cr, "other.admin", "ADMINISTRATOR"),
        comp=make_user(world.comp, "comp.admin", "ADMINISTRATOR"),
        tpa=make_user(world.tpa, "tpa.admin", "ADMINISTRATOR"),
        operator=User.objects.get(pk=operator.pk),
    )


def contact(who: str) -> services.Contact:
    return services.Contact(f"{who.title()} Contact", f"{who}.contact@example.org", "0113 496 0000")


def working_days_on(days: int) -> date:
    from claimsportal.core import clock

    return get_calendar().add_business_days(clock.today(), days)


def form(source: Organisation, destination: Organisation, **changes: Any) -> services.TransferForm:
    fields: dict[str, Any] = {
        "source_org_id": source.org_id,
        "destination_org_id": destination.org_id,
        "option": Transfer.Option.ALL,
        "preferred_date": working_days_on(5),
        "source_contact": contact("sending"),
        "destination_contact": contact("receiving"),
    }
    fields.update(changes)
    return services.TransferForm(**fields)


@dataclass
class Claims:
    active: list[ClaimInfo]
    draft: int
    ended: int


def cr_claims(world: World, active: int = 3) -> Claims:
    """``active`` RTA claims sent by the claimant firm, a draft, and a claim that has ended."""
    sent = [send_claim(world, surname=f"Active{i}") for i in range(active)]
    draft = create_draft(world.actor(world.cr_handler), "RTA", cnf("RTA", surname="Draft"))
    ended = reach(world, "RTA", "LiabilityDecision")
    _decided, acknowledgement, end, _ = OUTCOMES["N"]
    ended = step(world, world.comp_handler, ended, "sendLiabilityDecision", liabilityDecision="N")
    ended = step(world, world.cr_handler, ended, acknowledgement)
    assert Claim.objects.get(pk=ended.application_id).phase == end
    return Claims(sent, draft.application_id, ended.application_id)
