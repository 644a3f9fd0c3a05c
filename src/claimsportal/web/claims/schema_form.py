"""One form renderer for every operation: GOV.UK form fields from an operation's Pydantic model.

The payload models of ``protocols`` are the forms (WORKFLOW.md §6): ``presentation.form_tree`` reads a
model's JSON schema once into a tree of :class:`~claimsportal.presentation.form_tree.Node`; this module

* **binds** it to values for display (:func:`bind`): objects are fieldsets with legends, string code
  lists radios (few options) or a select, ``"1"``/``"0"`` flags and booleans Yes/No radios (three or
  more optional flags of one object a checkbox group), dates the GOV.UK date input, amounts and
  percentages inputs with ``inputmode="decimal"``, arrays a number of repeatable groups with "Add" and
  "Remove" buttons (plain submit buttons: no JavaScript needed);
* **parses** a POST back into the payload (:func:`parse`): nothing is converted or checked here —
  the text goes to ``perform`` as typed (a date as ``YYYY-MM-DD`` from its three boxes), so every
  error is the API's own, with the API's message;
* maps the API's error details onto the fields (:func:`attach_errors`): each input's ``name`` is the
  field's dotted path in the payload (``cnf.claimAndClaimantDetails.claimantDetails.personalDetails.
  dateOfBirth``; list items by index), so a ``PortalError`` detail's ``field`` names its input (or,
  for a rule about a whole block, the nearest fieldset).

Stored JSON is summarised for reading by ``presentation.summary`` (the PDFs use it too), with the same
labels.

Nothing here knows a business rule: which operation, which claim and what is allowed are the
caller's (``claims.services.perform`` decides).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from claimsportal.presentation.form_tree import CRUMB, Node, field_id, find_absolute, join_path, template_path
from claimsportal.presentation.messages import field_message, plain_text, summary_prefix, what_to_do
from claimsportal.protocols.errors import ErrorDetail
from claimsportal.protocols.forms import rules as conditional

MAX_GROUPS = 50  # a posted count beyond this is ignored (no form repeats more)
RADIO_LIMIT = 6  # more options than this: a select
FLAG_GROUP_MIN = 3  # this many optional Yes/No flags in one block: a checkbox group
# A block with these fields is a hospital of a CNF (WORKFLOW.md §6): the page offers the NHS hospital
# finder beside it, which fills them in (web/claims/_hospital_finder.html, static/web/claimsportal.js).
HOSPITAL_FIELDS = frozenset({"hospitalName", "hospitalAddress", "postCode", "hospitalType"})


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


# --------------------------------------------------------------------------------------------------
# Values: what the inputs hold, by input name
# --------------------------------------------------------------------------------------------------

Values = dict[str, str]
"""Input name -> text. A field's name is its path; a date's three boxes are ``path[day]``,
``path[month]`` and ``path[year]``; a list's number of groups shown is ``path[count]``."""

_DATE_PARTS = ("day", "month", "year")


def values_from_data(node: Node, data: Any, path: str | None = None) -> Values:
    """The inputs' values that show ``data`` (stored or example JSON) in the form of ``node``."""
    out: Values = {}
    _fill_values(node, data, node.path if path is None else path, out)
    return out


def _fill_values(node: Node, data: Any, path: str, out: Values) -> None:
    if data is None:
        return
    if node.kind == "object":
        if isinstance(data, Mapping):
            for child in node.children:
                if child.name in data:
                    _fill_values(child, data[child.name], join_path(path, child.name), out)
        return
    if node.kind == "array":
        items = list(data) if isinstance(data, list) else []
        out[f"{path}[count]"] = str(len(items))
        assert node.item is not None
        for index, item in enumerate(items):
            _fill_values(node.item, item, join_path(path, index), out)
        return
    if node.kind == "date":
        text = str(data)
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            year, month, day = parts
            out[f"{path}[day]"], out[f"{path}[month]"], out[f"{path}[year]"] = (
                str(int(day)),
                str(int(month)),
                year,
            )
        else:
            out[f"{path}[year]"] = text
        return
    if node.kind == "boolean":
        out[path] = "true" if data is True else "false" if data is False else str(data)
        return
    out[path] = str(data)


