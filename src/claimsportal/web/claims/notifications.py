"""Notifications on the worklist: delete one, or clear them all."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from claimsportal.claims.acting import Actor
from claimsportal.notifications import services as notification_services
from claimsportal.protocols.errors import PortalError
from claimsportal.web.claims.acting import back, with_actor


@with_actor
@require_POST
def notification_delete(request: HttpRequest, actor: Actor, guid: str) -> HttpResponse:
    try:
        uuid.UUID(guid)
        notification_services.remove(actor, guid)
    except (PortalError, ValueError):
        messages.error(request, "That notification has already been deleted")
    else:
        messages.success(request, "Notification deleted")
    return back(request, reverse("worklist"))


@with_actor
@require_http_methods(["GET", "POST"])
def notifications_clear(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        count = notification_services.clear_all(actor)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} deleted")
        return redirect("worklist")
    return render(request, "web/claims/notifications_clear.html", {})
