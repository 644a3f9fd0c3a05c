"""Attachments (documents.attachments): who may add and read them, when, the limits of WORKFLOW.md
§7.5 at their exact boundaries, what is recorded with each, and that a refusal or a failed
transaction leaves neither a row nor a file."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claimsportal.claims import selectors
from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.documents import attachments
from claimsportal.documents.attachments import MAX_CLAIM_TOTAL, MAX_FILE_SIZE, MB
from claimsportal.documents.models import Attachment, PrintableDocument
from claimsportal.documents.storage import private_storage
from claimsportal.notifications.models import Notification
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from tests.conftest import World, cnf, send_claim, step


def private_dir() -> Path:
    return Path(private_storage().path(""))


def path_of(stored: Attachment | PrintableDocument) -> Path:
    return private_dir() / str(stored.file.name)


def stored_files() -> list[Path]:
    root = private_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def add(
    world: World,
    user: User,
    info: ClaimInfo | int,
    content: bytes = b"%PDF-1.4 a medical report",
    **fields: Any,
) -> Attachment:
    number = info.application_id if isinstance(info, ClaimInfo) else info
    values: dict[str, Any] = {"title": "Medical report", "description": "", "file_name": "report.pdf"}
    values.update(fields)
    return attachments.add_attachment(world.actor(user), number, content=content, **values)


def refusal(world: World, user: User, info: ClaimInfo, content: bytes = b"x", **fields: Any) -> PortalError:
    """The refusal of an addAttachment, having checked that it wrote nothing at all."""
    before = (
        list(Attachment.objects.values_list("pk", flat=True)),
        list(ClaimEvent.objects.values_list("pk", flat=True)),
        list(AuditEntry.objects.values_list("pk", flat=True)),
        list(Notification.objects.values_list("pk", flat=True)),
        stored_files(),
    )
    with pytest.raises(PortalError) as caught:
        add(world, user, info, content, **fields)
    after = (
        list(Attachment.objects.values_list("pk", flat=True)),
        list(ClaimEvent.objects.values_list("pk", flat=True)),
        list(AuditEntry.objects.values_list("pk", flat=True)),
        list(Notification.objects.values_list("pk", flat=True)),
        stored_files(),
    )
    assert after == before
    return caught.value


def fields_of(error: PortalError) -> list[str]:
    return [d.field for d in error.details]


# --------------------------------------------------------------------------------------------------
# Adding, and what is recorded
# --------------------------------------------------------------------------------------------------


def test_an_attachment_is_stored_as_sent_and_recorded_on_the_claim(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    claim_before = Claim.objects.get(pk=info.application_id)
    content = b"\x00\x01binary \xff bytes\r\n"
    added = add(
        world,
        world.cr_handler,
        info,
        content,
        title="  Medical report by Dr Patel ",
        description="Initial report\nwith a second line",
        file_name="report (1).pdf",
        content_type="application/pdf; charset=binary",
    )
    assert added.size == len(content)
    assert added.sha256 == hashlib.sha256(content).hexdigest()
    assert added.title == "Medical report by Dr Patel"  # trimmed
    assert added.file_name == "report (1).pdf"
    assert added.content_type == "application/pdf"
    assert (added.owner_side, added.owner_organisation_id, added.owner_user_id) == (
        "CR",
        world.cr.pk,
        world.cr_handler.pk,
    )
    assert added.owner_name == "cr.handler (Claimant Firm LLP)"
    assert added.created_at == clock.now()
    # The file: under the claim and the GUID (never the sender's name), the exact bytes.
    assert added.file.name == f"attachments/{info.application_id:08d}/{added.guid.hex}"
    assert stored_files() == [path_of(added)]
    assert (path_of(added)).read_bytes() == content
    # Both parties see it and read the same bytes.
    for user in (world.cr_handler, world.comp_handler):
        actor = world.actor(user)
        assert [a.guid for a in attachments.list_attachments(actor, info.application_id)] == [added.guid]
        got = attachments.get_attachment(actor, str(added.guid))
        assert attachments.read_content(got) == content
    # Not a step of the process: the claim row is unchanged (activityEngineGuid, updated_at, phase).
    claim = Claim.objects.get(pk=info.application_id)
    assert (claim.activity_guid, claim.updated_at, claim.phase) == (
        claim_before.activity_guid,
        claim_before.updated_at,
        claim_before.phase,
    )


def test_history_audit_and_the_other_partys_notification_are_written(world: World) -> None:
    info = send_claim(world)
    by_cr = add(world, world.cr_handler, info, title="Receipts")
    by_comp = add(world, world.comp_handler, info, title="Surveillance")

    events = list(ClaimEvent.objects.filter(claim_id=info.application_id, operation="addAttachment"))
    assert [(e.actor_side, e.phase_before, e.phase_after) for e in events] == [
        ("CR", "ClaimSubmitted", "ClaimSubmitted"),
        ("COMP", "ClaimSubmitted", "ClaimSubmitted"),
    ]
    assert events[0].payload["dataAttachmentGuid"] == str(by_cr.guid)
    assert events[0].activity_guid == info.activity_guid  # the claim's current one, unchanged
    history = selectors.history(Claim.objects.get(pk=info.application_id))
    assert [h["operation"] for h in history][-2:] == ["addAttachment", "addAttachment"]

    audit = list(AuditEntry.objects.filter(action="attachment.added").order_by("pk"))
    assert [(a.actor_user_id, a.organisation_id, a.target) for a in audit] == [
        (world.cr_handler.pk, world.cr.pk, f"{info.application_id:08d}/{by_cr.guid}"),
        (world.comp_handler.pk, world.comp.pk, f"{info.application_id:08d}/{by_comp.guid}"),
    ]
    assert audit[0].details["sha256"] == by_cr.sha256

    notes = {
        n.organisation_id: n.message
        for n in Notification.objects.filter(claim_id=info.application_id, message__contains="attachment")
    }
    assert set(notes) == {world.comp.pk, world.cr.pk}  # each told of the other's
    assert "“Receipts”" in notes[world.comp.pk]
    assert "added by the claimant representative" in notes[world.comp.pk]
    assert "added by the compensator" in notes[world.cr.pk]


def test_a_draft_takes_attachments_without_telling_the_compensator(world: World) -> None:
    from claimsportal.claims import drafts

    draft = drafts.create_draft(world.actor(world.cr_handler), "RTA")
    add(world, world.cr_handler, draft.application_id)
    assert not Notification.objects.filter(claim_id=draft.application_id).exists()
    with pytest.raises(PortalError) as caught:  # the compensator cannot see a draft at all
        attachments.list_attachments(world.actor(world.comp_handler), draft.application_id)
    assert caught.value.code == "NOT_FOUND"


# --------------------------------------------------------------------------------------------------
# Who and when
# --------------------------------------------------------------------------------------------------


def test_a_claim_the_actor_cannot_see_is_not_found_for_every_operation(world: World) -> None:
    info = send_claim(world)
    added = add(world, world.cr_handler, info)
    for user in (world.other_cr_handler, world.tpa_handler):
        error = refusal(world, user, info)
        assert (error.code, error.status, fields_of(error)) == ("NOT_FOUND", 404, ["applicationId"])
        with pytest.raises(PortalError) as listed:
            attachments.list_attachments(world.actor(user), info.application_id)
        assert listed.value.code == "NOT_FOUND"
        with pytest.raises(PortalError) as got:
            attachments.get_attachment(world.actor(user), added.guid)
        assert (got.value.code, fields_of(got.value)) == ("NOT_FOUND", ["attachmentGuid"])
    for guid in ("not-a-guid", "5b8f7c2e-3c1a-4c59-9a77-2f1c7e0b9d41"):
        with pytest.raises(PortalError) as unknown:
            attachments.get_attachment(world.actor(world.cr_handler), guid)
        assert unknown.value.code == "NOT_FOUND"
    assert (
        refusal(world, world.cr_handler, ClaimInfo(999_999, info.activity_guid, "", "")).code == "NOT_FOUND"
    )


def test_an_allocation_to_another_user_hides_the_claims_attachments_too(world: World) -> None:
    info = send_claim(world)
    step(world, world.comp_leader, info, "allocateUser", targetUserID="comp.leader")
    error = refusal(world, world.comp_handler, info)
    assert error.code == "NOT_FOUND"
    add(world, world.comp_leader, info)


def test_either_side_may_add_whoever_s_turn_it_is(world: World) -> None:
    info = send_claim(world)  # the compensator's turn
    add(world, world.cr_handler, info)
    add(world, world.comp_handler, info)
    info = step(world, world.comp_handler, info, "acceptClaim")
    add(world, world.cr_handler, info)


def test_an_ended_claim_refuses_attachments_with_wrong_phase(world: World) -> None:
    info = send_claim(world)
    add(world, world.cr_handler, info)
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    info = step(world, world.cr_handler, info, "exitRejectedClaim")
    assert info.phase == "ExitRejectedClaim"
    for user in (world.cr_handler, world.comp_handler):
        error = refusal(world, user, info)
        assert (error.code, error.status, fields_of(error)) == ("WRONG_PHASE", 409, ["phaseCacheId"])
    # What was added stays readable.
    assert len(attachments.list_attachments(world.actor(world.cr_handler), info.application_id)) == 1


def test_a_claim_locked_by_another_user_refuses_attachments(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "lockClaim")
    error = refusal(world, world.comp_leader, info)
    assert (error.code, fields_of(error)) == ("CLAIM_LOCKED", ["applicationId"])
    error = refusal(world, world.cr_handler, info)
    assert error.code == "CLAIM_LOCKED"
    add(world, world.comp_handler, info)  # the lock holder may


def resent_elsewhere(world: World) -> tuple[ClaimInfo, Attachment, Attachment]:
    """A claim with an attachment of each side, rejected by the insurer and resent by the claimant
    representative to the MIB (another compensator, of no group): (claim, the claimant side's
    attachment, the insurer's)."""
    info = send_claim(world)
    from_cr = add(world, world.cr_handler, info, b"claimant's", title="Claimant's photos")
    from_insurer = add(world, world.comp_handler, info, b"insurer's", title="Insurer's engineer report")
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    info = step(world, world.cr_handler, info, "resendRejectedClaim", compensator=world.mib.path, cnf=cnf())
    assert Claim.objects.get(pk=info.application_id).comp_organisation_id == world.mib.pk
    return info, from_cr, from_insurer


def counts(world: World, user: User, info: ClaimInfo) -> set[tuple[int, int]]:
    """(attachments, documents) as the claim's row (getClaim), the claim page and the worklist count
    them for ``user``: one value if they agree."""
    actor = world.actor(user)
    claim = selectors.get_visible_claim(actor, info.application_id, with_counts=True)
    found = {selectors.document_counts(claim, actor)}
    found.add(selectors.document_counts(selectors.get_visible_claim(actor, info.application_id), actor))
    for row in selectors.worklist(actor).claims:
        if row.pk == info.application_id:
            found.add(selectors.document_counts(row, actor))
    return found


def test_a_compensator_the_claim_is_resent_to_does_not_see_the_first_ones_attachments(world: World) -> None:
    info, from_cr, from_insurer = resent_elsewhere(world)
    mib = world.actor(world.mib_handler)
    assert [a.guid for a in attachments.list_attachments(mib, info.application_id)] == [from_cr.guid]
    assert attachments.get_attachment(mib, from_cr.guid).guid == from_cr.guid
    with pytest.raises(PortalError) as caught:
        attachments.get_attachment(mib, from_insurer.guid)
    assert (caught.value.code, fields_of(caught.value)) == ("NOT_FOUND", ["attachmentGuid"])
    documents = PrintableDocument.objects.filter(claim_id=info.application_id, visible_to_side="").count()
    assert counts(world, world.mib_handler, info) == {(1, documents - 1)}, "the counts match the lists"
    # What the MIB adds it sees; the claimant side sees every attachment of its claim.
    own = add(world, world.mib_handler, info, b"mib's", title="MIB's notes")
    assert [a.guid for a in attachments.list_attachments(mib, info.application_id)] == [
        from_cr.guid,
        own.guid,
    ]
    cr = world.actor(world.cr_handler)
    assert [a.guid for a in attachments.list_attachments(cr, info.application_id)] == [
        from_cr.guid,
        from_insurer.guid,
        own.guid,
    ]
    assert attachments.get_attachment(cr, from_insurer.guid).guid == from_insurer.guid
    assert counts(world, world.cr_handler, info) == {(3, 4)}


def test_a_compensator_of_the_same_group_keeps_seeing_the_attachments_after_a_reassignment(
    world: World,
) -> None:
    info = send_claim(world)
    from_insurer = add(world, world.comp_handler, info, b"insurer's")
    info = step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    from_tpa = add(world, world.tpa_handler, info, b"tpa's")
    tpa = world.actor(world.tpa_handler)
    assert [a.guid for a in attachments.list_attachments(tpa, info.application_id)] == [
        from_insurer.guid,
        from_tpa.guid,
    ]
    assert attachments.get_attachment(tpa, from_insurer.guid).guid == from_insurer.guid
    assert counts(world, world.tpa_handler, info) == {(2, 1)}


# --------------------------------------------------------------------------------------------------
# Limits (WORKFLOW.md §7.5)
# --------------------------------------------------------------------------------------------------


def test_each_side_has_its_own_count_limit_40_and_10(world: World) -> None:
    info = send_claim(world)
    for n in range(10):
        add(world, world.comp_handler, info, f"c{n}".encode())
    error = refusal(world, world.comp_handler, info)
    assert (error.code, error.status, fields_of(error)) == ("LIMIT_EXCEEDED", 422, ["dataAttachmentFileZip"])
    assert "at most 10" in error.message
    for n in range(40):  # the compensator's ten do not count against the claimant side's forty
        add(world, world.cr_handler, info, f"r{n}".encode())
    error = refusal(world, world.cr_handler, info)
    assert (error.code, error.status) == ("LIMIT_EXCEEDED", 422)
    assert "at most 40" in error.message
    assert Attachment.objects.filter(claim_id=info.application_id).count() == 50


def test_a_file_may_be_4_mb_but_not_a_byte_more(world: World) -> None:
    info = send_claim(world)
    assert MAX_FILE_SIZE == 4 * 1024 * 1024
    error = refusal(world, world.cr_handler, info, b"a" * (MAX_FILE_SIZE + 1))
    assert (error.code, error.status, fields_of(error)) == ("LIMIT_EXCEEDED", 413, ["dataAttachmentFileZip"])
    assert "4 MB or smaller" in error.message
    assert add(world, world.cr_handler, info, b"a" * MAX_FILE_SIZE).size == MAX_FILE_SIZE


def test_a_claims_attachments_may_total_20_mb_but_not_a_byte_more(world: World) -> None:
    info = send_claim(world)
    assert MAX_CLAIM_TOTAL == 20 * MB
    for user in (world.cr_handler, world.comp_handler, world.cr_handler, world.comp_handler):
        add(world, user, info, b"b" * MAX_FILE_SIZE)  # 16 MB, from both sides: the total is the claim's
    add(world, world.cr_handler, info, b"c" * (MAX_FILE_SIZE - 1))
    add(world, world.comp_handler, info, b"d")  # exactly 20 MB
    assert sum(Attachment.objects.filter(claim_id=info.application_id).values_list("size", flat=True)) == (
        MAX_CLAIM_TOTAL
    )
    error = refusal(world, world.cr_handler, info, b"e")
    assert (error.code, error.status, fields_of(error)) == ("LIMIT_EXCEEDED", 413, ["dataAttachmentFileZip"])
    assert "at most 20 MB per claim" in error.message
    other = send_claim(world)  # another claim has its own 20 MB
    add(world, world.cr_handler, other, b"e")


# --------------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "content", "field"),
    [
        ({"title": ""}, b"x", "dataAttachmentTitle"),
        ({"title": "   "}, b"x", "dataAttachmentTitle"),
        ({"title": "t" * 101}, b"x", "dataAttachmentTitle"),
        ({"title": "bell\x07"}, b"x", "dataAttachmentTitle"),
        ({"description": "d" * 501}, b"x", "dataAttachmentDesc"),
        ({"description": "nul\x00"}, b"x", "dataAttachmentDesc"),
        ({"file_name": ""}, b"x", "dataAttachmentFileName"),
        ({"file_name": "../../etc/passwd"}, b"x", "dataAttachmentFileName"),
        ({"file_name": "C:\\Users\\me\\report.pdf"}, b"x", "dataAttachmentFileName"),
        ({"file_name": ".."}, b"x", "dataAttachmentFileName"),
        ({"file_name": "report\n.pdf"}, b"x", "dataAttachmentFileName"),
        ({"file_name": "invoice\u202efdp.exe"}, b"x", "dataAttachmentFileName"),  # right-to-left override
        ({"file_name": "n" * 252 + ".pdf"}, b"x", "dataAttachmentFileName"),
        ({}, b"", "dataAttachmentFileZip"),
    ],
)
def test_bad_titles_descriptions_names_and_empty_files_are_refused(
    world: World, fields: dict[str, str], content: bytes, field: str
) -> None:
    info = send_claim(world)
    error = refusal(world, world.cr_handler, info, content, **fields)
    assert (error.code, error.status, fields_of(error)) == ("SCHEMA_INVALID", 422, [field])


