"""Whole claim lives over HTTP only: the A2A API moves every claim, from ``addClaim`` to an end phase.

Each life reads as the protocol does (WORKFLOW.md §4, docs/phases-rta.md, docs/phases-elpl.md): which
side acts, with which operation and inputs, the phase the claim is then in and whose turn it is. The
expected phases, owners and dates are written out by hand, not read from the tables.

Between steps the two case-management systems behave as real clients do. The side that receives the
claim learns of it from its notification feed (every hand-over notifies the other organisation, and
only it), reads the claim's status for the current ``activityEngineGuid`` and the claim for what it
may do (``allowedOperations``); the side that handed the claim over is offered no workflow operation
any more. At the end neither side may do anything and the history lists every operation in order.

Time limits are reached through the sandbox endpoints only (``POST /sandbox/clock`` and
``/sandbox/runTimers``) on the real clock, whose sandbox offset is kept in the database. The sandbox
clock is first set to the shared world's instant, Monday 2 March 2026 10:00 London, so that deadlines
can be checked to the day (Good Friday 3 April and Easter Monday 6 April 2026 are not business days;
British Summer Time starts on 29 March). The lives without a timeout run on the fixed clock of
``tests.conftest`` at that same instant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest

from claimsportal.claims.visibility import ARCHIVED_PHASE
from claimsportal.core.clock import SystemClock, use_clock
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.forms.examples import insurer_response_example
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import ClaimType
from tests.a2a.conftest import Answer, Caller, Callers, caller_for
from tests.conftest import DEFAULT_NOW, World, cnf
from tests.shorthands import general_damages_claim, stage2_shorthand

pytestmark = pytest.mark.django_db

CR, COMP, SYSTEM = "CR", "COMP", "SYSTEM"
BY = {CR: "the claimant representative", COMP: "the compensator"}
# Operations that never move a claim (locks and allocation, WORKFLOW.md §7.3): the only ones a side
# whose turn it is not may still be offered.
HOUSEKEEPING = frozenset(
    {
        "lockClaim",
        "unlockClaim",
        "forceUnlockClaim",
        "allocateUser",
        "deallocateUser",
        "allocateClaimToBranch",
    }
)
STATUS_OF = {"WRONG_PHASE": 409, "STALE_ACTIVITY_GUID": 409, "WRONG_SIDE": 403, "BUSINESS_RULE": 422}


def london(instant: str) -> str:
    """An ISO instant as London wall-clock time, to the minute."""
    return f"{datetime.fromisoformat(instant).astimezone(LONDON):%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------------------------------
# The Stage 2 forms: complete packs (tests.shorthands), the claimant claiming general damages
# --------------------------------------------------------------------------------------------------

DECIDES = {
    "settlementPackDecision": "addStage2SPFResponse",
    "settlementPackCounterOfferDecision": "addStage2SPFCounterOfferByCM",
    "additionalDamagesDecision": "addS2SPFAdditionalDamagesResponse",
}


def protocol_of(claim_type: str) -> str:
    return ClaimType(claim_type).protocol.value


def claimant_offer(claim_type: str, gross: str, *, before: str | None = None) -> dict[str, Any]:
    """The claimant's Stage 2 Settlement Pack claiming general damages of ``gross`` (WORKFLOW.md §6.7)
    or, after a claim of ``before``, its counter offer (§6.9)."""
    if before is None:
        return stage2_shorthand(protocol_of(claim_type), "addStage2SPFRequest", {"generalDamages": gross})
    return stage2_shorthand(
        protocol_of(claim_type),
        "addStage2SPFCounterOfferByCR",
        {"generalDamages": gross},
        general_damages_claim(before),
    )


def compensator_offer(
    claim_type: str, gross: str, *, claimed: str = "3500.00", hire: str | None = None, **decision: str
) -> dict[str, Any]:
    """The compensator's reply offering ``gross`` for general damages of ``claimed`` (and car hire of
    ``hire``) with its decision field (WORKFLOW.md §6.8, §6.9, §6.10)."""
    [name] = decision
    state = general_damages_claim(claimed, **({"2": hire} if hire else {}))
    return stage2_shorthand(protocol_of(claim_type), DECIDES[name], {**decision, "offer": gross}, state)


def interim_request(claim_type: str, amount: str) -> dict[str, Any]:
    """An Interim Settlement Pack requesting ``amount`` (WORKFLOW.md §6.5)."""
    return stage2_shorthand(protocol_of(claim_type), "addInterimSPFRequest", {"amountRequested": amount})


def interim_response(claim_type: str, offered: str, *, requested: str) -> dict[str, Any]:
    """The compensator's interim response offering ``offered`` of ``requested`` (WORKFLOW.md §6.6)."""
    state = {"interim_heads": {"8": {"gross": requested, "percent": "0.00"}}}
    return stage2_shorthand(
        protocol_of(claim_type), "addInterimSPFResponse", {"amountOffered": offered}, state
    )


def court_pack_part_a(claim_type: str) -> dict[str, Any]:
    """The Court Proceedings Pack (Parts A and B, WORKFLOW.md §6.11) after a claim of 3,500.00."""
    return stage2_shorthand(
        protocol_of(claim_type), "addCPPFRequest", {"claimantFinalOffer": "3200.00"}, general_damages_claim()
    )


