"""The operator's commands print JSON: ``transfer-claims`` (a transfer approved and run at once, or a
dry run that changes nothing) and ``transfers list|dry-run|run``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.transfers import rules
from tests.conftest import World
from tests.transfers.conftest import cr_claims


def command(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return dict(json.loads(out.getvalue()))


def test_a_dry_run_says_what_would_move_and_why_others_would_not_and_changes_nothing(
    world: World, clock: FixedClock
) -> None:
    claims = cr_claims(world, active=2)
    events = ClaimEvent.objects.count()
    printed = command(
        "transfer_claims", "--from", world.cr.org_id, "--to", world.other_cr.org_id, "--dry-run"
    )
    assert printed["wouldMove"] == 2 and printed["skipped"] == 2
    assert printed["skippedByReason"] == {rules.Skip.DRAFT: 1, rules.Skip.ENDED: 1}
    assert {e["applicationId"] for e in printed["examples"]} == {f"{claims.draft:08d}", f"{claims.ended:08d}"}
    assert printed["warnings"], "fewer than 100 claims: a warning"
    assert ClaimEvent.objects.count() == events
    assert Claim.objects.filter(cr_organisation=world.other_cr).count() == 0


def test_transfer_claims_runs_at_once_and_transfers_list_shows_it(world: World, clock: FixedClock) -> None:
    cr_claims(world, active=2)
    printed = command("transfer_claims", "--from", world.cr.org_id, "--to", world.other_cr.org_id)
    assert (printed["status"], printed["moved"], printed["skipped"], printed["failed"]) == ("DONE", 2, 2, 0)
    listed = command("transfers", "list")["transfers"]
    assert [t["reference"] for t in listed] == [printed["reference"]]
    again = command("transfers", "run")
    assert again["claimsTransferred"] == 0


def test_a_transfer_between_a_claimant_firm_and_a_compensator_is_refused(
    world: World, clock: FixedClock
) -> None:
    with pytest.raises(CommandError, match="same type"):
        command("transfer_claims", "--from", world.cr.org_id, "--to", world.comp.org_id, "--dry-run")


def test_a_list_of_claims_moves_only_those_listed_to_their_branch_and_user(
    world: World, clock: FixedClock, tmp_path: Path
) -> None:
    from claimsportal.organisations.models import Branch

    claims = cr_claims(world, active=3)
    Branch.objects.create(organisation=world.other_cr, branch_id="002", name="Leeds")
    first, second, third = (c.application_id for c in claims.active)
    csv = tmp_path / "claims.csv"
    csv.write_text(
        f"applicationId,destinationBranch,destinationUser\n{first:08d},002,other.handler\n{second},001,\n{claims.draft},001\n"
    )
    printed = command(
        "transfer_claims", "--from", world.cr.org_id, "--to", world.other_cr.org_id, "--claims", str(csv)
    )
    assert (printed["moved"], printed["skipped"]) == (2, 1)
    one, two, three = (Claim.objects.get(pk=i) for i in (first, second, third))
    assert one.cr_organisation_id == two.cr_organisation_id == world.other_cr.pk
    leeds, head_office = (
        Branch.objects.get(organisation=world.other_cr, branch_id=b) for b in ("002", "001")
    )
    assert one.cr_branch_id == leeds.pk and one.cr_allocated_user_id == world.other_cr_handler.pk
    assert two.cr_branch_id == head_office.pk and two.cr_allocated_user_id is None
    assert three.cr_organisation_id == world.cr.pk, "not listed: not moved"


def test_a_bad_list_is_refused_row_by_row_and_nothing_is_kept(
    world: World, clock: FixedClock, tmp_path: Path
) -> None:
    claims = cr_claims(world, active=1)
    csv = tmp_path / "claims.csv"
    good = claims.active[0].application_id
    csv.write_text(
        f"abc,001\n{good},001\n{claims.draft},009\n{good},001\n{claims.ended},001,nobody\n7,001,x,y\n"
    )
    with pytest.raises(CommandError) as error:
        command(
            "transfer_claims", "--from", world.cr.org_id, "--to", world.other_cr.org_id, "--claims", str(csv)
        )
    message = str(error.value)
    assert "The list of claims has 5 problems" in message
    assert "Row 1: the application ID 'abc' must be 1 to 8 digits" in message
    assert "Row 3: the receiving organisation has no branch '009'" in message
    assert f"Row 4: claim {good:08d} is already listed on row 2" in message
    assert "Row 5: the receiving organisation has no user 'nobody'" in message
    assert "Row 6: give the application ID, the destination branch ID and optionally a user ID" in message
    from claimsportal.transfers.models import Transfer

    assert not Transfer.objects.exists()
