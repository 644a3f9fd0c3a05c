"""The NHS hospital finder (``GET /work/hospitals/``): a GOV.UK search page that works without
JavaScript, the same view as JSON for the CNF's inline finder, and the finder beside each hospital of
the CNF's medical section."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claimsportal.claims import drafts
from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim
from claimsportal.reference.hospitals import DEMO_SITES_FILE, import_ods_sites, search_hospitals
from claimsportal.web.claims.hospitals import HOSPITAL_RESULTS, NO_HOSPITAL_CRITERIA
from tests.conftest import World

PASSWORD = "Passw0rd!Passw0rd"
URL = "/work/hospitals/"
LEEDS = {
    "name": "LEEDS GENERAL INFIRMARY",
    "addressLine1": "GREAT GEORGE STREET",
    "addressLine2": "LEEDS",
    "addressLine3": "WEST YORKSHIRE",
    "addressLine4": "",
    "postCode": "LS1 3EX",
}
HOSPITAL = "cnf.medicalDetails.hospital"


@pytest.fixture
def signed_in(world: World, client: Client) -> Client:
    """A claimant representative's handler, with the 36 demo NHS sites loaded."""
    import_ods_sites(DEMO_SITES_FILE)
    assert client.login(username="cr.handler", password=PASSWORD)
    return client


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _rows(response: Any) -> list[str]:
    body = response.content.decode().partition('<tbody class="govuk-table__body">')[2]
    return [
        html.unescape(n)
        for n in re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>', body)
    ]


