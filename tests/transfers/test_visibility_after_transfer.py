"""After a transfer the claim is the destination's at once, through the A2A API and the web: the
source gets NOT_FOUND, the destination and the other party see it, with the transfer flag and the
"Claim Transfer" entry in its history."""

from __future__ import annotations

import pytest

from claimsportal.core.clock import FixedClock
from claimsportal.transfers import execution, services
from tests.a2a.conftest import Callers
from tests.conftest import World, make_user, send_claim
from tests.transfers.conftest import Admins, form

pytestmark = pytest.mark.django_db


def test_the_source_loses_the_claim_and_the_destination_gets_it_over_a2a(
    world: World, admins: Admins, callers: Callers, clock: FixedClock
) -> None:
    info = send_claim(world)
    number = f"{info.application_id:08d}"
    assert callers.cr.get(f"/claims/{number}", world.cr_handler).status == 200
    assert callers.other_cr.get(f"/claims/{number}", world.other_cr_handler).status == 404
    before = callers.comp.get(f"/claims/{number}", world.comp_handler).body
    assert before["transfersList"] == {"transferred": False, "transfers": []}

    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))
    execution.run_transfer(transfer.pk, now=clock.now())

    gone = callers.cr.get(f"/claims/{number}", world.cr_handler)
    assert (gone.status, gone.code) == (404, "NOT_FOUND")
    assert callers.cr.get(f"/claims/{number}/history", world.cr_handler).status == 404
    searched = callers.cr.get(f"/claims/search?applicationId={number}", world.cr_handler)
    assert searched.status == 200 and searched.body["claims"] == []

    mine = callers.other_cr.get(f"/claims/{number}", world.other_cr_handler)
    assert mine.status == 200, mine.body
    assert mine.body["claimantRepresentative"]["organisationId"] == world.other_cr.org_id
    flag = mine.body["transfersList"]
    assert flag["transferred"] is True
    (one,) = flag["transfers"]
    assert (one["transferId"], one["fromOrganisationId"], one["toOrganisationId"]) == (
        transfer.reference,
        world.cr.org_id,
        world.other_cr.org_id,
    )
    other_party = callers.comp.get(f"/claims/{number}", world.comp_handler)
    assert other_party.status == 200 and other_party.body["transfersList"]["transferred"] is True
    assert other_party.body["deadline"] == before["deadline"], "the timer keeps running"
    history = callers.other_cr.get(f"/claims/{number}/history", world.other_cr_handler).body
    assert history[0]["organisationId"] == world.cr.org_id, "the creator stays on record"
    assert history[-1]["operation"] == "claimTransferred" and history[-1]["side"] == "SYSTEM"

    feed = callers.cr.get("/notifications", world.cr_handler)
    assert feed.status == 200
    texts = [n["notificationMessage"] for n in feed.body["notifications"] if n["kind"] == "TRANSFERRED"]
    assert (
        f"The Claim {number} has been successfully transferred from {world.cr.name} to {world.other_cr.name}"
        in texts
    )


def test_the_source_loses_the_claim_and_the_destination_gets_it_on_the_web(
    world: World, admins: Admins, clock: FixedClock, client: object
) -> None:
    from django.test import Client

    from tests.web.signing_in import in_section

    assert isinstance(client, Client)
    info = send_claim(world)
    path = f"/claims/{info.application_id:08d}/"
    in_section(client, world.cr_handler, "claims")
    assert client.get(path).status_code == 200
    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))
    execution.run_transfer(transfer.pk, now=clock.now())
    assert client.get(path).status_code == 404
    other = Client()
    in_section(other, make_user(world.other_cr, "other.leader", "RTA_TEAM_LEADER"), "claims")
    page = other.get(path)
    assert page.status_code == 200
    assert "Claim Transfer" in page.content.decode()


def test_the_worklist_marks_a_transferred_claim_with_the_transfer_tag_and_its_hover_text(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    from django.test import Client

    from tests.web.signing_in import in_section

    info, untouched = send_claim(world), send_claim(world, compensator=world.tpa.path)
    transfer = services.operator_transfer(admins.operator, form(world.comp, world.tpa))
    execution.run_transfer(transfer.pk, now=clock.now())
    client = Client()
    in_section(client, world.tpa_handler, "claims")
    worklist = client.get("/").content.decode()
    moved_row = worklist.split(f">{info.application_id:08d}</a>", 1)[1].split("</tr>", 1)[0]
    assert 'title="Claim Transfer: this claim was moved to your organisation' in moved_row
    untouched_row = worklist.split(f">{untouched.application_id:08d}</a>", 1)[1].split("</tr>", 1)[0]
    assert "Transferred" not in untouched_row
