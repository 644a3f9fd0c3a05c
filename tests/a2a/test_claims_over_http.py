"""Claims over HTTP: sending, reading, operating, the error statuses, idempotency, rate limits, sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.directory import add_insurer_index_entry
from tests.a2a.conftest import Answer, Callers
from tests.conftest import World, cnf

pytestmark = pytest.mark.django_db


def send(callers: Callers, world: World, claim_type: str = "RTA", **facts: Any) -> dict[str, str]:
    answer = callers.cr.post(
        "/claims",
        world.cr_handler,
        {"claimType": claim_type, "compensator": world.comp.path, "cnf": cnf(claim_type, **facts)},
    )
    assert answer.status == 201, answer.body
    info: dict[str, str] = answer.body
    return info


def operate(callers: Callers, world: World, info: dict[str, str], operation: str, **payload: Any) -> Answer:
    caller, user = (callers.comp, world.comp_handler)
    return caller.post(
        f"/claims/{info['applicationId']}/{operation}",
        user,
        {"activityEngineGuid": info["activityEngineGuid"], **payload},
    )


def test_add_claim_answers_201_with_the_claim_info(callers: Callers, world: World) -> None:
    info = send(callers, world)
    assert info["phaseCacheId"] == "ClaimSubmitted" and len(info["applicationId"]) == 8
    claim = Claim.objects.get(pk=int(info["applicationId"]))
    assert str(claim.activity_guid) == info["activityEngineGuid"]
    status = callers.comp.get(f"/claims/{int(info['applicationId'])}/status", world.comp_handler)
    assert status.status == 200
    assert status.body == {"claimInfo": info, "gdprClaimDeleted": 0}


def test_get_claim_shows_the_forms_and_what_the_acting_user_may_do(callers: Callers, world: World) -> None:
    info = send(callers, world, surname="Okafor")
    comp = callers.comp.get(f"/claims/{info['applicationId']}", world.comp_handler)
    assert comp.status == 200
    assert comp.body["claimInfo"] == info
    assert {"acceptClaim", "rejectClaimToCR", "stateFraud", "lockClaim", "exitProcess"} <= set(
        comp.body["allowedOperations"]
    )
    assert "sendLiabilityDecision" not in comp.body["allowedOperations"]
    assert (
        comp.body["cnf"]["claimAndClaimantDetails"]["claimantDetails"]["personalDetails"]["surname"]
        == "Okafor"
    )
    assert comp.body["submittedForms"][0]["operation"] == "addClaim"
    assert comp.body["deadline"]["lastDayForAction"] == "2026-03-23"
    cr = callers.cr.get(f"/claims/{info['applicationId']}", world.cr_handler)
    assert cr.body["allowedOperations"] == [], (
        "nothing is the claimant side's to do while the insurer decides"
    )
    history = callers.cr.get(f"/claims/{info['applicationId']}/history", world.cr_handler)
    assert [e["operation"] for e in history.body] == ["addClaim"]
    assert history.body[0]["userId"] == world.cr_handler.user_id


def test_a_claim_of_another_organisation_does_not_exist(callers: Callers, world: World) -> None:
    info = send(callers, world)
    before = ClaimEvent.objects.count()
    for path in ("", "/status", "/history"):
        answer = callers.other_cr.get(f"/claims/{info['applicationId']}{path}", world.other_cr_handler)
        assert (answer.status, answer.code) == (404, "NOT_FOUND")
    answer = callers.tpa.post(
        f"/claims/{info['applicationId']}/acceptClaim",
        world.tpa_handler,
        {"activityEngineGuid": info["activityEngineGuid"]},
    )
    assert (answer.status, answer.code) == (404, "NOT_FOUND")
    assert ClaimEvent.objects.count() == before


def test_operations_move_the_claim_and_refusals_have_their_statuses(callers: Callers, world: World) -> None:
    info = send(callers, world)
    wrong_phase = operate(callers, world, info, "sendLiabilityDecision", insurerResponse={})
    assert (wrong_phase.status, wrong_phase.code) == (409, "WRONG_PHASE")
    wrong_side = callers.cr.post(
        f"/claims/{info['applicationId']}/acceptClaim",
        world.cr_handler,
        {"activityEngineGuid": info["activityEngineGuid"]},
    )
    assert (wrong_side.status, wrong_side.code) == (403, "WRONG_SIDE")
    bad = operate(callers, world, info, "acceptClaim", insurerClaimReferenceNumber="x" * 51)
    assert (bad.status, bad.code, bad.fields) == (422, "SCHEMA_INVALID", ["insurerClaimReferenceNumber"])
    rule = operate(callers, world, info, "rejectClaimToCR", rejectionReasonCode="7")
    assert (rule.status, rule.code, rule.fields) == (422, "BUSINESS_RULE", ["rejectionReasonCode"])
    accepted = operate(callers, world, info, "acceptClaim", insurerClaimReferenceNumber="INS-1")
    assert accepted.status == 200 and accepted.body["phaseCacheId"] == "Article75Decision"
    stale = operate(callers, world, info, "applyArticle75", isArticle75=False)
    assert (stale.status, stale.code) == (409, "STALE_ACTIVITY_GUID")
    locked = callers.comp.post(
        f"/claims/{info['applicationId']}/lockClaim",
        world.comp_leader,
        {"activityEngineGuid": accepted.body["activityEngineGuid"]},
    )
    assert locked.status == 200
    blocked = operate(callers, world, locked.body, "applyArticle75", isArticle75=False)
    assert (blocked.status, blocked.code) == (409, "CLAIM_LOCKED")
    not_json = callers.comp.call(
        "POST", f"/claims/{info['applicationId']}/acceptClaim", world.comp_handler, "[1]"
    )
    assert (not_json.status, not_json.code) == (422, "SCHEMA_INVALID")


def test_an_unknown_operation_is_not_found(callers: Callers, world: World) -> None:
    info = send(callers, world)
    answer = callers.comp.post(f"/claims/{info['applicationId']}/approveEverything", world.comp_handler, {})
    assert answer.status == 404


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(
    callers: Callers, world: World, clock: FixedClock
) -> None:
    body = {"claimType": "EL", "compensator": world.comp.path, "cnf": cnf("EL")}
    key = {"Idempotency-Key": "send-0001"}
    first = callers.cr.post("/claims", world.cr_handler, body, headers=key)
    again = callers.cr.post("/claims", world.cr_handler, body, headers=key)
    assert first.status == again.status == 201 and first.body == again.body
    assert Claim.objects.count() == 1
    other = callers.cr.post("/claims", world.cr_handler, {**body, "claimType": "PL"}, headers=key)
    assert (other.status, other.code, other.fields) == (422, "SCHEMA_INVALID", ["Idempotency-Key"])
    assert Claim.objects.count() == 1
    assert callers.other_cr.post("/claims", world.other_cr_handler, body, headers=key).status == 201, (
        "keys belong to one client"
    )


@override_settings(CLAIMSPORTAL_A2A_RATE=0.001, CLAIMSPORTAL_A2A_BURST=2)
def test_a_client_over_its_rate_gets_429_with_retry_after(callers: Callers, world: World) -> None:
    assert callers.cr.get("/claims", world.cr_handler).status == 200
    assert callers.cr.get("/claims", world.cr_handler).status == 200
    limited = callers.cr.get("/claims", world.cr_handler)
    assert (limited.status, limited.code) == (429, "RATE_LIMITED")
    assert int(limited.headers["Retry-After"]) >= 1
    assert callers.comp.get("/claims", world.comp_handler).status == 200, "limits are per client"


def test_the_worklist_pages_with_a_cursor(callers: Callers, world: World) -> None:
    sent = [send(callers, world, surname=f"Person{n}")["applicationId"] for n in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        path = "/claims?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = callers.comp.get(path, world.comp_handler)
        assert page.status == 200
        seen += [c["applicationId"] for c in page.body["claims"]]
        cursor = page.body["nextCursor"]
        if cursor is None:
            break
    assert seen == sent
    assert callers.cr.get("/claims", world.cr_handler).body["claims"] == [], "awaiting the compensator"
    assert callers.comp.get("/claims?cursor=garbage", world.comp_handler).fields == ["cursor"]
    assert callers.comp.get("/claims?limit=0", world.comp_handler).code == "SCHEMA_INVALID"


def test_search_by_the_criteria_within_what_the_user_can_see(callers: Callers, world: World) -> None:
    rta = send(callers, world, surname="Alpha")
    el = send(callers, world, "EL", surname="Beta")

    def ids(query: str, caller: Any = None, user: Any = None) -> list[str]:
        answer = (caller or callers.comp).get(f"/claims/search?{query}", user or world.comp_handler)
        assert answer.status == 200, answer.body
        return [c["applicationId"] for c in answer.body["claims"]]

    assert ids("claimantSurname=beta") == [el["applicationId"]]
    assert ids("CRReferenceNumber=REF-Alpha") == [rta["applicationId"]]
    assert ids("claimType=EL") == [el["applicationId"]]
    assert ids("phaseCacheId=ClaimSubmitted") == [rta["applicationId"]]
    assert ids(f"applicationId={int(rta['applicationId'])}") == [rta["applicationId"]]
    assert ids("sentDateFrom=2026-03-02&sentDateTo=2026-03-02&sortField=ApplicationId&sortOrder=Desc") == [
        el["applicationId"],
        rta["applicationId"],
    ]
    assert ids("sentDateFrom=2026-03-03") == []
    assert ids("claimantSurname=Alpha", callers.other_cr, world.other_cr_handler) == []
    bad = callers.comp.get("/claims/search?sortField=Colour", world.comp_handler)
    assert (bad.status, bad.fields) == (422, ["sortField"])
    bad_date = callers.comp.get("/claims/search?sentDateFrom=yesterday", world.comp_handler)
    assert bad_date.code == "SCHEMA_INVALID"


def test_reference_reads(callers: Callers, world: World) -> None:
    add_insurer_index_entry(insurer_name="Budget Cover", org_id=world.comp.org_id, compensator_type="I")
    compensators = callers.cr.get("/compensators?claimType=EL", world.cr_handler)
    assert {c["organisationId"] for c in compensators.body} == {world.comp.org_id, world.tpa.org_id}
    index = callers.cr.get("/insurer-index?organisationName=budget", world.cr_handler)
    assert [i["insurerIndexId"] for i in index.body] == ["II0001"]
    branches = callers.comp.get("/branches", world.comp_handler)
    assert [b["branchId"] for b in branches.body] == ["001", "002"]
    users = callers.cr.get("/users", world.cr_handler)
    assert world.cr_handler.user_id in {u["userId"] for u in users.body}
    assert world.comp_handler.user_id not in {u["userId"] for u in users.body}
    org = callers.cr.get(f"/organisations/{world.comp.org_id}", world.cr_handler)
    assert org.body["organisationPath"] == world.comp.path
    assert callers.cr.get("/organisations/NOPE", world.cr_handler).status == 404
    version = callers.cr.get("/system/process-version", world.cr_handler)
    assert version.body["versionMajor"] >= 7


def test_sandbox_paths_exist_only_in_sandbox_mode(callers: Callers, world: World, clock: FixedClock) -> None:
    assert callers.cr.post("/sandbox/clock", world.cr_handler, {"advanceBusinessDays": 1}).status == 404
    assert callers.cr.post("/sandbox/runTimers", world.cr_handler).status == 404


def test_a_replayed_answer_is_the_first_byte_for_byte(callers: Callers, world: World) -> None:
    body = {"claimType": "RTA", "compensator": world.comp.path, "cnf": cnf("RTA")}
    key = {"Idempotency-Key": "bytes-0001"}
    sent = [
        callers.cr.http.post(
            "/a2a/v1/claims",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {callers.cr.token}", "X-Login-As": "cr.handler", **key},
        )
        for _ in range(2)
    ]
    assert sent[0].status_code == sent[1].status_code == 201
    assert sent[0].content == sent[1].content
