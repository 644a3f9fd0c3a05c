"""The protocol's rules that compare a form's answers with the claim, checked on "Continue" of the
page that asks them (issue 18): an offer above a head's claimed amount is refused on its own page, at
once, in the words the send uses, and the next page is not shown; a page that keeps to the claim goes
on. A one-page form whose amounts are confirmed before they are sent (the claimant's counter offer) is
refused before the confirmation page, not after it."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.presentation.form_tree import field_id, form_tree
from claimsportal.protocols.state import heads_in_order
from claimsportal.web.claims import pages as paging
from claimsportal.web.claims.forms import operation_model
from claimsportal.web.claims.operations import _base_name
from claimsportal.web.claims.schema_form import values_from_data
from tests.claims.test_stage2_paths import court_pack_form, negotiating
from tests.conftest import World, send_claim, step
from tests.shorthands import form_shorthand

PASSWORD = "Passw0rd!Passw0rd"
RESPONSE = "addStage2SPFResponse"
REPLIES = "s2spfResponse.defendantReplies.currentDefendantResponse"
CPP_RESPONSE = "addCPPFResponse"
CPP_REPLIES = "cppfResponse.defendantReplies.lastDefendantResponse"
BY_CR = "addStage2SPFCounterOfferByCR"
BY_CR_HEADS = "s2spfCounterOfferByCR.claimantLosses.currentClaimantOffer"


def _at_stage2_response(world: World) -> ClaimInfo:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    return step(world, world.cr_handler, info, "addStage2SPFRequest")


def _url(info: ClaimInfo, operation: str) -> str:
    return reverse("claims:operation", args=[format_application_id(info.application_id), operation])


def _claim(info: ClaimInfo) -> Claim:
    return Claim.objects.get(pk=info.application_id)


def _tree(info: ClaimInfo, operation: str) -> Any:
    op = operation_model(_claim(info), operation)
    assert op is not None
    return form_tree(op.payload)


def _pages(info: ClaimInfo, operation: str) -> dict[str, paging.FormPage]:
    return {page.key: page for page in paging.operation_pages(operation, _tree(info, operation))}


def _values(info: ClaimInfo, operation: str, shorthand: dict[str, Any], change: Any = None) -> dict[str, str]:
    """A whole valid form (tests.shorthands) as the page posts it, after ``change(form)``."""
    payload = form_shorthand("RTA", operation, shorthand, _claim(info).state)
    if change is not None:
        change(next(iter(payload.values())))
    return values_from_data(_tree(info, operation), payload)


def _on_page(page: paging.FormPage, values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if page.owns(_base_name(k))}


def _claimed_gross(info: ClaimInfo, loss_type: str) -> Decimal:
    return Decimal(heads_in_order(_claim(info).state["claimed_heads"])[loss_type]["gross"])


def _above(info: ClaimInfo, head: dict[str, str], field: str) -> None:
    """The head offered 100.00 more than claimed."""
    head[field] = f"{_claimed_gross(info, head['lossType']) + 100:.2f}"
    head.pop("valueOfferedAfterContrib", None)  # computed: may be left out


def _continue(
    client: Client, info: ClaimInfo, operation: str, page: paging.FormPage, values: dict[str, str]
) -> str:
    """ "Continue" on ``page`` with its answers (the other pages' as they are carried)."""
    data = {
        **values,
        "activityEngineGuid": str(_claim(info).activity_guid),
        "_page": page.key,
        "_action": "continue",
    }
    response = client.post(_url(info, operation), data)
    assert response.status_code == 200
    return response.content.decode()


def _summary(page_html: str) -> list[tuple[str, str]]:
    """The error summary's (link, text) rows."""
    if "govuk-error-summary__list" not in page_html:
        return []
    body = page_html.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [(href, html.unescape(text)) for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', body)]


def _inline_errors(page_html: str) -> list[str]:
    return [
        html.unescape(text).strip()
        for text in re.findall(
            r'class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>([^<]*)</p>',
            page_html,
        )
    ]


def _shown_page(page_html: str) -> str:
    found = re.search(r'name="_page" value="([^"]+)"', page_html)
    assert found is not None, "not a page of the form"
    return found.group(1)


def _assert_refused_on(page_html: str, page: paging.FormPage, field: str) -> str:
    """The page is shown again with one error, linked from the summary to the field, shown inline,
    in words; returns the error's text."""
    assert _shown_page(page_html) == page.key
    summary = _summary(page_html)
    assert [href for href, _ in summary] == [f"#{field_id(field)}"], summary
    text = summary[0][1]
    assert f'id="{field_id(field)}"' in page_html
    assert text in _inline_errors(page_html)
    assert not re.search(r"s2spf|cppf|\.\d+\.|\^|\$", text)  # words: no field path, no pattern
    return text


def test_an_offer_above_the_claim_is_refused_on_continue_of_its_page_as_at_the_send(
    world: World, client: Client
) -> None:
    info = _at_stage2_response(world)
    pages = _pages(info, RESPONSE)
    replies = pages["replies"]
    values = _values(
        info,
        RESPONSE,
        {"settlementPackDecision": "CO"},
        lambda form: _above(
            info, form["defendantReplies"]["currentDefendantResponse"][0], "grossValueClaimed"
        ),
    )
    assert client.login(username="comp.handler", password=PASSWORD)
    page_html = _continue(client, info, RESPONSE, replies, _on_page(replies, values))
    field = f"{REPLIES}.0.grossValueClaimed"
    said = _assert_refused_on(page_html, replies, field)
    loss_type = values[f"{REPLIES}.0.lossType"]
    assert f"must not be more than the {_claimed_gross(info, loss_type)} claimed" in said
    assert 'name="_page" value="agreement"' not in page_html  # the next page is not shown
    # sent whole (every page answered, past the confirmation): the send refuses it in the same words
    response = client.post(
        _url(info, RESPONSE),
        {**values, "activityEngineGuid": str(_claim(info).activity_guid), "_confirmed": "1"},
    )
    sent_html = response.content.decode()
    assert _shown_page(sent_html) == replies.key
    assert _summary(sent_html) == _summary(page_html)
    assert not _claim(info).events.filter(operation=RESPONSE).exists()


def test_a_page_within_the_claim_goes_on_to_the_next_page(world: World, client: Client) -> None:
    info = _at_stage2_response(world)
    replies = _pages(info, RESPONSE)["replies"]
    values = _values(info, RESPONSE, {"settlementPackDecision": "CO"})
    assert client.login(username="comp.handler", password=PASSWORD)
    page_html = _continue(client, info, RESPONSE, replies, _on_page(replies, values))
    assert _shown_page(page_html) == "agreement"
    assert "There is a problem" not in page_html


def test_a_court_pack_reply_above_the_claim_is_refused_on_its_page(
    world: World, client: Client, clock: FixedClock
) -> None:
    walker = court_pack_form(world, clock, "RTA")
    walker.cr("addCPPFRequest")
    info = walker.info
    pages = _pages(info, CPP_RESPONSE)
    replies = pages["replies"]
    values = _values(
        info,
        CPP_RESPONSE,
        {},
        lambda form: _above(info, form["defendantReplies"]["lastDefendantResponse"][0], "grossValueOffered"),
    )
    assert client.login(username="comp.handler", password=PASSWORD)
    carried = {k: v for k, v in values.items() if not replies.owns(_base_name(k))}
    page_html = _continue(client, info, CPP_RESPONSE, replies, {**carried, **_on_page(replies, values)})
    said = _assert_refused_on(page_html, replies, f"{CPP_REPLIES}.0.grossValueOffered")
    assert "claimed" in said
    assert 'name="_page" value="court-pack"' not in page_html
    # the representative's page (before it) knows nothing of the replies: it goes on
    first = pages["representative"]
    assert _shown_page(_continue(client, info, CPP_RESPONSE, first, values)) == "replies"
    # the same replies within the claim go on
    fine = _values(info, CPP_RESPONSE, {})
    assert _shown_page(_continue(client, info, CPP_RESPONSE, replies, fine)) == "court-pack"


def test_a_counter_offer_raising_a_head_is_refused_before_its_confirmation(
    world: World, client: Client, clock: FixedClock
) -> None:
    walker = negotiating(world, clock, "RTA")
    walker.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    info = walker.info

    def raise_first(form: dict[str, Any]) -> None:
        head = form["claimantLosses"]["currentClaimantOffer"][0]
        head["grossValueClaimed"] = f"{Decimal(head['grossValueClaimed']) + 1000:.2f}"

    values = _values(info, BY_CR, {}, raise_first)
    guid = str(_claim(info).activity_guid)
    assert client.login(username="cr.handler", password=PASSWORD)
    page_html = client.post(_url(info, BY_CR), {**values, "activityEngineGuid": guid}).content.decode()
    assert "Check the amounts before you send them" not in page_html
    summary = _summary(page_html)
    field = f"{BY_CR_HEADS}.0.grossValueClaimed"
    assert [href for href, _ in summary] == [f"#{field_id(field)}"]
    assert "cannot raise a head" in summary[0][1]
    assert summary[0][1] in _inline_errors(page_html)
    # sent past the confirmation: the same words
    sent = client.post(_url(info, BY_CR), {**values, "activityEngineGuid": guid, "_confirmed": "1"})
    assert _summary(sent.content.decode()) == summary
    assert not _claim(info).events.filter(operation=BY_CR).exists()
    # a counter offer that lowers the head goes on to the confirmation
    fine = _values(info, BY_CR, {})
    confirm = client.post(_url(info, BY_CR), {**fine, "activityEngineGuid": guid}).content.decode()
    assert "Check the amounts before you send them" in confirm
