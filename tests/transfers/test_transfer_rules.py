"""The rules of a transfer request: who may file, agree, approve; same organisation type only; the
notice (20 working days if either side uses A2A, 5 otherwise); contacts other than the authorising
Administrator; each option; what is skipped and why; a transfer is nobody else's business."""

from __future__ import annotations

import pytest
from django.core import mail

from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import Branch
from claimsportal.organisations.services import create_a2a_client
from claimsportal.protocols.errors import PortalError
from claimsportal.transfers import execution, plans, rules, services
from claimsportal.transfers.models import Transfer, TransferResult
from tests.conftest import World, send_claim, step
from tests.transfers.conftest import Admins, contact, cr_claims, form, working_days_on


def refused(code: str, call: object, *args: object) -> PortalError:
    with pytest.raises(PortalError) as error:
        call(*args)  # type: ignore[operator]
    assert error.value.code == code, error.value
    return error.value


def test_only_organisations_of_the_same_type(world: World, admins: Admins) -> None:
    error = refused("BUSINESS_RULE", services.request_transfer, admins.cr, form(world.cr, world.comp))
    assert "same type" in error.message
    refused("BUSINESS_RULE", services.request_transfer, admins.cr, form(world.cr, world.cr))
    assert not Transfer.objects.exists() and not mail.outbox


def test_only_an_administrator_of_either_organisation_may_file(world: World, admins: Admins) -> None:
    refused("FORBIDDEN_PROFILE", services.request_transfer, world.cr_handler, form(world.cr, world.other_cr))
    refused("FORBIDDEN_PROFILE", services.request_transfer, admins.comp, form(world.cr, world.other_cr))
    # the receiving organisation's Administrator may file it
    transfer = services.request_transfer(admins.other_cr, form(world.cr, world.other_cr))
    assert transfer.destination_admin == admins.other_cr and transfer.source_admin is None


def test_the_primary_contact_is_not_the_authorising_administrator(world: World, admins: Admins) -> None:
    me = services.Contact("Someone", admins.cr.email, "0113 496 0000")
    error = refused(
        "BUSINESS_RULE",
        services.request_transfer,
        admins.cr,
        form(world.cr, world.other_cr, source_contact=me),
    )
    assert "someone other than the authorising Administrator" in error.message
    transfer = services.request_transfer(
        admins.cr,
        form(
            world.cr,
            world.other_cr,
            destination_contact=services.Contact("X Y", admins.other_cr.email, "0113 496 0000"),
        ),
    )
    refused("BUSINESS_RULE", services.agree, admins.other_cr, transfer.reference)


def test_the_notice_is_5_working_days_web_to_web_and_20_when_either_side_uses_a2a(
    world: World, admins: Admins
) -> None:
    refused(
        "BUSINESS_RULE",
        services.request_transfer,
        admins.cr,
        form(world.cr, world.other_cr, preferred_date=working_days_on(4)),
    )
    services.request_transfer(admins.cr, form(world.cr, world.other_cr, preferred_date=working_days_on(5)))
    create_a2a_client(organisation=world.other_cr, name="CMS")
    error = refused(
        "BUSINESS_RULE",
        services.request_transfer,
        admins.cr,
        form(world.cr, world.other_cr, preferred_date=working_days_on(19)),
    )
    assert "20 working days" in error.message
    transfer = services.request_transfer(
        admins.cr, form(world.cr, world.other_cr, preferred_date=working_days_on(20))
    )
    services.agree(admins.other_cr, transfer.reference)
    refused("BUSINESS_RULE", services.approve, admins.operator, transfer.reference, working_days_on(19))
    assert (
        services.approve(admins.operator, transfer.reference, working_days_on(20)).status
        == Transfer.Status.APPROVED
    )


def test_only_the_other_organisation_agrees_and_only_the_operator_approves(
    world: World, admins: Admins
) -> None:
    transfer = services.request_transfer(admins.cr, form(world.cr, world.other_cr))
    refused("FORBIDDEN_PROFILE", services.agree, admins.cr, transfer.reference)  # not their own request
    refused("NOT_FOUND", services.agree, admins.comp, transfer.reference)  # not a party: no such transfer
    refused("FORBIDDEN_PROFILE", services.agree, world.other_cr_handler, transfer.reference)
    refused(
        "BUSINESS_RULE", services.approve, admins.operator, transfer.reference, working_days_on(6)
    )  # not agreed
    services.agree(admins.other_cr, transfer.reference)
    refused("FORBIDDEN_PROFILE", services.approve, admins.cr, transfer.reference, working_days_on(6))
    refused("FORBIDDEN_PROFILE", services.approve, admins.other_cr, transfer.reference, working_days_on(6))
    refused("BUSINESS_RULE", services.agree, admins.other_cr, transfer.reference)  # already agreed
    rejected = services.reject(admins.operator, transfer.reference, "Please send the form again")
    assert (
        rejected.status == Transfer.Status.REJECTED and "Please send the form again" in mail.outbox[-1].body
    )


