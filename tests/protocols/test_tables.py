"""The shape of the RTA and EL/PL transition tables (WORKFLOW.md §4, §7.3, §14).

Structural checks that hold for any input: every phase can be reached and left, terminal phases are
closed, timers and timeouts fit together, turns belong to the phase owner, the operation catalogue
is the portal's, and the generated docs are those of the tables in the repository.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest

from claimsportal.protocols.definitions import SAME, ProtocolDefinition
from claimsportal.protocols.docs import FILENAMES, render_all
from claimsportal.protocols.tables import DEFINITIONS, ELPL, RTA, definition_for, timeouts_by_phase
from claimsportal.protocols.types import ActingSide, ClaimType, OperationKind, ProtocolName, Side

DOCS = Path(__file__).resolve().parents[2] / "docs"
BOTH = pytest.mark.parametrize("definition", [RTA, ELPL], ids=["RTA", "ELPL"])

# WORKFLOW.md §7.3, the RTA token WSDL's claim operations, written out by hand.
STAGE_1 = {
    "addClaim",
    "acceptClaim",
    "rejectClaimToCR",
    "acknowledgeRejectedClaim",
    "resendRejectedClaim",
    "exitRejectedClaim",
    "applyArticle75",
    "sendLiabilityDecision",
    "stateFraud",
    "acknowledgeLiabilityAdmitted",
    "acknowledgeLiabilityAdmittedForChild",
    "acknowledgeLiabilityAdmittedWithNeg",
    "acknowledgeDeniedLiability",
    "acknowledgeLiabilityDecisionTimeout",
    "acknowledgeFraudStated",
    "setStage1Payment",
}
STAGE_2_1 = {
    "setInterimPaymentNeeded",
    "addInterimSPFRequest",
    "addInterimSPFResponse",
    "rejectInterimSettlementPack",
    "extendInterimPaymentDecisionTimeout",
    "acknowledgeRejectedInterimSettlementPack",
    "acknowledgeInterimPaymentDecisionTimeout",
    "returnToStartOfStage21",
    "acceptPartialInterimPayment",
    "acknowledgePartialPaymentDecision",
    "setStage21Payment",
}
STAGE_2 = {
    "addStage2SPFRequest",
    "addStage2SPFResponse",
    "extendStage2SPFDecisionTimeout",
    "acknowledgeStage2SPFConfirmation",
    "acknowledgeStage2SPFRepudiation",
    "acknowledgeStage2SPFDecisionTimeout",
    "setStage2SPFCounterOfferNeeded",
    "addStage2SPFCounterOfferByCR",
    "addStage2SPFCounterOfferByCM",
    "extendStage2SPFCounterOfferTimeout",
    "setStage2SPFAgreementDecision",
    "acknowledgeStage2SPFAgreed",
    "acknowledgeStage2SPFNotAgreed",
}
ADDITIONAL_DAMAGES = {
    "setAdditionalDamagesExistence",
    "addS2SPFAdditionalDamagesRequest",
    "addS2SPFAdditionalDamagesResponse",
    "extendAdditionalDamagesDecisionTimeout",
    "acknowledgeAllDamagesAgreed",
    "setS2SPFAdditionalDamagesDecision",
    "acknowledgeAdditionalDamagesAgreement",
    "acknowledgeAdditionalDamagesDecisionTimeout",
}
COURT_PACK_AND_EXITS = {
    "addCPPFRequest",
    "addCPPFResponse",
    "acknowledgeCPPFResponse",
    "exitProcess",
    "acknowledgeExitProcess",
}
HOUSEKEEPING = {
    "lockClaim",
    "unlockClaim",
    "forceUnlockClaim",
    "allocateUser",
    "deallocateUser",
    "allocateClaimToBranch",
    "reassignToAnotherCM",
}
RTA_OPERATIONS = STAGE_1 | STAGE_2_1 | STAGE_2 | ADDITIONAL_DAMAGES | COURT_PACK_AND_EXITS | HOUSEKEEPING
ELPL_OPERATIONS = (RTA_OPERATIONS - ADDITIONAL_DAMAGES - {"applyArticle75", "setStage1Payment"}) | {
    "acknowledgeClaim"
}

# WORKFLOW.md §4.1a: the owner of every numbered phase.
OWNER_BY_REF = {
    "P01": Side.CR,
    "P02": Side.COMP,
    "P03": Side.COMP,
    "P04": Side.COMP,
    "P05": Side.COMP,
    **{f"P{n:02d}": Side.CR for n in range(6, 14)},
    "P20": Side.CR,
    "P21": Side.CR,
    "P22": Side.COMP,
    "P23": Side.CR,
    "P24": Side.CR,
    "P25": Side.CR,
    "P26": Side.COMP,
    "P27": Side.CR,
    "P30": Side.CR,
    "P31": Side.COMP,
    **{f"P{n}": Side.CR for n in range(32, 37)},
    "P37": Side.COMP,
    "P38": Side.CR,
    "P39": Side.COMP,
    "P40": Side.CR,
    "P50": Side.CR,
    "P51": Side.CR,
    "P52": Side.COMP,
    "P53": Side.CR,
    "P54": Side.CR,
    "P55": Side.CR,
    "P56": Side.COMP,
    "P60": Side.CR,
    "P61": Side.COMP,
    "P62": Side.CR,
}

# Phase IDs confirmed by public material (WORKFLOW.md §4.1): they must exist under exactly these names.
CONFIRMED_IDS = {
    "ClaimSubmitted",
    "LiabilityDecision",
    "LiabilityAdmitted",
    "AcknowledgeRejectedClaim",
    "ExitRejectedClaim",
    "Stage2SettlementPackConfirmationEnd",
    "Stage2SettlementPackAgreedEnd",
}
CONFIRMED_RTA_IDS = {"Article75Decision", "Stage2SettlementPackAllDamagesAgreedEnd"}


def successors(definition: ProtocolDefinition, phase: str) -> set[str]:
    out = set()
    for op in definition.operations_from(phase):
        for route in op.routes:
            out.add(phase if route.target == SAME else route.target)
    timeout = definition.phases[phase].on_timeout
    if timeout:
        out.add(timeout)
    return out


def reachable(definition: ProtocolDefinition, start: str) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in successors(definition, queue.popleft()) - seen:
            seen.add(nxt)
            queue.append(nxt)
    return seen


# --------------------------------------------------------------------------------------------------
# Reaching and leaving phases
# --------------------------------------------------------------------------------------------------


@BOTH
def test_every_phase_is_reachable_from_claim_data_input(definition: ProtocolDefinition) -> None:
    assert definition.initial_phase == "ClaimDataInputEdit"
    unreachable = set(definition.phases) - reachable(definition, definition.initial_phase)
    assert unreachable == set()


@BOTH
def test_every_active_phase_has_a_workflow_operation_or_a_timeout_out_of_it(
    definition: ProtocolDefinition,
) -> None:
    stuck = []
    for phase in definition.phases.values():
        if phase.terminal:
            continue
        leaving = [
            op
            for op in definition.operations_from(phase.id)
            if op.kind is OperationKind.WORKFLOW and any(r.target not in (SAME, phase.id) for r in op.routes)
        ]
        if not leaving and phase.on_timeout is None:
            stuck.append(phase.id)
    assert stuck == []


@BOTH
def test_a_terminal_phase_can_be_reached_from_every_phase(definition: ProtocolDefinition) -> None:
    terminal = {p for p, ph in definition.phases.items() if ph.terminal}
    no_way_out = [p for p in definition.phases if not reachable(definition, p) & terminal]
    assert no_way_out == []


@BOTH
def test_terminal_phases_are_closed(definition: ProtocolDefinition) -> None:
    for phase in definition.phases.values():
        if phase.terminal:
            assert definition.operations_from(phase.id) == [], phase.id
            assert phase.owner is None and phase.timer is None and phase.on_timeout is None, phase.id


# --------------------------------------------------------------------------------------------------
# Timers and timeouts
# --------------------------------------------------------------------------------------------------


@BOTH
def test_every_timed_phase_times_out_into_an_untimed_phase_someone_owns(
    definition: ProtocolDefinition,
) -> None:
    timed = list(definition.timed_phases())
    assert len(timed) >= 9
    for phase in timed:
        assert phase.on_timeout is not None, phase.id
        target = definition.phases[phase.on_timeout]
        assert target.timer is None, f"{phase.id} times out into the timed phase {target.id}"
        assert target.owner is not None and not target.terminal, f"{phase.id} times out into {target.id}"
    for phase in definition.phases.values():
        if phase.timer is None:
            assert phase.on_timeout is None, phase.id


def test_the_sweep_mapping_agrees_with_both_protocols() -> None:
    """``timeouts_by_phase`` is keyed by phase ID alone: a phase both protocols share must time out
    the same way in both."""
    mapping = timeouts_by_phase()
    for definition in DEFINITIONS.values():
        for phase in definition.timed_phases():
            assert phase.on_timeout is not None
            expected = (phase.on_timeout, definition.phases[phase.on_timeout].owner)
            assert mapping[phase.id] == expected, (definition.name, phase.id)
    assert set(mapping) == {p.id for d in DEFINITIONS.values() for p in d.timed_phases()}


@BOTH
def test_the_liability_timer_runs_in_every_stage_1_compensator_phase(definition: ProtocolDefinition) -> None:
    stage1_comp = {
        p for p, ph in definition.phases.items() if ph.stage == "Stage 1" and ph.owner is Side.COMP
    }
    assert stage1_comp == {
        p for p, ph in definition.phases.items() if ph.timer and ph.timer.value == "LIABILITY"
    }
    for phase in stage1_comp:
        assert definition.phases[phase].on_timeout == "LiabilityDecisionTimeout"


# --------------------------------------------------------------------------------------------------
# Turns
# --------------------------------------------------------------------------------------------------


@BOTH
def test_phase_owners_are_those_of_the_workflow(definition: ProtocolDefinition) -> None:
    numbered = [ph for ph in definition.phases.values() if ph.ref and ph.ref not in ("P90", "P91")]
    assert {ph.ref for ph in numbered} <= set(OWNER_BY_REF)
    for phase in numbered:
        assert phase.owner is OWNER_BY_REF[phase.ref], phase.id
    exit_phase = definition.phases["ExitProcess"]
    assert exit_phase.owner is None and not exit_phase.terminal, "the side that did not exit owns it"


@BOTH
def test_a_workflow_operation_belongs_to_the_side_that_owns_each_of_its_phases(
    definition: ProtocolDefinition,
) -> None:
    for op in definition.operations:
        if op.kind is not OperationKind.WORKFLOW:
            continue
        assert op.actor is not ActingSide.EITHER, op.name
        for source in op.sources:
            owner = definition.phases[source].owner
            if op.actor is ActingSide.OWNER:
                assert owner is not None or source == "ExitProcess", (op.name, source)
            else:
                assert owner is Side(op.actor.value), (op.name, source)


@BOTH
def test_an_operation_name_is_declared_once_per_phase(definition: ProtocolDefinition) -> None:
    pairs = [(op.name, s) for op in definition.operations for s in op.sources]
    assert len(pairs) == len(set(pairs))


@BOTH
def test_no_operation_starts_from_the_draft_except_sending(definition: ProtocolDefinition) -> None:
    workflow = {
        op.name
        for op in definition.operations_from("ClaimDataInputEdit")
        if op.kind is OperationKind.WORKFLOW
    }
    assert workflow == {"addClaim"}


# --------------------------------------------------------------------------------------------------
# The operation catalogue and the phase IDs
# --------------------------------------------------------------------------------------------------


def test_the_rta_protocol_has_exactly_the_rta_operations_of_the_catalogue() -> None:
    assert len(RTA_OPERATIONS) == 60
    assert set(RTA.operation_names) == RTA_OPERATIONS


def test_the_elpl_protocol_has_them_without_additional_damages_article_75_and_stage_1_payment() -> None:
    assert set(ELPL.operation_names) == ELPL_OPERATIONS
    only_elpl = ELPL_OPERATIONS - RTA_OPERATIONS
    assert only_elpl == {"acknowledgeClaim"}


@BOTH
def test_housekeeping_operations_never_change_the_phase(definition: ProtocolDefinition) -> None:
    housekeeping = {op.name for op in definition.operations if op.kind is OperationKind.HOUSEKEEPING}
    assert housekeeping <= HOUSEKEEPING
    for op in definition.operations:
        if op.kind is OperationKind.HOUSEKEEPING:
            assert [r.target for r in op.routes] == [SAME], op.name


def test_confirmed_phase_ids_keep_their_public_names() -> None:
    assert set(RTA.phases) >= CONFIRMED_IDS | CONFIRMED_RTA_IDS
    assert set(ELPL.phases) >= CONFIRMED_IDS
    assert set(ELPL.phases).isdisjoint(
        CONFIRMED_RTA_IDS | {"StartS2SPAdditionalDamages", "AdditionalDamagesDecision"}
    )
    assert "ClaimAcknowledgement" in ELPL.phases and "ClaimAcknowledgement" not in RTA.phases


def test_each_claim_type_uses_its_protocol() -> None:
    assert definition_for("RTA") is RTA
    for claim_type in (ClaimType.EL, ClaimType.ELD, ClaimType.PL):
        assert definition_for(claim_type) is ELPL
    assert {d.name for d in DEFINITIONS.values()} == set(ProtocolName)


# --------------------------------------------------------------------------------------------------
# The generated docs
# --------------------------------------------------------------------------------------------------


def test_the_generated_docs_are_fresh() -> None:
    rendered = render_all()
    assert set(rendered) == set(FILENAMES.values())
    for name, text in rendered.items():
        on_disk = (DOCS / name).read_text(encoding="utf-8")
        assert on_disk == text, f"docs/{name} is stale: run `claimsportal generate-docs`"


@BOTH
def test_the_docs_name_every_phase_and_operation(definition: ProtocolDefinition) -> None:
    text = render_all()[FILENAMES[definition.name]]
    for phase in definition.phases:
        assert f"| `{phase}` |" in text, phase
    for name in definition.operation_names:
        assert f"| `{name}` |" in text, name
