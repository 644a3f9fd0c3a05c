"""The unrepresented claimant's pages: who may open them, the order of the questions, one claim."""

from __future__ import annotations

from django.test import Client

from tests.conftest import World
from tests.litigants.conftest import register, send_as_litigant
from tests.web.signing_in import in_section, page


def test_the_claim_pages_are_the_unrepresented_claimants_own(client: Client, world: World) -> None:
    assert client.get("/claimant/your-claim/").status_code == 302  # to sign in
    in_section(client, world.cr_handler, "claims")
    refused = client.get("/claimant/your-claim/")
    assert refused.status_code == 403
    assert "without a solicitor" in page(refused)
    litigant = register()
    in_section(client, litigant, "claims")
    assert "Start your claim" in page(client.get("/claimant/your-claim/"))


def test_questions_cannot_be_skipped(client: Client, world: World) -> None:
    for skipped in (
        "/claimant/name/",
        "/claimant/email/",
        "/claimant/email/code/",
        "/claimant/user-id/",
        "/claimant/agreement/",
        "/claimant/check/",
        "/claimant/password/",
        "/claimant/registered/",
    ):
        response = client.get(skipped)
        assert response.status_code == 302 and response["Location"] == "/claimant/", skipped
    assert client.post("/claimant/solicitor/", {}).status_code == 200  # no answer: the error, not a jump
    assert "Select yes if" in page(client.post("/claimant/solicitor/", {}))
    assert (
        client.post("/claimant/solicitor/", {"answer": "yes"})["Location"]
        == "/claimant/cannot-use/solicitor/"
    )
    assert client.post("/claimant/solicitor/", {"answer": "no"})["Location"] == "/claimant/own-claim/"
    assert client.post("/claimant/own-claim/", {"answer": "no"})["Location"] == "/claimant/cannot-use/own/"
    assert client.post("/claimant/own-claim/", {"answer": "yes"})["Location"] == "/claimant/name/"


def test_a_second_claim_cannot_be_started(client: Client, world: World) -> None:
    litigant = register()
    in_section(client, litigant, "claims")
    started = client.post("/claimant/your-claim/start/", {"claim_type": "PL"})
    assert started.status_code == 302 and started["Location"] == "/claimant/your-claim/form/"
    assert client.get("/claimant/your-claim/start/")["Location"] == "/claimant/your-claim/"
    assert "Continue your claim form" in page(client.get("/claimant/your-claim/"))


def test_the_sent_claim_is_shown_in_plain_english_with_its_dates(client: Client, world: World) -> None:
    litigant = register()
    sent = send_as_litigant(world, litigant)
    in_section(client, litigant, "claims")
    shown = page(client.get("/claimant/your-claim/"))
    assert "Your claim has been sent" in shown
    assert "The insurer must act by" in shown and "Monday 23 March 2026" in shown
    assert f"{sent.application_id:08d}" in shown
    for jargon in ("ClaimSubmitted", "addClaim", "None"):
        assert jargon not in shown.split("<main")[1], jargon
    printable = page(client.get("/claimant/your-claim/print/"))
    assert "a copy for your records" in printable and "Morgan" in printable
