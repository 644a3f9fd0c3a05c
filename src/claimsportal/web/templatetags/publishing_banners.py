"""``{% portal_banners %}``: the announcements (on the sign-in page and to signed-in users) and the
maintenance windows announced ahead or under way (on every page)."""

from __future__ import annotations

from typing import Any

import structlog
from django import template

from claimsportal.publishing import maintenance, news

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
