"""The worklist's bulk actions (web/claims/bulk.py, claims/bulk.py, documents/bulk_print.py): each claim
through perform, authorised on its own; a claim of another organisation smuggled into the form is
reported and never changed; the results page says what was done to each claim, in words; audited."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.test import Client

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.bulk import BULK_LIMIT
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.models import AuditEntry
from claimsportal.documents import printable
from claimsportal.documents.models import PrintableDocument
from claimsportal.presentation.messages import looks_technical
from claimsportal.web.claims.bulk import NOT_VISIBLE_WORDS
from tests.conftest import World, make_user, send_claim, step

PASSWORD = "Passw0rd!Passw0rd"
FAKE_PDF = b"%PDF-1.7 a fake document\n%%EOF\n"
BULK = "/work/bulk/"


@pytest.fixture(autouse=True)
def _fake_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printable, "_render", lambda document: FAKE_PDF)


def _client(user_id: str) -> Client:
    client = Client()
    assert client.login(username=user_id, password=PASSWORD)
    return client


def _id(info: ClaimInfo) -> str:
    return format_application_id(info.application_id)


def _results(html: str) -> dict[str, str]:
    """The results table: application ID -> its result, as read."""
    rows = re.findall(
        r'<tr class="govuk-table__row">\s*<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>', html, re.S
    )
    return {_plain(a): _plain(b) for a, b in rows}


def _plain(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def _snapshot(info: ClaimInfo) -> tuple[Any, ...]:
    claim = Claim.objects.get(pk=info.application_id)
    events = ClaimEvent.objects.filter(claim_id=info.application_id).count()
    return (claim.activity_guid, claim.locked_by_id, claim.comp_allocated_user_id, claim.phase, events)


@pytest.fixture
def claims(world: World) -> tuple[ClaimInfo, ClaimInfo, ClaimInfo]:
    """Two claims of the insurer, and one of another compensator (the MIB's)."""
    return send_claim(world), send_claim(world), send_claim(world, compensator=world.mib.path)


def test_the_worklist_has_a_labelled_checkbox_per_claim_and_select_all(world: World, claims: Any) -> None:
    mine, also_mine, _theirs = claims
    client = _client("comp.handler")
    page = client.get("/").content.decode()
    for info in (mine, also_mine):
        number = _id(info)
        assert (
            f'id="select-{number}" name="claims" type="checkbox" value="{number}" form="bulk-actions"' in page
        )
        assert f'<span class="govuk-visually-hidden">Select claim {number}</span>' in page
    assert _id(claims[2]) not in page
    assert '<form method="post" action="/work/bulk/" id="bulk-actions"' in page
    assert "Select all claims on this page</a>" in page
    assert "to a user</button>" not in page  # allocating is a team leader's
    assert 'value="allocate"' in _client("comp.leader").get("/").content.decode()
    ticked = client.get("/", {"select": "all"}).content.decode()
    assert ticked.count("data-cp-bulk-claim checked") == 2
    assert "Clear the selection</a>" in ticked


def test_bulk_lock_changes_the_users_claims_and_refuses_a_smuggled_one(world: World, claims: Any) -> None:
    mine, also_mine, theirs = claims
    before = _snapshot(theirs)
    response = _client("comp.handler").post(
        BULK, {"action": "lock", "claims": [_id(mine), _id(theirs), _id(also_mine)]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 of 3 claims locked" in html
    assert _results(html) == {
        _id(mine): "Done Locked to you",
        _id(theirs): f"Not done {NOT_VISIBLE_WORDS}",
        _id(also_mine): "Done Locked to you",
    }
    assert _snapshot(theirs) == before  # never changed
    for info in (mine, also_mine):
        assert Claim.objects.get(pk=info.application_id).locked_by_id == world.comp_handler.pk
        assert ClaimEvent.objects.filter(claim_id=info.application_id, operation="lockClaim").count() == 1
    entry = AuditEntry.objects.get(action="claims.bulk_lock")
    assert entry.actor_user_id_text == "comp.handler"
    assert entry.details["done"] == [_id(mine), _id(also_mine)]
    assert entry.details["refused"] == {_id(theirs): "NOT_FOUND"}


def test_a_claim_that_is_not_a_number_is_reported_too(world: World, claims: Any) -> None:
    html = _client("comp.handler").post(BULK, {"action": "lock", "claims": [_id(claims[0]), "nonsense"]})
    assert _results(html.content.decode())["nonsense"] == f"Not done {NOT_VISIBLE_WORDS}"


def test_bulk_unlock_releases_the_users_locks_and_says_why_not_the_others(world: World, claims: Any) -> None:
    mine, also_mine, _theirs = claims
    step(world, world.comp_handler, mine, "lockClaim")
    step(world, world.comp_leader, also_mine, "lockClaim")
    before = _snapshot(also_mine)
    html = _client("comp.handler").post(BULK, {"action": "unlock", "claims": [_id(mine), _id(also_mine)]})
    results = _results(html.content.decode())
    assert results[_id(mine)] == "Done Unlocked"
    refusal = results[_id(also_mine)]
    assert refusal == "Not done The claim is locked by another user"
    assert not looks_technical(refusal.removeprefix("Not done "))
    assert "forceUnlockClaim" not in refusal and "None" not in refusal
    assert _snapshot(also_mine) == before
    assert Claim.objects.get(pk=mine.application_id).locked_by_id is None
    # A team leader releases anybody's lock.
    html = _client("comp.leader").post(BULK, {"action": "unlock", "claims": [_id(also_mine)]})
    assert _results(html.content.decode()) == {_id(also_mine): "Done Unlocked"}
    assert AuditEntry.objects.filter(action="claims.bulk_unlock").count() == 2


def test_bulk_allocate_asks_for_the_user_then_allocates_each_claim(world: World, claims: Any) -> None:
    mine, also_mine, theirs = claims
    before = _snapshot(theirs)
    client = _client("comp.leader")
    selected = [_id(mine), _id(also_mine), _id(theirs)]
    page = client.post(BULK, {"action": "allocate", "claims": selected}).content.decode()
    assert "Allocate 3 claims" in page
    assert 'name="targetUserID" type="radio" value="comp.handler"' in page
    assert 'value="tpa.handler"' not in page
    # A user of another organisation is not one to choose: nothing is changed.
    refused = client.post(
        BULK, {"action": "allocate", "claims": selected, "confirm": "1", "targetUserID": "tpa.handler"}
    ).content.decode()
    assert "Choose the user to allocate the claims to" in refused
    assert Claim.objects.filter(comp_allocated_user__isnull=False).count() == 0
    html = client.post(
        BULK, {"action": "allocate", "claims": selected, "confirm": "1", "targetUserID": "comp.handler"}
    ).content.decode()
    assert "2 of 3 claims allocated" in html
    results = _results(html)
    assert results[_id(mine)] == results[_id(also_mine)] == "Done Allocated to comp.handler"
    assert results[_id(theirs)] == f"Not done {NOT_VISIBLE_WORDS}"
    assert _snapshot(theirs) == before
    for info in (mine, also_mine):
        assert Claim.objects.get(pk=info.application_id).comp_allocated_user_id == world.comp_handler.pk
    entry = AuditEntry.objects.get(action="claims.bulk_allocate")
    assert entry.details["target_user"] == "comp.handler"


def test_bulk_allocate_by_a_handler_is_refused_claim_by_claim(world: World, claims: Any) -> None:
    mine = claims[0]
    before = _snapshot(mine)
    html = _client("comp.handler").post(
        BULK, {"action": "allocate", "claims": [_id(mine)], "confirm": "1", "targetUserID": "comp.handler"}
    )
    result = _results(html.content.decode())[_id(mine)]
    assert result == "Not done “Allocate to a user” needs a team leader profile"
    assert _snapshot(mine) == before


def test_bulk_print_zips_the_documents_of_the_visible_claims(world: World, claims: Any) -> None:
    mine, also_mine, theirs = claims
    response = _client("comp.handler").post(
        BULK, {"action": "print", "claims": [_id(mine), _id(theirs), _id(also_mine)]}
    )
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {name.split("/")[0] for name in names} == {_id(mine), _id(also_mine)}
    assert all(name.endswith(".pdf") for name in names)
    assert zipfile.ZipFile(io.BytesIO(response.content)).read(names[0]) == FAKE_PDF
    entry = AuditEntry.objects.get(action="claims.bulk_print")
    assert entry.details["refused"] == {_id(theirs): "NOT_FOUND"}


def test_bulk_print_with_nothing_to_print_is_a_results_page(world: World, claims: Any) -> None:
    mine, _also_mine, theirs = claims
    PrintableDocument.objects.filter(claim_id=mine.application_id).delete()
    html = _client("comp.handler").post(BULK, {"action": "print", "claims": [_id(mine), _id(theirs)]})
    assert html["Content-Type"].startswith("text/html")
    assert _results(html.content.decode()) == {
        _id(mine): "Not done This claim has no printable documents yet",
        _id(theirs): f"Not done {NOT_VISIBLE_WORDS}",
    }


def test_nothing_selected_or_too_many_go_back_with_a_message(world: World, claims: Any) -> None:
    client = _client("comp.handler")
    response = client.post(BULK, {"action": "lock", "next": "/?type=RTA"}, follow=True)
    assert response.redirect_chain[0][0] == "/?type=RTA"
    assert "Select at least one claim" in response.content.decode()
    many = [f"{n:08d}" for n in range(1, BULK_LIMIT + 2)]
    response = client.post(BULK, {"action": "lock", "claims": many}, follow=True)
    assert f"Select {BULK_LIMIT} claims or fewer" in response.content.decode()
    response = client.post(BULK, {"action": "delete", "claims": [_id(claims[0])]}, follow=True)
    assert "Choose what to do with the selected claims" in response.content.decode()
    assert Claim.objects.filter(locked_by__isnull=False).count() == 0
    assert not AuditEntry.objects.filter(action__startswith="claims.bulk_").exists()


def test_bulk_actions_need_a_post_and_a_signed_in_user(world: World, claims: Any) -> None:
    assert Client().post(BULK, {"action": "lock", "claims": [_id(claims[0])]}).status_code == 302
    assert _client("comp.handler").get(BULK).status_code == 405
    assert Claim.objects.get(pk=claims[0].application_id).locked_by_id is None


def test_the_pages_are_in_words_with_every_control_labelled(world: World, claims: Any) -> None:
    from tests.web.test_pages_in_words import _check  # the rule every page passes

    for info in claims[:2]:
        step(world, world.comp_handler, info, "lockClaim")
    _check(_client("comp.handler").get("/", {"select": "all"}).content.decode(), "worklist, all selected")
    html = _client("comp.leader").post(BULK, {"action": "unlock", "claims": [_id(c) for c in claims]})
    _check(html.content.decode(), "bulk results")
    page = _client("comp.leader").post(
        BULK, {"action": "allocate", "claims": [_id(claims[0])], "confirm": "1"}
    )
    _check(page.content.decode(), "bulk allocate, no user chosen")
    for n in range(40):
        make_user(world.comp, f"zed.{n:02d}", "RTA_CLAIM_HANDLER")
    searched = _client("comp.leader").post(
        BULK,
        {"action": "allocate", "claims": [_id(claims[0])], "targetUserID-q": "zed", "_pick": "targetUserID"},
    )
    _check(searched.content.decode(), "bulk allocate, searching")


def test_a_team_leader_acting_as_a_handler_is_audited_as_such(world: World, claims: Any) -> None:
    from tests.web.signing_in import in_section

    client = Client()
    in_section(client, world.comp_leader, "claims")
    assert client.post("/account/act-as/", {"user_id": "comp.handler"})["Location"] == "/"
    client.post(BULK, {"action": "lock", "claims": [_id(claims[0])]})
    assert Claim.objects.get(pk=claims[0].application_id).locked_by_id == world.comp_handler.pk
    entry = AuditEntry.objects.get(action="claims.bulk_lock")
    assert (entry.actor_user_id_text, entry.details["real_user"]) == ("comp.handler", "comp.leader")
