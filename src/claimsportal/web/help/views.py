"""The help pages (public; no sign-in needed): every rule is ``helpdesk.services``'."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from claimsportal.helpdesk import services
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.web.account.forms import add_portal_error
from claimsportal.web.help.forms import ContactForm, ResendUserIdForm
from claimsportal.web.help.guide import ENTRIES

CONTACT_DONE_KEY = "cp_help_contact_done"


def sign_in_help(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help/sign_in.html", {"entries": ENTRIES})


@never_cache
def resend_user_id(request: HttpRequest) -> HttpResponse:
    form = ResendUserIdForm(request.POST if request.method == "POST" else None)
    sent = ""
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.resend_user_ids(
                form.cleaned_data["email"], address=request.META.get("REMOTE_ADDR") or "unknown"
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            if outcome.refused:
                form.add_error("email", outcome.message)
            else:
                sent = outcome.message
    return render(request, "web/help/resend_user_id.html", {"form": form, "sent": sent})


@never_cache
def contact(request: HttpRequest) -> HttpResponse:
    initial = {"error_message": request.GET.get("message", "")[:500]}
    user = request.user
    if isinstance(user, User):
        initial.update(name=f"{user.forename} {user.surname}".strip(), email=user.email, user_id=user.user_id)
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.submit_request(**form.cleaned_data)
        except PortalError as error:
            add_portal_error(form, error)
        else:
            request.session[CONTACT_DONE_KEY] = {"reference": sent.reference, "due": sent.due_on.isoformat()}
            return redirect("help-contact-done")
    return render(
        request,
        "web/help/contact.html",
        {"form": form, "hours": services.HOURS, "target": services.TARGET_WORKING_DAYS},
    )


@never_cache
def contact_done(request: HttpRequest) -> HttpResponse:
    done = request.session.get(CONTACT_DONE_KEY)
    if not isinstance(done, dict):
        return redirect("help-contact")
    return render(
        request,
        "web/help/contact_done.html",
        {
            "reference": done["reference"],
            "due": date.fromisoformat(done["due"]),
            "target": services.TARGET_WORKING_DAYS,
        },
    )