def test_every_bad_input_is_reported_at_once(world: World) -> None:
    info = send_claim(world)
    error = refusal(world, world.cr_handler, info, b"", title="", file_name="a/b")
    assert fields_of(error) == ["dataAttachmentTitle", "dataAttachmentFileName", "dataAttachmentFileZip"]


def test_limits_and_lengths_at_their_boundaries_are_accepted(world: World) -> None:
    info = send_claim(world)
    added = add(
        world,
        world.cr_handler,
        info,
        title="t" * 100,
        description="d" * 500,
        file_name="n" * 251 + ".pdf",
    )
    assert (len(added.title), len(added.description), len(added.file_name)) == (100, 500, 255)
    assert add(world, world.cr_handler, info, file_name="Rapport médical, été 2026.pdf").file_name.startswith(
        "Rapport médical"
    )


@pytest.mark.parametrize(
    ("declared", "file_name", "recorded", "served"),
    [
        ("application/pdf", "a.pdf", "application/pdf", "application/pdf"),
        ("", "photo.JPG", "image/jpeg", "image/jpeg"),
        ("application/octet-stream", "notes.txt", "text/plain", "text/plain"),
        ("text/html", "page.html", "text/html", "application/octet-stream"),
        ("", "drawing.svg", "image/svg+xml", "application/octet-stream"),
        ("", "no-extension", "application/octet-stream", "application/octet-stream"),
        ('text/plain"><script>', "a.txt", "application/octet-stream", "application/octet-stream"),
    ],
)
def test_the_content_type_is_recorded_but_only_inert_types_are_served_as_such(
    world: World, declared: str, file_name: str, recorded: str, served: str
) -> None:
    info = send_claim(world)
    added = add(world, world.cr_handler, info, file_name=file_name, content_type=declared)
    assert added.content_type == recorded
    assert attachments.served_content_type(added) == served


