"""getHospitalsList over HTTP: GET /a2a/v1/hospitals with hospitalName and/or postCode."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from claimsportal.reference.hospitals import DEMO_SITES_FILE, import_ods_sites
from tests.a2a.conftest import Callers
from tests.conftest import World

pytestmark = pytest.mark.django_db

HOSPITAL_FIELDS = ["name", "addressLine1", "addressLine2", "addressLine3", "addressLine4", "postCode"]


@pytest.fixture(autouse=True)
def _demo_hospitals(db: None) -> None:
    import_ods_sites(DEMO_SITES_FILE)


def _path(**query: str | int) -> str:
    return f"/hospitals?{urlencode(query)}"


def test_hospitals_are_found_by_name_words_and_answered_in_the_hospital_shape(
    callers: Callers, world: World
) -> None:
    answer = callers.cr.get(_path(hospitalName="george tooting"), world.cr_handler)
    assert answer.status == 200, answer.body
    assert answer.body == []  # every word must be in the name: TOOTING is in the address
    answer = callers.cr.get(_path(hospitalName="St George's"), world.cr_handler)
    assert answer.body == [
        {
            "name": "ST GEORGE'S HOSPITAL",
            "addressLine1": "BLACKSHAW ROAD",
            "addressLine2": "TOOTING",
            "addressLine3": "LONDON",
            "addressLine4": "",
            "postCode": "SW17 0QT",
        }
    ]
    assert list(answer.body[0]) == HOSPITAL_FIELDS


def test_the_postcode_start_and_both_criteria_together(callers: Callers, world: World) -> None:
    by_postcode = callers.cr.get(_path(postCode="se1 "), world.cr_handler)
    assert [h["name"] for h in by_postcode.body] == ["GUY'S HOSPITAL", "ST THOMAS' HOSPITAL"]
    both = callers.cr.get(_path(hospitalName="thomas", postCode="SE1 7EH"), world.cr_handler)
    assert [h["postCode"] for h in both.body] == ["SE1 7EH"]
    assert callers.cr.get(_path(hospitalName="thomas", postCode="SW"), world.cr_handler).body == []


def test_the_answer_is_ordered_by_name_and_capped_at_the_limit(callers: Callers, world: World) -> None:
    every = callers.comp.get(_path(hospitalName="hospital", limit=200), world.comp_handler)
    found = [h["name"] for h in every.body]
    assert found == sorted(found) and len(found) > 20
    first = callers.comp.get(_path(hospitalName="hospital", limit=2), world.comp_handler)
    assert [h["name"] for h in first.body] == found[:2]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({}, ["hospitalName", "postCode"]),
        ({"hospitalName": " ", "postCode": ""}, ["hospitalName", "postCode"]),
        ({"postCode": "SW1A_1AA"}, ["postCode"]),
        ({"hospitalName": "x" * 101}, ["hospitalName"]),
        ({"hospitalName": "guy", "limit": 0}, ["limit"]),
        ({"hospitalName": "guy", "limit": 201}, ["limit"]),
        ({"hospitalName": "guy", "limit": "many"}, ["limit"]),
    ],
)
def test_no_criteria_or_bad_ones_are_a_schema_error_naming_the_fields(
    callers: Callers, world: World, query: dict[str, str | int], fields: list[str]
) -> None:
    answer = callers.cr.get(_path(**query), world.cr_handler)
    assert (answer.status, answer.code) == (422, "SCHEMA_INVALID"), answer.body
    assert answer.fields == fields


def test_any_user_of_the_organisation_may_search_but_only_when_authenticated(
    callers: Callers, world: World
) -> None:
    assert callers.cr.get(_path(hospitalName="guy"), world.cr_admin).status == 200, "no claims profile needed"
    assert callers.cr.get(_path(hospitalName="guy"), world.cr_handler, token="nope").code == "AUTH_INVALID"
    assert callers.cr.get(_path(hospitalName="guy"), None).code == "LOGIN_AS_INVALID"
    assert callers.cr.get(_path(hospitalName="guy"), world.comp_handler).code == "LOGIN_AS_INVALID"
