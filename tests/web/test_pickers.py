"""The pickers (web/pickers.py) and their JSON endpoint /work/pick/<kind>/: only what the signed-in user
may see or choose, at most PICK_LIMIT matches, a search without JavaScript that sends the form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claimsportal.claims import drafts
from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim
from claimsportal.organisations.directory import add_insurer_index_entry
from claimsportal.organisations.models import Organisation, User
from claimsportal.reference.models import InsurerIndexEntry
from claimsportal.web.pickers import PICK_LIMIT, QUERY_LENGTH, SELECT_LIMIT, TOO_LONG
from tests.conftest import World, make_user, send_claim

PASSWORD = "Passw0rd!Passw0rd"


def _client(user_id: str) -> Client:
    client = Client()
    assert client.login(username=user_id, password=PASSWORD)
    return client


def _pick(client: Client, kind: str, **params: str) -> Any:
    return client.get(reverse("picker", args=[kind]), params, HTTP_ACCEPT="application/json")


def _values(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return [o["value"] for o in json.loads(response.content)["options"]]


def _many_users(org: Organisation, count: int, prefix: str = "zed") -> None:
    for n in range(count):
        make_user(org, f"{prefix}.{n:02d}", "RTA_CLAIM_HANDLER")


def test_the_picker_needs_a_signed_in_user(world: World) -> None:
    response = Client().get(reverse("picker", args=["user"]), {"q": "comp"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_users_are_those_of_the_users_own_organisation(world: World) -> None:
    values = _values(_pick(_client("comp.leader"), "user"))
    assert set(values) == {"comp.handler", "comp.leader", "comp.branch", "comp.dispatcher"}
    assert _values(_pick(_client("comp.leader"), "user", q="tpa")) == []  # another organisation's
    assert _values(_pick(_client("comp.leader"), "user", q="branch")) == ["comp.branch"]


def test_users_without_a_claims_profile_are_not_offered(world: World) -> None:
    assert "cr.admin" not in _values(_pick(_client("cr.leader"), "user"))


def test_the_list_is_limited_and_says_there_are_more(world: World) -> None:
    _many_users(world.comp, PICK_LIMIT + 5)
    answer = json.loads(_pick(_client("comp.leader"), "user", q="zed").content)
    assert len(answer["options"]) == PICK_LIMIT
    assert answer["more"] is True
    assert answer["summary"].startswith(f"More than {PICK_LIMIT} found")
    narrowed = json.loads(_pick(_client("comp.leader"), "user", q="zed.0").content)
    assert [o["value"] for o in narrowed["options"]] == [f"zed.{n:02d}" for n in range(10)]
    assert narrowed["more"] is False


def test_a_search_text_too_long_is_refused_in_words(world: World) -> None:
    response = _pick(_client("comp.leader"), "user", q="x" * (QUERY_LENGTH + 1))
    assert response.status_code == 400
    assert json.loads(response.content) == {"errors": [{"field": "q", "message": TOO_LONG}]}


def test_a_search_is_a_few_queries_whatever_the_organisations_size(
    world: World, django_assert_max_num_queries: Any
) -> None:
    _many_users(world.comp, 40)
    client = _client("comp.leader")
    with django_assert_max_num_queries(12):
        assert len(_values(_pick(client, "user", q="zed"))) == PICK_LIMIT


def test_acting_as_lists_the_others_and_only_for_a_team_leader(world: World) -> None:
    values = _values(_pick(_client("comp.leader"), "user", purpose="act-as"))
    assert "comp.leader" not in values and "comp.handler" in values
    refused = _pick(_client("comp.handler"), "user", purpose="act-as")
    assert refused.status_code == 403
    assert (
        json.loads(refused.content)["errors"][0]["message"]
        == "Only a team leader can sign in as another user"
    )


def test_branches_are_those_of_the_users_organisation(world: World) -> None:
    assert _values(_pick(_client("comp.leader"), "branch")) == ["001", "002"]
    assert _values(_pick(_client("cr.leader"), "branch")) == ["001"]


def test_reassignment_offers_only_the_compensators_of_the_claims_group(world: World) -> None:
    info = send_claim(world)
    number = format_application_id(info.application_id)
    assert _values(_pick(_client("comp.handler"), "reassign", claim=number)) == [world.tpa.path]
    assert _values(_pick(_client("cr.handler"), "reassign", claim=number)) == []  # not the claimant side's


def test_a_claim_of_another_organisation_is_not_found(world: World) -> None:
    info = send_claim(world, compensator=world.mib.path)
    number = format_application_id(info.application_id)
    assert _pick(_client("comp.handler"), "reassign", claim=number).status_code == 404
    assert _pick(_client("comp.handler"), "reassign", claim="99999999").status_code == 404
    assert _pick(_client("comp.handler"), "nothing").status_code == 404


def test_the_compensator_of_a_draft_comes_from_the_directory_or_the_current_insurer_index(
    world: World,
) -> None:
    draft = drafts.create_draft(world.actor(world.cr_handler), "RTA")
    number = format_application_id(draft.application_id)
    client = _client("cr.handler")
    assert set(_values(_pick(client, "compensator", claim=number))) == {
        world.comp.path,
        world.tpa.path,
        world.mib.path,
    }
    kept = add_insurer_index_entry(insurer_name="Brand Motor", org_id=world.comp.org_id, compensator_type="I")
    gone = add_insurer_index_entry(insurer_name="Brand Old", org_id=world.comp.org_id, compensator_type="I")
    InsurerIndexEntry.objects.filter(pk=gone.pk).update(enabled=False)  # not in the current version
    assert _values(_pick(client, "compensator", claim=number, source="index", q="brand")) == [kept.index_id]
    # Another firm's draft is not found.
    assert _pick(_client("other.handler"), "compensator", claim=number).status_code == 404


def test_an_el_draft_does_not_offer_a_compensator_that_handles_only_rta(world: World) -> None:
    draft = drafts.create_draft(world.actor(world.cr_handler), "EL")
    number = format_application_id(draft.application_id)
    values = _values(_pick(_client("cr.handler"), "compensator", claim=number, source="index"))
    assert world.mib.path not in values and world.comp.path in values


# --------------------------------------------------------------------------------------------------
# The pages: a few choices are radios, more a select, many a search that works without JavaScript
# --------------------------------------------------------------------------------------------------


def _operation(info: Any, operation: str) -> str:
    return reverse("claims:operation", args=[format_application_id(info.application_id), operation])


def test_allocating_among_many_users_searches_without_javascript(world: World) -> None:
    _many_users(world.comp, SELECT_LIMIT + 1)
    info = send_claim(world)
    url = _operation(info, "allocateUser")
    client = _client("comp.leader")
    page = client.get(url).content.decode()
    assert 'name="targetUserID-q" type="search"' in page
    assert 'name="_pick" value="targetUserID"' in page
    assert "data-cp-picker" in page
    guid = str(Claim.objects.get(pk=info.application_id).activity_guid)
    # "Search": the page again, with the matches as radios; nothing is sent.
    found = client.post(
        url,
        {
            "activityEngineGuid": guid,
            "targetUserID-q": "zed.3",
            "targetUserID-searched": "",
            "_pick": "targetUserID",
        },
    ).content.decode()
    assert 'name="targetUserID" type="radio" value="zed.30"' in found
    assert 'value="zed.29"' not in found
    assert "1 found" in found
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.comp_allocated_user_id is None and str(claim.activity_guid) == guid
    # Enter in the search field after typing a new search: a search too, not the operation.
    again = client.post(
        url, {"activityEngineGuid": guid, "targetUserID-q": "comp", "targetUserID-searched": "zed.3"}
    ).content.decode()
    assert 'type="radio" value="comp.handler"' in again
    # Choosing one of the matches and sending the form allocates the claim.
    done = client.post(
        url,
        {
            "activityEngineGuid": guid,
            "targetUserID-q": "zed.3",
            "targetUserID-searched": "zed.3",
            "targetUserID": "zed.30",
        },
    )
    assert done.status_code == 302
    assert (
        Claim.objects.get(pk=info.application_id).comp_allocated_user_id
        == User.objects.get(user_id="zed.30").pk
    )


def test_a_few_users_are_radios_and_some_more_a_select(world: World) -> None:
    info = send_claim(world)
    url = _operation(info, "allocateUser")
    client = _client("comp.leader")
    assert 'name="targetUserID" type="radio" value="comp.handler"' in client.get(url).content.decode()
    _many_users(world.comp, 10)
    page = client.get(url).content.decode()
    assert '<select class="govuk-select" id="f-targetUserID" name="targetUserID"' in page
    assert '<option value="zed.09">zed.09</option>' in page


def test_the_reassignment_page_lists_only_the_group(world: World) -> None:
    info = send_claim(world)
    page = _client("comp.handler").get(_operation(info, "reassignToAnotherCM")).content.decode()
    assert f'value="{world.tpa.path}"' in page
    assert f'value="{world.mib.path}"' not in page  # another group: perform would refuse it


def test_the_draft_compensator_page_searches_without_javascript(world: World) -> None:
    draft = drafts.create_draft(world.actor(world.cr_handler), "RTA")
    number = format_application_id(draft.application_id)
    url = reverse("claims:draft-compensator", args=[number])
    client = _client("cr.handler")
    page = client.get(url).content.decode()
    assert 'data-params-from="source"' in page and 'name="compensator-q"' in page
    guid = str(Claim.objects.get(pk=draft.application_id).activity_guid)
    found = client.post(
        url,
        {"activityEngineGuid": guid, "source": "directory", "compensator-q": "tpa", "_pick": "compensator"},
    ).content.decode()
    assert f'type="radio" value="{world.tpa.path}"' in found
    assert f'value="{world.comp.path}"' not in found
    assert Claim.objects.get(pk=draft.application_id).cnf == draft_cnf(draft.application_id)  # unchanged
    response = client.post(
        url, {"activityEngineGuid": guid, "source": "directory", "compensator": world.tpa.path}
    )
    assert response.status_code == 302
    refused = client.post(
        url,
        {
            "activityEngineGuid": str(Claim.objects.get(pk=draft.application_id).activity_guid),
            "source": "directory",
            "compensator": "/NOPE999",
        },
    ).content.decode()
    assert "Choose the compensator the claim is for" in refused


def draft_cnf(pk: int) -> Any:
    return Claim.objects.get(pk=pk).cnf


def test_acting_as_among_many_users_searches_without_javascript(world: World) -> None:
    _many_users(world.cr, SELECT_LIMIT + 1)
    client = Client()
    from tests.web.signing_in import in_section

    in_section(client, world.cr_leader, "claims")
    page = client.get("/account/act-as/").content.decode()
    assert 'name="user_id-q"' in page
    found = client.post("/account/act-as/", {"user_id-q": "zed.1", "_pick": "user_id"}).content.decode()
    assert 'type="radio" value="zed.10"' in found and 'value="cr.handler"' not in found
    assert "There is a problem" not in found
    response = client.post(
        "/account/act-as/", {"user_id-q": "zed.1", "user_id-searched": "zed.1", "user_id": "zed.10"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("kind", ["user", "branch"])
def test_the_picker_answers_json_for_the_page_script(world: World, kind: str) -> None:
    response = _pick(_client("comp.leader"), kind)
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    assert set(json.loads(response.content)) == {"options", "more", "summary"}


def test_a_rejected_claim_is_resent_to_a_compensator_chosen_not_typed(world: World) -> None:
    from tests.conftest import step

    info = send_claim(world)
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    page = _client("cr.handler").get(_operation(info, "resendRejectedClaim")).content.decode()
    assert 'name="compensator" type="text"' not in page
    assert 'name="compensator" type="radio" value=""' in page  # the same compensator as before
    assert "The same compensator as before" in page
    assert f'name="compensator" type="radio" value="{world.tpa.path}"' in page
    number = format_application_id(info.application_id)
    assert _values(_pick(_client("cr.handler"), "resend", claim=number)) == [
        world.comp.path,
        world.mib.path,
        world.tpa.path,
    ]
    assert _values(_pick(_client("comp.handler"), "resend", claim=number)) == []  # the claimant side's
    assert _pick(_client("other.handler"), "resend", claim=number).status_code == 404
