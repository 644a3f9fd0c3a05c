"""The administration console (ADMINISTRATION.md §1.3-§1.5, §1.7, §2.1, §2.4): users, branches, the
organisation's details, A2A clients and the audit trail, for the organisation's Administrators.

Every change goes through ``organisations.administration`` (which checks the Administrator again,
writes the audit entry in the same transaction and returns the confirmation shown here). Objects of
another organisation are "not found". Passwords and secrets are shown once, in the answer to the
POST that made them, and never stored in clear.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from claimsportal.core import clock
from claimsportal.core.models import AuditEntry
from claimsportal.custody import archive as archive_service
from claimsportal.organisations import administration
from claimsportal.organisations.a2a_clients import SECRET_GRACE, secret_expires_on
from claimsportal.organisations.administration import UserChanges
from claimsportal.organisations.models import A2AClient, Branch, Organisation, User
from claimsportal.organisations.profiles import Profile
from claimsportal.presentation.labels import field_label
from claimsportal.presentation.messages import lower_first
from claimsportal.presentation.profiles import PROFILE_LABELS
from claimsportal.protocols.errors import PortalError
from claimsportal.web.account.forms import add_portal_error
from claimsportal.web.console.access import administrator_page, console_page, forbidden
from claimsportal.web.console.forms import (
    STATUS_LABELS,
    A2AClientForm,
    ConfirmDisableForm,
    EditBranchForm,
    EditUserForm,
    NewBranchForm,
    NewUserForm,
    OrganisationForm,
    UserSearchForm,
)

NEW_USER_KEY = "cp_console_new_user"
USERS_PER_PAGE = 50
AUDIT_PER_PAGE = 25
NO_CHANGES = "You did not change anything."
USER_FIELDS = {"userId": "user_id", "expiryDate": "expiry_day", "branch": "branch"}

ACTION_LABELS = {
    "user.created": "User created",
    "user.edited": "User changed",
    "user.enabled": "User enabled",
    "user.disabled": "User disabled",
    "user.password_reset": "Password reset",
    "user.login_as": "Signed in as another user",
    "branch.created": "Branch created",
    "branch.edited": "Branch changed",
    "organisation.edited": "Organisation details changed",
    "a2a_client.created": "A2A client created",
    "a2a_client.secret_rotated": "A2A client secret rotated",
    "a2a_client.revoked": "A2A client revoked",
    "a2a_client.password_changed": "A2A client secret changed by the client (changePassword)",
    "agreement.accepted": "User agreement accepted",
    "agreement.published": "User agreement published",
    "registration.submitted": "Registration submitted",
    "registration.approved": "Registration approved",
    "registration.rejected": "Registration rejected",
    "attachment.added": "Attachment added to a claim",
}

# The details' keys in words (others: the glossary's field label, presentation.labels).
DETAIL_LABELS = {
    "dataAttachmentGuid": "attachment ID",
    "dataAttachmentTitle": "title",
    "dataAttachmentFileName": "file",
    "size": "size",
    "sha256": "checksum (SHA-256)",
    "fields": "changed",
    "profiles": "profiles",
}


# --------------------------------------------------------------------------------------------------
# Home
# --------------------------------------------------------------------------------------------------


@console_page
def home(request: HttpRequest, user: User) -> HttpResponse:
    administrator = user.organisation is not None and Profile.ADMINISTRATOR in user.profile_set
    archive = archive_service.may_search(user)
    if not administrator and not user.is_operator and not archive:
        return forbidden(request, "Only an Administrator of the organisation can do this")
    return render(
        request,
        "web/console/home.html",
        {
            "administrator": administrator,
            "operator": user.is_operator,
            "archive": archive,
            "organisation": user.organisation,
        },
    )


# --------------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------------


def status_of(user: User) -> tuple[str, str]:
    """The user's status as the search filters name it, and the colour of its tag."""
    if user.is_active and user.is_enabled:
        return STATUS_LABELS["active_enabled"], "govuk-tag--green"
    if user.is_active:
        return STATUS_LABELS["active_disabled"], "govuk-tag--yellow"
    return STATUS_LABELS["inactive_disabled"], "govuk-tag--grey"


def profile_labels(user: User) -> list[str]:
    return [PROFILE_LABELS.get(p, p) for p in user.profiles]


