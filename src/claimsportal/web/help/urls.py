"""``/help/``: public pages for anyone who cannot sign in."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from claimsportal.web.help import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("sign-in/", views.sign_in_help, name="help-sign-in"),
    path("user-id/", views.resend_user_id, name="help-user-id"),
    path("contact/", views.contact, name="help-contact"),
    path("contact/sent/", views.contact_done, name="help-contact-done"),
]
