"""The operator's commands: organisations, users, A2A clients and the sandbox clock (ADMINISTRATION.md
§1.4-§1.6). Good input prints JSON; bad input exits non-zero with a clear message and writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from claimsportal.core import clock as portal_clock
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import SandboxClock
from claimsportal.organisations.models import A2AClient, Branch, Organisation, User
from claimsportal.organisations.services import create_organisation, create_user, default_expiry
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.timers import LONDON

CLAIMSPORTAL = Path(sys.executable).with_name("claimsportal")


def run(command: str, *args: str) -> dict[str, Any]:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "branches": Branch.objects.count(),
        "users": User.objects.count(),
        "a2a": A2AClient.objects.count(),
        "sandbox": SandboxClock.objects.count(),
    }


@contextmanager
def refused(message: str) -> Iterator[None]:
    """A CommandError whose text contains ``message``, and no row written anywhere."""
    before = counts()
    with pytest.raises(CommandError) as excinfo:
        yield
    assert message in str(excinfo.value), str(excinfo.value)
    assert counts() == before


def cli(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CLAIMSPORTAL_DATA_DIR": str(tmp_path), **env}
    environment.pop("DATABASE_URL", None)
    if "CLAIMSPORTAL_SANDBOX" not in env:
        environment.pop("CLAIMSPORTAL_SANDBOX", None)
    return subprocess.run(  # noqa: S603 - our own entry point
        [str(CLAIMSPORTAL), *args], capture_output=True, text=True, env=environment, timeout=60, check=False
    )


# --------------------------------------------------------------------------------------------------
# create-organisation
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_organisation_numbers_each_type_and_creates_branch_001(clock: FixedClock) -> None:
    first = run("create_organisation", "--type", "CR", "--name", "Claimant Firm LLP")
    assert first["organisationId"] == "CR00001"
    assert first["organisationPath"] == "/CR00001"
    assert first["type"] == "CR"
    assert first["claimTypes"] == ["RTA", "ELPL"]
    assert first["compensatorType"] is None
    assert first["branches"] == [{"branchId": "001", "name": "Head Office", "kind": "HANDLING_POINT"}]
    assert run("create_organisation", "--type", "cr", "--name", "Second Firm")["organisationId"] == "CR00002"
    comp = run("create_organisation", "--type", "COMP", "--name", "Insurer plc", "--claim-types", "RTA")
    assert comp["organisationId"] == "COMP001"
    assert comp["claimTypes"] == ["RTA"]
    assert comp["compensatorType"] == "I"  # an insurer unless told otherwise
    # A compensator's branch 001 is its Central Point: every incoming CNF lands there.
    assert comp["branches"] == [{"branchId": "001", "name": "Head Office", "kind": "CENTRAL_POINT"}]
    mib = run("create_organisation", "--type", "COMP", "--name", "MIB", "--compensator-type", "M")
    assert (mib["organisationId"], mib["compensatorType"]) == ("COMP002", "M")
    assert run("create_organisation", "--type", "CR", "--name", "Third Firm")["organisationId"] == "CR00003"
    org = Organisation.objects.get(org_id="COMP001")
    assert org.created_at == clock.now()
    assert org.branches.get().kind == Branch.Kind.CENTRAL_POINT


@pytest.mark.django_db
def test_create_organisation_keeps_a_group_and_normalises_claim_types() -> None:
    out = run(
        "create_organisation",
        "--type",
        "COMP",
        "--name",
        "TPA Ltd",
        "--claim-types",
        " elpl , RTA, rta ",
        "--group",
        " G1 ",
    )
    assert out["claimTypes"] == ["RTA", "ELPL"]
    assert Organisation.objects.get(org_id=out["organisationId"]).group == "G1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "XX", "--name", "Firm"], "type: must be CR or COMP"),
        (["--type", "CR", "--name", "A"], "name: must be 2 to 120 characters"),
        (["--type", "CR", "--name", "   "], "name: must be 2 to 120 characters"),
        (["--type", "CR", "--name", "F" * 121], "name: must be 2 to 120 characters"),
        (["--type", "CR", "--name", "Firm", "--claim-types", "RTA,MOTOR"], "'MOTOR' is not a claim type"),
        (["--type", "CR", "--name", "Firm", "--claim-types", " , "], "at least one of RTA, ELPL"),
        (["--type", "CR", "--name", "Firm", "--compensator-type", "I"], "only compensators have"),
        (["--type", "COMP", "--name", "Insurer", "--compensator-type", "Z"], "must be I (insurer)"),
        (["--name", "Firm"], "the following arguments are required: --type"),
    ],
)
def test_create_organisation_refuses_bad_input_and_writes_nothing(args: list[str], message: str) -> None:
    create_organisation(org_type="CR", name="Existing Firm")
    with refused(message):
        run("create_organisation", *args)


def test_create_organisation_cli_exits_non_zero_with_the_message(tmp_path: Path) -> None:
    done = cli("create-organisation", "--type", "XX", "--name", "Firm", tmp_path=tmp_path)
    assert done.returncode == 1
    assert "CommandError: SCHEMA_INVALID: type: must be CR or COMP" in done.stderr
    assert done.stdout == ""


# --------------------------------------------------------------------------------------------------
# create-user
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def orgs(db: Any, clock: FixedClock) -> dict[str, Organisation]:
    cr = create_organisation(org_type="CR", name="Claimant Firm LLP")
    comp = create_organisation(org_type="COMP", name="Insurer plc")
    Branch.objects.create(organisation=comp, branch_id="002", name="North")
    return {"cr": cr, "comp": comp}


def new_user(org: str, user_id: str, email: str, profiles: str, *extra: str) -> dict[str, Any]:
    return run(
        "create_user",
        "--organisation",
        org,
        "--user-id",
        user_id,
        "--email",
        email,
        "--profiles",
        profiles,
        *extra,
    )


def test_create_user_prints_the_initial_password(orgs: dict[str, Organisation]) -> None:
    out = new_user("CR00001", "jane.doe", "jane@firm.example", "RTA_CLAIM_HANDLER,ADMINISTRATOR")
    assert out["userId"] == "jane.doe"
    assert out["organisationId"] == "CR00001"
    assert out["branchId"] == "001"  # the main branch by default
    assert out["profiles"] == ["RTA_CLAIM_HANDLER", "ADMINISTRATOR"]  # Administrator + claims profiles
    assert out["expiryDate"] == "2028-03-02"  # created on 2 March 2026 + 2 years
    password = out["initialPassword"]
    assert len(password) >= 14
    user = User.objects.get(user_id="jane.doe")
    assert user.check_password(password)
    assert password not in user.password  # stored hashed
    assert user.is_enabled and user.is_active
    assert user.email == "jane@firm.example"


def test_create_user_in_a_branch_with_several_profiles(orgs: dict[str, Organisation]) -> None:
    out = new_user(
        "/comp001",  # the organisation path, any case
        "north.handler",
        "north@insurer.example",
        "rta_branch_claim_handler, ELPL_BRANCH_CLAIM_HANDLER",
        "--branch",
        "002",
        "--forename",
        "Nora",
        "--surname",
        "North",
    )
    assert out["branchId"] == "002"
    assert out["profiles"] == ["RTA_BRANCH_CLAIM_HANDLER", "ELPL_BRANCH_CLAIM_HANDLER"]
    user = User.objects.get(user_id="north.handler")
    assert user.branch is not None
    assert (user.forename, user.surname, user.branch.branch_id) == ("Nora", "North", "002")


@pytest.mark.parametrize(
    ("org", "user_id", "email", "profiles", "extra", "message"),
    [
        # User IDs are unique across the whole portal, whatever the case (ADMINISTRATION.md §1.4) ...
        ("CR00001", "JANE.DOE", "other@firm.example", "RTA_CLAIM_HANDLER", [], "userId: is already taken"),
        ("COMP001", "Jane.Doe", "jane@insurer.example", "RTA_CLAIM_HANDLER", [], "userId: is already taken"),
        # ... and never an e-mail address.
        ("CR00001", "sam@firm.example", "sam@firm.example", "RTA_CLAIM_HANDLER", [], "must not be an e-mail"),
        ("CR00001", "ab", "ab@firm.example", "RTA_CLAIM_HANDLER", [], "userId: must be 3-50"),
        ("CR00001", "sam smith", "sam@firm.example", "RTA_CLAIM_HANDLER", [], "userId: must be 3-50"),
        ("CR00001", "sam", "not-an-email", "RTA_CLAIM_HANDLER", [], "email: must be a valid e-mail"),
        ("CR00001", "sam", "sam@firm.example", "SUPERUSER", [], "unknown profile 'SUPERUSER'"),
        ("CR00001", "sam", "sam@firm.example", " , ", [], "at least one profile is required"),
        # COMP-only profiles are not available to a claimant representative.
        (
            "CR00001",
            "sam",
            "sam@firm.example",
            "RTA_CLAIM_DISPATCHER",
            [],
            "profile RTA_CLAIM_DISPATCHER is not available to a CR organisation",
        ),
        (
            "CR00001",
            "sam",
            "sam@firm.example",
            "RTA_CLAIM_HANDLER,ELPL_BRANCH_CLAIM_HANDLER",
            [],
            "ELPL_BRANCH_CLAIM_HANDLER is not available to a CR organisation",
        ),
        # Two users of one organisation cannot share an MFA e-mail (any case).
        ("CR00001", "sam", "JANE@firm.example", "RTA_CLAIM_HANDLER", [], "email: is already the MFA e-mail"),
        (
            "CR00001",
            "sam",
            "sam@firm.example",
            "RTA_CLAIM_HANDLER",
            ["--branch", "002"],
            "has no branch '002'",
        ),
        (
            "COMP001",
            "sam",
            "sam@insurer.example",
            "RTA_CLAIM_HANDLER",
            ["--branch", "9"],
            "has no branch '9'",
        ),
        ("CR09999", "sam", "sam@firm.example", "RTA_CLAIM_HANDLER", [], "no organisation 'CR09999'"),
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(
    orgs: dict[str, Organisation],
    org: str,
    user_id: str,
    email: str,
    profiles: str,
    extra: list[str],
    message: str,
) -> None:
    new_user("CR00001", "jane.doe", "jane@firm.example", "RTA_CLAIM_HANDLER")
    with refused(message):
        new_user(org, user_id, email, profiles, *extra)


def test_the_same_mfa_email_may_be_used_in_another_organisation(orgs: dict[str, Organisation]) -> None:
    new_user("CR00001", "jane.doe", "jane@shared.example", "RTA_CLAIM_HANDLER")
    out = new_user("COMP001", "jane.insurer", "Jane@Shared.example", "RTA_CLAIM_HANDLER")
    assert out["organisationId"] == "COMP001"
    assert User.objects.filter(email__iexact="jane@shared.example").count() == 2


def test_the_database_enforces_case_insensitive_user_ids_too(orgs: dict[str, Organisation]) -> None:
    """The constraint backs the service's check (two administrators creating the same ID at once)."""
    new_user("CR00001", "jane.doe", "jane@firm.example", "RTA_CLAIM_HANDLER")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            user_id="JANE.DOE",
            email="x@firm.example",
            organisation=orgs["cr"],
            created_at=portal_clock.now(),
        )


