"""Attachments over A2A: addAttachment, getAttachmentsList and getAttachment round trip with the exact
bytes, base64 and body errors, 404 for a claim of another organisation, Idempotency-Key, the 413/422
limits, and the counts in the claim rows."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from django.test import Client

from claimsportal.a2a.attachments import EXAMPLE_BODY, EXAMPLE_FILE
from claimsportal.documents.attachments import MAX_FILE_SIZE
from claimsportal.documents.models import Attachment, PrintableDocument
from claimsportal.notifications.models import Notification
from claimsportal.organisations.models import User
from tests.a2a.conftest import BASE, Answer, Caller, Callers, caller_for
from tests.conftest import World, cnf, send_claim, step
from tests.documents.test_attachments import stored_files

CONTENT = bytes(range(256)) * 3 + b"\r\n\x00end"


def body(content: bytes = CONTENT, **fields: Any) -> dict[str, Any]:
    return {
        "dataAttachmentTitle": "Medical report",
        "dataAttachmentDesc": "By Dr Patel",
        "dataAttachmentFileName": "report.pdf",
        "dataAttachmentFileZip": base64.b64encode(content).decode(),
        **fields,
    }


def _path(application_id: int) -> str:
    return f"/claims/{application_id:08d}/attachments"


def test_add_list_and_get_round_trip_with_the_exact_bytes(world: World, callers: Callers) -> None:
    info = send_claim(world)
    added = callers.cr.post(_path(info.application_id), world.cr_handler, body())
    assert added.status == 201, added.body
    record = added.body
    guid = record["dataAttachmentGuid"]
    assert record == {
        "applicationId": f"{info.application_id:08d}",
        "dataAttachmentGuid": guid,
        "dataAttachmentTitle": "Medical report",
        "dataAttachmentDesc": "By Dr Patel",
        "dataAttachmentFileName": "report.pdf",
        "dataAttachmentDate": record["dataAttachmentDate"],
        "dataAttachmentOwner": "cr.handler (Claimant Firm LLP)",
        "dataAttachmentOwnerSide": "CR",
        "size": len(CONTENT),
        "sha256": hashlib.sha256(CONTENT).hexdigest(),
        "contentType": "application/pdf",
        "declaredContentType": "application/pdf",
    }
    # The compensator lists and reads it too.
    listed = callers.comp.get(_path(info.application_id), world.comp_handler)
    assert listed.status == 200
    assert listed.body == [record]
    got = callers.comp.get(f"/attachments/{guid}", world.comp_handler)
    assert got.status == 200
    assert base64.b64decode(got.body.pop("dataAttachmentFileZip")) == CONTENT
    assert got.body == record
    # The raw file, on request.
    raw = callers.comp.http.get(
        f"{BASE}/attachments/{guid}",
        headers={
            "Authorization": f"Bearer {callers.comp.token}",
            "X-Login-As": world.comp_handler.user_id,
            "Accept": "application/octet-stream",
        },
    )
    assert raw.status_code == 200
    assert raw.content == CONTENT
    assert raw["Content-Type"] == record["contentType"] == "application/pdf", "served as its metadata says"
    assert raw["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert raw["X-Content-Type-Options"] == "nosniff"


def test_adding_does_not_change_the_activity_guid_and_notifies_the_other_party(
    world: World, callers: Callers
) -> None:
    info = send_claim(world)
    assert callers.cr.post(_path(info.application_id), world.cr_handler, body()).status == 201
    status = callers.comp.get(f"/claims/{info.application_id:08d}/status", world.comp_handler)
    assert status.body["claimInfo"]["activityEngineGuid"] == str(info.activity_guid)
    assert Notification.objects.filter(organisation=world.comp, message__contains="attachment").count() == 1
    history = callers.comp.get(f"/claims/{info.application_id:08d}/history", world.comp_handler)
    assert history.body[-1]["operation"] == "addAttachment"


def test_the_documented_example_succeeds_as_sent(world: World, callers: Callers, client: Client) -> None:
    document = client.get(f"{BASE}/openapi.json").json()
    spec = document["paths"][f"{BASE}/claims/{{applicationId}}/attachments"]["post"]
    assert spec["operationId"] == "addAttachment"
    assert {"201", "401", "403", "404", "409", "413", "422", "429"} <= set(spec["responses"])
    example = spec["requestBody"]["content"]["application/json"]["examples"]["medicalReport"]["value"]
    assert example == EXAMPLE_BODY
    info = send_claim(world)
    answer = callers.comp.post(_path(info.application_id), world.comp_handler, example)
    assert answer.status == 201, answer.body
    got = callers.comp.get(f"/attachments/{answer.body['dataAttachmentGuid']}", world.comp_handler)
    assert base64.b64decode(got.body["dataAttachmentFileZip"]) == EXAMPLE_FILE
    operations = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert {"getAttachmentsList", "addAttachment", "getAttachment"} <= operations


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dataAttachmentFileZip": "not base64!"}, "dataAttachmentFileZip"),
        ({"dataAttachmentFileZip": "YWJj="}, "dataAttachmentFileZip"),  # extra padding
        ({"dataAttachmentFileZip": "YR=="}, "dataAttachmentFileZip"),  # not canonical
        ({"dataAttachmentFileZip": "YQ"}, "dataAttachmentFileZip"),  # padding missing
        ({"dataAttachmentFileZip": "£££="}, "dataAttachmentFileZip"),
        ({"dataAttachmentFileZip": ""}, "dataAttachmentFileZip"),
        ({"dataAttachmentFileZip": None}, "dataAttachmentFileZip"),
        ({"dataAttachmentFileZip": 12}, "dataAttachmentFileZip"),
        ({"dataAttachmentTitle": 7}, "dataAttachmentTitle"),
        ({"dataAttachmentTitle": ""}, "dataAttachmentTitle"),
        ({"dataAttachmentFileName": "../x.pdf"}, "dataAttachmentFileName"),
        ({"extra": "field"}, "extra"),
        ({"applicationId": "99999999"}, "applicationId"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(
    world: World, callers: Callers, change: dict[str, Any], field: str
) -> None:
    info = send_claim(world)
    answer = callers.cr.post(_path(info.application_id), world.cr_handler, body(**change))
    assert (answer.status, answer.code, answer.fields) == (422, "SCHEMA_INVALID", [field]), answer.body
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_mime_base64_with_line_breaks_and_the_path_s_own_application_id_are_accepted(
    world: World, callers: Callers
) -> None:
    info = send_claim(world)
    encoded = base64.encodebytes(CONTENT).decode()  # a line break every 76 characters
    answer = callers.cr.post(
        _path(info.application_id),
        world.cr_handler,
        body(dataAttachmentFileZip=encoded, applicationId=str(info.application_id)),
    )
    assert answer.status == 201, answer.body
    assert answer.body["sha256"] == hashlib.sha256(CONTENT).hexdigest()


def test_a_body_that_is_not_json_is_422(world: World, callers: Callers) -> None:
    info = send_claim(world)
    response = callers.cr.http.post(
        f"{BASE}{_path(info.application_id)}",
        data=b"\xff not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {callers.cr.token}", "X-Login-As": world.cr_handler.user_id},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "SCHEMA_INVALID"


def test_a_claim_of_another_organisation_is_404_for_all_three(world: World, callers: Callers) -> None:
    info = send_claim(world)
    guid = callers.cr.post(_path(info.application_id), world.cr_handler, body()).body["dataAttachmentGuid"]
    outsiders = ((callers.other_cr, world.other_cr_handler), (callers.tpa, world.tpa_handler))
    for caller, user in outsiders:
        answers: list[Answer] = [
            caller.get(_path(info.application_id), user),
            caller.post(_path(info.application_id), user, body()),
            caller.get(f"/attachments/{guid}", user),
        ]
        assert [(a.status, a.code) for a in answers] == [(404, "NOT_FOUND")] * 3
    assert callers.cr.get("/attachments/not-a-guid", world.cr_handler).status == 404
    assert Attachment.objects.count() == 1


def test_an_idempotent_repeat_adds_nothing_and_answers_the_same(world: World, callers: Callers) -> None:
    info = send_claim(world)
    key = {"Idempotency-Key": "upload-1"}
    first = callers.cr.post(_path(info.application_id), world.cr_handler, body(), headers=key)
    again = callers.cr.post(_path(info.application_id), world.cr_handler, body(), headers=key)
    assert first.status == again.status == 201
    assert first.body == again.body
    assert Attachment.objects.count() == 1
    assert len(stored_files()) == 1
    other = callers.cr.post(_path(info.application_id), world.cr_handler, body(b"other"), headers=key)
    assert (other.status, other.code) == (422, "SCHEMA_INVALID")
    assert Attachment.objects.count() == 1
    assert len(stored_files()) == 1


def test_too_large_is_413_and_too_many_is_422(world: World, callers: Callers) -> None:
    info = send_claim(world)
    path = _path(info.application_id)
    over = callers.cr.post(path, world.cr_handler, body(b"a" * (MAX_FILE_SIZE + 1)))
    assert (over.status, over.code, over.fields) == (413, "LIMIT_EXCEEDED", ["dataAttachmentFileZip"])
    huge = callers.cr.post(path, world.cr_handler, body(dataAttachmentFileZip="A" * (7 * 1024 * 1024)))
    assert (huge.status, huge.code) == (413, "LIMIT_EXCEEDED")
    at_limit = callers.cr.post(path, world.cr_handler, body(b"a" * MAX_FILE_SIZE))
    assert at_limit.status == 201
    for n in range(10):
        assert callers.comp.post(path, world.comp_handler, body(f"c{n}".encode())).status == 201
    eleventh = callers.comp.post(path, world.comp_handler, body(b"c11"))
    assert (eleventh.status, eleventh.code, eleventh.fields) == (
        422,
        "LIMIT_EXCEEDED",
        ["dataAttachmentFileZip"],
    )
    assert len(stored_files()) == Attachment.objects.count() == 11


def test_claim_rows_and_the_claim_count_attachments_and_printable_documents(
    world: World, callers: Callers
) -> None:
    info, other = send_claim(world), send_claim(world)
    for _ in range(2):
        callers.cr.post(_path(info.application_id), world.cr_handler, body())
    worklist = callers.comp.get("/claims", world.comp_handler)
    counts = {row["applicationId"]: row["attachmentsCount"] for row in worklist.body["claims"]}
    assert counts == {f"{info.application_id:08d}": 2, f"{other.application_id:08d}": 0}
    assert all(isinstance(row["printableDocumentsCount"], int) for row in worklist.body["claims"])
    for caller, user in ((callers.cr, world.cr_handler), (callers.comp, world.comp_handler)):
        found = caller.get(f"/claims/search?applicationId={info.application_id}", user).body["claims"][0]
        claim = caller.get(f"/claims/{info.application_id:08d}", user).body
        assert found["attachmentsCount"] == claim["attachmentsCount"] == 2
        # The printable documents the user's side may see (some are for one party only).
        side = "CR" if caller is callers.cr else "COMP"
        visible = PrintableDocument.objects.filter(
            claim_id=info.application_id, visible_to_side__in=("", side)
        ).count()
        assert found["printableDocumentsCount"] == claim["printableDocumentsCount"] == visible


def raw_download(caller: Caller, user: User, guid: str) -> Any:
    return caller.http.get(
        f"{BASE}/attachments/{guid}",
        headers={
            "Authorization": f"Bearer {caller.token}",
            "X-Login-As": user.user_id,
            "Accept": "application/octet-stream",
        },
    )


@pytest.mark.parametrize(
    ("file_name", "served", "declared"),
    [
        ("page.html", "application/octet-stream", "text/html"),
        ("drawing.svg", "application/octet-stream", "image/svg+xml"),
        ("photo.jpg", "image/jpeg", "image/jpeg"),
        ("no-extension", "application/octet-stream", "application/octet-stream"),
    ],
)
def test_the_content_type_reported_is_the_one_a_download_is_served_as(
    world: World, callers: Callers, file_name: str, served: str, declared: str
) -> None:
    info = send_claim(world)
    added = callers.cr.post(
        _path(info.application_id), world.cr_handler, body(dataAttachmentFileName=file_name)
    )
    assert added.status == 201, added.body
    assert (added.body["contentType"], added.body["declaredContentType"]) == (served, declared)
    guid = added.body["dataAttachmentGuid"]
    listed = callers.comp.get(_path(info.application_id), world.comp_handler).body
    assert [(row["contentType"], row["declaredContentType"]) for row in listed] == [(served, declared)]
    raw = raw_download(callers.comp, world.comp_handler, guid)
    assert raw.status_code == 200
    assert raw["Content-Type"] == served
    assert raw["X-Content-Type-Options"] == "nosniff"


def test_a_compensator_the_claim_is_resent_to_gets_none_of_the_first_ones_attachments(
    world: World, callers: Callers
) -> None:
    info = send_claim(world)
    path = _path(info.application_id)
    from_cr = callers.cr.post(path, world.cr_handler, body(b"claimant's")).body["dataAttachmentGuid"]
    from_insurer = callers.comp.post(path, world.comp_handler, body(b"insurer's")).body["dataAttachmentGuid"]
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    step(world, world.cr_handler, info, "resendRejectedClaim", compensator=world.mib.path, cnf=cnf())
    mib = caller_for(world.mib)
    listed = mib.get(path, world.mib_handler)
    assert listed.status == 200
    assert [row["dataAttachmentGuid"] for row in listed.body] == [from_cr]
    assert mib.get(f"/attachments/{from_cr}", world.mib_handler).status == 200
    got = mib.get(f"/attachments/{from_insurer}", world.mib_handler)
    assert (got.status, got.code) == (404, "NOT_FOUND")
    assert raw_download(mib, world.mib_handler, from_insurer).status_code == 404
    claim = mib.get(f"/claims/{info.application_id:08d}", world.mib_handler).body
    (row,) = mib.get("/claims", world.mib_handler).body["claims"]
    assert claim["attachmentsCount"] == row["attachmentsCount"] == 1, "the counts match the list"
    cr = callers.cr.get(path, world.cr_handler).body
    assert [row["dataAttachmentGuid"] for row in cr] == [from_cr, from_insurer]
    assert (
        callers.cr.get(f"/claims/{info.application_id:08d}", world.cr_handler).body["attachmentsCount"] == 2
    )


def test_a_compensator_of_the_same_group_gets_the_attachments_after_a_reassignment(
    world: World, callers: Callers
) -> None:
    info = send_claim(world)
    path = _path(info.application_id)
    from_insurer = callers.comp.post(path, world.comp_handler, body()).body["dataAttachmentGuid"]
    step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    listed = callers.tpa.get(path, world.tpa_handler)
    assert [row["dataAttachmentGuid"] for row in listed.body] == [from_insurer]
    assert callers.tpa.get(f"/attachments/{from_insurer}", world.tpa_handler).status == 200
    claim = callers.tpa.get(f"/claims/{info.application_id:08d}", world.tpa_handler).body
    assert claim["attachmentsCount"] == 1
