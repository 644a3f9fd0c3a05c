"""Forms that ask once (issue 18): the firm's own details come from its organisation, branch and
user; an answer needed only in some cases says when, and is never marked "(optional)"."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from claimsportal.organisations.models import Branch, User
from claimsportal.presentation.cnf import section_node
from claimsportal.presentation.labels import CONDITIONS
from claimsportal.web.claims.schema_form import bind
from tests.conftest import World

PASSWORD = "Passw0rd!Passw0rd"


def _new_draft(client: Client) -> str:
    response = client.post(reverse("claims:new"), {"claimType": "RTA"})
    assert response.status_code == 302
    return str(response["Location"].rstrip("/").split("/")[-1])


def test_the_firms_details_are_filled_in_from_its_organisation_branch_and_user(
    world: World, client: Client
) -> None:
    branch = world.cr_handler.branch
    assert branch is not None
    Branch.objects.filter(pk=branch.pk).update(
        address={"street1": "2 Park Square", "city": "Leeds", "postCode": "LS1 2NE"},
        telephone="0113 496 0001",
        email="leeds@claimantfirm.example",
    )
    User.objects.filter(pk=world.cr_handler.pk).update(forename="Asha", surname="Patel")
    assert client.login(username="cr.handler", password=PASSWORD)
    number = _new_draft(client)
    page = client.get(
        reverse("claims:draft-page", args=[number, "claimAndClaimantDetails", "representative"])
    ).content.decode()
    prefix = "cnf.claimAndClaimantDetails.claimantRepresentative.companyDetails"
    for name, value in (
        ("companyName", "Claimant Firm LLP"),
        ("branchName", branch.name),
        ("emailAddress", "leeds@claimantfirm.example"),
        ("contactName", "Asha"),
        ("contactSurname", "Patel"),
        ("telephoneNumber", "0113 496 0001"),
        ("address.street1", "2 Park Square"),
        ("address.postCode", "LS1 2NE"),
    ):
        assert re.search(
            rf'name="{re.escape(prefix)}\.{re.escape(name)}"[^>]*value="{re.escape(value)}"', page
        ), name


def test_an_answer_needed_in_some_cases_says_when_and_is_not_optional() -> None:
    node = section_node("RTA", "accidentData")
    assert node is not None
    root = bind(node, {})
    fields = {f.path: f for f in root.walk()}
    seatbelt = fields["cnf.accidentData.accidentDetails.seatbelt"]
    assert not seatbelt.optional
    assert seatbelt.hint.startswith("Needed if the claimant was the driver or a passenger")
    node = section_node("RTA", "claimAndClaimantDetails")
    assert node is not None
    fields = {f.path: f for f in bind(node, {}).walk()}
    cmc = fields["cnf.claimAndClaimantDetails.claimantRepresentative.referralSourceInfo.cmcName"]
    assert not cmc.optional and "regulated claims management company" in cmc.hint
    nin = fields["cnf.claimAndClaimantDetails.claimantDetails.ninComment"]
    assert not nin.optional and "National Insurance number" in nin.hint
    assert fields["cnf.claimAndClaimantDetails.claimantDetails.personalDetails.middleName"].optional


def test_every_condition_names_a_field_of_some_form() -> None:
    from claimsportal.a2a.schemas import PAYLOAD_MODELS
    from claimsportal.presentation.form_tree import Node, form_tree

    found: set[str] = set()

    def walk(node: Node) -> None:
        for key in CONDITIONS:
            if node.path == key or node.path.endswith("." + key):
                found.add(key)
        for child in node.children:
            walk(child)
        if node.item is not None:
            walk(node.item)

    for by in PAYLOAD_MODELS.values():
        for model in by.values():
            walk(form_tree(model))
    assert set(CONDITIONS) == found


def test_reassigning_chooses_the_compensator_from_a_list(world: World, client: Client) -> None:
    from claimsportal.claims.acting import format_application_id
    from tests.conftest import send_claim

    info = send_claim(world)
    assert client.login(username="comp.handler", password=PASSWORD)
    url = reverse(
        "claims:operation", args=[format_application_id(info.application_id), "reassignToAnotherCM"]
    )
    page = client.get(url).content.decode()
    assert f'value="{world.tpa.path}"' in page and "TPA Ltd" in page  # another compensator, by name
    assert f'value="{world.comp.path}"' not in page  # not the one that has the claim
    assert 'name="organisationPath" type="text"' not in page
