"""Claims transfers in the consoles (ADMINISTRATION.md §3): an Administrator files a request, the other
organisation's Administrator agrees or declines, the operator approves and schedules it or rejects it;
all three see the dry run before, and the report (downloadable as CSV) after.

Every decision is ``transfers.services``' (which checks who may, audits and e-mails both contacts).
A transfer of other organisations is "not found".
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from claimsportal.organisations import administration
from claimsportal.organisations.administration import AUDIT_CONFIRMATION
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.errors import PortalError
from claimsportal.transfers import plans, rules, services
from claimsportal.transfers.models import Transfer, TransferResult
from claimsportal.web import pickers
from claimsportal.web.account.forms import add_portal_error
from claimsportal.web.console.access import administrator_page, console_page, forbidden
from claimsportal.web.console.transfer_forms import ReasonForm, ScheduleForm, TransferRequestForm

REQUEST_FIELDS = {
    "sourceOrganisation": "other_organisation",
    "destinationOrganisation": "other_organisation",
    "preferredDate": "when_day",
    "claims": "claims_file",
    "sendingContactName": "source_contact_name",
    "sendingContactEmail": "source_contact_email",
    "sendingContactPhone": "source_contact_phone",
    "receivingContactName": "destination_contact_name",
    "receivingContactEmail": "destination_contact_email",
    "receivingContactPhone": "destination_contact_phone",
}
STATUS_TAGS = {
    Transfer.Status.REQUESTED: "govuk-tag--blue",
    Transfer.Status.AGREED: "govuk-tag--turquoise",
    Transfer.Status.DECLINED: "govuk-tag--grey",
    Transfer.Status.APPROVED: "govuk-tag--green",
    Transfer.Status.REJECTED: "govuk-tag--red",
    Transfer.Status.RUNNING: "govuk-tag--yellow",
    Transfer.Status.DONE: "govuk-tag--green",
}
REPORT_ROWS = 200  # shown on the page; the CSV has them all


def _transfer_or_404(user: User, reference: str) -> Transfer:
    try:
        return services.get_transfer(user, reference)
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise Http404(error.message) from None
        raise


def _row(transfer: Transfer) -> dict[str, Any]:
    return {
        "transfer": transfer,
        "status": Transfer.Status(transfer.status).label,
        "tag": STATUS_TAGS[Transfer.Status(transfer.status)],
        "option": Transfer.Option(transfer.option).label,
    }


@console_page
def transfers(request: HttpRequest, user: User) -> HttpResponse:
    try:
        found = services.visible_transfers(user)
    except PortalError as error:
        return forbidden(request, error.message)
    return render(
        request,
        "web/console/transfers.html",
        {"rows": [_row(t) for t in found[:200]], "administrator": not user.is_operator},
    )


PICKED = ("other_organisation", "destination_branch", "destination_user")  # the console's pickers


def _pickers(
    form: TransferRequestForm, organisation: Organisation, post: Mapping[str, Any]
) -> dict[str, pickers.Picker]:
    """The pickers of the request: our branch and our user (receiving), and for a compensator the other
    compensator. Their values are checked again by the service."""

    def build(name: str, kind: str, label: str, hint: str, *, optional: bool = False) -> pickers.Picker:
        bound = form[name]
        return pickers.build_picker(
            pickers.console_source_for(organisation, kind),
            name=name,
            id=str(bound.auto_id),
            label=label,
            hint=hint,
            kind=kind,
            value=str(
                post.get(name, "") or (form.initial.get(name, "") if not form.is_bound else "")
            ).strip(),
            query=str(post.get(f"{name}-q", "")),
            errors=[str(e) for e in bound.errors],
            empty_text="Choose one" if not optional else "Nobody (leave the claims unallocated)",
            optional=optional,
            url_name="console-picker",
        )

    found = {
        "destination_branch": build(
            "destination_branch",
            "branch",
            "Your receiving branch",
            "Where the claims go in your organisation (the list of claims can say otherwise per claim)",
        ),
        "destination_user": build(
            "destination_user",
            "user",
            "Your user to allocate the claims to (optional)",
            "One of your organisation's claims users",
            optional=True,
        ),
    }
    if organisation.org_type == Organisation.Type.COMP:
        found["other_organisation"] = build(
            "other_organisation",
            "compensator",
            "The other compensator",
            "The compensator sending or receiving the claims",
        )
    return found


def _request_fields(sending: bool) -> dict[str, str]:
    """Where the service's errors show: the other organisation's fields are typed, ours are chosen."""
    return {
        **REQUEST_FIELDS,
        "otherOrganisation": "other_organisation",
        "sourceBranches": "source_branches" if sending else "source_branch_ids",
        "destinationBranch": "destination_branch_id" if sending else "destination_branch",
        "destinationUser": "destination_user_id" if sending else "destination_user",
    }


def _service_form(form: TransferRequestForm, organisation: Organisation, when: date) -> services.TransferForm:
    data = form.cleaned_data
    sending = data["direction"] == "send"
    upload = data.get("claims_file")
    other = data["other_organisation"]
    return services.TransferForm(
        source_org_id=organisation.org_id if sending else other,
        destination_org_id=other if sending else organisation.org_id,
        option=data["option"],
        preferred_date=when,
        source_contact=services.Contact(
            data["source_contact_name"], data["source_contact_email"], data["source_contact_phone"]
        ),
        destination_contact=services.Contact(
            data["destination_contact_name"],
            data["destination_contact_email"],
            data["destination_contact_phone"],
        ),
        destination_branch_id=data["destination_branch_id"] if sending else data["destination_branch"],
        destination_user_id=(data["destination_user_id"] if sending else data["destination_user"]) or "",
        source_branch_ids=tuple(data["source_branches"])
        if sending
        else tuple((data["source_branch_ids"] or "").split(",")),
        claims_csv=upload.read() if upload is not None and data["option"] == Transfer.Option.LIST else None,
    )


@administrator_page
def transfer_new(request: HttpRequest, admin: User, organisation: Organisation) -> HttpResponse:
    """The request, on one page that works without JavaScript: the fields of each direction are in the
    conditional reveal of its answer. A claimant representative's typed organisation ID is looked up
    exactly ("Find", or on the first "Ask for the transfer") and its name shown back: nothing is filed
    until the page has shown the name of the organisation the request will name."""
    posted = request.method == "POST"
    form = TransferRequestForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={
            "destination_branch_id": "001",
            "destination_branch": "001",
            "direction": "send",
            "option": Transfer.Option.ALL,
        },
        organisation=organisation,
    )
    compensator = organisation.org_type == Organisation.Type.COMP
    finding = posted and "_find" in request.POST
    searching = posted and any(pickers.searching(request.POST, name) for name in PICKED)
    other: Organisation | None = None
    other_error = ""
    typed = str(request.POST.get("other_organisation", "")).strip() if posted else ""
    if typed:
        try:
            other = services.other_organisation(organisation, typed)
        except PortalError as error:
            other_error = error.message
    confirm = False
    if posted and (finding or searching):
        form.quiet()
        if finding and not compensator and (other_error or not typed):
            form.add_error("other_organisation", other_error or "Enter the other organisation's ID")
    elif posted and form.is_valid():
        when = form.preferred_date()
        shown = str(request.POST.get("other_shown", "")).strip().upper()
        if other_error:
            form.add_error("other_organisation", other_error)
        elif not compensator and other is not None and shown != other.org_id.upper():
            confirm = True  # the name is shown first: "Ask for the transfer" again files it
        elif when is not None:
            try:
                transfer = services.request_transfer(admin, _service_form(form, organisation, when))
            except PortalError as error:
                add_portal_error(form, error, _request_fields(form.cleaned_data["direction"] == "send"))
            else:
                messages.success(
                    request,
                    f"{AUDIT_CONFIRMATION} Transfer {transfer.reference} has been requested; both primary "
                    "contacts have been e-mailed. The other organisation's Administrator must now agree to it.",
                )
                return redirect("console-transfer", reference=transfer.reference)
    elif posted and other_error and "other_organisation" not in form.errors:
        form.add_error("other_organisation", other_error)
    if form.errors.get("other_organisation"):
        other = None  # no name is shown beside an error
    return render(
        request,
        "web/console/transfer_new.html",
        {
            "form": form,
            "organisation": organisation,
            "compensator": compensator,
            "pickers": _pickers(form, organisation, request.POST if posted else {}),
            "other": other,
            "confirm": confirm,
            "file_again": confirm and bool(request.FILES),
            "sending": form.sending if posted else True,
            "notice_web": rules.NOTICE_WEB,
            "notice_a2a": rules.NOTICE_A2A,
        },
    )


@require_GET
@administrator_page
def console_picker(request: HttpRequest, admin: User, organisation: Organisation, kind: str) -> HttpResponse:
    """``GET /console/pick/<kind>/?q=…``: the search as you type of the transfer request's pickers, for
    an Administrator: their own organisation's branches or claims users, or (a compensator's) the other
    compensators. Anything else is not found."""
    if kind not in pickers.CONSOLE_KINDS:
        raise Http404("No such list")
    return pickers.options_json(pickers.console_source_for(organisation, kind), str(request.GET.get("q", "")))


def _may_agree(user: User, transfer: Transfer) -> bool:
    if user.is_operator or transfer.status != Transfer.Status.REQUESTED:
        return False
    organisation = administration.check_administrator(user)
    requester_is_source = transfer.source_admin_id is not None
    return organisation.pk == (transfer.destination_id if requester_is_source else transfer.source_id)


@console_page
def transfer_detail(request: HttpRequest, user: User, reference: str) -> HttpResponse:
    try:
        transfer = _transfer_or_404(user, reference)
    except PortalError as error:
        return forbidden(request, error.message)
    running = transfer.status in (Transfer.Status.RUNNING, Transfer.Status.DONE)
    dry = None if running else plans.dry_run(plans.Plan.of(transfer))
    report = None
    if running:
        report = (
            transfer.results.exclude(outcome=TransferResult.Outcome.MOVED)
            .order_by("application_id")
            .values_list("application_id", "outcome", "reason")[:REPORT_ROWS]
        )
    return render(
        request,
        "web/console/transfer.html",
        {
            **_row(transfer),
            "dry": dry,
            "report": report,
            "may_agree": _may_agree(user, transfer),
            "may_decide": user.is_operator and transfer.status == Transfer.Status.AGREED,
            "may_reject": user.is_operator
            and transfer.status
            in (Transfer.Status.REQUESTED, Transfer.Status.AGREED, Transfer.Status.APPROVED),
            "notice_days": services.notice_days(transfer.source, transfer.destination),
            "earliest": services.earliest_date(transfer.source, transfer.destination, transfer.requested_on),
        },
    )


@require_POST
@console_page
def transfer_agree(request: HttpRequest, user: User, reference: str) -> HttpResponse:
    try:
        services.agree(user, reference)
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise Http404(error.message) from None
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{AUDIT_CONFIRMATION} The operator will now approve and schedule the transfer."
        )
    return redirect("console-transfer", reference=reference)


def _reason_page(request: HttpRequest, user: User, reference: str, *, operator: bool) -> HttpResponse:
    transfer = _transfer_or_404(user, reference)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if operator:
                services.reject(user, reference, form.cleaned_data["reason"])
            else:
                services.decline(user, reference, form.cleaned_data["reason"])
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(
                request, f"{AUDIT_CONFIRMATION} Both primary contacts have been e-mailed the reason."
            )
            return redirect("console-transfer", reference=transfer.reference)
    return render(
        request,
        "web/console/transfer_reason.html",
        {"form": form, "transfer": transfer, "action": "Reject" if operator else "Decline"},
    )


@console_page
def transfer_decline(request: HttpRequest, user: User, reference: str) -> HttpResponse:
    try:
        return _reason_page(request, user, reference, operator=False)
    except PortalError as error:
        return forbidden(request, error.message)


@console_page
def transfer_reject(request: HttpRequest, user: User, reference: str) -> HttpResponse:
    if not user.is_operator:
        return forbidden(request, services.OPERATOR_ONLY)
    return _reason_page(request, user, reference, operator=True)


@console_page
def transfer_approve(request: HttpRequest, user: User, reference: str) -> HttpResponse:
    if not user.is_operator:
        return forbidden(request, services.OPERATOR_ONLY)
    transfer = _transfer_or_404(user, reference)
    form = ScheduleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        when = form.date_value()
        if when is None and not form.errors:
            form.add_error("when_day", "Enter the date of the transfer")
        if when is not None:
            try:
                services.approve(user, reference, when)
            except PortalError as error:
                add_portal_error(form, error, {"scheduledFor": "when_day"})
            else:
                messages.success(
                    request,
                    f"{AUDIT_CONFIRMATION} The transfer is scheduled; both primary contacts have been e-mailed.",
                )
                return redirect("console-transfer", reference=transfer.reference)
    return render(
        request,
        "web/console/transfer_approve.html",
        {
            "form": form,
            "transfer": transfer,
            "notice_days": services.notice_days(transfer.source, transfer.destination),
            "earliest": services.earliest_date(transfer.source, transfer.destination, transfer.requested_on),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@console_page
def transfer_report(request: HttpRequest, user: User, reference: str) -> HttpResponse:
    """The report as CSV: every claim, its outcome and the reason."""
    try:
        transfer = _transfer_or_404(user, reference)
    except PortalError as error:
        return forbidden(request, error.message)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(["applicationId", "outcome", "reason", "phase"])
        results = transfer.results.order_by("application_id").values_list(
            "application_id", "outcome", "reason", "phase"
        )
        for application_id, outcome, reason, phase in results.iterator(chunk_size=5000):
            yield writer.writerow([f"{application_id:08d}", outcome, reason, phase])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transfer-{transfer.reference}.csv"'
    # Streamed (a report may hold 100,000 rows); the console's decorators are typed for HttpResponse.
    return cast(HttpResponse, response)
