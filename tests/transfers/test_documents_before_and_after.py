"""Printable documents made before a transfer keep the old organisation (their context is a snapshot);
those made after print the new one (ADMINISTRATION.md §3)."""

from __future__ import annotations

from claimsportal.core.clock import FixedClock
from claimsportal.documents.models import PrintableDocument
from claimsportal.transfers import execution, services
from tests.claims.test_stage1_paths import current, reach
from tests.conftest import World, step
from tests.transfers.conftest import Admins, form


def printed_claimant_representative(document: PrintableDocument) -> str:
    return str(document.context["claimantRepresentative"]["name"])


def test_documents_before_keep_the_old_organisation_and_after_show_the_new_one(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    info = reach(world, "RTA", "LiabilityDecision")
    made_before = list(PrintableDocument.objects.filter(claim_id=info.application_id).order_by("pk"))
    contexts = [dict(d.context) for d in made_before]
    assert made_before and all(printed_claimant_representative(d) == world.cr.name for d in made_before)

    transfer = services.operator_transfer(admins.operator, form(world.cr, world.other_cr))
    assert execution.run_transfer(transfer.pk, now=clock.now()).moved == 1

    step(world, world.comp_handler, current(info), "sendLiabilityDecision", liabilityDecision="A")
    *before, after = PrintableDocument.objects.filter(claim_id=info.application_id).order_by("pk")
    assert [d.pk for d in before] == [d.pk for d in made_before]
    assert [d.context for d in before] == contexts, "a document never changes"
    assert after.kind == PrintableDocument.Kind.CNF_INSURER_RESPONSE
    assert printed_claimant_representative(after) == world.other_cr.name
