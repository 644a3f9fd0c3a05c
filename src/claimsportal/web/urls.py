"""The web UI's URLs. Each area has its own package (views, templates under web/<area>/, urls)."""

from django.urls import include, path

from claimsportal.web import views

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("claims/<str:application_id>/", views.claim_detail, name="claim"),
    # Signing in and one's own account: MFA code, password change and reset, the user agreement
    path("account/", include("claimsportal.web.account.urls")),
    # The administration console (Administrators) and the operator's console and registration
    path("console/", include("claimsportal.web.console.urls")),
    # Working on claims: drafts and the CNF, every operation's page, search, notifications, locks
    path("work/", include("claimsportal.web.claims.urls")),
    # What the portal publishes, for anyone: the Executive Dashboard and the news (web/publishing/)
    path("", include("claimsportal.web.publishing.urls")),
]