def test_a_declined_transfer_goes_no_further(world: World, admins: Admins) -> None:
    transfer = services.request_transfer(admins.cr, form(world.cr, world.other_cr))
    declined = services.decline(admins.other_cr, transfer.reference, "We are not buying these claims")
    assert declined.status == Transfer.Status.DECLINED
    assert "We are not buying these claims" in mail.outbox[-1].body
    refused("BUSINESS_RULE", services.approve, admins.operator, transfer.reference, working_days_on(6))


def test_a_transfer_is_seen_only_by_its_administrators_and_the_operator(world: World, admins: Admins) -> None:
    transfer = services.request_transfer(admins.cr, form(world.cr, world.other_cr))
    for user in (admins.cr, admins.other_cr, admins.operator):
        assert services.get_transfer(user, transfer.reference) == transfer
    refused("NOT_FOUND", services.get_transfer, admins.comp, transfer.reference)
    assert not services.visible_transfers(admins.comp).exists()
    refused("FORBIDDEN_PROFILE", services.visible_transfers, world.cr_handler)


def test_fewer_than_100_claims_is_a_warning_not_a_refusal(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    cr_claims(world, active=2)
    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))
    dry = plans.dry_run(plans.Plan.of(transfer))
    assert dry.would_move == 2 and dry.small and "about 100 claims" in dry.warnings[0]
    assert execution.run_transfer(transfer.pk, now=clock.now()).moved == 2


def test_option_branches_moves_the_claims_of_those_branches_only(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    """A compensator-to-compensator transfer of branch 002's claims to the TPA's branch 003, allocated
    to one of its users; the lock of a source user is released."""
    north = Branch.objects.get(organisation=world.comp, branch_id="002")
    Branch.objects.create(organisation=world.tpa, branch_id="003", name="TPA North")
    central, in_north = send_claim(world), send_claim(world)
    in_north = step(world, world.comp_handler, in_north, "allocateClaimToBranch", branchId="002")
    assert Claim.objects.get(pk=in_north.application_id).comp_branch_id == north.pk
    step(world, world.comp_branch_handler, in_north, "lockClaim")
    assert Claim.objects.get(pk=in_north.application_id).locked_by_id == world.comp_branch_handler.pk
    before = Claim.objects.values_list("deadline_at", "deadline_kind", "phase").get(
        pk=in_north.application_id
    )

    transfer = services.operator_transfer(
        admins.operator,
        form(
            world.comp,
            world.tpa,
            option=Transfer.Option.BRANCHES,
            source_branch_ids=("002",),
            destination_branch_id="003",
            destination_user_id="tpa.handler",
        ),
    )
    assert execution.run_transfer(transfer.pk, now=clock.now()).moved == 1
    moved = Claim.objects.get(pk=in_north.application_id)
    assert (moved.comp_organisation_id, moved.comp_branch_id, moved.comp_allocated_user_id) == (
        world.tpa.pk,
        Branch.objects.get(organisation=world.tpa, branch_id="003").pk,
        world.tpa_handler.pk,
    )
    assert moved.awaiting_organisation_id == world.tpa.pk, "it was the source's turn: now the destination's"
    assert moved.locked_by_id is None and moved.locked_at is None, "the source user's lock is released"
    assert (
        Claim.objects.values_list("deadline_at", "deadline_kind", "phase").get(pk=in_north.application_id)
        == before
    )
    assert Claim.objects.get(pk=central.application_id).comp_organisation_id == world.comp.pk


def test_claims_of_a_type_the_destination_does_not_handle_are_skipped(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    rta, el = send_claim(world, "RTA"), send_claim(world, "EL")
    transfer = services.operator_transfer(admins.operator, form(world.comp, world.mib))
    assert plans.dry_run(plans.Plan.of(transfer)).skipped_rows() == [(rules.Skip.WRONG_TYPE, 1)]
    execution.run_transfer(transfer.pk, now=clock.now())
    assert Claim.objects.get(pk=rta.application_id).comp_organisation_id == world.mib.pk
    assert Claim.objects.get(pk=el.application_id).comp_organisation_id == world.comp.pk
    result = TransferResult.objects.get(transfer=transfer, application_id=el.application_id)
    assert (result.outcome, result.reason) == (TransferResult.Outcome.SKIPPED, rules.Skip.WRONG_TYPE)


def test_a_listed_claim_of_another_organisation_is_skipped_as_not_a_party(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    theirs = send_claim(world)
    Claim.objects.filter(pk=theirs.application_id).update()  # a claim of CR00001, listed by the other firm
    transfer = services.request_transfer(
        admins.other_cr,
        form(
            world.other_cr, world.cr, option=Transfer.Option.LIST, claims_csv=f"{theirs.application_id},001\n"
        ),
    )
    dry = plans.dry_run(plans.Plan.of(transfer))
    assert (dry.would_move, dry.skipped_rows()) == (0, [(rules.Skip.NOT_A_PARTY, 1)])


def test_contacts_must_be_complete(world: World, admins: Admins) -> None:
    bad = services.Contact("A", "not-an-email", "12")
    error = refused(
        "SCHEMA_INVALID",
        services.request_transfer,
        admins.cr,
        form(world.cr, world.other_cr, source_contact=bad),
    )
    assert error.details[0].field == "sendingContactName"
    assert contact("x").email == "x.contact@example.org"
