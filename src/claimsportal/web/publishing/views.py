"""Public pages (no sign-in): the Executive Dashboard (years → months, charts, tables, CSV, caveats)
and the news. Only published months are shown; the operator sees the current month live
(``operator.py``). Nothing here names an organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claimsportal.protocols.errors import PortalError
from claimsportal.publishing import figures, insurer_index, news, xlsx
from claimsportal.publishing.models import NewsItem, PublishedMonth
from claimsportal.web.publishing import charts

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_or_404(year: int, month: int) -> date:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404("No such month")
    return date(year, month, 1)


def dashboard(request: HttpRequest) -> HttpResponse:
    years = figures.published_years()
    if years:
        return redirect("dashboard-year", year=years[0])
    return render(request, "web/publishing/dashboard_empty.html", {"caveats": figures.CAVEATS})


def year_context(year: int, published: list[PublishedMonth]) -> dict[str, Any]:
    sent = figures.year_series(year, figures.M.CNF_SENT)
    settled = figures.year_series(year, figures.M.SETTLED)
    cnf_table = [
        {
            "month": date(year, m, 1),
            "published": any(p.month.month == m for p in published),
            "values": [sent[p][m - 1] for p in figures.PROTOCOLS],
        }
        for m in range(1, 13)
    ]
    return {
        "year": year,
        "years": figures.published_years(),
        "months": published,
        "protocols": [figures.PROTOCOL_NAMES[p] for p in figures.PROTOCOLS],
        "sent_chart": charts.grouped_bars(
            "sent-chart",
            f"CNFs sent to compensators in {year}, by month and protocol",
            MONTH_ABBR,
            {figures.PROTOCOL_NAMES[p]: v for p, v in sent.items()},
        ),
        "settled_chart": charts.grouped_bars(
            "settled-chart",
            f"Claims settled in {year}, by month and protocol",
            MONTH_ABBR,
            {figures.PROTOCOL_NAMES[p]: v for p, v in settled.items()},
        ),
        "cnf_table": cnf_table,
        "caveats": figures.CAVEATS,
    }


def dashboard_year(request: HttpRequest, year: int) -> HttpResponse:
    published = figures.published_months(year)
    if not published:
        raise Http404("No figures published for that year")
    return render(request, "web/publishing/dashboard_year.html", year_context(year, published))


def month_context(month: date, *, live: bool) -> dict[str, Any]:
    rows = figures.month_rows(month, live=live)
    shown = [row for row in rows if not (row.measure.metric == figures.M.EXIT and row.empty)]
    headline = {
        row.measure.metric: row
        for row in rows
        if row.measure.reason == "" and row.measure.metric != figures.AVERAGE
    }
    chart_series = {
        label: [int(headline[metric].month[p] or 0) for p in figures.PROTOCOLS]
        for metric, label in (
            (figures.M.CNF_SENT, "CNFs sent"),
            (figures.M.SETTLED, "Settled"),
            (figures.M.COURT_PACK, "Court packs"),
        )
    }
    return {
        "month": month,
        "live": live,
        "protocols": figures.PROTOCOLS,
        "protocol_names": [figures.PROTOCOL_NAMES[p] for p in figures.PROTOCOLS],
        "rows": [
            {
                "label": row.measure.label,
                "money": row.measure.money,
                "cells": [(row.month[p], row.rolling[p]) for p in figures.PROTOCOLS],
            }
            for row in shown
        ],
        "chart": charts.grouped_bars(
            "month-chart",
            f"CNFs sent, claims settled and Court Proceedings Packs in {month:%B %Y}, by protocol",
            [figures.PROTOCOL_NAMES[p] for p in figures.PROTOCOLS],
            chart_series,
        ),
        "caveats": figures.CAVEATS,
    }


def dashboard_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    day = _month_or_404(year, month)
    published = PublishedMonth.objects.filter(month=day).first()
    if published is None:
        raise Http404("No figures published for that month")
    context = month_context(day, live=False)
    context["service"] = published.service
    context["published"] = published
    return render(request, "web/publishing/dashboard_month.html", context)


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def dashboard_year_csv(request: HttpRequest, year: int) -> HttpResponse:
    months = [p.month for p in figures.published_months(year)]
    if not months:
        raise Http404("No figures published for that year")
    return _csv(figures.csv_text(months), f"executive-dashboard-{year}.csv")


def dashboard_month_csv(request: HttpRequest, year: int, month: int) -> HttpResponse:
    day = _month_or_404(year, month)
    if not PublishedMonth.objects.filter(month=day).exists():
        raise Http404("No figures published for that month")
    return _csv(figures.csv_text([day]), f"executive-dashboard-{day:%Y-%m}.csv")


# --------------------------------------------------------------------------------------------------
# News and updates
# --------------------------------------------------------------------------------------------------


def news_list(request: HttpRequest) -> HttpResponse:
    items = list(news.listed().order_by("-published_at", "-id")[:500])
    years: dict[int, list[NewsItem]] = {}
    for item in items:
        years.setdefault(item.published_at.year, []).append(item)
    return render(request, "web/publishing/news.html", {"years": sorted(years.items(), reverse=True)})


def news_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = news.listed().filter(pk=pk).first()
    if item is None:
        raise Http404("No such news item")
    return render(request, "web/publishing/news_item.html", {"item": item})


def news_feed(request: HttpRequest) -> HttpResponse:
    feed = Atom1Feed(
        title="Claims Portal: news and updates",
        link=request.build_absolute_uri(reverse("news")),
        description="News, management information and announcements of the Claims Portal",
        language="en-GB",
        feed_url=request.build_absolute_uri(reverse("news-feed")),
    )
    for item in news.listed().order_by("-published_at", "-id")[:50]:
        feed.add_item(
            title=item.title,
            link=request.build_absolute_uri(reverse("news-item", args=[item.pk])),
            description=item.body,
            pubdate=item.published_at,
            unique_id=f"urn:claimsportal:news:{item.pk}",
            categories=[item.get_category_display()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --------------------------------------------------------------------------------------------------
# The RTA Insurer Index: every version, for download
# --------------------------------------------------------------------------------------------------


def insurer_index_versions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/publishing/insurer_index.html",
        {"versions": insurer_index.versions(), "current": insurer_index.current_version()},
    )


def insurer_index_csv(request: HttpRequest, number: int) -> HttpResponse:
    try:
        entries = insurer_index.version_entries(number)
    except PortalError:
        raise Http404("No such version") from None
    return _csv(insurer_index.csv_text(entries), f"rta-insurer-index-v{number}.csv")


def insurer_index_xlsx(request: HttpRequest, number: int) -> HttpResponse:
    try:
        entries = insurer_index.version_entries(number)
    except PortalError:
        raise Http404("No such version") from None
    response = HttpResponse(insurer_index.xlsx_bytes(entries, number=number), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rta-insurer-index-v{number}.xlsx"'
    return response
