"""Who sees which claim (WORKFLOW.md §1.3, ADMINISTRATION.md §1.6): the Python rule used by ``perform``
and the SQL filter used by lists and searches are one rule, and it is the documented one."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.claims.visibility import DRAFT_PHASE, VisibilityScope
from claimsportal.organisations.models import Branch, User
from claimsportal.protocols.timers import LONDON
from tests.conftest import World, cnf, send_claim, step

USERS = (
    "cr_handler",
    "cr_leader",
    "cr_admin",
    "comp_handler",
    "comp_leader",
    "comp_branch_handler",
    "comp_dispatcher",
    "tpa_handler",
    "mib_handler",
    "other_cr_handler",
)


def scope_of(user: User) -> VisibilityScope:
    return VisibilityScope.for_user(User.objects.select_related("organisation").get(pk=user.pk))


def seen_in_python(user: User) -> set[int]:
    scope = scope_of(user)
    return {c.pk for c in Claim.objects.all() if scope.can_see(c)}


def seen_in_sql(user: User) -> set[int]:
    return set(Claim.objects.filter(scope_of(user).q()).values_list("pk", flat=True))


def seen(user: User) -> set[int]:
    python, sql = seen_in_python(user), seen_in_sql(user)
    assert python == sql, f"{user.user_id}: Python {sorted(python)} != SQL {sorted(sql)}"
    return python


@pytest.fixture
def claims(world: World) -> dict[str, int]:
    """Claims in various phases, branches and allocations, built through ``perform``."""

    def send(name: str, claim_type: str = "RTA", **kw: Any) -> ClaimInfo:
        return send_claim(world, claim_type, surname=name, **kw)

    out: dict[str, ClaimInfo] = {}
    out["new_001"] = send("New")
    # The dispatcher routes a new arrival to branch 002.
    out["new_002"] = step(
        world, world.comp_dispatcher, send("NewNorth"), "allocateClaimToBranch", branchId="002"
    )
    out["accepted_001"] = step(world, world.comp_handler, send("Accepted"), "acceptClaim")
    accepted = step(world, world.comp_handler, send("AcceptedNorth"), "acceptClaim")
    out["accepted_002"] = step(world, world.comp_leader, accepted, "allocateClaimToBranch", branchId="002")
    # Allocated by the team leader to a named user (each side keeps its own allocation).
    out["new_allocated_comp_handler"] = step(
        world, world.comp_leader, send("Mine"), "allocateUser", targetUserID="comp.handler"
    )
    north = step(world, world.comp_leader, send("NorthMine"), "acceptClaim")
    north = step(world, world.comp_leader, north, "allocateClaimToBranch", branchId="002")
    out["accepted_002_allocated_branch"] = step(
        world, world.comp_leader, north, "allocateUser", targetUserID="comp.branch"
    )
    out["cr_allocated_leader"] = step(
        world, world.cr_leader, send("LeaderOnly"), "allocateUser", targetUserID="cr.leader"
    )
    el = send("El", "EL")
    out["el_acknowledgement"] = el
    out["el_submitted"] = step(world, world.comp_handler, send("ElAck", "EL"), "acknowledgeClaim")
    el_accepted = step(world, world.comp_handler, send("ElAccepted", "EL"), "acknowledgeClaim")
    out["el_liability"] = step(world, world.comp_handler, el_accepted, "acceptClaim")
    out["rejected"] = step(
        world, world.comp_handler, send("Rejected"), "rejectClaimToCR", rejectionReasonCode="0"
    )
    out["to_tpa"] = send("Tpa", compensator=world.tpa.path)
    out["to_mib"] = send("Mib", insurer_type="M", compensator=world.mib.path)
    out["other_firm"] = send_claim_as(world, world.other_cr_handler, "Other")  # another firm, same insurer
    ids = {name: info.application_id for name, info in out.items()}
    # A draft (ClaimDataInputEdit): the A2A addClaim sends at once, so a draft is made directly.
    draft = Claim.objects.create(
        claim_type="RTA",
        phase=DRAFT_PHASE,
        owner_side="CR",
        cr_organisation=world.cr,
        comp_organisation=world.comp,
        comp_branch=Branch.objects.get(organisation=world.comp, branch_id="001"),
        created_at=datetime(2026, 3, 2, 9, 0, tzinfo=LONDON),
        updated_at=datetime(2026, 3, 2, 9, 0, tzinfo=LONDON),
    )
    ids["draft"] = draft.pk
    branch = Claim.objects.get(pk=ids["new_002"]).comp_branch
    assert branch is not None
    assert branch.branch_id == "002"
    assert Claim.objects.get(pk=ids["rejected"]).phase == "AcknowledgeRejectedClaim"
    return ids


def send_claim_as(world: World, user: User, surname: str) -> ClaimInfo:
    return perform(
        actor=world.actor(user),
        operation="addClaim",
        payload={"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf(surname=surname)},
    )


def test_python_and_sql_agree_for_every_user(world: World, claims: dict[str, int]) -> None:
    for name in USERS:
        seen(getattr(world, name))


def names(claims: dict[str, int], ids: set[int]) -> set[str]:
    by_id = {v: k for k, v in claims.items()}
    return {by_id[i] for i in ids}


COMP_CLAIMS = {
    "new_001",
    "new_002",
    "accepted_001",
    "accepted_002",
    "new_allocated_comp_handler",
    "accepted_002_allocated_branch",
    "cr_allocated_leader",
    "el_acknowledgement",
    "el_submitted",
    "el_liability",
    "rejected",
    "other_firm",
}


def test_a_branch_claim_handler_sees_only_branch_002_claims(world: World, claims: dict[str, int]) -> None:
    assert names(claims, seen(world.comp_branch_handler)) == {
        "new_002",
        "accepted_002",
        "accepted_002_allocated_branch",
    }


def test_a_dispatcher_sees_only_newly_received_claims(world: World, claims: dict[str, int]) -> None:
    assert names(claims, seen(world.comp_dispatcher)) == {
        "new_001",
        "new_002",
        "cr_allocated_leader",  # allocated on the CR side only: the compensator's allocation is free
        "el_acknowledgement",
        "el_submitted",
        "other_firm",
    }
    # Allocated to a named handler: no longer for the dispatcher (not a team leader).
    assert "new_allocated_comp_handler" not in names(claims, seen(world.comp_dispatcher))


def test_allocation_to_another_user_hides_a_claim_from_handlers_not_team_leaders(
    world: World, claims: dict[str, int]
) -> None:
    comp_handler = names(claims, seen(world.comp_handler))
    assert comp_handler == COMP_CLAIMS - {"accepted_002_allocated_branch"}
    assert "new_allocated_comp_handler" in comp_handler  # allocated to them
    assert names(claims, seen(world.comp_leader)) == COMP_CLAIMS
    cr_claims = set(claims) - {"other_firm"}  # every claim the firm sent, drafts included
    assert names(claims, seen(world.cr_leader)) == cr_claims
    assert names(claims, seen(world.cr_handler)) == cr_claims - {"cr_allocated_leader"}


def test_other_organisations_see_nothing_of_these_claims(world: World, claims: dict[str, int]) -> None:
    assert names(claims, seen(world.other_cr_handler)) == {"other_firm"}
    assert names(claims, seen(world.tpa_handler)) == {"to_tpa"}
    assert names(claims, seen(world.mib_handler)) == {"to_mib"}
    assert seen(world.cr_admin) == set()  # an administrator-only user has no claims access


def test_compensators_never_see_drafts(world: World, claims: dict[str, int]) -> None:
    draft = claims["draft"]
    for name in ("comp_handler", "comp_leader", "comp_branch_handler", "comp_dispatcher"):
        assert draft not in seen(getattr(world, name)), name
    assert draft in seen(world.cr_handler)


def test_a_claim_type_outside_the_users_profiles_is_invisible(world: World, claims: dict[str, int]) -> None:
    User.objects.filter(pk=world.comp_handler.pk).update(profiles=["RTA_CLAIM_HANDLER"])
    visible = names(claims, seen(world.comp_handler))
    assert not visible & {"el_acknowledgement", "el_submitted", "el_liability"}
    assert "new_001" in visible


# --------------------------------------------------------------------------------------------------
# Every combination of the columns the rule reads
# --------------------------------------------------------------------------------------------------


def test_python_and_sql_agree_on_every_combination(world: World) -> None:
    comp_001 = Branch.objects.get(organisation=world.comp, branch_id="001")
    comp_002 = Branch.objects.get(organisation=world.comp, branch_id="002")
    tpa_001 = Branch.objects.get(organisation=world.tpa, branch_id="001")
    when = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
    rows = []
    for claim_type, phase, (comp_org, branch), comp_user, cr_user, cr_org in itertools.product(
        ("RTA", "EL", "PL"),
        (DRAFT_PHASE, "ClaimAcknowledgement", "ClaimSubmitted", "LiabilityDecision", "ExitProcessEnd"),
        (
            (world.comp, comp_001),
            (world.comp, comp_002),
            (world.comp, None),
            (world.tpa, tpa_001),
            (None, None),
        ),
        (None, world.comp_handler, world.comp_branch_handler, world.comp_leader),
        (None, world.cr_handler, world.cr_leader),
        (world.cr, world.other_cr),
    ):
        rows.append(
            Claim(
                claim_type=claim_type,
                phase=phase,
                owner_side="CR",
                cr_organisation=cr_org,
                comp_organisation=comp_org,
                comp_branch=branch,
                comp_allocated_user=comp_user,
                cr_allocated_user=cr_user,
                created_at=when,
                updated_at=when,
            )
        )
    Claim.objects.bulk_create(rows)
    assert Claim.objects.count() == 3 * 5 * 5 * 4 * 3 * 2
    sizes = {name: len(seen(getattr(world, name))) for name in USERS}
    # Sanity: the rule is neither everything nor nothing for the claims users.
    assert sizes["cr_admin"] == 0
    assert 0 < sizes["comp_dispatcher"] < sizes["comp_handler"] < sizes["comp_leader"] < Claim.objects.count()
    assert 0 < sizes["comp_branch_handler"] < sizes["comp_handler"]
    assert 0 < sizes["cr_handler"] < sizes["cr_leader"]
