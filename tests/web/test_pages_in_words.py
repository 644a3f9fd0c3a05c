"""Rendered pages, checked as a person and a screen reader meet them (issue 18): no shown text with
a regular expression, an identifier or "None"; no duplicate id; every radio, checkbox, input, select
and textarea with its own id and a label; every error summary link lands on an element that shows
an inline error. (axe-core checks the rest in the browser tests; it does not catch a radio group
whose options share one id.)"""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.presentation.form_tree import form_tree
from claimsportal.presentation.messages import looks_technical
from claimsportal.web.claims.forms import cnf_settings, operation_model
from claimsportal.web.claims.pages import FIRM, operation_pages, pages_for
from claimsportal.web.claims.schema_form import values_from_data
from tests.conftest import World, send_claim, step
from tests.shorthands import form_shorthand

PASSWORD = "Passw0rd!Passw0rd"


class _Page(HTMLParser):
    """Ids, labels, controls, error summary links and the visible text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.links: list[str] = []
        self.error_ids: set[str] = set()
        self.text: list[str] = []
        self._skip = 0
        self._in_summary = 0
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.append(a["id"])
        if tag in ("script", "style", "template"):
            self._skip += 1
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit", "button"):
            self.controls.append({"tag": tag, **a})
        if "govuk-error-summary" in a.get("class", "").split():
            self._in_summary = 1
        elif self._in_summary and tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if "govuk-form-group--error" in a.get("class", "").split() or "govuk-input--error" in a.get(
            "class", ""
        ):
            self.error_ids.add(a.get("id", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())


def _check(page_html: str, where: str) -> _Page:
    parsed = _Page()
    parsed.feed(page_html)
    duplicates = [i for i, n in Counter(parsed.ids).items() if n > 1]
    assert not duplicates, f"{where}: duplicate ids {duplicates}"
    for control in parsed.controls:
        ident = control.get("id", "")
        assert ident and ident != "None", f"{where}: a {control['tag']} {control.get('name')} without an id"
        assert ident in parsed.label_for or control.get("aria-label"), f"{where}: {ident} has no label"
    for text in parsed.text:
        problem = looks_technical(html.unescape(text))
        assert not problem, f"{where}: {text!r} shows {problem}"
    for target in parsed.links:
        assert target in parsed.ids, f"{where}: the error summary links to #{target}, not on the page"
        described = re.search(rf'id="{re.escape(target)}"', page_html)
        assert described, target
        # the field (or its group) shows an inline error message
        assert re.search(rf'id="{re.escape(target.removesuffix("-day"))}-error"', page_html) or re.search(
            rf'aria-describedby="[^"]*{re.escape(target.removesuffix("-day"))}-error', page_html
        ), f"{where}: #{target} has no inline error"
    return parsed


def _get(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return str(response.content.decode())


def test_the_public_registration_page_gives_each_radio_its_own_id(client: Client, world: World) -> None:
    page = _get(client, reverse("console-register"))
    _check(page, "register")
    ids = re.findall(r'name="compensator_type" type="radio"|id="(id_compensator_type_\d)"', page)
    assert 'id="None"' not in page
    assert len({i for i in ids if i}) == 3


def _claim_at_liability(world: World) -> ClaimInfo:
    info = step(world, world.comp_handler, send_claim(world), "acceptClaim")
    return step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)


@pytest.mark.parametrize(
    "operation",
    ["sendLiabilityDecision", "rejectClaimToCR", "reassignToAnotherCM", "exitProcess", "stateFraud"],
)
def test_an_operation_page_and_its_errors_are_in_words_with_linked_fields(
    world: World, client: Client, operation: str
) -> None:
    info = _claim_at_liability(world)
    assert client.login(username="comp.handler", password=PASSWORD)
    url = reverse("claims:operation", args=[format_application_id(info.application_id), operation])
    _check(_get(client, url), f"{operation} (form)")
    guid = str(Claim.objects.get(pk=info.application_id).activity_guid)
    refused = client.post(url, {"activityEngineGuid": guid, "_action": "submit"}).content.decode()
    _check(refused, f"{operation} (sent empty)")


@pytest.mark.parametrize("claim_type", ["RTA", "EL"])
def test_every_draft_page_sent_empty_links_each_error_to_its_field(
    world: World, client: Client, claim_type: str
) -> None:
    assert client.login(username="cr.handler", password=PASSWORD)
    number = (
        client.post(reverse("claims:new"), {"claimType": claim_type})["Location"].rstrip("/").split("/")[-1]
    )
    for page in pages_for(claim_type, FIRM, cnf_settings(claim_type, None)):
        url = reverse("claims:draft-page", args=[number, page.section, page.key])
        _check(_get(client, url), f"{page.title} (form)")
        guid = str(Claim.objects.get(pk=int(number)).activity_guid)
        response = client.post(url, {"activityEngineGuid": guid, "_action": "continue"})
        if response.status_code == 302:  # nothing on the page is needed yet (optional, or pre-filled)
            assert not page.required or page.key == "representative", page.title
            continue
        parsed = _check(response.content.decode(), f"{page.title} (sent empty)")
        assert parsed.links, f"{page.title}: a page sent empty with errors links them"
    check = _get(client, reverse("claims:draft-check", args=[number]))
    _check(check, "check your answers")
    # Every missing answer the check lists links to its page, where that field shows its error.
    links = re.findall(r'<a href="([^"#]+\?check=1)#([^"]+)">', check)
    assert links
    for url, anchor in links:
        landed = _get(client, html.unescape(url))
        _check(landed, url)
        assert f'id="{anchor}"' in landed, (url, anchor)
        assert re.search(rf'id="{re.escape(anchor.removesuffix("-day"))}-error"', landed) or re.search(
            rf'aria-describedby="[^"]*{re.escape(anchor.removesuffix("-day"))}-error', landed
        ), f"{url}#{anchor} shows no inline error"


def test_the_claim_page_worklist_and_history_are_in_words(world: World, client: Client) -> None:
    info = _claim_at_liability(world)
    assert client.login(username="comp.handler", password=PASSWORD)
    _check(_get(client, reverse("claim", args=[format_application_id(info.application_id)])), "claim page")
    _check(_get(client, reverse("worklist")), "worklist")
    client.logout()
    assert client.login(username="cr.handler", password=PASSWORD)
    _check(
        _get(client, reverse("claim", args=[format_application_id(info.application_id)])), "claim page (CR)"
    )
    _check(_get(client, reverse("worklist")), "worklist (CR)")


def test_every_page_of_the_stage2_pack_sent_empty_and_its_check_page_are_in_words(
    world: World, client: Client
) -> None:
    info = step(
        world, world.comp_handler, _claim_at_liability(world), "sendLiabilityDecision", liabilityDecision="A"
    )
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    claim = Claim.objects.get(pk=info.application_id)
    op = operation_model(claim, "addStage2SPFRequest")
    assert op is not None
    tree = form_tree(op.payload)
    pages = operation_pages("addStage2SPFRequest", tree)
    assert pages
    assert client.login(username="cr.handler", password=PASSWORD)
    url = reverse("claims:operation", args=[format_application_id(info.application_id), op.name])
    _check(_get(client, url), "Stage 2 pack (first page)")
    guid = str(claim.activity_guid)
    for page in pages:  # each page opened (as "Change" opens it) and sent empty
        shown = client.post(url, {"activityEngineGuid": guid, "_goto": page.key}).content.decode()
        _check(shown, f"{page.title} (form)")
        refused = client.post(
            url, {"activityEngineGuid": guid, "_page": page.key, "_action": "continue"}
        ).content.decode()
        if f'name="_page" value="{page.key}"' not in refused:
            assert not page.required, page.title  # nothing on it is needed: on to the check page
            continue
        parsed = _check(refused, f"{page.title} (sent empty)")
        assert parsed.links, f"{page.title}: a page sent empty with errors links them"
    values = values_from_data(tree, form_shorthand("RTA", op.name, {}, claim.state))
    check = client.post(url, {**values, "activityEngineGuid": guid, "_page": pages[-1].key, "_return": "1"})
    assert "Check your answers" in check.content.decode()
    _check(check.content.decode(), "Stage 2 pack: check your answers")
