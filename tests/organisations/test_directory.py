"""Choosing the compensator: searchCompensators, the RTA insurer index, and addressing a claim."""

from __future__ import annotations

import pytest

from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.organisations.directory import (
    add_insurer_index_entry,
    resolve_compensator,
    search_compensators,
    search_insurer_index,
)
from claimsportal.organisations.services import create_organisation
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.types import ClaimType
from tests.conftest import World, cnf, send_claim

pytestmark = pytest.mark.django_db


def test_search_compensators_lists_enabled_compensators_by_name_type_and_claim_type(world: World) -> None:
    names = [o.organisationName for o in search_compensators()]
    assert names == sorted(names) and set(names) == {"Insurer plc", "TPA Ltd", "MIB"}
    assert [o.organisationId for o in search_compensators(compensator_type="M")] == [world.mib.org_id]
    assert [o.organisationName for o in search_compensators(organisation_name="tpa")] == ["TPA Ltd"]
    el = {o.organisationId for o in search_compensators(claim_type=ClaimType.EL)}
    assert world.mib.org_id not in el and world.comp.org_id in el
    world.tpa.enabled = False
    world.tpa.save(update_fields=["enabled"])
    assert "TPA Ltd" not in {o.organisationName for o in search_compensators()}
    found = search_compensators(organisation_name="insurer")[0]
    assert (found.organisationId, found.organisationPath) == (world.comp.org_id, world.comp.path)
    with pytest.raises(PortalError) as bad:
        search_compensators(compensator_type="X")
    assert bad.value.details[0].field == "compensatorType"


def test_the_insurer_index_names_insurers_and_routes_them_to_an_organisation(world: World) -> None:
    brand = add_insurer_index_entry(
        insurer_name="Budget Cover", org_id=world.comp.org_id, compensator_type="I"
    )
    mib = add_insurer_index_entry(
        insurer_name="Motor Insurers' Bureau", org_id="/" + world.mib.org_id, compensator_type="M"
    )
    assert (brand.index_id, mib.index_id) == ("II0001", "II0002")
    assert mib.version == brand.version + 1
    found = search_insurer_index(organisation_name="budget")
    assert [(i.insurerIndexId, i.insurerName, i.organisationPath) for i in found] == [
        ("II0001", "Budget Cover", world.comp.path)
    ]
    assert [i.insurerName for i in search_insurer_index(organisation_name="Insurer plc")] == ["Budget Cover"]
    assert [i.insurerIndexId for i in search_insurer_index(compensator_type="M")] == ["II0002"]
    el_only = create_organisation(org_type="COMP", name="EL Only", claim_types="ELPL")
    with pytest.raises(PortalError) as refused:
        add_insurer_index_entry(insurer_name="EL Mutual", org_id=el_only.org_id, compensator_type="I")
    assert refused.value.details[0].field == "organisationId"


@pytest.mark.parametrize(
    ("key", "claim_type", "message"),
    [
        ("/COMP999", "RTA", "no compensator"),
        ("CR", "RTA", "no compensator"),
        ("MIB", "EL", "does not handle ELPL"),
        ("II0001", "EL", "RTA claims only"),
        ("II0999", "RTA", "no current Insurer Index entry"),
        ("DISABLED", "RTA", "not currently using the portal"),
    ],
)
def test_addressing_a_claim_wrongly_says_why(world: World, key: str, claim_type: str, message: str) -> None:
    add_insurer_index_entry(insurer_name="Budget Cover", org_id=world.comp.org_id, compensator_type="I")
    world.tpa.enabled = False
    world.tpa.save(update_fields=["enabled"])
    key = {"CR": world.cr.path, "MIB": world.mib.path, "DISABLED": world.tpa.path}.get(key, key)
    with pytest.raises(PortalError) as refused:
        resolve_compensator(key, ClaimType(claim_type), "compensator")
    assert refused.value.code == "BUSINESS_RULE"
    assert refused.value.details[0].field == "compensator"
    assert message in refused.value.details[0].message


def test_a_claim_sent_through_the_insurer_index_reaches_the_organisation_with_the_insurer_name(
    world: World,
) -> None:
    add_insurer_index_entry(insurer_name="Budget Cover", org_id=world.comp.org_id, compensator_type="I")
    form = cnf("RTA")
    del form["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]["insurerName"]
    unnamed = perform(
        actor=world.actor(world.cr_handler),
        operation="addClaim",
        payload={"claimType": "RTA", "compensator": "ii0001", "cnf": form},
    )
    named = send_claim(world, "RTA", compensator="II0001")
    for info, insurer_name in ((unnamed, "Budget Cover"), (named, "Acme Insurance")):
        assert info.phase == "ClaimSubmitted"
        claim = Claim.objects.get(pk=info.application_id)
        assert claim.comp_organisation_id == world.comp.pk
        assert claim.cnf is not None
        insurer = claim.cnf["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]
        assert (insurer["insurerOrganizationID"], insurer["insurerName"]) == (world.comp.org_id, insurer_name)
