"""A fast, set-based generator of claims in the timed phases (``INSERT … SELECT generate_series``).

Rows mirror what ``claims.services.perform`` writes: the state JSON is a real ``ClaimState`` serialised
by ``to_json()``, the deadline columns come from ``claims.deadlines.deadline_columns`` applied to the
``DeadlineSpec`` the protocol tables start (``protocols.tables.start_timer``) on the business calendar
in force, the owner is the phase's owner and ``awaiting_organisation_id`` the owning side's
organisation, and the ``cnf`` column the full Claim Notification Form as ``perform(addClaim)`` stores it
(:func:`stored_cnf`). :func:`shape_check` compares a generated row with one written by
``perform(addClaim)``; :func:`cnf_check` does the same for the stored CNF of each claim type.

How it stays fast: Python builds a few thousand *templates* — (claim type, timed phase, anchor date)
→ state, deadline — into a temporary table of slots; PostgreSQL then produces the claims with one
``INSERT … SELECT`` per chunk, picking for row ``g`` a slot by a multiplicative hash and choosing
exactly ``due`` rows, evenly spread, whose deadline is in the past (at least a day ago) while every
other deadline is at least a day ahead. The CNF of each (claim type, compensator) is built once, in
Python; the ``INSERT`` only puts each claim's own values into it with ``jsonb_set``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.common import say

DATE_OF_BIRTH = date(1980, 1, 15)  # an adult claimant: the Stage 1 flow ends in LiabilityAdmitted
REBUILD_INDEXES_FROM = 200_000  # claims; below this, inserting through the indexes is as fast
SLOTS = 1000  # templates per due/not-due half; row g uses slot (g * 7919) % SLOTS
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wood",
    "Harris",
    "Edwards",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Hughes",
    "Moore",
    "Clark",
    "King",
    "Harrison",
    "Lewis",
    "Baker",
    "Lee",
    "Allen",
    "Morris",
    "Khan",
    "Scott",
    "Watson",
    "Davis",
    "Parker",
    "James",
    "Bennett",
    "Young",
    "Phillips",
    "Richardson",
    "Mitchell",
    "Bailey",
]

# The claim types in a realistic mix, and the timed phases of each protocol with their share of the
# open claims (Stage 2 and its counter offers hold most claims at any time).
CLAIM_TYPE_WEIGHTS = {"RTA": 75, "EL": 12, "ELD": 3, "PL": 10}
PHASE_WEIGHTS = {
    "RTA": {
        "ClaimSubmitted": 10,
        "Article75Decision": 3,
        "LiabilityDecision": 15,
        "InterimPaymentDecision": 6,
        "Stage2SettlementPackDecision": 24,
        "Stage2SettlementPackCounterOfferDecision": 10,
        "Stage2SettlementPackCounterOfferCR": 8,
        "Stage2SettlementPackCounterOfferDecisionCM": 8,
        "CourtProceedingsPackFormResponse": 10,
        "AdditionalDamagesDecision": 6,
    },
    "ELPL": {
        "ClaimAcknowledgement": 8,
        "LiabilityDecision": 20,
        "InterimPaymentDecision": 6,
        "Stage2SettlementPackDecision": 26,
        "Stage2SettlementPackCounterOfferDecision": 11,
        "Stage2SettlementPackCounterOfferCR": 9,
        "Stage2SettlementPackCounterOfferDecisionCM": 9,
        "CourtProceedingsPackFormResponse": 11,
    },
}
STAGE1_PHASES = frozenset(
    {"ClaimSubmitted", "Article75Decision", "ClaimAcknowledgement", "LiabilityDecision"}
)
COUNTER_OFFER_LAST_BY = {
    "Stage2SettlementPackCounterOfferDecision": "COMP",  # the compensator offered; the CR decides
    "Stage2SettlementPackCounterOfferCR": "COMP",  # the CR is preparing a counter offer
    "Stage2SettlementPackCounterOfferDecisionCM": "CR",  # the CR offered; the compensator decides
}

Mix = Sequence[tuple[str, str, int]]  # (claim type, phase, weight)


def default_mix() -> list[tuple[str, str, int]]:
    from claimsportal.protocols.tables import timeouts_by_phase
    from claimsportal.protocols.types import ClaimType

    timed = timeouts_by_phase()
    mix = []
    for claim_type, type_weight in CLAIM_TYPE_WEIGHTS.items():
        phases = PHASE_WEIGHTS[ClaimType(claim_type).protocol.value]
        total = sum(phases.values())
        for phase, weight in phases.items():
            assert phase in timed, f"{phase} is not a timed phase"
            mix.append((claim_type, phase, type_weight * weight * 1000 // total))
    return mix


# --------------------------------------------------------------------------------------------------
# Organisations and users (created through the services, as the admin console does)
# --------------------------------------------------------------------------------------------------


@dataclass
class World:
    cr_orgs: list[int]
    comp_orgs: list[int]
    comp_branches: list[int]  # the central point of each compensator, in the same order

    @property
    def cr_org(self) -> int:
        return self.cr_orgs[0]

    @property
    def comp_org(self) -> int:
        return self.comp_orgs[0]


BENCH_PASSWORD = "Bench-Portal-2026!"  # noqa: S105 - a throwaway benchmark database


def ensure_world(cr_count: int = 4, comp_count: int = 4) -> World:
    """A few claimant firms and insurers (idempotent), and a CR claim handler."""
    from claimsportal.organisations.models import Branch, Organisation, User
    from claimsportal.organisations.services import create_organisation, create_user

    crs = list(Organisation.objects.filter(org_type="CR", name__startswith="Bench ").order_by("pk"))
    comps = list(Organisation.objects.filter(org_type="COMP", name__startswith="Bench ").order_by("pk"))
    for n in range(len(crs), cr_count):
        crs.append(create_organisation(org_type="CR", name=f"Bench Claimant Firm {n + 1} LLP"))
    for n in range(len(comps), comp_count):
        comps.append(create_organisation(org_type="COMP", name=f"Bench Insurer {n + 1} plc", group="BENCH"))
    if not User.objects.filter(user_id="bench.cr.handler").exists():
        create_user(
            organisation=crs[0],
            user_id="bench.cr.handler",
            email="bench.cr.handler@bench.invalid",
            profiles="RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER",
            password=BENCH_PASSWORD,
        )
    branches = [
        Branch.objects.get(organisation=org, kind=Branch.Kind.CENTRAL_POINT, enabled=True).pk for org in comps
    ]
    return World([o.pk for o in crs], [o.pk for o in comps], branches)


def ensure_comp_users(world: World, count: int) -> list[str]:
    """``count`` claim handlers of the first insurer (one per benchmark worker)."""
    from claimsportal.organisations.models import Organisation, User
    from claimsportal.organisations.services import create_user

    org = Organisation.objects.get(pk=world.comp_org)
    names = [f"bench.comp.{n:02d}" for n in range(count)]
    existing = set(User.objects.filter(user_id__in=names).values_list("user_id", flat=True))
    for name in names:
        if name not in existing:
            create_user(
                organisation=org,
                user_id=name,
                email=f"{name}@bench.invalid",
                profiles="RTA_CLAIM_HANDLER,ELPL_CLAIM_HANDLER",
                password=BENCH_PASSWORD,
            )
    return names


# --------------------------------------------------------------------------------------------------
# Templates: one claim in one timed phase, anchored on one date
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    claim_type: str
    phase: str
    owner_side: str
    state: dict[str, Any]
    deadline: dict[str, Any]  # the six deadline columns, as perform writes them
    sent_at: datetime
    updated_at: datetime
    accepted: bool  # past acceptance: the insurer's reference is filled in


def _at(day: date, hour: int) -> datetime:
    from claimsportal.protocols.timers import LONDON

    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON).replace(hour=hour)


def build_template(claim_type: str, phase: str, anchor: date, calendar: Any, now: datetime) -> Template:
    """The claim a real flow would leave in ``phase``, whose running timer started on ``anchor``."""
    from claimsportal.claims.deadlines import deadline_columns
    from claimsportal.protocols.definitions import Context
    from claimsportal.protocols.payloads import EmptyPayload
    from claimsportal.protocols.state import ClaimState
    from claimsportal.protocols.tables import definition_for, start_timer
    from claimsportal.protocols.timers import STAGE2_TOTAL_DAYS, DeadlineSpec, TimerKind
    from claimsportal.protocols.types import ClaimType, InsurerType, Side

    kind_of_claim = ClaimType(claim_type)
    definition = definition_for(kind_of_claim)
    rta = kind_of_claim is ClaimType.RTA
    phase_def = definition.phases[phase]
    assert phase_def.timer is not None and phase_def.owner is not None, phase
    facts: dict[str, Any] = {
        "claim_type": kind_of_claim,
        "insurer_type": InsurerType.INSURER if rta else None,
        "claimant_date_of_birth": DATE_OF_BIRTH,
    }
    if phase in STAGE1_PHASES:
        facts["sent_on"] = anchor
        if phase == "LiabilityDecision":
            if rta:
                facts["article75"] = False
            else:
                facts["acknowledged_on"] = calendar.add_business_days(anchor, 1)
    else:
        sent_on = anchor - timedelta(days=120)
        facts.update(sent_on=sent_on, child_at={"stage1Response": False})
        if rta:
            facts["article75"] = False
        else:
            facts["acknowledged_on"] = calendar.add_business_days(sent_on, 1)
        if phase == "InterimPaymentDecision":
            facts.update(interim_count=1, interim_requested=Decimal("1500"), interim_sent_on=anchor)
        elif phase == "CourtProceedingsPackFormResponse":
            facts.update(stage2_sent_on=anchor - timedelta(days=60), court_pack_sent_on=anchor)
        elif phase == "AdditionalDamagesDecision":
            facts.update(
                stage2_sent_on=anchor - timedelta(days=45),
                original_damages_agreed=True,
                additional_damages_sent_on=anchor,
            )
        else:
            facts["stage2_sent_on"] = anchor
            if phase in COUNTER_OFFER_LAST_BY:
                facts["last_offer_by"] = Side(COUNTER_OFFER_LAST_BY[phase])
    state = ClaimState(**facts)
    if phase in COUNTER_OFFER_LAST_BY:  # a counter offer sets the total consideration period
        spec = DeadlineSpec(TimerKind.STAGE2_CONSIDERATION, anchor=anchor, business_days=STAGE2_TOTAL_DAYS)
    else:
        ctx = Context(
            protocol=definition.name,
            phase=phase,
            state=state,
            payload=EmptyPayload(),
            side=phase_def.owner.other,
            now=now,
            today=anchor,
            calendar=calendar,
            deadline=None,
        )
        spec = start_timer(phase_def.timer, ctx, phase)
    accepted = phase not in ("ClaimSubmitted", "ClaimAcknowledgement")
    return Template(
        claim_type=claim_type,
        phase=phase,
        owner_side=phase_def.owner.value,
        state=state.to_json(),
        deadline=deadline_columns(spec, calendar),
        sent_at=_at(state.sent_on or anchor, 9),
        updated_at=_at(anchor, 11),
        accepted=accepted,
    )


def _anchors(claim_type: str, phase: str, due: bool, calendar: Any, now: datetime) -> list[Template]:
    """Templates for this phase whose deadline is past (``due``) or ahead, on several anchor days."""
    from claimsportal.protocols.timers import LONDON

    today = now.astimezone(LONDON).date()
    offsets = range(75, 175, 3) if due else range(8)
    out = []
    for days_back in offsets:
        anchor = today - timedelta(days=days_back)
        if anchor.weekday() >= 5:
            continue
        template = build_template(claim_type, phase, anchor, calendar, now)
        at = template.deadline["deadline_at"]
        if (due and at <= now - timedelta(days=1)) or (not due and at >= now + timedelta(days=1)):
            out.append(template)
    if not out:
        raise RuntimeError(
            f"no anchor gives a {'past' if due else 'future'} deadline for {claim_type} {phase}"
        )
    return out


def build_slots(mix: Mix, due: bool, calendar: Any, now: datetime) -> list[Template]:
    """``SLOTS`` templates, in proportion to the mix's weights (largest remainder), anchors rotating."""
    total = sum(w for _, _, w in mix)
    exact = [SLOTS * w / total for _, _, w in mix]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(mix)), key=lambda i: counts[i] - exact[i])[: SLOTS - sum(counts)]:
        counts[i] += 1
    slots: list[Template] = []
    for (claim_type, phase, _), n in zip(mix, counts, strict=True):
        if n == 0:
            continue
        anchored = _anchors(claim_type, phase, due, calendar, now)
        slots += [anchored[i % len(anchored)] for i in range(n)]
    assert len(slots) == SLOTS
    return slots


