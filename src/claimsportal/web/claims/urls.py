"""Working on claims: drafts and the CNF, every operation's page, search, notifications, locks.

Mounted at ``/work/`` (web/urls.py). The worklist (``/``) and the claim page (``/claims/<id>/``) are
named in web/urls.py; their views are in this package too (``worklist.worklist_page``,
``claim_page.claim_page``). One module a feature: ``draft_wizard``, ``operations``, ``claim_page``,
``attachments``, ``documents``, ``search``, ``hospitals``, ``notifications``.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from claimsportal.web.claims import (
    attachments,
    bulk,
    claim_page,
    deletion,
    documents,
    draft_wizard,
    hospitals,
    notifications,
    operations,
    search,
)

app_name = "claims"

urlpatterns: list[URLPattern | URLResolver] = [
    # A new claim: the draft CNF, page by page (one topic a page), checked and sent
    path("claims/new/", draft_wizard.new_claim, name="new"),
    path("drafts/", draft_wizard.draft_list, name="drafts"),
    path("drafts/<str:application_id>/", draft_wizard.draft_tasks, name="draft"),
    path(
        "drafts/<str:application_id>/compensator/", draft_wizard.draft_compensator, name="draft-compensator"
    ),
    path(
        "drafts/<str:application_id>/sections/<str:section>/",
        draft_wizard.draft_section,
        name="draft-section",
    ),
    path(
        "drafts/<str:application_id>/sections/<str:section>/<str:page>/",
        draft_wizard.draft_page,
        name="draft-page",
    ),
    path("drafts/<str:application_id>/check/", draft_wizard.draft_check, name="draft-check"),
    path("drafts/<str:application_id>/delete/", draft_wizard.draft_delete, name="draft-delete"),
    path("drafts/<str:application_id>/print/", draft_wizard.draft_print, name="draft-print"),
    # Every operation of the protocols (and the locks and allocations) as a page of its own
    path(
        "claims/<str:application_id>/operations/<str:operation>/", operations.operation_page, name="operation"
    ),
    path(
        "claims/<str:application_id>/defendant-only-cnf/",
        claim_page.defendant_only_cnf,
        name="defendant-only",
    ),
    # Attachments (the claim page lists them): add one, download one
    path("claims/<str:application_id>/delete/", deletion.claim_delete, name="claim-delete"),
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
    path("search/", search.search_page, name="search"),
    # The worklist's bulk actions: lock, unlock, allocate or print the claims selected
    path("bulk/", bulk.bulk_action, name="bulk"),
    path("hospitals/", hospitals.hospital_finder, name="hospitals"),
    path("notifications/clear/", notifications.notifications_clear, name="notifications-clear"),
    path("notifications/<str:guid>/delete/", notifications.notification_delete, name="notification-delete"),
]
