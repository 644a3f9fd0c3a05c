"""Sign-in, the worklist and the claim page (the full GOV.UK UI grows from here)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from claimsportal.organisations import accounts
from claimsportal.organisations.accounts import Section
from claimsportal.organisations.models import User
from claimsportal.web.account import sections, signin
from claimsportal.web.claims.claim_page import claim_page as claim_page_view
from claimsportal.web.claims.worklist import worklist_page
from claimsportal.web.forms import SignInForm
from claimsportal.web.help import guide


@method_decorator([sensitive_post_parameters("password"), never_cache], name="dispatch")
class SignInView(View):
    """User ID, password and Section; then the steps the outcome asks for (web/account/signin.py).

    Every refusal shows the message of ADMINISTRATION.md §2.6 that ``accounts.sign_in`` gives: an
    unknown user and a wrong password get the same "Login failed", after the same slow hash check.
    """

    template_name = "web/sign_in.html"
    # Where each refusal is shown (the error summary links there).
    FIELD_OF_MESSAGE: ClassVar[dict[str, str | None]] = {
        accounts.LOGIN_FAILED: "username",
        accounts.YOUR_LOGIN_FAILED: "username",
        accounts.ACCOUNT_EXPIRED: "username",
        accounts.WRONG_SECTION: "section",
        accounts.AGREEMENT_NOT_ACCEPTED: None,
    }

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect(signin.home_url(sections.section_of(request)))
        return self._page(request, SignInForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SignInForm(request.POST)
        if form.is_valid():
            section = Section(form.cleaned_data["section"])
            outcome = accounts.sign_in(
                form.cleaned_data["username"],
                form.cleaned_data["password"],
                section,
                address=request.META.get("REMOTE_ADDR") or "unknown",
            )
            if not outcome.refused:
                request.session.pop(sections.PENDING_KEY, None)
                return signin.start(request, outcome, section, self._next(request))
            form.add_error(self.FIELD_OF_MESSAGE.get(outcome.message, "username"), outcome.message)
        return self._page(request, form)

    def _next(self, request: HttpRequest) -> str:
        return str(request.POST.get("next") or request.GET.get("next") or "")

    def _page(self, request: HttpRequest, form: SignInForm) -> HttpResponse:
        shown = [str(error) for errors in form.errors.values() for error in errors]
        anchor = guide.anchor_for(shown[0]) if shown else ""
        help_url = reverse("help-sign-in") + (f"#{anchor}" if anchor else "")
        return render(
            request, self.template_name, {"form": form, "next": self._next(request), "help_url": help_url}
        )


class SignOutView(auth_views.LogoutView):
    """POST only (with CSRF), as Django's LogoutView; back to the sign-in page with a confirmation.
    A team leader acting as another user signs out altogether."""

    next_page = "login"  # a URL name: resolve_url() looks it up

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def worklist(request: HttpRequest) -> HttpResponse:
    """The home page: claims awaiting the organisation (web/claims/worklist.py, with the claims pages)."""
    return worklist_page(request)


def claim_detail(request: HttpRequest, application_id: str) -> HttpResponse:
    """The claim page: summary, forms, history and actions (web/claims/claim_page.py)."""
    return claim_page_view(request, application_id)