def test_the_service_raises_a_portal_error_with_the_field(orgs: dict[str, Organisation]) -> None:
    with pytest.raises(PortalError) as excinfo:
        create_user(
            organisation=orgs["cr"], user_id="x@y.example", email="x@y.example", profiles="ADMINISTRATOR"
        )
    assert excinfo.value.code == "SCHEMA_INVALID"
    assert [d.field for d in excinfo.value.details] == ["userId"]


@pytest.mark.parametrize(
    ("created", "expires"),
    [
        (date(2026, 3, 2), date(2028, 3, 2)),  # across 29 February 2028: still the same day
        (date(2027, 3, 1), date(2029, 3, 1)),
        (date(2028, 2, 29), date(2030, 2, 28)),
        (date(2026, 12, 31), date(2028, 12, 31)),
    ],
)
def test_expiry_defaults_to_the_creation_date_plus_two_years(created: date, expires: date) -> None:
    assert default_expiry(created) == expires


def test_expiry_counts_from_the_london_date(orgs: dict[str, Organisation], clock: FixedClock) -> None:
    # 23:30 UTC on 30 June 2026 is already 00:30 on 1 July in London (BST), as the real clock reports it.
    clock.set(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    out = new_user("CR00001", "late.night", "late@firm.example", "RTA_CLAIM_HANDLER")
    assert out["expiryDate"] == "2028-07-01"


# --------------------------------------------------------------------------------------------------
# create-a2a-client
# --------------------------------------------------------------------------------------------------


def test_create_a2a_client_shows_the_secret_once_and_stores_it_hashed(orgs: dict[str, Organisation]) -> None:
    out = run("create_a2a_client", "--organisation", "CR00001", "--name", "Case system")
    assert out["organisationId"] == "CR00001"
    assert out["clientId"].startswith("cr00001-")
    secret = out["clientSecret"]
    assert len(secret) >= 32
    client = A2AClient.objects.get(client_id=out["clientId"])
    assert client.organisation == orgs["cr"]
    assert client.name == "Case system"
    assert client.revoked_at is None
    assert secret not in client.secret_hash
    assert check_password(secret, client.secret_hash)
    assert not check_password(secret + "x", client.secret_hash)
    # A second client of the same organisation has its own id and secret.
    second = run("create_a2a_client", "--organisation", "CR00001")
    assert second["clientId"] != out["clientId"]
    assert second["clientSecret"] != secret
    assert not check_password(second["clientSecret"], client.secret_hash)


def test_create_a2a_client_for_an_unknown_organisation_is_refused(orgs: dict[str, Organisation]) -> None:
    with refused("no organisation 'CR77777'"):
        run("create_a2a_client", "--organisation", "CR77777")


# --------------------------------------------------------------------------------------------------
# clock
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_clock_shows_the_time_outside_sandbox_mode(settings: Any) -> None:
    settings.SANDBOX = False
    out = run("clock")
    assert out["sandbox"] is False
    shown = datetime.fromisoformat(out["now"])
    assert abs(shown - portal_clock.now()) < timedelta(seconds=5)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [["--advance-business-days", "1"], ["--set", "2026-12-01T09:00"], ["--advance-business-days", "0"]],
)
def test_the_clock_refuses_to_move_outside_sandbox_mode(settings: Any, args: list[str]) -> None:
    settings.SANDBOX = False
    with refused("the clock can only be moved in sandbox mode"):
        run("clock", *args)