# --------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------


@dataclass
class GenerateResult:
    count: int
    due: int
    first_id: int
    last_id: int
    seconds: float
    vacuum_seconds: float
    by_phase: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else float("nan")


# The per-claim values of a stored CNF, substituted in SQL into the claim type's template CNF.
CNF_SURNAME = ("claimAndClaimantDetails", "claimantDetails", "personalDetails", "surname")
CNF_REFERENCE = ("claimAndClaimantDetails", "claimantRepresentative", "companyDetails", "referenceNumber")
CNF_INSURER = ("claimAndClaimantDetails", "defendantDetails", "insurerInformation")
CNF_NOTIFICATION_DATE = ("applicationData", "claimDetails", "notificationDate")  # EL/ELD/PL only


def _pg_path(path: tuple[str, ...]) -> str:
    return "{" + ",".join(path) + "}"


def _cnf_input(claim_type: str) -> dict[str, Any]:
    """The CNF a claimant representative sends for a bench claim: the complete example form, with the
    facts the templates' states assume (an adult claimant; RTA against an insurer, not the MIB), and
    the insurer's name left for the portal to fill in from the compensator, as it does when empty."""
    from claimsportal.protocols.forms.examples import cnf_example
    from claimsportal.protocols.types import ClaimType, InsurerType

    rta = ClaimType(claim_type) is ClaimType.RTA
    cnf = cnf_example(
        claim_type,
        surname=SURNAMES[0],
        date_of_birth=DATE_OF_BIRTH,
        insurer_type=InsurerType.INSURER.value if rta else None,
        reference="BENCH-0",
    )
    insurer: dict[str, Any] = cnf
    for key in CNF_INSURER:
        insurer = insurer[key]
    insurer.pop("insurerName", None)
    return cnf


