"""Long operation forms in pages of one topic (issue 18): the Stage 2 settlement pack asked page by
page, nothing stored in between (the answers travel in the form), each page's answers checked on
"Continue", a check page whose "Change" buttons land on the page and field, and one ``perform`` at
the end, after the confirmation of the amounts."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.selectors import FORM_OPERATIONS
from claimsportal.presentation.form_tree import field_id
from claimsportal.protocols.tables import definition_for
from claimsportal.web.claims import pages as paging
from claimsportal.web.claims.forms import operation_model
from claimsportal.web.claims.operations import _base_name
from claimsportal.web.claims.schema_form import values_from_data
from tests.conftest import World, send_claim, step
from tests.shorthands import form_shorthand

PASSWORD = "Passw0rd!Passw0rd"
OP = "addStage2SPFRequest"
HEADS = "s2spfRequest.claimantLosses.currentClaimantOffer"

pytestmark = pytest.mark.django_db


def _at_stage2(world: World) -> ClaimInfo:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    return step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)


def _url(info: ClaimInfo) -> str:
    return reverse("claims:operation", args=[format_application_id(info.application_id), OP])


def _pages(info: ClaimInfo) -> tuple[paging.FormPage, ...]:
    claim = Claim.objects.get(pk=info.application_id)
    op = operation_model(claim, OP)
    assert op is not None
    from claimsportal.presentation.form_tree import form_tree

    return paging.operation_pages(OP, form_tree(op.payload))


def _valid_values(info: ClaimInfo) -> dict[str, str]:
    claim = Claim.objects.get(pk=info.application_id)
    payload = form_shorthand("RTA", OP, {}, claim.state)
    op = operation_model(claim, OP)
    assert op is not None
    from claimsportal.presentation.form_tree import form_tree

    return values_from_data(form_tree(op.payload), payload)


def _text(page: str) -> str:
    return html.unescape(page)


def _inputs(page: str) -> tuple[set[str], dict[str, str]]:
    """The names of the inputs shown, and the hidden inputs (name -> value)."""
    shown = set(re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*name="([^"]+)"', page))
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    return shown, {k: html.unescape(v) for k, v in hidden.items()}


def _post(client: Client, info: ClaimInfo, data: dict[str, str]) -> str:
    response = client.post(_url(info), data)
    assert response.status_code == 200
    return response.content.decode()


def _form_of(page: str) -> dict[str, str]:
    """What the page's form posts as shown (hidden inputs and filled inputs, as typed)."""
    _, hidden = _inputs(page)
    return hidden


def _page_values(page: paging.FormPage, values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if page.owns(_base_name(k))}


def _walk_to_check(client: Client, info: ClaimInfo, values: dict[str, str]) -> str:
    pages = _pages(info)
    page_html = client.get(_url(info)).content.decode()
    for page in pages:
        assert f'name="_page" value="{page.key}"' in page_html
        data = {**_form_of(page_html), **_page_values(page, values), "_action": "continue"}
        page_html = _post(client, info, data)
    return page_html


def test_the_stage2_pack_is_asked_one_topic_a_page_and_sent_once(world: World, client: Client) -> None:
    info = _at_stage2(world)
    pages = _pages(info)
    assert [p.key for p in pages] == [
        "losses",
        "comments",
        "medical-report",
        "representative",
        "statement-of-truth",
    ]
    values = _valid_values(info)
    assert client.login(username="cr.handler", password=PASSWORD)
    page_html = client.get(_url(info)).content.decode()
    carried: dict[str, str] = {}
    for number, page in enumerate(pages, start=1):
        text = _text(page_html)
        assert f'<h1 class="govuk-heading-l">{page.title}</h1>' in text
        assert f"page {number} of {len(pages)}" in text
        shown, hidden = _inputs(page_html)
        fields = {_base_name(name) for name in shown}
        assert fields and all(page.owns(name) for name in fields), fields  # only the page's fields
        for name, value in carried.items():  # the earlier pages' answers travel with the form
            assert hidden.get(name) == value, name
        mine = _page_values(page, values)
        data = {**hidden, **mine, "_action": "continue"}
        carried.update(mine)
        page_html = _post(client, info, data)
        if number == 2:  # "Previous page" and back: what was typed on either page is kept
            back = _post(client, info, {**data, "_previous": "1"})
            assert f'name="_page" value="{pages[0].key}"' in back
            assert f'value="{values[f"{HEADS}.0.grossValueClaimed"]}"' in back
            _, back_hidden = _inputs(back)
            assert all(back_hidden.get(k) == v for k, v in mine.items())
    # check your answers: every page's answers, nothing sent yet
    text = _text(page_html)
    assert "Check your answers" in text
    assert Claim.objects.get(pk=info.application_id).phase == "Stage2SettlementPackForm"
    _, hidden = _inputs(page_html)
    for name, value in carried.items():
        assert hidden.get(name) == value, name
    for page in pages:
        assert f'name="_goto" value="{page.key}"' in page_html
    # sending: the confirmation of the amounts first, then one perform
    confirm = _post(client, info, {**hidden, "_action": "send"})
    assert "Check the amounts before you send them" in confirm
    assert not Claim.objects.get(pk=info.application_id).events.filter(operation=OP).exists()
    _, confirm_hidden = _inputs(confirm)
    response = client.post(_url(info), {**confirm_hidden, "_confirmed": "1"})
    assert response.status_code == 302
    claim = Claim.objects.get(pk=info.application_id)
    assert claim.events.filter(operation=OP).count() == 1
    assert claim.phase != "Stage2SettlementPackForm"
    event = claim.events.get(operation=OP)
    sent = event.payload["s2spfRequest"]
    assert (
        sent["claimantLosses"]["currentClaimantOffer"][0]["grossValueClaimed"]
        == values[f"{HEADS}.0.grossValueClaimed"]
    )
    assert OP in FORM_OPERATIONS


