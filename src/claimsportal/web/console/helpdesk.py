"""The operator's queue of helpdesk messages (the contact form, ``/help/contact/``): oldest target
first, overdue ones marked, each with what the helpdesk needs (role, section, the exact message);
the operator marks a message answered once they have replied (audited by ``helpdesk.services``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from claimsportal.helpdesk import services
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.web.console.access import operator_page


@operator_page
def helpdesk_queue(request: HttpRequest, operator: User) -> HttpResponse:
    rows = [{"request": r, "overdue": services.is_overdue(r)} for r in services.queue(operator)[:200]]
    return render(
        request,
        "web/console/helpdesk.html",
        {
            "rows": rows,
            "answered": services.recently_answered(operator),
            "target": services.TARGET_WORKING_DAYS,
        },
    )


@require_POST
@operator_page
def helpdesk_answered(request: HttpRequest, operator: User, reference: str) -> HttpResponse:
    try:
        services.mark_answered(operator, reference)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Message {reference} marked as answered.")
    return redirect("console-helpdesk")