def stored_cnf(claim_type: str, org_id: str, org_name: str, today: date) -> dict[str, Any]:
    """The ``cnf`` column ``perform(addClaim)`` writes for :func:`_cnf_input` sent to compensator
    ``org_id`` on ``today``: the payload validated as the engine does, dumped as
    ``claims.services._cnf_columns`` does, with the portal's routing filled in."""
    from claimsportal.protocols import payloads as p
    from claimsportal.protocols.types import ClaimType

    envelope = {"claimType": claim_type, "compensator": f"/{org_id}", "cnf": _cnf_input(claim_type)}
    context = {"today": today}
    payload: p.RtaAddClaimPayload | p.ElplAddClaimPayload
    if ClaimType(claim_type) is ClaimType.RTA:
        payload = p.RtaAddClaimPayload.model_validate(envelope, context=context)
    else:
        payload = p.ElplAddClaimPayload.model_validate(envelope, context=context)
    data = payload.cnf.model_dump(mode="json", exclude_none=True)
    insurer = data
    for key in CNF_INSURER:
        insurer = insurer[key]
    insurer["insurerOrganizationID"] = org_id
    insurer["insurerOrganizationPath"] = f"/{org_id}"
    if not insurer.get("insurerName"):
        insurer["insurerName"] = org_name
    return data