# --------------------------------------------------------------------------------------------------
# No orphans, and deletion
# --------------------------------------------------------------------------------------------------


def test_a_failure_inside_the_transaction_leaves_no_file_and_no_row(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = send_claim(world)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the audit table is gone")

    monkeypatch.setattr(AuditEntry.objects, "create", broken)
    with pytest.raises(RuntimeError):
        add(world, world.cr_handler, info)
    assert not Attachment.objects.exists()
    assert not ClaimEvent.objects.filter(operation="addAttachment").exists()
    assert stored_files() == []


def test_a_callers_transaction_that_rolls_back_takes_the_file_with_it(world: World) -> None:
    info = send_claim(world)
    with attachments.no_orphan_files():
        kept = add(world, world.cr_handler, info, b"kept")

    def rolled_back() -> None:
        with attachments.no_orphan_files(), transaction.atomic():
            add(world, world.cr_handler, info, b"rolled back")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        rolled_back()
    assert list(Attachment.objects.values_list("guid", flat=True)) == [kept.guid]
    assert stored_files() == [path_of(kept)]


def test_no_orphan_files_finds_the_rows_it_kept_by_their_guids(world: World) -> None:
    """Not by their storage names: ``file`` has no index, ``guid`` a unique one."""
    info = send_claim(world)
    with CaptureQueriesContext(connection) as queries, attachments.no_orphan_files():
        kept = add(world, world.cr_handler, info, b"kept")
    lookup = queries.captured_queries[-1]["sql"]  # no_orphan_files's, on the way out
    assert lookup.startswith("SELECT") and 'FROM "documents_attachment"' in lookup, lookup
    where = lookup.split("WHERE", 1)[1]
    assert '"documents_attachment"."guid" IN' in where, lookup
    assert '"documents_attachment"."file"' not in where, lookup
    assert stored_files() == [path_of(kept)]


def test_deleting_claims_removes_their_files_once_the_deletion_commits(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = send_claim(world), send_claim(world)
    gone = add(world, world.cr_handler, first, b"gone")
    kept = add(world, world.cr_handler, second, b"kept")
    document = PrintableDocument.objects.create(
        claim_id=first.application_id,
        kind=PrintableDocument.Kind.COURT_PROCEEDINGS_PACK,
        sequence=99,
        title="Court Proceedings Pack",
        context={},
        file="documents/test.pdf",
        created_at=gone.created_at,
    )
    (private_dir() / "documents").mkdir(parents=True)
    (path_of(document)).write_bytes(b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):
        expected = (
            Attachment.objects.filter(claim_id=first.application_id).count()
            + PrintableDocument.objects.filter(claim_id=first.application_id).exclude(file="").count()
        )
        assert attachments.delete_claim_files([first.application_id]) == expected >= 2
        Claim.objects.filter(pk=first.application_id).delete()
    assert path_of(kept) in stored_files()
    assert path_of(gone) not in stored_files()
    assert path_of(document) not in stored_files()
    assert list(Attachment.objects.values_list("guid", flat=True)) == [kept.guid]


def test_deleting_a_draft_removes_its_files(world: World, django_capture_on_commit_callbacks: Any) -> None:
    from claimsportal.claims import drafts

    actor = world.actor(world.cr_handler)
    draft = drafts.create_draft(actor, "RTA")
    add(world, world.cr_handler, draft.application_id)
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        drafts.delete_draft(actor, draft.application_id, draft.activity_guid)
    assert stored_files() == []


# --------------------------------------------------------------------------------------------------
# Two uploads at once (PostgreSQL: real concurrent transactions; SQLite serialises writers)
# --------------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (make test-postgres)")
def test_two_uploads_at_once_cannot_pass_the_count_limit_together(world: World) -> None:
    from tests.claims.test_concurrency_postgres import run_together

    info = send_claim(world)
    for n in range(9):
        add(world, world.comp_handler, info, f"c{n}".encode())
    actors = [world.actor(world.comp_handler), world.actor(world.comp_leader)]

    def upload(index: int) -> Any:
        def job() -> Attachment:
            return attachments.add_attachment(
                actors[index],
                info.application_id,
                title="Race",
                description="",
                file_name="r.pdf",
                content=b"r",
            )

        return job

    results = run_together(upload(0), upload(1))
    wins = [r for r in results if isinstance(r, Attachment)]
    losses = [r for r in results if isinstance(r, PortalError)]
    assert (len(wins), len(losses)) == (1, 1), results
    assert losses[0].code == "LIMIT_EXCEEDED"
    assert Attachment.objects.filter(claim_id=info.application_id).count() == 10
    assert len(stored_files()) == 10
