"""The operator's console (users with ``is_operator``): the queue of registration applications with
their 5-working-day target, approval and rejection; the user agreement's versions.

The online registration form itself is public (anyone may apply) and ends on a confirmation page with
the reference and the target date. Every decision is ``organisations.registration``'s, audited there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from claimsportal.organisations import accounts, registration
from claimsportal.organisations.administration import AUDIT_CONFIRMATION
from claimsportal.organisations.models import Organisation, OrganisationApplication, User, UserAgreement
from claimsportal.protocols.errors import PortalError
from claimsportal.web.account.forms import add_portal_error
from claimsportal.web.console.access import operator_page
from claimsportal.web.console.forms import (
    CLAIM_TYPE_LABELS,
    AgreementPublishForm,
    RegistrationForm,
    RejectForm,
)

REGISTRATION_KEY = "cp_registration"  # the answers, between the form and "Check your answers"
REGISTRATION_DONE_KEY = "cp_registration_done"  # the reference and target date, for the confirmation
CLAIM_TYPE_NAMES = dict(CLAIM_TYPE_LABELS)


def _application_or_404(reference: str) -> OrganisationApplication:
    application = OrganisationApplication.objects.filter(reference=reference).first()
    if application is None:
        raise Http404("No such application")
    return application


def application_summary(application: OrganisationApplication | dict[str, Any]) -> list[tuple[str, str, str]]:
    """The answers of an application, as "Check your answers" and the operator show them: (question,
    answer, the id of the form's field that asks it)."""

    def get(name: str) -> Any:
        if isinstance(application, dict):
            return application.get(name, "")
        return getattr(application, name)

    address = get("address") or {}
    org_type = get("org_type")
    rows = [
        ("Organisation type", dict(Organisation.Type.choices).get(org_type, org_type), "id_org_type_0"),
        (
            "Claims handled",
            ", ".join(CLAIM_TYPE_NAMES.get(c, c) for c in get("claim_types")),
            "id_claim_types_0",
        ),
        ("Organisation name", get("name"), "id_name"),
        ("Address", ", ".join(v for v in address.values() if v), "id_street1"),
        ("Telephone", get("telephone"), "id_telephone"),
        ("Organisation e-mail address", get("email"), "id_email"),
        ("ICO registration number", get("ico_number"), "id_ico_number"),
    ]
    if org_type == Organisation.Type.CR:
        rows += [
            ("Regulator", get("regulator"), "id_regulator"),
            ("Regulator's number", get("regulator_number"), "id_regulator_number"),
        ]
    else:
        compensator_types = dict(Organisation.CompensatorType.choices)
        rows.append(
            ("Compensator type", compensator_types.get(get("compensator_type"), ""), "id_compensator_type")
        )
    rows += [
        ("Software house", get("software_house") or "None", "id_software_house"),
        ("Branches besides head office", ", ".join(get("branches")) or "None", "id_branches"),
        ("Administrator's user ID", get("admin_user_id"), "id_admin_user_id"),
        ("Administrator's name", f"{get('admin_forename')} {get('admin_surname')}", "id_admin_forename"),
        ("Administrator's business e-mail address", get("admin_email"), "id_admin_email"),
    ]
    return rows


# --------------------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------------------


@operator_page
def applications(request: HttpRequest, operator: User) -> HttpResponse:
    pending = list(registration.pending_applications(operator))
    rows = [{"application": a, "overdue": registration.is_overdue(a)} for a in pending]
    decided = OrganisationApplication.objects.exclude(status=OrganisationApplication.Status.PENDING).order_by(
        "-decided_at"
    )[:20]
    return render(request, "web/console/applications.html", {"rows": rows, "decided": decided})


@operator_page
def application_detail(request: HttpRequest, operator: User, reference: str) -> HttpResponse:
    application = _application_or_404(reference)
    return render(
        request,
        "web/console/application.html",
        {
            "application": application,
            "answers": application_summary(application),
            "overdue": registration.is_overdue(application),
            "pending": application.status == OrganisationApplication.Status.PENDING,
        },
    )


@require_POST
@operator_page
def application_approve(request: HttpRequest, operator: User, reference: str) -> HttpResponse:
    _application_or_404(reference)
    try:
        organisation = registration.approve(operator, reference)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("console-application", reference=reference)
    messages.success(
        request,
        f"{AUDIT_CONFIRMATION} {organisation.name} is now {organisation.org_id}; its Administrator has been "
        "e-mailed their user ID and a code to set their password.",
    )
    return redirect("console-applications")


@operator_page
def application_reject(request: HttpRequest, operator: User, reference: str) -> HttpResponse:
    application = _application_or_404(reference)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.reject(operator, reference, form.cleaned_data["reason"])
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(
                request, f"{AUDIT_CONFIRMATION} The applicant has been e-mailed the reason for the rejection."
            )
            return redirect("console-applications")
    return render(request, "web/console/application_reject.html", {"form": form, "application": application})


# --------------------------------------------------------------------------------------------------
# The user agreement
# --------------------------------------------------------------------------------------------------


@operator_page
def agreements(request: HttpRequest, operator: User) -> HttpResponse:
    versions = UserAgreement.objects.annotate(accepted_by=Count("acceptances")).order_by("-published_at")
    return render(
        request,
        "web/console/agreements.html",
        {"versions": versions, "current": accounts.current_agreement()},
    )


@operator_page
def agreement_new(request: HttpRequest, operator: User) -> HttpResponse:
    form = AgreementPublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.publish_agreement(operator, **form.cleaned_data)
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, AUDIT_CONFIRMATION)
            return redirect("console-agreements")
    return render(request, "web/console/agreement_new.html", {"form": form})


# --------------------------------------------------------------------------------------------------
# The online registration (public)
# --------------------------------------------------------------------------------------------------


@never_cache
def register(request: HttpRequest) -> HttpResponse:
    saved = request.session.get(REGISTRATION_KEY)
    form = RegistrationForm(request.POST if request.method == "POST" else None, initial=saved or {})
    if request.method == "POST" and form.is_valid():
        request.session[REGISTRATION_KEY] = dict(form.cleaned_data)
        return redirect("console-register-check")
    return render(request, "web/console/register.html", {"form": form})


@never_cache
def register_check(request: HttpRequest) -> HttpResponse:
    saved = request.session.get(REGISTRATION_KEY)
    if not saved:
        return render(request, "web/console/register_none.html")
    form = RegistrationForm(saved)
    if not form.is_valid():  # answers of an older form: ask again
        return render(request, "web/console/register.html", {"form": form})
    if request.method == "POST":
        try:
            application = registration.submit_application(**form.service_fields())
        except PortalError as error:
            add_portal_error(form, error, RegistrationForm.SERVICE_FIELDS)
            return render(request, "web/console/register.html", {"form": form})
        request.session.pop(REGISTRATION_KEY, None)
        request.session[REGISTRATION_DONE_KEY] = {
            "reference": application.reference,
            "due_on": application.due_on.isoformat(),
            "email": application.admin_email,
        }
        return redirect("console-register-done")
    return render(
        request,
        "web/console/register_check.html",
        {"answers": application_summary(form.service_fields())},
    )


@never_cache
def register_done(request: HttpRequest) -> HttpResponse:
    done = request.session.get(REGISTRATION_DONE_KEY)
    if not done:
        return render(request, "web/console/register_none.html")
    return render(
        request,
        "web/console/register_done.html",
        {
            "reference": done["reference"],
            "due_on": date.fromisoformat(done["due_on"]),
            "email": done["email"],
            "working_days": registration.TARGET_WORKING_DAYS,
        },
    )