def court_pack_part_b(claim_type: str) -> dict[str, Any]:
    """The compensator's response to the Court Proceedings Pack, with its final offer."""
    return stage2_shorthand(
        protocol_of(claim_type),
        "addCPPFResponse",
        {"offer": "2900.00", "finalOffer": "2900.00"},
        general_damages_claim(),
    )


# --------------------------------------------------------------------------------------------------
# The two case-management systems and one claim's life between them
# --------------------------------------------------------------------------------------------------


@dataclass
class Party:
    """One side's case-management system, acting for one claim handler."""

    side: str
    org: Organisation
    user: User
    caller: Caller
    cursor: str | None = None  # how far it has read its notification feed

    def get(self, path: str) -> Any:
        answer = self.caller.get(path, self.user)
        assert answer.status == 200, (path, answer.status, answer.body)
        return answer.body

    def post(self, path: str, body: dict[str, Any]) -> Answer:
        return self.caller.post(path, self.user, body)

    def poll(self) -> list[dict[str, Any]]:
        """The notifications that arrived since the last poll (the cursor moves on)."""
        page = self.get("/notifications" + (f"?after={self.cursor}" if self.cursor else ""))
        assert not page["more"]
        self.cursor = page["nextCursor"]
        return list(page["notifications"])


@dataclass(frozen=True)
class Step:
    operation: str  # "timeout" for a move by the timers
    side: str  # CR, COMP or SYSTEM
    phase: str  # where it took the claim


