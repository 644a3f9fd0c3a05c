"""A draft's CNF can be printed before it is sent (WORKFLOW.md §10), marked as a draft, never stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from claimsportal.claims.drafts import create_draft
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.documents import rendering
from claimsportal.documents.models import PrintableDocument
from claimsportal.organisations.models import User
from tests.conftest import World, cnf, send_claim, step
from tests.documents.test_printable import page_texts

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd!Passw0rd"


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.user_id, password=PASSWORD)
    return client


def test_the_claimant_side_prints_its_draft_as_a_pdf_marked_draft(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = create_draft(world.actor(world.cr_handler), "RTA", cnf("RTA"))
    number = f"{draft.application_id:08d}"
    laid_out: list[Any] = []
    real = rendering.render_document

    def keep(document: PrintableDocument, *, draft: bool = False) -> Any:
        laid_out.append(real(document, draft=draft))
        return laid_out[-1]

    monkeypatch.setattr(rendering, "render_document", keep)
    response = signed_in(world.cr_handler).get(f"/work/drafts/{number}/print/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="draft-{number}-cnf.pdf"'
    assert response.content.startswith(b"%PDF-")
    pages = page_texts(laid_out[0])
    assert all("DRAFT \u2013 NOT SENT" in page for page in pages)
    text = " ".join(pages)
    assert "Draft \u2013 not sent." in text and "Draft Claim Notification Form (RTA1)" in text
    assert "Referrals Ltd" not in text  # the referral source is never printed
    assert not PrintableDocument.objects.exists()  # nothing stored


def test_nobody_else_can_print_the_draft(world: World) -> None:
    draft = create_draft(world.actor(world.cr_handler), "RTA", cnf("RTA"))
    number = f"{draft.application_id:08d}"
    for user in (world.comp_handler, world.other_cr_handler):
        assert signed_in(user).get(f"/work/drafts/{number}/print/").status_code == 404
    assert Client().get(f"/work/drafts/{number}/print/").status_code == 302  # sign in first


def test_the_draft_pages_offer_the_print(world: World) -> None:
    draft = create_draft(world.actor(world.cr_handler), "RTA", cnf("RTA"))
    number = f"{draft.application_id:08d}"
    client = signed_in(world.cr_handler)
    for page in (f"/work/drafts/{number}/", f"/work/drafts/{number}/check/"):
        assert (
            f'href="/work/drafts/{number}/print/">Print the draft (PDF)</a>'
            in client.get(page).content.decode()
        )


def _at_liability_decision(world: World) -> Any:
    info = step(world, world.comp_handler, send_claim(world), "acceptClaim")
    return step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)


def test_the_compensator_prints_its_liability_decision_as_a_draft_without_sending_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = _at_liability_decision(world)
    number = f"{info.application_id:08d}"
    url = f"/work/claims/{number}/operations/sendLiabilityDecision/"
    client = signed_in(world.comp_handler)
    assert 'name="_print" value="1"' in client.get(url).content.decode()
    laid_out: list[Any] = []
    real = rendering.render_document

    def keep(document: PrintableDocument, *, draft: bool = False) -> Any:
        laid_out.append(real(document, draft=draft))
        return laid_out[-1]

    monkeypatch.setattr(rendering, "render_document", keep)
    before = (Claim.objects.get(pk=info.application_id).activity_guid, ClaimEvent.objects.count())
    documents = PrintableDocument.objects.count()
    response = client.post(
        url,
        {
            "_print": "1",
            "activityEngineGuid": str(info.activity_guid),
            "insurerResponse.liabilityCausation.liabilityDecision": "A",  # half filled in: still printable
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="draft-{number}-sendLiabilityDecision.pdf"'
    )
    text = " ".join(page_texts(laid_out[0]))
    assert "Draft Claim Notification Form with Insurer Response" in text
    assert "Draft \u2013 not sent." in text
    assert "Referrals Ltd" not in text
    # Nothing was sent, stored or changed.
    assert (Claim.objects.get(pk=info.application_id).activity_guid, ClaimEvent.objects.count()) == before
    assert PrintableDocument.objects.count() == documents


def test_only_the_side_whose_turn_it_is_can_print_the_draft(world: World) -> None:
    info = _at_liability_decision(world)
    number = f"{info.application_id:08d}"
    url = f"/work/claims/{number}/operations/sendLiabilityDecision/"
    response = signed_in(world.cr_handler).post(
        url, {"_print": "1", "activityEngineGuid": str(info.activity_guid)}
    )
    assert response["Content-Type"] != "application/pdf"
    assert signed_in(world.other_cr_handler).post(url, {"_print": "1"}).status_code == 404