_INSERT = f"""
INSERT INTO claims_claim (
    claim_type, version_major, version_minor, phase, owner_side,
    cr_organisation_id, comp_organisation_id, comp_branch_id, awaiting_organisation_id,
    activity_guid, deadline_at, deadline_kind, deadline_anchor, deadline_business_days,
    deadline_further_days, deadline_fixed_date, state, cnf, claimant_surname, cr_reference,
    comp_reference, sent_at, created_at, updated_at)
SELECT t.claim_type, %(major)s, %(minor)s, t.phase, t.owner_side,
    o.cr_org, o.comp_org, o.comp_branch,
    CASE WHEN t.owner_side = 'CR' THEN o.cr_org ELSE o.comp_org END,
    gen_random_uuid(), t.deadline_at, t.deadline_kind, t.deadline_anchor, t.deadline_business_days,
    t.deadline_further_days, t.deadline_fixed_date, t.state,
    jsonb_set(
        jsonb_set(
            CASE WHEN t.notification_date IS NULL THEN c.cnf
                 ELSE jsonb_set(c.cnf, '{_pg_path(CNF_NOTIFICATION_DATE)}', to_jsonb(t.notification_date))
            END,
            '{_pg_path(CNF_SURNAME)}', to_jsonb(s.surname)),
        '{_pg_path(CNF_REFERENCE)}', to_jsonb('BENCH-' || g)),
    s.surname, 'BENCH-' || g, CASE WHEN t.accepted THEN 'INS-' || g ELSE '' END,
    t.sent_at, t.sent_at, t.updated_at
FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g
JOIN bench_template AS t
    ON t.due = (((g * %(due)s) / %(total)s) <> (((g - 1) * %(due)s) / %(total)s))
   AND t.slot = (g * 7919) %% %(slots)s
JOIN bench_org AS o ON o.n = g %% %(orgs)s
JOIN bench_cnf AS c ON c.claim_type = t.claim_type AND c.comp_org = o.comp_org
JOIN bench_surname AS s ON s.n = g %% %(surnames)s
"""