def values_from_post(post: Any) -> Values:
    """The posted inputs (a ``QueryDict``: one value per name) as :data:`Values`."""
    return {key: str(post.get(key, "")) for key in post if not key.startswith(("_", "csrf"))}


def add_group(values: Values, node: Node, array_path: str) -> Values:
    """One more group in the list at ``array_path`` (the "Add" button)."""
    target = find_absolute(node, template_path(array_path))
    if target is None or target.kind != "array":
        return values
    count = _count(values, array_path, target)
    if target.max_items is None or count < target.max_items:
        count = min(count + 1, MAX_GROUPS)
    return {**values, f"{array_path}[count]": str(count)}


_INDEXED = re.compile(r"^(?P<array>.+)\.(?P<index>\d+)$")


def remove_group(values: Values, item_path: str) -> Values:
    """Without the group at ``item_path`` (``…otherParty.1``; the "Remove" button); later groups move up."""
    match = _INDEXED.match(item_path)
    if match is None:
        return values
    array, removed = match["array"], int(match["index"])
    pattern = re.compile(re.escape(array) + r"\.(\d+)(?=[.\[]|$)")
    out: Values = {}
    for key, value in values.items():
        found = pattern.match(key)
        if found is None:
            out[key] = value
            continue
        index = int(found.group(1))
        if index == removed:
            continue
        if index > removed:
            key = f"{array}.{index - 1}{key[found.end() :]}"
        out[key] = value
    count = int(values.get(f"{array}[count]", "0") or 0)
    out[f"{array}[count]"] = str(max(count - 1, 0))
    return out


def _count(values: Mapping[str, str], path: str, node: Node) -> int:
    """How many groups to show: what is posted or stored, at least the schema's minimum (and one for a
    required list)."""
    try:
        shown = int(values.get(f"{path}[count]", "0") or 0)
    except ValueError:
        shown = 0
    least = max(node.min_items, 1 if node.required else 0)
    limit = min(node.max_items or MAX_GROUPS, MAX_GROUPS)
    return max(least, min(shown, limit))


# --------------------------------------------------------------------------------------------------
# Parsing a POST into the payload
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormSettings:
    """Per-page adjustments, keyed by template path: fields the portal fills (``fixed``: sent with
    this value, not shown), fields not shown at all (``hidden``), and options for fields whose code
    list is not in the schema (``choices``, e.g. the exit codes open to this side)."""

    fixed: Mapping[str, Any] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    choices: Mapping[str, list[tuple[str, str]]] = field(default_factory=dict)


NO_SETTINGS = FormSettings()


def parse(node: Node, values: Mapping[str, str], settings: FormSettings = NO_SETTINGS) -> tuple[Any, Values]:
    """The payload the inputs give, and the values as they will be shown again (empty groups dropped,
    so that the API's list indices name the groups shown). The root is always an object (``{}`` at
    least), with every required block present so that the API names the missing fields themselves."""
    compact: Values = {}
    value = _parse(node, node.path, node.path, values, compact, settings)
    if node.kind == "object":
        value = _with_required_blocks(node, {} if value is MISSING else value, settings)
    return value, compact


def parse_section(
    node: Node, values: Mapping[str, str], settings: FormSettings = NO_SETTINGS
) -> tuple[Any, Values]:
    """As :func:`parse` for one part of a form saved on its own: ``None`` when nothing was entered."""
    compact: Values = {}
    value = _parse(node, node.path, node.path, values, compact, settings)
    if value is MISSING:
        return None, compact
    if node.kind == "object":
        value = _with_required_blocks(node, value, settings)
    return value, compact


def _with_required_blocks(node: Node, value: dict[str, Any], settings: FormSettings) -> dict[str, Any]:
    for child in node.children:
        if child.kind == "object" and child.required and child.name not in value:
            if child.path in settings.hidden:
                continue
            value[child.name] = _with_required_blocks(child, {}, settings)
    return value


