"""The operator's pages of what the portal publishes: the current month's figures live, news items and
announcements, maintenance windows. Every change is audited by its service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from claimsportal.core import clock
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.publishing import figures, insurer_index, maintenance, news
from claimsportal.publishing.models import MaintenanceWindow, NewsItem
from claimsportal.web.account.forms import add_portal_error
from claimsportal.web.console.access import operator_page
from claimsportal.web.publishing.forms import InsurerIndexUploadForm, MaintenanceForm, NewsForm
from claimsportal.web.publishing.views import month_context


@operator_page
def live_dashboard(request: HttpRequest, operator: User) -> HttpResponse:
    month = figures.current_month()
    context = month_context(month, live=True)
    context["service"] = figures.service_figures(month, until=clock.real_now())
    return render(request, "web/publishing/operator_dashboard.html", context)


@operator_page
def live_dashboard_csv(request: HttpRequest, operator: User) -> HttpResponse:
    month = figures.current_month()
    response = HttpResponse(figures.csv_text([month], live=True), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="executive-dashboard-{month:%Y-%m}-live.csv"'
    return response


@operator_page
def news_admin(request: HttpRequest, operator: User) -> HttpResponse:
    form = NewsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            news.publish(
                category=data["category"],
                title=data["title"],
                body=data["body"],
                shown_until=data["shown_until"],
                by=operator,
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, "The news item is published")
            return redirect("console-news")
    items = NewsItem.objects.order_by("-published_at", "-id")[:100]
    return render(
        request, "web/publishing/operator_news.html", {"form": form, "items": items, "now": clock.real_now()}
    )


@operator_page
@require_POST
def news_end(request: HttpRequest, operator: User, pk: int) -> HttpResponse:
    item = NewsItem.objects.filter(pk=pk, category=NewsItem.Category.ANNOUNCEMENT).first()
    if item is None:
        raise Http404("No such announcement")
    news.end_announcement(item, by=operator)
    messages.success(request, "The announcement's banner has ended")
    return redirect("console-news")


@operator_page
def maintenance_admin(request: HttpRequest, operator: User) -> HttpResponse:
    form = MaintenanceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            maintenance.schedule(
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                message=data["message"],
                web=data["web"],
                a2a=data["a2a"],
                by=operator,
            )
        except PortalError as error:
            add_portal_error(form, error, {"endsAt": "ends_at", "scope": "web"})
        else:
            messages.success(request, "The maintenance window is scheduled")
            return redirect("console-maintenance")
    windows = MaintenanceWindow.objects.filter(ends_at__gt=clock.real_now()).order_by("starts_at")[:50]
    return render(request, "web/publishing/operator_maintenance.html", {"form": form, "windows": windows})


@operator_page
@require_POST
def maintenance_cancel(request: HttpRequest, operator: User, pk: int) -> HttpResponse:
    window = MaintenanceWindow.objects.filter(pk=pk, cancelled_at__isnull=True).first()
    if window is None:
        raise Http404("No such maintenance window")
    maintenance.cancel(window, by=operator)
    messages.success(request, "The maintenance window is cancelled")
    return redirect("console-maintenance")


# --------------------------------------------------------------------------------------------------
# The RTA Insurer Index: upload, differences, publication
# --------------------------------------------------------------------------------------------------

UPLOAD_KEY = "cp_insurer_index_upload"  # the parsed entries and the version they were compared with


@operator_page
def insurer_index_admin(request: HttpRequest, operator: User) -> HttpResponse:
    form = InsurerIndexUploadForm(request.POST or None, request.FILES or None)
    problems: list[ErrorDetail] = []
    error_message = ""
    if request.method == "POST" and form.is_valid():
        try:
            uploaded = form.cleaned_data["file"]
            entries = insurer_index.parse_upload(uploaded.read(), uploaded.name or "")
        except PortalError as error:
            error_message, problems = error.message, error.details
            form.add_error("file", error.message)
        else:
            request.session[UPLOAD_KEY] = {"entries": entries, "version": insurer_index.current_version()}
            return redirect("console-insurer-index-check")
    return render(
        request,
        "web/publishing/operator_insurer_index.html",
        {
            "form": form,
            "problems": problems,
            "error_message": error_message,
            "current": insurer_index.current_version(),
            "versions": insurer_index.versions()[:20],
        },
    )


@operator_page
def insurer_index_check(request: HttpRequest, operator: User) -> HttpResponse:
    upload = request.session.get(UPLOAD_KEY)
    if not upload:
        return redirect("console-insurer-index")
    if request.method == "POST":
        try:
            version = insurer_index.publish(
                upload["entries"], expected_version=upload["version"], by=operator
            )
        except PortalError as error:
            request.session.pop(UPLOAD_KEY, None)
            messages.error(request, error.message)
            return redirect("console-insurer-index")
        request.session.pop(UPLOAD_KEY, None)
        messages.success(request, f"Version {version.number} of the Insurer Index is published")
        return redirect("console-insurer-index")
    changes = insurer_index.diff(insurer_index.live_entries(), upload["entries"])
    return render(
        request,
        "web/publishing/operator_insurer_index_check.html",
        {"changes": changes, "current": upload["version"], "next": upload["version"] + 1},
    )
