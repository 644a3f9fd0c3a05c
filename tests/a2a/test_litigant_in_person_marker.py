"""getClaim tells the compensator that the claimant is a litigant in person (WORKFLOW.md §1.1:
``ClaimantRepresentative/@LitigantInPerson``), from the CNF's "not legally represented" tick; the
OpenAPI document describes the marker."""

from __future__ import annotations

import json

from django.test import Client

from tests.a2a.conftest import Callers, caller_for
from tests.conftest import World, send_claim
from tests.litigants.conftest import register, send_as_litigant


def test_get_claim_marks_a_litigant_in_person_for_the_compensator(callers: Callers, world: World) -> None:
    litigant = register()
    sent = send_as_litigant(world, litigant)
    comp = callers.comp.get(f"/claims/{sent.application_id:08d}", world.comp_handler)
    assert comp.status == 200, comp.body
    assert comp.body["claimantRepresentative"]["litigantInPerson"] is True
    assert comp.body["claimantRepresentative"]["organisationName"] == "Alex Morgan"
    own = caller_for(litigant.organisation).get(f"/claims/{sent.application_id:08d}", litigant)  # type: ignore[arg-type]
    assert own.body["claimantRepresentative"]["litigantInPerson"] is True

    represented = send_claim(world)
    firm = callers.comp.get(f"/claims/{represented.application_id:08d}", world.comp_handler)
    assert firm.body["claimantRepresentative"]["litigantInPerson"] is False


def test_the_openapi_document_describes_the_marker(db: object) -> None:
    document = json.loads(Client().get("/a2a/v1/openapi.json").content)
    schemas = document["components"]["schemas"]
    claim = schemas["ClaimOut"]["properties"]["claimantRepresentative"]
    assert "ClaimantRepresentativeOut" in json.dumps(claim)
    marker = schemas["ClaimantRepresentativeOut"]["properties"]["litigantInPerson"]
    assert marker["type"] == "boolean"
    assert "not legally represented" in marker["description"]
    assert "litigantInPerson" in schemas["ClaimantRepresentativeOut"]["required"]
