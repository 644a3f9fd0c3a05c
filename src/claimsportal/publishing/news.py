"""News items and announcements (ADMINISTRATION.md §6-§8: the portal's news stream).

The operator writes a news item (Update, Management info, Announcement); an announcement with an end
is also shown on the sign-in page and as a banner to signed-in users until it ends. The monthly MI job
and the Insurer Index publish their own items through :func:`publish`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.publishing.models import NewsItem

TITLE_LENGTH = 200
BODY_LENGTH = 5000


def publish(
    *,
    category: str,
    title: str,
    body: str,
    now: datetime | None = None,
    shown_until: datetime | None = None,
    by: User | None = None,
) -> NewsItem:
    """Publish a news item now (real time: news is dated as it is read); ``by`` None is the portal
    itself (the monthly MI, the Insurer Index)."""
    if by is not None and not by.is_operator:
        raise PortalError("FORBIDDEN_PROFILE", "Only the Claims Portal operator can publish news")
    problems = []
    title, body = title.strip(), body.strip()
    if category not in NewsItem.Category.values:
        problems.append(ErrorDetail("category", "must be Update, Management info or Announcement"))
    if not title:
        problems.append(ErrorDetail("title", "Enter a title"))
    elif len(title) > TITLE_LENGTH:
        problems.append(ErrorDetail("title", f"The title must be {TITLE_LENGTH} characters or fewer"))
    if not body:
        problems.append(ErrorDetail("body", "Enter the text of the news item"))
    elif len(body) > BODY_LENGTH:
        problems.append(ErrorDetail("body", f"The text must be {BODY_LENGTH} characters or fewer"))
    published_at = now or clock.real_now()
    if shown_until is not None and shown_until <= clock.real_now():
        problems.append(ErrorDetail("shownUntil", "The banner's end must be in the future"))
    if shown_until is not None and category != NewsItem.Category.ANNOUNCEMENT:
        problems.append(ErrorDetail("shownUntil", "Only an announcement is shown as a banner"))
    if problems:
        raise PortalError("BUSINESS_RULE", "The news item cannot be published", problems)
    with transaction.atomic():
        item = NewsItem.objects.create(
            category=category,
            title=title,
            body=body,
            published_at=published_at,
            shown_until=shown_until,
            created_by=by,
        )
        if by is not None:
            audit(by, "news.published", str(item.pk), title=title, category=category)
    return item


def end_announcement(item: NewsItem, *, by: User) -> None:
    """End an announcement's banner now (the news item stays)."""
    if not by.is_operator:
        raise PortalError("FORBIDDEN_PROFILE", "Only the Claims Portal operator can end an announcement")
    with transaction.atomic():
        item.shown_until = clock.real_now()
        item.save(update_fields=["shown_until"])
        audit(by, "news.announcement_ended", str(item.pk), title=item.title)


def listed() -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(published_at__lte=clock.real_now())


def current_announcements() -> list[NewsItem]:
    now = clock.real_now()
    return list(
        NewsItem.objects.filter(
            category=NewsItem.Category.ANNOUNCEMENT, shown_until__gt=now, published_at__lte=now
        ).order_by("-published_at")[:5]
    )
