"""Signing in (the steps after the password), the forgotten-password reset and one's own account."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from claimsportal.web.account import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="account-home"),
    # The sign-in steps: nobody is signed in yet (anonymous without a sign-in under way: to sign-in)
    path("password-expired/", views.password_expired, name="account-password-expired"),
    path("code/", views.code, name="account-code"),
    path("agreement/", views.agreement, name="account-agreement"),
    # Forgotten password or first sign-in (public)
    path("reset/", views.reset_request, name="account-reset"),
    path("reset/code/", views.reset_complete, name="account-reset-code"),
    # Signed in
    path("password/", views.change_password, name="account-password"),
    path("authenticator/", views.authenticator, name="account-authenticator"),
    path("authenticator/confirm/", views.authenticator_confirm, name="account-authenticator-confirm"),
    path("act-as/", views.act_as, name="account-act-as"),
    path("act-as/return/", views.act_as_return, name="account-act-as-return"),
]
