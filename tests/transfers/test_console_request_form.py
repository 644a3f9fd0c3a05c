"""The transfer request's choices (issue 18): the Administrator's own branches and users are choices,
the other organisation's are typed; a compensator picks the other compensator from a list (claimant
firms are never listed), a claimant firm's typed organisation ID is looked up exactly and its name shown
back before anything is filed; every choice is checked again on the server, and nothing is filed on any
error."""

from __future__ import annotations

import html as html_text
import json
import re
from typing import Any

import pytest
from django.utils import timezone

from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.organisations.services import create_organisation
from claimsportal.transfers.models import Transfer
from claimsportal.web.pickers import SELECT_LIMIT
from tests.conftest import World
from tests.transfers.conftest import Admins
from tests.transfers.test_console_pages import console, request_fields
from tests.web.signing_in import error_summary, page

NEW = "/console/transfers/new/"


def _inputs(html: str, name: str) -> list[dict[str, str]]:
    """The inputs (and options) named ``name``: their attributes."""
    found = []
    for tag in re.findall(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html):
        found.append(dict(re.findall(r'([\w-]+)="([^"]*)"', tag)))
    return found


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>', html, re.S)
    return (
        html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip())
        if found
        else ""
    )


def _receiving(other: Organisation, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "direction": "receive",
        "destination_branch_id": "",
        "destination_branch": "001",
        "destination_user": "",
        # the receiving side is ours: the sending contact is theirs, ours someone else than the admin
        "source_contact_email": "sam@other.example",
        "destination_contact_email": "rita@claimant.example",
    }
    return request_fields(other.org_id, **{**fields, **changes})


def test_own_branches_are_offered_as_checkboxes_with_unique_ids(world: World, admins: Admins) -> None:
    Branch.objects.create(organisation=world.cr, branch_id="004", name="Leeds")
    Branch.objects.create(organisation=world.cr, branch_id="005", name="York", enabled=False)
    html = page(console(admins.cr).get(NEW))
    boxes = _inputs(html, "source_branches")
    assert [b["value"] for b in boxes] == ["001", "004", "005"]
    assert all(b["type"] == "checkbox" for b in boxes)
    ids = [b["id"] for b in boxes]
    assert len(set(ids)) == 3 and all(html.count(f'id="{i}"') == 1 for i in ids)
    assert "004 Leeds" in html and "005 York (closed)" in html, "a closed branch's claims may still move"
    assert "002" not in [b["value"] for b in boxes], "another organisation's branch is not ours"
    assert "{#" not in html, "no template comment shown"


def test_sending_the_claims_of_chosen_branches_files_them(world: World, admins: Admins) -> None:
    Branch.objects.create(organisation=world.cr, branch_id="004", name="Leeds")
    answer = console(admins.cr).post(
        NEW, request_fields(world.other_cr.org_id, option="BRANCHES", source_branches=["001", "004"])
    )
    assert answer.status_code == 302, error_summary(answer)
    transfer = Transfer.objects.get()
    assert sorted(b.source_branch.branch_id for b in transfer.branches.select_related("source_branch")) == [
        "001",
        "004",
    ]
    assert {b.source_branch.organisation_id for b in transfer.branches.select_related("source_branch")} == {
        world.cr.pk
    }


def test_a_branch_of_another_organisation_posted_is_refused_on_its_field(
    world: World, admins: Admins
) -> None:
    client = console(admins.cr)
    sent = client.post(NEW, request_fields(world.other_cr.org_id, option="BRANCHES", source_branches=["002"]))
    assert sent.status_code == 200
    assert (
        _field_error(page(sent), "source_branches") == "Error: Choose only branches of your own organisation"
    )
    received = client.post(NEW, _receiving(world.other_cr, destination_branch="002"))
    assert received.status_code == 200
    assert "Claimant Firm LLP has no branch '002'" in _field_error(page(received), "destination_branch")
    assert not Transfer.objects.exists()


def test_a_user_of_another_organisation_posted_is_refused_on_its_field(world: World, admins: Admins) -> None:
    answer = console(admins.cr).post(
        NEW, _receiving(world.other_cr, destination_user=world.other_cr_handler.user_id)
    )
    assert answer.status_code == 200
    assert "Claimant Firm LLP has no user" in _field_error(page(answer), "destination_user")
    assert not Transfer.objects.exists()


def test_the_receiving_user_choice_lists_only_own_claims_users(world: World, admins: Admins) -> None:
    html = page(console(admins.cr).get(NEW))
    offered = {i["value"] for i in _inputs(html, "destination_user")} | set(
        re.findall(r'<option value="([^"]+)"', html)
    )
    own_claims_users = {
        u.user_id for u in User.objects.filter(organisation=world.cr, is_enabled=True) if u.claims_profiles()
    }
    assert own_claims_users and own_claims_users <= offered
    strangers = set(User.objects.exclude(organisation=world.cr).values_list("user_id", flat=True))
    assert not offered & strangers
    assert "cr.admin" not in offered, (
        "claims cannot be allocated to an Administrator without a claims profile"
    )


def test_receiving_with_our_own_branch_and_user_files_them(world: World, admins: Admins) -> None:
    answer = console(admins.cr).post(
        NEW,
        _receiving(world.other_cr, option="BRANCHES", source_branch_ids="001", destination_user="cr.handler"),
    )
    assert answer.status_code == 302, error_summary(answer)
    transfer = Transfer.objects.select_related("destination_branch", "destination_user").get()
    assert (transfer.source, transfer.destination) == (world.other_cr, world.cr)
    assert transfer.destination_branch.organisation == world.cr
    assert transfer.destination_user is not None and transfer.destination_user.user_id == "cr.handler"