def _load_templates(cursor: Any, world: World, mix: Mix, due: int, calendar: Any, now: datetime) -> None:
    from claimsportal.organisations.models import Organisation
    from claimsportal.protocols.timers import LONDON
    from claimsportal.protocols.types import ClaimType

    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_template (slot int, due bool, claim_type text, phase text,"
        " owner_side text, state jsonb, deadline_at timestamptz, deadline_kind text, deadline_anchor date,"
        " deadline_business_days int, deadline_further_days int, deadline_fixed_date date,"
        " sent_at timestamptz, updated_at timestamptz, accepted bool, notification_date text)"
    )
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_org (n int, cr_org bigint, comp_org bigint, comp_branch bigint)"
    )
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_cnf (claim_type text, comp_org bigint, cnf jsonb)")
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_surname (n int, surname text)")
    cursor.execute("TRUNCATE bench_template, bench_org, bench_cnf, bench_surname")
    rows = []
    for is_due in (False, True) if due else (False,):
        for slot, t in enumerate(build_slots(mix, is_due, calendar, now)):
            d = t.deadline
            elpl = ClaimType(t.claim_type) is not ClaimType.RTA
            rows.append(
                (
                    slot,
                    is_due,
                    t.claim_type,
                    t.phase,
                    t.owner_side,
                    json.dumps(t.state),
                    d["deadline_at"],
                    d["deadline_kind"],
                    d["deadline_anchor"],
                    d["deadline_business_days"],
                    d["deadline_further_days"],
                    d["deadline_fixed_date"],
                    t.sent_at,
                    t.updated_at,
                    t.accepted,
                    # the portal sets an EL/PL CNF's notification date to the day it was sent
                    t.sent_at.astimezone(LONDON).date().isoformat() if elpl else None,
                )
            )
    cursor.executemany(
        "INSERT INTO bench_template VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        rows,
    )
    pairs = [
        (n, cr, comp, branch)
        for n, (cr, (comp, branch)) in enumerate(
            (cr, cb) for cr in world.cr_orgs for cb in zip(world.comp_orgs, world.comp_branches, strict=True)
        )
    ]
    cursor.executemany("INSERT INTO bench_org VALUES (%s, %s, %s, %s)", pairs)
    # The stored CNF of each claim type to each compensator, built once here; the claim's own values
    # (claimant surname, CR reference, EL/PL notification date) are put in by the INSERT.
    today = now.astimezone(LONDON).date()
    compensators = Organisation.objects.filter(pk__in=world.comp_orgs).values_list("pk", "org_id", "name")
    claim_types = sorted({claim_type for claim_type, _, _ in mix})
    cursor.executemany(
        "INSERT INTO bench_cnf VALUES (%s, %s, %s::jsonb)",
        [
            (claim_type, pk, json.dumps(stored_cnf(claim_type, org_id, name, today)))
            for claim_type in claim_types
            for pk, org_id, name in compensators
        ],
    )
    cursor.executemany("INSERT INTO bench_surname VALUES (%s, %s)", list(enumerate(SURNAMES)))