def test_a_pages_errors_are_shown_on_that_page_in_words(world: World, client: Client) -> None:
    info = _at_stage2(world)
    assert client.login(username="cr.handler", password=PASSWORD)
    first = client.get(_url(info)).content.decode()
    _, hidden = _inputs(first)
    page_html = _post(
        client,
        info,
        {**hidden, f"{HEADS}[count]": "1", f"{HEADS}.0.grossValueClaimed": "lots", "_action": "continue"},
    )
    text = _text(page_html)
    assert 'name="_page" value="losses"' in page_html  # still the losses page
    assert "There is a problem" in text
    links = re.findall(r'<a href="#([^"]+)">', page_html)
    assert links
    for anchor in links:  # each link lands on a field of this page, which shows its error
        assert f'id="{anchor}"' in page_html
    assert "govuk-error-message" in page_html
    assert "Statement of truth" not in text.split("There is a problem")[1].split("</ul>")[0]
    assert not re.search(r"\^|\$|s2spfRequest\.", text.split('<form method="post"')[0])  # words only


def test_change_lands_on_the_page_and_returns_to_the_check_page(world: World, client: Client) -> None:
    info = _at_stage2(world)
    values = _valid_values(info)
    assert client.login(username="cr.handler", password=PASSWORD)
    check = _walk_to_check(client, info, values)
    buttons = re.findall(r'name="_goto" value="([^"]+)" formaction="#([^"]+)"', check)
    assert buttons
    _, hidden = _inputs(check)
    pages = {p.key: p for p in _pages(info)}
    for key, anchor in dict(buttons).items():
        page_html = _post(client, info, {**hidden, "_goto": key})
        assert f'name="_page" value="{key}"' in page_html
        assert f'id="{anchor}"' in page_html  # the answer's field is on that page
        assert anchor.startswith(field_id(pages[key].root.path))
    # changed and continued: straight back to the check page, with the new answer
    page_html = _post(client, info, {**hidden, "_goto": "representative"})
    _, page_hidden = _inputs(page_html)
    mine = _page_values(pages["representative"], values)
    name = "s2spfRequest.claimantRepresentative.contactSurname"
    assert name in mine
    page_html = _post(client, info, {**page_hidden, **mine, name: "Changed", "_action": "continue"})
    assert "Check your answers" in page_html
    assert ">Changed<" in page_html


def test_a_carried_answer_tampered_with_is_checked_again_when_sent(world: World, client: Client) -> None:
    info = _at_stage2(world)
    values = _valid_values(info)
    assert client.login(username="cr.handler", password=PASSWORD)
    check = _walk_to_check(client, info, values)
    _, hidden = _inputs(check)
    hidden[f"{HEADS}.0.grossValueClaimed"] = "-5 pounds"
    page_html = _post(client, info, {**hidden, "_action": "send"})
    assert 'name="_page" value="losses"' in page_html  # shown on its page, with its error
    assert "There is a problem" in page_html
    assert 'name="_return" value="1"' in page_html
    assert not Claim.objects.get(pk=info.application_id).events.filter(operation=OP).exists()
    # sent straight to the final step (past the confirmation): checked by perform all the same
    response = client.post(_url(info), {**hidden, "_confirmed": "1"})
    assert 'name="_page" value="losses"' in response.content.decode()
    assert not Claim.objects.get(pk=info.application_id).events.filter(operation=OP).exists()
    # the claim changed meanwhile: the page shown carries on with the claim as first shown
    step(world, world.cr_handler, info, "lockClaim")
    _, kept = _inputs(_post(client, info, {**hidden, "_action": "send"}))
    assert kept["activityEngineGuid"] == hidden["activityEngineGuid"]


def test_a_claim_changed_meanwhile_is_said_in_words_and_the_answers_kept(
    world: World, client: Client
) -> None:
    info = _at_stage2(world)
    values = _valid_values(info)
    assert client.login(username="cr.handler", password=PASSWORD)
    check = _walk_to_check(client, info, values)
    _, hidden = _inputs(check)
    confirm = _post(client, info, {**hidden, "_action": "send"})
    _, confirm_hidden = _inputs(confirm)
    step(world, world.cr_handler, info, "lockClaim")  # another change first: the form's GUID is stale
    claim = Claim.objects.get(pk=info.application_id)
    assert str(claim.activity_guid) != confirm_hidden["activityEngineGuid"]
    response = client.post(_url(info), {**confirm_hidden, "_confirmed": "1"})
    page_html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page_html
    assert "Check your answers" in page_html
    assert "The claim has changed since you opened this page. Your answers are kept" in page_html
    assert "activityEngineGuid" not in _text(page_html).split("<form")[0]
    _, kept = _inputs(page_html)
    for name, value in values.items():
        if not name.endswith("[count]"):
            assert kept.get(name) == value, name
    assert kept["activityEngineGuid"] == str(claim.activity_guid)  # sending again is on the claim as it is
    assert not Claim.objects.get(pk=info.application_id).events.filter(operation=OP).exists()


def test_short_operation_forms_stay_one_page() -> None:
    definition = definition_for("RTA")
    from claimsportal.presentation.form_tree import form_tree

    for name in ("addStage2SPFCounterOfferByCR", "acceptClaim"):
        op = definition.operations_named(name)[0]
        assert paging.operation_pages(name, form_tree(op.payload)) == ()
    for name in paging.OPERATION_PAGES:
        op = definition.operations_named(name)[0]
        pages = paging.operation_pages(name, form_tree(op.payload))
        assert len(pages) > 1
        assert not any(p.key == paging.OTHER_KEY for p in pages), name  # every field declared