def test_the_clock_cli_refuses_to_move_outside_sandbox_mode(tmp_path: Path) -> None:
    done = cli("clock", "--advance-business-days", "3", tmp_path=tmp_path)
    assert done.returncode == 1
    assert "CommandError: the clock can only be moved in sandbox mode" in done.stderr


@pytest.mark.django_db
def test_the_clock_moves_in_sandbox_mode(settings: Any) -> None:
    settings.SANDBOX = True
    out = run("clock", "--set", "2026-12-01T09:00")  # a Tuesday; no zone: London
    assert out["sandbox"] is True
    target = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
    # Never short of the target (set to a deadline's instant, the timer must be due) and not far past it.
    assert target <= datetime.fromisoformat(out["now"]) < target + timedelta(seconds=5)
    assert target <= portal_clock.now() < target + timedelta(seconds=5)
    assert SandboxClock.objects.count() == 1
    # Forward by business days, keeping the time of day: Tuesday 1 + 3 bd = Friday 4 December.
    out = run("clock", "--advance-business-days", "3")
    moved = datetime.fromisoformat(out["now"]).astimezone(LONDON)
    assert moved.date() == date(2026, 12, 4)
    assert (moved.hour, moved.minute) == (9, 0)
    # Across Christmas 2026 (Friday 25, Monday 28 substitute Boxing Day): Thursday 24 + 1 = Tuesday 29.
    run("clock", "--set", "2026-12-24T16:30:00+00:00")
    moved = datetime.fromisoformat(run("clock", "--advance-business-days", "1")["now"]).astimezone(LONDON)
    assert moved.date() == date(2026, 12, 29)
    assert SandboxClock.objects.count() == 1  # one row, moved


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--advance-business-days", "0"], "--advance-business-days must be at least 1"),
        (["--advance-business-days", "-2"], "--advance-business-days must be at least 1"),
        (["--set", "next tuesday"], "is not an ISO 8601 date-time"),
        (["--set", "2026-12-01", "--advance-business-days", "1"], "not allowed with argument"),
    ],
)
def test_the_clock_refuses_bad_moves_in_sandbox_mode(settings: Any, args: list[str], message: str) -> None:
    settings.SANDBOX = True
    with refused(message):
        run("clock", *args)
