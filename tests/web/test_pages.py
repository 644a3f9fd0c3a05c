"""The GOV.UK page furniture: sign-out, sign-in errors, the vendored assets and the not-found page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from claimsportal.claims.acting import format_application_id
from tests.conftest import World, send_claim

BUILT = "GOV.UK Frontend is vendored into static/govuk/ by 'make assets' (make test does it)"


def test_sign_out_is_a_post_that_returns_to_the_sign_in_page(world: World, client: Client) -> None:
    assert client.login(username="comp.handler", password="Passw0rd!Passw0rd")
    page = client.get("/").content.decode()
    assert re.search(
        r'<form class="cp-sign-out" method="post" action="/logout/">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        page,
    )
    response = client.post("/logout/", follow=True)
    assert response.redirect_chain == [("/login/", 302)]
    assert "You have signed out." in response.content.decode()
    assert client.get("/").status_code == 302


def test_sign_in_with_empty_fields_names_each_field(db: None, client: Client) -> None:
    page = client.post("/login/", {"username": "", "password": ""}).content.decode()
    assert "<title>Error: Sign in" in page
    assert '<a href="#id_username">Enter your user ID</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page


def test_every_page_loads_the_vendored_stylesheet_and_script(db: None, client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert '<link rel="stylesheet" href="/static/govuk/govuk-frontend.min.css">' in page
    assert '<script type="module" src="/static/web/claimsportal.js"></script>' in page
    assert "<script>" not in page  # no inline script: a strict Content-Security-Policy can apply


@pytest.mark.parametrize(
    "path",
    [
        "/static/govuk/govuk-frontend.min.js",
        "/static/web/claimsportal.css",
        "/static/web/claimsportal.js",
        "/static/web/favicon.svg",
    ],
)
def test_the_static_files_are_served(db: None, client: Client, path: str) -> None:
    assert client.get(path).status_code == 200, f"{path}: {BUILT}"


def test_the_stylesheets_fonts_and_images_resolve_next_to_it(db: None, client: Client) -> None:
    response = client.get("/static/govuk/govuk-frontend.min.css")
    assert response.status_code == 200, BUILT
    css = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    urls = set(re.findall(r"url\(([^)]+)\)", css))
    assert urls
    for url in urls:
        assert url.startswith("assets/"), url  # relative to the stylesheet, whatever STATIC_URL is
        assert client.get(f"/static/govuk/{url}").status_code == 200, url


def test_a_claim_not_shared_with_the_organisation_gets_the_not_found_page(
    world: World, client: Client
) -> None:
    info = send_claim(world)
    assert client.login(username="other.handler", password="Passw0rd!Passw0rd")
    response = client.get(f"/claims/{format_application_id(info.application_id)}/")
    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in response.content.decode()
