"""The RTA CNF's referral source: mandatory, and withheld from the compensator and from every PDF
(ADMINISTRATION.md §8.6, Release 6)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.test import Client

from claimsportal.claims.models import Claim
from claimsportal.claims.selectors import claim_detail
from claimsportal.core import clock
from claimsportal.documents.models import PrintableDocument
from claimsportal.documents.rendering import render_html
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms.withheld import without_withheld
from tests.conftest import World, cnf, send_claim

pytestmark = pytest.mark.django_db

PATH = "cnf.claimAndClaimantDetails.claimantRepresentative.referralSourceInfo"
PASSWORD = "Passw0rd!Passw0rd"


def _send(world: World, the_cnf: dict[str, Any]) -> Any:
    from claimsportal.claims.services import perform

    return perform(
        actor=world.actor(world.cr_handler),
        operation="addClaim",
        payload={"claimType": "RTA", "compensator": world.comp.org_id, "cnf": the_cnf},
    )


def _referral(the_cnf: dict[str, Any]) -> dict[str, Any]:
    info = the_cnf["claimAndClaimantDetails"]["claimantRepresentative"]["referralSourceInfo"]
    assert isinstance(info, dict)
    return info


def _errors(world: World, the_cnf: dict[str, Any]) -> dict[str, str]:
    count = Claim.objects.count()
    with pytest.raises(PortalError) as caught:
        _send(world, the_cnf)
    assert Claim.objects.count() == count
    return {d.field: d.message for d in caught.value.details}


def test_an_rta_cnf_without_a_referral_source_is_refused(world: World) -> None:
    the_cnf = cnf("RTA")
    del the_cnf["claimAndClaimantDetails"]["claimantRepresentative"]["referralSourceInfo"]
    assert _errors(world, the_cnf) == {PATH: "Field required"}


def test_a_regulated_cmc_needs_its_name_and_authorisation_number(world: World) -> None:
    the_cnf = cnf("RTA")
    _referral(the_cnf).update(referralSource="R", cmcName=None, mojcmcAuthorisationNumber=None)
    message = "is required when the referral source is R (a regulated CMC)"
    assert _errors(world, the_cnf) == {
        f"{PATH}.cmcName": message,
        f"{PATH}.mojcmcAuthorisationNumber": message,
    }
    # Another source needs neither.
    _referral(the_cnf)["referralSource"] = "N"
    assert _send(world, the_cnf).application_id


def test_the_compensator_never_sees_the_referral_source_and_the_claimant_side_does(world: World) -> None:
    info = send_claim(world)
    claim = Claim.objects.get(pk=info.application_id)
    stored = claim.cnf
    assert isinstance(stored, dict)
    assert _referral(stored)["cmcName"] == "Referrals Ltd"  # kept as sent
    today = clock.today()
    for_comp = claim_detail(world.actor(world.comp_handler), claim, today)
    for_cr = claim_detail(world.actor(world.cr_handler), claim, today)
    assert "referralSourceInfo" not in for_comp["cnf"]["claimAndClaimantDetails"]["claimantRepresentative"]
    sent = next(f for f in for_comp["submittedForms"] if f["operation"] == "addClaim")
    assert (
        "referralSourceInfo" not in sent["form"]["cnf"]["claimAndClaimantDetails"]["claimantRepresentative"]
    )
    assert "Referrals Ltd" not in str(for_comp)
    assert _referral(for_cr["cnf"])["cmcName"] == "Referrals Ltd"
    assert claim.cnf == stored  # nothing was removed from the stored CNF


def test_the_compensators_claim_page_does_not_show_it(world: World) -> None:
    info = send_claim(world)
    pages = {}
    for user in ("comp.handler", "cr.handler"):
        client = Client()
        assert client.login(username=user, password=PASSWORD)
        pages[user] = client.get(f"/claims/{info.application_id}/").content.decode()
    assert "Referrals Ltd" not in pages["comp.handler"]
    assert "Referrals Ltd" in pages["cr.handler"]


def test_no_printable_document_prints_it(world: World) -> None:
    info = send_claim(world)
    documents = PrintableDocument.objects.filter(claim_id=info.application_id)
    assert documents.count() == 2  # the CNF and the Defendant Only CNF
    for document in documents:
        html = render_html(document)
        for withheld in ("Referrals Ltd", "Referral source", "CMC name"):
            assert withheld not in html, (document.kind, withheld)


def test_withholding_leaves_the_cnf_it_is_given_alone() -> None:
    the_cnf = cnf("RTA")
    before = copy.deepcopy(the_cnf)
    assert (
        "referralSourceInfo"
        not in without_withheld(the_cnf)["claimAndClaimantDetails"]["claimantRepresentative"]
    )
    assert the_cnf == before
    el = cnf("EL")
    assert without_withheld(el) is el
