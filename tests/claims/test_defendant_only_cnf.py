"""The Defendant Only CNF data: addressed to the defendant, no claimant personal data, CR side only."""

from __future__ import annotations

from datetime import date

import pytest

from claimsportal.claims.defendant_only import defendant_only_cnf_for
from claimsportal.claims.drafts import create_draft
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms.defendant_only import PostalAddress
from tests.conftest import World, send_claim

pytestmark = pytest.mark.django_db


def test_an_rta_claim_is_addressed_to_the_insured_driver(world: World) -> None:
    info = send_claim(world, "RTA", surname="Okafor")
    letter = defendant_only_cnf_for(world.actor(world.cr_handler), info.application_id)
    assert (letter.form_name, letter.claim_type) == ("RTA2", "RTA")
    assert letter.application_id == f"{info.application_id:08d}"
    assert letter.sent_on == date(2026, 3, 2)
    assert letter.addressee_name == "John Roe" and letter.defendant_status == "P"
    assert letter.addressee_address == PostalAddress(("1 Park Row", "Leeds", "United Kingdom"), "LS1 5AB")
    assert letter.claimant_name == "Mary Okafor"
    assert letter.accident_date == date(2024, 3, 15) and letter.accident_location == "A64, Leeds"
    assert letter.defendant_vehicle_registration == "AB12 CDE"
    assert letter.policy_number == "POL123"
    assert (letter.insurer_name, letter.insurer_organisation_id) == ("Acme Insurance", world.comp.org_id)
    assert letter.representative_company == "Smith & Co Solicitors"
    assert letter.representative_reference == "REF-Okafor"
    assert letter.representative_contact == "Jane Doe"


@pytest.mark.parametrize(("claim_type", "form"), [("EL", "EL2"), ("ELD", "ELD2"), ("PL", "PL2")])
def test_an_employer_or_occupier_gets_the_business_letter(world: World, claim_type: str, form: str) -> None:
    info = send_claim(world, claim_type)
    letter = defendant_only_cnf_for(world.actor(world.cr_handler), info.application_id)
    assert letter.form_name == form and letter.defendant_status == "B"
    assert letter.addressee_name in ("Widgets Manufacturing Ltd", "Big Shop plc")
    assert letter.defendant_vehicle_registration is None
    assert (letter.accident_date is None) == (claim_type == "ELD")


def test_the_letter_leaves_out_the_claimants_personal_data(world: World) -> None:
    info = send_claim(world, "RTA")
    letter = defendant_only_cnf_for(world.actor(world.cr_handler), info.application_id)
    text = repr(letter)
    for private in ("AB123456C", "ASKCUEPI", "1980-01-15", "Neck pain", "Teacher"):
        assert private not in text


def test_only_the_claimant_side_of_a_sent_claim_gets_it(world: World) -> None:
    info = send_claim(world, "RTA")
    refusals = [
        (world.comp_handler, info.application_id, "WRONG_SIDE"),
        (world.other_cr_handler, info.application_id, "NOT_FOUND"),
    ]
    draft = create_draft(world.actor(world.cr_handler), "RTA", {})
    refusals.append((world.cr_handler, draft.application_id, "WRONG_PHASE"))
    for user, application_id, code in refusals:
        with pytest.raises(PortalError) as caught:
            defendant_only_cnf_for(world.actor(user), application_id)
        assert caught.value.code == code
