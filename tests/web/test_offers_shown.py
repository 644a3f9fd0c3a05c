"""Offers shown before they are answered (issue 18): the compensator's Stage 2 response shows the
claimant's offer, each head filled in with its figures, and a confirmation page states the amounts
before anything is sent."""

from __future__ import annotations

import html
import re

from django.test import Client
from django.urls import reverse

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.web.claims.schema_form import values_from_data
from tests.conftest import World, send_claim, step

PASSWORD = "Passw0rd!Passw0rd"
REPLIES = "s2spfResponse.defendantReplies.currentDefendantResponse"


def _at_stage2_response(world: World) -> ClaimInfo:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    info = step(world, world.cr_handler, info, "acknowledgeLiabilityAdmitted")
    info = step(world, world.cr_handler, info, "setInterimPaymentNeeded", isInterimPaymentNeeded=False)
    return step(world, world.cr_handler, info, "addStage2SPFRequest")


def _url(info: ClaimInfo) -> str:
    return reverse(
        "claims:operation", args=[format_application_id(info.application_id), "addStage2SPFResponse"]
    )


def _claimant_heads(info: ClaimInfo) -> list[dict[str, str]]:
    event = Claim.objects.get(pk=info.application_id).events.filter(operation="addStage2SPFRequest").get()
    heads = event.payload["s2spfRequest"]["claimantLosses"]["currentClaimantOffer"]
    assert isinstance(heads, list)
    return heads


def test_the_response_shows_the_claimants_offer_and_starts_from_its_figures(
    world: World, client: Client
) -> None:
    info = _at_stage2_response(world)
    heads = _claimant_heads(info)
    assert client.login(username="comp.handler", password=PASSWORD)
    page = html.unescape(client.get(_url(info)).content.decode())
    assert "The claimant's offer you are answering" in page
    for index, head in enumerate(heads):
        gross = head["grossValueClaimed"]
        assert f"£{gross}" in page  # in the offer's table
        assert re.search(
            rf'name="{REPLIES}\.{index}\.grossValueClaimed"[^>]*value="{re.escape(gross)}"', page
        )
        assert re.search(
            rf'name="{REPLIES}\.{index}\.lossType"[^>]*value="{head["lossType"]}" checked', page
        ) or (f'value="{head["lossType"]}" selected' in page)
        assert f"Claimant's figure: £{float(gross):,.2f}" in page
    assert f'name="{REPLIES}[count]" value="{len(heads)}"' in page
    assert (
        'name="' + REPLIES + '.0.isGrossAmountAgreed" type="radio" value="1" checked' not in page
    )  # decided by hand


def test_the_amounts_are_confirmed_before_they_are_sent(world: World, client: Client) -> None:
    info = _at_stage2_response(world)
    heads = _claimant_heads(info)
    from claimsportal.a2a.schemas import PAYLOAD_MODELS
    from claimsportal.presentation.form_tree import form_tree

    tree = form_tree(PAYLOAD_MODELS["addStage2SPFResponse"]["RTA"])
    replies = [
        {
            "lossType": h["lossType"],
            "isGrossAmountAgreed": "1",
            "grossValueClaimed": h["grossValueClaimed"],
            "percContribNegDeductions": h["percContribNegDeductions"],
            "interest": h.get("interest", "0.00"),
            **({k: h[k] for k in ("tariffType", "selectDurationOfTheInjury") if k in h}),
            **({"excepCircumstancesUplift": "0"} if "excepCircumstancesUplift" in h else {}),
        }
        for h in heads
    ]
    total = sum(float(h["grossValueClaimed"]) for h in heads)
    form = {
        "s2spfResponse": {
            "defendantRepresentative": {
                "defendantsInsurer": {
                    "contactName": "Alan",
                    "contactSurname": "Clerk",
                    "emailAddress": "claims@acme.example",
                    "referenceNumber": "ACME/1",
                    "telephoneNumber": "0161 496 0000",
                },
                "cruReference": {"cruReferenceNumber": "ABC123"},
            },
            "defendantReplies": {"currentDefendantResponse": replies},
            "total": {"currentTotal": {"cruDeductions": "0.00"}},
            "agreementData": {
                "finalAgreementDetails": {
                    "agreementDetails": {"grossAmount": f"{total:.2f}", "interimPaymentAmount": "0.00"},
                    "settlementPackDecision": "C",
                }
            },
        }
    }
    values = values_from_data(tree, form)
    guid = str(Claim.objects.get(pk=info.application_id).activity_guid)
    assert client.login(username="comp.handler", password=PASSWORD)
    confirm = client.post(_url(info), {**values, "activityEngineGuid": guid, "_action": "submit"})
    page = confirm.content.decode()
    assert "Check the amounts before you send them" in page
    assert f"£{total:,.2f}" in page and "(agreed)" in page
    assert not Claim.objects.filter(pk=info.application_id, events__operation="addStage2SPFResponse").exists()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert hidden[f"{REPLIES}.0.grossValueClaimed"] == heads[0]["grossValueClaimed"]

    change = client.post(_url(info), {**hidden, "_change": "1"}).content.decode()
    assert (
        "Check the amounts" not in change
        and "<h1" in change
        and "Respond to the Stage 2 Settlement Pack" in change
    )

    sent = client.post(_url(info), {**hidden, "_confirmed": "1"}, follow=True)
    assert Claim.objects.filter(pk=info.application_id, events__operation="addStage2SPFResponse").exists()
    assert "done" in sent.content.decode()


def test_a_form_with_errors_shows_them_before_any_confirmation(world: World, client: Client) -> None:
    info = _at_stage2_response(world)
    guid = str(Claim.objects.get(pk=info.application_id).activity_guid)
    assert client.login(username="comp.handler", password=PASSWORD)
    page = client.post(_url(info), {"activityEngineGuid": guid, "_action": "submit"}).content.decode()
    assert "Check the amounts" not in page
    assert 'class="govuk-error-summary"' in page
    assert "Field required" not in page and "String should" not in page
