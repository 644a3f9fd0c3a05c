"""A draft's CNF can be printed before it is sent (WORKFLOW.md §10), marked as a draft, never stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from claimsportal.claims.drafts import create_draft
from claimsportal.documents import rendering
from claimsportal.documents.models import PrintableDocument
from claimsportal.organisations.models import User
from tests.conftest import World, cnf
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