def _parse(
    node: Node,
    src: str,
    dst: str,
    values: Mapping[str, str],
    out: Values,
    settings: FormSettings,
) -> Any:
    tpath = node.path
    if tpath in settings.hidden:
        return MISSING
    if tpath in settings.fixed:
        return settings.fixed[tpath]
    if node.kind == "object":
        result: dict[str, Any] = {}
        entered = False
        for child in node.children:
            value = _parse(
                child, join_path(src, child.name), join_path(dst, child.name), values, out, settings
            )
            if value is not MISSING:
                result[child.name] = value
                entered = entered or child.path not in settings.fixed
            elif child.empty_ok:
                result[child.name] = ""  # required but may be empty: present, so not "missing"
        if not entered:
            return MISSING
        return _with_required_blocks(node, result, settings)
    if node.kind == "array":
        assert node.item is not None
        try:
            posted = min(int(values.get(f"{src}[count]", "0") or 0), MAX_GROUPS)
        except ValueError:
            posted = 0
        items: list[Any] = []
        for index in range(posted):
            value = _parse(
                node.item, join_path(src, index), join_path(dst, len(items)), values, out, settings
            )
            if value is not MISSING:
                items.append(value)
        out[f"{dst}[count]"] = str(len(items))
        return items if items else MISSING
    if node.kind == "date":
        parts = [values.get(f"{src}[{part}]", "").strip() for part in _DATE_PARTS]
        for part, text in zip(_DATE_PARTS, parts, strict=True):
            if text:
                out[f"{dst}[{part}]"] = text
        if not any(parts):
            return MISSING
        day, month, year = parts
        if all(p.isdigit() for p in parts):
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"  # as typed: the API says what is wrong with it
    raw = values.get(src, "")
    if raw.strip() == "":
        return MISSING
    out[dst] = raw
    if node.kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


# --------------------------------------------------------------------------------------------------
# Binding: the fields to render
# --------------------------------------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool
    reveal: list[Field] = field(default_factory=list)  # GOV.UK conditional reveal: needed on this answer


@dataclass
class Field:
    """One field (or block) as rendered: ``kind`` picks its template."""

    node: Node
    path: str
    id: str
    kind: str
    label: str
    hint: str
    required: bool
    level: int
    value: str = ""
    parts: dict[str, str] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    count: int = 0
    can_add: bool = False
    item_label: str = ""
    removable: bool = False
    input_type: str = "text"
    crumb: str = ""
    picker: Any = (
        None  # a web.claims.pickers.Picker shown instead (an organisation, branch or user to choose)
    )

    @property
    def anchor(self) -> str:
        """Where the error summary links to: the first input of the field."""
        if self.kind == "date":
            return f"{self.id}-day"
        if self.kind == "checkboxes" and self.children:
            return self.children[0].id
        return self.id

    @property
    def optional(self) -> bool:
        """Marked "(optional)": not required, and not needed in some cases (those say when)."""
        return not self.required and not self.node.condition

    @property
    def use_select(self) -> bool:
        return self.kind == "choice" and len(self.choices) > RADIO_LIMIT

    @property
    def inline(self) -> bool:
        """Side by side: two short answers, none with a conditional reveal (GOV.UK: never inline)."""
        if any(choice.reveal for choice in self.choices):
            return False
        return self.kind in ("flag", "boolean") or (self.kind == "choice" and len(self.choices) <= 2)

    @property
    def width_class(self) -> str:
        """An input as wide as its longest answer (GOV.UK: the width hints at the answer expected)."""
        longest = self.node.max_length
        if self.kind != "text" or not longest or self.input_type == "email":
            return ""
        for limit, css in (
            (4, "govuk-input--width-4"),
            (10, "govuk-input--width-10"),
            (20, "govuk-input--width-20"),
        ):
            if longest <= limit:
                return css
        return "govuk-!-width-two-thirds" if longest <= 60 else ""

    @property
    def any_errors(self) -> bool:
        return bool(self.errors) or any(c.errors for c in self.children if c.kind == "checkbox")

    @property
    def hospital_finder(self) -> bool:
        """Whether this block is a hospital whose fields the NHS hospital finder fills in (all shown)."""
        return self.kind == "object" and {c.node.name for c in self.children} >= HOSPITAL_FIELDS

    @property
    def heading_tag(self) -> str:
        return {1: "h2", 2: "h3"}.get(self.level, "")

    @property
    def described_by(self) -> str:
        ids = []
        if self.hint:
            ids.append(f"{self.id}-hint")
        if self.errors:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    def walk(self) -> Iterable[Field]:
        yield self
        for child in self.children:
            yield from child.walk()
        for choice in self.choices:
            for revealed in choice.reveal:
                yield from revealed.walk()


