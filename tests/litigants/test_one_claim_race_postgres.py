"""Two concurrent attempts to open an unrepresented claimant's claim: exactly one gets through (the
organisation's row is locked before the count). PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

from claimsportal.claims import drafts
from claimsportal.claims.models import Claim
from claimsportal.protocols.errors import PortalError
from tests.claims.test_concurrency_postgres import run_together
from tests.conftest import CONCURRENT_POSTGRES, World
from tests.litigants.conftest import register

pytestmark = CONCURRENT_POSTGRES


def test_two_drafts_at_once_make_one_claim(world: World) -> None:
    litigant = register()
    actor = world.actor(litigant)
    for _ in range(5):
        Claim.objects.filter(cr_organisation_id=actor.organisation_pk).delete()
        results = run_together(
            lambda: drafts.create_draft(actor, "RTA", {}), lambda: drafts.create_draft(actor, "PL", {})
        )
        refused = [r for r in results if isinstance(r, PortalError)]
        assert len(refused) == 1, results
        assert refused[0].code == "BUSINESS_RULE"
        assert Claim.objects.filter(cr_organisation_id=actor.organisation_pk).count() == 1
