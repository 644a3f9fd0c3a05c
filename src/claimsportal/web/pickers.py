"""One accessible picker for organisations, branches, compensators and users (issue 18).

A choice among a few is radios, among some more a select; among many, a search field with a "Search"
button (a normal submit: the page comes back with the first matches as radios) that claimsportal.js
turns into a search-as-you-type combobox (ARIA 1.2) asking :func:`picker_options` for JSON.

Every list comes from a :class:`Source` built for the signed-in user (:func:`source_for`): only what
that user may see or choose (their organisation's users and branches; the compensators of the claim's
group for a reassignment of a claim they can see; the enabled compensators, or the current RTA Insurer
Index, for their own draft). Each search is one query on an indexed filter, at most
``PICK_LIMIT + 1`` rows. A claim or draft the user cannot see is "not found", as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse

from claimsportal.claims import drafts
from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor
from claimsportal.organisations.directory import search_compensators, search_insurer_index
from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.protocols.errors import PortalError
from claimsportal.protocols.types import ClaimType, Side
from claimsportal.reference.models import InsurerIndexEntry

PICK_LIMIT = 20  # matches listed at most (a longer list answers nobody: the search is narrowed)
RADIO_LIMIT = 6  # this many choices or fewer: radios
SELECT_LIMIT = 30  # this many or fewer: a select; more: the search
QUERY_LENGTH = 60  # the longest search text
SEARCH_WORDS = 4  # words of the search text used (each must match)
TOO_LONG = f"Enter {QUERY_LENGTH} characters or fewer to search"
KINDS = ("user", "branch", "reassign", "resend", "compensator")
CONSOLE_KINDS = ("user", "branch", "compensator")  # the console's lists (console_source_for)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"value": self.value, "label": self.label, "hint": self.hint}


@dataclass(frozen=True)
class Source:
    """Where a picker's options come from: ``search(text, limit)`` (the first matches, in order) and
    ``find(value)`` (the one option of this value, if the user may choose it)."""

    search: Callable[[str, int], list[Option]]
    find: Callable[[str], Option | None]


def _words(text: str) -> list[str]:
    return text.split()[:SEARCH_WORDS]


def _query_source(
    rows: QuerySet[Any, Any],
    fields: tuple[str, ...],
    value_field: str,
    make: Callable[[Any], Option],
    keep: Callable[[Any], bool] = lambda _row: True,
) -> Source:
    """A source over ``rows`` (already limited to what the user may choose, and ordered): each word of
    the search in any of ``fields``."""

    def search(text: str, limit: int) -> list[Option]:
        found = rows
        for word in _words(text):
            condition = Q()
            for name in fields:
                condition |= Q(**{f"{name}__icontains": word})
            found = found.filter(condition)
        return [make(row) for row in found[: limit * 4] if keep(row)][:limit]

    def find(value: str) -> Option | None:
        if not value:
            return None
        row = rows.filter(**{value_field: value}).first()
        return make(row) if row is not None and keep(row) else None

    return Source(search, find)


def _person(user: User) -> str:
    name = " ".join(p for p in (user.forename, user.surname) if p)
    return f"{name} ({user.user_id})" if name else user.user_id


def user_source(actor: Actor, *, acting_as: bool = False) -> Source:
    """The enabled, active claims users of the actor's organisation (to allocate a claim to; to act as,
    the actor excluded and only for a team leader: see :func:`source_for`)."""
    return organisation_user_source(actor.organisation_pk, exclude_pk=actor.user_pk if acting_as else None)


def organisation_user_source(organisation_pk: int, *, exclude_pk: int | None = None) -> Source:
    """The enabled, active users of an organisation who hold a claims profile (claims can be allocated
    to them), by surname."""
    rows = User.objects.filter(
        organisation_id=organisation_pk, is_enabled=True, is_active=True, is_operator=False
    ).order_by("surname", "forename", "user_id")
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return _query_source(
        rows,
        ("user_id", "forename", "surname"),
        "user_id",
        lambda u: Option(u.user_id, _person(u)),
        keep=lambda u: bool(u.claims_profiles()),
    )


def branch_source(actor: Actor) -> Source:
    return organisation_branch_source(actor.organisation_pk)


def organisation_branch_source(organisation_pk: int) -> Source:
    """The open (enabled) branches of an organisation, by branch ID."""
    rows = Branch.objects.filter(organisation_id=organisation_pk, enabled=True).order_by("branch_id")
    return _query_source(
        rows, ("branch_id", "name"), "branch_id", lambda b: Option(b.branch_id, f"{b.branch_id} {b.name}")
    )


def other_compensator_source(organisation_pk: int) -> Source:
    """The enabled compensators other than the given one (compensators are public: the Insurer Index
    publishes them), by name; the value is the organisation ID. Never a claimant representative."""
    rows = (
        Organisation.objects.filter(org_type=Organisation.Type.COMP, enabled=True)
        .exclude(pk=organisation_pk)
        .order_by("name", "org_id")
    )
    return _query_source(
        rows, ("name", "org_id"), "org_id", lambda o: Option(o.org_id, f"{o.name} ({o.org_id})")
    )


def console_source_for(organisation: Organisation, kind: str) -> Source:
    """The lists of the administration console's claims transfer request, for an Administrator of
    ``organisation``: its branches, its claims users, and (a compensator's only) the other
    compensators. Raises :class:`Http404` for any other list."""
    if kind == "branch":
        return organisation_branch_source(organisation.pk)
    if kind == "user":
        return organisation_user_source(organisation.pk)
    if kind == "compensator" and organisation.org_type == Organisation.Type.COMP:
        return other_compensator_source(organisation.pk)
    raise Http404("No such list")


def reassign_source(actor: Actor, application_id: str) -> Source:
    """The compensators a claim the actor can see may be reassigned to: the other enabled compensators
    of its compensator's group that handle its claim type (``perform`` refuses any other)."""
    claim = claim_selectors.get_visible_claim(actor, application_id)
    current = claim.comp_organisation
    if actor.side is not Side.COMP or current is None or not current.group:
        return Source(lambda _text, _limit: [], lambda _value: None)
    family = ClaimType(claim.claim_type).profile_family
    rows = (
        Organisation.objects.filter(org_type=Organisation.Type.COMP, enabled=True, group=current.group)
        .exclude(pk=current.pk)
        .order_by("name")
    )
    return _query_source(
        rows,
        ("name", "org_id"),
        "org_id",
        lambda o: Option(f"/{o.org_id}", f"{o.name} ({o.org_id})"),
        keep=lambda o: family in o.claim_types,
    )


def _reassign_find(source: Source) -> Callable[[str], Option | None]:
    return lambda value: source.find(value.strip().lstrip("/").upper())


def compensator_choice(claim_type: ClaimType, index: bool, value: str) -> dict[str, str] | None:
    """The compensator ``value`` names, if a draft of ``claim_type`` may be sent to it: an enabled
    compensator handling the type (``/COMP001``), or (RTA, ``index``) a live entry of the current RTA
    Insurer Index (``II0001``). ``{"value", "label", "hint", "id", "path", "insurer", "type"}``."""
    if not value:
        return None
    if index and claim_type is ClaimType.RTA:
        entry = (
            InsurerIndexEntry.objects.filter(
                index_id=value.strip().upper(),
                enabled=True,
                organisation__enabled=True,
                organisation__org_type=Organisation.Type.COMP,
            )
            .select_related("organisation")
            .first()
        )
        if entry is None:
            return None
        org = entry.organisation
        return {
            "value": entry.index_id,
            "label": f"{entry.insurer_name} ({entry.index_id})",
            "hint": f"Claims go to {org.name} ({org.path})",
            "id": org.org_id,
            "path": org.path,
            "insurer": entry.insurer_name,
            "type": entry.compensator_type,
        }
    found = Organisation.objects.filter(
        org_id=value.strip().lstrip("/").upper(), org_type=Organisation.Type.COMP, enabled=True
    ).first()
    if found is None or claim_type.profile_family not in found.claim_types:
        return None
    return {
        "value": found.path,
        "label": f"{found.name} ({found.path})",
        "hint": "",
        "id": found.org_id,
        "path": found.path,
        "insurer": found.name,
        "type": found.compensator_type,
    }


def compensator_source(actor: Actor, application_id: str, index: bool) -> Source:
    """The compensators the actor's own draft may be sent to: enabled compensators handling its claim
    type, or (RTA, ``index``) the current version of the RTA Insurer Index (its live entries)."""
    draft = drafts.get_draft(actor, application_id)
    claim_type = ClaimType(draft.claim_type)
    use_index = index and claim_type is ClaimType.RTA

    def options(text: str, limit: int) -> list[Option]:
        if use_index:
            return [
                Option(
                    e.insurerIndexId,
                    f"{e.insurerName} ({e.insurerIndexId})",
                    f"Claims go to {e.organisationName} ({e.organisationPath})",
                )
                for e in search_insurer_index(organisation_name=text.strip())[:limit]
            ]
        return [
            Option(o.organisationPath, f"{o.organisationName} ({o.organisationPath})")
            for o in search_compensators(organisation_name=text.strip(), claim_type=claim_type)[:limit]
        ]

    def find(value: str) -> Option | None:
        chosen = compensator_choice(claim_type, use_index, value)
        return Option(chosen["value"], chosen["label"], chosen["hint"]) if chosen else None

    return Source(options, find)


def resend_source(actor: Actor, application_id: str) -> Source:
    """The compensators a rejected claim the actor can see may be sent to again: the enabled ones that
    handle its claim type (the claimant representative's side only)."""
    claim = claim_selectors.get_visible_claim(actor, application_id)
    claim_type = ClaimType(claim.claim_type)
    if actor.side is not Side.CR:
        return Source(lambda _text, _limit: [], lambda _value: None)

    def options(text: str, limit: int) -> list[Option]:
        return [
            Option(o.organisationPath, f"{o.organisationName} ({o.organisationPath})")
            for o in search_compensators(organisation_name=text.strip(), claim_type=claim_type)[:limit]
        ]

    def find(value: str) -> Option | None:
        chosen = compensator_choice(claim_type, False, value)
        return Option(chosen["value"], chosen["label"]) if chosen else None

    return Source(options, find)


def source_for(actor: Actor, kind: str, params: Mapping[str, str]) -> Source:
    """The source of ``kind`` for the actor, with the page's ``params`` (``claim``, ``purpose``,
    ``source``). Raises :class:`Http404` for an unknown kind or a claim the actor cannot see, and
    :class:`PortalError` ``FORBIDDEN_PROFILE`` for a list the actor may not have."""
    if kind == "user":
        if params.get("purpose") == "act-as":
            if not any(rule.team_leader for rule in actor.scope.rules):
                raise PortalError("FORBIDDEN_PROFILE", "Only a team leader can sign in as another user")
            return user_source(actor, acting_as=True)
        return user_source(actor)
    if kind == "branch":
        return branch_source(actor)
    if kind == "reassign":
        source = reassign_source(actor, params.get("claim", ""))
        return Source(source.search, _reassign_find(source))
    if kind == "resend":
        return resend_source(actor, params.get("claim", ""))
    if kind == "compensator":
        return compensator_source(actor, params.get("claim", ""), params.get("source") == "index")
    raise Http404("No such list")


# --------------------------------------------------------------------------------------------------
# The picker as a page shows it
# --------------------------------------------------------------------------------------------------


@dataclass
class Picker:
    """One picker on a page (``web/_picker.html``). ``mode``: "radios", "select" or "search"."""

    name: str  # the value's input name
    id: str  # the visible input's id (the error summary's anchor)
    label: str
    hint: str
    kind: str
    params: dict[str, str]
    mode: str
    options: list[Option]
    value: str = ""
    query: str = ""
    more: bool = False
    chosen: Option | None = None
    errors: list[str] = field(default_factory=list)
    empty_text: str = "Choose one"
    label_class: str = "govuk-label--s"
    params_from: str = ""  # the names of the form's fields whose values the search also sends
    url_name: str = "picker"  # the JSON search's URL ("console-picker" in the administration console)

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=[self.kind]) + (
            f"?{urlencode(self.params)}" if self.params else ""
        )

    @property
    def summary(self) -> str:
        return results_summary(len(self.options), self.more, searched=bool(self.query))

    @property
    def radio_ids(self) -> list[tuple[Option, str]]:
        return [(o, self.id if i == 0 else f"{self.id}-{i + 1}") for i, o in enumerate(self.options)]

    @property
    def described_by(self) -> str:
        return " ".join(
            part
            for part in (f"{self.id}-hint" if self.hint else "", f"{self.id}-error" if self.errors else "")
            if part
        )


