"""``/claimant/``: the unrepresented claimant's registration (public) and their claim (signed in)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from claimsportal.web.litigant import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.start, name="litigant-start"),
    path("solicitor/", views.solicitor, name="litigant-solicitor"),
    path("own-claim/", views.own_claim, name="litigant-own-claim"),
    path("cannot-use/<str:reason>/", views.ineligible, name="litigant-ineligible"),
    path("name/", views.name, name="litigant-name"),
    path("email/", views.email, name="litigant-email"),
    path("email/code/", views.code, name="litigant-code"),
    path("user-id/", views.user_id, name="litigant-user-id"),
    path("agreement/", views.agreement, name="litigant-agreement"),
    path("check/", views.check, name="litigant-check"),
    path("password/", views.password, name="litigant-password"),
    path("registered/", views.registered, name="litigant-registered"),
    # Signed in: their one claim
    path("your-claim/", views.your_claim, name="litigant-claim"),
    path("your-claim/start/", views.start_claim, name="litigant-claim-start"),
    # Their claim form, one question a page (web.claims.pages.LITIGANT_PAGES), checked and sent
    path("your-claim/form/", views.claim_form, name="litigant-form"),
    path("your-claim/form/check/", views.claim_form_check, name="litigant-form-check"),
    path("your-claim/form/<str:section>/<str:page>/", views.claim_form_page, name="litigant-form-page"),
    path("your-claim/offer/", views.offer, name="litigant-offer"),
    path("your-claim/print/", views.your_claim_print, name="litigant-print"),
]
