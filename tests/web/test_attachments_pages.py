"""The claim page's Attachments section: upload (multipart, CSRF), the list, the download, the errors
beside their fields, and "not found" for a claim of another organisation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.test import Client, RequestFactory
from django.urls import reverse

from claimsportal.claims.acting import ClaimInfo, format_application_id
from claimsportal.documents.attachments import MAX_FILE_SIZE
from claimsportal.documents.models import Attachment
from claimsportal.web.claims.attachments import UploadQuota
from tests.conftest import World, cnf, send_claim, step
from tests.documents.test_attachments import stored_files
from tests.web.signing_in import error_summary, page

PASSWORD = "Passw0rd!Passw0rd"
CONTENT = b"%PDF-1.4\n\x00\xffa medical report\n"


def _sign_in(client: Client, user_id: str) -> None:
    assert client.login(username=user_id, password=PASSWORD)


def _number(info: ClaimInfo) -> str:
    return format_application_id(info.application_id)


def _claim_url(info: ClaimInfo) -> str:
    return reverse("claim", args=[_number(info)])


def _add_url(info: ClaimInfo) -> str:
    return reverse("claims:attachment-add", args=[_number(info)])


def _upload(client: Client, info: ClaimInfo, content: bytes = CONTENT, **fields: Any) -> Any:
    data: dict[str, Any] = {
        "title": "Medical report",
        "description": "By Dr Patel",
        "file": SimpleUploadedFile(fields.pop("name", "report.pdf"), content, "application/pdf"),
    }
    data.update(fields)
    return client.post(_add_url(info), data)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_claim_page_has_an_attachments_section_with_the_upload_form(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    html = page(client.get(_claim_url(info)))
    assert 'id="attachments-heading"' in html
    assert "No attachments yet." in html
    assert f'action="{_add_url(info)}" enctype="multipart/form-data"' in html
    assert 'class="govuk-file-upload"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_an_upload_is_listed_and_downloads_with_the_exact_bytes(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    response = _upload(client, info, name="Report (final).pdf")
    assert response.status_code == 302
    assert response["Location"] == f"{_claim_url(info)}#attachments-heading"
    attachment = Attachment.objects.get()
    assert (attachment.title, attachment.description, attachment.file_name) == (
        "Medical report",
        "By Dr Patel",
        "Report (final).pdf",
    )
    assert attachment.content_type == "application/pdf"
    # Both parties see it on the claim page.
    client.logout()
    _sign_in(client, "comp.handler")
    html = page(client.get(_claim_url(info)))
    text = _text(html)
    assert "Medical report" in text and "By Dr Patel" in text
    assert "Report (final).pdf" in text
    assert f"{len(CONTENT):,} bytes" in text
    assert "cr.handler (Claimant Firm LLP)" in text
    download = reverse("claims:attachment", args=[_number(info), str(attachment.guid)])
    assert f'href="{download}"' in html
    response = client.get(download)
    assert response.status_code == 200
    assert response.content == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Report (final).pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_risky_type_downloads_as_octet_stream(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    client.post(
        _add_url(info),
        {"title": "Page", "file": SimpleUploadedFile("page.html", b"<script>alert(1)</script>", "text/html")},
    )
    attachment = Attachment.objects.get()
    response = client.get(reverse("claims:attachment", args=[_number(info), str(attachment.guid)]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("fields", "content", "field_id", "message"),
    [
        ({"title": ""}, CONTENT, "id_title", "Enter a title"),
        ({"title": "t" * 101}, CONTENT, "id_title", "The title must be 100 characters or fewer"),
        (
            {"description": "d" * 501},
            CONTENT,
            "id_description",
            "The description must be 500 characters or fewer",
        ),
        ({}, b"", "id_file", "The file is empty"),
        ({"file": ""}, CONTENT, "id_file", "Choose a file to upload"),
        ({}, b"a" * (MAX_FILE_SIZE + 1), "id_file", "The file must be 4 MB or smaller"),
    ],
)
def test_errors_are_shown_beside_their_fields_and_nothing_is_stored(
    world: World, client: Client, fields: dict[str, Any], content: bytes, field_id: str, message: str
) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    response = _upload(client, info, content, **fields)
    assert response.status_code in (413, 422)
    html = page(response)
    assert message in error_summary(response)
    assert f'<a href="#{field_id}">{message}' in html
    assert f'id="{field_id}-error"' in html
    assert "Error: Add an attachment" in html  # the page title says so
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_the_limit_of_a_side_is_shown_beside_the_file(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "comp.handler")
    for n in range(10):
        assert _upload(client, info, f"c{n}".encode()).status_code == 302
    response = _upload(client, info)
    assert response.status_code == 422
    assert "no more can be added (at most 10)" in error_summary(response)
    assert Attachment.objects.count() == 10


def test_a_claim_of_another_organisation_is_not_found(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    _upload(client, info)
    attachment = Attachment.objects.get()
    client.logout()
    _sign_in(client, "other.handler")
    download = reverse("claims:attachment", args=[_number(info), str(attachment.guid)])
    assert client.get(download).status_code == 404
    assert client.get(_add_url(info)).status_code == 404
    assert _upload(client, info).status_code == 404
    assert Attachment.objects.count() == 1


def test_a_download_under_another_claims_url_is_not_found(world: World, client: Client) -> None:
    info, other = send_claim(world), send_claim(world)
    _sign_in(client, "cr.handler")
    _upload(client, info)
    guid = str(Attachment.objects.get().guid)
    assert client.get(reverse("claims:attachment", args=[_number(other), guid])).status_code == 404
    assert client.get(reverse("claims:attachment", args=[_number(info), "nonsense"])).status_code == 404


def test_an_ended_claim_offers_no_upload(world: World, client: Client) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    info = step(world, world.cr_handler, info, "exitRejectedClaim")
    _sign_in(client, "cr.handler")
    html = page(client.get(_claim_url(info)))
    assert "Attachments cannot be added to a claim that has ended" in html
    assert "govuk-file-upload" not in html
    response = _upload(client, info)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert "Attachments cannot be added" in page(client.get(response["Location"]))


def test_the_upload_page_is_a_form_of_its_own_too(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    html = page(client.get(_add_url(info)))
    assert '<h1 class="govuk-heading-l">Add an attachment</h1>' in html
    assert 'enctype="multipart/form-data"' in html


def test_an_upload_needs_the_csrf_token(world: World) -> None:
    info = send_claim(world)
    client = Client(enforce_csrf_checks=True)
    _sign_in(client, "cr.handler")
    assert _upload(client, info).status_code == 403
    html = page(client.get(_add_url(info)))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    assert _upload(client, info, csrfmiddlewaretoken=token.group(1)).status_code == 302
    assert Attachment.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(world: World, client: Client) -> None:
    info = send_claim(world)
    for response in (client.get(_add_url(info)), _upload(client, info)):
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert not Attachment.objects.exists()


# --------------------------------------------------------------------------------------------------
# One file part, in the file field: nothing else is kept, or even spooled
# --------------------------------------------------------------------------------------------------


class CountingHandler(FileUploadHandler):
    """Placed after the quota handler: counts the bytes the parser hands on to be kept."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def test_only_the_first_file_of_the_file_field_is_read_and_the_rest_never_spooled() -> None:
    first = b"%PDF-1.4 the one file\n"
    megabyte = b"x" * (1024 * 1024)
    request = RequestFactory().post(
        "/upload/",
        {
            "title": "Report",
            "file": [
                SimpleUploadedFile("one.pdf", first, "application/pdf"),
                SimpleUploadedFile("two.pdf", megabyte, "application/pdf"),
            ],
            "other": SimpleUploadedFile("three.bin", megabyte),
        },
    )
    quota, counting = UploadQuota(request), CountingHandler(request)
    request.upload_handlers = [
        quota,
        counting,
        MemoryFileUploadHandler(request),
        TemporaryFileUploadHandler(request),
    ]
    files = request.FILES
    assert list(files) == ["file"]
    (kept,) = files.getlist("file")
    assert (kept.name, kept.read()) == ("one.pdf", first), "the first file is kept intact"
    assert counting.received == len(first), "the other parts were skipped, not spooled"
    assert quota.unexpected and not quota.exceeded
    assert request.POST["title"] == "Report"


