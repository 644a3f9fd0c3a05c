from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claimsportal.claims.models import Claim
from claimsportal.reference.models import NonWorkingDayOverride
from tests.conftest import World, send_claim


def _run(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("non_working_days", *args, stdout=out)
    result: dict[str, object] = json.loads(out.getvalue())
    return result


def test_adding_a_short_notice_holiday_moves_open_deadlines_by_one_business_day(world: World) -> None:
    info = send_claim(world)  # Monday 2 March 2026: 15 business days end Monday 23 March
    before = Claim.objects.get(pk=info.application_id).deadline_at
    result = _run("--add", "2026-03-10", "--reason", "Short-notice bank holiday")
    assert result["deadlinesRecomputed"] == 1
    after = Claim.objects.get(pk=info.application_id).deadline_at
    assert before is not None
    assert after is not None
    assert (after - before).days == 1  # Tuesday 24 → Wednesday 25 March
    assert _run("--remove", "2026-03-10")["deadlinesRecomputed"] == 1
    assert Claim.objects.get(pk=info.application_id).deadline_at == before


def test_listing_shows_overrides_and_a_years_statutory_holidays(db: None) -> None:
    _run("--add", "2026-12-31", "--reason", "Closure")
    listed = _run("--year", "2022")
    assert listed["overrides"] == [{"day": "2026-12-31", "kind": "ADDED", "reason": "Closure"}]
    holidays = listed["statutoryHolidays"]
    assert isinstance(holidays, dict)
    assert "2022-09-19" in holidays


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--add", "2026-12-31"), "a reason is required"),
        (("--add", "31/12/2026", "--reason", "x"), "is not a date"),
        (("--declare-working", "2026-12-30", "--reason", "x"), "is not a statutory holiday"),
        (("--remove", "2026-12-29"), "there is no override"),
    ],
)
def test_bad_input_is_refused_with_a_specific_message_and_nothing_written(
    db: None, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert NonWorkingDayOverride.objects.count() == 0
