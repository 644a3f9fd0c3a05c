"""Printable documents (WORKFLOW.md §10): each operation that creates one does so through ``perform``,
in its transaction, with a snapshot that later changes do not touch; rendering to PDF happens
outside, by the worker in batches or on demand, and stores each PDF once.

Most tests here replace the PDF renderer by a fast fake (the lifecycle is what they test); a few
render for real with WeasyPrint, which takes a few tenths of a second a document.
"""

from __future__ import annotations

import hashlib
import importlib
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.models import QuerySet
from django.db.utils import DatabaseError

from claimsportal.claims.acting import ClaimInfo
from claimsportal.claims.models import Claim, ClaimEvent
from claimsportal.core.clock import FixedClock
from claimsportal.core.worker import run_pass
from claimsportal.documents import printable, rendering
from claimsportal.documents.models import PrintableDocument
from claimsportal.documents.storage import private_storage
from claimsportal.organisations.models import Organisation
from claimsportal.presentation.labels import operation_label
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.forms.withheld import without_withheld
from tests.claims.test_concurrency_postgres import run_together
from tests.claims.test_stage2_paths import (
    Walker,
    court_pack_form,
    interim_form,
    negotiating,
    not_agreed,
    on,
    stage2_sent,
)
from tests.conftest import World, cnf, send_claim, step

Kind = PrintableDocument.Kind


def documents(info: ClaimInfo | Walker) -> list[tuple[str, int, int, str]]:
    """(kind, sequence, version, visible_to_side) of the claim's documents, oldest first."""
    number = info.info.application_id if isinstance(info, Walker) else info.application_id
    return list(
        PrintableDocument.objects.filter(claim_id=number)
        .order_by("id")
        .values_list("kind", "sequence", "version", "visible_to_side")
    )


def latest(info: ClaimInfo | Walker, kind: str) -> PrintableDocument:
    number = info.info.application_id if isinstance(info, Walker) else info.application_id
    found = PrintableDocument.objects.filter(claim_id=number, kind=kind).order_by("-sequence", "-version")
    return found[0]


def form_operations(document: PrintableDocument) -> list[str]:
    return [form["operation"] for form in document.context["forms"]]


