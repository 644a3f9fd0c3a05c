"""The unrepresented claimant's pages. Registration asks one question a page and keeps the answers in
the session until the account is created (the password is never kept: it is the last question);
every rule is ``litigants.registration``'s or ``claims``' (``perform``, ``drafts``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from claimsportal.claims import drafts
from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.claims.models import Claim
from claimsportal.claims.services import perform
from claimsportal.claims.visibility import DRAFT_PHASE
from claimsportal.core import clock
from claimsportal.litigants import registration, words
from claimsportal.litigants.reminders import REMINDER_BUSINESS_DAYS, last_day
from claimsportal.organisations import accounts
from claimsportal.organisations.models import User
from claimsportal.presentation.cnf import cnf_tree
from claimsportal.presentation.form_tree import form_tree
from claimsportal.presentation.labels import operation_label
from claimsportal.presentation.messages import plain_text
from claimsportal.presentation.summary import SummaryGroup, summarise
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.tables import definition_for
from claimsportal.protocols.timers import LONDON
from claimsportal.protocols.types import OperationKind
from claimsportal.publishing import statement_of_truth
from claimsportal.web.account.forms import add_portal_error
from claimsportal.web.claims.documents import section as documents_section
from claimsportal.web.claims.draft_pages import (
    check_answers,
    draft_pages,
    is_compensator_problem,
    run_page,
    task_groups,
)
from claimsportal.web.claims.draft_wizard import compensator_name
from claimsportal.web.claims.labels import ONE_CLICK_OPERATIONS
from claimsportal.web.claims.pages import FormPage, find_page, has_answers, next_page, previous_page
from claimsportal.web.claims.schema_form import SummaryError
from claimsportal.web.litigant.forms import (
    AgreementForm,
    ClaimTypeForm,
    CodeForm,
    EmailForm,
    NameForm,
    OfferForm,
    PasswordForm,
    UserIdForm,
    YesNoForm,
)

SESSION_KEY = "cp_litigant_registration"
NOT_FOR_YOU = "These pages are for people bringing their own claim without a solicitor"
# What the claimant can do, in their words (the portal's own label otherwise).
ACTION_WORDS = {
    "acknowledgeLiabilityAdmitted": "Confirm you have read the insurer's decision",
    "acknowledgeLiabilityAdmittedForChild": "Confirm you have read the insurer's decision",
    "setInterimPaymentNeeded": "Say whether you need an interim (early) payment",
    "addInterimSPFRequest": "Ask for an interim payment",
    "addStage2SPFRequest": "Send your Stage 2 Settlement Pack",
    "setStage2SPFCounterOfferNeeded": "Make a counter offer instead",
    "addStage2SPFCounterOfferByCR": "Send your counter offer",
    "acknowledgeStage2SPFConfirmation": "Confirm you have read the insurer's decision",
    "acknowledgeStage2SPFRepudiation": "Confirm you have read the insurer's decision",
    "addCPPFRequest": "Send your Court Proceedings Pack",
    "exitProcess": "Take your claim out of the portal",
}


# --------------------------------------------------------------------------------------------------
# Registration, one question a page
# --------------------------------------------------------------------------------------------------


def _answers(request: HttpRequest) -> dict[str, Any]:
    found = request.session.get(SESSION_KEY)
    return dict(found) if isinstance(found, dict) else {}


def _save(request: HttpRequest, answers: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = answers


def _question(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    intro: str = "",
    button: str = "Continue",
    **extra: Any,
) -> HttpResponse:
    radio = next((form[n] for n, f in form.fields.items() if isinstance(f.widget, forms.RadioSelect)), None)
    return render(
        request,
        "web/litigant/question.html",
        {
            "form": form,
            "radio": radio,
            "title": title,
            "back": back,
            "intro": intro,
            "button": button,
            **extra,
        },
    )


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "web/litigant/start.html", {"stages": words.STAGES_OVERVIEW})


def _yes_no(
    request: HttpRequest, key: str, question: str, back: str, intro: str
) -> tuple[HttpResponse | None, str]:
    answers = _answers(request)
    form = YesNoForm(
        request.POST if request.method == "POST" else None,
        question=question,
        initial={"answer": answers.get(key)},
    )
    if request.method == "POST" and form.is_valid():
        answers[key] = form.cleaned_data["answer"]
        _save(request, answers)
        return None, str(answers[key])
    return _question(request, form, title=question, back=back, intro=intro), ""


@never_cache
def solicitor(request: HttpRequest) -> HttpResponse:
    page, answer = _yes_no(
        request,
        "solicitor",
        "Do you have a solicitor or other legal representative for this claim?",
        reverse("litigant-start"),
        "If a solicitor is dealing with your claim, they use the portal for you.",
    )
    if page is not None:
        return page
    return redirect("litigant-ineligible", "solicitor") if answer == "yes" else redirect("litigant-own-claim")


@never_cache
def own_claim(request: HttpRequest) -> HttpResponse:
    page, answer = _yes_no(
        request,
        "own",
        "Is the claim for your own injury, and are you 18 or over?",
        reverse("litigant-solicitor"),
        "You can use the portal for one claim, in your own name.",
    )
    if page is not None:
        return page
    return redirect("litigant-name") if answer == "yes" else redirect("litigant-ineligible", "own")


@never_cache
def ineligible(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "web/litigant/ineligible.html", {"reason": reason})


@never_cache
def name(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if answers.get("own") != "yes" or answers.get("solicitor") != "no":
        return redirect("litigant-start")
    form = NameForm(request.POST if request.method == "POST" else None, initial=answers)
    if request.method == "POST" and form.is_valid():
        answers.update(form.cleaned_data)
        _save(request, answers)
        return redirect("litigant-email")
    return _question(
        request,
        form,
        title="What is your name?",
        back=reverse("litigant-own-claim"),
        intro="Give your name as it will appear on your claim.",
    )


@never_cache
def email(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if not answers.get("surname"):
        return redirect("litigant-start")
    form = EmailForm(request.POST if request.method == "POST" else None, initial=answers)
    if request.method == "POST" and form.is_valid():
        try:
            started = registration.start(
                answers["forename"],
                answers["surname"],
                form.cleaned_data["email"],
                address=request.META.get("REMOTE_ADDR") or "unknown",
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            if started.refused:
                form.add_error("email", started.refused)
            else:
                answers.update(email=form.cleaned_data["email"], token=started.token)
                _save(request, answers)
                return redirect("litigant-code")
    return _question(request, form, title="What is your e-mail address?", back=reverse("litigant-name"))


@never_cache
def code(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if not answers.get("token"):
        return redirect("litigant-start")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ok = registration.verify(answers["token"], form.cleaned_data["code"])
        except PortalError as error:
            add_portal_error(form, error)
        else:
            if ok:
                return redirect("litigant-user-id")
            form.add_error(
                "code", "The code is not correct or has expired: check it, or go back and ask for a new one"
            )
    return _question(
        request,
        form,
        title="Check your e-mail",
        back=reverse("litigant-email"),
        intro=f"We have sent a code to {answers.get('email')}. It may take a few minutes to arrive; check your "
        "junk folder. The code is valid for 30 minutes. If you already have an account, the e-mail tells you "
        "your user ID instead.",
    )


def _verified(request: HttpRequest) -> dict[str, Any] | None:
    answers = _answers(request)
    if registration.verified_details(str(answers.get("token") or "")) is None:
        return None
    return answers


@never_cache
def user_id(request: HttpRequest) -> HttpResponse:
    answers = _verified(request)
    if answers is None:
        return redirect("litigant-start")
    form = UserIdForm(request.POST if request.method == "POST" else None, initial=answers)
    if request.method == "POST" and form.is_valid():
        try:
            answers["user_id"] = registration.check_user_id(form.cleaned_data["user_id"])
        except PortalError as error:
            add_portal_error(form, error)
        else:
            _save(request, answers)
            return redirect("litigant-agreement")
    return _question(
        request,
        form,
        title="Choose a user ID",
        back=reverse("litigant-code"),
        intro="You will sign in with this user ID. Write it down somewhere safe.",
    )


@never_cache
def agreement(request: HttpRequest) -> HttpResponse:
    answers = _verified(request)
    if answers is None or not answers.get("user_id"):
        return redirect("litigant-start")
    form = AgreementForm(
        request.POST if request.method == "POST" else None, initial={"accept": answers.get("accepted")}
    )
    if request.method == "POST" and form.is_valid():
        answers["accepted"] = True
        _save(request, answers)
        return redirect("litigant-check")
    current = accounts.current_agreement()
    return render(
        request,
        "web/litigant/agreement.html",
        {"form": form, "agreement": current, "back": reverse("litigant-user-id")},
    )


@never_cache
def check(request: HttpRequest) -> HttpResponse:
    answers = _verified(request)
    if answers is None or not answers.get("accepted"):
        return redirect("litigant-start")
    rows = [
        ("Solicitor", "No, I do not have one", reverse("litigant-solicitor")),
        ("Your own claim", "Yes, for my own injury, and I am 18 or over", reverse("litigant-own-claim")),
        ("Name", f"{answers['forename']} {answers['surname']}", reverse("litigant-name")),
        ("E-mail address", answers["email"], reverse("litigant-email")),
        ("User ID", answers["user_id"], reverse("litigant-user-id")),
        ("User agreement", "Accepted", reverse("litigant-agreement")),
    ]
    return render(request, "web/litigant/check.html", {"rows": rows})


@never_cache
@sensitive_post_parameters("password", "confirm")
def password(request: HttpRequest) -> HttpResponse:
    answers = _verified(request)
    if answers is None or not answers.get("accepted"):
        return redirect("litigant-start")
    form = PasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        problems = registration.check_password_choice(
            answers["token"], answers["user_id"], form.cleaned_data["password"], form.cleaned_data["confirm"]
        )
        if problems:
            for problem in problems:
                form.add_error(
                    "password",
                    f"The password {problem}" if problem.startswith("must") else problem.capitalize(),
                )
        else:
            try:
                user = registration.create_account(
                    answers["token"],
                    user_id=answers["user_id"],
                    password=form.cleaned_data["password"],
                    agreement_accepted=bool(answers.get("accepted")),
                )
            except PortalError as error:
                add_portal_error(form, error, {"userId": "password", "email": "password", "code": "password"})
            else:
                request.session.pop(SESSION_KEY, None)
                request.session["cp_litigant_registered"] = user.user_id
                return redirect("litigant-registered")
    return _question(
        request,
        form,
        title="Create a password",
        back=reverse("litigant-check"),
        button="Create my account",
        password=True,
    )


@never_cache
def registered(request: HttpRequest) -> HttpResponse:
    user_id_created = request.session.get("cp_litigant_registered")
    if not user_id_created:
        return redirect("litigant-start")
    sign_in = f"{reverse('login')}?next={reverse('litigant-claim')}"
    return render(request, "web/litigant/registered.html", {"user_id": user_id_created, "sign_in": sign_in})


# --------------------------------------------------------------------------------------------------
# The claimant's claim
# --------------------------------------------------------------------------------------------------


def litigant_page[**P](view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in as an unrepresented claimant (else a plain refusal); the view gets the Actor."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not registration.is_litigant(user):
            return render(request, "web/litigant/not_for_you.html", {"message": NOT_FOR_YOU}, status=403)
        try:
            actor = Actor.for_user(user)
        except PortalError as error:
            return render(request, "web/litigant/not_for_you.html", {"message": error.message}, status=403)
        return view(request, actor, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass(frozen=True)
class Overview:
    claim: Claim
    application_id: str
    stage: words.Stage
    phase_name: str
    claimant_acts: bool
    last_day: date | None
    actions: list[Action]
    offer: list[SummaryGroup]
    offer_open: bool
    history: list[tuple[str, str, str]]


def _own_claim(actor: Actor) -> Claim | None:
    found = (
        Claim.objects.filter(cr_organisation_id=actor.organisation_pk).values_list("pk", flat=True).first()
    )
    if found is None:
        return None
    return claim_selectors.get_visible_claim(actor, str(found), with_counts=True)


def _overview(actor: Actor, claim: Claim) -> Overview:
    today = clock.today()
    detail = claim_selectors.claim_detail(actor, claim, today)
    definition = definition_for(claim.claim_type)
    number = format_application_id(claim.pk)
    phase_name = definition.phases[claim.phase].name if claim.phase in definition.phases else claim.phase
    claimant_acts = claim.owner_side == "CR"
    offer_open = claim.phase in words.OFFER_PHASES
    actions = []
    if offer_open:
        actions.append(Action("Decide on the insurer's offer", reverse("litigant-offer")))
    for operation in detail["allowedOperations"]:
        op = definition.operation(operation, claim.phase)
        if operation in ONE_CLICK_OPERATIONS or (op is not None and op.kind is OperationKind.HOUSEKEEPING):
            continue
        if offer_open and operation in ("setStage2SPFAgreementDecision",):
            continue
        label = ACTION_WORDS.get(operation) or operation_label(operation)
        actions.append(Action(label, reverse("claims:operation", args=[number, operation])))
    offer: list[SummaryGroup] = []
    for entry in reversed(detail["submittedForms"]):
        if entry["side"] == "COMP" and entry["operation"] in (
            "addStage2SPFResponse",
            "addStage2SPFCounterOfferByCM",
        ):
            named = definition.operations_named(entry["operation"])
            if named:
                offer = summarise(form_tree(named[0].payload), entry["form"])
            break
    history = [
        (
            f"{event.occurred_at:%-d %B %Y}" if hasattr(event, "occurred_at") else "",
            ACTION_WORDS.get(event.operation) or operation_label(event.operation),
            "You"
            if event.actor_side == "CR"
            else ("The insurer" if event.actor_side == "COMP" else "The portal"),
        )
        for event in claim.events.exclude(
            operation__in=["createDraft", "updateDraft", "lockClaim", "unlockClaim"]
        ).order_by("id")
    ]
    return Overview(
        claim=claim,
        application_id=number,
        stage=words.stage_for(claim.phase, phase_name, claimant_acts=claimant_acts),
        phase_name=phase_name,
        claimant_acts=claimant_acts,
        last_day=last_day(claim.deadline_at).date() if claim.deadline_at else None,
        actions=actions,
        offer=offer,
        offer_open=offer_open,
        history=history,
    )


@never_cache
@litigant_page
def your_claim(request: HttpRequest, actor: Actor) -> HttpResponse:
    claim = _own_claim(actor)
    if claim is None:
        return render(request, "web/litigant/no_claim.html", {"stages": words.STAGES_OVERVIEW})
    if claim.phase == DRAFT_PHASE:
        return render(
            request,
            "web/litigant/draft.html",
            {
                "draft_url": reverse("litigant-form"),
                "stages": words.STAGES_OVERVIEW,
            },
        )
    return render(
        request,
        "web/litigant/claim.html",
        {
            "o": _overview(actor, claim),
            "reminder_days": REMINDER_BUSINESS_DAYS,
            "offer_meaning": words.OFFER_MEANING,
            "claim_page": reverse("claim", args=[format_application_id(claim.pk)]),
        },
    )


@never_cache
@litigant_page
def your_claim_print(request: HttpRequest, actor: Actor) -> HttpResponse:
    claim = _own_claim(actor)
    if claim is None or claim.phase == DRAFT_PHASE:
        return redirect("litigant-claim")
    detail = claim_selectors.claim_detail(actor, claim, clock.today())
    return render(
        request,
        "web/litigant/print.html",
        {
            "o": _overview(actor, claim),
            "offer_meaning": words.OFFER_MEANING,
            "cnf_groups": statement_of_truth.with_statement(
                summarise(cnf_tree(claim.claim_type), detail["cnf"]),
                signed_on=claim.sent_at.astimezone(LONDON).date() if claim.sent_at else None,
                document="Claim Notification Form",
                stored=statement_of_truth.for_cnf(statement_of_truth.signed_for(claim.pk)),
            )
            if detail["cnf"]
            else [],
            "documents": documents_section(actor, claim),
            "printed_on": clock.today(),
        },
    )


def _prefilled_cnf(user: User, claim_type: str) -> dict[str, Any]:
    """The claimant's own details, already known, put in the draft: the form then needs only the
    rest. The claimant signs the statement of truth themselves (``C``) and is not legally represented."""
    organisation = user.organisation
    assert organisation is not None
    representative: dict[str, Any] = {
        "companyDetails": {
            "companyName": organisation.name,
            "emailAddress": user.email,
            "contactName": user.forename,
            "contactSurname": user.surname,
            "referenceNumber": f"LIP-{organisation.org_id}",
        },
        "litigantInPerson": "1",
    }
    return {
        "applicationData": {"claimDetails": {"signatory": "C"}},
        "claimAndClaimantDetails": {
            "claimantRepresentative": representative,
            "claimantDetails": {"personalDetails": {"name": user.forename, "surname": user.surname}},
        },
    }


@never_cache
@litigant_page
def start_claim(request: HttpRequest, actor: Actor) -> HttpResponse:
    if _own_claim(actor) is not None:
        return redirect("litigant-claim")
    form = ClaimTypeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)
        kind = form.cleaned_data["claim_type"]
        try:
            drafts.create_draft(actor, kind, _prefilled_cnf(user, kind))
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(
                request,
                "Your claim form has been started. We have filled in your name and e-mail address; "
                "answer each question, then check and send it.",
            )
            return redirect("litigant-form")
    return _question(request, form, title="What caused your injury?", back=reverse("litigant-claim"))


@never_cache
@litigant_page
def offer(request: HttpRequest, actor: Actor) -> HttpResponse:
    claim = _own_claim(actor)
    if claim is None or claim.phase not in words.OFFER_PHASES:
        return redirect("litigant-claim")
    overview = _overview(actor, claim)
    form = OfferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "yes"
        try:
            _decide_offer(actor, claim, accept)
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            if accept:
                messages.success(
                    request, "You have accepted the offer. The insurer will confirm it and pay you."
                )
                return redirect("litigant-claim")
            messages.success(request, "You have not accepted the offer. Now say what you would accept.")
            refreshed = Claim.objects.get(pk=claim.pk)
            if refreshed.phase == "Stage2SettlementPackCounterOfferCR":
                return redirect(
                    "claims:operation", format_application_id(claim.pk), "addStage2SPFCounterOfferByCR"
                )
            return redirect("litigant-claim")
    return render(
        request,
        "web/litigant/offer.html",
        {
            "form": form,
            "o": overview,
            "offer_meaning": words.OFFER_MEANING,
            "back": reverse("litigant-claim"),
        },
    )


def _decide_offer(actor: Actor, claim: Claim, accept: bool) -> None:
    """Accepting: no counter offer, then agreed (two operations, each through ``perform``). Not
    accepting: a counter offer is needed (the claimant then makes it on the counter offer's page)."""
    current = Claim.objects.get(pk=claim.pk)
    if current.phase == "Stage2SettlementPackCounterOfferDecision":
        info = perform(
            actor=actor,
            operation="setStage2SPFCounterOfferNeeded",
            application_id=current.pk,
            activity_guid=current.activity_guid,
            payload={"isStage2SPFCounterOfferNeeded": not accept},
        )
        if not accept:
            return
        current = Claim.objects.get(pk=info.application_id)
    if current.phase == "Stage2SettlementPackAgreementDecision":
        perform(
            actor=actor,
            operation="setStage2SPFAgreementDecision",
            application_id=current.pk,
            activity_guid=current.activity_guid,
            payload={"isAgreed": accept},
        )


# --------------------------------------------------------------------------------------------------
# Their claim form, one question a page (the same pages mechanism as a firm's topic pages)
# --------------------------------------------------------------------------------------------------


def _own_draft(actor: Actor) -> Claim | None:
    claim = _own_claim(actor)
    return claim if claim is not None and claim.phase == DRAFT_PHASE else None


def _question_url(page: FormPage) -> str:
    return reverse("litigant-form-page", args=[page.section, page.key])


def _insurer_chosen(draft: Claim) -> str:
    return compensator_name(draft)


@never_cache
@litigant_page
def claim_form(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Their claim form: the questions, grouped, with what is answered and what is not."""
    draft = _own_draft(actor)
    if draft is None:
        return redirect("litigant-claim")
    pages, _ = draft_pages(actor, draft)
    problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
    groups = task_groups(pages, draft.cnf, problems, _question_url)
    first = next((page for page in pages if not has_answers(page, draft.cnf)), pages[0])
    return render(
        request,
        "web/litigant/form.html",
        {
            "groups": groups,
            "insurer": _insurer_chosen(draft),
            "insurer_url": reverse("claims:draft-compensator", args=[format_application_id(draft.pk)]),
            "continue_url": _question_url(first),
            "answered": sum(1 for g in groups for t in g.tasks if t.status == "completed"),
            "count": len(pages),
        },
    )


@never_cache
@litigant_page
def claim_form_page(request: HttpRequest, actor: Actor, section: str, page: str) -> HttpResponse:
    """One question: "Continue" saves it and asks the next; the last leads to checking the answers."""
    draft = _own_draft(actor)
    if draft is None:
        return redirect("litigant-claim")
    pages, settings = draft_pages(actor, draft)
    current = find_page(pages, section, page)
    if current is None:
        raise Http404("No such question")
    state = run_page(request, actor, draft, current, settings)
    if state.later:
        messages.success(request, "Your answers have been saved. You can come back to them at any time.")
        return redirect("litigant-form")
    if state.done:
        following = next_page(pages, current)
        return redirect(_question_url(following) if following else reverse("litigant-form-check"))
    before = previous_page(pages, current)
    return render(
        request,
        "web/litigant/form_question.html",
        {
            "draft": state.draft,
            "page": current,
            "position": pages.index(current) + 1,
            "count": len(pages),
            "back_url": _question_url(before) if before else reverse("litigant-form"),
            "statement": (
                statement_of_truth.wording(clock.today(), statement_of_truth.Signatory.CLAIMANT, "form")
                if current.section == "statementOfTruth"
                else ""
            ),
            "form": state.form,
            "errors": state.errors,
            "error_message": state.error_message,
        },
    )


@never_cache
@litigant_page
def claim_form_check(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Check your answers, then sign (the statement of truth is the claimant's own) and send."""
    draft = _own_draft(actor)
    if draft is None:
        return redirect("litigant-claim")
    number = format_application_id(draft.pk)
    error_message = ""
    if request.method == "POST":
        try:
            drafts.send_draft(actor, draft.pk, str(request.POST.get("activityEngineGuid", "")))
        except PortalError as error:
            if error.code == "NOT_FOUND":
                raise
            error_message = plain_text(error.message)
            problems = [] if error.code == "STALE_ACTIVITY_GUID" else list(error.details)
            draft = drafts.get_draft(actor, draft.pk)
        else:
            messages.success(request, "Your claim has been sent to the insurer.")
            return redirect("litigant-claim")
    else:
        problems = drafts.draft_problems(actor, draft.pk, today=clock.today())
    pages, settings = draft_pages(actor, draft)
    errors: list[SummaryError] = []
    if any(is_compensator_problem(p) for p in problems):
        errors.append(
            SummaryError(
                "Choose the insurer you are claiming from",
                reverse("claims:draft-compensator", args=[number]),
            )
        )
    blocks, page_errors = check_answers(pages, draft.cnf, problems, settings, _question_url)
    errors.extend(page_errors)
    return render(
        request,
        "web/litigant/form_check.html",
        {
            "draft": draft,
            "blocks": blocks,
            "errors": errors,
            "error_message": error_message,
            "insurer": _insurer_chosen(draft),
            "insurer_url": reverse("claims:draft-compensator", args=[number]),
        },
    )
