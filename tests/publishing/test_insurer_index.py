"""The versioned RTA Insurer Index: an upload's errors are specific and change nothing; the operator
sees the differences, publishes version N+1 (with its news item); anyone downloads any version; the
A2A API states the current version and the changes since a given one; the index addresses RTA only."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from claimsportal.core.clock import FixedClock
from claimsportal.organisations.directory import add_insurer_index_entry, resolve_compensator
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.types import ClaimType
from claimsportal.publishing import insurer_index
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