class Life:
    """One claim, moved only over HTTP by the claimant representative and the compensator.

    ``life.cr(operation, to=phase, awaiting=side, **inputs)`` (and ``life.comp``) performs one step
    and checks where it took the claim; ``awaiting=None`` is an end phase.
    """

    def __init__(self, world: World, claim_type: str, cr: Caller, comp: Caller) -> None:
        self.claim_type = claim_type
        self.parties = {
            CR: Party(CR, world.cr, world.cr_handler, cr),
            COMP: Party(COMP, world.comp, world.comp_handler, comp),
        }
        for party in self.parties.values():
            party.poll()  # read from here on
        self.id = ""
        self.guid = ""
        self.phase = ""
        self.phase_name = ""
        self.awaiting: str | None = None
        self.holder: str | None = None  # the side whose last answer carries the current guid
        self.notified: str | None = None  # the side a hand-over notified, which has not acted since
        self.offered: dict[str, list[str]] = {CR: [], COMP: []}  # allowedOperations as last read
        self.claim: dict[str, Any] = {}  # the claim as last read
        self.steps: list[Step] = []

    # -- moving the claim ----------------------------------------------------------------------------
    def send(self, *, to: str, awaiting: str, **facts: Any) -> None:
        """``addClaim``: the claimant representative sends a complete CNF to the compensator."""
        party = self.parties[CR]
        body = {
            "claimType": self.claim_type,
            "compensator": self.parties[COMP].org.path,
            "cnf": cnf(self.claim_type, **facts),
        }
        answer = party.post("/claims", body)
        assert answer.status == 201, answer.body
        self.id = answer.body["applicationId"]
        self._arrived(party, "addClaim", answer.body, to, awaiting)

    def cr(self, operation: str, *, to: str, awaiting: str | None, **inputs: Any) -> None:
        self._act(CR, operation, to, awaiting, inputs)

    def comp(self, operation: str, *, to: str, awaiting: str | None, **inputs: Any) -> None:
        self._act(COMP, operation, to, awaiting, inputs)

    def refused(
        self, side: str, operation: str, code: str, *, guid: str | None = None, **inputs: Any
    ) -> None:
        """``side`` tries ``operation`` (with ``guid``, or the current one) and is refused with ``code``;
        the claim does not move."""
        party = self.parties[side]
        body = {"activityEngineGuid": guid or self.guid, **inputs}
        answer = party.post(f"/claims/{self.id}/{operation}", body)
        assert (answer.status, answer.code) == (STATUS_OF[code], code), (operation, answer.body)
        info = party.get(f"/claims/{self.id}/status")["claimInfo"]
        assert (info["phaseCacheId"], info["activityEngineGuid"]) == (self.phase, self.guid)

    def _act(self, side: str, operation: str, to: str, awaiting: str | None, inputs: dict[str, Any]) -> None:
        party = self.parties[side]
        if self.holder != side:
            self._take_over(party)
        assert operation in self.offered[side], f"{operation} is not offered to {side}: {self.offered[side]}"
        answer = party.post(f"/claims/{self.id}/{operation}", {"activityEngineGuid": self.guid, **inputs})
        assert answer.status == 200, (operation, answer.status, answer.body)
        self._arrived(party, operation, answer.body, to, awaiting)

    def _take_over(self, party: Party) -> None:
        """The claim has come to ``party`` (handed over, or moved by the timers): it reads its new
        notifications, the claim's status (for the current guid) and the claim (what it may do)."""
        news = self._news(party)
        if self.notified == party.side:
            last = self.steps[-1]
            assert [n["kind"] for n in news] == ["CHANGE"], news
            message = news[0]["notificationMessage"]
            assert f"{last.operation} by {BY[last.side]}" in message and self.phase_name in message, message
        else:
            assert news == [], f"{party.side} was told of nothing new: {news}"
        info = party.get(f"/claims/{self.id}/status")["claimInfo"]
        assert info["phaseCacheId"] == self.phase
        self.guid, self.holder = info["activityEngineGuid"], party.side
        self._read(party)

    def _arrived(
        self, party: Party, operation: str, info: dict[str, str], to: str, awaiting: str | None
    ) -> None:
        assert info["applicationId"] == self.id
        assert info["phaseCacheId"] == to, f"{operation} took the claim to {info['phaseCacheId']}, not {to}"
        assert info["activityEngineGuid"] != self.guid, "every change issues a new activityEngineGuid"
        self.guid, self.phase, self.phase_name = info["activityEngineGuid"], to, info["phaseCacheName"]
        self.awaiting, self.holder = awaiting, party.side
        self.notified = awaiting if awaiting not in (None, party.side) else None
        self.steps.append(Step(operation, party.side, to))
        self._read(party)

    def _read(self, party: Party) -> None:
        """``party`` reads the claim: whose turn it is, and what it is offered. An archived claim has
        left the claims: only the archive shows it (docs/custody.md)."""
        if self.phase == ARCHIVED_PHASE:
            gone = party.caller.get(f"/claims/{self.id}", party.user)
            assert (gone.status, gone.code) == (404, "NOT_FOUND") and "archive" in gone.body["message"]
            self.offered[party.side] = []
            return
        claim = party.get(f"/claims/{self.id}")
        assert claim["claimInfo"] == {
            "applicationId": self.id,
            "activityEngineGuid": self.guid,
            "phaseCacheId": self.phase,
            "phaseCacheName": self.phase_name or claim["claimInfo"]["phaseCacheName"],
        }
        assert claim["awaitingSide"] == self.awaiting, (self.phase, claim["awaitingSide"], self.awaiting)
        offered = claim["allowedOperations"]
        if self.awaiting == party.side:
            assert set(offered) - HOUSEKEEPING, f"nothing offered to {party.side} in {self.phase}"
        else:
            assert set(offered) <= HOUSEKEEPING, f"{party.side} is offered {offered} in {self.phase}"
        self.phase_name = claim["claimInfo"]["phaseCacheName"]
        self.offered[party.side], self.claim = offered, claim

    def _news(self, party: Party) -> list[dict[str, Any]]:
        return [n for n in party.poll() if n["applicationId"] == self.id]

    # -- reading it ------------------------------------------------------------------------------------
    def workflow_offered(self, side: str) -> set[str]:
        """The workflow operations ``side`` is offered now (it reads the claim afresh)."""
        self._read(self.parties[side])
        return set(self.offered[side]) - HOUSEKEEPING

    def deadline(self) -> tuple[str, str] | None:
        """The current time limit as last read: its kind and the last day for action."""
        found = self.claim["deadline"]
        return None if found is None else (found["kind"], found["lastDayForAction"])

    def submitted(self, operation: str) -> dict[str, Any]:
        """The form last submitted with ``operation``, as the claim shows it."""
        forms = [f["form"] for f in self.claim["submittedForms"] if f["operation"] == operation]
        assert forms, f"no {operation} form"
        return dict(forms[-1])

    def ended(self) -> list[dict[str, Any]]:
        """The claim is in an end phase: neither side may do anything, and both see the same history,
        listing every step in order."""
        assert self.awaiting is None
        histories = []
        for party in self.parties.values():
            if self.phase == ARCHIVED_PHASE:  # read through the archive, with its profile
                party.user.profiles = [*party.user.profiles, "SEARCH_ARCHIVE"]
                party.user.save(update_fields=["profiles"])
                archived = party.caller.get(f"/archive/claims/{self.id}", party.user)
                assert archived.status == 200 and archived.body["phaseCacheId"] == self.phase, archived.body
                histories.append(archived.body["history"])
                continue
            claim = party.get(f"/claims/{self.id}")
            assert claim["claimInfo"]["phaseCacheId"] == self.phase
            assert (claim["awaitingSide"], claim["deadline"], claim["allowedOperations"]) == (None, None, [])
            histories.append(party.get(f"/claims/{self.id}/history"))
        history = histories[0]
        assert histories[1] == history
        assert [(e["operation"], e["side"], e["phaseAfter"]) for e in history] == [
            (s.operation, s.side, s.phase) for s in self.steps
        ]
        assert [e["phaseBefore"] for e in history] == ["ClaimDataInputEdit"] + [
            s.phase for s in self.steps[:-1]
        ]
        users = {side: party.user.user_id for side, party in self.parties.items()}
        assert [e["userId"] for e in history] == [users.get(s.side) for s in self.steps]
        return list(history)

    # -- time, in sandbox mode -----------------------------------------------------------------------------
    def move_clock(self, **body: Any) -> str:
        """``POST /sandbox/clock``; then both systems get new access tokens (the old ones have expired
        in sandbox time)."""
        answer = self.parties[CR].post("/sandbox/clock", body)
        assert answer.status == 200, answer.body
        for party in self.parties.values():
            party.caller = caller_for(party.org)
        return str(answer.body["now"])

    def run_timers(self) -> int:
        answer = self.parties[COMP].post("/sandbox/runTimers", {})
        assert answer.status == 200, answer.body
        return int(answer.body["timedOut"])

    def times_out(self, *, to: str, awaiting: str, limit: str) -> None:
        """The timers move the claim to ``to``; both organisations are told that the ``limit`` was
        reached, and both read the claim. (A silent party may also find the notice of the hand-over it
        did not answer, unless 15 days have purged it.)"""
        assert self.run_timers() == 1
        unanswered = self.notified
        self.steps.append(Step("timeout", SYSTEM, to))
        self.phase, self.phase_name, self.awaiting, self.holder, self.notified = to, "", awaiting, None, None
        for party in self.parties.values():
            news = self._news(party)
            reached = [n["notificationMessage"] for n in news if n["kind"] == "TIME_LIMIT_REACHED"]
            assert reached == [f"{limit} for claim {self.id}: time limit reached"], news
            # (runTimers runs the worker's business-clock jobs: the time-limit warnings too.)
            others = [n["kind"] for n in news if n["kind"] not in ("TIME_LIMIT_REACHED", "WARNING")]
            assert others in ([], ["CHANGE"] if unanswered == party.side else []), news
            info = party.get(f"/claims/{self.id}/status")["claimInfo"]
            assert info["phaseCacheId"] == to
            self.guid = info["activityEngineGuid"]
            self._read(party)


