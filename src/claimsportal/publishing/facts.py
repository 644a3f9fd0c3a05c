"""The anonymous facts of the Executive Dashboard, recorded when the events happen.

:func:`observe` is registered with ``claims.effects`` (``PublishingConfig.ready``): the ledger tells it
of every event it writes (an operation, a draft, an attachment, the timer sweep's set-based moves), in
the same transaction. :func:`classify` reads the event alone (type, operation, phases, payload): for
the events that are not facts (most of them: locks, allocations, acknowledgements, attachments) it
returns nothing and :func:`observe` runs no query. A fact row holds the month (business clock), the
protocol, the measure, its reason and, for a settlement, the settled damages: no claim, organisation
or user. Rows are only ever inserted, so deleting claims changes no figure.

Which event means what (docs/publishing.md, "Measures"), from the protocol tables:

- ``CNF_SENT``: ``addClaim`` from the draft phase (web send or A2A addClaim); a re-sent rejected CNF is
  not a new CNF;
- ``STAGE1_EXIT``: the claim enters ``LiabilityDecisionTimeout`` (TIMEOUT, the timer sweep),
  ``LiabilityNotAdmitted`` (LIABILITY_DENIED), ``LiabilityAdmittedWithNegligence``
  (CONTRIBUTORY_NEGLIGENCE) or ``FraudStated`` (FRAUD_STATED);
- ``EXIT``: the claim enters ``ExitProcess`` (the Exit function, by its ``exitReasonCode``; interim
  payment not received is code 12; a refused partial interim offer, once paid, is PARTIAL_REFUSED);
- ``STAGE2_EXIT``: leaving Stage 2.1/2 (or RTA additional damages) other than by settlement: the pack
  repudiated (REPUDIATED), the decision period expired (TIMEOUT), or the Exit function used there
  (EXIT); such an exit counts under ``EXIT`` too;
- ``SETTLED``: the claim enters a settlement end phase, with the damages of the offer accepted;
- ``COURT_PACK``: the Court Proceedings Pack completed (the claim enters ``EndOfStage2``: the
  compensator responded or its 5 days expired).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import structlog
from django.db import connection
from pydantic import ValidationError

from claimsportal.claims.effects import Written
from claimsportal.core import clock
from claimsportal.protocols.forms.losses import heads_from_json
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing.models import Fact

log = structlog.get_logger(__name__)
Metric = Fact.Metric

STAGE1_EXITS = {
    "LiabilityDecisionTimeout": "TIMEOUT",
    "LiabilityNotAdmitted": "LIABILITY_DENIED",
    "LiabilityAdmittedWithNegligence": "CONTRIBUTORY_NEGLIGENCE",
    "FraudStated": "FRAUD_STATED",
}
STAGE2_EXITS = {
    "Stage2SettlementPackRepudiation": "REPUDIATED",
    "Stage2SettlementPackDecisionTimeout": "TIMEOUT",
}
SETTLEMENT_ENDS = frozenset(
    {
        "Stage2SettlementPackConfirmationEnd",
        "Stage2SettlementPackAgreedEnd",
        "Stage2SettlementPackAllDamagesAgreedEnd",
    }
)
COURT_PACK_COMPLETED = "EndOfStage2"
EXIT_PHASE = "ExitProcess"
DRAFT_PHASE = "ClaimDataInputEdit"
PARTIAL_REFUSED = "PARTIAL_REFUSED"
STAGE2_STAGES = frozenset({"Stage 2.1", "Stage 2", "Additional Damages"})
# The phases of Stage 2.1, Stage 2 and the RTA additional damages, from the tables.
STAGE2_PHASES = frozenset(
    phase.id
    for claim_type in ("RTA", "EL")
    for phase in definition_for(claim_type).phases.values()
    if phase.stage in STAGE2_STAGES
)
# The compensator's offers, whose figures a claimant's acceptance settles on.
COMPENSATOR_OFFERS = (
    "addStage2SPFResponse",
    "addStage2SPFCounterOfferByCM",
    "addS2SPFAdditionalDamagesResponse",
)

# Every phase a fact can start in: an event entering none of these (and not sending a CNF) is no fact.
FACT_PHASES = frozenset({*STAGE1_EXITS, *STAGE2_EXITS, *SETTLEMENT_ENDS, COURT_PACK_COMPLETED, EXIT_PHASE})


def month_of(written: Written) -> date:
    return written.occurred_at.astimezone(LONDON).date().replace(day=1)


def classify(written: Written) -> list[tuple[str, str]]:
    """The facts ``written`` is, as (metric, reason); [] for an event that is none. Pure."""
    before, after = written.phase_before, written.phase_after
    if written.operation == "addClaim" and before == DRAFT_PHASE and after != DRAFT_PHASE:
        return [(Metric.CNF_SENT, "")]
    if after == before or after not in FACT_PHASES:
        return []
    if after in STAGE1_EXITS:
        return [(Metric.STAGE1_EXIT, STAGE1_EXITS[after])]
    if after in STAGE2_EXITS:
        return [(Metric.STAGE2_EXIT, STAGE2_EXITS[after])]
    if after in SETTLEMENT_ENDS:
        return [(Metric.SETTLED, "")]
    if after == COURT_PACK_COMPLETED:
        return [(Metric.COURT_PACK, "")]
    # ExitProcess
    code = written.payload.get("exitReasonCode")
    if code is None:
        code = "12" if written.payload.get("isStage21Paid") is False else PARTIAL_REFUSED
    found = [(Metric.EXIT.value, str(code))]
    if before in STAGE2_PHASES:
        found.append((Metric.STAGE2_EXIT.value, "EXIT"))
    return found


def observe(written: Sequence[Written]) -> None:
    """The ledger's observer: one fact row per fact, inserted in the event's transaction."""
    rows: list[Fact] = []
    for item in written:
        found = classify(item)
        if not found:
            continue
        month = month_of(item)
        for metric, reason in found:
            amount = settled_damages(item.application_id) if metric == Metric.SETTLED else None
            rows.append(
                Fact(month=month, protocol=item.claim_type, metric=metric, reason=reason, amount=amount)
            )
    if rows:
        Fact.objects.bulk_create(rows)


def settled_damages(application_id: int) -> Decimal | None:
    """The damages a settlement agreed: the claimant's figures when the claimant made the last offer
    (the compensator accepted it), else the compensator's last offer (which a confirmation fills with
    the claimant's figures). Each head after its contributory negligence deduction, plus interest.
    Read now, while the claim exists: the fact keeps the amount, not the claim."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT claim_type, state FROM claims_claim WHERE application_id = %s", [application_id]
        )
        row = cursor.fetchone()
        if row is None:
            return None
        claim_type, raw = row
        state: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        if state.get("last_offer_by") == "CR" and state.get("claimed_heads"):
            heads = heads_from_json(dict(_pairs(state["claimed_heads"])))
            return _money(sum((h.net + (h.interest or 0) for h in heads.values()), Decimal(0)))
        holes = ", ".join(["%s"] * len(COMPENSATOR_OFFERS))
        cursor.execute(
            "SELECT operation, phase_before, payload FROM claims_claimevent"
            f" WHERE claim_id = %s AND operation IN ({holes}) ORDER BY id DESC LIMIT 1",
            [application_id, *COMPENSATOR_OFFERS],
        )
        event = cursor.fetchone()
    if event is None:
        return None
    operation, phase, payload = event
    stored = json.loads(payload) if isinstance(payload, str) else dict(payload)
    # The event keeps the form as sent plus the portal's own notes (``_route`` …).
    form_json = json.dumps({k: v for k, v in stored.items() if not k.startswith("_")})
    spec = definition_for(str(claim_type)).operation(str(operation), str(phase))
    if spec is None:
        return None
    try:
        form = spec.payload.model_validate_json(form_json, context={"today": clock.today()})
    except ValidationError:
        log.warning("settled_damages_unreadable", operation=operation)
        return None
    answers = getattr(form, "answers", [])
    return _money(sum((a.net + (a.interest or 0) for a in answers), Decimal(0)))


def _pairs(value: Any) -> list[tuple[str, dict[str, str]]]:
    pairs = value.items() if isinstance(value, dict) else value
    return [(str(k), dict(v)) for k, v in pairs]


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))