def bind(
    node: Node,
    values: Mapping[str, str],
    settings: FormSettings = NO_SETTINGS,
    *,
    level: int = 0,
) -> Field:
    """The fields of ``node`` (at its own path) showing ``values``."""
    return _bind(node, node.path, values, settings, level, "")


def _bind(
    node: Node, path: str, values: Mapping[str, str], settings: FormSettings, level: int, crumb: str
) -> Field:
    label = node.label
    made = Field(
        node=node,
        path=path,
        id=field_id(path),
        kind=node.kind,
        label=label,
        hint=node.hint,
        required=node.required,
        level=level,
        input_type=node.input_type,
        crumb=f"{crumb}{CRUMB}{label}" if crumb and label else (label or crumb),
    )
    if node.kind == "object":
        visible = [c for c in node.children if c.path not in settings.hidden and c.path not in settings.fixed]
        if level == 0 and len(visible) == 1 and visible[0].kind == "object":
            # A payload that is one form (``{"insurerResponse": {…}}``): the form is the page.
            made.children.append(_bind(visible[0], join_path(path, visible[0].name), values, settings, 0, ""))
            return made
        flags = [
            c
            for c in node.children
            if c.optional_flag and c.path not in settings.hidden and c.path not in settings.fixed
        ]
        grouped = len(flags) >= FLAG_GROUP_MIN
        group: Field | None = None
        for child in node.children:
            if child.path in settings.hidden or child.path in settings.fixed:
                continue
            bound = _bind(child, join_path(path, child.name), values, settings, level + 1, made.crumb)
            if grouped and child in flags:
                bound.kind = "checkbox"
                if group is None:
                    group = Field(
                        node=node,
                        path=join_path(path, "_flags"),
                        id=field_id(join_path(path, "_flags")),
                        kind="checkboxes",
                        label="Which of these apply?",
                        hint="Select all that apply",
                        required=False,
                        level=level + 1,
                        crumb=made.crumb,
                    )
                    made.children.append(group)
                group.children.append(bound)
                continue
            made.children.append(bound)
        _reveal_conditional_answers(made)
        return made
    if node.kind == "array":
        assert node.item is not None
        count = _count(values, path, node)
        made.count = count
        made.item_label = node.label
        made.can_add = count < min(node.max_items or MAX_GROUPS, MAX_GROUPS)
        least = max(node.min_items, 1 if node.required else 0)
        for index in range(count):
            item = _bind(node.item, join_path(path, index), values, settings, level + 1, made.crumb)
            item.label = f"{node.label} {index + 1}"
            item.crumb = f"{crumb}{CRUMB}{item.label}" if crumb else item.label
            item.removable = count > least
            made.children.append(item)
        return made
    tpath = node.path
    if tpath in settings.choices:
        made.kind = "choice"
        made.choices = [Choice(v, text, "", False) for v, text in settings.choices[tpath]]
    else:
        made.choices = [Choice(v, text, "", False) for v, text in node.choices]
    if node.kind == "date":
        made.parts = {part: values.get(f"{path}[{part}]", "") for part in _DATE_PARTS}
    else:
        made.value = values.get(path, "")
    for index, choice in enumerate(made.choices):
        choice.id = made.id if index == 0 else f"{made.id}-{index + 1}"
        choice.checked = made.value == choice.value
    if made.kind == "choice" and len(made.choices) == 1 and node.required and not made.value:
        made.choices[0].checked = True  # the only answer there is
    return made


