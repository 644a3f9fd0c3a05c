"""Who opens the console's pages: a signed-in Administration session (web/account/sections.py) of an
Administrator (``administration.check_administrator``) or of the operator's staff (``is_operator``).

Anonymous people are sent to the sign-in page; a Claims Portal session gets the §2.6 page; anyone
else gets a 403 page saying why. The services check again on every change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from claimsportal.organisations import administration
from claimsportal.organisations.accounts import Section
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.errors import PortalError
from claimsportal.web.account import sections

OPERATOR_ONLY = "Only the Claims Portal operator can use the operator's console"


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/console/forbidden.html", {"message": message}, status=403)


def _signed_in_to_administration(request: HttpRequest) -> User | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if sections.section_of(request) is not Section.ADMIN:
        return sections.wrong_section(request)
    user = request.user
    assert isinstance(user, User)
    return user


type Page[**P] = Callable[Concatenate[HttpRequest, P], HttpResponse]


def checked_page[T, **P](
    check: Callable[[User], T],
) -> Callable[[Callable[Concatenate[HttpRequest, T, P], HttpResponse]], Page[P]]:
    """A console page for whoever ``check`` admits among the users signed in to Administration: the
    view gets what ``check`` returns; a ``PortalError`` it raises is the 403 page's message."""

    def decorate(view: Callable[Concatenate[HttpRequest, T, P], HttpResponse]) -> Page[P]:
        @never_cache
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user = _signed_in_to_administration(request)
            if isinstance(user, HttpResponse):
                return user
            try:
                admitted = check(user)
            except PortalError as error:
                return forbidden(request, error.message)
            return view(request, admitted, *args, **kwargs)

        update_wrapper(wrapper, view)
        return wrapper

    return decorate


def administrator_page[**P](
    view: Callable[Concatenate[HttpRequest, User, Organisation, P], HttpResponse],
) -> Page[P]:
    """A page of an Administrator's console: the view gets the Administrator and their organisation."""

    def with_organisation(
        request: HttpRequest, admitted: tuple[User, Organisation], /, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        return view(request, *admitted, *args, **kwargs)

    update_wrapper(with_organisation, view)
    return checked_page(lambda user: (user, administration.check_administrator(user)))(with_organisation)


def _operator(user: User) -> User:
    if not user.is_operator:
        raise PortalError("FORBIDDEN_PROFILE", OPERATOR_ONLY)
    return user


def operator_page[**P](view: Callable[Concatenate[HttpRequest, User, P], HttpResponse]) -> Page[P]:
    """A page of the operator's console: the view gets the operator."""
    return checked_page(_operator)(view)


def console_page[**P](view: Callable[Concatenate[HttpRequest, User, P], HttpResponse]) -> Page[P]:
    """The console's home: an Administration session (what it shows depends on who)."""
    return checked_page(lambda user: user)(view)
