"""The worklist says what is urgent (issue 18): overdue and due-soon claims flagged and counted, an
"urgent only" filter, phases grouped by stage, the filtered list as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from claimsportal.claims.acting import format_application_id
from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.web import selectors
from tests.conftest import World, send_claim

PASSWORD = "Passw0rd!Passw0rd"


def _three_claims(world: World, clock: FixedClock) -> tuple[str, str, str]:
    """An overdue claim, one due within 3 business days and one with weeks left."""
    overdue = send_claim(world, surname="Overdue")
    clock.advance(timedelta(days=5))
    soon = send_claim(world, surname="Soon")
    deadline = Claim.objects.get(pk=soon.application_id).deadline_at
    assert deadline is not None
    clock.advance(deadline - clock.now() - timedelta(days=1, hours=1))  # a day before its time limit
    later = send_claim(world, surname="Later")
    return tuple(format_application_id(i.application_id) for i in (overdue, soon, later))  # type: ignore[return-value]


def test_overdue_and_due_soon_claims_are_flagged_counted_and_filtered(
    world: World, clock: FixedClock, client: Client
) -> None:
    overdue, soon, later = _three_claims(world, clock)
    rows = {r.application_id: r for r in selectors.worklist(world.comp_handler).others}
    assert rows[overdue].urgency == "Overdue"
    assert rows[soon].urgency == "Due soon"
    assert rows[later].urgency == ""

    assert client.login(username="comp.handler", password=PASSWORD)
    page = client.get(reverse("worklist")).content.decode()
    assert "1 claim past its time limit" in page
    assert "1 claim due within 3 business days" in page
    assert page.index(overdue) < page.index(soon) < page.index(later)  # the nearest time limit first
    assert "cp-row--overdue" in page and "cp-row--due-soon" in page

    urgent = client.get(reverse("worklist"), {"urgent": "1"}).content.decode()
    urgent = urgent[urgent.index('id="other-activities"') : urgent.index('id="notifications-heading"')]
    assert overdue in urgent and soon in urgent
    assert later not in urgent


def test_the_phase_filter_groups_phases_by_stage() -> None:
    stages = [stage for stage, _phases in selectors.phases_by_stage()]
    assert stages[:3] == ["Stage 1", "Stage 2.1", "Stage 2"]
    all_ids = [pid for _stage, phases in selectors.phases_by_stage() for pid, _name in phases]
    assert sorted(all_ids) == sorted(selectors.phase_names())


def test_the_filtered_worklist_downloads_as_csv(world: World, clock: FixedClock, client: Client) -> None:
    overdue, soon, later = _three_claims(world, clock)
    assert client.login(username="comp.handler", password=PASSWORD)
    response = client.get(reverse("worklist-csv"), {"urgent": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Application ID", "Claim type", "Claimant"]
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {overdue, soon}
    assert body[overdue][1] == "Road traffic accident"
    assert body[overdue][8] == "Overdue" and body[soon][8] == "Due soon"
    everything = client.get(reverse("worklist-csv"))
    assert later in everything.content.decode()


def test_a_csv_cell_is_never_a_formula() -> None:
    from claimsportal.web.claims.worklist import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("Smith") == "Smith"


def test_another_organisation_downloads_none_of_these_claims(
    world: World, clock: FixedClock, client: Client
) -> None:
    _three_claims(world, clock)
    assert client.login(username="cr.handler", password=PASSWORD)
    rows = list(csv.reader(io.StringIO(client.get(reverse("worklist-csv")).content.decode())))
    assert len(rows) == 1  # the claims await the compensator, not the claimant representative