# --------------------------------------------------------------------------------------------------
# Who may search
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?name=leeds", "?name=leeds&format=json"])
def test_the_finder_needs_sign_in(db: None, client: Client, query: str) -> None:
    response = client.get(URL + query, headers={"Accept": "application/json"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_url_is_the_claims_sections(db: None) -> None:
    assert reverse("claims:hospitals") == URL


def test_the_finder_only_reads(signed_in: Client) -> None:
    assert signed_in.post(URL, {"name": "leeds"}).status_code == 405


# --------------------------------------------------------------------------------------------------
# The page (no JavaScript needed)
# --------------------------------------------------------------------------------------------------


def test_the_first_visit_is_the_search_form_without_errors_or_results(signed_in: Client) -> None:
    response = signed_in.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Find an NHS hospital \u2013 Claims Portal</title>" in page
    assert '<form method="get" novalidate>' in page
    assert 'name="name"' in page and 'name="postcode"' in page
    assert '<label class="govuk-label govuk-label--s" for="name">Hospital name</label>' in page
    assert '<label class="govuk-label govuk-label--s" for="postcode">Postcode</label>' in page
    assert "govuk-error-summary" not in page
    assert "<table" not in page


def test_the_page_lists_name_address_and_postcode(signed_in: Client) -> None:
    response = signed_in.get(URL, {"name": "general leeds", "postcode": ""})
    assert response.status_code == 200
    assert _rows(response) == ["LEEDS GENERAL INFIRMARY"]
    text = _text(response)
    assert "1 NHS hospital found" in text
    assert "Name Address Postcode" in text
    assert "LEEDS GENERAL INFIRMARY GREAT GEORGE STREET, LEEDS, WEST YORKSHIRE LS1 3EX" in text
    assert 'value="general leeds"' in response.content.decode()  # the search is kept in the form


def test_the_page_searches_by_the_start_of_the_postcode_and_by_both(signed_in: Client) -> None:
    assert _rows(signed_in.get(URL, {"postcode": "sw17"})) == ["ST GEORGE'S HOSPITAL"]
    assert _rows(signed_in.get(URL, {"name": "infirmary", "postcode": "LS1"})) == ["LEEDS GENERAL INFIRMARY"]
    nothing = signed_in.get(URL, {"name": "nowhere general"})
    assert _rows(nothing) == []
    assert "No NHS hospital found" in _text(nothing)


def test_neither_criterion_is_the_error_summary_pattern(signed_in: Client) -> None:
    response = signed_in.get(URL, {"name": "  ", "postcode": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Find an NHS hospital \u2013 Claims Portal</title>" in page
    assert f'<li><a href="#name">{NO_HOSPITAL_CRITERIA}</a></li>'.replace("'", "&#x27;") in page
    assert 'id="name-error" class="govuk-error-message"' in page
    assert 'class="govuk-input govuk-!-width-two-thirds govuk-input--error" id="name"' in page
    assert 'aria-describedby="name-hint name-error"' in page
    assert "<table" not in page


def test_the_searchs_own_refusals_are_shown_beside_their_inputs(signed_in: Client) -> None:
    response = signed_in.get(URL, {"name": "x" * 101, "postcode": "not a postcode!"})
    page = response.content.decode()
    assert '<a href="#name">Hospital name: at most 100 characters</a>' in page
    assert 'id="name-error"' in page
    assert "<table" not in page
    postcode = signed_in.get(URL, {"postcode": "not a postcode!"}).content.decode()
    assert '<a href="#postcode">Postcode: the start of a UK postcode' in postcode
    assert 'aria-describedby="postcode-hint postcode-error"' in postcode


def test_results_are_capped_and_the_page_says_so(signed_in: Client) -> None:
    assert len(search_hospitals(name="hospital", limit=200)) > HOSPITAL_RESULTS
    response = signed_in.get(URL, {"name": "hospital"})
    rows = _rows(response)
    assert len(rows) == HOSPITAL_RESULTS
    assert rows == sorted(rows)
    assert f"More than {HOSPITAL_RESULTS} NHS hospitals found: the first {HOSPITAL_RESULTS} are shown" in (
        _text(response)
    )


def test_the_number_of_queries_does_not_grow_with_the_results(signed_in: Client) -> None:
    counts = []
    for params in ({"name": "leeds general"}, {"name": "hospital"}, {"name": "hospital", "format": "json"}):
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(URL, params).status_code == 200
        # the page's banners (announcement, maintenance) are not about the results: JSON has none
        counts.append(len([q for q in queries.captured_queries if "publishing_" not in q["sql"]]))
        hospital_queries = [q for q in queries.captured_queries if "reference_hospital" in q["sql"]]
        assert len(hospital_queries) == 1
    assert counts[0] == counts[1] == counts[2]


# --------------------------------------------------------------------------------------------------
# JSON for the script
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"name": "leeds general", "format": "json"}, {}),
        ({"name": "leeds general"}, {"Accept": "application/json"}),
    ],
)
def test_json_when_asked_for(signed_in: Client, params: dict[str, str], headers: dict[str, str]) -> None:
    response = signed_in.get(URL, params, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    assert response.json() == {
        "hospitals": [LEEDS],
        "count": 1,
        "more": False,
        "summary": "1 NHS hospital found",
    }


def test_a_browsers_accept_header_gets_the_page(signed_in: Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = signed_in.get(URL, {"name": "leeds"}, headers={"Accept": accept})
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]


def test_json_results_are_capped(signed_in: Client) -> None:
    data = signed_in.get(URL, {"name": "hospital", "format": "json"}).json()
    assert data["count"] == len(data["hospitals"]) == HOSPITAL_RESULTS
    assert data["more"] is True
    assert data["summary"].startswith(f"More than {HOSPITAL_RESULTS} NHS hospitals found")
    nothing = signed_in.get(URL, {"postcode": "ZZ9", "format": "json"}).json()
    assert nothing == {"hospitals": [], "count": 0, "more": False, "summary": "No NHS hospital found"}


def test_json_errors_are_400_with_the_input_they_are_about(signed_in: Client) -> None:
    neither = signed_in.get(URL, {"format": "json"})
    assert neither.status_code == 400
    assert neither.json() == {"errors": [{"field": "name", "message": NO_HOSPITAL_CRITERIA}]}
    bad = signed_in.get(URL, {"postcode": "??", "format": "json"}, headers={"Accept": "application/json"})
    assert bad.status_code == 400
    [error] = bad.json()["errors"]
    assert error["field"] == "postcode"
    assert error["message"].startswith("the start of a UK postcode")


# --------------------------------------------------------------------------------------------------
# Beside each hospital of the CNF's medical section
# --------------------------------------------------------------------------------------------------


def _draft_with_hospitals(world: World, count: int) -> str:
    actor = world.actor(world.cr_handler)
    info = drafts.create_draft(actor, "RTA")
    hospitals = [{"hospitalType": "1", "hospitalName": f"Private clinic {n}"} for n in range(count)]
    drafts.update_draft(
        actor,
        info.application_id,
        Claim.objects.get(pk=info.application_id).activity_guid,
        sections={"medicalDetails": {"hospital": hospitals}},
    )
    return format_application_id(info.application_id)


def test_each_hospital_of_the_medical_section_offers_the_finder(world: World, signed_in: Client) -> None:
    number = _draft_with_hospitals(world, 2)
    page = signed_in.get(
        reverse("claims:draft-page", args=[number, "medicalDetails", "medical-attention"])
    ).content.decode()
    assert page.count("data-cp-hospital-finder") == 2
    for index in (0, 1):
        block = f'data-url="{URL}" data-path="{HOSPITAL}.{index}"'
        assert block in page
        # the fields the script fills in are there, under the API's names
        for name in (
            "hospitalName",
            "hospitalAddress.addressLine1",
            "hospitalAddress.addressLine4",
            "postCode",
        ):
            assert f'name="{HOSPITAL}.{index}.{name}"' in page
        assert f'name="{HOSPITAL}.{index}.hospitalType" type="radio" value="0"' in page
        # without JavaScript: a link to the search page, in a new tab so that nothing typed is lost
        assert (
            f'<a class="govuk-link" href="{URL}" target="_blank" rel="noopener noreferrer">Find an NHS '
            f'hospital<span class="govuk-visually-hidden"> for hospital {index + 1}</span> (opens in new tab)</a>'
        ) in page
        # with it: a button that opens the finder (hidden until the script shows it)
        assert (
            f'aria-controls="f-{HOSPITAL.replace(".", "-")}-{index}-finder" data-finder-toggle hidden>'
            in page
        )
    finder = page.partition('data-path="cnf.medicalDetails.hospital.0"')[2].partition("data-finder-results")[
        0
    ]
    assert "<input" in finder and " name=" not in finder  # the finder's inputs are never posted
    assert 'type="button"' in finder and 'type="submit"' not in finder
    assert 'role="status"' in finder


def test_no_finder_where_there_is_no_hospital(world: World, signed_in: Client) -> None:
    number = _draft_with_hospitals(world, 0)
    page = signed_in.get(
        reverse("claims:draft-page", args=[number, "medicalDetails", "medical-attention"])
    ).content.decode()
    assert "data-cp-hospital-finder" not in page
    claimant = signed_in.get(
        reverse("claims:draft-page", args=[number, "claimAndClaimantDetails", "claimant"])
    )
    assert "data-cp-hospital-finder" not in claimant.content.decode()
