"""Hostile input on the web (issue 17): a control character (NUL above all) in an address or a typed
answer is refused in plain English, never a 500, and nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client

from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.models import AuditEntry
from claimsportal.notifications.models import Notification
from claimsportal.web.forms import CONTROL_CHARACTERS
from tests.conftest import World
from tests.web.signing_in import error_summary, in_section, page

pytestmark = pytest.mark.django_db

TABLES = (Claim, ClaimEvent, Notification, AuditEntry)


def snapshot() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


@pytest.mark.parametrize(
    ("section", "url"),
    [
        ("claims", "/work/search/?claimantSurname=%00"),
        ("claims", "/work/search/?claimantSurname=Smith%E2%80%AE"),
        ("claims", "/work/search/?CRReferenceNumber=a%00b"),
        ("admin", "/console/users/%00/"),
        ("admin", "/console/users/?q=%01"),
    ],
)
def test_a_control_character_in_an_address_is_a_400_page_in_words(
    world: World, client: Client, section: str, url: str
) -> None:
    in_section(client, world.cr_admin if section == "admin" else world.cr_handler, section)
    before = snapshot()
    response = client.get(url)
    assert response.status_code == 400
    assert "There is a problem with the web address" in page(response)
    assert "control character" in page(response)
    assert snapshot() == before


def test_a_signed_out_address_with_nul_is_refused_too(client: Client) -> None:
    assert client.get("/login/?next=%00").status_code == 400


@pytest.mark.parametrize("user_id", ["demo\x01user", "demo\u202euser", "demo\x00user"])
def test_the_sign_in_form_refuses_control_characters_beside_the_field(client: Client, user_id: str) -> None:
    before = snapshot()
    response = client.post("/login/", {"username": user_id, "password": "x", "section": "claims"})
    assert response.status_code == 200
    summary = error_summary(response)
    assert CONTROL_CHARACTERS in summary or "Null characters are not allowed" in summary
    assert snapshot() == before
