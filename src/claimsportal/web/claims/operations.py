"""Every operation of the protocols (and the locks and allocations) as a page of its own: the
operation's form from its payload model, sent through ``perform``; a refusal shown beside its fields.
A compensator prints its form as a draft of the document it would create."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.services import part_problems, perform
from claimsportal.core import clock
from claimsportal.documents.printable import DRAFT_PRINTS, document_title
from claimsportal.presentation.labels import operation_label
from claimsportal.presentation.messages import field_message, plain_text
from claimsportal.presentation.summary import SummaryGroup, summarise
from claimsportal.protocols.engine import validate_payload
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.web import pickers
from claimsportal.web.claims import forms, offers
from claimsportal.web.claims import pages as paging
from claimsportal.web.claims.acting import back, claim_url, with_actor
from claimsportal.web.claims.schema_form import (
    Field,
    SummaryError,
    adjust_groups,
    attach_errors,
    bind,
    parse,
    values_from_data,
    values_from_post,
)
from claimsportal.web.claims.schema_form import Values as FormValues
from claimsportal.web.forms import refuse_control_characters

# Fields chosen with a picker (web/pickers.py): the payload's field -> the picker's list.
PICKED = {
    "targetUserID": "user",
    "organisationPath": "reassign",
    "branchId": "branch",
    "compensator": "resend",  # resending a rejected claim, optionally to another compensator
}
CLAIM_PICKERS = frozenset({"reassign", "resend"})
EMPTY_TEXT = {
    "resend": "The same compensator as before",
    "user": "Choose a user",
    "branch": "Choose a branch",
}


def _attach_pickers(actor: Actor, claim: Claim, root: Field, post: Mapping[str, Any]) -> None:
    """The user to allocate to, the compensator to reassign to, the branch: each a picker of what this
    user may choose (a few: radios; more: a select; many: a search)."""
    for bound in root.walk():
        kind = PICKED.get(bound.path)
        if kind is None or bound.children:
            continue
        params = {"claim": format_application_id(claim.pk)} if kind in CLAIM_PICKERS else {}
        bound.picker = pickers.build_picker(
            pickers.source_for(actor, kind, params),
            name=bound.path,
            id=bound.id,
            label=f"{bound.label} (optional)" if bound.optional else bound.label,
            hint=bound.hint,
            kind=kind,
            params=params,
            value=bound.value,
            query=str(post.get(f"{bound.path}-q", "")),
            errors=bound.errors,
            optional=bound.optional,
            empty_text=EMPTY_TEXT.get(kind, "Choose one"),
        )


def _searching(post: Mapping[str, Any], root: Field) -> bool:
    return any(b.path in PICKED and pickers.searching(post, b.path) for b in root.walk())


def _page_context(
    claim: Claim,
    op_name: str,
    root: Field,
    errors: list[SummaryError],
    error_message: str = "",
    offer: offers.Offer | None = None,
    *,
    actor: Actor,
    post: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    definition = definition_for(claim.claim_type)
    _attach_pickers(actor, claim, root, post or {})
    if offer is not None:
        offers.describe_replies(root, offer, op_name)
    return {
        "offer": offer,
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
    offer = offers.latest_offer(actor, claim, operation)
    pages = paging.operation_pages(
        operation, form.tree, frozenset(form.settings.fixed) | form.settings.hidden
    )
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
        initial = form.initial
        if offer is not None:
            reply = form.tree.find(offers.SOURCES[operation].replies + ".*")
            names = {c.name for c in reply.children} if reply is not None else set()
            initial = {
                **values_from_data(form.tree, offers.prefilled_replies(offer, operation, names)),
                **initial,
            }
        if pages:
            return _render_page(request, pages[0], pages, form, initial, claim, offer=offer, actor=actor)
        root = bind(form.tree, initial, form.settings)
        return render(
            request,
            "web/claims/operation.html",
            _page_context(claim, operation, root, [], offer=offer, actor=actor, post=request.POST),
        )
    values = values_from_post(request.POST)
    if "_print" in request.POST and operation in DRAFT_PRINTS and operation in allowed:
        # a draft of the answers so far, from any page (the other pages' answers travel with it)
        return _draft_print(claim, operation, parse(form.tree, values, form.settings)[0])
    if pages and ("_page" in request.POST or "_goto" in request.POST):
        return _paged_step(request, pages, form, values, claim, offer=offer, actor=actor)
    if (
        "_add" in request.POST
        or "_remove" in request.POST
        or "_change" in request.POST
        or _searching(request.POST, bind(form.tree, values, form.settings))
    ):
        if pages and "_change" in request.POST:  # from the confirmation page: check the answers again
            return _render_check(request, pages, form, values, claim, offer=offer, actor=actor)
        # the groups as typed, one more or less (or the form again from the confirmation page)
        shown = values if "_change" in request.POST else adjust_groups(form.tree, values, request.POST)
        root = bind(form.tree, shown, form.settings)
        return render(
            request,
            "web/claims/operation.html",
            _page_context(claim, operation, root, [], offer=offer, actor=actor, post=request.POST),
        )
    payload, compact = parse(form.tree, values, form.settings)
    posted_guid = str(request.POST.get("activityEngineGuid", ""))
    if operation in offers.CONFIRMED and "_confirmed" not in request.POST:
        # the form's checks and the protocol's first: the confirmation page is for a form that can be sent
        details = _send_problems(actor, claim, form, payload)
        if details:
            if pages:
                return _paged_failure(  # on the claim as first shown: the send says if it changed
                    request,
                    pages,
                    form,
                    compact,
                    claim,
                    details,
                    "",
                    offer=offer,
                    actor=actor,
                    guid=posted_guid,
                )
            root = bind(form.tree, compact, form.settings)
            summary = attach_errors(root, details)
            return render(
                request,
                "web/claims/operation.html",
                _page_context(claim, operation, root, summary, offer=offer, actor=actor, post=request.POST),
            )
        return render(
            request,
            "web/claims/operation_confirm.html",
            {
                **_page_context(
                    claim,
                    operation,
                    bind(form.tree, compact, form.settings),
                    [],
                    offer=offer,
                    actor=actor,
                    post=request.POST,
                ),
                "values": sorted(compact.items()),
                "guid": str(request.POST.get("activityEngineGuid", "")),
                "groups": summarise(form.tree, payload),
                "amounts": offers.amounts(payload, operation),
            },
        )
    try:
        refuse_control_characters(payload)
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
                    request,
                    f"{plain_text(error.message)}. “{operation_label(operation)}” is no longer possible.",
                )
                return redirect(claim_url(claim))
        details = [
            d for d in error.details if d.field not in ("activityEngineGuid", "operation", "applicationId")
        ]
        if pages:
            message = "" if error.code in ("SCHEMA_INVALID", "BUSINESS_RULE") else plain_text(error.message)
            if error.code == "STALE_ACTIVITY_GUID":
                message = f"{message}. Your answers are kept: check them, then send them again."
            return _paged_failure(
                request,
                pages,
                form,
                compact,
                claim,
                details,
                message,
                offer=offer,
                actor=actor,
                guid=str(claim.activity_guid),  # the claim as it is now (reloaded when it had changed)
            )
        root = bind(form.tree, compact, form.settings)
        summary = attach_errors(root, details)
        if not summary or error.code not in ("SCHEMA_INVALID", "BUSINESS_RULE"):
            summary.insert(0, SummaryError(plain_text(error.message), ""))
        return render(
            request,
            "web/claims/operation.html",
            _page_context(claim, operation, root, summary, offer=offer, actor=actor, post=request.POST),
            status=200,
        )
    messages.success(request, _done_message(operation, info.phase_name))
    if operation in ("unlockClaim", "forceUnlockClaim", "lockClaim", "deallocateUser", "allocateUser"):
        return back(request, claim_url(info.application_id))
    return redirect(claim_url(info.application_id))


def _draft_print(claim: Claim, operation: str, payload: dict[str, Any]) -> HttpResponse:
    """The form as typed so far, printed as the document it would create, marked as a draft; nothing
    is sent or stored (WORKFLOW.md §10, the compensator's "IR draft")."""
    from claimsportal.documents.rendering import draft_operation_pdf  # WeasyPrint loads on first use

    kind = DRAFT_PRINTS[operation]
    title = document_title(kind, claim.claim_type)
    pdf = draft_operation_pdf(claim, kind, title, operation, payload, clock.now())
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


# --------------------------------------------------------------------------------------------------
# A long operation form in pages of one topic (web.claims.pages.OPERATION_PAGES)
# --------------------------------------------------------------------------------------------------
# Nothing is stored between the pages: every step posts the whole form (the page's inputs, the other
# pages' answers as hidden inputs and the activity GUID of the claim as first shown), "Continue"
# checks the page's own answers, the last page leads to "Check your answers", and sending goes
# through the one-page path above (its checks, the confirmation of amounts, one ``perform``): a
# carried answer changed on the way is checked there like any other.

GUID = "activityEngineGuid"


def _base_name(name: str) -> str:
    """An input's field path: ``a.b[day]`` -> ``a.b``; ``a.list[count]`` -> ``a.list``."""
    return name.split("[", 1)[0]


def _carried(page: paging.FormPage | None, values: FormValues) -> list[tuple[str, str]]:
    """The answers not on ``page`` (all of them on the check page), as hidden inputs."""
    return sorted(
        (name, value)
        for name, value in values.items()
        if name != GUID and (page is None or not page.owns(_base_name(name)))
    )


def _posted_page(pages: tuple[paging.FormPage, ...], key: str) -> paging.FormPage:
    return next((page for page in pages if page.key == key), pages[0])


def _render_page(
    request: HttpRequest,
    page: paging.FormPage,
    pages: tuple[paging.FormPage, ...],
    form: forms.OperationForm,
    values: FormValues,
    claim: Claim,
    *,
    offer: offers.Offer | None,
    actor: Actor,
    problems: list[ErrorDetail] | None = None,
    guid: str | None = None,
    returning: bool = False,
    error_message: str = "",
) -> HttpResponse:
    root = bind(page.root, values, form.settings)
    summary = attach_errors(root, problems or [])
    operation = form.operation.name
    context = _page_context(
        claim, operation, root, summary, error_message, offer, actor=actor, post=request.POST
    )
    index = pages.index(page)
    context.update(
        {
            "page": page,
            "page_number": index + 1,
            "page_count": len(pages),
            "has_previous": index > 0,
            "carried": _carried(page, values),
            "guid": str(claim.activity_guid) if guid is None else guid,
            "returning": returning,
            "page_shows_offer": operation in offers.SOURCES and page.owns(offers.SOURCES[operation].replies),
        }
    )
    return render(request, "web/claims/operation.html", context)


def _form_problems(form: forms.OperationForm, payload: Any) -> list[ErrorDetail]:
    """The form's own checks (control characters, the payload's schema), as the send makes them."""
    details: list[ErrorDetail] = []
    for check in (
        lambda: refuse_control_characters(payload),
        lambda: validate_payload(form.operation.payload, payload, clock.today()),
    ):
        try:
            check()
        except PortalError as error:
            details.extend(d for d in error.details if d.field != GUID)
    return details


def _send_problems(actor: Actor, claim: Claim, form: forms.OperationForm, payload: Any) -> list[ErrorDetail]:
    """Before the confirmation of the amounts: the form's own checks (the first that fails, as the send
    makes them), then, on a form that passes them, the protocol's rules comparing it with the claim,
    in the send's words (``part_problems``)."""
    try:
        refuse_control_characters(payload)
        validate_payload(form.operation.payload, payload, clock.today())
    except PortalError as error:
        return [d for d in error.details if d.field != GUID]
    return part_problems(actor, claim, form.operation.name, payload)


def _page_problems(
    actor: Actor, claim: Claim, form: forms.OperationForm, page: paging.FormPage, payload: Any
) -> list[ErrorDetail]:
    """The form's own checks and the protocol's rules that compare the answers given so far with the
    claim (a rule whose answers are not all given waits for the send), those about the page's fields:
    the send's fields and words, shown at once on the page that asks them."""
    details = _form_problems(form, payload)
    details += part_problems(actor, claim, form.operation.name, payload)
    return paging.problems_on(page, details)


def _paged_step(
    request: HttpRequest,
    pages: tuple[paging.FormPage, ...],
    form: forms.OperationForm,
    values: FormValues,
    claim: Claim,
    *,
    offer: offers.Offer | None,
    actor: Actor,
) -> HttpResponse:
    """One step: a page's groups adjusted, the previous page, a page to change from the check page,
    or the page's answers checked and the next page (or the check page) shown."""
    post = request.POST
    guid = str(post.get(GUID, ""))
    returning = "_return" in post or "_goto" in post
    if "_goto" in post:
        page = _posted_page(pages, str(post.get("_goto", "")))
        return _render_page(
            request, page, pages, form, values, claim, offer=offer, actor=actor, guid=guid, returning=True
        )
    page = _posted_page(pages, str(post.get("_page", "")))
    if "_add" in post or "_remove" in post or _searching(post, bind(page.root, values, form.settings)):
        shown = adjust_groups(form.tree, values, post)
        return _render_page(
            request, page, pages, form, shown, claim, offer=offer, actor=actor, guid=guid, returning=returning
        )
    if "_previous" in post:
        previous = paging.previous_page(pages, page) or page
        return _render_page(
            request,
            previous,
            pages,
            form,
            values,
            claim,
            offer=offer,
            actor=actor,
            guid=guid,
            returning=returning,
        )
    payload, compact = parse(form.tree, values, form.settings)
    problems = _page_problems(actor, claim, form, page, payload)
    if problems:
        return _render_page(
            request,
            page,
            pages,
            form,
            compact,
            claim,
            problems=problems,
            offer=offer,
            actor=actor,
            guid=guid,
            returning=returning,
        )
    following = None if returning else paging.next_page(pages, page)
    if following is not None:
        return _render_page(
            request,
            following,
            pages,
            form,
            compact,
            claim,
            offer=offer,
            actor=actor,
            guid=guid,
            returning=returning,
        )
    return _render_check(request, pages, form, compact, claim, offer=offer, actor=actor, guid=guid)


@dataclass(frozen=True)
class CheckedPage:
    page: paging.FormPage
    present: bool
    groups: list[SummaryGroup]


def _render_check(
    request: HttpRequest,
    pages: tuple[paging.FormPage, ...],
    form: forms.OperationForm,
    values: FormValues,
    claim: Claim,
    *,
    offer: offers.Offer | None,
    actor: Actor,
    guid: str | None = None,
    errors: list[SummaryError] | None = None,
    error_message: str = "",
) -> HttpResponse:
    """Check your answers: each page's answers with "Change" buttons (the answers travel in the form)
    that open the page at the answer's field."""
    payload, compact = parse(form.tree, values, form.settings)
    operation = form.operation.name
    section = pages[0].section
    stored = payload.get(section) if isinstance(payload, dict) else None
    checked = []
    for page in pages:
        data = paging.page_data(page, stored)
        checked.append(
            CheckedPage(
                page,
                paging.has_answers(page, stored),
                summarise(page.root, data, heading="") if data is not None else [],
            )
        )
    context = _page_context(
        claim,
        operation,
        bind(form.tree, compact, form.settings),
        errors or [],
        error_message,
        offer,
        actor=actor,
        post=request.POST,
    )
    context.update(
        {
            "checked": checked,
            "carried": _carried(None, compact),
            "guid": str(request.POST.get(GUID, "")) if guid is None else guid,
            "confirmed_next": operation in offers.CONFIRMED,
        }
    )
    return render(request, "web/claims/operation_check.html", context)


def _paged_failure(
    request: HttpRequest,
    pages: tuple[paging.FormPage, ...],
    form: forms.OperationForm,
    values: FormValues,
    claim: Claim,
    details: list[ErrorDetail],
    message: str,
    *,
    offer: offers.Offer | None,
    actor: Actor,
    guid: str,
) -> HttpResponse:
    """What sending refused: shown on the first page it concerns (its "Continue" returns to the check
    page), or, when no page's field is concerned, on the check page, in words; the answers are kept.
    ``guid`` is the one the form carries on (after a stale GUID, said in words, the claim's new one)."""
    for page in pages:
        mine = paging.problems_on(page, details)
        if mine:
            return _render_page(
                request,
                page,
                pages,
                form,
                values,
                claim,
                offer=offer,
                actor=actor,
                problems=mine,
                guid=guid,
                returning=True,
                error_message=message,
            )
    errors = [SummaryError(field_message(d, None) if d.field else plain_text(d.message), "") for d in details]
    if not errors and not message:
        message = "The claim could not be changed. Check the answers and send them again."
    return _render_check(
        request,
        pages,
        form,
        values,
        claim,
        offer=offer,
        actor=actor,
        guid=guid,
        errors=errors,
        error_message=message,
    )
