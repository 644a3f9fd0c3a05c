"""``{% portal_banners %}``: the announcements (on the sign-in page and to signed-in users) and the
maintenance windows announced ahead or under way (on every page). ``field.hint|statement_of_truth:name``:
where a form asks for the signed statement of truth, the words in force today instead of a bare hint."""

from __future__ import annotations

from typing import Any

import structlog
from django import template

from claimsportal.core import clock
from claimsportal.publishing import maintenance, news
from claimsportal.publishing import statement_of_truth as sot

register = template.Library()
log = structlog.get_logger(__name__)


@register.inclusion_tag("web/publishing/_banners.html", takes_context=True)
def portal_banners(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    signing_in = request is not None and request.path_info.startswith("/login/")
    shows_announcements = signing_in or bool(getattr(user, "is_authenticated", False))
    try:
        return {
            "announcements": news.current_announcements() if shows_announcements else [],
            "windows": maintenance.upcoming_and_current(),
        }
    except Exception:  # an error page (the database down) still renders, without banners
        log.warning("banners_unavailable")
        return {"announcements": [], "windows": []}


@register.filter
def statement_of_truth(hint: str, name: str) -> str:
    """The statement of truth in force today (both variants) for the field that confirms it."""
    if name != "statementOfTruth":
        return hint
    today = clock.today()
    representative = sot.wording(today, sot.Signatory.REPRESENTATIVE, "form")
    in_person = sot.wording(today, sot.Signatory.CLAIMANT, "form")
    if not representative:
        return hint
    return (
        f"Signed by the legal representative: \u201c{representative}\u201d "
        f"Signed by the claimant in person: \u201c{in_person}\u201d"
    )
