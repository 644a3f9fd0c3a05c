"""Scheduled maintenance: announced before the window, the A2A API's 503 MAINTENANCE and the web's
maintenance page during it (the sign-in page and the operator's console open), everything back after
it; the timers keep running; the operator schedules and cancels windows (audited)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client

from claimsportal.claims.timers import run_due_timeouts
from claimsportal.core.clock import FixedClock
from claimsportal.core.models import AuditEntry
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.timers import LONDON
from claimsportal.publishing import maintenance, news
from claimsportal.publishing.models import MaintenanceWindow, NewsItem
from tests.a2a.conftest import BASE, caller_for
from tests.conftest import World, send_claim
from tests.web.signing_in import in_section

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 7, 5, 0, tzinfo=LONDON)  # Saturday
END = datetime(2026, 3, 7, 19, 0, tzinfo=LONDON)


def at(clock: FixedClock, when: datetime) -> None:
    clock.set(when)
    maintenance.invalidate()


@pytest.fixture
def window(world: World, operator: User) -> MaintenanceWindow:
    return maintenance.schedule(
        starts_at=START, ends_at=END, message="Production upgrade.", web=True, a2a=True, by=operator
    )


def test_before_the_window_it_is_announced_and_everything_answers(
    world: World, clock: FixedClock, window: MaintenanceWindow
) -> None:
    caller = caller_for(world.cr)
    page = Client().get("/login/").content.decode()
    assert "Scheduled maintenance" in page
    assert "unavailable from Saturday 7 March 2026 at 05:00 to Saturday 7 March 2026 at 19:00" in page
    assert "Production upgrade." in page
    assert caller.get("/compensators?claimType=RTA", world.cr_handler).status == 200
    at(clock, START - timedelta(minutes=1))
    assert caller_for(world.cr).get("/compensators?claimType=RTA", world.cr_handler).status == 200


def test_during_the_window_the_api_answers_maintenance_and_the_web_a_plain_page(
    world: World, clock: FixedClock, window: MaintenanceWindow, operator: User
) -> None:
    caller = caller_for(world.cr)
    at(clock, START + timedelta(hours=2))
    answer = caller.get("/compensators?claimType=RTA", world.cr_handler)
    assert answer.status == 503
    assert answer.body["code"] == "MAINTENANCE"
    assert answer.body["details"] == [{"field": "endsAt", "message": END.isoformat()}]
    assert answer.headers["Retry-After"] == str(12 * 3600)
    assert answer.headers["Content-Type"] == "application/json"
    token = Client().post(f"{BASE}/token", data="{}", content_type="application/json")
    assert token.status_code == 503  # every A2A path, the token endpoint included

    anonymous = Client()
    response = anonymous.get("/dashboard/")
    assert response.status_code == 503
    assert "unavailable for scheduled maintenance" in response.content.decode()
    assert "Saturday 7 March 2026 at 19:00" in response.content.decode()
    assert anonymous.get("/login/").status_code == 200  # the operator can still sign in
    assert anonymous.get("/healthz").status_code == 200

    handler = Client()
    in_section(handler, world.cr_handler, "claims")
    assert handler.get("/").status_code == 503
    admin = Client()
    in_section(admin, world.cr_admin, "admin")
    assert admin.get("/console/users/").status_code == 503
    staff = Client()
    in_section(staff, operator, "admin")
    assert staff.get("/console/maintenance/").status_code == 200
    assert staff.get("/console/").status_code == 200


def test_a_window_for_the_api_only_leaves_the_web_open(
    world: World, clock: FixedClock, operator: User
) -> None:
    maintenance.schedule(
        starts_at=START, ends_at=END, message="API upgrade.", web=False, a2a=True, by=operator
    )
    at(clock, START)
    assert Client().get("/news/").status_code == 200
    assert Client().get(f"{BASE}/compensators").status_code == 503


def test_after_the_window_or_once_cancelled_everything_answers(
    world: World, clock: FixedClock, window: MaintenanceWindow, operator: User
) -> None:
    at(clock, END)
    assert Client().get("/news/").status_code == 200
    assert "Scheduled maintenance" not in Client().get("/login/").content.decode()
    at(clock, START + timedelta(hours=1))
    assert Client().get("/news/").status_code == 503
    maintenance.cancel(window, by=operator)
    assert Client().get("/news/").status_code == 200
    assert sorted(
        AuditEntry.objects.filter(action__startswith="maintenance.").values_list("action", flat=True)
    ) == [
        "maintenance.cancelled",
        "maintenance.scheduled",
    ]


def test_claims_time_out_during_a_window_as_they_would_otherwise(
    world: World, clock: FixedClock, window: MaintenanceWindow
) -> None:
    info = send_claim(world, "RTA")
    at(clock, START + timedelta(hours=1))
    assert run_due_timeouts().moved == 0
    # 15 business days from Monday 2 March: the deadline passes at midnight on Tuesday 24 March.
    maintenance.schedule(
        starts_at=datetime(2026, 3, 23, 20, 0, tzinfo=LONDON),
        ends_at=datetime(2026, 3, 24, 6, 0, tzinfo=LONDON),
        message="Overnight.",
        web=True,
        a2a=True,
        by=User.objects.get(user_id="portal.operator"),
    )
    at(clock, datetime(2026, 3, 24, 0, 1, tzinfo=LONDON))
    assert maintenance.current() is not None
    assert run_due_timeouts().by_phase == {"ClaimSubmitted": 1}
    assert info.application_id


def test_the_operator_schedules_a_window_with_specific_errors(
    world: World, clock: FixedClock, operator_client: Client
) -> None:
    bad = operator_client.post(
        "/console/maintenance/",
        {"starts_at": "2026-03-07 19:00", "ends_at": "2026-03-07 05:00", "message": "Upgrade"},
    )
    text = bad.content.decode()
    assert bad.status_code == 200
    assert "The end must be after the start" in text
    assert "Choose the web, the A2A API or both" in text
    assert not MaintenanceWindow.objects.exists()
    unreadable = operator_client.post(
        "/console/maintenance/", {"starts_at": "7 March", "ends_at": "", "message": ""}
    )
    assert "Start must be a date and time like 2026-05-24 19:00" in unreadable.content.decode()
    assert "Enter the end" in unreadable.content.decode()
    good = operator_client.post(
        "/console/maintenance/",
        {"starts_at": "2026-03-07 05:00", "ends_at": "2026-03-07 19:00", "message": "Upgrade", "web": "on"},
    )
    assert good.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert (window.starts_at, window.ends_at, window.web, window.a2a) == (START, END, True, False)
    assert operator_client.post(f"/console/maintenance/{window.pk}/cancel/").status_code == 302
    assert MaintenanceWindow.objects.get().cancelled_at is not None


def test_only_the_operator_schedules_maintenance_or_publishes_news(world: World, clock: FixedClock) -> None:
    for refused in (
        lambda: maintenance.schedule(
            starts_at=START, ends_at=END, message="x", web=True, a2a=True, by=world.cr_admin
        ),
        lambda: news.publish(category="UPDATE", title="t", body="b", by=world.cr_admin),
    ):
        with pytest.raises(PortalError) as caught:
            refused()
        assert caught.value.code == "FORBIDDEN_PROFILE"
    admin = Client()
    in_section(admin, world.cr_admin, "admin")
    for path in ("/console/maintenance/", "/console/news/", "/console/dashboard/"):
        assert admin.get(path).status_code == 403, path
        assert admin.post(path, {}).status_code == 403, path
    assert Client().get("/console/news/").status_code == 302


def test_an_announcement_is_a_banner_on_the_sign_in_page_and_for_signed_in_users_until_it_ends(
    world: World, clock: FixedClock, operator_client: Client
) -> None:
    response = operator_client.post(
        "/console/news/",
        {
            "category": "ANNOUNCEMENT",
            "title": "New user agreement",
            "body": "Administrators must accept it.",
            "shown_until": "2026-03-09 17:00",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert "New user agreement" in Client().get("/login/").content.decode()
    handler = Client()
    in_section(handler, world.cr_handler, "claims")
    assert "New user agreement" in handler.get("/").content.decode()
    assert "New user agreement" in Client().get("/news/").content.decode()
    at(clock, datetime(2026, 3, 9, 17, 0, tzinfo=LONDON))
    assert "New user agreement" not in Client().get("/login/").content.decode()
    assert "New user agreement" in Client().get(f"/news/{item.pk}/").content.decode()
    with pytest.raises(PortalError) as caught:
        news.publish(category="UPDATE", title="", body="x", shown_until=datetime(2026, 4, 1, tzinfo=LONDON))
    assert [d.field for d in caught.value.details] == ["title", "shownUntil"]
    assert AuditEntry.objects.filter(action="news.published").count() == 1
