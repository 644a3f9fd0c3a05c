"""The statement of truth in the words of Practice Direction 22 in force on the day a form was signed
(before 6 April 2020, and from then with the contempt-of-court sentence), in the claimant's and the
legal representative's variants, on the claim page and the printed documents where the bare "Yes"
was; where the form asks for it, today's words; a future wording is a new row and changes nothing
signed before it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from claimsportal.claims import ledger
from claimsportal.claims.effects import Deleted
from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.core.clock import FixedClock
from claimsportal.documents import rendering
from claimsportal.documents.models import PrintableDocument
from claimsportal.presentation.summary import SummaryGroup, SummaryRow
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import statement_of_truth as sot
from claimsportal.publishing.models import SignedStatement, StatementOfTruthWording
from tests.a2a.conftest import caller_for
from tests.claims.test_stage2_paths import stage2_sent
from tests.conftest import World, cnf
from tests.web.signing_in import in_section

pytestmark = pytest.mark.django_db

CONTEMPT = "proceedings for contempt of court may be brought"
OLD_REPRESENTATIVE = (
    "The claimant believes that the facts stated in this Claim Notification Form are true. "
    "I am duly authorised by the claimant to sign this statement."
)


def test_the_wording_in_force_on_the_day_signed_for_each_signatory(db: None) -> None:
    before, after = date(2020, 4, 5), date(2020, 4, 6)
    assert sot.wording(before, "S", "Claim Notification Form") == OLD_REPRESENTATIVE
    assert sot.wording(before, "C", "Stage 2 Settlement Pack") == (
        "I believe that the facts stated in this Stage 2 Settlement Pack are true."
    )
    new_representative = sot.wording(after, "S", "Claim Notification Form")
    assert new_representative.startswith(
        "The claimant believes that the facts stated in this Claim Notification"
    )
    assert f"The claimant understands that {CONTEMPT}" in new_representative
    assert new_representative.endswith("I am duly authorised by the claimant to sign this statement.")
    assert f"I understand that {CONTEMPT}" in sot.wording(after, "C", "Claim Notification Form")


def test_a_future_wording_is_a_new_row_and_changes_nothing_signed_before_it(db: None) -> None:
    signed = date(2026, 3, 2)
    kept = sot.wording(signed, "S", "form")
    StatementOfTruthWording.objects.create(
        effective_from=date(2027, 1, 1), signatory="S", text="New words {document}."
    )
    assert sot.wording(signed, "S", "form") == kept
    assert sot.wording(date(2027, 1, 1), "S", "form") == "New words form."


def test_yes_becomes_the_words_with_who_signed_and_when(db: None) -> None:
    groups = [
        SummaryGroup(
            "Statement of truth",
            "s2spfRequest.statementOfTruth",
            (
                SummaryRow(
                    "Signed copy retained", "Yes", "s2spfRequest.statementOfTruth.retainedSignedCopy", "a"
                ),
                SummaryRow(
                    "Who signs the form",
                    "The claimant in person",
                    "s2spfRequest.statementOfTruth.signatoryType",
                    "b",
                ),
            ),
        )
    ]
    shown = sot.with_statement(groups, signed_on=date(2020, 4, 6), document="Stage 2 Settlement Pack")
    value = shown[0].rows[0].value
    assert value.startswith(
        "\u201cI believe that the facts stated in this Stage 2 Settlement Pack are true. I understand"
    )
    assert value.endswith("Signed by the claimant on 6 April 2020; the signed copy is retained.")
    assert shown[0].rows[1] == groups[0].rows[1]


def test_the_claim_page_and_the_documents_print_the_words_of_the_day_the_form_was_signed(
    world: World, clock: FixedClock
) -> None:
    clock.set(datetime(2020, 3, 2, 10, 0, tzinfo=LONDON))
    form = cnf("RTA")
    form["accidentData"]["accidentDetails"]["accidentDate"] = "2020-01-15"
    form["medicalDetails"]["injury"]["medicalAttentionFirstDate"] = "2020-01-16"
    old = perform(
        actor=world.actor(world.cr_handler),
        operation="addClaim",
        payload={"claimType": "RTA", "compensator": world.comp.path, "cnf": form},
    )
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=LONDON))
    w = stage2_sent(world, clock, "EL")
    client = Client()
    in_section(client, world.cr_handler, "claims")
    old_page = client.get(f"/claims/{old.application_id:08d}/").content.decode()
    assert OLD_REPRESENTATIVE.replace("'", "&#x27;") in old_page
    assert CONTEMPT not in old_page
    assert "Signed by the claimant&#x27;s legal representative on 2 March 2020." in old_page
    new_page = client.get(f"/claims/{w.info.application_id:08d}/").content.decode()
    assert "facts stated in this Stage 2 Settlement Pack are true" in new_page
    assert CONTEMPT in new_page
    assert "on 2 March 2026; the signed copy is retained." in new_page

    printed = PrintableDocument.objects.filter(
        claim_id=old.application_id, kind=PrintableDocument.Kind.CNF
    ).first()
    if printed is not None:
        html = rendering.render_html(printed)
        assert "The claimant believes that the facts stated in this Claim Notification Form are true." in html
        assert CONTEMPT not in html
    pack = PrintableDocument.objects.get(
        claim_id=w.info.application_id, kind=PrintableDocument.Kind.STAGE2_SETTLEMENT_PACK
    )
    html = rendering.render_html(pack)
    assert "facts stated in this Stage 2 Settlement Pack are true" in html
    assert CONTEMPT in html


def test_the_form_that_asks_for_the_statement_shows_the_words_in_force_today(
    world: World, clock: FixedClock
) -> None:
    client = Client()
    in_section(client, world.cr_handler, "claims")
    created = client.post(reverse("claims:new"), {"claimType": "RTA"})
    number = created["Location"].rstrip("/").split("/")[-1]
    page = client.get(
        reverse("claims:draft-page", args=[number, "statementOfTruth", "details"])
    ).content.decode()
    assert (
        "Signed by the legal representative: \u201cThe claimant believes that the facts stated in this form"
        in page
    )
    assert f"I understand that {CONTEMPT}" in page  # the claimant's own variant, today's words


# --------------------------------------------------------------------------------------------------
# The wording stored with each signed form
# --------------------------------------------------------------------------------------------------

NEW_WORDS = "New words: the claimant believes the facts in this {document} are true (rule of 2 March 2026)."


def test_each_form_keeps_the_wording_it_confirmed_on_every_page_document_and_api_answer(
    world: World, clock: FixedClock
) -> None:
    """A form signed before a wording change and one signed after it each print their own wording,
    even though the new wording came into force on the very day the first one was signed (loaded
    after it): the wording is the one stored with the form, not one chosen again when printing."""
    before = stage2_sent(world, clock, "EL", sent=date(2026, 3, 2))
    StatementOfTruthWording.objects.create(effective_from=date(2026, 3, 2), signatory="S", text=NEW_WORDS)
    after = stage2_sent(world, clock, "EL", sent=date(2026, 3, 4))
    first, second = before.info.application_id, after.info.application_id
    stored = {
        (s.claim_id, s.operation): s.wording.effective_from
        for s in SignedStatement.objects.select_related("wording")
    }
    assert stored == {
        (first, "addClaim"): date(2020, 4, 6),
        (first, "addStage2SPFRequest"): date(2020, 4, 6),
        (second, "addClaim"): date(2026, 3, 2),  # sent on 2 March, after the change was loaded
        (second, "addStage2SPFRequest"): date(2026, 3, 2),
    }

    def html(claim_id: int, kind: str) -> str:
        return rendering.render_html(PrintableDocument.objects.get(claim_id=claim_id, kind=kind))

    def pack_html(claim_id: int) -> str:
        return html(claim_id, PrintableDocument.Kind.STAGE2_SETTLEMENT_PACK)

    old_pack, new_pack = pack_html(first), pack_html(second)
    assert "facts stated in this Stage 2 Settlement Pack are true" in old_pack
    assert CONTEMPT in old_pack and "New words" not in old_pack
    assert "on 2 March 2026; the signed copy is retained." in old_pack
    assert "New words: the claimant believes the facts in this Stage 2 Settlement Pack are true" in new_pack
    assert "on 4 March 2026; the signed copy is retained." in new_pack
    # Each printed CNF: its own statement
    old_cnf = html(first, PrintableDocument.Kind.CNF)
    cnf_statement = "The claimant believes that the facts stated in this Claim Notification Form are true."
    assert cnf_statement in old_cnf and "New words" not in old_cnf
    new_cnf = html(second, PrintableDocument.Kind.CNF)
    assert "New words: the claimant believes the facts in this Claim Notification Form" in new_cnf

    client = Client()
    in_section(client, world.cr_handler, "claims")
    old_page = client.get(f"/claims/{first:08d}/").content.decode()
    new_page = client.get(f"/claims/{second:08d}/").content.decode()
    assert "New words" not in old_page
    assert "New words: the claimant believes the facts in this Stage 2 Settlement Pack are true" in new_page

    caller = caller_for(world.cr)
    answers = {n: caller.get(f"/claims/{n:08d}", world.cr_handler) for n in (first, second)}
    for number, version in ((first, "2020-04-06"), (second, "2026-03-02")):
        body = answers[number].body
        assert answers[number].status == 200, body
        forms = {f["operation"]: f["statementOfTruth"] for f in body["submittedForms"]}
        assert forms["addStage2SPFRequest"]["wordingVersion"] == version
        assert forms["addStage2SPFRequest"]["signatory"] == "S"
        assert forms["sendLiabilityDecision"] is None  # a form with no statement of truth
        assert body["statementOfTruth"]["wordingVersion"] == version  # the CNF's
    assert answers[first].body["statementOfTruth"]["text"].startswith(cnf_statement)
    assert answers[second].body["submittedForms"][-1]["statementOfTruth"]["signedOn"] == "2026-03-04"


def test_a_wording_is_never_changed_and_the_stored_statements_go_with_their_claim(
    world: World, clock: FixedClock
) -> None:
    w = stage2_sent(world, clock, "EL")
    wording = StatementOfTruthWording.objects.get(effective_from=date(2020, 4, 6), signatory="S")
    wording.text = "Other words"
    with pytest.raises(ValueError, match="never changed"):
        wording.save()
    with pytest.raises(ProtectedError):
        wording.delete()  # forms refer to it
    claim = Claim.objects.get(pk=w.info.application_id)
    assert SignedStatement.objects.filter(claim_id=claim.pk).count() == 2
    with transaction.atomic():
        ledger.delete_claims(
            [
                Deleted(
                    claim.pk,
                    claim.claim_type,
                    claim.phase,
                    claim.cr_organisation_id,
                    claim.comp_organisation_id,
                    "GDPR",
                    clock.now(),
                )
            ]
        )
    assert not SignedStatement.objects.filter(claim_id=claim.pk).exists()


def test_an_event_with_no_signed_statement_stores_nothing_and_costs_no_query() -> None:
    assert sot.signatory_of("acceptClaim", {}) is None
    assert sot.signatory_of("addStage2SPFRequest", {"s2spfRequest": {"statementOfTruth": {}}}) is None
    assert sot.signatory_of("addClaim", {"cnf": {"statementOfTruth": False}}) is None
    pack = {"s2spfRequest": {"statementOfTruth": {"retainedSignedCopy": "1", "signatoryType": "C"}}}
    assert sot.signatory_of("addStage2SPFRequest", pack) == "C"
    cnf = {"cnf": {"statementOfTruth": True, "applicationData": {"claimDetails": {"signatory": "S"}}}}
    assert sot.signatory_of("addClaim", cnf) == "S"
