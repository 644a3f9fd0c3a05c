"""Working on claims: drafts and the CNF, every operation's page, search, notifications, locks.

Mounted at ``/work/`` (web/urls.py). The worklist (``/``) and the claim page (``/claims/<id>/``) are
named in web/urls.py; their views are here too (``views.worklist_page``, ``views.claim_page``).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from claimsportal.web.claims import attachments, documents, views

app_name = "claims"

urlpatterns: list[URLPattern | URLResolver] = [
    # A new claim: the draft CNF, section by section, checked and sent
    path("claims/new/", views.new_claim, name="new"),
    path("drafts/", views.draft_list, name="drafts"),
    path("drafts/<str:application_id>/", views.draft_tasks, name="draft"),
    path("drafts/<str:application_id>/compensator/", views.draft_compensator, name="draft-compensator"),
    path("drafts/<str:application_id>/sections/<str:section>/", views.draft_section, name="draft-section"),
    path("drafts/<str:application_id>/check/", views.draft_check, name="draft-check"),
    path("drafts/<str:application_id>/delete/", views.draft_delete, name="draft-delete"),
    path("drafts/<str:application_id>/print/", views.draft_print, name="draft-print"),
    # Every operation of the protocols (and the locks and allocations) as a page of its own
    path("claims/<str:application_id>/operations/<str:operation>/", views.operation_page, name="operation"),
    path("claims/<str:application_id>/defendant-only-cnf/", views.defendant_only_cnf, name="defendant-only"),
    # Attachments (the claim page lists them): add one, download one
    path("claims/<str:application_id>/attachments/new/", attachments.attachment_add, name="attachment-add"),
    path(
        "claims/<str:application_id>/attachments/<str:guid>/",
        attachments.attachment_download,
        name="attachment",
    ),
    # Printable documents (the claim page lists them): download one as a PDF
    path(
        "claims/<str:application_id>/documents/<str:document_id>/",
        documents.document_download,
        name="document",
    ),
    path("search/", views.search_page, name="search"),
    path("hospitals/", views.hospital_finder, name="hospitals"),
    path("notifications/clear/", views.notifications_clear, name="notifications-clear"),
    path("notifications/<str:guid>/delete/", views.notification_delete, name="notification-delete"),
]