# --------------------------------------------------------------------------------------------------
# The common stretches of a life
# --------------------------------------------------------------------------------------------------


def liability_admitted(life: Life) -> None:
    """Stage 1: the CNF sent, acknowledged (EL/PL), accepted, Article 75 not applied (RTA), liability
    admitted with a full insurer response and the admission acknowledged."""
    if life.claim_type == "RTA":
        life.send(to="ClaimSubmitted", awaiting=COMP)
        life.comp("acceptClaim", to="Article75Decision", awaiting=COMP, insurerClaimReferenceNumber="INS-7")
        life.comp("applyArticle75", to="LiabilityDecision", awaiting=COMP, isArticle75=False)
    else:
        life.send(to="ClaimAcknowledgement", awaiting=COMP)
        life.comp("acknowledgeClaim", to="ClaimSubmitted", awaiting=COMP)
        life.comp("acceptClaim", to="LiabilityDecision", awaiting=COMP, insurerClaimReferenceNumber="INS-7")
    life.comp(
        "sendLiabilityDecision",
        to="LiabilityAdmitted",
        awaiting=CR,
        insurerResponse=insurer_response_example(life.claim_type, "A"),
    )
    life.cr("acknowledgeLiabilityAdmitted", to="StartOfStage21", awaiting=CR)


def stage2_pack_sent(life: Life) -> None:
    """No interim payment: the Stage 2 Settlement Pack goes to the compensator."""
    life.cr(
        "setInterimPaymentNeeded", to="Stage2SettlementPackForm", awaiting=CR, isInterimPaymentNeeded=False
    )
    life.cr(
        "addStage2SPFRequest",
        to="Stage2SettlementPackDecision",
        awaiting=COMP,
        **claimant_offer(life.claim_type, "3500.00"),
    )


def counter_offered(life: Life) -> None:
    """The pack sent and answered with the compensator's counter offer."""
    stage2_pack_sent(life)
    life.comp(
        "addStage2SPFResponse",
        to="Stage2SettlementPackCounterOfferDecision",
        awaiting=CR,
        **compensator_offer(life.claim_type, "2800.00", settlementPackDecision="CO"),
    )


def court_pack_answered(life: Life) -> None:
    """From the Court Proceedings Pack form to the end of Stage 2 in the portal."""
    life.cr(
        "addCPPFRequest",
        to="CourtProceedingsPackFormResponse",
        awaiting=COMP,
        **court_pack_part_a(life.claim_type),
    )
    assert life.deadline() == ("COURT_PACK_RESPONSE", "2026-03-09"), "5 business days"
    life.comp("addCPPFResponse", to="EndOfStage2", awaiting=CR, **court_pack_part_b(life.claim_type))
    life.cr("acknowledgeCPPFResponse", to="EndOfStage2Acknowledged", awaiting=None)


@pytest.fixture
def sandbox(world: World, settings: Any) -> Iterator[World]:
    """Sandbox mode on the real clock, as integrators use it."""
    settings.SANDBOX = True
    with use_clock(SystemClock()):
        yield world


def sandbox_life(world: World, claim_type: str) -> Life:
    """A life in sandbox mode, its clock set to Monday 2 March 2026 10:00 London."""
    life = Life(world, claim_type, caller_for(world.cr), caller_for(world.comp))
    assert london(life.move_clock(now=DEFAULT_NOW.isoformat())) == "2026-03-02 10:00"
    return life


# --------------------------------------------------------------------------------------------------
# RTA
# --------------------------------------------------------------------------------------------------


