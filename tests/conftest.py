"""Shared fixtures: a fixed clock, and a small world of organisations, users and actors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import storages
from django.db import connection

from claimsportal.claims.acting import Actor, ClaimInfo
from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.core import clock as clock_module
from claimsportal.core.clock import FixedClock, use_clock
from claimsportal.documents.models import Attachment, PrintableDocument
from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.organisations.services import create_organisation, create_user
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import ClaimType
from claimsportal.publishing import service
from claimsportal.reference import calendar as calendar_service
from tests.shorthands import FORM_KEYS, cnf_for, form_shorthand

# The test client and the live server speak plain HTTP; production redirects it to HTTPS and marks the
# cookies Secure (config/security.py). Set for the whole session, before any test or fixture runs.
django_settings.SECURE_SSL_REDIRECT = False
django_settings.SESSION_COOKIE_SECURE = False
django_settings.CSRF_COOKIE_SECURE = False

# The marks of a test that runs concurrent transactions: PostgreSQL only (SQLite serialises writers).
CONCURRENT_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for concurrent transactions (run under `make test-postgres`)",
    ),
]

# Monday 2 March 2026, 10:00 in London: a plain week with no bank holiday.
DEFAULT_NOW = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    fixed = FixedClock(DEFAULT_NOW)
    with use_clock(fixed):
        yield fixed


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Attachments and printable documents go to a directory of the test's own (created on the first
    write), never to var/. The models' file fields hold the storage they were built with, so they
    are pointed at the test's one too."""
    location = tmp_path_factory.getbasetemp() / "private" / uuid.uuid4().hex
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    fields = [model._meta.get_field("file") for model in (Attachment, PrintableDocument)]
    built = [field.storage for field in fields]
    for field in fields:
        field.storage = storages["private"]
    yield
    for field, storage in zip(fields, built, strict=True):
        field.storage = storage


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    calendar_service.invalidate()
    yield
    calendar_service.invalidate()


@pytest.fixture(autouse=True)
def _fresh_service_minute() -> Iterator[None]:
    """The service report's per-process minute of request timings (publishing.service.RECORDER) starts
    empty: an earlier test's requests must not be written into this test's database."""
    service.RECORDER.flush()
    yield
    service.RECORDER.flush()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class World:
    cr: Organisation
    comp: Organisation
    tpa: Organisation
    mib: Organisation
    other_cr: Organisation
    cr_handler: User
    cr_leader: User
    cr_admin: User
    comp_handler: User
    comp_leader: User
    comp_branch_handler: User
    comp_dispatcher: User
    tpa_handler: User
    mib_handler: User
    other_cr_handler: User

    def actor(self, user: User) -> Actor:
        return Actor.for_user(User.objects.select_related("organisation").get(pk=user.pk))


def make_user(org: Organisation, uid: str, profiles: str, branch: str = "001") -> User:
    """An established user of ``org`` (password "Passw0rd!Passw0rd"; first sign-in is tested on its own)."""
    created = create_user(
        organisation=org,
        user_id=uid,
        email=f"{uid}@example.org",
        profiles=profiles,
        branch_id=branch,
        password="Passw0rd!Passw0rd",
    ).user
    created.must_change_password = False
    created.save(update_fields=["must_change_password"])
    return created


def build_world() -> World:
    """Two claimant firms, an insurer with a TPA of its group and a second branch, and the MIB."""
    cr = create_organisation(org_type="CR", name="Claimant Firm LLP", claim_types="RTA,ELPL")
    comp = create_organisation(org_type="COMP", name="Insurer plc", claim_types="RTA,ELPL", group="G1")
    tpa = create_organisation(org_type="COMP", name="TPA Ltd", claim_types="RTA,ELPL", group="G1")
    mib = create_organisation(org_type="COMP", name="MIB", claim_types="RTA", compensator_type="M")
    other_cr = create_organisation(org_type="CR", name="Other Firm", claim_types="RTA,ELPL")
    Branch.objects.create(organisation=comp, branch_id="002", name="North")
    user = make_user
    return World(
        cr=cr,
        comp=comp,
        tpa=tpa,
        mib=mib,
        other_cr=other_cr,
        cr_handler=user(cr, "cr.handler", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER"),
        cr_leader=user(cr, "cr.leader", "RTA_TEAM_LEADER,ELPL_TEAM_LEADER"),
        cr_admin=user(cr, "cr.admin", "ADMINISTRATOR"),
        comp_handler=user(comp, "comp.handler", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER"),
        comp_leader=user(comp, "comp.leader", "RTA_TEAM_LEADER,ELPL_TEAM_LEADER"),
        comp_branch_handler=user(
            comp, "comp.branch", "RTA_BRANCH_CLAIM_HANDLER,ELPL_BRANCH_CLAIM_HANDLER", "002"
        ),
        comp_dispatcher=user(comp, "comp.dispatcher", "RTA_CLAIM_DISPATCHER,ELPL_CLAIM_DISPATCHER"),
        tpa_handler=user(tpa, "tpa.handler", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER"),
        mib_handler=user(mib, "mib.handler", "RTA_CLAIM_HANDLER"),
        other_cr_handler=user(other_cr, "other.handler", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER"),
    )


@pytest.fixture
def world(db: Any, clock: FixedClock) -> World:
    return build_world()


def cnf(claim_type: str = "RTA", **facts: Any) -> dict[str, Any]:
    """A complete valid CNF sent today (see tests.shorthands.cnf_for for the facts)."""
    return cnf_for(claim_type, sent_on=clock_module.today(), **facts)


def send_claim(
    world: World, claim_type: str = "RTA", *, compensator: str | None = None, **cnf_args: Any
) -> ClaimInfo:
    return perform(
        actor=world.actor(world.cr_handler),
        operation="addClaim",
        payload={
            "claimType": claim_type,
            "compensator": compensator or world.comp.path,
            "cnf": cnf(claim_type, **cnf_args),
        },
    )


def step(world: World, user: User, info: ClaimInfo, operation: str, **payload: Any) -> ClaimInfo:
    """Perform ``operation``; ``sendLiabilityDecision(liabilityDecision="A")`` is shorthand for a
    complete insurer response with that decision, and the Stage 2 form operations take the shorthands
    of tests.shorthands.stage2_shorthand (``addInterimSPFRequest(amountRequested="1500.00")`` …)."""
    if operation == "sendLiabilityDecision" or operation in FORM_KEYS:
        claim_type, state = Claim.objects.values_list("claim_type", "state").get(pk=info.application_id)
        payload = form_shorthand(ClaimType(claim_type).protocol.value, operation, payload, state)
    return perform(
        actor=world.actor(user),
        operation=operation,
        application_id=info.application_id,
        activity_guid=info.activity_guid,
        payload=payload,
    )
