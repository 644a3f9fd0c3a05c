"""Demo data for ``make run``: organisations, users, A2A clients, claims in several phases and NHS
hospital sites.

Idempotent: running it again changes nothing. The credentials are public by design; never load this
into a live deployment (the command refuses when CLAIMSPORTAL_LIVE=1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from claimsportal.claims.acting import Actor, ClaimInfo
from claimsportal.claims.services import perform
from claimsportal.core import clock
from claimsportal.organisations import accounts, administration, registration
from claimsportal.organisations.directory import add_insurer_index_entry
from claimsportal.organisations.models import A2AClient, Branch, Organisation, OrganisationApplication, User
from claimsportal.organisations.services import (
    create_a2a_client,
    create_organisation,
    create_user,
    default_expiry,
)
from claimsportal.protocols.forms.examples import cnf_example, insurer_response_example
from claimsportal.reference.hospitals import DEMO_SITES_FILE, import_ods_sites
from claimsportal.reference.models import Hospital

DEMO_PASSWORD = "Demo-Portal-2026!"  # noqa: S105 - public demo credentials, refused in live mode


@dataclass(frozen=True)
class DemoUser:
    user_id: str
    organisation: str
    profiles: str
    description: str
    branch: str = "001"


DEMO_ORGANISATIONS = (
    # (org_id it will get, type, name, claim types, compensator type, group)
    ("CR00001", "CR", "Demo Claimant Solicitors LLP", "RTA,ELPL", "", ""),
    ("COMP001", "COMP", "Demo Motor & Liability Insurance plc", "RTA,ELPL", "I", "DEMO-GROUP"),
    ("COMP002", "COMP", "Demo Claims Handling TPA Ltd", "RTA,ELPL", "I", "DEMO-GROUP"),
    ("COMP003", "COMP", "Motor Insurers' Bureau (demo)", "RTA", "M", ""),
)

DEMO_INSURER_INDEX = (
    # (insurer name as an RTA CNF names it, organisation that receives the claims, compensator type)
    ("Demo Motor & Liability Insurance plc", "COMP001", "I"),
    ("Demo Direct Car Insurance (a brand of Demo Motor & Liability)", "COMP001", "I"),
    ("Demo Fleet Insurance Services", "COMP002", "I"),
    ("Northern Haulage Ltd (self-insured)", "COMP002", "S"),
    ("Motor Insurers' Bureau", "COMP003", "M"),
)

DEMO_USERS = (
    DemoUser(
        "demo.cr.handler", "CR00001", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER", "CR claim handler (RTA, EL/PL)"
    ),
    DemoUser(
        "demo.cr.leader",
        "CR00001",
        "RTA_TEAM_LEADER,ELPL_TEAM_LEADER,DELETE_CLAIMS",
        "CR team leader (may Delete claim)",
    ),
    DemoUser(
        "demo.cr.admin",
        "CR00001",
        "ADMINISTRATOR,SEARCH_ARCHIVE",
        "CR administrator (no claims; searches the archive)",
    ),
    DemoUser(
        "demo.comp.handler", "COMP001", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER", "compensator claim handler"
    ),
    DemoUser(
        "demo.comp.leader",
        "COMP001",
        "RTA_TEAM_LEADER,ELPL_TEAM_LEADER,DELETE_CLAIMS",
        "compensator team leader (may Delete claim)",
    ),
    DemoUser(
        "demo.comp.dispatcher",
        "COMP001",
        "RTA_CLAIM_DISPATCHER,ELPL_CLAIM_DISPATCHER",
        "compensator dispatcher",
    ),
    DemoUser(
        "demo.comp.branch",
        "COMP001",
        "RTA_BRANCH_CLAIM_HANDLER,ELPL_BRANCH_CLAIM_HANDLER",
        "compensator branch claim handler (branch 002)",
        branch="002",
    ),
    DemoUser("demo.comp.admin", "COMP001", "ADMINISTRATOR", "compensator administrator (no claims)"),
    DemoUser("demo.tpa.handler", "COMP002", "RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER", "TPA claim handler"),
    DemoUser("demo.tpa.admin", "COMP002", "ADMINISTRATOR", "TPA administrator (no claims)"),
    DemoUser("demo.mib.handler", "COMP003", "RTA_CLAIM_HANDLER", "MIB claim handler"),
    DemoUser("demo.mib.admin", "COMP003", "ADMINISTRATOR", "MIB administrator (no claims)"),
)
# The operator's staff belong to no organisation and sign in to the Administration section only.
DEMO_OPERATOR = "demo.operator"
DEMO_AGREEMENT_VERSION = "demo-2026-1"
DEMO_AGREEMENT_TEXT = (
    "This is the demo's user agreement. Each user has their own user ID and keeps their password to "
    "themselves. Administrators set and review expiry dates, disable leavers at once and review their "
    "users at least every three months.\n\nThe portal is used only to pursue and settle claims under "
    "the pre-action protocols."
)
# A registration waiting for the operator (its Administrator's user ID is reserved while it waits).
DEMO_APPLICATION: dict[str, Any] = {
    "org_type": "CR",
    "claim_types": "RTA,ELPL",
    "name": "Northern Claims Solicitors LLP (demo)",
    "address": {"street1": "2 Park Square", "city": "Leeds", "postCode": "LS1 2NE"},
    "telephone": "0113 496 0123",
    "email": "office@northernclaims.demo.invalid",
    "ico_number": "ZA123456",
    "regulator": "SRA",
    "regulator_number": "654321",
    "branches": ["Sheffield Office"],
    "admin_user_id": "demo.northern.admin",
    "admin_forename": "Asha",
    "admin_surname": "Patel",
    "admin_email": "asha.patel@northernclaims.demo.invalid",
}

DEMO_A2A_CLIENTS = (
    ("CR00001", "demo-cr-a2a", "demo-cr-a2a-secret-change-me"),
    ("COMP001", "demo-comp-a2a", "demo-comp-a2a-secret-change-me"),
)


def _cnf(claim_type: str, surname: str, insurer_type: str = "I") -> dict[str, Any]:
    """A complete CNF for a demo claimant (the example form with the claimant's own name)."""
    return cnf_example(
        claim_type,
        surname=surname,
        forename="Alex",
        date_of_birth=date(1985, 4, 12),
        insurer_type=insurer_type if claim_type == "RTA" else None,
        reference=f"CR-{surname.upper()}",
    )


def _step(actor: Actor, info: ClaimInfo, operation: str, **payload: Any) -> ClaimInfo:
    return perform(
        actor=actor,
        operation=operation,
        application_id=info.application_id,
        activity_guid=info.activity_guid,
        payload=payload,
    )


@transaction.atomic
def seed_demo() -> dict[str, Any]:
    """Create the demo data if it is not there yet; returns what exists."""
    if Organisation.objects.filter(org_id="CR00001", name=DEMO_ORGANISATIONS[0][2]).exists():
        _demo_console()  # added later than the rest: a database seeded before gets it too
        _demo_hospitals()  # likewise
        return describe(created=False)
    if Organisation.objects.exists():
        raise ValueError(
            "the database already holds other organisations: demo data is only for an empty database"
        )
    for _expected, org_type, name, claim_types, comp_type, group in DEMO_ORGANISATIONS:
        create_organisation(
            org_type=org_type, name=name, claim_types=claim_types, compensator_type=comp_type, group=group
        )
    comp = Organisation.objects.get(org_id="COMP001")
    Branch.objects.create(organisation=comp, branch_id="002", name="Northern Handling Point")
    for demo in DEMO_USERS:
        _create_demo_user(demo)
    for org_id, client_id, secret in DEMO_A2A_CLIENTS:
        create_a2a_client(
            organisation=Organisation.objects.get(org_id=org_id),
            name="Demo case-management system",
            client_id=client_id,
            secret=secret,
        )
    for insurer_name, org_id, compensator_type in DEMO_INSURER_INDEX:
        add_insurer_index_entry(insurer_name=insurer_name, org_id=org_id, compensator_type=compensator_type)
    _demo_claims()
    _demo_console()
    _demo_hospitals()
    return describe(created=True)


def _demo_hospitals() -> None:
    """The demo NHS hospital sites (``reference/data/nhs_hospital_sites_demo.csv``, ODS layout) for
    ``getHospitalsList``, unless sites are already there: a database that holds a real ODS file keeps it."""
    if not Hospital.objects.exists():
        import_ods_sites(DEMO_SITES_FILE)


def _demo_console() -> None:
    """The operator, a published user agreement accepted by every demo organisation (so that nobody is
    held back from claims) and one registration waiting for the operator. Idempotent."""
    if User.objects.filter(user_id=DEMO_OPERATOR).exists():
        return
    now = clock.real_now()
    for demo in DEMO_USERS:  # administrators added after the first demo data
        if not User.objects.filter(user_id=demo.user_id).exists():
            _create_demo_user(demo)
    User.objects.create(
        user_id=DEMO_OPERATOR,
        email="operator@claimsportal.demo.invalid",
        forename="Demo",
        surname="Operator",
        profiles=[],
        is_operator=True,
        created_at=now,
        expiry_date=default_expiry(clock.real_today()),
        password=make_password(DEMO_PASSWORD),
        password_changed_at=now,
        must_change_password=False,
    )
    if accounts.current_agreement() is None:
        accounts.publish_agreement(
            version=DEMO_AGREEMENT_VERSION,
            title="Claims Portal User Agreement (demo)",
            text=DEMO_AGREEMENT_TEXT,
        )
    for org_id, admin_id in (
        ("CR00001", "demo.cr.admin"),
        ("COMP001", "demo.comp.admin"),
        ("COMP002", "demo.tpa.admin"),
        ("COMP003", "demo.mib.admin"),
    ):
        admin = User.objects.select_related("organisation").get(user_id=admin_id, organisation__org_id=org_id)
        administration.accept_agreement(admin)
    if not OrganisationApplication.objects.filter(admin_user_id=DEMO_APPLICATION["admin_user_id"]).exists():
        registration.submit_application(**DEMO_APPLICATION)


def _create_demo_user(demo: DemoUser) -> None:
    org = Organisation.objects.get(org_id=demo.organisation)
    local = demo.user_id.replace(".", "-")
    user = create_user(
        organisation=org,
        user_id=demo.user_id,
        email=f"{local}@{org.org_id.lower()}.demo.invalid",
        profiles=demo.profiles,
        branch_id=demo.branch,
        forename="Demo",
        surname=demo.description.split(" (")[0].title(),
        password=DEMO_PASSWORD,
    ).user
    # Demo users are established users: they sign in with the published demo password at once.
    User.objects.filter(pk=user.pk).update(must_change_password=False)


def _demo_claims() -> None:
    cr = Actor.for_user(User.objects.get(user_id="demo.cr.handler"))
    comp = Actor.for_user(User.objects.get(user_id="demo.comp.handler"))
    mib = Actor.for_user(User.objects.get(user_id="demo.mib.handler"))

    def send(claim_type: str, compensator: str, surname: str, insurer_type: str = "I") -> ClaimInfo:
        return perform(
            actor=cr,
            operation="addClaim",
            payload={
                "claimType": claim_type,
                "compensator": compensator,
                "cnf": _cnf(claim_type, surname, insurer_type),
            },
        )

    send("RTA", "/COMP001", "Okafor")  # waiting for the insurer to accept
    rta = send("RTA", "/COMP001", "Brennan")
    rta = _step(comp, rta, "acceptClaim", insurerClaimReferenceNumber="INS-7781")
    _step(comp, rta, "applyArticle75", isArticle75=False)  # liability decision due
    admitted = send("RTA", "/COMP001", "Shah")
    admitted = _step(comp, admitted, "acceptClaim")
    admitted = _step(comp, admitted, "applyArticle75", isArticle75=False)
    _step(comp, admitted, "sendLiabilityDecision", insurerResponse=insurer_response_example("RTA", "A"))
    el = send("EL", "/COMP001", "Williams")
    _step(comp, el, "acknowledgeClaim")
    send("PL", "/COMP001", "Nowak")
    mib_claim = send("RTA", "/COMP003", "Evans", insurer_type="M")
    _step(mib, mib_claim, "acceptClaim")


def describe(*, created: bool) -> dict[str, Any]:
    return {
        "created": created,
        "password": DEMO_PASSWORD,
        "users": [
            {"userId": u.user_id, "organisation": u.organisation, "role": u.description}
            for u in DEMO_USERS
            if User.objects.filter(user_id=u.user_id).exists()
        ],
        "operator": (
            {"userId": DEMO_OPERATOR, "section": "Administration", "role": "Claims Portal operator"}
            if User.objects.filter(user_id=DEMO_OPERATOR).exists()
            else None
        ),
        "a2aClients": [
            {"organisation": o, "clientId": c, "clientSecret": s}
            for o, c, s in DEMO_A2A_CLIENTS
            if A2AClient.objects.filter(client_id=c).exists()
        ],
    }
