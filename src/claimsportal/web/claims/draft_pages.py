"""A draft's pages at work, for whoever fills them (a claims handler's topic pages, the unrepresented
claimant's question pages: ``web.claims.pages`` declares both): one page shown, one page saved, the
task list's statuses and the check-your-answers page's blocks and error links.

Saving a page writes only its fields into its section (``pages.merge``) and saves the section through
``drafts.update_draft`` — the one door for a draft's changes (its history collapses consecutive saves
into one line). Errors: what the save refuses is shown on the page; what would stop the claim being
sent (``drafts.draft_problems``) is shown on the page it concerns, and listed on the check page with
a link to that page's field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from claimsportal.claims import drafts
from claimsportal.claims.acting import Actor
from claimsportal.claims.models import Claim
from claimsportal.core import clock
from claimsportal.presentation.messages import field_message, plain_text
from claimsportal.presentation.summary import SummaryGroup, summarise
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.web.claims import forms
from claimsportal.web.claims.pages import (
    FIRM,
    LITIGANT,
    FormPage,
    has_answers,
    merge,
    page_data,
    pages_for,
    problems_on,
    status,
)
from claimsportal.web.claims.schema_form import (
    Field,
    FormSettings,
    SummaryError,
    adjust_groups,
    attach_errors,
    bind,
    parse_section,
    values_from_data,
    values_from_post,
)
from claimsportal.web.forms import refuse_control_characters

SAVED_WITH_PROBLEMS = "Your answers have been saved. Correct these before you send the claim:"


def audience(actor: Actor) -> str:
    return LITIGANT if actor.litigant_in_person else FIRM


def draft_pages(actor: Actor, draft: Claim) -> tuple[tuple[FormPage, ...], FormSettings]:
    settings = forms.cnf_settings(draft.claim_type, draft.cnf)
    return pages_for(draft.claim_type, audience(actor), settings), settings


def is_compensator_problem(problem: ErrorDetail) -> bool:
    return problem.field == "compensator" or problem.field.startswith(
        f"{forms.INSURER_PATH}.insurerOrganization"
    )


@dataclass
class PageState:
    """A page after a GET or a POST: ``done`` when saved with nothing on it to correct (go on),
    ``later`` when saved to come back to; else the form to show, with its errors."""

    draft: Claim
    form: Field
    errors: list[SummaryError] = field(default_factory=list)
    error_message: str = ""
    done: bool = False
    later: bool = False


def _shown_cnf(actor: Actor, draft: Claim, page: FormPage) -> dict[str, Any]:
    """The stored form, with the firm's own details filled in where it has none yet (not stored)."""
    cnf = dict(draft.cnf or {})
    shown = forms.with_firm_details(page.section, cnf.get(page.section), actor.user_pk)
    if shown is not None:
        cnf[page.section] = shown
    return cnf


def run_page(
    request: HttpRequest, actor: Actor, draft: Claim, page: FormPage, settings: FormSettings
) -> PageState:
    """Show the page (GET; ``?check=1`` shows its problems too) or save it (POST)."""
    if request.method != "POST":
        values = values_from_data(page.root, page_data(page, _shown_cnf(actor, draft, page)))
        root = bind(page.root, values, settings)
        errors: list[SummaryError] = []
        if request.GET.get("check"):
            problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
            errors = attach_errors(root, problems_on(page, problems))
        return PageState(draft, root, errors)
    posted = values_from_post(request.POST)
    if "_add" in request.POST or "_remove" in request.POST:  # the groups as typed, one more or less
        return PageState(draft, bind(page.root, adjust_groups(page.root, posted, request.POST), settings))
    value, compact = parse_section(page.root, posted, settings)
    try:
        refuse_control_characters(value, page.root.path)
        drafts.update_draft(
            actor,
            draft.pk,
            str(request.POST.get("activityEngineGuid", "")),
            sections={page.section: merge(page, draft.cnf, value)},
        )
    except PortalError as error:
        if error.code == "NOT_FOUND":
            raise
        root = bind(page.root, compact, settings)
        errors = attach_errors(root, [d for d in error.details if d.field != "activityEngineGuid"])
        return PageState(drafts.get_draft(actor, draft.pk), root, errors, plain_text(error.message))
    saved = drafts.get_draft(actor, draft.pk)
    if request.POST.get("_action") == "later":
        return PageState(saved, bind(page.root, compact, settings), later=True)
    mine = problems_on(page, drafts.draft_problems(actor, draft.pk, today=clock.today()))
    root = bind(page.root, compact, settings)
    if not mine:
        return PageState(saved, root, done=True)
    return PageState(saved, root, attach_errors(root, mine), SAVED_WITH_PROBLEMS)


@dataclass(frozen=True)
class Task:
    key: str
    label: str
    url: str
    status: str  # completed, incomplete, not-started
    optional: bool


@dataclass(frozen=True)
class TaskGroup:
    heading: str
    tasks: list[Task]


def task_groups(
    pages: tuple[FormPage, ...],
    cnf: dict[str, Any] | None,
    problems: list[ErrorDetail],
    url_for: Callable[[FormPage], str],
) -> list[TaskGroup]:
    """The pages as a task list, grouped by their part (a section for a firm), with their status."""
    groups: list[TaskGroup] = []
    for page in pages:
        task = Task(
            f"{page.section}-{page.key}",
            page.title,
            url_for(page),
            status(page, cnf, problems),
            not page.required,
        )
        if groups and groups[-1].heading == page.part:
            groups[-1].tasks.append(task)
        else:
            groups.append(TaskGroup(page.part, [task]))
    return groups


@dataclass(frozen=True)
class CheckedPage:
    page: FormPage
    url: str
    present: bool
    groups: list[SummaryGroup]


@dataclass(frozen=True)
class CheckBlock:
    heading: str
    pages: list[CheckedPage]


def check_answers(
    pages: tuple[FormPage, ...],
    cnf: dict[str, Any] | None,
    problems: list[ErrorDetail],
    settings: FormSettings,
    url_for: Callable[[FormPage], str],
) -> tuple[list[CheckBlock], list[SummaryError]]:
    """Every page's answers (its "Change" links land on the page's field) and every problem, linked
    to the field on the page it concerns (``?check=1`` shows it there). Problems no page shows (the
    compensator's are the caller's) are listed without a link."""
    blocks: list[CheckBlock] = []
    errors: list[SummaryError] = []
    claimed: set[int] = set()
    for page in pages:
        url = url_for(page)
        data = page_data(page, cnf)
        mine = problems_on(page, problems)
        if mine:
            root = bind(page.root, values_from_data(page.root, data), settings)
            errors.extend(attach_errors(root, mine, href_prefix=f"{url}?check=1"))
            claimed.update(id(p) for p in problems if page.owns(p.field))
        checked = CheckedPage(
            page,
            url,
            has_answers(page, cnf),
            summarise(page.root, data, heading="") if data is not None else [],
        )
        if blocks and blocks[-1].heading == page.part:
            blocks[-1].pages.append(checked)
        else:
            blocks.append(CheckBlock(page.part, [checked]))
    for problem in problems:
        if id(problem) in claimed or is_compensator_problem(problem):
            continue
        errors.append(
            SummaryError(field_message(problem, None) if problem.field else plain_text(problem.message), "")
        )
    return blocks, errors