def test_a_post_with_more_than_one_file_is_refused(world: World, client: Client) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    two = [SimpleUploadedFile("a.pdf", CONTENT, "application/pdf"), SimpleUploadedFile("b.pdf", CONTENT)]
    extra = {"title": "Medical report", "other": SimpleUploadedFile("c.pdf", CONTENT)}
    for data in ({"title": "Medical report", "file": two}, {**extra, "file": two[0]}):
        response = client.post(_add_url(info), data)
        assert response.status_code == 422
        assert "Choose one file to upload" in error_summary(response)
        assert '<a href="#id_file">Choose one file to upload' in page(response)
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert _upload(client, info).status_code == 302, "one file in the file field is what the form sends"


# --------------------------------------------------------------------------------------------------
# A compensator sees the claimant side's attachments and its own (or its group's), not another's
# --------------------------------------------------------------------------------------------------


def test_a_compensator_the_claim_is_resent_to_sees_none_of_the_first_ones_attachments(
    world: World, client: Client
) -> None:
    info = send_claim(world)
    _sign_in(client, "cr.handler")
    _upload(client, info, title="Claimant photos")
    client.logout()
    _sign_in(client, "comp.handler")
    _upload(client, info, title="Insurer engineer report")
    client.logout()
    from_cr, from_insurer = Attachment.objects.order_by("id")
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    info = step(world, world.cr_handler, info, "resendRejectedClaim", compensator=world.mib.path, cnf=cnf())
    _sign_in(client, "mib.handler")
    text = _text(page(client.get(_claim_url(info))))
    assert "Claimant photos" in text
    assert "Insurer engineer report" not in text
    for attachment, status in ((from_cr, 200), (from_insurer, 404)):
        url = reverse("claims:attachment", args=[_number(info), str(attachment.guid)])
        assert client.get(url).status_code == status
    client.logout()
    _sign_in(client, "cr.handler")
    text = _text(page(client.get(_claim_url(info))))
    assert "Claimant photos" in text and "Insurer engineer report" in text


def test_a_compensator_of_the_same_group_sees_the_attachments_after_a_reassignment(
    world: World, client: Client
) -> None:
    info = send_claim(world)
    _sign_in(client, "comp.handler")
    _upload(client, info, title="Insurer engineer report")
    client.logout()
    info = step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    _sign_in(client, "tpa.handler")
    assert "Insurer engineer report" in _text(page(client.get(_claim_url(info))))
    url = reverse("claims:attachment", args=[_number(info), str(Attachment.objects.get().guid)])
    assert client.get(url).status_code == 200