@administrator_page
def users(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    form = UserSearchForm(request.GET or None)
    text, status = "", "all"
    if form.is_valid():
        text, status = form.cleaned_data["q"], form.cleaned_data["status"] or "all"
    found = administration.search_users(admin, text=text, status=status)
    page = Paginator(found, USERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"user": u, "status": status_of(u), "profiles": profile_labels(u)} for u in page]
    return render(
        request,
        "web/console/users.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "page_numbers": list(page.paginator.get_elided_page_range(page.number)),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _user_or_404(admin: User, user_id: str) -> User:
    user = administration.search_users(admin).filter(user_id__iexact=user_id).first()
    if user is None:
        raise Http404("No such user in your organisation")
    return user


def _branch_choices(organisation: Organisation, keep: Branch | None = None) -> list[tuple[str, str]]:
    branches = organisation.branches.filter(enabled=True).order_by("branch_id")
    choices = [(b.branch_id, f"{b.branch_id} {b.name}") for b in branches]
    if keep is not None and keep.branch_id not in dict(choices):
        choices.append((keep.branch_id, f"{keep.branch_id} {keep.name} (disabled)"))
    return choices


@administrator_page
def user_new(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    saved = request.session.get(NEW_USER_KEY)
    data = request.POST if request.method == "POST" else None
    form = NewUserForm(
        data,
        initial=saved or {"branch": "001"},
        side=organisation.side,
        branches=_branch_choices(organisation),
    )
    if request.method == "POST" and form.is_valid():
        request.session[NEW_USER_KEY] = dict(form.cleaned_data)
        return redirect("console-user-new-check")
    return render(request, "web/console/user_new.html", {"form": form})


@administrator_page
def user_new_check(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    saved = request.session.get(NEW_USER_KEY)
    if not saved:
        return redirect("console-user-new")
    if request.method == "POST":
        try:
            created = administration.add_user(
                admin,
                user_id=saved["user_id"],
                forename=saved["forename"],
                surname=saved["surname"],
                email=saved["email"],
                profiles=saved["profiles"],
                branch_id=saved["branch"],
            )
        except PortalError as error:
            form = NewUserForm(saved, side=organisation.side, branches=_branch_choices(organisation))
            form.is_valid()
            add_portal_error(form, error, USER_FIELDS)
            return render(request, "web/console/user_new.html", {"form": form})
        request.session.pop(NEW_USER_KEY, None)
        messages.success(request, administration.AUDIT_CONFIRMATION)
        return render(
            request,
            "web/console/password_issued.html",
            {"account": created.user, "password": created.initial_password, "new": True},
        )
    branch = organisation.branches.filter(branch_id=saved["branch"]).first()
    return render(
        request,
        "web/console/user_new_check.html",
        {
            "saved": saved,
            "profiles": [PROFILE_LABELS.get(p, p) for p in saved["profiles"]],
            "branch": branch,
        },
    )


@administrator_page
def user_detail(request: HttpRequest, admin: User, organisation: Organisation, user_id: str) -> HttpResponse:
    user = _user_or_404(admin, user_id)
    return render(
        request,
        "web/console/user.html",
        {
            "account": user,
            "status": status_of(user),
            "profiles": profile_labels(user),
            "is_me": user.pk == admin.pk,
        },
    )


@administrator_page
def user_edit(request: HttpRequest, admin: User, organisation: Organisation, user_id: str) -> HttpResponse:
    user = _user_or_404(admin, user_id)
    expiry = user.expiry_date
    initial = {
        "forename": user.forename,
        "surname": user.surname,
        "email": user.email,
        "profiles": list(user.profiles),
        "branch": user.branch.branch_id if user.branch else "",
        "expiry_day": expiry.day if expiry else "",
        "expiry_month": expiry.month if expiry else "",
        "expiry_year": expiry.year if expiry else "",
    }
    form = EditUserForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        side=organisation.side,
        branches=_branch_choices(organisation, keep=user.branch),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = UserChanges(
            forename=data["forename"] if data["forename"] != user.forename else None,
            surname=data["surname"] if data["surname"] != user.surname else None,
            email=data["email"] if data["email"] != user.email else None,
            profiles=list(data["profiles"]) if set(data["profiles"]) != set(user.profiles) else None,
            branch_id=data["branch"] if data["branch"] != initial["branch"] else None,
            expiry_date=data["expiry_date"] if data["expiry_date"] != expiry else None,
        )
        if changes == UserChanges():
            messages.info(request, NO_CHANGES)
            return redirect("console-user", user_id=user.user_id)
        try:
            confirmation = administration.edit_user(admin, user.user_id, changes)
        except PortalError as error:
            add_portal_error(form, error, USER_FIELDS)
        else:
            messages.success(request, confirmation)
            return redirect("console-user", user_id=user.user_id)
    return render(request, "web/console/user_edit.html", {"form": form, "account": user})


@administrator_page
def user_disable(request: HttpRequest, admin: User, organisation: Organisation, user_id: str) -> HttpResponse:
    user = _user_or_404(admin, user_id)
    form = ConfirmDisableForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"] != "yes":
            return redirect("console-user", user_id=user.user_id)
        try:
            confirmation = administration.set_enabled(admin, user.user_id, enabled=False, confirmed=True)
        except PortalError as error:
            add_portal_error(form, error, {"userId": "confirm", "confirmed": "confirm"})
        else:
            messages.success(request, confirmation)
            return redirect("console-user", user_id=user.user_id)
    return render(request, "web/console/user_disable.html", {"form": form, "account": user})


@require_POST
@administrator_page
def user_enable(request: HttpRequest, admin: User, organisation: Organisation, user_id: str) -> HttpResponse:
    user = _user_or_404(admin, user_id)
    messages.success(request, administration.set_enabled(admin, user.user_id, enabled=True))
    return redirect("console-user", user_id=user.user_id)


@administrator_page
def user_reset_password(
    request: HttpRequest, admin: User, organisation: Organisation, user_id: str
) -> HttpResponse:
    user = _user_or_404(admin, user_id)
    if request.method == "POST":
        confirmation, password = administration.reset_password(admin, user.user_id)
        messages.success(request, confirmation)
        return render(
            request, "web/console/password_issued.html", {"account": user, "password": password, "new": False}
        )
    return render(request, "web/console/user_reset_password.html", {"account": user})


# --------------------------------------------------------------------------------------------------
# Branches
# --------------------------------------------------------------------------------------------------


@administrator_page
def branches(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "web/console/branches.html",
        {"organisation": organisation, "branches": organisation.branches.order_by("branch_id")},
    )


@administrator_page
def branch_new(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    form = NewBranchForm(request.POST if request.method == "POST" else None)
    if organisation.org_type != Organisation.Type.COMP:
        del form.fields["kind"]  # a claimant representative's branches are Handling Points
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            confirmation, _branch = administration.add_branch(
                admin,
                name=data["name"],
                central_point=data.get("kind") == Branch.Kind.CENTRAL_POINT,
                telephone=data["telephone"],
                email=data["email"],
                address=form.address(),
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, confirmation)
            return redirect("console-branches")
    return render(request, "web/console/branch_form.html", {"form": form, "branch": None})


def _branch_or_404(organisation: Organisation, branch_id: str) -> Branch:
    branch = organisation.branches.filter(branch_id=branch_id).first()
    if branch is None:
        raise Http404("No such branch in your organisation")
    return branch


@administrator_page
def branch_edit(
    request: HttpRequest, admin: User, organisation: Organisation, branch_id: str
) -> HttpResponse:
    branch = _branch_or_404(organisation, branch_id)
    initial: dict[str, Any] = {
        "name": branch.name,
        "telephone": branch.telephone,
        "email": branch.email,
        "enabled": "yes" if branch.enabled else "no",
        **EditBranchForm.address_initial(branch.address),
    }
    form = EditBranchForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {
            key: data[key] for key in ("name", "telephone", "email") if data[key] != initial[key]
        }
        if (data["enabled"] == "yes") != branch.enabled:
            changes["enabled"] = data["enabled"] == "yes"
        if form.address() != branch.address:
            changes["address"] = form.address()
        if not changes:
            messages.info(request, NO_CHANGES)
            return redirect("console-branches")
        try:
            confirmation = administration.edit_branch(admin, branch.branch_id, **changes)
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, confirmation)
            return redirect("console-branches")
    return render(request, "web/console/branch_form.html", {"form": form, "branch": branch})


# --------------------------------------------------------------------------------------------------
# The organisation's details
# --------------------------------------------------------------------------------------------------


@administrator_page
def organisation_detail(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    return render(request, "web/console/organisation.html", {"organisation": organisation})


@administrator_page
def organisation_edit(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    initial: dict[str, Any] = {
        key: getattr(organisation, key)
        for key in ("telephone", "email", "ico_number", "regulator", "regulator_number", "software_house")
    }
    initial.update(OrganisationForm.address_initial(organisation.address))
    form = OrganisationForm(request.POST if request.method == "POST" else None, initial=initial)
    if organisation.org_type != Organisation.Type.CR:
        del form.fields["regulator"], form.fields["regulator_number"]  # claimant representatives only
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {key: data[key] for key in initial if key in form.fields and data.get(key) != initial[key]}
        changes = {k: v for k, v in changes.items() if k not in dict(OrganisationForm.ADDRESS_KEYS)}
        if form.address() != organisation.address:
            changes["address"] = form.address()
        if not changes:
            messages.info(request, NO_CHANGES)
            return redirect("console-organisation")
        try:
            confirmation = administration.edit_organisation(admin, **changes)
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, confirmation)
            return redirect("console-organisation")
    return render(request, "web/console/organisation_edit.html", {"form": form, "organisation": organisation})


# --------------------------------------------------------------------------------------------------
# A2A clients
# --------------------------------------------------------------------------------------------------


def _client_or_404(organisation: Organisation, client_id: str) -> A2AClient:
    client = organisation.a2a_clients.filter(client_id=client_id, revoked_at__isnull=True).first()
    if client is None:
        raise Http404("No such A2A client in your organisation")
    return client


@administrator_page
def a2a_clients(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    return render(
        request,
        "web/console/a2a_clients.html",
        {
            "clients": [
                (client, secret_expires_on(client))
                for client in organisation.a2a_clients.order_by("created_at", "client_id")
            ],
            "now": clock.real_now(),
            "today": clock.real_today(),
        },
    )


@administrator_page
def a2a_new(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    form = A2AClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        confirmation, created = administration.add_a2a_client(admin, name=form.cleaned_data["name"])
        messages.success(request, confirmation)
        return render(
            request,
            "web/console/a2a_secret.html",
            {"client": created.client, "secret": created.secret, "rotated": False},
        )
    return render(request, "web/console/a2a_new.html", {"form": form})


@administrator_page
def a2a_rotate(request: HttpRequest, admin: User, organisation: Organisation, client_id: str) -> HttpResponse:
    client = _client_or_404(organisation, client_id)
    if request.method == "POST":
        confirmation, secret = administration.rotate_a2a_secret(admin, client.client_id)
        client.refresh_from_db()
        messages.success(request, confirmation)
        return render(
            request, "web/console/a2a_secret.html", {"client": client, "secret": secret, "rotated": True}
        )
    grace: timedelta = SECRET_GRACE
    return render(
        request,
        "web/console/a2a_rotate.html",
        {"client": client, "grace_days": grace.days, "until": clock.real_now() + grace},
    )


@administrator_page
def a2a_revoke(request: HttpRequest, admin: User, organisation: Organisation, client_id: str) -> HttpResponse:
    client = _client_or_404(organisation, client_id)
    if request.method == "POST":
        messages.success(request, administration.revoke_a2a_client(admin, client.client_id))
        return redirect("console-a2a")
    return render(request, "web/console/a2a_revoke.html", {"client": client})


# --------------------------------------------------------------------------------------------------
# The audit trail
# --------------------------------------------------------------------------------------------------


def _detail_label(key: str) -> str:
    return DETAIL_LABELS.get(key) or lower_first(field_label(key))


def _detail_value(key: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(lower_first(field_label(str(v))) if key == "fields" else str(v) for v in value)
    if key == "size" and isinstance(value, int):
        return f"{value / 1024:,.0f} KB" if value >= 1024 else f"{value} bytes"
    if key == "sha256" and isinstance(value, str):
        return f"{value[:12]}…"
    if value is None:
        return "not set"
    return str(value)


def describe_details(details: dict[str, Any]) -> str:
    """An audit entry's details in words: "forename: Ann; branch: 002", "changed: name, enabled"."""
    parts = []
    for key, value in details.items():
        if isinstance(value, dict):
            parts += [f"{_detail_label(k)}: {_detail_value(k, v)}" for k, v in value.items()]
        else:
            parts.append(f"{_detail_label(key)}: {_detail_value(key, value)}")
    return "; ".join(parts)


@administrator_page
def audit(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    entries = AuditEntry.objects.filter(organisation=organisation).order_by("-occurred_at", "-pk")
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "action": ACTION_LABELS.get(entry.action, entry.action),
            "details": describe_details(entry.details),
        }
        for entry in page
    ]
    return render(
        request,
        "web/console/audit.html",
        {
            "rows": rows,
            "page": page,
            "page_numbers": list(page.paginator.get_elided_page_range(page.number)),
            "query": "",
        },
    )