def test_an_rta_claim_through_stage_1_two_interim_payments_and_a_confirmed_stage_2_pack(
    world: World, callers: Callers
) -> None:
    life = Life(world, "RTA", callers.cr, callers.comp)
    # Stage 1
    life.send(to="ClaimSubmitted", awaiting=COMP, surname="Okafor")
    assert life.deadline() == ("LIABILITY", "2026-03-23"), "15 business days"
    assert life.workflow_offered(COMP) >= {"acceptClaim", "rejectClaimToCR", "stateFraud", "exitProcess"}
    life.refused(CR, "acceptClaim", "WRONG_SIDE")
    life.comp("acceptClaim", to="Article75Decision", awaiting=COMP, insurerClaimReferenceNumber="INS/2026/1")
    assert life.offered[COMP] and "rejectClaimToCR" not in life.offered[COMP]
    life.comp("applyArticle75", to="LiabilityDecision", awaiting=COMP, isArticle75=False)
    assert life.deadline() == ("LIABILITY", "2026-03-23")
    before = life.guid
    life.comp(
        "sendLiabilityDecision",
        to="LiabilityAdmitted",
        awaiting=CR,
        insurerResponse=insurer_response_example("RTA", "A", reference="INS/2026/1"),
    )
    assert life.deadline() is None
    life.refused(COMP, "sendLiabilityDecision", "STALE_ACTIVITY_GUID", guid=before)
    assert life.workflow_offered(CR) == {"acknowledgeLiabilityAdmitted", "setStage1Payment"}
    life.cr("setStage1Payment", to="LiabilityAdmitted", awaiting=CR, isStage1Paid=True)
    life.cr("acknowledgeLiabilityAdmitted", to="StartOfStage21", awaiting=CR)

    # Stage 2.1: an interim payment in full, then a partial one the claimant accepts
    life.cr(
        "setInterimPaymentNeeded", to="InterimSettlementPackForm", awaiting=CR, isInterimPaymentNeeded=True
    )
    life.refused(CR, "addInterimSPFRequest", "BUSINESS_RULE", **interim_request("RTA", "999.99"))
    life.cr(
        "addInterimSPFRequest",
        to="InterimPaymentDecision",
        awaiting=COMP,
        **interim_request("RTA", "1500.00"),
    )
    assert life.deadline() == ("INTERIM_DECISION", "2026-03-23"), "15 business days above 1,000 GBP"
    life.comp(
        "addInterimSPFResponse",
        to="WaitingForInterimPayment",
        awaiting=CR,
        **interim_response("RTA", "1500.00", requested="1500.00"),
    )
    life.cr("setStage21Payment", to="StartOfStage21", awaiting=CR, isStage21Paid=True)
    life.cr(
        "setInterimPaymentNeeded", to="InterimSettlementPackForm", awaiting=CR, isInterimPaymentNeeded=True
    )
    life.cr(
        "addInterimSPFRequest",
        to="InterimPaymentDecision",
        awaiting=COMP,
        **interim_request("RTA", "1000.00"),
    )
    assert life.deadline() == ("INTERIM_DECISION", "2026-03-16"), "10 business days at 1,000 GBP"
    life.comp(
        "addInterimSPFResponse",
        to="AcceptanceOfPartialInterimPayment",
        awaiting=CR,
        **interim_response("RTA", "600.00", requested="1000.00"),
    )
    life.cr(
        "acceptPartialInterimPayment",
        to="DecisionOfPartialInterimPayment",
        awaiting=COMP,
        isPartialInterimPaymentAccepted=True,
    )
    life.comp("acknowledgePartialPaymentDecision", to="WaitingForInterimPayment", awaiting=CR)
    life.cr("setStage21Payment", to="StartOfStage21", awaiting=CR, isStage21Paid=True)

    # Stage 2: the pack is confirmed and the adult claim settles
    stage2_pack_sent(life)
    assert life.deadline() == ("STAGE2_CONSIDERATION", "2026-03-23"), "15 business days"
    assert life.workflow_offered(COMP) >= {
        "addStage2SPFResponse",
        "extendStage2SPFDecisionTimeout",
        "exitProcess",
    }
    life.comp(
        "addStage2SPFResponse",
        to="Stage2SettlementPackConfirmation",
        awaiting=CR,
        **compensator_offer("RTA", "3500.00", settlementPackDecision="C"),
    )
    assert life.submitted("addStage2SPFResponse") == compensator_offer(
        "RTA", "3500.00", settlementPackDecision="C"
    )
    life.cr("acknowledgeStage2SPFConfirmation", to="Stage2SettlementPackConfirmationEnd", awaiting=None)

    history = life.ended()
    assert len(history) == 20
    assert life.claim["references"]["cmReference"] == "INS/2026/1"
    assert [f["operation"] for f in life.claim["submittedForms"]][:4] == [
        "addClaim",
        "acceptClaim",
        "applyArticle75",
        "sendLiabilityDecision",
    ]


