"""A new claim: the draft CNF, section by section (the task list, the compensator, each section,
the check-and-send page), printed as a draft, or deleted (``claims.drafts`` decides)."""

from __future__ import annotations

from dataclasses import dataclass
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
from claimsportal.presentation.cnf import cnf_tree, section_node, sections
from claimsportal.presentation.messages import field_message, plain_text
from claimsportal.presentation.summary import summarise
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.types import ClaimType
from claimsportal.web import pickers
from claimsportal.web.claims import forms
from claimsportal.web.claims.acting import claim_url, with_actor
from claimsportal.web.claims.schema_form import (
    SummaryError,
    adjust_groups,
    attach_errors,
    bind,
    parse_section,
    values_from_data,
    values_from_post,
)
from claimsportal.web.forms import refuse_control_characters

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


@dataclass(frozen=True)
class Task:
    key: str
    label: str
    url: str
    status: str  # completed, incomplete, not-started
    optional: bool


def _problems_by_task(problems: list[ErrorDetail], names: list[str]) -> dict[str, list[ErrorDetail]]:
    out: dict[str, list[ErrorDetail]] = {name: [] for name in [COMPENSATOR_TASK, *names]}
    out[""] = []
    for problem in problems:
        path = problem.field
        if path == "compensator" or path.startswith(f"{forms.INSURER_PATH}.insurerOrganization"):
            out[COMPENSATOR_TASK].append(problem)
            continue
        parts = path.split(".")
        if len(parts) >= 2 and parts[0] == "cnf" and parts[1] in out:
            out[parts[1]].append(problem)
        else:
            out[""].append(problem)
    return out


def _tasks(draft: Claim, problems: list[ErrorDetail]) -> list[Task]:
    number = format_application_id(draft.pk)
    cnf = draft.cnf or {}
    nodes = sections(draft.claim_type)
    by_task = _problems_by_task(problems, [n.name for n in nodes])
    chosen = (
        forms.insurer_values(cnf)["insurerOrganizationPath"]
        or forms.insurer_values(cnf)["insurerOrganizationID"]
    )
    tasks = [
        Task(
            COMPENSATOR_TASK,
            "Compensator",
            reverse("claims:draft-compensator", args=[number]),
            "completed" if chosen and not by_task[COMPENSATOR_TASK] else "not-started",
            False,
        )
    ]
    for node in nodes:
        if node.name not in cnf:
            status = "not-started"
        else:
            status = "incomplete" if by_task[node.name] else "completed"
        tasks.append(
            Task(
                node.name,
                node.label,
                reverse("claims:draft-section", args=[number, node.name]),
                status,
                not node.required,
            )
        )
    return tasks


@with_actor
def draft_tasks(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
    problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
    tasks = _tasks(draft, problems)
    return render(
        request,
        "web/claims/draft_tasks.html",
        {
            "draft": draft,
            "application_id": format_application_id(draft.pk),
            "tasks": tasks,
            "done": sum(1 for t in tasks if t.status == "completed"),
            "compensator": _compensator_name(draft),
        },
    )


def _compensator_name(draft: Claim) -> str:
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
                return redirect("claims:draft", number)
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
            "current": _compensator_name(draft),
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


def _next_section(claim_type: str, name: str) -> str | None:
    names = [n.name for n in sections(claim_type)]
    index = names.index(name)
    return names[index + 1] if index + 1 < len(names) else None


@with_actor
@require_http_methods(["GET", "POST"])
def draft_section(request: HttpRequest, actor: Actor, application_id: str, section: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
    number = format_application_id(draft.pk)
    node = section_node(draft.claim_type, section)
    if node is None:
        raise Http404("No such section")
    settings = forms.cnf_settings(draft.claim_type, draft.cnf)
    errors: list[SummaryError] = []
    error_message = ""
    stored = (draft.cnf or {}).get(section)
    if request.method == "GET":
        values = values_from_data(node, forms.with_firm_details(section, stored, actor.user_pk))
        root = bind(node, values, settings)
        if stored is not None and request.GET.get("check"):
            problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
            errors = attach_errors(root, _problems_by_task(problems, [section])[section])
    else:
        posted = values_from_post(request.POST)
        if "_add" in request.POST or "_remove" in request.POST:  # the groups as typed, one more or less
            root = bind(node, adjust_groups(node, posted, request.POST), settings)
        else:
            value, compact = parse_section(node, posted, settings)
            try:
                refuse_control_characters(value, node.path)
                drafts.update_draft(
                    actor,
                    draft.pk,
                    str(request.POST.get("activityEngineGuid", "")),
                    sections={section: value},
                )
            except PortalError as error:
                if error.code == "NOT_FOUND":
                    raise
                draft = drafts.get_draft(actor, draft.pk)
                root = bind(node, compact, settings)
                errors = attach_errors(root, [d for d in error.details if d.field != "activityEngineGuid"])
                error_message = plain_text(error.message)
            else:
                if request.POST.get("_action") == "later":
                    messages.success(request, f"{node.label}: saved")
                    return redirect("claims:draft", number)
                problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
                mine = _problems_by_task(problems, [section])[section]
                if not mine:
                    following = _next_section(draft.claim_type, section)
                    messages.success(request, f"{node.label}: saved")
                    if following is None:
                        return redirect("claims:draft-check", number)
                    return redirect("claims:draft-section", number, following)
                draft = drafts.get_draft(actor, draft.pk)
                root = bind(node, compact, settings)
                errors = attach_errors(root, mine)
                error_message = "Your answers have been saved. Correct these before you send the claim:"
    return render(
        request,
        "web/claims/draft_section.html",
        {
            "draft": draft,
            "application_id": number,
            "section": node,
            "form": root,
            "errors": errors,
            "error_message": error_message,
        },
    )


@with_actor
@require_http_methods(["GET", "POST"])
def draft_check(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
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
    cnf = draft.cnf or {}
    nodes = sections(draft.claim_type)
    by_task = _problems_by_task(problems, [n.name for n in nodes])
    errors: list[SummaryError] = []
    if by_task[COMPENSATOR_TASK]:
        errors.append(
            SummaryError(
                f"Compensator: {CHOOSE_COMPENSATOR.lower()}",
                reverse("claims:draft-compensator", args=[number]),
            )
        )
    blocks = []
    for node in nodes:
        url = reverse("claims:draft-section", args=[number, node.name])
        section_problems = by_task[node.name]
        if section_problems:
            root = bind(
                node, values_from_data(node, cnf.get(node.name)), forms.cnf_settings(draft.claim_type, cnf)
            )
            errors.extend(attach_errors(root, section_problems, href_prefix=f"{url}?check=1"))
        blocks.append(
            {
                "node": node,
                "url": url,
                "present": node.name in cnf,
                "groups": summarise(node, cnf.get(node.name), heading="") if node.name in cnf else [],
            }
        )
    for problem in by_task[""]:
        errors.append(
            SummaryError(field_message(problem, None) if problem.field else plain_text(problem.message), "")
        )
    return render(
        request,
        "web/claims/draft_check.html",
        {
            "draft": draft,
            "application_id": number,
            "blocks": blocks,
            "errors": errors,
            "error_message": error_message,
            "compensator": _compensator_name(draft),
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
