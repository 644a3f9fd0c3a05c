"""The web UI's URLs. Each area has its own package (views, templates under web/<area>/, urls)."""

from django.urls import include, path

from claimsportal.web import views
from claimsportal.web.claims.picking import picker_options
from claimsportal.web.claims.worklist import worklist_csv

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("worklist.csv", worklist_csv, name="worklist-csv"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("claims/<str:application_id>/", views.claim_detail, name="claim"),
    # The pickers' search as you type (web/pickers.py): JSON, for the signed-in user
    path("work/pick/<str:kind>/", picker_options, name="picker"),
    # Signing in and one's own account: MFA code, password change and reset, the user agreement
    path("account/", include("claimsportal.web.account.urls")),
    # The administration console (Administrators) and the operator's console and registration
    path("console/", include("claimsportal.web.console.urls")),
    # Working on claims: drafts and the CNF, every operation's page, search, notifications, locks
    path("work/", include("claimsportal.web.claims.urls")),
    # The unrepresented claimant: registration and their one claim in plain English
    path("claimant/", include("claimsportal.web.litigant.urls")),
    # Help signing in: troubleshooting, "Resend my user ID", contacting the helpdesk
    path("help/", include("claimsportal.web.help.urls")),
    # What the portal publishes, for anyone: the Executive Dashboard and the news (web/publishing/)
    path("", include("claimsportal.web.publishing.urls")),
]
