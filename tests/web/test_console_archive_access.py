"""Who may open the console's archive pages: signed in to Administration, with the Search Archived
Claims User profile; anyone else is sent to sign in or told why not."""

from __future__ import annotations

import pytest
from django.test import Client

from claimsportal.organisations.services import create_user
from tests.conftest import World
from tests.web.signing_in import in_section, page

ARCHIVE_PAGES = ["/console/archive/", "/console/archive/00000001/"]


@pytest.mark.parametrize("path", ARCHIVE_PAGES)
def test_someone_not_signed_in_is_sent_to_sign_in(db: None, client: Client, path: str) -> None:
    assert client.get(path)["Location"] == f"/login/?next={path}"


@pytest.mark.parametrize("path", ARCHIVE_PAGES)
def test_an_administrator_without_the_archive_profile_is_told_why_not(
    world: World, client: Client, path: str
) -> None:
    in_section(client, world.cr_admin, "admin")
    response = client.get(path)
    assert response.status_code == 403
    assert "Searching archived claims needs the Search Archived Claims User profile" in page(response)


def test_a_claims_portal_session_is_not_an_administration_session(world: World, client: Client) -> None:
    user = create_user(
        organisation=world.cr, user_id="cr.archive", email="archive@example.org", profiles="SEARCH_ARCHIVE"
    ).user
    in_section(client, user, "claims")
    assert client.get("/console/archive/").status_code != 200


def test_a_holder_of_the_archive_profile_searches(world: World, client: Client) -> None:
    user = create_user(
        organisation=world.cr, user_id="cr.archive", email="archive@example.org", profiles="SEARCH_ARCHIVE"
    ).user
    in_section(client, user, "admin")
    response = client.get("/console/archive/")
    assert response.status_code == 200
    assert "Search archived claims" in page(response)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