def test_an_rta_claim_negotiated_with_counter_offers_to_an_agreement(world: World, callers: Callers) -> None:
    life = Life(world, "RTA", callers.cr, callers.comp)
    liability_admitted(life)
    counter_offered(life)
    assert life.deadline() == ("STAGE2_CONSIDERATION", "2026-04-22"), "35 business days from the pack"
    assert life.workflow_offered(CR) >= {
        "setStage2SPFCounterOfferNeeded",
        "extendStage2SPFCounterOfferTimeout",
        "exitProcess",
    }
    life.cr(
        "extendStage2SPFCounterOfferTimeout",
        to="Stage2SettlementPackCounterOfferDecision",
        awaiting=CR,
        newTimeOut="2026-05-08",
        reasonForExtension="1",
    )
    assert life.deadline() == ("STAGE2_CONSIDERATION", "2026-05-07"), "the agreed day is when it times out"
    life.cr(
        "setStage2SPFCounterOfferNeeded",
        to="Stage2SettlementPackCounterOfferCR",
        awaiting=CR,
        isStage2SPFCounterOfferNeeded=True,
    )
    life.cr(
        "addStage2SPFCounterOfferByCR",
        to="Stage2SettlementPackCounterOfferDecisionCM",
        awaiting=COMP,
        **claimant_offer("RTA", "3200.00", before="3500.00"),
    )
    life.refused(COMP, "setStage2SPFAgreementDecision", "BUSINESS_RULE", isAgreed=True)
    life.comp(
        "addStage2SPFCounterOfferByCM",
        to="Stage2SettlementPackCounterOfferDecision",
        awaiting=CR,
        **compensator_offer("RTA", "3000.00", claimed="3200.00", settlementPackCounterOfferDecision="NEWCO"),
    )
    life.cr(
        "setStage2SPFCounterOfferNeeded",
        to="Stage2SettlementPackAgreementDecision",
        awaiting=CR,
        isStage2SPFCounterOfferNeeded=False,
    )
    life.cr("setStage2SPFAgreementDecision", to="Stage2SettlementPackAgreedCR", awaiting=COMP, isAgreed=True)
    assert life.workflow_offered(COMP) == {"acknowledgeStage2SPFAgreed"}
    life.comp("acknowledgeStage2SPFAgreed", to="Stage2SettlementPackAgreedEnd", awaiting=None)

    assert [e["operation"] for e in life.ended()] == [
        "addClaim",
        "acceptClaim",
        "applyArticle75",
        "sendLiabilityDecision",
        "acknowledgeLiabilityAdmitted",
        "setInterimPaymentNeeded",
        "addStage2SPFRequest",
        "addStage2SPFResponse",
        "extendStage2SPFCounterOfferTimeout",
        "setStage2SPFCounterOfferNeeded",
        "addStage2SPFCounterOfferByCR",
        "addStage2SPFCounterOfferByCM",
        "setStage2SPFCounterOfferNeeded",
        "setStage2SPFAgreementDecision",
        "acknowledgeStage2SPFAgreed",
    ]


def test_an_rta_claim_not_agreed_goes_through_additional_damages_to_the_court_proceedings_pack(
    world: World, callers: Callers
) -> None:
    life = Life(world, "RTA", callers.cr, callers.comp)
    liability_admitted(life)
    counter_offered(life)
    life.cr(
        "setStage2SPFCounterOfferNeeded",
        to="Stage2SettlementPackAgreementDecision",
        awaiting=CR,
        isStage2SPFCounterOfferNeeded=False,
    )
    life.cr("setStage2SPFAgreementDecision", to="StartS2SPAdditionalDamages", awaiting=CR, isAgreed=False)
    assert life.deadline() is None
    life.cr(
        "setAdditionalDamagesExistence",
        to="S2SPAdditionalDamagesRequestForm",
        awaiting=CR,
        additionalDamagesExist=True,
    )
    life.cr(
        "addS2SPFAdditionalDamagesRequest",
        to="AdditionalDamagesDecision",
        awaiting=COMP,
        **stage2_shorthand(
            "RTA", "addS2SPFAdditionalDamagesRequest", {"hireCharges": "900.00"}, general_damages_claim()
        ),
    )
    assert life.deadline() == ("ADDITIONAL_DAMAGES_DECISION", "2026-03-23")
    life.comp(
        "addS2SPFAdditionalDamagesResponse",
        to="AllDamagesAgreed",
        awaiting=CR,
        **compensator_offer("RTA", "900.00", hire="900.00", additionalDamagesDecision="A"),
    )
    life.cr("acknowledgeAllDamagesAgreed", to="CourtProceedingsPackForm", awaiting=CR)
    assert life.workflow_offered(CR) >= {"addCPPFRequest", "exitProcess", "setStage1Payment"}
    court_pack_answered(life)

    history = life.ended()
    assert [e["operation"] for e in history][-8:] == [
        "setStage2SPFAgreementDecision",
        "setAdditionalDamagesExistence",
        "addS2SPFAdditionalDamagesRequest",
        "addS2SPFAdditionalDamagesResponse",
        "acknowledgeAllDamagesAgreed",
        "addCPPFRequest",
        "addCPPFResponse",
        "acknowledgeCPPFResponse",
    ]


def test_get_claim_shows_the_stage_2_pack_and_the_court_proceedings_pack_as_sent(
    world: World, callers: Callers
) -> None:
    life = Life(world, "EL", callers.cr, callers.comp)
    liability_admitted(life)
    counter_offered(life)
    life.cr(
        "setStage2SPFCounterOfferNeeded",
        to="Stage2SettlementPackAgreementDecision",
        awaiting=CR,
        isStage2SPFCounterOfferNeeded=False,
    )
    life.cr("setStage2SPFAgreementDecision", to="CourtProceedingsPackForm", awaiting=CR, isAgreed=False)
    life.cr("addCPPFRequest", to="CourtProceedingsPackFormResponse", awaiting=COMP, **court_pack_part_a("EL"))
    assert life.submitted("addStage2SPFResponse") == compensator_offer(
        "EL", "2800.00", settlementPackDecision="CO"
    )
    assert life.submitted("addStage2SPFRequest") == claimant_offer("EL", "3500.00")
    assert life.submitted("addCPPFRequest") == court_pack_part_a("EL")


