"""The claims pages: who may open each URL, every operation through ``perform`` with the API's
messages, drafts section by section, search and notifications."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.notifications.models import Notification
from claimsportal.organisations.directory import add_insurer_index_entry
from claimsportal.presentation.form_tree import form_tree
from claimsportal.protocols.forms.examples import cnf_example
from claimsportal.web.claims import forms
from claimsportal.web.claims.schema_form import values_from_data
from tests.conftest import World, send_claim, step

PASSWORD = "Passw0rd!Passw0rd"


def _sign_in(client: Client, user_id: str) -> None:
    assert client.login(username=user_id, password=PASSWORD)


def _guid(info: ClaimInfo | int) -> str:
    number = info.application_id if isinstance(info, ClaimInfo) else info
    return str(Claim.objects.get(pk=number).activity_guid)


def _cnf(number: str) -> dict[str, Any]:
    cnf = Claim.objects.get(pk=int(number)).cnf
    assert isinstance(cnf, dict)
    return cnf


def _op_url(info: ClaimInfo, operation: str) -> str:
    return reverse("claims:operation", args=[format_application_id(info.application_id), operation])


def _page(response: Any) -> str:
    return str(response.content.decode())


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------------------------------
# Who may open what
# --------------------------------------------------------------------------------------------------

CLAIM_URLS = [
    ("claim", []),
    ("claims:operation", ["acceptClaim"]),
    ("claims:operation", ["lockClaim"]),
    ("claims:defendant-only", []),
]
DRAFT_URLS = [
    ("claims:draft", []),
    ("claims:draft-compensator", []),
    ("claims:draft-page", ["medicalDetails", "injury"]),
    ("claims:draft-check", []),
    ("claims:draft-delete", []),
]
OTHER_URLS = [
    ("claims:new", []),
    ("claims:drafts", []),
    ("claims:search", []),
    ("claims:notifications-clear", []),
    ("claims:notification-delete", ["5b8f7c2e-3c1a-4c59-9a77-2f1c7e0b9d41"]),
]


@pytest.mark.parametrize(("name", "extra"), CLAIM_URLS + DRAFT_URLS + OTHER_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_claims_page_needs_sign_in(
    db: None, client: Client, name: str, extra: list[str], method: str
) -> None:
    args = ["00000001", *extra] if (name, extra) in CLAIM_URLS + DRAFT_URLS else extra
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(("name", "extra"), CLAIM_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_claim_of_another_organisation_is_not_found_on_any_page(
    world: World, client: Client, name: str, extra: list[str], method: str
) -> None:
    info = send_claim(world)
    _sign_in(client, "other.handler")
    number = format_application_id(info.application_id)
    data = {"activityEngineGuid": _guid(info)} if method == "post" else None
    response = getattr(client, method)(reverse(name, args=[number, *extra]), data)
    assert response.status_code in (404, 405)
    if method == "get" or name != "claim":
        assert response.status_code == 404
    assert Claim.objects.get(pk=info.application_id).phase == "ClaimSubmitted"  # nothing happened
    missing = getattr(client, method)(reverse(name, args=[str(info.application_id + 99), *extra]), data)
    assert missing.status_code in (404, 405)


@pytest.mark.parametrize(("name", "extra"), DRAFT_URLS)
@pytest.mark.parametrize("user_id", ["other.handler", "comp.handler"])
def test_a_draft_is_seen_only_by_its_organisation(
    world: World, client: Client, name: str, extra: list[str], user_id: str
) -> None:
    _sign_in(client, "cr.handler")
    created = client.post(reverse("claims:new"), {"claimType": "RTA"})
    number = created["Location"].rstrip("/").split("/")[-1]
    assert client.get(reverse(name, args=[number, *extra])).status_code == 200
    client.logout()
    _sign_in(client, user_id)
    assert client.get(reverse(name, args=[number, *extra])).status_code == 404
    assert (
        client.post(
            reverse(name, args=[number, *extra]), {"activityEngineGuid": _guid(int(number))}
        ).status_code
        == 404
    )
    assert Claim.objects.filter(pk=int(number)).exists()


# --------------------------------------------------------------------------------------------------
# The claim page and the operations
# --------------------------------------------------------------------------------------------------


def test_the_claim_page_offers_what_the_user_may_do_now(world: World, client: Client) -> None:
    info = send_claim(world, surname="Okafor")
    _sign_in(client, "comp.handler")
    page = _page(client.get(reverse("claim", args=[format_application_id(info.application_id)])))
    assert _op_url(info, "acceptClaim") in page
    assert _op_url(info, "rejectClaimToCR") in page
    assert "Lock the claim" in page
    assert "Claim Notification Form (as sent" in page
    assert "Okafor" in page
    assert "Save the draft" not in page  # the draft's saves are the claimant representative's own
    client.logout()
    _sign_in(client, "cr.handler")
    page = _page(client.get(reverse("claim", args=[format_application_id(info.application_id)])))
    assert _op_url(info, "acceptClaim") not in page
    assert "Nothing is waiting for you on this claim." in page
    assert reverse("claims:defendant-only", args=[format_application_id(info.application_id)]) in page


def test_the_wrong_side_is_not_offered_an_operation_and_posting_it_says_why_in_words(
    world: World, client: Client
) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    page = _page(client.get(_op_url(info, "acceptClaim")))
    assert "Accept the claim is not available" in page
    response = client.post(_op_url(info, "acceptClaim"), {"activityEngineGuid": _guid(info)})
    assert response.status_code == 200
    assert "It is for the other side to act on the claim now" in _page(response)
    assert "acceptClaim" not in _text(_page(response))
    assert Claim.objects.get(pk=info.application_id).phase == "ClaimSubmitted"


def test_an_operation_is_performed_and_the_claim_page_shows_the_new_phase(
    world: World, client: Client
) -> None:
    info = send_claim(world)
    _sign_in(client, "comp.handler")
    response = client.post(
        _op_url(info, "acceptClaim"),
        {"activityEngineGuid": _guid(info), "insurerClaimReferenceNumber": "INS/2026/1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "claim", args=[format_application_id(info.application_id)]
    )
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.phase == "Article75Decision"
    assert claim.comp_reference == "INS/2026/1"
    page = _page(response)
    assert "Accept the claim: done. The claim is now at Article 75 Decision" in page
    assert "INS/2026/1" in page


def test_errors_are_shown_beside_the_fields_with_the_apis_messages(world: World, client: Client) -> None:
    info = step(world, world.comp_handler, send_claim(world), "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    _sign_in(client, "comp.handler")
    response = client.post(
        _op_url(info, "sendLiabilityDecision"),
        {
            "activityEngineGuid": _guid(info),
            "insurerResponse.liabilityCausation.liabilityDecision": "A",
            "insurerResponse.providedServices.defendantsInsurer.emailAddress": "not an e-mail",
        },
    )
    page = _page(response)
    # The form is in pages: the refusal is shown on the first page with errors, the others' answers kept
    assert "<title>Error: Services the compensator will provide \u2013 Send the liability decision" in page
    assert 'class="govuk-error-summary"' in page
    field = "f-insurerResponse-providedServices-defendantsInsurer-emailAddress"
    assert f'<a href="#{field}">' in page
    assert f'id="{field}-error"' in page
    assert 'value="not an e-mail"' in page  # what was typed is kept
    assert (
        '<input type="hidden" name="insurerResponse.liabilityCausation.liabilityDecision" value="A">' in page
    )
    assert Claim.objects.get(pk=info.application_id).phase == "LiabilityDecision"


def test_a_stale_form_says_the_claim_changed_and_shows_it_again(world: World, client: Client) -> None:
    info = send_claim(world)
    stale = _guid(info)
    locked = step(world, world.comp_handler, info, "lockClaim")  # changed meanwhile: a new GUID
    step(world, world.comp_handler, locked, "unlockClaim")
    _sign_in(client, "comp.handler")
    response = client.post(
        _op_url(info, "rejectClaimToCR"), {"activityEngineGuid": stale, "rejectionReasonCode": "1"}
    )
    page = _page(response)
    assert "The claim has changed since you opened this page" in page
    assert (
        f'name="activityEngineGuid" value="{_guid(info)}"' in page
    )  # the form now quotes the claim as it is
    assert re.search(r'name="rejectionReasonCode" type="radio" value="1" checked', page)
    step(world, world.comp_handler, _info(info), "acceptClaim")
    response = client.post(
        _op_url(info, "rejectClaimToCR"),
        {"activityEngineGuid": stale, "rejectionReasonCode": "1"},
        follow=True,
    )
    assert "“Reject the claim” is no longer possible" in _page(response)


def _info(info: ClaimInfo) -> ClaimInfo:
    claim = Claim.objects.get(pk=info.application_id)
    return ClaimInfo(claim.pk, claim.activity_guid, claim.phase, "")


def test_exit_codes_are_those_of_the_protocol_for_the_users_side(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "comp.handler")
    page = _page(client.get(_op_url(info, "exitProcess")))
    assert "Incomplete or inadequate mandatory information on the CNF" in page  # code 1: compensators
    assert "Claim withdrawn" not in page  # code 5: claimant representatives only
    response = client.post(
        _op_url(info, "exitProcess"),
        {"activityEngineGuid": _guid(info), "exitReasonCode": "2", "exitComment": "Low"},
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=info.application_id).phase == "ExitProcess"


def test_lock_unlock_and_a_team_leaders_force_unlock(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "comp.handler")
    response = client.post(_op_url(info, "lockClaim"), {"activityEngineGuid": _guid(info)}, follow=True)
    assert "The claim is locked to you" in _page(response)
    assert "Unlock the claim" in _page(response)
    assert Claim.objects.get(pk=info.application_id).locked_by_id == world.comp_handler.pk
    client.logout()
    _sign_in(client, "comp.leader")
    page = _page(client.get(reverse("claim", args=[format_application_id(info.application_id)])))
    assert "Locked to comp.handler" in page
    assert "Force unlock" in page
    assert _op_url(info, "acceptClaim") not in page  # locked by someone else
    refused = client.post(_op_url(info, "acceptClaim"), {"activityEngineGuid": _guid(info)})
    assert "The claim is locked by another user" in _page(refused)
    response = client.post(
        _op_url(info, "forceUnlockClaim"), {"activityEngineGuid": _guid(info)}, follow=True
    )
    assert "The claim is unlocked" in _page(response)
    assert Claim.objects.get(pk=info.application_id).locked_by_id is None


def test_a_team_leader_allocates_and_deallocates(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "comp.handler")
    assert _op_url(info, "allocateUser") not in _page(
        client.get(reverse("claim", args=[format_application_id(info.application_id)]))
    )
    refused = client.post(
        _op_url(info, "allocateUser"), {"activityEngineGuid": _guid(info), "targetUserID": "comp.handler"}
    )
    assert "“Allocate to a user” needs a team leader profile" in _page(refused)
    client.logout()
    _sign_in(client, "comp.leader")
    page = _page(client.get(_op_url(info, "allocateUser")))
    assert 'name="targetUserID" type="radio" value="comp.handler"' in page
    response = client.post(
        _op_url(info, "allocateUser"),
        {"activityEngineGuid": _guid(info), "targetUserID": "comp.handler"},
        follow=True,
    )
    assert "The claim is allocated" in _page(response)
    assert "Allocated to</dt>" in _page(response)
    assert Claim.objects.get(pk=info.application_id).comp_allocated_user_id == world.comp_handler.pk
    response = client.post(_op_url(info, "deallocateUser"), {"activityEngineGuid": _guid(info)}, follow=True)
    assert "The allocation is removed" in _page(response)
    assert Claim.objects.get(pk=info.application_id).comp_allocated_user_id is None


def test_a_list_grows_and_shrinks_without_losing_what_was_typed(world: World, client: Client) -> None:
    info = send_claim(world)
    for operation in ("acceptClaim",):
        info = step(world, world.comp_handler, info, operation)
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    _sign_in(client, "cr.handler")
    heads = "s2spfRequest.claimantLosses.currentClaimantOffer"
    page = _page(client.get(_op_url(info, "addStage2SPFRequest")))
    assert f'name="{heads}[count]" value="1"' in page
    response = client.post(
        _op_url(info, "addStage2SPFRequest"),
        {
            "activityEngineGuid": _guid(info),
            f"{heads}[count]": "1",
            f"{heads}.0.grossValueClaimed": "1200.00",
            "_add": heads,
        },
    )
    page = _page(response)
    assert f'name="{heads}[count]" value="2"' in page
    assert 'value="1200.00"' in page
    assert f'name="{heads}.1.grossValueClaimed"' in page
    assert 'class="govuk-error-summary"' not in page  # nothing was sent
    response = client.post(
        _op_url(info, "addStage2SPFRequest"),
        {
            "activityEngineGuid": _guid(info),
            f"{heads}[count]": "2",
            f"{heads}.1.grossValueClaimed": "300.00",
            "_remove": f"{heads}.0",
        },
    )
    page = _page(response)
    assert f'name="{heads}[count]" value="1"' in page
    assert re.search(
        rf'name="{re.escape(heads)}.0.grossValueClaimed" type="text" inputmode="decimal" spellcheck="false" value="300.00"',
        page,
    )
    assert Claim.objects.get(pk=info.application_id).phase == "Stage2SettlementPackForm"


# --------------------------------------------------------------------------------------------------
# Drafts
# --------------------------------------------------------------------------------------------------


def _new_draft(client: Client, claim_type: str = "RTA") -> str:
    response = client.post(reverse("claims:new"), {"claimType": claim_type})
    assert response.status_code == 302
    return str(response["Location"].rstrip("/").split("/")[-1])


def test_only_a_claimant_representative_starts_a_claim(world: World, client: Client) -> None:
    _sign_in(client, "comp.handler")
    page = _page(client.post(reverse("claims:new"), {"claimType": "RTA"}))
    assert "Only a claimant representative drafts claims" in page
    assert '<a href="#claimType">' in page
    assert not Claim.objects.exists()


def test_a_draft_page_saves_only_its_fields_and_shows_its_own_problems(world: World, client: Client) -> None:
    _sign_in(client, "cr.handler")
    number = _new_draft(client)
    injury = reverse("claims:draft-page", args=[number, "medicalDetails", "injury"])
    time_off = reverse("claims:draft-page", args=[number, "medicalDetails", "time-off"])
    # The injury page has nothing left to correct: "Save and continue" goes on to the next page.
    response = client.post(
        injury,
        {
            "activityEngineGuid": _guid(int(number)),
            "cnf.medicalDetails.injury.injurySustainedDescription": "Whiplash",
            "cnf.medicalDetails.injury.softTissue": "1",
            "_action": "continue",
        },
    )
    assert response["Location"] == time_off
    saved = _cnf(number)
    assert saved["medicalDetails"] == {
        "injury": {"softTissue": "1", "injurySustainedDescription": "Whiplash"}
    }
    # The next page sent empty: its own problem, beside its field; the injury page's answers are kept.
    response = client.post(time_off, {"activityEngineGuid": _guid(int(number)), "_action": "continue"})
    page = _page(response)
    assert response.status_code == 200
    assert "Your answers have been saved" in page
    assert 'id="f-cnf-medicalDetails-injury-timeOffRequired-error"' in page
    assert '<a href="#f-cnf-medicalDetails-injury-timeOffRequired">' in page
    assert "injurySustainedDescription" not in page  # another page's field is not on this one
    assert _cnf(number)["medicalDetails"]["injury"] == {
        "softTissue": "1",
        "injurySustainedDescription": "Whiplash",
    }
    # Answered: only this page's fields change.
    client.post(
        time_off,
        {
            "activityEngineGuid": _guid(int(number)),
            "cnf.medicalDetails.injury.timeOffRequired": "0",
            "_action": "continue",
        },
    )
    assert _cnf(number)["medicalDetails"]["injury"] == {
        "softTissue": "1",
        "injurySustainedDescription": "Whiplash",
        "timeOffRequired": "0",
    }
    url = injury
    later = client.post(
        url,
        {
            "activityEngineGuid": _guid(int(number)),
            "_action": "later",
            "cnf.medicalDetails.injury.injurySustainedDescription": "Neck",
        },
    )
    assert later["Location"] == reverse("claims:draft", args=[number])
    assert _cnf(number)["medicalDetails"]["injury"] == {
        "injurySustainedDescription": "Neck",
        "timeOffRequired": "0",
    }
    tasks = _text(_page(client.get(later["Location"])))
    assert "The injury Completed" in tasks
    assert "Medical attention and hospital Not yet started" in tasks
    assert "Rehabilitation Not yet started" in tasks
    assert "The accident Not yet started" in tasks
    assert "Compensator Not yet started" in tasks
    # The draft's history: the saves are one line.
    history = [e.operation for e in Claim.objects.get(pk=int(number)).events.order_by("id")]
    assert history.count("updateDraft") == 4

    stale = client.post(
        url, {"activityEngineGuid": "5b8f7c2e-3c1a-4c59-9a77-2f1c7e0b9d41", "_action": "later"}
    )
    assert "The draft has changed since you read it" in _page(stale)


def test_a_complete_draft_is_chosen_a_compensator_checked_and_sent(world: World, client: Client) -> None:
    _sign_in(client, "cr.handler")
    number = _new_draft(client)
    cnf = cnf_example("RTA", surname="Achebe")
    cnf["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"].update(
        insurerOrganizationID="", insurerOrganizationPath=""
    )
    Claim.objects.filter(pk=int(number)).update(cnf=cnf)  # as if every section were typed in

    check = _page(client.get(reverse("claims:draft-check", args=[number])))
    assert "Compensator: choose the compensator before sending the claim" in check
    assert "Achebe" in check
    assert 'Change<span class="govuk-visually-hidden"> last name' in check
    compensators = reverse("claims:draft-compensator", args=[number])
    page = _page(client.get(compensators, {"name": "insurer", "source": "directory"}))
    assert "Insurer plc (/COMP001)" in page
    assert "TPA Ltd" not in page
    response = client.post(
        compensators,
        {
            "activityEngineGuid": _guid(int(number)),
            "source": "directory",
            "name": "insurer",
            "compensator": "/COMP001",
        },
    )
    assert response["Location"] == reverse("claims:draft", args=[number])
    insurer = _cnf(number)["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]
    assert insurer["insurerOrganizationPath"] == "/COMP001"
    assert insurer["insurerType"] == "I"
    assert "Compensator Completed" in _text(_page(client.get(response["Location"])))

    check = _page(client.get(reverse("claims:draft-check", args=[number])))
    assert 'class="govuk-error-summary"' not in check
    response = client.post(
        reverse("claims:draft-check", args=[number]), {"activityEngineGuid": _guid(int(number))}, follow=True
    )
    assert f"Claim {number} sent: it is now at CNF Submitted" in _page(response)
    assert Claim.objects.get(pk=int(number)).phase == "ClaimSubmitted"


def test_the_rta_insurer_index_chooses_the_organisation_and_the_insurers_name(
    world: World, client: Client
) -> None:
    entry = add_insurer_index_entry(
        insurer_name="Brand Motor Insurance", org_id=world.comp.org_id, compensator_type="I"
    )
    _sign_in(client, "cr.handler")
    number = _new_draft(client)
    url = reverse("claims:draft-compensator", args=[number])
    page = _page(client.get(url, {"name": "brand", "source": "index"}))
    assert f"Brand Motor Insurance ({entry.index_id})" in page
    client.post(
        url,
        {
            "activityEngineGuid": _guid(int(number)),
            "source": "index",
            "name": "brand",
            "compensator": entry.index_id,
        },
    )
    insurer = _cnf(number)["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"]
    assert insurer == {
        "insurerOrganizationID": world.comp.org_id,
        "insurerOrganizationPath": world.comp.path,
        "insurerName": "Brand Motor Insurance",
        "insurerType": "I",
    }


def test_a_bad_draft_is_not_sent_and_its_problems_link_to_their_sections(
    world: World, client: Client
) -> None:
    _sign_in(client, "cr.handler")
    number = _new_draft(client)
    cnf = cnf_example("RTA")
    cnf["claimAndClaimantDetails"]["claimantDetails"]["personalDetails"]["dateOfBirth"] = "2030-01-01"
    cnf["claimAndClaimantDetails"]["defendantDetails"]["insurerInformation"].update(
        insurerOrganizationID="COMP001", insurerOrganizationPath="/COMP001"
    )
    Claim.objects.filter(pk=int(number)).update(cnf=cnf)
    response = client.post(
        reverse("claims:draft-check", args=[number]), {"activityEngineGuid": _guid(int(number))}
    )
    page = _page(response)
    assert "The claim was not sent" in page
    section = reverse("claims:draft-page", args=[number, "claimAndClaimantDetails", "claimant"])
    anchor = "f-cnf-claimAndClaimantDetails-claimantDetails-personalDetails-dateOfBirth-day"
    assert f'href="{section}?check=1#{anchor}"' in page
    assert Claim.objects.get(pk=int(number)).phase == "ClaimDataInputEdit"
    section_page = _page(client.get(section + "?check=1"))
    assert (
        'id="f-cnf-claimAndClaimantDetails-claimantDetails-personalDetails-dateOfBirth-error"' in section_page
    )


def test_a_draft_is_deleted_after_confirmation(world: World, client: Client) -> None:
    _sign_in(client, "cr.handler")
    number = _new_draft(client)
    assert number in _page(client.get(reverse("claims:drafts")))
    confirm = _page(client.get(reverse("claims:draft-delete", args=[number])))
    assert f"Are you sure you want to delete draft {number}?" in confirm
    response = client.post(
        reverse("claims:draft-delete", args=[number]), {"activityEngineGuid": _guid(int(number))}, follow=True
    )
    assert f"Draft {number} deleted" in _page(response)
    assert not Claim.objects.filter(pk=int(number)).exists()


# --------------------------------------------------------------------------------------------------
# Search and notifications
# --------------------------------------------------------------------------------------------------


def test_search_by_application_id_without_zeros_reference_and_surname(world: World, client: Client) -> None:
    first = send_claim(world, surname="Okafor")
    send_claim(world, surname="Lindqvist")
    _sign_in(client, "comp.handler")
    page = _page(client.get(reverse("claims:search"), {"applicationId": str(first.application_id)}))
    assert "Okafor" in page and "Lindqvist" not in page
    page = _page(client.get(reverse("claims:search"), {"claimantSurname": "lindqvist"}))
    assert "Lindqvist" in page and "Okafor" not in page
    page = _page(client.get(reverse("claims:search"), {"CRReferenceNumber": "REF-Okafor"}))
    assert "Okafor" in page and "Lindqvist" not in page
    page = _page(
        client.get(
            reverse("claims:search"),
            {"phaseCacheId": "ClaimSubmitted", "sortField": "ApplicationId", "sortOrder": "Desc"},
        )
    )
    assert page.index("Lindqvist") < page.index("Okafor")
    client.logout()
    _sign_in(client, "other.handler")
    page = _page(client.get(reverse("claims:search"), {"applicationId": str(first.application_id)}))
    assert "No claims match your search." in page


def test_search_shows_problems_beside_the_criteria(world: World, client: Client) -> None:
    _sign_in(client, "comp.handler")
    page = _page(
        client.get(
            reverse("claims:search"),
            {"sentDateFrom[day]": "31", "sentDateFrom[month]": "2", "sentDateFrom[year]": "2026"},
        )
    )
    assert 'href="#sentDateFrom-day"' in page and "must be a real date" in page
    page = _page(
        client.get(
            reverse("claims:search"),
            {
                "sentDateFrom[day]": "5",
                "sentDateFrom[month]": "3",
                "sentDateFrom[year]": "2026",
                "sentDateTo[day]": "1",
                "sentDateTo[month]": "3",
                "sentDateTo[year]": "2026",
            },
        )
    )
    assert "the &#x27;from&#x27; date is after the &#x27;to&#x27; date" in page
    page = _page(client.get(reverse("claims:search"), {"applicationId": "abc"}))
    assert 'id="applicationId-error"' in page and "must be a number" in page


def test_notifications_are_deleted_one_by_one_or_all_after_confirmation(world: World, client: Client) -> None:
    send_claim(world, surname="Okafor")
    send_claim(world, surname="Lindqvist")
    _sign_in(client, "comp.handler")
    worklist = _page(client.get("/"))
    notes = list(Notification.objects.filter(organisation=world.comp).order_by("id"))
    assert len(notes) == 2
    for note in notes:
        assert reverse("claims:notification-delete", args=[str(note.guid)]) in worklist
    response = client.post(
        reverse("claims:notification-delete", args=[str(notes[0].guid)]), {"next": "/?sort=updated"}
    )
    assert response["Location"] == "/?sort=updated"
    assert not Notification.objects.filter(pk=notes[0].pk).exists()
    again = client.post(reverse("claims:notification-delete", args=[str(notes[0].guid)]), follow=True)
    assert "That notification has already been deleted" in _page(again)
    assert "deletes them for everyone in your organisation" in _page(
        client.get(reverse("claims:notifications-clear"))
    )
    response = client.post(reverse("claims:notifications-clear"), follow=True)
    assert "1 notification deleted" in _page(response)
    assert not Notification.objects.filter(organisation=world.comp).exists()
    assert "No notifications." in _page(client.get("/"))


def test_a_rejected_claim_is_corrected_on_its_form_and_resent(world: World, client: Client) -> None:
    info = send_claim(world, surname="Okafor")
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    _sign_in(client, "cr.handler")
    url = _op_url(info, "resendRejectedClaim")
    page = _page(client.get(url))
    surname = "cnf.claimAndClaimantDetails.claimantDetails.personalDetails.surname"
    assert f'name="{surname}" type="text" spellcheck="false" value="Okafor"' in page  # the form as sent
    assert "insurerInformation.insurerOrganizationPath" not in page  # the portal fills the compensator
    op = forms.operation_model(Claim.objects.get(pk=info.application_id), "resendRejectedClaim")
    assert op is not None
    tree = form_tree(op.payload)
    cnf_node = tree.child("cnf")
    assert cnf_node is not None
    values = values_from_data(cnf_node, _cnf(str(info.application_id)))
    values[surname] = "Okafor-Smith"
    response = client.post(url, {**values, "activityEngineGuid": _guid(info), "_action": "submit"})
    assert response.status_code == 302, _text(_page(response))[:2000]
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.phase == "ClaimSubmitted"
    assert claim.claimant_surname == "Okafor-Smith"


def test_the_defendant_only_cnf_is_for_the_claimant_representative(world: World, client: Client) -> None:
    info = send_claim(world, surname="Okafor")
    url = reverse("claims:defendant-only", args=[format_application_id(info.application_id)])
    _sign_in(client, "cr.handler")
    page = _text(_page(client.get(url)))
    assert "Defendant Only Claim Notification Form" in page
    assert "RTA2" in page and "Okafor" in page
    client.logout()
    _sign_in(client, "comp.handler")
    refused = client.get(url)
    assert refused.status_code == 403
    assert "The Defendant Only CNF is for the claimant representative" in _page(refused)
