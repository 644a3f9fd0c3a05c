"""Every refusal of ``perform`` has its own error code, and nothing is written (ARCHITECTURE.md §4 rule 2)."""

from __future__ import annotations

import copy
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from claimsportal.claims.acting import Actor, ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.claims.services import perform
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms.examples import cnf_example, insurer_response_example
from tests.claims.conftest import refused
from tests.conftest import World, cnf, send_claim, step


def act(world: World, user: User, info: ClaimInfo, operation: str, **payload: Any) -> ClaimInfo:
    return step(world, user, info, operation, **payload)


def add_claim(world: World, user: User, payload: dict[str, Any]) -> ClaimInfo:
    return perform(actor=world.actor(user), operation="addClaim", payload=payload)


@pytest.fixture
def claim(world: World) -> ClaimInfo:
    """An RTA claim in ClaimSubmitted (the compensator's turn), in branch 001 of ``world.comp``."""
    return send_claim(world)


# --------------------------------------------------------------------------------------------------
# Which claim, which operation
# --------------------------------------------------------------------------------------------------


def test_an_unknown_operation_is_not_found(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    with refused(clock, "NOT_FOUND", "operation") as caught:
        act(world, world.comp_handler, claim, "flyToTheMoon")
    assert "flyToTheMoon" in caught[0].message


def test_an_operation_of_the_other_protocol_is_not_found(world: World, clock: FixedClock) -> None:
    el = send_claim(world, "EL")
    with refused(clock, "NOT_FOUND", "operation"):
        act(world, world.comp_handler, el, "applyArticle75", isArticle75=True)  # RTA only


@pytest.mark.parametrize("application_id", [99_999_999, "00999999", "abc", "0", "-3", ""])
def test_an_unknown_application_id_is_not_found(
    world: World, clock: FixedClock, claim: ClaimInfo, application_id: Any
) -> None:
    with refused(clock, "NOT_FOUND", "applicationId"):
        perform(
            actor=world.actor(world.comp_handler),
            operation="acceptClaim",
            application_id=application_id,
            activity_guid=claim.activity_guid,
        )


def test_an_application_id_is_accepted_with_or_without_leading_zeros(world: World, claim: ClaimInfo) -> None:
    info = perform(
        actor=world.actor(world.comp_handler),
        operation="acceptClaim",
        application_id=f"{claim.application_id:08d}",
        activity_guid=str(claim.activity_guid),
    )
    assert info.phase == "Article75Decision"


def test_no_application_id_is_a_schema_error(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    with refused(clock, "SCHEMA_INVALID", "applicationId"):
        perform(
            actor=world.actor(world.comp_handler), operation="acceptClaim", activity_guid=claim.activity_guid
        )


def _not_found(world: World, user: User, claim: ClaimInfo, operation: str, guid: Any = None) -> PortalError:
    with pytest.raises(PortalError) as excinfo:
        perform(
            actor=world.actor(user),
            operation=operation,
            application_id=claim.application_id,
            activity_guid=claim.activity_guid if guid is None else guid,
        )
    return excinfo.value


@pytest.mark.parametrize(
    ("who", "operation"),
    [
        ("other_cr_handler", "exitProcess"),  # another claimant representative
        ("other_cr_handler", "lockClaim"),
        ("tpa_handler", "acceptClaim"),  # another compensator (even of the same group)
        ("mib_handler", "rejectClaimToCR"),
        ("comp_branch_handler", "acceptClaim"),  # the right compensator, another branch (002)
        ("cr_admin", "lockClaim"),  # an administrator-only user: no claims access (ADMINISTRATION §1.6)
    ],
)
def test_a_claim_the_user_cannot_see_is_not_found_exactly_like_a_missing_one(
    world: World, clock: FixedClock, claim: ClaimInfo, who: str, operation: str
) -> None:
    """No existence leak: the same code, message and details as a claim that does not exist, whatever
    else is wrong with the request (stale guid, locked claim, unknown operation)."""
    user = getattr(world, who)
    missing = ClaimInfo(claim.application_id + 1000, claim.activity_guid, claim.phase, "")
    reference = _not_found(world, user, missing, operation).as_dict()
    assert reference["code"] == "NOT_FOUND"
    step(world, world.comp_handler, claim, "lockClaim")
    claim = ClaimInfo(claim.application_id, Claim.objects.get(pk=claim.application_id).activity_guid, "", "")
    with refused(clock, "NOT_FOUND", "applicationId"):
        perform(
            actor=world.actor(user),
            operation=operation,
            application_id=claim.application_id,
            activity_guid=claim.activity_guid,
        )
    assert _not_found(world, user, claim, operation).as_dict() == reference
    assert _not_found(world, user, claim, operation, guid=uuid.uuid4()).as_dict() == reference
    assert _not_found(world, user, claim, "flyToTheMoon").as_dict() == reference


def test_an_operator_account_without_an_organisation_cannot_act(world: World, clock: FixedClock) -> None:
    operator = User.objects.create(
        user_id="operator.staff",
        email="ops@portal.example",
        is_operator=True,
        created_at=clock.now(),
    )
    with pytest.raises(PortalError) as excinfo:
        Actor.for_user(operator)
    assert excinfo.value.code == "FORBIDDEN_PROFILE"


def test_an_administrator_only_user_cannot_send_a_claim(world: World, clock: FixedClock) -> None:
    with refused(clock, "FORBIDDEN_PROFILE", "claimType"):
        add_claim(
            world,
            world.cr_admin,
            {"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf()},
        )


# --------------------------------------------------------------------------------------------------
# activityEngineGuid, side, phase, lock
# --------------------------------------------------------------------------------------------------


def test_a_random_activity_guid_is_stale(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    stale = ClaimInfo(claim.application_id, uuid.uuid4(), claim.phase, claim.phase_name)
    with refused(clock, "STALE_ACTIVITY_GUID", "activityEngineGuid"):
        act(world, world.comp_handler, stale, "acceptClaim")


def test_a_superseded_activity_guid_is_stale(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    act(world, world.comp_handler, claim, "lockClaim")  # a housekeeping change issues a new guid too
    with refused(clock, "STALE_ACTIVITY_GUID", "activityEngineGuid"):
        act(world, world.comp_handler, claim, "acceptClaim")


@pytest.mark.parametrize("guid", ["not-a-guid", "", None, "1234", 42])
def test_a_malformed_activity_guid_is_a_schema_error(
    world: World, clock: FixedClock, claim: ClaimInfo, guid: Any
) -> None:
    with refused(clock, "SCHEMA_INVALID", "activityEngineGuid"):
        perform(
            actor=world.actor(world.comp_handler),
            operation="acceptClaim",
            application_id=claim.application_id,
            activity_guid=guid,
        )


def test_the_wrong_side_is_refused(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    with refused(clock, "WRONG_SIDE", "operation"):
        act(world, world.cr_handler, claim, "acceptClaim")
    with refused(clock, "WRONG_SIDE", "operation"):
        act(world, world.cr_handler, claim, "lockClaim")  # the owner's operation: COMP owns the phase
    with refused(clock, "WRONG_SIDE", "operation"):
        add_claim(
            world, world.comp_handler, {"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf()}
        )


def test_the_wrong_phase_is_refused(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    with refused(clock, "WRONG_PHASE", "phaseCacheId") as caught:
        act(world, world.comp_handler, claim, "sendLiabilityDecision", liabilityDecision="A")
    assert "ClaimSubmitted" in caught[0].message
    accepted = act(world, world.comp_handler, claim, "acceptClaim")
    with refused(clock, "WRONG_PHASE"):
        act(world, world.comp_handler, accepted, "rejectClaimToCR", rejectionReasonCode="0")
    with refused(clock, "WRONG_PHASE"):  # reassignment only before acceptance (Q15)
        act(world, world.comp_handler, accepted, "reassignToAnotherCM", organisationPath=world.tpa.path)


def test_a_claim_locked_by_another_user_is_refused(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    locked = act(world, world.comp_handler, claim, "lockClaim")
    with refused(clock, "CLAIM_LOCKED", "applicationId"):
        act(world, world.comp_leader, locked, "acceptClaim")
    with refused(clock, "CLAIM_LOCKED"):
        act(world, world.comp_leader, locked, "unlockClaim")
    with refused(clock, "CLAIM_LOCKED"):
        act(world, world.comp_leader, locked, "lockClaim")
    # The holder may act; a team leader may force the lock open.
    unlocked = act(world, world.comp_leader, locked, "forceUnlockClaim")
    assert Claim.objects.get(pk=claim.application_id).locked_by_id is None
    assert act(world, world.comp_leader, unlocked, "acceptClaim").phase == "Article75Decision"


def test_force_unlock_needs_a_team_leader(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    locked = act(world, world.comp_leader, claim, "lockClaim")
    with refused(clock, "FORBIDDEN_PROFILE", "operation"):
        act(world, world.comp_handler, locked, "forceUnlockClaim")


def test_unlocking_a_claim_you_do_not_hold_is_a_business_rule(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    with refused(clock, "BUSINESS_RULE", "applicationId"):
        act(world, world.comp_handler, claim, "unlockClaim")
    with refused(clock, "BUSINESS_RULE", "applicationId"):
        act(world, world.comp_leader, claim, "forceUnlockClaim")


# --------------------------------------------------------------------------------------------------
# Payload schema and business rules
# --------------------------------------------------------------------------------------------------


def _without(data: dict[str, Any], path: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    *parents, last = path.split(".")
    node = out
    for key in parents:
        node = node[key]
    del node[last]
    return out


def _add_claim_payload(world: World, **changes: Any) -> dict[str, Any]:
    return {"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf(), **changes}


@pytest.mark.parametrize(
    ("remove", "field"),
    [
        (
            "cnf.claimAndClaimantDetails.claimantDetails.personalDetails.surname",
            "cnf.claimAndClaimantDetails.claimantDetails.personalDetails.surname",
        ),
        ("cnf.claimAndClaimantDetails.claimantDetails", "cnf.claimAndClaimantDetails.claimantDetails"),
        ("cnf.statementOfTruth", "cnf.statementOfTruth"),
        ("cnf", "cnf"),
        ("compensator", "compensator"),
    ],
)
def test_add_claim_schema_errors_name_the_field(
    world: World, clock: FixedClock, remove: str, field: str
) -> None:
    with refused(clock, "SCHEMA_INVALID", field) as caught:
        add_claim(world, world.cr_handler, _without(_add_claim_payload(world), remove))
    assert [d.field for d in caught[0].details] == [field]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"claimType": "XYZ"}, "claimType"),
        ({"claimType": None}, "claimType"),
        ({"unexpected": 1}, "unexpected"),
        ({"cnf": {**cnf(), "statementOfTruth": False}}, "cnf.statementOfTruth"),
        (
            {"cnf": cnf_example(insurer_type="X")},
            "cnf.claimAndClaimantDetails.defendantDetails.insurerInformation.insurerType",
        ),
        (
            {"cnf": cnf_example(surname="   ")},
            "cnf.claimAndClaimantDetails.claimantDetails.personalDetails.surname",
        ),
        (
            {"cnf": cnf_example(surname="S" * 26)},
            "cnf.claimAndClaimantDetails.claimantDetails.personalDetails.surname",
        ),
        (
            {"cnf": cnf_example(date_of_birth=date(2026, 3, 3))},
            "cnf.claimAndClaimantDetails.claimantDetails.personalDetails.dateOfBirth",
        ),
        ({"cnf": cnf_example("EL")}, "cnf.repairsAndAlternativeVehicleProvision"),  # EL form, RTA claim
        ({"claimType": "EL", "cnf": cnf_example("PL")}, "cnf.applicationData.claimDetails.claimType"),
    ],
)
def test_add_claim_bad_values_name_the_field(
    world: World, clock: FixedClock, changes: dict[str, Any], field: str
) -> None:
    with refused(clock, "SCHEMA_INVALID", field):
        add_claim(world, world.cr_handler, _add_claim_payload(world, **changes))


@pytest.mark.parametrize(
    ("operation", "payload", "field"),
    [
        ("acceptClaim", {"bogus": 1}, "bogus"),
        ("rejectClaimToCR", {}, "rejectionReasonCode"),
        ("rejectClaimToCR", {"rejectionReasonCode": "22"}, "rejectionReasonCode"),
        ("reassignToAnotherCM", {"organisationPath": "COMP002"}, "organisationPath"),
        ("allocateClaimToBranch", {"branchId": "2"}, "branchId"),
        ("stateFraud", {"reasonCode": "0"}, "reasonDescription"),
    ],
)
def test_operation_schema_errors_name_the_field(
    world: World, clock: FixedClock, claim: ClaimInfo, operation: str, payload: dict[str, Any], field: str
) -> None:
    with refused(clock, "SCHEMA_INVALID", field):
        act(world, world.comp_leader, claim, operation, **payload)


def test_an_rta_rejection_reason_is_a_business_rule_on_an_el_claim(world: World, clock: FixedClock) -> None:
    el = send_claim(world, "EL")
    el = act(world, world.comp_handler, el, "acknowledgeClaim")
    assert el.phase == "ClaimSubmitted"
    with refused(clock, "BUSINESS_RULE", "rejectionReasonCode") as caught:
        act(world, world.comp_handler, el, "rejectClaimToCR", rejectionReasonCode="2")
    assert "0, 1" in caught[0].message
    # The same code is valid on an RTA claim (AskCUE PI reference not valid).
    rta = send_claim(world, surname="Rta")
    assert act(world, world.comp_handler, rta, "rejectClaimToCR", rejectionReasonCode="2").phase == (
        "AcknowledgeRejectedClaim"
    )


def test_denying_liability_without_reasons_names_the_field(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    info = act(world, world.comp_handler, claim, "acceptClaim")
    info = act(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    response = insurer_response_example("RTA", "N")
    del response["liabilityCausation"]["unadmittedLiabilityReasons"]
    with refused(clock, "SCHEMA_INVALID", "insurerResponse.liabilityCausation.unadmittedLiabilityReasons"):
        act(world, world.comp_handler, info, "sendLiabilityDecision", insurerResponse=response)


def test_an_rta_claim_needs_an_insurer_type(world: World, clock: FixedClock) -> None:
    form = cnf()
    del form["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]["insurerType"]
    with refused(
        clock, "SCHEMA_INVALID", "cnf.claimAndClaimantDetails.defendantDetails.insurerInformation.insurerType"
    ):
        add_claim(world, world.cr_handler, _add_claim_payload(world, cnf=form))


@pytest.mark.parametrize(
    ("claim_type", "compensator"),
    [
        ("RTA", "/COMP999"),  # no such compensator
        ("RTA", "nonsense"),
        ("EL", "MIB"),  # the MIB handles RTA claims only
        ("RTA", "CR"),  # a claimant representative is not a compensator
    ],
)
def test_add_claim_to_a_compensator_that_cannot_take_it_is_a_business_rule(
    world: World, clock: FixedClock, claim_type: str, compensator: str
) -> None:
    path = {"MIB": world.mib.path, "CR": world.other_cr.path}.get(compensator, compensator)
    payload = _add_claim_payload(world, claimType=claim_type, compensator=path, cnf=cnf(claim_type))
    with refused(clock, "BUSINESS_RULE", "compensator"):
        add_claim(world, world.cr_handler, payload)


def test_a_claim_type_outside_the_users_profiles_is_forbidden(world: World, clock: FixedClock) -> None:
    rta_only = User.objects.get(pk=world.cr_handler.pk)
    rta_only.profiles = ["RTA_CLAIM_HANDLER"]
    rta_only.save(update_fields=["profiles"])
    with refused(clock, "FORBIDDEN_PROFILE", "claimType"):
        add_claim(world, rta_only, _add_claim_payload(world, claimType="EL", cnf=cnf("EL")))


def test_reassigning_to_an_unrelated_compensator_is_a_business_rule(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    with refused(clock, "BUSINESS_RULE", "organisationPath") as caught:
        act(world, world.comp_handler, claim, "reassignToAnotherCM", organisationPath=world.mib.path)
    assert "same group" in caught[0].message
    with refused(clock, "BUSINESS_RULE", "organisationPath"):  # to itself
        act(world, world.comp_handler, claim, "reassignToAnotherCM", organisationPath=world.comp.path)
    with refused(clock, "BUSINESS_RULE", "organisationPath"):  # no such compensator
        act(world, world.comp_handler, claim, "reassignToAnotherCM", organisationPath="/COMP999")


def test_reassigning_to_a_tpa_of_the_same_group_keeps_the_timer(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    before = Claim.objects.get(pk=claim.application_id)
    clock.advance(timedelta(days=3))
    info = act(world, world.comp_handler, claim, "reassignToAnotherCM", organisationPath=world.tpa.path)
    assert info.phase == "ClaimSubmitted"
    after = Claim.objects.get(pk=claim.application_id)
    assert after.comp_organisation_id == world.tpa.pk
    assert after.comp_branch == world.tpa.branches.get(branch_id="001")  # the TPA's Central Point
    assert after.awaiting_organisation_id == world.tpa.pk
    # The liability timer is not reset (WORKFLOW.md §5.2 notes).
    assert after.deadline_at == before.deadline_at
    assert (after.deadline_anchor, after.deadline_business_days) == (
        before.deadline_anchor,
        before.deadline_business_days,
    )
    assert after.activity_guid != before.activity_guid
    # The old compensator no longer sees it; the TPA does.
    with pytest.raises(PortalError) as excinfo:
        act(world, world.comp_handler, info, "acceptClaim")
    assert excinfo.value.code == "NOT_FOUND"
    assert act(world, world.tpa_handler, info, "acceptClaim").phase == "Article75Decision"


def test_allocating_needs_a_team_leader(world: World, clock: FixedClock, claim: ClaimInfo) -> None:
    with refused(clock, "FORBIDDEN_PROFILE", "operation"):
        act(world, world.comp_handler, claim, "allocateUser", targetUserID="comp.handler")
    with refused(clock, "FORBIDDEN_PROFILE", "operation"):
        act(world, world.comp_handler, claim, "deallocateUser")


@pytest.mark.parametrize(
    "target",
    [
        "tpa.handler",  # another organisation
        "nobody.at.all",
        "comp.dispatcher",  # a dispatcher reaches newly received claims only: not an accepted one
    ],
)
def test_allocating_to_a_user_who_cannot_take_the_claim_is_a_business_rule(
    world: World, clock: FixedClock, claim: ClaimInfo, target: str
) -> None:
    info = act(world, world.comp_handler, claim, "acceptClaim")
    with refused(clock, "BUSINESS_RULE", "targetUserID"):
        act(world, world.comp_leader, info, "allocateUser", targetUserID=target)


def test_allocating_to_a_disabled_user_is_a_business_rule(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    User.objects.filter(pk=world.comp_handler.pk).update(is_enabled=False)
    with refused(clock, "BUSINESS_RULE", "targetUserID"):
        act(world, world.comp_leader, claim, "allocateUser", targetUserID="COMP.HANDLER")


def test_allocating_to_a_branch_that_does_not_exist_is_a_business_rule(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    with refused(clock, "BUSINESS_RULE", "branchId"):
        act(world, world.comp_dispatcher, claim, "allocateClaimToBranch", branchId="009")


def test_a_branch_claim_handler_may_not_move_claims_between_branches(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    moved = act(world, world.comp_dispatcher, claim, "allocateClaimToBranch", branchId="002")
    with refused(clock, "FORBIDDEN_PROFILE", "operation"):
        act(world, world.comp_branch_handler, moved, "allocateClaimToBranch", branchId="001")


def test_a_refusal_leaves_the_claim_usable_with_the_same_guid(
    world: World, clock: FixedClock, claim: ClaimInfo
) -> None:
    """After any number of refusals the guid the user read is still current."""
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("sendLiabilityDecision", {"liabilityDecision": "A"}),
        ("rejectClaimToCR", {"rejectionReasonCode": "9"}),
        ("acceptClaim", {"bogus": True}),
        ("flyToTheMoon", {}),
    ]
    for operation, payload in attempts:
        with pytest.raises(PortalError):
            act(world, world.comp_handler, claim, operation, **payload)
    assert act(world, world.comp_handler, claim, "acceptClaim").phase == "Article75Decision"
    assert ClaimEvent.objects.filter(claim_id=claim.application_id).count() == 2
