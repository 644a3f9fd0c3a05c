"""Working on claims in the browser: the worklist, the claim page, every operation as a page, draft
CNFs section by section, search and notifications.

Views only read through the selectors and change through the services (``perform``, ``drafts``,
``notifications.services``): a refusal is the service's ``PortalError``, shown with its own message
(beside the field it names, and in the GOV.UK error summary). A claim the user cannot see is a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import wraps
from typing import Any, Concatenate
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claimsportal.claims import drafts
from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.defendant_only import defendant_only_cnf_for
from claimsportal.claims.models import Claim
from claimsportal.claims.selectors import SORT_FIELDS, SearchCriteria
from claimsportal.claims.services import perform
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.core import clock
from claimsportal.documents.printable import DRAFT_PRINTS
from claimsportal.notifications import services as notification_services
from claimsportal.organisations.directory import search_compensators, search_insurer_index
from claimsportal.organisations.models import User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.types import ClaimType, OperationKind, Side
from claimsportal.reference.hospitals import HospitalInfo, search_hospitals
from claimsportal.web import selectors
from claimsportal.web.claims import forms
from claimsportal.web.claims.labels import ONE_CLICK_OPERATIONS, field_label, operation_label
from claimsportal.web.claims.schema_form import (
    Field,
    Node,
    SummaryError,
    SummaryGroup,
    Values,
    add_group,
    attach_errors,
    bind,
    form_tree,
    parse,
    parse_section,
    remove_group,
    summarise,
    values_from_data,
    values_from_post,
)

COMPENSATOR_TASK = "compensator"
CHOOSE_COMPENSATOR = "Choose the compensator before sending the claim"


# --------------------------------------------------------------------------------------------------
# Who acts
# --------------------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(request: HttpRequest, error: PortalError) -> HttpResponse:
    return render(request, "web/claims/refused.html", {"error": error}, status=error.status)


def with_actor[**P](
    view: Callable[Concatenate[HttpRequest, Actor, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed in, acting as a claims user (``Actor.for_user``); a claim (or draft) the user cannot
    see is "not found", never "forbidden"."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            actor = Actor.for_user(_user(request))
        except PortalError as error:
            return _refused(request, error)
        try:
            return view(request, actor, *args, **kwargs)
        except PortalError as error:
            if error.code == "NOT_FOUND":
                raise Http404(error.message) from None
            raise

    return wrapped  # type: ignore[return-value]


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = str(request.POST.get("next") or "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _claim_url(claim_or_id: Claim | int | str) -> str:
    number = claim_or_id.pk if isinstance(claim_or_id, Claim) else int(claim_or_id)
    return reverse("claim", args=[format_application_id(number)])


# --------------------------------------------------------------------------------------------------
# The worklist (the home page) and the claim page
# --------------------------------------------------------------------------------------------------


@login_required
def worklist_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = selectors.WorklistQuery.from_params(request.GET)
    page = selectors.worklist(user, query, today=clock.today(), page_size=selectors.PAGE_SIZE)
    notes, more_notes = selectors.recent_notifications(user)
    columns = []
    for key, (label, _column) in selectors.SORTS.items():
        current = query.sort == key
        descending = not query.descending if current else key == "updated"
        columns.append(
            {
                "key": key,
                "label": label,
                "current": current,
                "aria_sort": ("descending" if query.descending else "ascending") if current else "",
                "query": urlencode(query.params(sort=key, order="desc" if descending else "asc")),
            }
        )
    return render(
        request,
        "web/worklist.html",
        {
            "page": page,
            "locked": page.locked,
            "others": page.others,
            "query": query,
            "columns": {str(c["key"]).replace("-", "_"): c for c in columns},
            "next_params": urlencode(query.params(cursor=page.next_cursor)) if page.next_cursor else None,
            "previous_params": (
                urlencode(query.params(cursor=page.previous_cursor)) if page.previous_cursor else None
            ),
            "phases": sorted(selectors.phase_names().items(), key=lambda item: item[1]),
            "claim_types": selectors.CLAIM_TYPES,
            "filtered": bool(query.claim_type or query.phase),
            "notifications": notes,
            "more_notifications": more_notes,
            "has_claims_profile": bool(user.claims_profiles()),
            "is_cr": user.organisation is not None and user.organisation.org_type == Side.CR.value,
        },
    )


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    one_click: bool
    housekeeping: bool


@dataclass(frozen=True)
class SubmittedForm:
    operation: str
    label: str
    submitted_at: datetime
    side: str
    groups: list[SummaryGroup]


def _submitted_forms(claim: Claim, detail: dict[str, Any]) -> list[SubmittedForm]:
    definition = definition_for(claim.claim_type)
    out = []
    for entry in detail["submittedForms"]:
        name = entry["operation"]
        named = definition.operations_named(name)
        data = entry["form"]
        # A form of an operation the protocol no longer has is still shown, with its own field names.
        tree = form_tree(named[0].payload) if named else Node("", "", "object", "")
        groups = summarise(tree, data)
        out.append(
            SubmittedForm(
                name,
                operation_label(name),
                datetime.fromisoformat(entry["submittedAt"]),
                "Claimant representative" if entry["side"] == "CR" else "Compensator",
                groups,
            )
        )
    return out


@with_actor
def claim_page(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    claim = claim_selectors.get_visible_claim(actor, application_id, with_counts=True)
    if claim.phase == DRAFT_PHASE:
        return redirect("claims:draft", format_application_id(claim.pk))
    today = clock.today()
    detail = claim_selectors.claim_detail(actor, claim, today)
    definition = definition_for(claim.claim_type)
    actions = []
    for name in detail["allowedOperations"]:
        op = definition.operation(name, claim.phase)
        housekeeping = op is not None and op.kind is OperationKind.HOUSEKEEPING
        actions.append(Action(name, operation_label(name), name in ONE_CLICK_OPERATIONS, housekeeping))
    cnf_groups = summarise(forms.cnf_tree(claim.claim_type), detail["cnf"]) if detail["cnf"] else []
    from claimsportal.web.claims import attachments  # here: that module imports this one
    from claimsportal.web.claims import documents as printable_documents  # likewise

    return render(
        request,
        "web/claim.html",
        {
            "attachments": attachments.section(actor, claim),
            "documents": printable_documents.section(actor, claim),
            "claim": claim,
            "detail": detail,
            "application_id": format_application_id(claim.pk),
            "phase_name": definition.phases[claim.phase].name
            if claim.phase in definition.phases
            else claim.phase,
            "business_days_left": (
                selectors.business_days_left(claim.deadline_at, today=today) if claim.deadline_at else None
            ),
            "due_soon": claim.deadline_at is not None
            and selectors.business_days_left(claim.deadline_at, today=today) <= selectors.DUE_SOON_DAYS,
            "locked_to_me": claim.locked_by_id is not None and claim.locked_by_id == actor.user_pk,
            "workflow_actions": [a for a in actions if not a.housekeeping],
            "housekeeping_actions": [a for a in actions if a.housekeeping],
            "events": selectors.claim_history(claim, with_drafts=actor.side is Side.CR),
            "cnf_groups": cnf_groups,
            "submitted": _submitted_forms(claim, detail),
            "is_cr": actor.side is Side.CR,
        },
    )


@with_actor
def defendant_only_cnf(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    try:
        letter = defendant_only_cnf_for(actor, application_id)
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise
        return _refused(request, error)
    return render(request, "web/claims/defendant_only.html", {"letter": letter})


# --------------------------------------------------------------------------------------------------
# Every operation as a page
# --------------------------------------------------------------------------------------------------


def _page_context(
    claim: Claim, op_name: str, root: Field, errors: list[SummaryError], error_message: str = ""
) -> dict[str, Any]:
    definition = definition_for(claim.claim_type)
    return {
        "claim": claim,
        "application_id": format_application_id(claim.pk),
        "phase_name": definition.phases[claim.phase].name
        if claim.phase in definition.phases
        else claim.phase,
        "operation": op_name,
        "operation_label": operation_label(op_name),
        "form": root,
        "errors": errors,
        "error_message": error_message,
        "draft_print": op_name in DRAFT_PRINTS,
    }


@with_actor
@require_http_methods(["GET", "POST"])
def operation_page(request: HttpRequest, actor: Actor, application_id: str, operation: str) -> HttpResponse:
    claim = claim_selectors.get_visible_claim(actor, application_id)
    op = forms.operation_model(claim, operation)
    if op is None or operation in ("addClaim",):
        raise Http404("No such operation")
    form = forms.operation_form(actor, claim, op)
    allowed = claim_selectors.allowed_operations(actor, claim)
    if request.method == "GET":
        if operation not in allowed:
            return render(
                request,
                "web/claims/not_available.html",
                {
                    "claim": claim,
                    "application_id": format_application_id(claim.pk),
                    "operation_label": operation_label(operation),
                    "operation": operation,
                },
            )
        root = bind(form.tree, form.initial, form.settings)
        return render(request, "web/claims/operation.html", _page_context(claim, operation, root, []))
    values = values_from_post(request.POST)
    if "_add" in request.POST or "_remove" in request.POST:  # the groups as typed, one more or less
        root = bind(form.tree, _adjust_groups(form.tree, values, request.POST), form.settings)
        return render(request, "web/claims/operation.html", _page_context(claim, operation, root, []))
    payload, compact = parse(form.tree, values, form.settings)
    if "_print" in request.POST and operation in DRAFT_PRINTS and operation in allowed:
        return _draft_print(claim, operation, payload)
    try:
        info = perform(
            actor=actor,
            operation=operation,
            application_id=claim.pk,
            activity_guid=str(request.POST.get("activityEngineGuid", "")),
            payload=payload,
        )
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise
        if error.code == "STALE_ACTIVITY_GUID":
            claim = claim_selectors.get_visible_claim(actor, claim.pk)  # show it as it is now
            if operation not in claim_selectors.allowed_operations(actor, claim):
                messages.error(
                    request, f"{error.message}. {operation_label(operation)} is no longer possible."
                )
                return redirect(_claim_url(claim))
        root = bind(form.tree, compact, form.settings)
        details = [
            d for d in error.details if d.field not in ("activityEngineGuid", "operation", "applicationId")
        ]
        summary = attach_errors(root, details)
        if not summary or error.code not in ("SCHEMA_INVALID", "BUSINESS_RULE"):
            summary.insert(0, SummaryError(error.message, ""))
        return render(
            request,
            "web/claims/operation.html",
            _page_context(claim, operation, root, summary),
            status=200,
        )
    messages.success(request, _done_message(operation, info.phase_name))
    if operation in ("unlockClaim", "forceUnlockClaim", "lockClaim", "deallocateUser", "allocateUser"):
        return _back(request, _claim_url(info.application_id))
    return redirect(_claim_url(info.application_id))


def _draft_print(claim: Claim, operation: str, payload: dict[str, Any]) -> HttpResponse:
    """The form as typed so far, printed as the document it would create, marked as a draft; nothing
    is sent or stored (WORKFLOW.md §10, the compensator's "IR draft")."""
    from claimsportal.documents.rendering import draft_operation_pdf  # WeasyPrint loads on first use

    pdf = draft_operation_pdf(claim, operation, payload, clock.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"draft-{format_application_id(claim.pk)}-{operation}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _done_message(operation: str, phase_name: str) -> str:
    if operation == "lockClaim":
        return "The claim is locked to you"
    if operation in ("unlockClaim", "forceUnlockClaim"):
        return "The claim is unlocked"
    if operation == "allocateUser":
        return "The claim is allocated"
    if operation == "deallocateUser":
        return "The allocation is removed"
    return f"{operation_label(operation)}: done. The claim is now at {phase_name}"


def _adjust_groups(tree: Any, values: Values, post: Any) -> Values:
    if "_add" in post:
        return add_group(values, tree, str(post.get("_add")))
    return remove_group(values, str(post.get("_remove")))


# --------------------------------------------------------------------------------------------------
# Drafts: a new claim, section by section
# --------------------------------------------------------------------------------------------------

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
        field_errors = [error.message]
        errors = [SummaryError(error.message, "#claimType")]
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
    nodes = forms.sections(draft.claim_type)
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
    name = str(request.POST.get("name") or request.GET.get("name") or "").strip()
    searched = "name" in request.GET or request.method == "POST"
    options: list[dict[str, str]] = []
    if searched:
        if source == "index":
            options = [
                {
                    "value": e.insurerIndexId,
                    "label": f"{e.insurerName} ({e.insurerIndexId})",
                    "hint": f"Claims go to {e.organisationName} ({e.organisationPath})",
                    "id": e.organisationId,
                    "path": e.organisationPath,
                    "insurer": e.insurerName,
                    "type": e.compensatorType,
                }
                for e in search_insurer_index(organisation_name=name)
            ]
        else:
            options = [
                {
                    "value": o.organisationPath,
                    "label": f"{o.organisationName} ({o.organisationPath})",
                    "hint": "",
                    "id": o.organisationId,
                    "path": o.organisationPath,
                    "insurer": o.organisationName,
                    "type": o.compensatorType,
                }
                for o in search_compensators(organisation_name=name, claim_type=ClaimType(draft.claim_type))
            ]
    errors: list[SummaryError] = []
    if request.method == "POST":
        chosen = str(request.POST.get("compensator", ""))
        picked = next((o for o in options if o["value"] == chosen), None)
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
                errors = [SummaryError(error.message, "")]
                draft = drafts.get_draft(actor, draft.pk)
            else:
                messages.success(request, f"The claim will be sent to {picked['label']}")
                return redirect("claims:draft", number)
    return render(
        request,
        "web/claims/draft_compensator.html",
        {
            "draft": draft,
            "application_id": number,
            "rta": rta,
            "source": source,
            "name": name,
            "searched": searched,
            "options": options,
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
    tree = forms.cnf_tree(draft.claim_type)
    if tree.find("claimAndClaimantDetails.defendantDetails.insurerInformation.insurerType") is not None:
        insurer["insurerType"] = "M" if picked["type"] == "M" else "I"
    defendant["insurerInformation"] = insurer
    section["defendantDetails"] = defendant
    return section


def _next_section(claim_type: str, name: str) -> str | None:
    names = [n.name for n in forms.sections(claim_type)]
    index = names.index(name)
    return names[index + 1] if index + 1 < len(names) else None


@with_actor
@require_http_methods(["GET", "POST"])
def draft_section(request: HttpRequest, actor: Actor, application_id: str, section: str) -> HttpResponse:
    draft = drafts.get_draft(actor, application_id)
    number = format_application_id(draft.pk)
    node = forms.section_node(draft.claim_type, section)
    if node is None:
        raise Http404("No such section")
    settings = forms.cnf_settings(draft.claim_type, draft.cnf)
    errors: list[SummaryError] = []
    error_message = ""
    stored = (draft.cnf or {}).get(section)
    if request.method == "GET":
        values = values_from_data(node, stored)
        root = bind(node, values, settings)
        if stored is not None and request.GET.get("check"):
            problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
            errors = attach_errors(root, _problems_by_task(problems, [section])[section])
    else:
        posted = values_from_post(request.POST)
        if "_add" in request.POST or "_remove" in request.POST:  # the groups as typed, one more or less
            root = bind(node, _adjust_groups(node, posted, request.POST), settings)
        else:
            value, compact = parse_section(node, posted, settings)
            try:
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
                error_message = error.message
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
            error_message = error.message
            problems = list(error.details)
            draft = drafts.get_draft(actor, draft.pk)
            if error.code == "STALE_ACTIVITY_GUID":
                problems = []
        else:
            messages.success(
                request,
                f"Claim {format_application_id(info.application_id)} sent: it is now at {info.phase_name}",
            )
            return redirect(_claim_url(info.application_id))
    else:
        problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
    cnf = draft.cnf or {}
    nodes = forms.sections(draft.claim_type)
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
            SummaryError(f"{problem.field}: {problem.message}" if problem.field else problem.message, "")
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
    pdf = draft_cnf_pdf(draft, clock.now())
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
            errors = [SummaryError(error.message, "")]
            draft = drafts.get_draft(actor, draft.pk)
        else:
            messages.success(request, f"Draft {number} deleted")
            return redirect("claims:drafts")
    return render(
        request,
        "web/claims/draft_delete.html",
        {"draft": draft, "application_id": number, "errors": errors},
    )


# --------------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------------

SEARCH_TEXT = (
    ("applicationId", "Application ID", "With or without the leading zeros"),
    ("claimantSurname", "Claimant's last name", ""),
    ("CRReferenceNumber", "Claimant representative's reference", ""),
    ("CMReferenceNumber", "Compensator's reference", ""),
    ("branchPath", "Branch", "The branch ID or path, for example 002"),
)
SEARCH_DATES = (
    ("sentDateFrom", "Sent on or after"),
    ("sentDateTo", "Sent on or before"),
    ("startDateFrom", "Created on or after"),
    ("startDateTo", "Created on or before"),
)
# Where the search service names a problem (its column or criterion) -> the field on the page.
SEARCH_ERROR_FIELDS = {"sent_at": "sentDateFrom", "created_at": "startDateFrom", "cursor": ""}
SORT_LABELS = {
    "ApplicationId": "Application ID",
    "StartDate": "Date created",
    "UpdateDate": "Date updated",
    "DispatchDate": "Date sent",
    "Priority": "Time limit",
}


def _search_date(params: Any, name: str) -> tuple[dict[str, str], date | None, str]:
    parts = {p: str(params.get(f"{name}[{p}]", "")).strip() for p in ("day", "month", "year")}
    if not any(parts.values()):
        return parts, None, ""
    try:
        return parts, date(int(parts["year"]), int(parts["month"]), int(parts["day"])), ""
    except ValueError:
        return parts, None, "must be a real date, for example 27 3 2026"


@with_actor
def search_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    params = request.GET
    searched = bool(params)
    text = {name: str(params.get(name, "")).strip() for name, _, _ in SEARCH_TEXT}
    field_errors: dict[str, list[str]] = {}
    dates: dict[str, date | None] = {}
    date_parts: dict[str, dict[str, str]] = {}
    for name, _label in SEARCH_DATES:
        date_parts[name], dates[name], problem = _search_date(params, name)
        if problem:
            field_errors.setdefault(name, []).append(problem)
    claim_type = str(params.get("claimType", ""))
    phase = str(params.get("phaseCacheId", ""))
    sort_field = str(params.get("sortField", "ApplicationId"))
    sort_order = str(params.get("sortOrder", "Asc"))
    results: list[selectors.WorklistRow] = []
    next_cursor = None
    general: list[str] = []
    if searched and not field_errors:
        criteria = SearchCriteria(
            applicationId=text["applicationId"] or None,
            branchPath=text["branchPath"] or None,
            CMReferenceNumber=text["CMReferenceNumber"] or None,
            CRReferenceNumber=text["CRReferenceNumber"] or None,
            claimantSurname=text["claimantSurname"] or None,
            claimType=claim_type or None,
            phaseCacheId=phase or None,
            dispatchDateFrom=None,
            dispatchDateTo=None,
            sentDateFrom=dates["sentDateFrom"],
            sentDateTo=dates["sentDateTo"],
            startDateFrom=dates["startDateFrom"],
            startDateTo=dates["startDateTo"],
            sortField=sort_field,
            sortOrder=sort_order,
        )
        try:
            found = claim_selectors.search(
                actor, criteria, cursor=str(params.get("cursor", "")) or None, limit=50
            )
        except PortalError as error:
            for detail in error.details or [ErrorDetail("", error.message)]:
                target = SEARCH_ERROR_FIELDS.get(detail.field, detail.field)
                if target:
                    field_errors.setdefault(target, []).append(detail.message)
                else:
                    general.append(detail.message)
        else:
            results = _search_rows(found.claims, actor)
            next_cursor = found.next_cursor
    labels = (
        {name: label for name, label, _ in SEARCH_TEXT}
        | dict(SEARCH_DATES)
        | {
            "claimType": "Claim type",
            "phaseCacheId": "Phase",
            "sortField": "Sort by",
            "sortOrder": "Order",
        }
    )
    errors = [
        SummaryError(
            f"{labels.get(name, field_label(name))}: {message}", f"#{name}{'-day' if name in dates else ''}"
        )
        for name, messages_ in field_errors.items()
        for message in messages_
    ] + [SummaryError(message, "") for message in general]
    next_params = None
    if next_cursor:
        next_params = request.GET.copy()
        next_params["cursor"] = next_cursor
    return render(
        request,
        "web/claims/search.html",
        {
            "text_fields": [
                {"name": n, "label": label, "hint": hint, "value": text[n], "errors": field_errors.get(n, [])}
                for n, label, hint in SEARCH_TEXT
            ],
            "date_fields": [
                {"name": n, "label": label, "parts": date_parts[n], "errors": field_errors.get(n, [])}
                for n, label in SEARCH_DATES
            ],
            "claim_type": claim_type,
            "claim_types": selectors.CLAIM_TYPES,
            "phase": phase,
            "phases": sorted(selectors.phase_names().items(), key=lambda item: item[1]),
            "sort_field": sort_field,
            "sort_fields": [(key, SORT_LABELS.get(key, key)) for key in SORT_FIELDS],
            "sort_order": sort_order,
            "field_errors": field_errors,
            "errors": errors,
            "searched": searched and not errors,
            "results": results,
            "next_query": next_params.urlencode() if next_params is not None else "",
        },
    )


def _search_rows(claims: Any, actor: Actor) -> list[selectors.WorklistRow]:
    today = clock.today()
    out = []
    for claim in claims:
        phases = definition_for(claim.claim_type).phases
        out.append(
            selectors.WorklistRow(
                format_application_id(claim.pk),
                claim.claim_type,
                claim.claimant_surname,
                claim.cr_reference,
                claim.comp_reference,
                claim.phase,
                phases[claim.phase].name if claim.phase in phases else claim.phase,
                claim.deadline_at,
                selectors.business_days_left(claim.deadline_at, today=today) if claim.deadline_at else None,
                claim.locked_by_id == actor.user_pk,
                claim.updated_at,
                claim.locked_by.user_id if claim.locked_by_id and claim.locked_by else "",
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# NHS hospitals: the finder beside each hospital of a CNF (getHospitalsList's search)
# --------------------------------------------------------------------------------------------------

HOSPITAL_RESULTS = 20  # sites listed at most: a longer list answers nobody, the search is narrowed
HOSPITAL_INPUTS = {"hospitalName": "name", "postCode": "postcode"}  # the search's field -> the input
HOSPITAL_LABELS = {"name": "Hospital name", "postcode": "Postcode"}
NO_HOSPITAL_CRITERIA = "Enter part of the hospital's name or the start of its postcode"


def _wants_json(request: HttpRequest) -> bool:
    """JSON for the page's script (``?format=json``, or ``Accept`` preferring it); HTML otherwise."""
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _hospitals_found(count: int, more: bool) -> str:
    if more:
        return f"More than {count} NHS hospitals found: the first {count} are shown. Narrow the search."
    if count == 0:
        return "No NHS hospital found"
    return f"{count} NHS hospital{'' if count == 1 else 's'} found"


@with_actor
@require_GET
def hospital_finder(request: HttpRequest, actor: Actor) -> HttpResponse:
    """``GET /work/hospitals/?name=&postcode=``: open NHS hospital sites by words of the name and/or the
    start of the postcode (``reference.hospitals.search_hospitals``: one query, at most
    ``HOSPITAL_RESULTS`` sites). A GOV.UK page of its own, from which a claim handler without
    JavaScript copies a site; or JSON for the finder beside each hospital of the CNF (claimsportal.js):
    ``{"hospitals": [{name, addressLine1-4, postCode}], "count", "more", "summary"}``, or status 400
    with ``{"errors": [{field, message}]}``. Read-only."""
    as_json = _wants_json(request)
    name = str(request.GET.get("name", "")).strip()
    postcode = str(request.GET.get("postcode", "")).strip()
    searched = as_json or "name" in request.GET or "postcode" in request.GET
    problems: list[tuple[str, str]] = []  # (input, message); input "" for a problem of no input
    found: list[HospitalInfo] = []
    if searched and not name and not postcode:
        problems.append(("name", NO_HOSPITAL_CRITERIA))
    elif searched:
        try:  # one more than is shown: whether there are more
            found = search_hospitals(name=name, post_code=postcode, limit=HOSPITAL_RESULTS + 1)
        except PortalError as error:
            for detail in error.details or [ErrorDetail("", error.message)]:
                problems.append((HOSPITAL_INPUTS.get(detail.field, ""), detail.message))
    more = len(found) > HOSPITAL_RESULTS
    hospitals = found[:HOSPITAL_RESULTS]
    summary = _hospitals_found(len(hospitals), more)
    response: HttpResponse
    if as_json and problems:
        errors = [{"field": field, "message": message} for field, message in problems]
        response = JsonResponse({"errors": errors}, status=400)
    elif as_json:
        response = JsonResponse(
            {
                "hospitals": [asdict(h) for h in hospitals],
                "count": len(hospitals),
                "more": more,
                "summary": summary,
            }
        )
    else:
        response = _hospitals_page(request, name, postcode, searched, problems, hospitals, summary)
    patch_vary_headers(response, ["Accept"])
    return response


def _hospitals_page(
    request: HttpRequest,
    name: str,
    postcode: str,
    searched: bool,
    problems: list[tuple[str, str]],
    hospitals: list[HospitalInfo],
    summary: str,
) -> HttpResponse:
    field_errors: dict[str, list[str]] = {}
    errors: list[SummaryError] = []
    for field, message in problems:
        if not field:
            errors.append(SummaryError(message, ""))
            continue
        field_errors.setdefault(field, []).append(message)
        shown = message if message == NO_HOSPITAL_CRITERIA else f"{HOSPITAL_LABELS[field]}: {message}"
        errors.append(SummaryError(shown, f"#{field}"))
    return render(
        request,
        "web/claims/hospitals.html",
        {
            "name": name,
            "postcode": postcode,
            "field_errors": field_errors,
            "errors": errors,
            "searched": searched and not errors,
            "hospitals": [
                {
                    "name": h.name,
                    "address": ", ".join(
                        line
                        for line in (h.addressLine1, h.addressLine2, h.addressLine3, h.addressLine4)
                        if line
                    ),
                    "post_code": h.postCode,
                }
                for h in hospitals
            ],
            "summary": summary,
        },
    )


# --------------------------------------------------------------------------------------------------
# Notifications
# --------------------------------------------------------------------------------------------------


@with_actor
@require_POST
def notification_delete(request: HttpRequest, actor: Actor, guid: str) -> HttpResponse:
    try:
        uuid.UUID(guid)
        notification_services.remove(actor, guid)
    except (PortalError, ValueError):
        messages.error(request, "That notification has already been deleted")
    else:
        messages.success(request, "Notification deleted")
    return _back(request, reverse("worklist"))


@with_actor
@require_http_methods(["GET", "POST"])
def notifications_clear(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        count = notification_services.clear_all(actor)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} deleted")
        return redirect("worklist")
    return render(request, "web/claims/notifications_clear.html", {})