def _reveal_conditional_answers(block: Field) -> None:
    """Each answer a conditional rule (``protocols.forms.rules``) needs when a radio of the same block
    has one value is shown inside that value's conditional reveal (GOV.UK radios): under the radio,
    opened by choosing it. Without JavaScript every reveal is shown. Only single answers, not blocks
    (GOV.UK: keep a reveal to a simple question), only radios, not a drop-down list, and only an answer
    no other rule governs (one that other values allow too must stay in sight)."""
    by_name = {child.node.name: child for child in block.children}
    for rule in conditional.ALL:
        if rule.then != "required" or rule.unless or len(rule.when.values) != 1:
            continue
        if sum(other.key == rule.key for other in conditional.ALL) > 1:
            continue  # governed otherwise too (the reasons for denial: required on N, also allowed on AN)
        target, trigger = by_name.get(rule.field), by_name.get(rule.when.path)
        if target is None or trigger is None or target.kind in ("object", "array", "checkboxes"):
            continue
        if trigger.kind not in ("flag", "boolean", "choice") or trigger.use_select:
            continue
        if not (target.node.path == rule.key or target.node.path.endswith("." + rule.key)):
            continue
        choice = next((c for c in trigger.choices if c.value == rule.when.values[0]), None)
        if choice is None or target not in block.children:
            continue
        block.children.remove(target)
        choice.reveal.append(target)


# --------------------------------------------------------------------------------------------------
# Errors beside the fields
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryError:
    text: str
    href: str  # "" when the error belongs to no field shown


def attach_errors(
    root: Field, details: Iterable[ErrorDetail], *, href_prefix: str = ""
) -> list[SummaryError]:
    """Put each API error beside its field (the nearest field shown for a path below or above the
    fields), worded for a person (``presentation.messages``), and list them for the GOV.UK error
    summary, in the order of the API. A whole block left out is reported as each required answer in
    it, so every link lands on an input that shows its error."""
    index: dict[str, Field] = {}
    for bound in root.walk():
        if bound.kind != "checkboxes":
            index.setdefault(bound.path, bound)
    summary: list[SummaryError] = []
    for detail in details:
        target = _nearest(index, detail.field)
        if target is None:
            summary.append(
                SummaryError(field_message(detail, None) if detail.field else plain_text(detail.message), "")
            )
            continue
        exact = target.path == detail.field
        if exact and target.kind in ("object", "array") and detail.kind in _LEFT_OUT:
            leaves = list(_required_answers(target))
            if leaves:
                for leaf in leaves:
                    _attach(leaf, what_to_do(leaf.label, leaf.kind), summary, href_prefix)
                continue
        _attach(
            target,
            field_message(detail, target.node, target.kind) if exact else field_message(detail, None),
            summary,
            href_prefix,
        )
    return summary


_LEFT_OUT = frozenset({"missing", "model_type", "dict_type", "list_type", "too_short"})


def _attach(target: Field, message: str, summary: list[SummaryError], href_prefix: str) -> None:
    if message in target.errors:
        return
    target.errors.append(message)
    prefix = summary_prefix(target.crumb, CRUMB)
    text = f"{prefix}: {message}" if prefix else message
    summary.append(SummaryError(text, f"{href_prefix}#{target.anchor}"))


def _required_answers(block: Field) -> Iterable[Field]:
    """The required inputs of a block (recursing into its required blocks and groups)."""
    for child in block.children:
        if child.kind == "checkboxes" or not child.required:
            continue
        if child.kind in ("object", "array"):
            inner = list(_required_answers(child))
            yield from inner if inner else [child] if child.kind == "array" else []
        else:
            yield child


def _nearest(index: Mapping[str, Field], path: str) -> Field | None:
    """The field at ``path`` or the nearest block above it that is shown (None: a rule about the whole
    request, or a field the page does not show)."""
    current = path
    while current:
        if current in index:
            return index[current]
        current = current.rpartition(".")[0]
    return None


def adjust_groups(node: Node, values: Values, post: Any) -> Values:
    """The groups as typed, with one more (the "Add" button, ``_add``) or one fewer (``_remove``)."""
    if "_add" in post:
        return add_group(values, node, str(post.get("_add")))
    return remove_group(values, str(post.get("_remove")))
