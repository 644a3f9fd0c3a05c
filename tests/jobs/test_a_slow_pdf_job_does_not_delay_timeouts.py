"""Each job runs in its own thread: while the PDF job is stuck (200 documents take a minute), a claim
whose time limit passes still times out within a few seconds."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest

from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.documents import printable
from claimsportal.jobs import runner
from claimsportal.jobs.portal_jobs import PORTAL_JOBS, PRINTABLE_DOCUMENTS, TIMEOUTS
from claimsportal.jobs.registry import Every, Figures
from claimsportal.protocols.timers import LONDON
from tests.conftest import World, send_claim
from tests.jobs.conftest import wait_for

RTA_FIRES = datetime(2026, 3, 24, 0, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stuck_pdf_job_does_not_delay_a_timeout(
    world: World, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = send_claim(world)
    rendering, release = threading.Event(), threading.Event()

    def stuck(**_: Any) -> printable.RenderResult:
        rendering.set()
        release.wait(30)
        return printable.RenderResult()

    monkeypatch.setattr(printable, "render_pending", stuck)
    registry = PORTAL_JOBS.only([TIMEOUTS, PRINTABLE_DOCUMENTS]).replaced(TIMEOUTS, schedule=Every(0.05))
    outcomes: list[runner.Outcome] = []

    def timed_out() -> list[Figures]:
        return [o.figures for o in list(outcomes) if o.job == TIMEOUTS and o.figures.get("moved")]

    worker = runner.Worker(registry, on_outcome=outcomes.append)
    worker.start()
    try:
        assert rendering.wait(10), "the PDF job started"
        clock.set(RTA_FIRES)  # the time limit passes while the PDF job is stuck
        assert wait_for(
            lambda: Claim.objects.filter(pk=info.application_id, phase="LiabilityDecisionTimeout").exists(),
            timeout=10,
        ), "the timeout fired although the PDF job has not finished"
        assert not release.is_set()
        assert wait_for(lambda: bool(timed_out())), "and its run was reported"
        assert [figures["moved"] for figures in timed_out()] == [1]
    finally:
        release.set()
        worker.stop()
        assert worker.join(timeout=10), "every thread stopped"
    assert any(o.job == PRINTABLE_DOCUMENTS for o in outcomes), "the PDF job finished once released"