def generate_claims(
    world: World,
    *,
    count: int,
    due: int,
    mix: Mix | None = None,
    chunk: int = 100_000,
    vacuum: bool = True,
    rebuild_indexes: bool | None = None,
    label: str = "claims",
) -> GenerateResult:
    """Insert ``count`` claims, exactly ``due`` of them past their deadline. Returns the id range."""
    from django.db import connection, transaction

    from claimsportal.claims.services import PROCESS_VERSION
    from claimsportal.core import clock
    from claimsportal.reference.calendar import get_calendar

    if not 0 <= due <= count:
        raise SystemExit(f"bench: --due must be between 0 and the number of claims ({count})")
    mix = list(mix or default_mix())
    now = clock.now()
    calendar = get_calendar()
    started = time.monotonic()
    with connection.cursor() as cursor:
        _load_templates(cursor, world, mix, due, calendar, now)
        cursor.execute("SELECT count(*) FROM bench_org")
        orgs = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(max(application_id), 0) FROM claims_claim")
        before = cursor.fetchone()[0]
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
    rebuild = count >= REBUILD_INDEXES_FROM if rebuild_indexes is None else rebuild_indexes
    say(f"generating {count:,} {label} ({due:,} due) in {len(mix)} (claim type, phase) kinds")
    params = {
        "major": PROCESS_VERSION[0],
        "minor": PROCESS_VERSION[1],
        "due": due,
        "total": count,
        "slots": SLOTS,
        "orgs": orgs,
        "surnames": len(SURNAMES),
    }
    # One transaction: a failure leaves the table (and its indexes) as they were.
    with transaction.atomic(), connection.cursor() as cursor:
        if superuser:
            # The rows reference organisations and branches that exist (checked below): skip the
            # per-row deferred FK triggers for the bulk load, as pg_restore does.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        indexes: list[tuple[str, str]] = []
        if rebuild:
            # A bulk load into a table with 15 secondary indexes is index-bound: drop them, load,
            # and build them again from their own definitions (pg_indexes), as a restore does.
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = 'claims_claim' AND indexname NOT IN"
                " (SELECT conname FROM pg_constraint WHERE conrelid = 'claims_claim'::regclass)"
                " ORDER BY indexname"
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            say(f"  dropped {len(indexes)} secondary indexes for the load")
        done = 0
        while done < count:
            n = min(chunk, count - done)
            cursor.execute(_INSERT, {**params, "lo": done + 1, "hi": done + n})
            done += n
            elapsed = time.monotonic() - started
            say(f"  {done:>10,} / {count:,} {label} ({done / elapsed:,.0f} claims/s)")
        if indexes:
            t0 = time.monotonic()
            for _, definition in indexes:
                cursor.execute(definition)
            say(f"  rebuilt {len(indexes)} indexes in {time.monotonic() - t0:.1f} s")
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        # The ids are consecutive (one session, one transaction), but need not start at ``before + 1``:
        # a rolled-back insert (the reference addClaims of the checks) also uses up ids.
        cursor.execute(
            "SELECT min(application_id), max(application_id) FROM claims_claim WHERE application_id > %s",
            [before],
        )
        first, last = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM claims_claim WHERE application_id > %s AND ("
            " NOT EXISTS (SELECT 1 FROM organisations_organisation o WHERE o.id = cr_organisation_id)"
            " OR NOT EXISTS (SELECT 1 FROM organisations_organisation o WHERE o.id = comp_organisation_id)"
            " OR NOT EXISTS (SELECT 1 FROM organisations_branch b WHERE b.id = comp_branch_id))",
            [before],
        )
        dangling = cursor.fetchone()[0]
        if dangling:
            say(f"  WARNING: {dangling} generated claims reference a missing organisation or branch")
        cursor.execute(
            "SELECT phase, count(*) FROM claims_claim WHERE application_id > %s AND deadline_at <= %s"
            " GROUP BY phase ORDER BY phase",
            [before, now],
        )
        by_phase = dict(cursor.fetchall())
    vacuum_seconds = 0.0
    if vacuum:
        say("  VACUUM ANALYZE claims_claim")
        t0 = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE claims_claim")
        vacuum_seconds = time.monotonic() - t0
    say(
        f"generated {count:,} {label} in {seconds:.1f} s ({count / seconds:,.0f} claims/s)"
        + (f"; vacuum analyze {vacuum_seconds:.1f} s" if vacuum else "")
    )
    return GenerateResult(count, sum(by_phase.values()), first, last, seconds, vacuum_seconds, by_phase)


