from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from claimsportal.claims.acting import format_application_id
from tests.conftest import World, send_claim, step

PUBLIC_URL_NAMES = {
    "login",
    "healthz",
    "healthz-jobs",  # 200, or 503 when a job is late (here: the worker never ran)
    # Forgotten password or first sign-in, and the online registration of an organisation
    "account-reset",
    "account-reset-code",
    "console-register",
    "console-register-check",
    "console-register-done",
    # The unrepresented claimant's registration (issue 19) and help signing in
    "litigant-start",
    "litigant-solicitor",
    "litigant-own-claim",
    "litigant-ineligible",
    "help-sign-in",
    "help-user-id",
    "help-contact",
}
# Public steps that, without the earlier answers in the session, send the person back to the start.
PUBLIC_STEP_URL_NAMES = {
    **dict.fromkeys(
        (
            "litigant-name",
            "litigant-email",
            "litigant-code",
            "litigant-user-id",
            "litigant-agreement",
            "litigant-check",
            "litigant-password",
            "litigant-registered",
        ),
        "/claimant/",
    ),
    "help-contact-done": "/help/contact/",
}
# What the portal publishes (issue 16): answered without sign-in (404 when nothing is published yet).
PUBLISHED_URL_NAMES = {
    "dashboard",
    "dashboard-year",
    "dashboard-year-csv",
    "dashboard-month",
    "dashboard-month-csv",
    "news",
    "news-feed",
    "news-item",
    "insurer-index",
    "insurer-index-csv",
    "insurer-index-xlsx",
}
# The A2A API authenticates each call with a bearer token instead of a session; only these are open.
PUBLIC_A2A_ROUTES = {"a2a/v1/token", "a2a/v1/changePassword", "a2a/v1/openapi.json", "a2a/v1/docs"}


def _sign_in(client: Client, user_id: str) -> None:
    assert client.login(username=user_id, password="Passw0rd!Passw0rd")


def test_sign_in_with_a_case_insensitive_user_id_reaches_the_worklist(
    world: World, client: Client, settings: Any
) -> None:
    settings.CLAIMSPORTAL_MODE = "training"  # no e-mailed code (tests/web/test_account_sign_in.py has it)
    response = client.post(
        "/login/", {"username": "COMP.HANDLER", "password": "Passw0rd!Passw0rd", "section": "claims"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_shows_one_message_for_any_cause(world: World, client: Client) -> None:
    wrong_password = client.post(
        "/login/", {"username": "comp.handler", "password": "nope", "section": "claims"}
    )
    unknown_user = client.post(
        "/login/", {"username": "nobody.here", "password": "nope", "section": "claims"}
    )
    assert '<a href="#id_username">Login failed</a>' in wrong_password.content.decode()
    assert '<a href="#id_username">Login failed</a>' in unknown_user.content.decode()


def test_worklist_lists_claims_awaiting_my_organisation_with_their_time_limit(
    world: World, client: Client
) -> None:
    info = send_claim(world, surname="Okafor")
    _sign_in(client, "comp.handler")
    page = client.get("/").content.decode()
    assert format_application_id(info.application_id) in page
    assert "Okafor" in page
    assert "CNF Submitted" in page
    # Sent Monday 2 March 2026: 15 business days end on Monday 23 March, so 15 are left today.
    assert "24 March 2026 (15 business days left)" in page


def test_worklist_of_the_other_side_does_not_list_a_claim_it_is_not_waiting_for(
    world: World, client: Client
) -> None:
    send_claim(world, surname="Okafor")
    _sign_in(client, "cr.handler")
    assert "Okafor" not in client.get("/").content.decode()


def test_claim_page_shows_history_to_a_party(world: World, client: Client) -> None:
    info = send_claim(world)
    step(world, world.comp_handler, info, "acceptClaim")
    _sign_in(client, "cr.handler")
    page = client.get(f"/claims/{info.application_id}/").content.decode()
    assert "Accepted the claim" in page
    assert "acceptClaim" not in page  # in words, not the operation's identifier
    assert "comp.handler" in page


def test_claim_of_another_organisation_is_not_found(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "other.handler")
    assert client.get(f"/claims/{info.application_id}/").status_code == 404
    assert client.get(f"/claims/{info.application_id + 999}/").status_code == 404


def _all_url_names() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name != "a2a-claim-path":  # a shortcut to API routes listed here one by one
                out.append((pattern.name or "", prefix + str(pattern.pattern)))

    walk(get_resolver().url_patterns)
    return out


@pytest.mark.parametrize(("name", "route"), _all_url_names())
def test_every_url_requires_sign_in_except_the_allow_list(
    db: None, client: Client, name: str, route: str
) -> None:
    path = "/" + route.replace("<str:application_id>", "00000001").replace("<applicationId>", "00000001")
    path = path.replace("<organisationId>", "COMP001").replace("<str:reason>", "own")
    for part, value in (
        ("<int:year>", "2026"),
        ("<int:month>", "3"),
        ("<int:pk>", "1"),
        ("<int:number>", "1"),
    ):
        path = path.replace(part, value)
    if route == "a2a/v1/insurer-index/changes":
        path += "?since=0"
    response = client.get(path)
    if route.startswith("a2a/"):
        if route == "a2a/v1/":
            assert response.status_code == 404  # django-ninja's root: nothing there
        elif route in PUBLIC_A2A_ROUTES:
            assert response.status_code in (200, 405)
        else:
            assert response.status_code in (401, 405), route
            if response.status_code == 401:
                assert response.json()["code"] == "AUTH_INVALID"
    elif name in PUBLISHED_URL_NAMES:
        assert response.status_code in (200, 302, 404), name
        if response.status_code == 302:
            assert not response["Location"].startswith("/login/")
    elif name in PUBLIC_URL_NAMES:
        assert response.status_code in ((200, 503) if name == "healthz-jobs" else (200, 405))
    elif name in PUBLIC_STEP_URL_NAMES:
        assert response.status_code == 302 and response["Location"] == PUBLIC_STEP_URL_NAMES[name]
    else:
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith("/login/")


def test_worklist_puts_the_nearest_time_limit_first(world: World, client: Client) -> None:
    pl = send_claim(world, "PL", surname="Later")  # 1 + 40 business days
    rta = send_claim(world, surname="Sooner")  # 15 business days
    admitted = step(world, world.comp_handler, rta, "acceptClaim")
    admitted = step(world, world.comp_handler, admitted, "applyArticle75", isArticle75=False)
    step(
        world, world.comp_handler, admitted, "sendLiabilityDecision", liabilityDecision="A"
    )  # untimed, CR's turn
    send_claim(world, surname="Middle", insurer_type="M")  # MIB: 30 business days
    assert pl.phase == "ClaimAcknowledgement"
    _sign_in(client, "comp.handler")
    page = client.get("/").content.decode()
    assert page.index("Middle") < page.index("Later")
    assert "Sooner" not in page  # liability admitted: the claimant representative's turn
