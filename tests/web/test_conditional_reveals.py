"""An answer a conditional rule needs when a radio of the same block has one value is shown inside that
value's GOV.UK conditional reveal (derived from ``protocols.forms.rules``), works without JavaScript
(every reveal is in the page and posted as before) and still shows its error beside it, linked from
the summary."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from claimsportal.claims.models import Claim
from claimsportal.presentation.cnf import section_node
from claimsportal.protocols.forms import rules
from claimsportal.web.claims.schema_form import Field, bind
from tests.conftest import World

PASSWORD = "Passw0rd!Passw0rd"


def _reveals(root: Field) -> dict[str, tuple[str, str]]:
    """field name -> (the radio's name, the value that reveals it)."""
    out = {}
    for bound in root.walk():
        for choice in bound.choices:
            for revealed in choice.reveal:
                out[revealed.node.name] = (bound.node.name, choice.value)
    return out


def test_the_rules_answers_are_revealed_by_their_radio_answer() -> None:
    claimant = section_node("RTA", "claimAndClaimantDetails")
    parties = section_node("RTA", "otherPartyDetails")
    accident = section_node("RTA", "accidentData")
    assert claimant is not None and parties is not None and accident is not None
    found = {
        **_reveals(bind(claimant, {})),
        **_reveals(bind(parties, {"cnf.otherPartyDetails.otherParty[count]": "1"})),
        **_reveals(bind(accident, {})),
    }
    for rule in (rules.OTHER_TITLE, rules.OTHER_PARTY_TYPE):
        assert found[rule.field] == (rule.when.path, rule.when.values[0])
    # not revealed, but hinted where they are: an answer needed on two values (seatbelt: driver or
    # passenger), a whole block (the defendant's company details), and a drop-down list's answer
    # (the claimant type "Other": seven answers are a list, which cannot reveal)
    assert not {"seatbelt", "companyDetails", "otherType"} & set(found)


def test_a_revealed_answer_is_in_the_page_hidden_until_its_radio_is_chosen(
    world: World, client: Client
) -> None:
    assert client.login(username="cr.handler", password=PASSWORD)
    response = client.post(reverse("claims:new"), {"claimType": "RTA"})
    number = response["Location"].rstrip("/").split("/")[-1]
    # the section's address opens its first page (the claimant's name, with the title)
    opened = client.get(
        reverse("claims:draft-section", args=[number, "claimAndClaimantDetails"]), follow=True
    )
    url = opened.redirect_chain[-1][0]
    page = opened.content.decode()
    at = "cnf.claimAndClaimantDetails.claimantDetails.personalDetails"
    found = re.search(
        rf'<input class="govuk-radios__input" id="(?P<id>[^"]+)" name="{re.escape(at)}\.titleType" '
        r'type="radio" value="5" data-cp-reveal="conditional-(?P=id)">'
        r'.*?<div class="govuk-radios__conditional govuk-radios__conditional--hidden" '
        r'id="conditional-(?P=id)">(?P<inside>.*?)</fieldset>',
        page,
        re.DOTALL,
    )
    assert found is not None
    assert f'name="{at}.otherTitle"' in found["inside"]
    assert page.count(f'name="{at}.otherTitle"') == 1

    # chosen and left empty: the reveal is open, the error beside the field and linked from the summary
    guid = str(Claim.objects.get(pk=int(number)).activity_guid)
    sent = client.post(
        url, {"activityEngineGuid": guid, f"{at}.titleType": "5", "_action": "continue"}
    ).content.decode()
    assert re.search(r'class="govuk-radios__conditional" id="conditional-[^"]+">', sent)
    anchor = re.search(rf'id="([^"]+)" name="{re.escape(at)}\.otherTitle"', sent)
    assert anchor is not None
    assert f'<a href="#{anchor[1]}">' in sent
    assert f'id="{anchor[1]}-error"' in sent
    assert "Enter the other title: the title is “Other”" in sent


def test_an_answer_other_answers_allow_too_is_not_hidden_in_a_reveal() -> None:
    from claimsportal.a2a.schemas import PAYLOAD_MODELS
    from claimsportal.presentation.form_tree import form_tree

    root = bind(form_tree(PAYLOAD_MODELS["sendLiabilityDecision"]["RTA"]), {})
    names = {bound.node.name for bound in root.walk()}
    assert "unadmittedLiabilityReasons" in names
    assert "unadmittedLiabilityReasons" not in _reveals(root)  # needed on N, allowed on AN
    assert _reveals(root)["otherCapacity"] == ("capacity", "4")