# --------------------------------------------------------------------------------------------------
# Checking the shape of generated rows against perform's
# --------------------------------------------------------------------------------------------------

_SHAPE_COLUMNS = (
    "claim_type",
    "version_major",
    "version_minor",
    "phase",
    "owner_side",
    "cr_organisation_id",
    "comp_organisation_id",
    "comp_branch_id",
    "awaiting_organisation_id",
    "cr_branch_id",
    "locked_by_id",
    "cr_allocated_user_id",
    "comp_allocated_user_id",
    "deadline_kind",
    "deadline_business_days",
    "deadline_further_days",
    "deadline_fixed_date",
    "claimant_surname",
    "cr_reference",
    "comp_reference",
)


class _Rollback(Exception):
    pass


def _row(cursor: Any, where: str, params: list[Any]) -> dict[str, Any] | None:
    cursor.execute(
        f"SELECT {', '.join(_SHAPE_COLUMNS)}, state, cnf, deadline_at, deadline_anchor, activity_guid, sent_at"
        f" FROM claims_claim WHERE {where} ORDER BY application_id LIMIT 1",
        params,
    )
    values = cursor.fetchone()
    if values is None:
        return None
    names = [c.name for c in cursor.description]
    row = dict(zip(names, values, strict=True))
    for name in ("state", "cnf"):  # Django's psycopg backend hands jsonb over as text
        if isinstance(row[name], str):
            row[name] = json.loads(row[name])
    return row


def _json_differences(generated: Any, reference: Any, path: str = "cnf") -> list[str]:
    """Where two JSON values differ, as ``path: generated …, perform writes …`` lines."""
    if isinstance(generated, dict) and isinstance(reference, dict):
        out = []
        for key in sorted(set(generated) | set(reference)):
            if key not in reference:
                out.append(f"{path}.{key}: generated only")
            elif key not in generated:
                out.append(f"{path}.{key}: perform writes it, generated has none")
            else:
                out += _json_differences(generated[key], reference[key], f"{path}.{key}")
        return out
    if isinstance(generated, list) and isinstance(reference, list) and len(generated) == len(reference):
        out = []
        for i, (a, b) in enumerate(zip(generated, reference, strict=True)):
            out += _json_differences(a, b, f"{path}[{i}]")
        return out
    if generated != reference:
        return [f"{path}: generated {generated!r}, perform writes {reference!r}"]
    return []


def _reference_claim(claim_type: str, comp_organisation_id: int, cnf: dict[str, Any]) -> dict[str, Any]:
    """The row ``perform(addClaim)`` writes for ``cnf`` sent by the bench CR handler to that
    compensator, read inside a transaction that is rolled back."""
    from django.db import connection, transaction

    from claimsportal.claims.acting import Actor
    from claimsportal.claims.services import perform
    from claimsportal.organisations.models import Organisation, User

    actor = Actor.for_user(User.objects.select_related("organisation").get(user_id="bench.cr.handler"))
    comp = Organisation.objects.get(pk=comp_organisation_id)
    reference = None
    try:
        with transaction.atomic():
            info = perform(
                actor=actor,
                operation="addClaim",
                payload={"claimType": claim_type, "compensator": comp.path, "cnf": cnf},
            )
            with connection.cursor() as cursor:
                reference = _row(cursor, "application_id = %s", [info.application_id])
            raise _Rollback
    except _Rollback:
        pass
    assert reference is not None
    return reference