def test_a_compensator_picks_the_other_compensator_but_never_a_claimant_firm(
    world: World, admins: Admins
) -> None:
    client = console(admins.comp)
    html = page(client.get(NEW))
    offered = [i["value"] for i in _inputs(html, "other_organisation")]
    assert set(offered) == {world.tpa.org_id, world.mib.org_id}
    assert world.comp.org_id not in offered
    assert "Claimant Firm LLP" not in html and "Other Firm" not in html
    # The search as you type answers the same list, to an Administrator only
    found = client.get("/console/pick/compensator/", {"q": ""})
    assert [o["value"] for o in json.loads(found.content)["options"]] == [world.mib.org_id, world.tpa.org_id]
    assert console(admins.cr).get("/console/pick/compensator/").status_code == 404
    assert console(world.comp_handler).get("/console/pick/compensator/").status_code == 403
    # A claimant firm posted instead is refused on the field, nothing filed
    refused = client.post(NEW, request_fields(world.other_cr.org_id, other_shown=""))
    assert refused.status_code == 200
    assert "is not a compensator" in _field_error(page(refused), "other_organisation")
    assert not Transfer.objects.exists()
    chosen = client.post(
        NEW,
        request_fields(
            world.tpa.org_id,
            other_shown="",
            source_contact_email="sam@insurer.example",
            destination_contact_email="rita@tpa.example",
        ),
    )
    assert chosen.status_code == 302, error_summary(chosen)
    assert Transfer.objects.get().destination == world.tpa


def test_a_typed_organisation_id_shows_its_name_back_before_anything_is_filed(
    world: World, admins: Admins
) -> None:
    client = console(admins.cr)
    found = client.post(NEW, request_fields(world.other_cr.org_id.lower(), other_shown="", _find="1"))
    assert found.status_code == 200 and not error_summary(found), "a Find is not a request"
    html = page(found)
    assert "The other organisation: <strong>Other Firm</strong>" in html
    assert f'name="other_shown" value="{world.other_cr.org_id}"' in html
    assert not Transfer.objects.exists()

    unseen = client.post(NEW, request_fields(world.other_cr.org_id, other_shown=""))
    assert unseen.status_code == 200
    assert f"you are asking to transfer claims to Other Firm ({world.other_cr.org_id})" in page(unseen), (
        "the name is shown first"
    )
    assert not Transfer.objects.exists()

    assert client.post(NEW, request_fields(world.other_cr.org_id)).status_code == 302
    assert Transfer.objects.get().destination == world.other_cr


@pytest.mark.parametrize("find", [True, False], ids=["find", "ask"])
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown", "There is no organisation with the ID CR99999"),
        ("compensator", "is not a claimant representative"),
        ("own", "is your own organisation"),
        ("disabled", "is disabled"),
    ],
)
def test_an_organisation_id_that_cannot_be_the_other_side_is_refused_on_its_field(
    world: World, admins: Admins, case: str, message: str, find: bool
) -> None:
    gone = create_organisation(org_type="CR", name="Gone Firm LLP")
    Organisation.objects.filter(pk=gone.pk).update(enabled=False)
    typed = {"unknown": "CR99999", "compensator": world.comp.org_id, "own": world.cr.org_id}.get(
        case, gone.org_id
    )
    fields = request_fields(typed, other_shown=typed, **({"_find": "1"} if find else {}))
    answer = console(admins.cr).post(NEW, fields)
    assert answer.status_code == 200
    html = page(answer)
    assert message in _field_error(html, "other_organisation")
    assert "The other organisation:" not in html and "Gone Firm" not in html and "Insurer plc" not in html
    assert not Transfer.objects.exists()


def test_a_long_list_of_our_users_is_a_search_that_works_without_javascript(
    world: World, admins: Admins
) -> None:
    now = timezone.now()
    User.objects.bulk_create(
        User(
            organisation=org,
            user_id=uid,
            email=f"{uid}@example.org",
            profiles=["RTA_CLAIM_HANDLER"],
            created_at=now,
        )
        for org, uid in [
            *((world.cr, f"zed.{n:02d}") for n in range(SELECT_LIMIT + 1)),
            (world.other_cr, "zed.stranger"),
        ]
    )
    client = console(admins.cr)
    html = page(client.get(NEW))
    assert 'name="destination_user-q"' in html and 'data-url="/console/pick/user/"' in html
    searched = client.post(
        NEW, _receiving(world.other_cr, **{"_pick": "destination_user", "destination_user-q": "zed.1"})
    )
    assert searched.status_code == 200 and not error_summary(searched), "a search is not a request"
    found = [i["value"] for i in _inputs(page(searched), "destination_user")]
    assert found == [f"zed.{n}" for n in range(10, 20)]
    assert not Transfer.objects.exists()
    # The search as you type: our users only
    answer = json.loads(client.get("/console/pick/user/", {"q": "zed"}).content)
    values = [o["value"] for o in answer["options"]]
    assert answer["more"] and "zed.stranger" not in values and all(v.startswith("zed.") for v in values)
    assert client.get("/console/pick/claims/").status_code == 404
