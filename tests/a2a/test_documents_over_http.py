"""Printable documents over HTTP: getPrintableDocumentsList and getPrintableDocument (WORKFLOW.md §7.3).

The PDF renderer is replaced by a fast fake (rendering is tested in tests/documents); what is tested
here is who may list and download what, and the shape of the answers.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from claimsportal.documents import printable
from claimsportal.documents.models import PrintableDocument
from claimsportal.organisations.models import User
from tests.a2a.conftest import BASE, Caller, Callers, caller_for
from tests.conftest import World, cnf, send_claim, step

pytestmark = pytest.mark.django_db

Kind = PrintableDocument.Kind
FAKE_PDF = b"%PDF-1.7 a fake document\n%%EOF\n"


@pytest.fixture(autouse=True)
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def render(document: PrintableDocument) -> bytes:
        calls.append(document.pk)
        return FAKE_PDF

    monkeypatch.setattr(printable, "_render", render)
    return calls


def download(caller: Caller, user: User, document_id: str, **headers: str) -> Any:
    return caller.http.get(
        f"{BASE}/documents/{document_id}",
        headers={"Authorization": f"Bearer {caller.token}", "X-Login-As": user.user_id, **headers},
    )


def listed(caller: Caller, user: User, application_id: int) -> list[dict[str, Any]]:
    answer = caller.get(f"/claims/{application_id:08d}/documents", user)
    assert answer.status == 200, answer.body
    rows: list[dict[str, Any]] = answer.body
    return rows


def test_each_side_lists_the_documents_it_may_have(callers: Callers, world: World) -> None:
    info = send_claim(world)
    cr = listed(callers.cr, world.cr_handler, info.application_id)
    assert [(d["kind"], d["version"]) for d in cr] == [(Kind.CNF, 1), (Kind.DEFENDANT_ONLY_CNF, 1)]
    comp = listed(callers.comp, world.comp_handler, info.application_id)
    assert [d["kind"] for d in comp] == [Kind.CNF], "the Defendant Only CNF is the claimant side's"
    row = cr[0]
    document = PrintableDocument.objects.get(document_id=row["printableDocumentId"])
    assert row == {
        "printableDocumentId": str(document.document_id),
        "applicationId": f"{info.application_id:08d}",
        "title": "Claim Notification Form (RTA1)",
        "kind": "CNF",
        "sequence": 1,
        "version": 1,
        "createdTime": document.created_at.isoformat(),
        "fileName": f"{info.application_id:08d}-cnf-1-v1.pdf",
        "contentType": "application/pdf",
        "rendered": False,
        "size": None,
        "sha256": None,
    }


def test_a_document_downloads_as_a_pdf_rendered_on_demand_once(
    callers: Callers, world: World, renders: list[int]
) -> None:
    info = send_claim(world)
    (row,) = listed(callers.comp, world.comp_handler, info.application_id)
    response = download(callers.comp, world.comp_handler, row["printableDocumentId"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{row["fileName"]}"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == FAKE_PDF
    again = download(callers.cr, world.cr_handler, row["printableDocumentId"])
    assert again.content == FAKE_PDF
    assert len(renders) == 1, "rendered by the first download, stored, then read"
    (after,) = listed(callers.comp, world.comp_handler, info.application_id)
    assert (after["rendered"], after["size"]) == (True, len(FAKE_PDF))
    assert after["sha256"] == hashlib.sha256(FAKE_PDF).hexdigest()


def test_accept_json_gets_the_pdf_in_base64(callers: Callers, world: World) -> None:
    info = send_claim(world)
    row = listed(callers.cr, world.cr_handler, info.application_id)[1]
    response = download(callers.cr, world.cr_handler, row["printableDocumentId"], Accept="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert base64.b64decode(body["content"]) == FAKE_PDF
    assert body["kind"] == "DEFENDANT_ONLY_CNF" and body["size"] == len(FAKE_PDF)


def test_documents_the_caller_may_not_have_are_not_found(callers: Callers, world: World) -> None:
    info = send_claim(world)
    cnf_row, defendant_only = listed(callers.cr, world.cr_handler, info.application_id)
    # the compensator: the claim is visible, the Defendant Only CNF is not theirs
    answer = callers.comp.get(f"/documents/{defendant_only['printableDocumentId']}", world.comp_handler)
    assert (answer.status, answer.code) == (404, "NOT_FOUND")
    # an unrelated firm: neither the list nor any document
    other = callers.other_cr
    answer = other.get(f"/claims/{info.application_id:08d}/documents", world.other_cr_handler)
    assert (answer.status, answer.code) == (404, "NOT_FOUND")
    for row in (cnf_row, defendant_only):
        answer = other.get(f"/documents/{row['printableDocumentId']}", world.other_cr_handler)
        assert (answer.status, answer.code) == (404, "NOT_FOUND")
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        answer = callers.cr.get(f"/documents/{bad}", world.cr_handler)
        assert (answer.status, answer.code) == (404, "NOT_FOUND")
    assert not PrintableDocument.objects.filter(rendered_at__isnull=False).exists(), "nothing rendered"


def test_without_a_token_nothing_is_listed_or_downloaded(callers: Callers, world: World) -> None:
    info = send_claim(world)
    document = PrintableDocument.objects.filter(claim_id=info.application_id).first()
    assert document is not None
    for path in (f"/claims/{info.application_id:08d}/documents", f"/documents/{document.document_id}"):
        answer = callers.cr.get(path, world.cr_handler, token="")
        assert (answer.status, answer.code) == (401, "AUTH_INVALID")


def test_a_later_version_is_listed_after_the_first(callers: Callers, world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    kinds = [d["kind"] for d in listed(callers.comp, world.comp_handler, info.application_id)]
    assert kinds == [Kind.CNF, Kind.CNF_INSURER_RESPONSE]


def test_a_compensator_the_claim_is_resent_to_gets_none_of_the_first_ones_documents(
    callers: Callers, world: World, renders: list[int]
) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    step(world, world.cr_handler, info, "resendRejectedClaim", compensator=world.mib.path, cnf=cnf())
    first = PrintableDocument.objects.get(claim_id=info.application_id, kind=Kind.CNF, version=1)
    mib = caller_for(world.mib)
    rows = listed(mib, world.mib_handler, info.application_id)
    assert [(row["kind"], row["version"]) for row in rows] == [(Kind.CNF, 2)]
    assert download(mib, world.mib_handler, rows[0]["printableDocumentId"]).status_code == 200
    for accept in ("application/pdf", "application/json"):
        response = download(mib, world.mib_handler, str(first.document_id), Accept=accept)
        assert (response.status_code, response.json()["code"]) == (404, "NOT_FOUND")
    assert renders == [PrintableDocument.objects.get(document_id=rows[0]["printableDocumentId"]).pk]
    claim = mib.get(f"/claims/{info.application_id:08d}", world.mib_handler).body
    (row,) = mib.get("/claims", world.mib_handler).body["claims"]
    assert claim["printableDocumentsCount"] == row["printableDocumentsCount"] == 1, "as the list"
    assert len(listed(callers.cr, world.cr_handler, info.application_id)) == 4
    assert download(callers.cr, world.cr_handler, str(first.document_id)).status_code == 200


def test_a_compensator_of_the_same_group_gets_the_documents_after_a_reassignment(
    callers: Callers, world: World
) -> None:
    info = send_claim(world)
    step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    (row,) = listed(callers.tpa, world.tpa_handler, info.application_id)
    assert row["kind"] == Kind.CNF
    assert download(callers.tpa, world.tpa_handler, row["printableDocumentId"]).status_code == 200
    claim = callers.tpa.get(f"/claims/{info.application_id:08d}", world.tpa_handler).body
    assert claim["printableDocumentsCount"] == 1