def shape_check(world: World, generated_id: int) -> list[str]:
    """Compare generated claim ``generated_id`` (RTA, ClaimSubmitted) with a claim that
    ``perform(addClaim)`` writes now, inside a transaction that is rolled back. Returns differences."""
    from django.db import connection

    from claimsportal.claims.deadlines import spec_from_row
    from claimsportal.protocols.state import ClaimState
    from claimsportal.reference.calendar import get_calendar

    problems: list[str] = []
    with connection.cursor() as cursor:
        generated = _row(cursor, "application_id = %s", [generated_id])
    if generated is None:
        return [f"claim {generated_id} not found"]
    # The generated row is consistent with itself: state parses, deadline_at follows from the inputs.
    ClaimState.from_json(generated["state"])
    spec = spec_from_row(
        generated["deadline_kind"],
        generated["deadline_anchor"],
        generated["deadline_business_days"],
        generated["deadline_further_days"],
        generated["deadline_fixed_date"],
    )
    if spec is None or spec.fires_at(get_calendar()) != generated["deadline_at"]:
        problems.append("deadline_at does not follow from the deadline inputs")
    try:
        reference = _reference_claim("RTA", generated["comp_organisation_id"], generated["cnf"])
    except Exception as exc:
        return [*problems, f"could not create a reference claim with perform(addClaim): {exc!r}"]
    for name in _SHAPE_COLUMNS:
        if generated[name] != reference[name]:
            problems.append(f"{name}: generated {generated[name]!r}, perform writes {reference[name]!r}")
    if set(generated["state"]) != set(reference["state"]):
        problems.append(f"state keys differ: {sorted(set(generated['state']) ^ set(reference['state']))}")
    for key, value in reference["state"].items():
        if key not in ("sent_on",) and generated["state"].get(key) != value:
            problems.append(
                f"state.{key}: generated {generated['state'].get(key)!r}, perform writes {value!r}"
            )
    problems += _json_differences(generated["cnf"], reference["cnf"])
    return problems


def cnf_check(first_id: int, last_id: int) -> dict[str, list[str]]:
    """For the first generated claim of each claim type in ``first_id..last_id``: send its stored CNF
    with ``perform(addClaim)`` (rolled back) and compare what perform stores — the ``cnf``,
    ``claimant_surname`` and ``cr_reference`` columns — with the generated row. An EL/PL CNF's
    notification date is the day the claim was sent: checked against the generated ``sent_at``, not
    against perform's (today). Returns the differences by claim type (an empty list: the same)."""
    from django.db import connection

    from claimsportal.protocols.timers import LONDON
    from claimsportal.protocols.types import ClaimType

    out: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT claim_type, min(application_id) FROM claims_claim"
            " WHERE application_id BETWEEN %s AND %s GROUP BY claim_type ORDER BY claim_type",
            [first_id, last_id],
        )
        firsts = cursor.fetchall()
        generated_rows = {}
        for claim_type, application_id in firsts:
            generated_rows[claim_type] = _row(cursor, "application_id = %s", [application_id])
    for claim_type, generated in generated_rows.items():
        assert generated is not None
        problems: list[str] = []
        try:
            reference = _reference_claim(claim_type, generated["comp_organisation_id"], generated["cnf"])
        except Exception as exc:
            out[claim_type] = [f"could not create a reference claim with perform(addClaim): {exc!r}"]
            continue
        cnf = generated["cnf"]
        if ClaimType(claim_type) is not ClaimType.RTA:
            details = cnf["applicationData"]["claimDetails"]
            sent_on = generated["sent_at"].astimezone(LONDON).date().isoformat()
            if details.get("notificationDate") != sent_on:
                problems.append(
                    f"cnf.applicationData.claimDetails.notificationDate: {details.get('notificationDate')!r},"
                    f" the claim was sent on {sent_on}"
                )
            today = reference["cnf"]["applicationData"]["claimDetails"]["notificationDate"]
            cnf = {
                **cnf,
                "applicationData": {
                    **cnf["applicationData"],
                    "claimDetails": {**details, "notificationDate": today},
                },
            }
        problems += _json_differences(cnf, reference["cnf"])
        for name in ("claimant_surname", "cr_reference"):
            if generated[name] != reference[name]:
                problems.append(f"{name}: generated {generated[name]!r}, perform writes {reference[name]!r}")
        out[claim_type] = problems
    return out