# --------------------------------------------------------------------------------------------------
# EL, ELD and PL
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim_type", "liability_last_day"),
    [("EL", "2026-04-15"), ("PL", "2026-04-29")],
)
def test_an_elpl_claim_acknowledged_first_settles_when_its_counter_offer_is_accepted(
    world: World, callers: Callers, claim_type: str, liability_last_day: str
) -> None:
    life = Life(world, claim_type, callers.cr, callers.comp)
    life.send(to="ClaimAcknowledgement", awaiting=COMP)
    assert life.workflow_offered(COMP) >= {"acknowledgeClaim", "exitProcess"}
    assert "acceptClaim" not in life.offered[COMP]
    life.comp("acknowledgeClaim", to="ClaimSubmitted", awaiting=COMP)
    assert life.deadline() == ("LIABILITY", liability_last_day), "counted from the early acknowledgement"
    life.comp("acceptClaim", to="LiabilityDecision", awaiting=COMP)
    life.comp(
        "sendLiabilityDecision",
        to="LiabilityAdmitted",
        awaiting=CR,
        insurerResponse=insurer_response_example(claim_type, "A"),
    )
    assert "setStage1Payment" not in life.workflow_offered(CR), "RTA only"
    life.cr("acknowledgeLiabilityAdmitted", to="StartOfStage21", awaiting=CR)
    # An interim pack the compensator rejects
    life.cr(
        "setInterimPaymentNeeded", to="InterimSettlementPackForm", awaiting=CR, isInterimPaymentNeeded=True
    )
    life.cr(
        "addInterimSPFRequest",
        to="InterimPaymentDecision",
        awaiting=COMP,
        **interim_request(claim_type, "1200.00"),
    )
    life.comp(
        "rejectInterimSettlementPack",
        to="InterimSettlementPackRejected",
        awaiting=CR,
        rejectionComment="Waiting for the CRU certificate",
    )
    life.cr("acknowledgeRejectedInterimSettlementPack", to="StartOfStage21", awaiting=CR)
    # Stage 2: the claimant's counter offer is accepted
    counter_offered(life)
    life.cr(
        "setStage2SPFCounterOfferNeeded",
        to="Stage2SettlementPackCounterOfferCR",
        awaiting=CR,
        isStage2SPFCounterOfferNeeded=True,
    )
    life.cr(
        "addStage2SPFCounterOfferByCR",
        to="Stage2SettlementPackCounterOfferDecisionCM",
        awaiting=COMP,
        **claimant_offer(claim_type, "3100.00", before="3500.00"),
    )
    life.comp(
        "addStage2SPFCounterOfferByCM",
        to="Stage2SettlementPackConfirmation",
        awaiting=CR,
        **compensator_offer(
            claim_type, "3100.00", claimed="3100.00", settlementPackCounterOfferDecision="ACO"
        ),
    )
    life.cr("acknowledgeStage2SPFConfirmation", to="Stage2SettlementPackConfirmationEnd", awaiting=None)

    assert [e["operation"] for e in life.ended()] == [
        "addClaim",
        "acknowledgeClaim",
        "acceptClaim",
        "sendLiabilityDecision",
        "acknowledgeLiabilityAdmitted",
        "setInterimPaymentNeeded",
        "addInterimSPFRequest",
        "rejectInterimSettlementPack",
        "acknowledgeRejectedInterimSettlementPack",
        "setInterimPaymentNeeded",
        "addStage2SPFRequest",
        "addStage2SPFResponse",
        "setStage2SPFCounterOfferNeeded",
        "addStage2SPFCounterOfferByCR",
        "addStage2SPFCounterOfferByCM",
        "acknowledgeStage2SPFConfirmation",
    ]


@pytest.mark.parametrize("claim_type", ["EL", "ELD"])
def test_an_elpl_claim_not_agreed_goes_straight_to_the_court_proceedings_pack(
    world: World, callers: Callers, claim_type: str
) -> None:
    life = Life(world, claim_type, callers.cr, callers.comp)
    liability_admitted(life)
    counter_offered(life)
    life.cr(
        "setStage2SPFCounterOfferNeeded",
        to="Stage2SettlementPackAgreementDecision",
        awaiting=CR,
        isStage2SPFCounterOfferNeeded=False,
    )
    life.cr("setStage2SPFAgreementDecision", to="CourtProceedingsPackForm", awaiting=CR, isAgreed=False)
    assert "setAdditionalDamagesExistence" not in life.offered[CR], "no additional damages in EL/PL"
    court_pack_answered(life)

    assert [e["operation"] for e in life.ended()] == [
        "addClaim",
        "acknowledgeClaim",
        "acceptClaim",
        "sendLiabilityDecision",
        "acknowledgeLiabilityAdmitted",
        "setInterimPaymentNeeded",
        "addStage2SPFRequest",
        "addStage2SPFResponse",
        "setStage2SPFCounterOfferNeeded",
        "setStage2SPFAgreementDecision",
        "addCPPFRequest",
        "addCPPFResponse",
        "acknowledgeCPPFResponse",
    ]


# --------------------------------------------------------------------------------------------------
# Time limits, through the sandbox
# --------------------------------------------------------------------------------------------------