def results_summary(count: int, more: bool, *, searched: bool = True) -> str:
    if more:
        return f"More than {count} found: the first {count} are shown. Type more of the name to narrow the search."
    if count == 0:
        return (
            "Nothing found. Check the spelling or type less of the name." if searched else "Nothing to choose"
        )
    return f"{count} found" if searched else f"{count} to choose from"


def build_picker(
    source: Source,
    *,
    name: str,
    id: str,
    label: str,
    hint: str = "",
    kind: str,
    params: Mapping[str, str] | None = None,
    value: str = "",
    query: str = "",
    errors: Iterable[str] = (),
    empty_text: str = "Choose one",
    label_class: str = "govuk-label--s",
    always_search: bool = False,
    params_from: str = "",
    optional: bool = False,
    url_name: str = "picker",
) -> Picker:
    """A picker showing ``value`` (chosen) and, when searching, the matches of ``query``."""
    query = query.strip()[:QUERY_LENGTH]
    first = [] if always_search else source.search("", SELECT_LIMIT + 1)
    if first and len(first) <= SELECT_LIMIT and not always_search:
        mode = "radios" if len(first) <= RADIO_LIMIT else "select"
        if optional and mode == "radios":  # leaving it unanswered is an answer too
            first = [Option("", empty_text), *first]
        return Picker(
            name,
            id,
            label,
            hint,
            kind,
            dict(params or {}),
            mode,
            first,
            value=value,
            chosen=next((o for o in first if o.value == value), None),
            errors=list(errors),
            empty_text=empty_text,
            label_class=label_class,
            url_name=url_name,
        )
    found = source.search(query, PICK_LIMIT + 1)
    chosen = source.find(value) if value else None
    options = found[:PICK_LIMIT]
    if chosen is not None and all(o.value != chosen.value for o in options):
        options = [chosen, *options[: PICK_LIMIT - 1]]
    return Picker(
        name,
        id,
        label,
        hint,
        kind,
        dict(params or {}),
        "search",
        options,
        value=value,
        query=query,
        more=len(found) > PICK_LIMIT,
        chosen=chosen,
        errors=list(errors),
        empty_text=empty_text,
        label_class=label_class,
        params_from=params_from,
        url_name=url_name,
    )


def options_json(source: Source, text: str) -> JsonResponse:
    """The JSON search's answer: ``{"options": [{value, label, hint}], "more", "summary"}``, or 400
    with ``{"errors": [{field, message}]}`` for a search text too long."""
    if len(text) > QUERY_LENGTH:
        return JsonResponse({"errors": [{"field": "q", "message": TOO_LONG}]}, status=400)
    found = source.search(text.strip(), PICK_LIMIT + 1)
    more = len(found) > PICK_LIMIT
    options = found[:PICK_LIMIT]
    return JsonResponse(
        {
            "options": [o.as_dict() for o in options],
            "more": more,
            "summary": results_summary(len(options), more),
        }
    )


def searching(post: Mapping[str, Any], name: str) -> bool:
    """Whether a form was sent to search (no JavaScript): its "Search" button, or Enter in the search
    field after changing its text (the text differs from the search whose matches are shown)."""
    if post.get("_pick") == name:
        return True
    query = str(post.get(f"{name}-q", "") or "").strip()
    shown = post.get(f"{name}-searched")
    return shown is not None and query != str(shown).strip()
