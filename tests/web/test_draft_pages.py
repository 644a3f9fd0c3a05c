"""The draft CNF in pages (issue 18: one topic a page for a claims handler; issue 19: one question a
page for the unrepresented claimant), by one mechanism (``web.claims.pages``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from claimsportal.claims.models import Claim
from claimsportal.presentation.cnf import sections
from claimsportal.protocols.forms.examples import cnf_example
from claimsportal.web.claims.forms import cnf_settings
from claimsportal.web.claims.pages import (
    FIRM,
    FIRM_PAGES,
    LITIGANT,
    LITIGANT_PAGES,
    OTHER_KEY,
    merge,
    page_data,
    pages_for,
)
from claimsportal.web.claims.schema_form import values_from_data
from tests.conftest import World
from tests.litigants.conftest import litigant_cnf, register
from tests.web.signing_in import in_section
from tests.web.signing_in import page as text_of

CLAIM_TYPES = ["RTA", "EL", "ELD", "PL"]
# A page no longer than this many fields (the firm's "Claim and claimant details" was 131 on one page).
MOST_FIELDS_A_PAGE = 24


def _leaves(node: Any, skipped: frozenset[str]) -> set[str]:
    if node.kind == "object":
        return set().union(*(_leaves(c, skipped) for c in node.children)) if node.children else set()
    return set() if node.path in skipped else {node.path}


@pytest.mark.parametrize("claim_type", CLAIM_TYPES)
@pytest.mark.parametrize("audience", [FIRM, LITIGANT])
def test_every_field_of_the_form_is_on_exactly_one_declared_page(claim_type: str, audience: str) -> None:
    settings = cnf_settings(claim_type, None)
    skipped = frozenset(settings.fixed) | settings.hidden
    pages = pages_for(claim_type, audience, settings)
    on_pages = [field for page in pages for field in page.fields]
    assert len(on_pages) == len(set(on_pages))
    assert set(on_pages) == set().union(*(_leaves(s, skipped) for s in sections(claim_type)))
    assert not [p for p in pages if p.key == OTHER_KEY], "a field no declared page names"
    assert len({(p.section, p.key) for p in pages}) == len(pages)
    if audience == FIRM:
        assert max(len(p.fields) for p in pages) <= MOST_FIELDS_A_PAGE
        # the form's order: a section's pages together, sections in turn
        order = [s.name for s in sections(claim_type)]
        assert [p.section for p in pages] == sorted((p.section for p in pages), key=order.index)


def test_each_declared_page_names_fields_of_some_form() -> None:
    every = {
        (p.section, p.key)
        for claim_type in CLAIM_TYPES
        for audience in (FIRM, LITIGANT)
        for p in pages_for(claim_type, audience, cnf_settings(claim_type, None))
    }
    for spec in (*FIRM_PAGES, *LITIGANT_PAGES):
        assert (spec.section, spec.key) in every, spec


@pytest.mark.parametrize("claim_type", CLAIM_TYPES)
def test_saving_a_page_writes_only_its_fields(claim_type: str) -> None:
    cnf = cnf_example(claim_type)
    for page in pages_for(claim_type, FIRM, cnf_settings(claim_type, cnf)):
        data = page_data(page, cnf)
        # the page saved as shown: the section unchanged
        assert merge(page, cnf, data) == cnf.get(page.section), page.title
        # the page saved empty: its fields gone, every other field of the section kept
        emptied = merge(page, cnf, None)
        other = [f for q in pages_for(claim_type, FIRM, cnf_settings(claim_type, cnf)) for f in q.fields]
        for field in other:
            parts = field.split(".")[1:]
            if parts[0] != page.section:
                continue
            before: Any = cnf
            after: Any = {page.section: emptied}
            for part in parts:
                before = before.get(part) if isinstance(before, dict) else None
                after = after.get(part) if isinstance(after, dict) else None
            if field in page.fields:
                assert after is None, field
            else:
                assert after == before, (page.title, field)


def _number(response: Any) -> str:
    return str(re.findall(r"/drafts/(\d+)/", response["Location"])[0])


def test_a_claims_handler_goes_from_page_to_page_and_back(world: World, client: Client) -> None:
    in_section(client, world.cr_handler, "claims")
    number = _number(client.post(reverse("claims:new"), {"claimType": "EL"}))
    pages = pages_for("EL", FIRM, cnf_settings("EL", None))
    tasks = text_of(client.get(reverse("claims:draft", args=[number])))
    for p in pages:  # the task list: every page, under its section, with its status
        assert reverse("claims:draft-page", args=[number, p.section, p.key]) in tasks
    assert f"0 of {len(pages) + 1} pages completed" in tasks
    # the section's old address: its first page
    assert client.get(reverse("claims:draft-section", args=[number, "medicalDetails"]))["Location"] == (
        reverse("claims:draft-page", args=[number, "medicalDetails", "injury"])
    )
    second = text_of(client.get(reverse("claims:draft-page", args=[number, pages[1].section, pages[1].key])))
    back = reverse("claims:draft-page", args=[number, pages[0].section, pages[0].key])
    assert f'href="{back}" class="govuk-back-link"' in second
    assert f"Page 2 of {len(pages)}" in second
    assert (
        client.get(reverse("claims:draft-page", args=[number, "medicalDetails", "nowhere"])).status_code
        == 404
    )


def _fill_question(client: Client, url: str, values: dict[str, str]) -> Any:
    guid = str(Claim.objects.get().activity_guid)
    return client.post(url, {**values, "activityEngineGuid": guid, "_action": "continue"})


@pytest.mark.parametrize("claim_type", ["RTA", "PL"])
def test_an_unrepresented_claimant_answers_one_question_a_page_checks_and_sends(
    world: World, client: Client, claim_type: str
) -> None:
    litigant = register()
    in_section(client, litigant, "claims")
    assert client.post("/claimant/your-claim/start/", {"claim_type": claim_type})["Location"] == (
        reverse("litigant-form")
    )
    number = f"{Claim.objects.get().pk:08d}"
    # the firm's pages are not theirs: they are sent to their own
    for firm_url in (
        reverse("claims:draft", args=[number]),
        reverse("claims:draft-page", args=[number, "medicalDetails", "injury"]),
        reverse("claims:draft-check", args=[number]),
    ):
        assert client.get(firm_url)["Location"] == reverse("litigant-form")
    overview = text_of(client.get(reverse("litigant-form")))
    assert "We ask one question at a time" in overview
    # the insurer first, as on the firm's pages
    chosen = client.post(
        reverse("claims:draft-compensator", args=[number]),
        {
            "compensator": world.comp.path,
            "name": "Insurer",
            "activityEngineGuid": str(Claim.objects.get().activity_guid),
        },
    )
    assert chosen["Location"] == reverse("litigant-form")
    cnf = litigant_cnf(claim_type)
    pages = pages_for(claim_type, LITIGANT, cnf_settings(claim_type, Claim.objects.get().cnf))
    assert pages[0].title == "What is your name?"
    for index, question in enumerate(pages):
        url = reverse("litigant-form-page", args=[question.section, question.key])
        shown = text_of(client.get(url))
        assert f'<h1 class="govuk-heading-l">{question.title}</h1>'.replace("'", "&#x27;") in shown
        if question.section == "statementOfTruth":  # the claimant's own wording, the one they sign
            assert "The statement you sign: \u201cI believe that the facts stated" in shown
        response = _fill_question(client, url, values_from_data(question.root, page_data(question, cnf)))
        following = (
            reverse("litigant-form-page", args=[pages[index + 1].section, pages[index + 1].key])
            if index + 1 < len(pages)
            else reverse("litigant-form-check")
        )
        assert response.status_code == 302, (question.title, text_of(response))
        assert response["Location"] == following
    check = text_of(client.get(reverse("litigant-form-check")))
    assert "There is a problem" not in check and "Some answers are missing" not in check
    assert "You sign the statement of truth yourself, as the claimant" in check
    sent = client.post(
        reverse("litigant-form-check"), {"activityEngineGuid": str(Claim.objects.get().activity_guid)}
    )
    assert sent["Location"] == reverse("litigant-claim")
    claim = Claim.objects.get()
    assert claim.phase != "ClaimDataInputEdit"
    sent_cnf = claim.cnf or {}
    assert sent_cnf["applicationData"]["claimDetails"]["signatory"] == "C"
    assert sent_cnf["claimAndClaimantDetails"]["claimantRepresentative"]["litigantInPerson"] == "1"
    # every save of the draft is one line of its history
    assert claim.events.filter(operation="updateDraft").count() == len(pages) + 1


def test_the_unrepresented_claimants_check_links_each_missing_answer_to_its_question(
    world: World, client: Client
) -> None:
    litigant = register()
    in_section(client, litigant, "claims")
    client.post("/claimant/your-claim/start/", {"claim_type": "PL"})
    check = text_of(client.get(reverse("litigant-form-check")))
    assert "Some answers are missing or need correcting" in check
    links = re.findall(r'<a href="(/claimant/your-claim/form/[^"#]+\?check=1)#([^"]+)">', check)
    assert links
    for url, anchor in links:
        question = text_of(client.get(url.replace("&amp;", "&")))
        assert f'id="{anchor}"' in question
        assert re.search(rf'id="{re.escape(anchor.removesuffix("-day"))}-error"', question), (url, anchor)
    sent = client.post(
        reverse("litigant-form-check"), {"activityEngineGuid": str(Claim.objects.get().activity_guid)}
    )
    assert "Your claim was not sent" in text_of(sent)
    assert Claim.objects.get().phase == "ClaimDataInputEdit"