class FakeRenderer:
    """Stands in for WeasyPrint: a small "PDF" naming the document; counts its calls."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[int] = []
        self.delay = delay
        self.fail_for: set[int] = set()

    def __call__(self, document: PrintableDocument) -> bytes:
        self.calls.append(document.pk)
        if document.pk in self.fail_for:
            raise RuntimeError("cannot render")
        time.sleep(self.delay)
        return b"%PDF-1.7 fake " + str(document.document_id).encode()


@pytest.fixture
def fake_renderer(monkeypatch: pytest.MonkeyPatch) -> FakeRenderer:
    fake = FakeRenderer()
    monkeypatch.setattr(printable, "_render", fake)
    return fake


def stored_files() -> list[str]:
    storage = private_storage()
    root = Path(storage.path("documents"))
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.pdf")) if root.exists() else []


# --------------------------------------------------------------------------------------------------
# Which operation creates which document
# --------------------------------------------------------------------------------------------------


def test_a_sent_claim_has_its_cnf_and_the_defendant_only_cnf_for_the_claimant_side(world: World) -> None:
    info = send_claim(world)
    assert documents(info) == [(Kind.CNF, 1, 1, ""), (Kind.DEFENDANT_ONLY_CNF, 1, 1, "CR")]
    claim = Claim.objects.get(pk=info.application_id)
    document = latest(info, Kind.CNF)
    assert document.title == "Claim Notification Form (RTA1)"
    assert latest(info, Kind.DEFENDANT_ONLY_CNF).title == "Defendant Only Claim Notification Form (RTA2)"
    assert document.created_at == claim.sent_at
    assert document.rendered_at is None and not document.file
    context = document.context
    assert context["applicationId"] == f"{info.application_id:08d}"
    assert context["claimType"] == "RTA"
    assert context["createdOn"] == "2026-03-02"
    assert context["createdBy"] == {"operation": "addClaim", "side": "CR"}
    assert context["cnf"] == without_withheld(claim.cnf), "the CNF as stored, less the withheld paths"
    assert context["forms"] == []
    assert context["claimantRepresentative"]["name"] == "Claimant Firm LLP"
    assert context["claimantRepresentative"]["organisationId"] == world.cr.org_id
    assert context["compensator"]["name"] == "Insurer plc"
    assert context["references"] == {
        "claimantRepresentative": "REF-Smith",
        "compensator": "",
        "claimantSurname": "Smith",
    }


def test_an_el_claims_documents_carry_its_form_numbers(world: World, clock: FixedClock) -> None:
    w = stage2_sent(world, clock, "EL")
    titles = list(
        PrintableDocument.objects.filter(claim_id=w.info.application_id)
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Claim Notification Form (EL1)",
        "Defendant Only Claim Notification Form (EL2)",
        "Claim Notification Form with Insurer Response",
        "Stage 2 Settlement Pack (EPL5)",
    ]


def test_a_resent_claim_gets_the_next_version_of_both_cnfs(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    assert len(documents(info)) == 2, "rejecting and acknowledging create no document"
    on(clock, date(2026, 3, 10))
    info = step(world, world.cr_handler, info, "resendRejectedClaim", cnf=cnf("RTA", surname="Corrected"))
    assert documents(info) == [
        (Kind.CNF, 1, 1, ""),
        (Kind.DEFENDANT_ONLY_CNF, 1, 1, "CR"),
        (Kind.CNF, 1, 2, ""),
        (Kind.DEFENDANT_ONLY_CNF, 1, 2, "CR"),
    ]
    first = PrintableDocument.objects.get(claim_id=info.application_id, kind=Kind.CNF, version=1)
    second = latest(info, Kind.CNF)
    assert first.context["references"]["claimantSurname"] == "Smith", "version 1 stays as it was"
    assert second.context["references"]["claimantSurname"] == "Corrected"
    assert second.context["createdOn"] == "2026-03-10"
    assert second.context["createdBy"]["operation"] == "resendRejectedClaim"


def test_the_liability_decision_creates_the_cnf_with_the_insurer_response(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    assert len(documents(info)) == 2, "accepting and Article 75 create no document"
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    assert documents(info)[-1] == (Kind.CNF_INSURER_RESPONSE, 1, 1, "")
    document = latest(info, Kind.CNF_INSURER_RESPONSE)
    (form,) = document.context["forms"]
    event = ClaimEvent.objects.filter(claim_id=info.application_id).order_by("-id").first()
    assert event is not None
    assert (form["operation"], form["side"]) == ("sendLiabilityDecision", "COMP")
    stored = {k: v for k, v in event.payload.items() if not k.startswith("_")}
    assert form["form"] == stored, "the form as its event stores it (without the portal's own keys)"
    assert document.context["cnf"] == without_withheld(Claim.objects.get(pk=info.application_id).cnf)
    assert document.context["references"]["compensator"] == "ACME/2024/42", "the reference just given"


def test_each_interim_request_is_a_pack_of_its_own_updated_by_its_response(
    world: World, clock: FixedClock
) -> None:
    w = interim_form(world, clock)
    w.cr("addInterimSPFRequest", amountRequested="1000.00")
    assert documents(w)[-1] == (Kind.INTERIM_SETTLEMENT_PACK, 1, 1, "")
    w.comp("addInterimSPFResponse", amountOffered="1000.00")
    assert documents(w)[-1] == (Kind.INTERIM_SETTLEMENT_PACK, 1, 2, "")
    w.cr("setStage21Payment", isStage21Paid=True)
    w.cr("setInterimPaymentNeeded", isInterimPaymentNeeded=True)
    w.cr("addInterimSPFRequest", amountRequested="2000.00")
    interim = [d for d in documents(w) if d[0] == Kind.INTERIM_SETTLEMENT_PACK]
    assert [(s, v) for _k, s, v, _side in interim] == [(1, 1), (1, 2), (2, 1)]
    assert form_operations(latest(w, Kind.INTERIM_SETTLEMENT_PACK)) == ["addInterimSPFRequest"]
    answered = PrintableDocument.objects.get(
        claim_id=w.info.application_id, kind=Kind.INTERIM_SETTLEMENT_PACK, sequence=1, version=2
    )
    assert form_operations(answered) == ["addInterimSPFRequest", "addInterimSPFResponse"]
    assert [f["side"] for f in answered.context["forms"]] == ["CR", "COMP"]


def test_the_stage2_pack_gets_a_version_per_response_and_counter_offer_only(
    world: World, clock: FixedClock
) -> None:
    w = negotiating(world, clock)  # the pack, then the insurer's counter offer
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=True)
    w.cr("addStage2SPFCounterOfferByCR", generalDamages="3450.00")
    w.comp("addStage2SPFCounterOfferByCM", settlementPackCounterOfferDecision="NEWCO", offer="3000.00")
    w.cr("setStage2SPFCounterOfferNeeded", isStage2SPFCounterOfferNeeded=False)
    w.cr("setStage2SPFAgreementDecision", isAgreed=False)
    packs = [d for d in documents(w) if d[0] == Kind.STAGE2_SETTLEMENT_PACK]
    assert [(s, v) for _k, s, v, _side in packs] == [(1, 1), (1, 2), (1, 3), (1, 4)]
    assert form_operations(latest(w, Kind.STAGE2_SETTLEMENT_PACK)) == [
        "addStage2SPFRequest",
        "addStage2SPFResponse",
        "addStage2SPFCounterOfferByCR",
        "addStage2SPFCounterOfferByCM",
    ]


def test_additional_damages_have_their_pack_updated_by_the_response(world: World, clock: FixedClock) -> None:
    w = not_agreed(world, clock, "RTA")
    w.cr("setAdditionalDamagesExistence", additionalDamagesExist=True)
    w.cr("addS2SPFAdditionalDamagesRequest", hireCharges="1200.00")
    assert documents(w)[-1] == (Kind.STAGE2_ADDITIONAL_DAMAGES, 1, 1, "")
    w.comp("addS2SPFAdditionalDamagesResponse", additionalDamagesDecision="A")
    assert documents(w)[-1] == (Kind.STAGE2_ADDITIONAL_DAMAGES, 1, 2, "")
    assert (
        latest(w, Kind.STAGE2_ADDITIONAL_DAMAGES).title == "Stage 2 Settlement Pack with Additional Damages"
    )


@pytest.mark.parametrize("claim_type", ["RTA", "PL"])
def test_the_court_proceedings_pack_and_its_final_version(
    world: World, clock: FixedClock, claim_type: str
) -> None:
    w = court_pack_form(world, clock, claim_type)
    w.cr("addCPPFRequest")
    assert documents(w)[-1] == (Kind.COURT_PROCEEDINGS_PACK, 1, 1, "")
    w.comp("addCPPFResponse")
    assert documents(w)[-1] == (Kind.COURT_PROCEEDINGS_PACK, 1, 2, "")
    final = latest(w, Kind.COURT_PROCEEDINGS_PACK)
    assert form_operations(final) == ["addCPPFRequest", "addCPPFResponse"]
    numbers = "RTA6 and RTA7" if claim_type == "RTA" else "EPL6 and EPL7"
    assert final.title == f"Court Proceedings Pack Part A and Part B ({numbers})"
    w.cr("acknowledgeCPPFResponse")
    assert documents(w)[-1] == (Kind.COURT_PROCEEDINGS_PACK, 1, 2, "")


# --------------------------------------------------------------------------------------------------
# In the operation's transaction
# --------------------------------------------------------------------------------------------------


def test_a_refused_operation_creates_no_document(world: World, clock: FixedClock) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    with pytest.raises(PortalError) as refused:
        step(world, world.cr_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    assert refused.value.code == "WRONG_SIDE"
    step(world, world.comp_handler, info, "lockClaim")  # a new activityEngineGuid: `info` is stale now
    with pytest.raises(PortalError) as refused:
        step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    assert refused.value.code == "STALE_ACTIVITY_GUID"
    assert len(documents(info)) == 2


def test_a_document_that_cannot_be_written_undoes_the_operation(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    events = ClaimEvent.objects.count()
    real = printable.due_documents

    def failing(*args: Any) -> Iterator[tuple[str, list[Any]]]:
        yield from real(*args)
        yield "INSERT INTO documents_no_such_table VALUES (1)", []

    monkeypatch.setattr(printable, "due_documents", failing)
    with pytest.raises((DatabaseError, psycopg.Error)):  # the hot path speaks psycopg directly
        step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    assert Claim.objects.get(pk=info.application_id).phase == "LiabilityDecision"
    assert ClaimEvent.objects.count() == events
    assert len(documents(info)) == 2, "the document written before the failure went with it"


def test_operations_without_a_document_are_a_dict_lookup_away() -> None:
    assert "acceptClaim" not in printable.RULES
    assert "setStage2SPFAgreementDecision" not in printable.RULES
    assert set(printable.RULES) == {
        "addClaim",
        "resendRejectedClaim",
        "sendLiabilityDecision",
        "addInterimSPFRequest",
        "addInterimSPFResponse",
        "addStage2SPFRequest",
        "addStage2SPFResponse",
        "addStage2SPFCounterOfferByCR",
        "addStage2SPFCounterOfferByCM",
        "addS2SPFAdditionalDamagesRequest",
        "addS2SPFAdditionalDamagesResponse",
        "addCPPFRequest",
        "addCPPFResponse",
    }


# --------------------------------------------------------------------------------------------------
# The snapshot: later changes to the organisations do not reach documents already created
# --------------------------------------------------------------------------------------------------


def test_a_renamed_organisation_shows_only_on_documents_created_afterwards(world: World) -> None:
    info = send_claim(world)
    Organisation.objects.filter(pk=world.cr.pk).update(
        name="Renamed Solicitors LLP",
        address={"street1": "9 New Street", "city": "York", "postCode": "YO1 1AA"},
    )
    info = step(world, world.comp_handler, info, "acceptClaim")
    info = step(world, world.comp_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.comp_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    before, after = latest(info, Kind.CNF), latest(info, Kind.CNF_INSURER_RESPONSE)
    assert before.context["claimantRepresentative"]["name"] == "Claimant Firm LLP"
    assert after.context["claimantRepresentative"]["name"] == "Renamed Solicitors LLP"
    assert after.context["claimantRepresentative"]["address"]["city"] == "York"
    html = rendering.render_html(before)
    assert "Claimant Firm LLP" in html and "Renamed" not in html
    assert "Renamed Solicitors LLP" in rendering.render_html(after)


# --------------------------------------------------------------------------------------------------
# Rendering (WeasyPrint, for real)
# --------------------------------------------------------------------------------------------------


def page_texts(layout: Any) -> list[str]:
    """The text of each laid-out page, margin boxes (header and footer) included."""
    texts = []
    for page in layout.pages:
        texts.append(" ".join(box.text for box in page._page_box.descendants() if hasattr(box, "text")))
    return texts


def test_a_document_renders_to_an_a4_pdf_with_its_forms_and_footer(world: World, clock: FixedClock) -> None:
    w = stage2_sent(world, clock)
    on(clock, date(2026, 3, 20))
    w.comp("addStage2SPFResponse", settlementPackDecision="CO")
    document = latest(w, Kind.STAGE2_SETTLEMENT_PACK)
    started = time.monotonic()
    layout = rendering.render_document(document)
    pdf = layout.write_pdf()
    seconds = time.monotonic() - started
    assert pdf.startswith(b"%PDF-")
    application_id = f"{w.info.application_id:08d}"
    assert layout.metadata.title == f"Stage 2 Settlement Pack (RTA5) \u2013 application {application_id}"
    assert layout.metadata.authors == ["Claims Portal"]
    pages = page_texts(layout)
    text = " ".join(pages)
    assert "Mary Smith" in text, "the claimant's name (from the CNF)"
    assert operation_label("addStage2SPFRequest") in text and operation_label("addStage2SPFResponse") in text
    assert "£3,500.00" in text, "money with £, thousands and two decimals"
    assert f"Application {application_id} · Stage 2 Settlement Pack (RTA5) · version 2" in pages[0]
    assert f"page 1 of {len(pages)}" in pages[0]
    assert f"page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Generated 20 March 2026" in pages[-1]
    width, height = layout.pages[0].width, layout.pages[0].height
    assert (round(width * 25.4 / 96), round(height * 25.4 / 96)) == (210, 297), "A4 in millimetres"
    assert seconds < 10


def test_the_defendant_only_cnf_prints_the_letter_and_not_the_claimants_personal_details(
    world: World,
) -> None:
    info = send_claim(world)
    html = rendering.render_html(latest(info, Kind.DEFENDANT_ONLY_CNF))
    assert "John Roe" in html, "addressed to the defendant"
    assert "POL123" in html
    assert "1 January 1980" not in html and "15 January 1980" not in html, "no date of birth"


def test_the_stored_pdf_is_what_was_rendered(world: World) -> None:
    info = send_claim(world)
    document = printable.ensure_rendered(latest(info, Kind.DEFENDANT_ONLY_CNF))
    pdf = printable.read_pdf(document)
    assert pdf.startswith(b"%PDF-")
    stored = PrintableDocument.objects.get(pk=document.pk)
    assert stored.size == len(pdf)
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    assert stored.file.name == f"documents/{info.application_id:08d}/{stored.document_id}.pdf"
    assert stored.rendered_at is not None


# --------------------------------------------------------------------------------------------------
# The worker and downloads: each PDF stored once
# --------------------------------------------------------------------------------------------------


def test_the_worker_renders_pending_documents_in_batches_and_then_none(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer
) -> None:
    for n in range(3):
        send_claim(world, surname=f"Batch{n}")
    result = printable.render_pending(batch_size=4)
    assert (result.rendered, result.failed) == (6, 0)
    assert len(fake_renderer.calls) == 6
    assert not PrintableDocument.objects.filter(rendered_at__isnull=True).exists()
    assert len(stored_files()) == 6
    for document in PrintableDocument.objects.all():
        assert document.sha256 == hashlib.sha256(printable.read_pdf(document)).hexdigest()
        assert document.rendered_at == clock.now()
    assert printable.render_pending(batch_size=4).rendered == 0
    assert len(fake_renderer.calls) == 6


def test_the_worker_renders_a_bounded_number_per_pass(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer
) -> None:
    for n in range(3):
        send_claim(world, surname=f"Bound{n}")
    assert printable.render_pending(batch_size=2, max_documents=5).rendered == 5
    assert PrintableDocument.objects.filter(rendered_at__isnull=True).count() == 1
    assert run_pass()["documentsRendered"] == 1, "the timer worker's pass renders the rest"
    assert run_pass()["documentsRendered"] == 0


def test_a_document_that_fails_to_render_is_left_for_a_later_pass(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer
) -> None:
    info = send_claim(world)
    broken = latest(info, Kind.CNF)
    fake_renderer.fail_for = {broken.pk}
    result = printable.render_pending(batch_size=1)
    assert (result.rendered, result.failed) == (1, 1)
    assert PrintableDocument.objects.get(pk=broken.pk).rendered_at is None
    fake_renderer.fail_for = set()
    assert printable.render_pending().rendered == 0, "not before its backoff is over"
    clock.advance(timedelta(minutes=1))
    assert printable.render_pending().rendered == 1


def test_rendering_on_demand_is_idempotent(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer
) -> None:
    info = send_claim(world)
    seen_by_one = latest(info, Kind.CNF)
    seen_by_other = PrintableDocument.objects.get(pk=seen_by_one.pk)  # read before either rendered it
    first = printable.ensure_rendered(seen_by_one)
    clock.advance(timedelta(minutes=5))
    second = printable.ensure_rendered(seen_by_other)
    assert second.rendered_at == first.rendered_at, "the second found it rendered and stored nothing"
    assert second.file.name == first.file.name
    assert len(stored_files()) == 1
    printable.ensure_rendered(PrintableDocument.objects.get(pk=first.pk))
    assert len(fake_renderer.calls) <= 2, "never again once rendered"
    assert printable.render_pending().rendered == 1, "only the other document was left"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent transactions")
def test_concurrent_renders_of_one_document_render_and_store_it_once(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = FakeRenderer(delay=0.3)
    monkeypatch.setattr(printable, "_render", slow)
    info = send_claim(world)
    document = latest(info, Kind.CNF)
    copies = [PrintableDocument.objects.get(pk=document.pk) for _ in range(2)]
    results = run_together(*(lambda d=d: printable.ensure_rendered(d).file.name for d in copies))
    assert results[0] == results[1], results
    assert slow.calls == [document.pk], "the second waited on the row lock and found it rendered"
    assert len(stored_files()) == 1
    pending = run_together(*(lambda: printable.render_pending(batch_size=1).rendered for _ in range(2)))
    assert sum(pending) == 1, "SKIP LOCKED: the two workers share the one document left"


# --------------------------------------------------------------------------------------------------
# Failures: contained, retried with a backoff, never an orphan file
# --------------------------------------------------------------------------------------------------


def rendered_files() -> list[str]:
    """The files the rendered rows name (relative to documents/, as ``stored_files``)."""
    names = PrintableDocument.objects.exclude(rendered_at=None).values_list("file", flat=True)
    return sorted(name.removeprefix("documents/") for name in names)


def test_a_storage_error_or_a_row_that_cannot_be_updated_stops_neither_the_batch_nor_leaves_a_file(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = send_claim(world), send_claim(world)
    no_space, no_row = latest(first, Kind.CNF), latest(second, Kind.CNF)
    storage = private_storage()
    real_save = storage.save

    def save(name: str, content: Any, max_length: int | None = None) -> str:
        if str(no_space.document_id) in name:
            raise OSError(28, "No space left on device")
        return real_save(name, content, max_length=max_length)

    real_update = QuerySet.update

    def update(self: QuerySet[Any], **values: Any) -> int:
        if str(values.get("file", "")).endswith(f"{no_row.document_id}.pdf"):
            with connection.cursor() as cursor:  # a real database error (PostgreSQL: the transaction aborts)
                cursor.execute("UPDATE documents_no_such_table SET x = 1")
        return real_update(self, **values)

    monkeypatch.setattr(storage, "save", save)
    monkeypatch.setattr(QuerySet, "update", update)
    result = printable.render_pending(batch_size=20)  # all four in one batch
    assert (result.rendered, result.failed) == (2, 2)
    monkeypatch.undo()
    left = PrintableDocument.objects.filter(rendered_at=None).order_by("id")
    assert [d.pk for d in left] == [no_space.pk, no_row.pk]
    for document in left:
        assert document.render_attempts == 1
        assert document.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert stored_files() == rendered_files(), "the file whose row failed was removed"
    assert len(stored_files()) == 2


def test_a_batch_that_cannot_commit_takes_its_files_with_it(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = send_claim(world)
    fake_renderer.fail_for = {latest(info, Kind.DEFENDANT_ONLY_CNF).pk}  # rendered after the CNF

    def database_gone(document: PrintableDocument, now: Any) -> None:
        raise psycopg.OperationalError("the server closed the connection")

    monkeypatch.setattr(printable, "_failed", database_gone)
    with pytest.raises(psycopg.OperationalError):
        printable.render_pending()
    assert stored_files() == rendered_files(), "no file without its rendered row"


def test_a_document_that_always_fails_is_tried_ever_less_often_at_most_daily(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer
) -> None:
    info = send_claim(world)
    broken = latest(info, Kind.CNF)
    fake_renderer.fail_for = {broken.pk}
    assert printable.render_pending().failed == 1
    waits = []
    for attempts in range(1, 14):
        document = PrintableDocument.objects.get(pk=broken.pk)
        assert (document.render_attempts, document.rendered_at) == (attempts, None)
        assert document.next_attempt_at is not None
        wait = document.next_attempt_at - clock.now()
        waits.append(wait)
        clock.advance(wait - timedelta(seconds=1))
        tried = len(fake_renderer.calls)
        assert printable.render_pending().failed == 0, "not yet due"
        assert len(fake_renderer.calls) == tried
        clock.advance(timedelta(seconds=1))
        assert printable.render_pending().failed == 1
    minute = timedelta(minutes=1)
    assert waits[:5] == [minute, 2 * minute, 4 * minute, 8 * minute, 16 * minute]
    assert max(waits) == waits[-1] == timedelta(days=1)
    assert printable.retry_delay(10_000) == timedelta(days=1)


def test_documents_that_always_fail_do_not_hold_up_the_others(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer
) -> None:
    for n in range(2):
        send_claim(world, surname=f"Broken{n}")
    broken = set(PrintableDocument.objects.values_list("pk", flat=True))
    fake_renderer.fail_for = broken
    assert printable.render_pending().failed == 4
    clock.advance(timedelta(minutes=5))  # every retry is due again
    fresh = send_claim(world, surname="Fresh")
    result = printable.render_pending(batch_size=2, max_documents=2)
    assert result.rendered == 2, "the documents never tried go first"
    assert not PrintableDocument.objects.filter(claim_id=fresh.application_id, rendered_at=None).exists()
    queue = printable.pending_documents(clock.now())
    assert set(queue.values_list("pk", flat=True)) == broken
    assert [d.next_attempt_at for d in queue] == sorted(d.next_attempt_at for d in queue)  # type: ignore[type-var]


def test_a_download_renders_at_once_whatever_the_backoff(
    world: World, clock: FixedClock, fake_renderer: FakeRenderer
) -> None:
    info = send_claim(world)
    PrintableDocument.objects.filter(claim_id=info.application_id).update(
        render_attempts=9, next_attempt_at=clock.now() + timedelta(hours=8)
    )
    assert printable.render_pending().rendered == 0
    document = printable.ensure_rendered(latest(info, Kind.CNF))
    assert document.rendered_at == clock.now()
    assert stored_files() == rendered_files() and len(stored_files()) == 1


# --------------------------------------------------------------------------------------------------
# Who has which document: a compensator, those of its own time on the claim (or its group's)
# --------------------------------------------------------------------------------------------------


def resent_to_the_mib(world: World, clock: FixedClock) -> ClaimInfo:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "rejectClaimToCR", rejectionReasonCode="1")
    info = step(world, world.cr_handler, info, "acknowledgeRejectedClaim")
    on(clock, date(2026, 3, 10))
    return step(world, world.cr_handler, info, "resendRejectedClaim", compensator=world.mib.path, cnf=cnf())


def test_each_document_records_the_compensator_of_its_time(world: World, clock: FixedClock) -> None:
    info = resent_to_the_mib(world, clock)
    rows = PrintableDocument.objects.filter(claim_id=info.application_id).order_by("id")
    assert [(d.kind, d.version, d.comp_organisation_id) for d in rows] == [
        (Kind.CNF, 1, world.comp.pk),
        (Kind.DEFENDANT_ONLY_CNF, 1, world.comp.pk),
        (Kind.CNF, 2, world.mib.pk),
        (Kind.DEFENDANT_ONLY_CNF, 2, world.mib.pk),
    ]


def test_a_compensator_the_claim_is_resent_to_has_none_of_the_first_ones_documents(
    world: World, clock: FixedClock
) -> None:
    info = resent_to_the_mib(world, clock)
    claim = Claim.objects.get(pk=info.application_id)
    first = PrintableDocument.objects.get(claim_id=info.application_id, kind=Kind.CNF, version=1)
    second = latest(info, Kind.CNF)
    assert first.context["compensator"]["name"] == "Insurer plc", "what the first CNF prints"
    mib = world.actor(world.mib_handler)
    assert [(d.kind, d.version) for d in printable.documents_of(mib, claim)] == [(Kind.CNF, 2)]
    assert printable.visible_document(mib, second.document_id).pk == second.pk
    with pytest.raises(PortalError) as caught:
        printable.visible_document(mib, first.document_id)
    assert caught.value.code == "NOT_FOUND"
    cr = world.actor(world.cr_handler)
    assert len(printable.documents_of(cr, claim)) == 4, "the claimant side has every version"
    assert printable.visible_document(cr, first.document_id).pk == first.pk


def test_a_compensator_of_the_same_group_keeps_the_documents_after_a_reassignment(world: World) -> None:
    info = send_claim(world)
    info = step(world, world.comp_handler, info, "reassignToAnotherCM", organisationPath=world.tpa.path)
    info = step(world, world.tpa_handler, info, "acceptClaim")
    info = step(world, world.tpa_handler, info, "applyArticle75", isArticle75=False)
    info = step(world, world.tpa_handler, info, "sendLiabilityDecision", liabilityDecision="A")
    claim = Claim.objects.get(pk=info.application_id)
    tpa = world.actor(world.tpa_handler)
    listed = list(printable.documents_of(tpa, claim))
    assert [(d.kind, d.comp_organisation_id) for d in listed] == [
        (Kind.CNF, world.comp.pk),
        (Kind.CNF_INSURER_RESPONSE, world.tpa.pk),
    ]
    assert printable.visible_document(tpa, listed[0].document_id).pk == listed[0].pk


def test_the_migration_gives_existing_documents_their_claims_current_compensator(world: World) -> None:
    info = send_claim(world)
    other = send_claim(world)
    Claim.objects.filter(pk=other.application_id).update(comp_organisation=world.tpa)
    PrintableDocument.objects.update(comp_organisation=None)
    migration = importlib.import_module(
        "claimsportal.documents.migrations.0002_document_compensator_retries_and_indexes"
    )
    migration.backfill_compensator(django_apps, connection.schema_editor())
    assert set(
        PrintableDocument.objects.filter(claim_id=info.application_id).values_list(
            "comp_organisation_id", flat=True
        )
    ) == {world.comp.pk}
    assert set(
        PrintableDocument.objects.filter(claim_id=other.application_id).values_list(
            "comp_organisation_id", flat=True
        )
    ) == {world.tpa.pk}


# --------------------------------------------------------------------------------------------------
# The snapshot keeps nothing that is withheld (the referral source)
# --------------------------------------------------------------------------------------------------


def test_no_snapshot_keeps_the_referral_source(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The resent CNF's form joins the pack too here, so that a form's CNF is snapshotted as well.
    monkeypatch.setitem(printable.RULES, "resendRejectedClaim", (printable.DocumentRule(Kind.CNF),))
    info = resent_to_the_mib(world, clock)
    stored = Claim.objects.get(pk=info.application_id).cnf
    assert stored is not None
    assert stored["claimAndClaimantDetails"]["claimantRepresentative"]["referralSourceInfo"], "kept as sent"
    documents = PrintableDocument.objects.filter(claim_id=info.application_id).order_by("id")
    assert documents.count() == 3
    for document in documents:
        representative = document.context["cnf"]["claimAndClaimantDetails"]["claimantRepresentative"]
        assert "referralSourceInfo" not in representative
        assert representative == {
            k: v
            for k, v in stored["claimAndClaimantDetails"]["claimantRepresentative"].items()
            if k != "referralSourceInfo"
        }, "the rest of the CNF is as stored"
    (form,) = documents.last().context["forms"]  # type: ignore[union-attr]
    assert form["operation"] == "resendRejectedClaim"
    assert (
        "referralSourceInfo" not in form["form"]["cnf"]["claimAndClaimantDetails"]["claimantRepresentative"]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CAST(context AS TEXT) FROM documents_printabledocument WHERE claim_id = %s",
            [info.application_id],
        )
        texts = [row[0] for row in cursor.fetchall()]
    assert len(texts) == 3
    for text in texts:
        assert "referralSourceInfo" not in text and "Referrals Ltd" not in text


def test_a_cnf_without_the_withheld_paths_is_snapshotted_as_it_is(world: World) -> None:
    info = send_claim(world, "EL")
    document = latest(info, Kind.CNF)
    assert document.context["cnf"] == Claim.objects.get(pk=info.application_id).cnf


# --------------------------------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_claim_foreign_keys_have_no_index_of_their_own_and_the_queue_its_partial_one() -> None:
    with connection.cursor() as cursor:
        for table in ("documents_attachment", "documents_printabledocument"):
            indexes = {
                name: found["columns"]
                for name, found in connection.introspection.get_constraints(cursor, table).items()
                if found["index"] and not found["primary_key"]
            }
            assert ["claim_id"] not in indexes.values(), (table, indexes)
            assert ["claim_id", "created_at"] in indexes.values(), "the composite serves lookups by claim"
        queue = connection.introspection.get_constraints(cursor, "documents_printabledocument")
    assert queue["document_to_render"]["columns"] == ["next_attempt_at", "created_at", "id"]