def test_a_liability_decision_not_made_in_time_times_out_to_the_claimant(sandbox: World) -> None:
    life = sandbox_life(sandbox, "RTA")
    life.send(to="ClaimSubmitted", awaiting=COMP)
    life.comp("acceptClaim", to="Article75Decision", awaiting=COMP)
    assert life.deadline() == ("LIABILITY", "2026-03-23")

    assert london(life.move_clock(advanceBusinessDays=15)) == "2026-03-23 10:00"
    assert life.run_timers() == 0, "the last day for action is not over"
    assert life.workflow_offered(COMP) >= {"applyArticle75", "stateFraud"}
    assert life.claim["deadline"]["businessDaysLeft"] == 0

    assert london(life.move_clock(advanceBusinessDays=1)) == "2026-03-24 10:00"
    life.refused(COMP, "applyArticle75", "WRONG_PHASE", isArticle75=False)  # too late, timers not yet run
    life.times_out(to="LiabilityDecisionTimeout", awaiting=CR, limit="Liability decision")
    assert life.workflow_offered(CR) == {"acknowledgeLiabilityDecisionTimeout"}
    life.refused(COMP, "applyArticle75", "WRONG_PHASE", isArticle75=False)
    life.cr("acknowledgeLiabilityDecisionTimeout", to="LiabilityDecisionTimeoutEnd", awaiting=None)

    history = life.ended()
    assert [(e["operation"], e["side"]) for e in history] == [
        ("addClaim", CR),
        ("acceptClaim", COMP),
        ("timeout", SYSTEM),
        ("acknowledgeLiabilityDecisionTimeout", CR),
    ]
    assert london(history[2]["occurredAt"]) == "2026-03-24 10:00"


def test_a_stage_2_pack_not_answered_by_the_agreed_date_times_out_to_the_claimant(sandbox: World) -> None:
    life = sandbox_life(sandbox, "RTA")
    liability_admitted(life)
    stage2_pack_sent(life)
    assert life.deadline() == ("STAGE2_CONSIDERATION", "2026-03-23")

    assert london(life.move_clock(advanceBusinessDays=10)) == "2026-03-16 10:00"
    life.comp(
        "extendStage2SPFDecisionTimeout",
        to="Stage2SettlementPackDecision",
        awaiting=COMP,
        newTimeOut="2026-04-01",
        reasonForExtension="1",
    )
    assert life.deadline() == ("STAGE2_CONSIDERATION", "2026-03-31")
    fires_at = life.claim["deadline"]["firesAt"]
    assert london(fires_at) == "2026-04-01 00:00", "the claim times out as the agreed day begins"

    life.move_clock(now="2026-03-24T10:00:00+00:00")
    assert life.run_timers() == 0, "the original limit no longer applies"
    life.move_clock(now="2026-03-31T23:00:00+01:00")
    assert life.run_timers() == 0
    life.move_clock(now=fires_at)
    life.times_out(
        to="Stage2SettlementPackDecisionTimeout", awaiting=CR, limit="Stage 2 Settlement Pack response needed"
    )
    assert life.workflow_offered(CR) == {"acknowledgeStage2SPFDecisionTimeout"}
    life.cr("acknowledgeStage2SPFDecisionTimeout", to="Stage2SettlementPackDecisionTimeoutEnd", awaiting=None)

    assert [e["operation"] for e in life.ended()][-4:] == [
        "addStage2SPFRequest",
        "extendStage2SPFDecisionTimeout",
        "timeout",
        "acknowledgeStage2SPFDecisionTimeout",
    ]


def test_silent_parties_a_counter_offer_and_a_court_pack_left_unanswered(sandbox: World) -> None:
    life = sandbox_life(sandbox, "EL")
    liability_admitted(life)
    counter_offered(life)
    assert life.deadline() == ("STAGE2_CONSIDERATION", "2026-04-22"), "35 business days, over Easter"

    # The claimant representative does not answer the counter offer: it is left to decide on agreement
    life.move_clock(now=life.claim["deadline"]["firesAt"])
    life.times_out(
        to="Stage2SettlementPackAgreementDecision",
        awaiting=CR,
        limit="Stage 2 Settlement Pack counter offer needed",
    )
    assert life.workflow_offered(CR) >= {"setStage2SPFAgreementDecision", "exitProcess"}
    life.cr("setStage2SPFAgreementDecision", to="CourtProceedingsPackForm", awaiting=CR, isAgreed=False)

    # The compensator does not answer the court proceedings pack: the claim ends Stage 2 without it
    life.cr("addCPPFRequest", to="CourtProceedingsPackFormResponse", awaiting=COMP, **court_pack_part_a("EL"))
    assert life.deadline() == ("COURT_PACK_RESPONSE", "2026-04-30"), "5 business days from 23 April"
    assert london(life.move_clock(advanceBusinessDays=5)) == "2026-04-30 00:00"
    assert life.run_timers() == 0
    life.move_clock(advanceBusinessDays=1)
    life.times_out(to="EndOfStage2", awaiting=CR, limit="Court Proceedings Pack response needed")
    life.refused(COMP, "addCPPFResponse", "WRONG_PHASE", **court_pack_part_b("EL"))
    life.cr("acknowledgeCPPFResponse", to="EndOfStage2Acknowledged", awaiting=None)

    assert [e["operation"] for e in life.ended()][-6:] == [
        "addStage2SPFResponse",
        "timeout",
        "setStage2SPFAgreementDecision",
        "addCPPFRequest",
        "timeout",
        "acknowledgeCPPFResponse",
    ]
