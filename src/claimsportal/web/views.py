"""Sign-in, the worklist and the claim page (the full GOV.UK UI grows from here)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from claimsportal.claims.services import format_application_id, parse_application_id
from claimsportal.core import clock
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.web import selectors
from claimsportal.web.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (with CSRF), as Django's LogoutView; back to the sign-in page with a confirmation."""

    next_page = "login"  # a URL name: resolve_url() looks it up

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = selectors.worklist(user, today=clock.today()) if user.organisation_id else []
    return render(
        request,
        "web/worklist.html",
        {
            "rows": rows,
            "locked": [r for r in rows if r.locked_to_me],
            "others": [r for r in rows if not r.locked_to_me],
            "has_claims_profile": bool(user.claims_profiles()),
        },
    )


@login_required
def claim_detail(request: HttpRequest, application_id: str) -> HttpResponse:
    user = _user(request)
    try:
        number = parse_application_id(application_id)
    except PortalError:
        raise Http404("No such claim") from None
    claim = selectors.claim_get(user, number)
    if claim is None:
        raise Http404("No such claim")  # never "forbidden": no existence leak
    definition = definition_for(claim.claim_type)
    return render(
        request,
        "web/claim.html",
        {
            "claim": claim,
            "application_id": format_application_id(claim.application_id),
            "phase_name": definition.phases[claim.phase].name,
            "business_days_left": (
                selectors.business_days_left(claim.deadline_at, today=clock.today())
                if claim.deadline_at is not None
                else None
            ),
            "locked_to_me": claim.locked_by_id is not None and claim.locked_by_id == user.pk,
            "events": selectors.claim_history(claim),
        },
    )
