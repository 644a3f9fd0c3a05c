"""The Administrator's webhook pages (docs/webhooks.md): the endpoints, a new one (its secret shown
once), and each endpoint's page with its delivery log and actions (send a test event, enable or
disable, rotate the secret, redeliver, delete). Every change goes through ``webhooks.services``,
which audits it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from claimsportal.organisations.administration import AUDIT_CONFIRMATION
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.errors import PortalError
from claimsportal.web.account.forms import GovukForm, add_portal_error
from claimsportal.web.console.access import administrator_page
from claimsportal.web.forms import TextField
from claimsportal.webhooks import events, services
from claimsportal.webhooks.models import Delivery, Endpoint

STATUS_WORDS = {
    Delivery.Status.PENDING: ("Waiting", "govuk-tag--blue"),
    Delivery.Status.DELIVERED: ("Delivered", "govuk-tag--green"),
    Delivery.Status.PARKED: ("Given up", "govuk-tag--red"),
}
KIND_WORDS = {**events.KINDS, events.TEST: "Test event"}


class WebhookForm(GovukForm):
    url = TextField(
        label="URL",
        max_length=500,
        help_text="The https:// address of your case-management system that receives the events",
        error_messages={"required": "Enter the URL", "max_length": "The URL must be 500 characters or fewer"},
    )
    description = TextField(
        label="Description (optional)",
        max_length=120,
        required=False,
        help_text="For your own records",
        error_messages={"max_length": "The description must be 120 characters or fewer"},
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=list(events.KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every event your system wants to hear of",
        error_messages={
            "required": "Select at least one event",
            "invalid_choice": "Select events from the list",
        },
    )


def _endpoint_or_404(organisation: Organisation, endpoint_id: str) -> Endpoint:
    try:
        return services.endpoint_of(organisation, endpoint_id)
    except PortalError:
        raise Http404("No such webhook endpoint in your organisation") from None


def _row(endpoint: Endpoint) -> dict[str, Any]:
    return {"endpoint": endpoint, "events": [KIND_WORDS.get(k, k) for k in endpoint.events]}


@administrator_page
def webhooks(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "web/console/webhooks.html",
        {"rows": [_row(e) for e in services.endpoints_of(organisation)], "most": services.MAX_ENDPOINTS},
    )


@administrator_page
def webhook_new(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.register(
                organisation,
                admin,
                url=form.cleaned_data["url"],
                events_wanted=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, AUDIT_CONFIRMATION)
            return render(
                request,
                "web/console/webhook_secret.html",
                {"endpoint": created.endpoint, "secret": created.secret, "rotated": False},
            )
    return render(request, "web/console/webhook_new.html", {"form": form})


def _log_rows(found: list[Delivery]) -> list[dict[str, Any]]:
    return [
        {
            "delivery": d,
            "record": services.delivery_record(d),
            "kind": KIND_WORDS.get(d.kind, d.kind),
            "status": STATUS_WORDS[Delivery.Status(d.status)],
        }
        for d in found
    ]


@administrator_page
def webhook_detail(
    request: HttpRequest, admin: User, organisation: Organisation, endpoint_id: str
) -> HttpResponse:
    endpoint = _endpoint_or_404(organisation, endpoint_id)
    before_text = request.GET.get("before", "")
    before = int(before_text) if before_text.isdigit() and len(before_text) < 19 else None
    _endpoint, found, cursor = services.deliveries_of(
        organisation, endpoint.endpoint_id, before=before, limit=25
    )
    return render(
        request,
        "web/console/webhook.html",
        {**_row(endpoint), "log": _log_rows(found), "cursor": cursor, "paged": before is not None},
    )


def _act(request: HttpRequest, endpoint: Endpoint, action: Any) -> HttpResponse:
    try:
        action()
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("console-webhook", str(endpoint.endpoint_id))


@require_POST
@administrator_page
def webhook_enable(
    request: HttpRequest, admin: User, organisation: Organisation, endpoint_id: str
) -> HttpResponse:
    endpoint = _endpoint_or_404(organisation, endpoint_id)
    enable = not endpoint.enabled

    def act() -> None:
        services.set_enabled(organisation, admin, endpoint.endpoint_id, enabled=enable)
        messages.success(
            request, f"The endpoint is {'enabled' if enable else 'disabled'}. {AUDIT_CONFIRMATION}"
        )

    return _act(request, endpoint, act)


@require_POST
@administrator_page
def webhook_test(
    request: HttpRequest, admin: User, organisation: Organisation, endpoint_id: str
) -> HttpResponse:
    endpoint = _endpoint_or_404(organisation, endpoint_id)

    def act() -> None:
        sent = services.send_test(organisation, admin, endpoint.endpoint_id)
        if sent.status == Delivery.Status.DELIVERED:
            messages.success(
                request,
                f"Your endpoint accepted the test event (HTTP {sent.last_status}, {sent.last_latency_ms} ms).",
            )
        else:
            messages.error(
                request,
                f"Your endpoint did not accept the test event: {sent.last_error}. It will be tried again.",
            )

    return _act(request, endpoint, act)


@require_POST
@administrator_page
def webhook_redeliver(
    request: HttpRequest, admin: User, organisation: Organisation, endpoint_id: str, event_id: str
) -> HttpResponse:
    endpoint = _endpoint_or_404(organisation, endpoint_id)

    def act() -> None:
        services.redeliver(organisation, admin, endpoint.endpoint_id, event_id)
        messages.success(request, f"The event will be sent again in a moment. {AUDIT_CONFIRMATION}")

    return _act(request, endpoint, act)


@administrator_page
def webhook_rotate(
    request: HttpRequest, admin: User, organisation: Organisation, endpoint_id: str
) -> HttpResponse:
    endpoint = _endpoint_or_404(organisation, endpoint_id)
    if request.method == "POST":
        rotated = services.rotate_secret(organisation, admin, endpoint.endpoint_id)
        messages.success(request, AUDIT_CONFIRMATION)
        return render(
            request,
            "web/console/webhook_secret.html",
            {"endpoint": rotated.endpoint, "secret": rotated.secret, "rotated": True},
        )
    return render(request, "web/console/webhook_confirm.html", {"endpoint": endpoint, "action": "rotate"})


@administrator_page
def webhook_delete(
    request: HttpRequest, admin: User, organisation: Organisation, endpoint_id: str
) -> HttpResponse:
    endpoint = _endpoint_or_404(organisation, endpoint_id)
    if request.method == "POST":
        services.remove(organisation, admin, endpoint.endpoint_id)
        messages.success(request, f"The endpoint is deleted. {AUDIT_CONFIRMATION}")
        return redirect("console-webhooks")
    return render(request, "web/console/webhook_confirm.html", {"endpoint": endpoint, "action": "delete"})
