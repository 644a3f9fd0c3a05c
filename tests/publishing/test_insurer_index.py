"""The versioned RTA Insurer Index: an upload's errors are specific and change nothing; the operator
sees the differences, publishes version N+1 (with its news item); anyone downloads any version; the
A2A API states the current version and the changes since a given one; the index addresses RTA only."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.organisations.directory import add_insurer_index_entry, resolve_compensator
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.types import ClaimType
from claimsportal.publishing import insurer_index, xlsx
from claimsportal.publishing.models import InsurerIndexVersion, NewsItem
from claimsportal.reference.models import InsurerIndexEntry
from tests.a2a.conftest import caller_for
from tests.conftest import World

pytestmark = pytest.mark.django_db

HEADER = "insurerIndexId,insurerName,organisationId,compensatorType,enabled\r\n"


@pytest.fixture
def loaded(world: World) -> None:
    """Two entries loaded before versions were kept (version 2 is the highest an entry carries)."""
    add_insurer_index_entry(insurer_name="Acme Insurance", org_id=world.comp.org_id, compensator_type="I")
    add_insurer_index_entry(insurer_name="Brand Motor", org_id=world.tpa.org_id, compensator_type="I")
    assert insurer_index.current_version() == 2


def new_file(world: World) -> bytes:
    # II0001 changes organisation, II0002 goes, II0003 arrives.
    return (
        HEADER
        + f"II0001,Acme Insurance,{world.tpa.org_id},I,Y\r\n"
        + f"II0003,Motor Insurers' Bureau,{world.mib.org_id},M,Y\r\n"
    ).encode()


def refusal(data: bytes) -> PortalError:
    with pytest.raises(PortalError) as caught:
        insurer_index.parse_csv(data)
    return caught.value


def test_upload_errors_name_the_line_and_column_and_change_nothing(
    world: World, clock: FixedClock, loaded: None, operator_client: Client
) -> None:
    bad_columns = refusal(b"id,insurerName,organisationId,compensatorType\r\nII0001,A,COMP001,I\r\n")
    assert [(d.field, d.message) for d in bad_columns.details] == [
        ("file", "column insurerIndexId is missing"),
        ("file", "column enabled is missing"),
        (
            "file",
            "column id is not one of insurerIndexId, insurerName, organisationId, compensatorType, enabled",
        ),
    ]
    duplicates = refusal(
        (
            HEADER + f"II0001,A,{world.comp.org_id},I,Y\r\nII0009,B,{world.cr.org_id},X,maybe\r\n"
            f"II0001,C,{world.comp.org_id},I,N\r\nXX1,,NOPE,I,Y\r\n"
        ).encode()
    )
    assert [(d.field, d.message) for d in duplicates.details] == [
        ("line 3, organisationId", f"{world.cr.org_id} is not a compensator"),
        ("line 3, compensatorType", "must be I (insurer), S (self-insured) or M (MIB)"),
        ("line 3, enabled", "must be Y or N"),
        ("line 4, insurerIndexId", "II0001 is also on line 2"),
        ("line 5, insurerIndexId", "must be II followed by 4 to 10 digits"),
        ("line 5, insurerName", "is empty"),
        ("line 5, organisationId", "NOPE is not a portal organisation"),
    ]
    assert duplicates.message == "The file has errors: nothing was changed"
    assert refusal(b"\xff\xfe").details[0].message == "is not UTF-8 text"
    response = operator_client.post(
        "/console/insurer-index/", {"file": SimpleUploadedFile("index.csv", HEADER.encode() + b"II1,,,,\r\n")}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "line 2, insurerIndexId: must be II followed by 4 to 10 digits" in text
    assert InsurerIndexEntry.objects.count() == 2
    assert not InsurerIndexVersion.objects.exists()
    assert insurer_index.current_version() == 2


def test_the_operator_checks_the_differences_and_publishes_the_next_version(
    world: World, clock: FixedClock, loaded: None, operator_client: Client
) -> None:
    upload = operator_client.post(
        "/console/insurer-index/", {"file": SimpleUploadedFile("i.csv", new_file(world))}
    )
    assert upload.headers["Location"] == "/console/insurer-index/check/"
    check = operator_client.get("/console/insurer-index/check/").content.decode()
    assert "Differences from v2" in check
    assert "1 added, 1 removed, 1 changed." in check
    assert "Publish as v3" in check
    assert InsurerIndexEntry.objects.count() == 2  # nothing changes before publishing
    assert operator_client.post("/console/insurer-index/check/").status_code == 302
    live = {
        e.index_id: (e.organisation.org_id, e.version)
        for e in InsurerIndexEntry.objects.select_related("organisation")
    }
    assert live == {"II0001": (world.tpa.org_id, 3), "II0003": (world.mib.org_id, 3)}
    assert list(InsurerIndexVersion.objects.values_list("number", flat=True)) == [3, 2]
    assert NewsItem.objects.get().title == "Insurer Index Update for RTA A2A Users v3"

    public = Client()
    assert "v3" in public.get("/insurer-index/").content.decode()
    v2 = list(csv.DictReader(io.StringIO(public.get("/insurer-index/v2.csv").content.decode())))
    assert [(r["insurerIndexId"], r["organisationId"]) for r in v2] == [
        ("II0001", world.comp.org_id),
        ("II0002", world.tpa.org_id),
    ]
    v3 = list(csv.DictReader(io.StringIO(public.get("/insurer-index/v3.csv").content.decode())))
    assert [r["insurerIndexId"] for r in v3] == ["II0001", "II0003"]
    assert public.get("/insurer-index/v4.csv").status_code == 404


def test_a_preview_made_stale_by_another_publication_or_an_unchanged_file_is_refused(
    world: World, clock: FixedClock, loaded: None, operator: User
) -> None:
    entries = insurer_index.parse_csv(new_file(world))
    insurer_index.publish(entries, expected_version=2, by=operator)
    with pytest.raises(PortalError) as stale:
        insurer_index.publish(entries, expected_version=2, by=operator)
    assert "Version 3 was published since you checked the differences" in stale.value.message
    with pytest.raises(PortalError) as same:
        insurer_index.publish(entries, expected_version=3, by=operator)
    assert same.value.message == "The file is the same as the current version: nothing to publish"
    with pytest.raises(PortalError) as forbidden:
        insurer_index.publish(entries, expected_version=3, by=world.cr_admin)
    assert forbidden.value.code == "FORBIDDEN_PROFILE"


def test_the_a2a_api_states_the_version_and_the_changes_since_a_version(
    world: World, clock: FixedClock, loaded: None, operator: User
) -> None:
    insurer_index.publish(insurer_index.parse_csv(new_file(world)), expected_version=2, by=operator)
    caller = caller_for(world.cr)
    listed = caller.get("/insurer-index", world.cr_handler)
    assert listed.status == 200
    assert listed.headers["X-Insurer-Index-Version"] == "3"
    assert sorted(e["insurerIndexId"] for e in listed.body) == ["II0001", "II0003"]
    changes = caller.get("/insurer-index/changes?since=2", world.cr_handler)
    assert changes.status == 200, changes.body
    assert (changes.body["version"], changes.body["since"]) == (3, 2)
    assert [e["insurerIndexId"] for e in changes.body["added"]] == ["II0003"]
    assert [e["insurerIndexId"] for e in changes.body["removed"]] == ["II0002"]
    assert [
        (c["before"]["organisationId"], c["after"]["organisationId"]) for c in changes.body["changed"]
    ] == [(world.comp.org_id, world.tpa.org_id)]
    none = caller.get("/insurer-index/changes?since=3", world.cr_handler).body
    assert (none["added"], none["removed"], none["changed"]) == ([], [], [])
    unknown = caller.get("/insurer-index/changes?since=9", world.cr_handler)
    assert (unknown.status, unknown.code, unknown.fields) == (404, "NOT_FOUND", ["since"])


def test_the_rta_index_cannot_address_an_el_or_pl_claim(world: World, loaded: None) -> None:
    assert resolve_compensator("II0001", ClaimType.RTA, "compensator").organisation == world.comp
    for claim_type in (ClaimType.EL, ClaimType.ELD, ClaimType.PL):
        with pytest.raises(PortalError) as caught:
            resolve_compensator("II0001", claim_type, "compensator")
        assert "the Insurer Index is for RTA claims only" in str(caught.value)


# --------------------------------------------------------------------------------------------------
# XLSX: uploaded like a CSV file (the same checks), downloaded beside it
# --------------------------------------------------------------------------------------------------


def sheet(rows: Sequence[Sequence[xlsx.Cell]]) -> bytes:
    return xlsx.write(rows)


def test_an_xlsx_upload_is_checked_as_a_csv_one_and_a_bad_one_changes_nothing(
    world: World, clock: FixedClock, loaded: None, operator_client: Client
) -> None:
    columns = list(insurer_index.COLUMNS)
    with pytest.raises(PortalError) as bad_columns:
        insurer_index.parse_upload(sheet([["id", *columns[1:4]], ["II0001", "A", "COMP001", "I"]]))
    assert [(d.field, d.message) for d in bad_columns.value.details] == [
        ("file", "column insurerIndexId is missing"),
        ("file", "column enabled is missing"),
        (
            "file",
            "column id is not one of insurerIndexId, insurerName, organisationId, compensatorType, enabled",
        ),
    ]
    with pytest.raises(PortalError) as duplicates:
        insurer_index.parse_upload(
            sheet(
                [
                    columns,
                    ["II0001", "A", world.comp.org_id, "I", "Y"],
                    [],
                    ["II0001", "C", world.comp.org_id, "I", True],
                    ["II0004", "D", world.comp.org_id, "I", "N", "extra"],
                ]
            )
        )
    # Numbered as the sheet numbers its rows (row 3 is empty and skipped)
    assert [(d.field, d.message) for d in duplicates.value.details] == [
        ("row 4, insurerIndexId", "II0001 is also on row 2"),
        ("row 5", "has 6 values, not 5"),
    ]
    assert duplicates.value.message == "The file has errors: nothing was changed"
    with pytest.raises(PortalError) as not_a_workbook:
        insurer_index.parse_upload(b"PK\x03\x04 not really a zip", "index.xlsx")
    assert not_a_workbook.value.message == (
        "The file is not an XLSX workbook the portal can read: nothing was changed"
    )
    assert [(d.field, d.message) for d in not_a_workbook.value.details] == [
        ("file", "the file is not an XLSX workbook (not a valid ZIP package)")
    ]
    # Through the operator's page: the reason is shown, nothing changes
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><workbook>&a;</workbook>',
        )
    response = operator_client.post(
        "/console/insurer-index/", {"file": SimpleUploadedFile("index.xlsx", hostile.getvalue())}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "file: the file declares a document type (DTD), which a spreadsheet never needs: refused" in text
    response = operator_client.post(
        "/console/insurer-index/",
        {"file": SimpleUploadedFile("index.xlsx", sheet([columns, ["II1", "", "", "", ""]]))},
    )
    assert "row 2, insurerIndexId: must be II followed by 4 to 10 digits" in response.content.decode()
    assert InsurerIndexEntry.objects.count() == 2
    assert not InsurerIndexVersion.objects.exists()
    assert insurer_index.current_version() == 2


def test_a_version_downloaded_as_xlsx_uploads_back_as_the_same_entries(
    world: World, clock: FixedClock, loaded: None, operator_client: Client, operator: User
) -> None:
    insurer_index.publish(insurer_index.parse_csv(new_file(world)), expected_version=2, by=operator)
    public = Client()
    download = public.get("/insurer-index/v3.xlsx")
    assert download.status_code == 200
    assert download["Content-Type"] == xlsx.CONTENT_TYPE
    assert download["Content-Disposition"] == 'attachment; filename="rta-insurer-index-v3.xlsx"'
    rows = xlsx.read(download.content)
    assert rows[0] == (1, list(insurer_index.COLUMNS))
    assert [cells for _, cells in rows[1:]] == [
        ["II0001", "Acme Insurance", world.tpa.org_id, "I", "Y"],
        ["II0003", "Motor Insurers' Bureau", world.mib.org_id, "M", "Y"],
    ]
    # The same entries as the CSV download, and as the version kept
    assert insurer_index.parse_upload(download.content) == insurer_index.parse_upload(
        public.get("/insurer-index/v3.csv").content
    )
    assert insurer_index.parse_upload(download.content) == insurer_index.version_entries(3)
    v2 = xlsx.read(public.get("/insurer-index/v2.xlsx").content)
    assert [cells[0] for _, cells in v2[1:]] == ["II0001", "II0002"]
    assert public.get("/insurer-index/v4.xlsx").status_code == 404
    page = public.get("/insurer-index/").content.decode()
    assert 'href="/insurer-index/v3.xlsx"' in page and 'href="/insurer-index/v3.csv"' in page

    # The downloaded workbook, edited (one entry disabled) and uploaded: the differences, then v4
    edited = xlsx.write(
        [
            list(insurer_index.COLUMNS),
            ["II0001", "Acme Insurance", world.tpa.org_id, "I", "N"],
            ["II0003", "Motor Insurers' Bureau", world.mib.org_id, "M", "Y"],
        ]
    )
    upload = operator_client.post("/console/insurer-index/", {"file": SimpleUploadedFile("v3.xlsx", edited)})
    assert upload.headers["Location"] == "/console/insurer-index/check/"
    check = operator_client.get("/console/insurer-index/check/").content.decode()
    assert "0 added, 0 removed, 1 changed." in check
    operator_client.post("/console/insurer-index/check/")
    assert insurer_index.current_version() == 4
    assert not InsurerIndexEntry.objects.get(index_id="II0001").enabled
