"""The claim page's Printable documents section and the PDF downloads in the browser.

The PDF renderer is replaced by a fast fake (rendering is tested in tests/documents).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from claimsportal.documents import printable
from claimsportal.documents.models import PrintableDocument
from claimsportal.organisations.models import User
from tests.conftest import World, cnf, send_claim, step

PASSWORD = "Passw0rd!Passw0rd"
FAKE_PDF = b"%PDF-1.7 a fake document\n%%EOF\n"
Kind = PrintableDocument.Kind


@pytest.fixture(autouse=True)
def _fake_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printable, "_render", lambda document: FAKE_PDF)


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.user_id, password=PASSWORD)
    return client


def section(html: str) -> str:
    found = re.search(r'<h2 class="govuk-heading-m" id="documents-heading">.*?(?=<h2 )', html, re.S)
    assert found, "the claim page has a Printable documents section"
    return found.group(0)


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+/documents/[^"]+/)"', section(html))


def test_the_claim_page_lists_the_documents_of_the_users_side(world: World) -> None:
    info = send_claim(world)
    number = f"{info.application_id:08d}"
    cr_page = signed_in(world.cr_handler).get(reverse("claim", args=[number])).content.decode()
    listed = section(cr_page)
    assert "Claim Notification Form (RTA1)" in listed
    assert "Defendant Only Claim Notification Form (RTA2)" in listed
    assert len(links(cr_page)) == 2
    comp_page = signed_in(world.comp_handler).get(reverse("claim", args=[number])).content.decode()
    assert "Defendant Only" not in section(comp_page)
    assert len(links(comp_page)) == 1


def test_a_claim_without_documents_says_so(world: World) -> None:
    info = send_claim(world)
    PrintableDocument.objects.filter(claim_id=info.application_id).delete()
    page = signed_in(world.cr_handler).get(reverse("claim", args=[f"{info.application_id:08d}"]))
    assert "No printable documents yet." in section(page.content.decode())


def test_a_listed_document_downloads_as_a_pdf(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    client = signed_in(world.comp_handler)
    page = client.get(reverse("claim", args=[f"{info.application_id:08d}"])).content.decode()
    assert "Claim Notification Form with Insurer Response" in section(page)
    response = client.get(links(page)[-1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = f'attachment; filename="{info.application_id:08d}-cnf-insurer-response-1-v1.pdf"'
    assert response["Content-Disposition"] == disposition
    assert response.content == FAKE_PDF


def test_a_document_the_user_may_not_have_is_not_found(world: World) -> None:
    info = send_claim(world)
    number = f"{info.application_id:08d}"
    defendant_only = PrintableDocument.objects.get(claim_id=info.application_id, kind=Kind.DEFENDANT_ONLY_CNF)
    url = reverse("claims:document", args=[number, str(defendant_only.document_id)])
    assert signed_in(world.cr_handler).get(url).status_code == 200
    assert signed_in(world.comp_handler).get(url).status_code == 404, "the claimant side's only"
    assert signed_in(world.other_cr_handler).get(url).status_code == 404, "another firm's claim"
    other = send_claim(world, surname="Other")
    wrong_claim = reverse(
        "claims:document", args=[f"{other.application_id:08d}", str(defendant_only.document_id)]
    )
    assert signed_in(world.cr_handler).get(wrong_claim).status_code == 404, "not a document of that claim"
    garbage = reverse("claims:document", args=[number, "not-a-uuid"])
    assert signed_in(world.cr_handler).get(garbage).status_code == 404


def test_downloads_need_sign_in(world: World) -> None:
    info = send_claim(world)
    document = PrintableDocument.objects.filter(claim_id=info.application_id).first()
    assert document is not None
    url = reverse("claims:document", args=[f"{info.application_id:08d}", str(document.document_id)])
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_defendant_only_cnf_page_shows_the_letter_the_document_prints(world: World) -> None:
    info = send_claim(world)
    page = signed_in(world.cr_handler).get(
        reverse("claims:defendant-only", args=[f"{info.application_id:08d}"])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "John Roe" in html and "POL123" in html, "the letter (web/claims/_defendant_only_letter.html)"


def test_a_compensator_the_claim_is_resent_to_has_none_of_the_first_ones_documents(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    info = step(world, world.cr_handler, info, "resendRejectedClaim", compensator=world.mib.path, cnf=cnf())
    number = f"{info.application_id:08d}"
    first, second = PrintableDocument.objects.filter(claim_id=info.application_id, kind=Kind.CNF).order_by(
        "version"
    )
    client = signed_in(world.mib_handler)
    mib_page = client.get(reverse("claim", args=[number])).content.decode()
    (link,) = links(mib_page)
    assert str(second.document_id) in link
    assert client.get(link).status_code == 200
    url = reverse("claims:document", args=[number, str(first.document_id)])
    assert client.get(url).status_code == 404, "the first insurer's CNF"
    cr = signed_in(world.cr_handler)
    assert len(links(cr.get(reverse("claim", args=[number])).content.decode())) == 4
    assert cr.get(url).status_code == 200


def test_a_compensator_of_the_same_group_has_the_documents_after_a_reassignment(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    client = signed_in(world.tpa_handler)
    (link,) = links(client.get(reverse("claim", args=[f"{info.application_id:08d}"])).content.decode())
    assert client.get(link).status_code == 200
