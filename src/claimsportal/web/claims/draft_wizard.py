"""A new claim: the draft CNF, section by section (the task list, the compensator, each section,
the check-and-send page), printed as a draft, or deleted (``claims.drafts`` decides)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from claimsportal.claims import drafts
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.documents.models import PrintableDocument
from claimsportal.documents.printable import document_title
from claimsportal.presentation.cnf import cnf_tree
from claimsportal.presentation.messages import plain_text
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.types import ClaimType
from claimsportal.web import pickers
from claimsportal.web.claims import forms
from claimsportal.web.claims.acting import claim_url, with_actor
from claimsportal.web.claims.draft_pages import (
    Task,
    check_answers,
    draft_pages,
    is_compensator_problem,
    run_page,
    task_groups,
)
from claimsportal.web.claims.pages import FormPage, find_page, next_page, previous_page
from claimsportal.web.claims.schema_form import SummaryError

COMPENSATOR_TASK = "compensator"
CHOOSE_COMPENSATOR = "Choose the compensator before sending the claim"


CLAIM_TYPE_CHOICES = [
    ("RTA", "Road traffic accident (RTA)"),
    ("EL", "Employers' liability, accident (EL)"),
    ("ELD", "Employers' liability, disease (ELD)"),
    ("PL", "Public liability (PL)"),
]


@with_actor
@require_http_methods(["GET", "POST"])
def new_claim(request: HttpRequest, actor: Actor) -> HttpResponse:
    error: PortalError | None = None
    chosen = ""
    if request.method == "POST":
        chosen = str(request.POST.get("claimType", ""))
        try:
            info = drafts.create_draft(actor, chosen)
        except PortalError as refused:
            error = refused
        else:
            messages.success(request, f"Draft {format_application_id(info.application_id)} created")
            return redirect("claims:draft", format_application_id(info.application_id))
    errors = []
    field_errors = []
    if error is not None:  # the service's message, beside the one question of the page
        shown = plain_text(error.message)
        field_errors = [shown]
        errors = [SummaryError(shown, "#claimType")]
    return render(
        request,
        "web/claims/new_claim.html",
        {"choices": CLAIM_TYPE_CHOICES, "chosen": chosen, "errors": errors, "field_errors": field_errors},
    )


@with_actor
def draft_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/claims/drafts.html", {"drafts": drafts.list_drafts(actor)})


def page_url(number: str, page: FormPage) -> str:
    return reverse("claims:draft-page", args=[number, page.section, page.key])


def _litigant_redirect(actor: Actor) -> HttpResponse | None:
    """The unrepresented claimant fills the form one question a page, in their own journey."""
    return redirect("litigant-form") if actor.litigant_in_person else None


@with_actor
def draft_tasks(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
    if (elsewhere := _litigant_redirect(actor)) is not None:
        return elsewhere
    number = format_application_id(draft.pk)
    problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
    pages, _ = draft_pages(actor, draft)
    groups = task_groups(pages, draft.cnf, problems, lambda page: page_url(number, page))
    chosen = (
        forms.insurer_values(draft.cnf)["insurerOrganizationPath"]
        or forms.insurer_values(draft.cnf)["insurerOrganizationID"]
    )
    compensator = Task(
        COMPENSATOR_TASK,
        "Compensator",
        reverse("claims:draft-compensator", args=[number]),
        "completed" if chosen and not any(is_compensator_problem(p) for p in problems) else "not-started",
        False,
    )
    tasks = [compensator, *(task for group in groups for task in group.tasks)]
    return render(
        request,
        "web/claims/draft_tasks.html",
        {
            "draft": draft,
            "application_id": number,
            "compensator_task": compensator,
            "groups": groups,
            "tasks": tasks,
            "done": sum(1 for t in tasks if t.status == "completed"),
            "compensator": compensator_name(draft),
        },
    )


def compensator_name(draft: Claim) -> str:
    node: Any = draft.cnf or {}
    for part in forms.INSURER_PATH.split(".")[1:]:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return ""
    ident = node.get("insurerOrganizationID") or node.get("insurerOrganizationPath") or ""
    name = node.get("insurerName") or ""
    return f"{name} ({ident})" if name and ident else str(ident)


@with_actor
@require_http_methods(["GET", "POST"])
def draft_compensator(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
    number = format_application_id(draft.pk)
    rta = draft.claim_type == ClaimType.RTA.value
    source = str(request.POST.get("source") or request.GET.get("source") or "directory")
    source = source if source == "index" and rta else "directory"
    chosen = str(request.POST.get("compensator", ""))
    errors: list[SummaryError] = []
    searching = request.method == "POST" and (
        pickers.searching(request.POST, "compensator") or "_source" in request.POST
    )
    if request.method == "POST" and not searching:
        picked = pickers.compensator_choice(ClaimType(draft.claim_type), source == "index", chosen)
        if picked is None:
            errors = [SummaryError("Compensator: choose the compensator the claim is for", "#compensator")]
        else:
            try:
                drafts.update_draft(
                    actor,
                    draft.pk,
                    str(request.POST.get("activityEngineGuid", "")),
                    sections={"claimAndClaimantDetails": _with_compensator(draft, picked)},
                )
            except PortalError as error:
                if error.code == "NOT_FOUND":
                    raise
                errors = [SummaryError(plain_text(error.message), "")]
                draft = drafts.get_draft(actor, draft.pk)
            else:
                messages.success(request, f"The claim will be sent to {picked['label']}")
                return _litigant_redirect(actor) or redirect("claims:draft", number)
    params = {"claim": number, "source": source}
    picker = pickers.build_picker(
        pickers.source_for(actor, "compensator", params),
        name="compensator",
        id="compensator",
        label="Name of the compensator or insurer",
        hint="Part of the name is enough",
        kind="compensator",
        params=params,
        value="" if "_source" in request.POST else chosen,
        query=str(request.POST.get("compensator-q") or request.GET.get("name") or ""),
        errors=["Choose the compensator the claim is for"] if errors and errors[0].href else [],
        always_search=True,
        params_from="source",
    )
    return render(
        request,
        "web/claims/draft_compensator.html",
        {
            "draft": draft,
            "application_id": number,
            "rta": rta,
            "source": source,
            "picker": picker,
            "errors": errors,
            "current": compensator_name(draft),
        },
    )


def _with_compensator(draft: Claim, picked: dict[str, str]) -> dict[str, Any]:
    """The claim and claimant details section with the chosen compensator in ``insurerInformation``."""
    cnf = dict(draft.cnf or {})
    section = dict(cnf.get("claimAndClaimantDetails") or {})
    defendant = dict(section.get("defendantDetails") or {})
    insurer = dict(defendant.get("insurerInformation") or {})
    insurer["insurerOrganizationID"] = picked["id"]
    insurer["insurerOrganizationPath"] = picked["path"]
    insurer["insurerName"] = picked["insurer"]
    tree = cnf_tree(draft.claim_type)
    if tree.find("claimAndClaimantDetails.defendantDetails.insurerInformation.insurerType") is not None:
        insurer["insurerType"] = "M" if picked["type"] == "M" else "I"
    defendant["insurerInformation"] = insurer
    section["defendantDetails"] = defendant
    return section


@with_actor
@require_GET
def draft_section(request: HttpRequest, actor: Actor, application_id: str, section: str) -> HttpResponse:
    """A section's first page (the section's address before it was split into pages)."""
    draft = drafts.get_draft(actor, application_id)
    pages, _ = draft_pages(actor, draft)
    first = next((page for page in pages if page.section == section), None)
    if first is None:
        raise Http404("No such section")
    return redirect(page_url(format_application_id(draft.pk), first))


@with_actor
@require_http_methods(["GET", "POST"])
def draft_page(
    request: HttpRequest, actor: Actor, application_id: str, section: str, page: str
) -> HttpResponse:
    """One page of the draft CNF (one topic): "Save and continue" goes to the next page, then to the
    check; "Save and come back later" to the task list."""
    draft = drafts.get_draft(actor, application_id)
    if (elsewhere := _litigant_redirect(actor)) is not None:
        return elsewhere
    number = format_application_id(draft.pk)
    pages, settings = draft_pages(actor, draft)
    current = find_page(pages, section, page)
    if current is None:
        raise Http404("No such page")
    state = run_page(request, actor, draft, current, settings)
    if state.later:
        messages.success(request, f"{current.title}: saved")
        return redirect("claims:draft", number)
    if state.done:
        messages.success(request, f"{current.title}: saved")
        following = next_page(pages, current)
        return redirect(
            page_url(number, following) if following else reverse("claims:draft-check", args=[number])
        )
    before = previous_page(pages, current)
    index = pages.index(current)
    return render(
        request,
        "web/claims/draft_section.html",
        {
            "draft": state.draft,
            "application_id": number,
            "page": current,
            "section_label": current.section_node.label,
            "position": index + 1,
            "count": len(pages),
            "back_url": page_url(number, before) if before else reverse("claims:draft", args=[number]),
            "back_text": f"Back to {before.title.lower()}"
            if before
            else f"Back to the sections of draft {number}",
            "form": state.form,
            "errors": state.errors,
            "error_message": state.error_message,
        },
    )


@with_actor
@require_http_methods(["GET", "POST"])
def draft_check(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
    if (elsewhere := _litigant_redirect(actor)) is not None:
        return elsewhere
    number = format_application_id(draft.pk)
    error_message = ""
    problems: list[ErrorDetail]
    if request.method == "POST":
        try:
            info = drafts.send_draft(actor, draft.pk, str(request.POST.get("activityEngineGuid", "")))
        except PortalError as error:
            if error.code == "NOT_FOUND":
                raise
            error_message = plain_text(error.message)
            problems = list(error.details)
            draft = drafts.get_draft(actor, draft.pk)
            if error.code == "STALE_ACTIVITY_GUID":
                problems = []
        else:
            messages.success(
                request,
                f"Claim {format_application_id(info.application_id)} sent: it is now at {info.phase_name}",
            )
            return redirect(claim_url(info.application_id))
    else:
        problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
    pages, settings = draft_pages(actor, draft)
    errors: list[SummaryError] = []
    if any(is_compensator_problem(p) for p in problems):
        errors.append(
            SummaryError(
                f"Compensator: {CHOOSE_COMPENSATOR.lower()}",
                reverse("claims:draft-compensator", args=[number]),
            )
        )
    blocks, page_errors = check_answers(
        pages, draft.cnf, problems, settings, lambda page: page_url(number, page)
    )
    errors.extend(page_errors)
    return render(
        request,
        "web/claims/draft_check.html",
        {
            "draft": draft,
            "application_id": number,
            "blocks": blocks,
            "errors": errors,
            "error_message": error_message,
            "compensator": compensator_name(draft),
        },
    )


@with_actor
@require_GET
def draft_print(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    """The draft's CNF as a PDF marked "Draft - not sent" (nothing is stored)."""
    from claimsportal.documents.rendering import draft_cnf_pdf  # WeasyPrint loads on first use

    draft = drafts.get_draft(actor, application_id)
    pdf = draft_cnf_pdf(draft, document_title(PrintableDocument.Kind.CNF, draft.claim_type), clock.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="draft-{format_application_id(draft.pk)}-cnf.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@with_actor
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
    number = format_application_id(draft.pk)
    errors: list[SummaryError] = []
    if request.method == "POST":
        try:
            drafts.delete_draft(actor, draft.pk, str(request.POST.get("activityEngineGuid", "")))
        except PortalError as error:
            if error.code == "NOT_FOUND":
                raise
            errors = [SummaryError(plain_text(error.message), "")]
            draft = drafts.get_draft(actor, draft.pk)
        else:
            messages.success(request, f"Draft {number} deleted")
            return redirect("claims:drafts")
    return render(
        request,
        "web/claims/draft_delete.html",
        {"draft": draft, "application_id": number, "errors": errors},
    )
