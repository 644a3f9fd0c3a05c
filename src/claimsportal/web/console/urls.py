"""The administration console (Administrators), the operator's console, and the online registration."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from claimsportal.web.console import custody, helpdesk, operator, transfers, views, webhooks

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="console-home"),
    # Users
    path("users/", views.users, name="console-users"),
    path("users/new/", views.user_new, name="console-user-new"),
    path("users/new/check/", views.user_new_check, name="console-user-new-check"),
    path("users/<str:user_id>/", views.user_detail, name="console-user"),
    path("users/<str:user_id>/edit/", views.user_edit, name="console-user-edit"),
    path("users/<str:user_id>/disable/", views.user_disable, name="console-user-disable"),
    path("users/<str:user_id>/enable/", views.user_enable, name="console-user-enable"),
    path(
        "users/<str:user_id>/reset-password/", views.user_reset_password, name="console-user-reset-password"
    ),
    # Branches and the organisation's details
    path("branches/", views.branches, name="console-branches"),
    path("branches/new/", views.branch_new, name="console-branch-new"),
    path("branches/<str:branch_id>/", views.branch_edit, name="console-branch"),
    path("organisation/", views.organisation_detail, name="console-organisation"),
    path("organisation/edit/", views.organisation_edit, name="console-organisation-edit"),
    # A2A clients
    path("a2a/", views.a2a_clients, name="console-a2a"),
    path("a2a/new/", views.a2a_new, name="console-a2a-new"),
    path("a2a/<str:client_id>/rotate/", views.a2a_rotate, name="console-a2a-rotate"),
    path("a2a/<str:client_id>/revoke/", views.a2a_revoke, name="console-a2a-revoke"),
    # Webhooks (docs/webhooks.md)
    path("webhooks/", webhooks.webhooks, name="console-webhooks"),
    path("webhooks/new/", webhooks.webhook_new, name="console-webhook-new"),
    path("webhooks/<str:endpoint_id>/", webhooks.webhook_detail, name="console-webhook"),
    path("webhooks/<str:endpoint_id>/enable/", webhooks.webhook_enable, name="console-webhook-enable"),
    path("webhooks/<str:endpoint_id>/test/", webhooks.webhook_test, name="console-webhook-test"),
    path("webhooks/<str:endpoint_id>/rotate/", webhooks.webhook_rotate, name="console-webhook-rotate"),
    path("webhooks/<str:endpoint_id>/delete/", webhooks.webhook_delete, name="console-webhook-delete"),
    path(
        "webhooks/<str:endpoint_id>/deliveries/<str:event_id>/redeliver/",
        webhooks.webhook_redeliver,
        name="console-webhook-redeliver",
    ),
    # The audit trail
    path("audit/", views.audit, name="console-audit"),
    # The archive (Search Archived Claims User profile)
    path("archive/", custody.archive_search, name="console-archive"),
    path("archive/<str:application_id>/", custody.archive_claim, name="console-archive-claim"),
    path(
        "archive/<str:application_id>/attachments/<str:guid>/",
        custody.archive_attachment,
        name="console-archive-attachment",
    ),
    path(
        "archive/<str:application_id>/documents/<str:document_id>/",
        custody.archive_document,
        name="console-archive-document",
    ),
    # The operator's console
    path("retention/", custody.retention, name="console-retention"),
    path("gdpr-deletions/", custody.gdpr_report, name="console-gdpr-deletions"),
    path("applications/", operator.applications, name="console-applications"),
    path("applications/<str:reference>/", operator.application_detail, name="console-application"),
    path(
        "applications/<str:reference>/approve/",
        operator.application_approve,
        name="console-application-approve",
    ),
    path(
        "applications/<str:reference>/reject/", operator.application_reject, name="console-application-reject"
    ),
    path("agreements/", operator.agreements, name="console-agreements"),
    # The helpdesk's queue of contact-form messages
    path("helpdesk/", helpdesk.helpdesk_queue, name="console-helpdesk"),
    path("helpdesk/<str:reference>/answered/", helpdesk.helpdesk_answered, name="console-helpdesk-answered"),
    path("agreements/new/", operator.agreement_new, name="console-agreement-new"),
    # Claims transfers between organisations (Administrators of both and the operator)
    path("transfers/", transfers.transfers, name="console-transfers"),
    path("transfers/new/", transfers.transfer_new, name="console-transfer-new"),
    # The request's pickers' search as you type (JSON; the Administrator's own organisation's lists)
    path("pick/<str:kind>/", transfers.console_picker, name="console-picker"),
    path("transfers/<str:reference>/", transfers.transfer_detail, name="console-transfer"),
    path("transfers/<str:reference>/agree/", transfers.transfer_agree, name="console-transfer-agree"),
    path("transfers/<str:reference>/decline/", transfers.transfer_decline, name="console-transfer-decline"),
    path("transfers/<str:reference>/approve/", transfers.transfer_approve, name="console-transfer-approve"),
    path("transfers/<str:reference>/reject/", transfers.transfer_reject, name="console-transfer-reject"),
    path("transfers/<str:reference>/report.csv", transfers.transfer_report, name="console-transfer-report"),
    # The online registration of an organisation (public: sections.PUBLIC_CONSOLE_PAGES)
    path("register/", operator.register, name="console-register"),
    path("register/check/", operator.register_check, name="console-register-check"),
    path("register/done/", operator.register_done, name="console-register-done"),
]
