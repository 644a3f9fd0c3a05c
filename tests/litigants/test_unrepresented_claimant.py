"""An unrepresented claimant: registration with e-mail verification, one claim in their own name, the
"not legally represented" tick with the claimant's own statement of truth, and the marker the
compensator sees in getClaim."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from claimsportal.claims import drafts
from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor
from claimsportal.claims.services import perform
from claimsportal.core import clock
from claimsportal.core.models import AuditEntry
from claimsportal.litigants import registration
from claimsportal.organisations import accounts
from claimsportal.organisations.models import AgreementAcceptance, User
from claimsportal.protocols.errors import PortalError
from tests.conftest import World, cnf, send_claim
from tests.litigants.conftest import PASSWORD, code_in_last_mail, litigant_cnf, register, send_as_litigant


def test_registration_proves_the_address_and_makes_a_one_person_claimant_account(world: World) -> None:
    accounts.publish_agreement(version="2026-1", title="User agreement", text="The terms of use " * 3)
    started = registration.start("Alex", "Morgan", "alex@example.net")
    assert mail.outbox[-1].to == ["alex@example.net"]
    assert not registration.verify(started.token, "000000" if code_in_last_mail() != "000000" else "111111")
    assert registration.verified_details(started.token) is None
    assert registration.verify(started.token, code_in_last_mail())

    user = registration.create_account(
        started.token, user_id="alex.morgan", password=PASSWORD, agreement_accepted=True
    )

    organisation = user.organisation
    assert organisation is not None
    assert organisation.litigant_in_person and organisation.org_type == "CR"
    assert not organisation.regulator and not organisation.regulator_number
    assert organisation.name == "Alex Morgan"
    assert sorted(user.profiles) == ["ELPL_CLAIM_HANDLER", "RTA_CLAIM_HANDLER"]
    assert user.email == "alex@example.net"  # sign-in codes go to the verified address
    assert not user.must_change_password and user.check_password(PASSWORD)
    assert AgreementAcceptance.objects.filter(organisation=organisation, accepted_by=user).exists()
    assert Actor.for_user(user).litigant_in_person
    assert AuditEntry.objects.filter(action="litigant.registered", target=organisation.org_id).exists()
    # The account is made once: the verification cannot be used again.
    with pytest.raises(PortalError):
        registration.create_account(
            started.token, user_id="alex.two", password=PASSWORD, agreement_accepted=True
        )


def test_an_unverified_address_cannot_make_an_account(world: World) -> None:
    started = registration.start("Alex", "Morgan", "alex@example.net")
    with pytest.raises(PortalError) as refused:
        registration.create_account(
            started.token, user_id="alex.morgan", password=PASSWORD, agreement_accepted=True
        )
    assert refused.value.details[0].field == "code"
    assert not User.objects.filter(user_id="alex.morgan").exists()


def test_a_code_stops_working_after_five_wrong_tries(world: World) -> None:
    started = registration.start("Alex", "Morgan", "alex@example.net")
    right = code_in_last_mail()
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(registration.MAX_CODE_ATTEMPTS):
        assert not registration.verify(started.token, wrong)
    assert not registration.verify(started.token, right)


def test_a_registered_address_is_told_its_user_id_and_the_page_says_the_same(world: World) -> None:
    register()
    again = registration.start("Alex", "Morgan", "ALEX@example.net")
    assert again.token and not again.refused  # the same answer as for a new address
    assert "alex.morgan" in mail.outbox[-1].body
    assert registration.verified_details(again.token) is None


def test_weak_passwords_and_taken_user_ids_are_refused_field_by_field(world: World) -> None:
    started = registration.start("Alex", "Morgan", "alex@example.net")
    registration.verify(started.token, code_in_last_mail())
    assert registration.check_password_choice(started.token, "alex.morgan", "short", "short")
    assert registration.check_password_choice(
        started.token, "alex.morgan", "Morgan-2026!abcdef", "Morgan-2026!abcdef"
    )
    with pytest.raises(PortalError) as taken:
        registration.check_user_id("cr.handler")
    assert taken.value.details[0].field == "userId"


def test_an_unrepresented_claimant_has_one_claim_only(world: World, litigant: User) -> None:
    actor = world.actor(litigant)
    drafts.create_draft(actor, "RTA", {})
    with pytest.raises(PortalError) as second_draft:
        drafts.create_draft(actor, "PL", {})
    assert second_draft.value.code == "BUSINESS_RULE"
    assert "one claim only" in second_draft.value.message
    with pytest.raises(PortalError) as second_claim:
        send_as_litigant(world, litigant)
    assert second_claim.value.code == "BUSINESS_RULE"
    # A firm has no such limit.
    send_claim(world)
    send_claim(world)


def test_the_claim_sent_is_marked_and_signed_by_the_claimant(world: World, litigant: User) -> None:
    with pytest.raises(PortalError) as unmarked:
        send_as_litigant(
            world, litigant, changes={"claimAndClaimantDetails.claimantRepresentative.litigantInPerson": None}
        )
    assert unmarked.value.details[0].field.endswith("claimantRepresentative.litigantInPerson")
    with pytest.raises(PortalError) as signed_by_a_solicitor:
        send_as_litigant(world, litigant, changes={"applicationData.claimDetails.signatory": "S"})
    assert any(d.field.endswith("claimDetails.signatory") for d in signed_by_a_solicitor.value.details)

    info = send_as_litigant(world, litigant)

    compensator = world.actor(world.comp_handler)
    claim = claim_selectors.get_visible_claim(compensator, str(info.application_id), with_counts=True)
    seen = claim_selectors.claim_detail(compensator, claim, clock.today())
    assert seen["claimantRepresentative"]["litigantInPerson"] is True
    assert seen["cnf"]["claimAndClaimantDetails"]["claimantRepresentative"]["litigantInPerson"] == "1"
    assert seen["cnf"]["applicationData"]["claimDetails"]["signatory"] == "C"


def test_a_firm_cannot_mark_its_client_as_unrepresented(world: World) -> None:
    form: dict[str, Any] = cnf("RTA")
    form["claimAndClaimantDetails"]["claimantRepresentative"]["litigantInPerson"] = "1"
    form["applicationData"]["claimDetails"]["signatory"] = "C"
    with pytest.raises(PortalError) as refused:
        perform(
            actor=world.actor(world.cr_handler),
            operation="addClaim",
            payload={"claimType": "RTA", "compensator": world.comp.path, "cnf": form},
        )
    assert refused.value.code == "BUSINESS_RULE"
    info = send_claim(world)
    compensator = world.actor(world.comp_handler)
    claim = claim_selectors.get_visible_claim(compensator, str(info.application_id), with_counts=True)
    assert (
        claim_selectors.claim_detail(compensator, claim, clock.today())["claimantRepresentative"][
            "litigantInPerson"
        ]
        is False
    )


def test_a_draft_sent_by_the_claimant_goes_through_the_same_rules(world: World, litigant: User) -> None:
    actor = world.actor(litigant)
    form = litigant_cnf("RTA")
    form["claimAndClaimantDetails"]["claimantRepresentative"].pop("litigantInPerson")
    draft = drafts.create_draft(actor, "RTA", form)
    with pytest.raises(PortalError) as refused:
        drafts.send_draft(actor, draft.application_id, draft.activity_guid, compensator=world.comp.path)
    assert refused.value.details[0].field.endswith("litigantInPerson")
    updated = drafts.update_draft(actor, draft.application_id, draft.activity_guid, cnf=litigant_cnf("RTA"))
    sent = drafts.send_draft(actor, draft.application_id, updated.activity_guid, compensator=world.comp.path)
    assert sent.phase == "ClaimSubmitted"


def test_the_unrepresented_claimant_resets_their_own_password(world: World, litigant: User) -> None:
    assert accounts.may_reset_own_password(litigant)
    assert not accounts.may_reset_own_password(world.cr_handler)
