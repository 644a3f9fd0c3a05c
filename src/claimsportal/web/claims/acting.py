"""Who acts on the claims pages (:func:`with_actor`), the page shown when they may not, and where a
page sends them back to. Every claims view module uses these; they import no view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.organisations.models import User
from claimsportal.presentation.messages import plain_text
from claimsportal.protocols.errors import PortalError


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def refused(request: HttpRequest, error: PortalError) -> HttpResponse:
    shown = [plain_text(error.message)]
    shown += [text for d in error.details if (text := plain_text(d.message)) not in shown]
    return render(request, "web/claims/refused.html", {"messages_shown": shown}, status=error.status)


def with_actor[**P](
    view: Callable[Concatenate[HttpRequest, Actor, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed in, acting as a claims user (``Actor.for_user``); a claim (or draft) the user cannot
    see is "not found", never "forbidden"."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            actor = Actor.for_user(user_of(request))
        except PortalError as error:
            return refused(request, error)
        try:
            return view(request, actor, *args, **kwargs)
        except PortalError as error:
            if error.code == "NOT_FOUND":
                raise Http404(error.message) from None
            raise

    return wrapped  # type: ignore[return-value]


def back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """To the page the form came from (``next``, if it is this site's), else to ``fallback``."""
    target = str(request.POST.get("next") or "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def claim_url(claim_or_id: Claim | int | str) -> str:
    number = claim_or_id.pk if isinstance(claim_or_id, Claim) else int(claim_or_id)
    return reverse("claim", args=[format_application_id(number)])
