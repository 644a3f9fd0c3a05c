"""A payload model's form as a tree of :class:`Node`, read once from its JSON schema.

The payload models of ``protocols`` are the forms (WORKFLOW.md §6): :func:`form_tree` reads a model's
JSON schema (``model_json_schema()``, ``$defs`` resolved) into objects (blocks), arrays (repeatable
groups) and leaves with their kind (text, date, amount, flag, choice, …), label, hint and choices.
The web pages bind it to inputs (``web.claims.schema_form``); the pages and the PDFs summarise stored
forms through it (``presentation.summary``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pydantic import BaseModel

from claimsportal.presentation.labels import (
    AMOUNT_HINT,
    CODE_LABELS,
    FIELD_HINTS,
    PERCENT_HINT,
    YES_NO,
    code_label,
    condition,
    field_label,
)

CRUMB = " \u203a "  # between the blocks of a field's place in the form (a single right angle quote)
TEXTAREA_FROM = 101  # strings allowed more characters than this: a textarea


@dataclass(frozen=True)
class Node:
    name: str  # the field's own name ("" for the payload itself)
    path: str  # dotted from the payload's root; list items as "*" (``otherParty.*.opType``)
    kind: str  # object, array, text, textarea, integer, amount, percent, date, boolean, flag, choice
    label: str
    hint: str = ""
    required: bool = False
    children: tuple[Node, ...] = ()
    item: Node | None = None
    choices: tuple[tuple[str, str], ...] = ()
    min_items: int = 0
    max_items: int | None = None
    input_type: str = "text"
    empty_ok: bool = False  # a required text that may be empty: sent as "" when left empty
    max_length: int = 0
    condition: str = ""  # when an answer not always needed is needed (never shown as "optional")

    def child(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)

    def find(self, path: str) -> Node | None:
        """The node at a dotted template path below this one (``*`` for list items)."""
        node: Node | None = self
        for part in path.split(".") if path else []:
            if node is None:
                return None
            node = node.item if part == "*" else node.child(part)
        return node

    @property
    def is_leaf(self) -> bool:
        return self.kind not in ("object", "array")

    @property
    def optional_flag(self) -> bool:
        return self.kind == "flag" and not self.required


def find_absolute(root: Node, path: str) -> Node | None:
    """The node at the template ``path`` counted from the payload's root, if it is ``root`` or below it."""
    if path == root.path:
        return root
    if root.path and not path.startswith(root.path + "."):
        return None
    return root.find(path[len(root.path) + 1 :] if root.path else path)


def join_path(path: str, name: str | int) -> str:
    """``path`` and one more part (a field's name or a list index)."""
    return f"{path}.{name}" if path else str(name)


def _resolve(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema with ``$ref``/``anyOf``/``allOf`` resolved, and whether ``null`` is allowed."""
    current = dict(schema)
    nullable = False
    for _ in range(20):
        if "$ref" in current:
            target = defs[current.pop("$ref").rsplit("/", 1)[-1]]
            siblings = {k: v for k, v in current.items() if k in ("default", "title")}
            current = {**target, **siblings}
        elif "anyOf" in current or "oneOf" in current:
            options = current.pop("anyOf", None) or current.pop("oneOf")
            real = [o for o in options if o.get("type") != "null"]
            nullable = nullable or len(real) < len(options)
            chosen = next((o for o in real if "$ref" in o or o.get("type") == "object"), real[0])
            current = {**chosen, **{k: v for k, v in current.items() if k in ("default", "title")}}
        elif "allOf" in current and len(current["allOf"]) == 1:
            current = {**current.pop("allOf")[0], **current}
        else:
            break
    return current, nullable


def _leaf_kind(name: str, schema: Mapping[str, Any]) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """(kind, choices, input type) of a field that is not an object or an array."""
    if "enum" in schema or "const" in schema:
        values = [str(v) for v in schema.get("enum", [schema.get("const")])]
        if sorted(values) == ["0", "1"] and name not in CODE_LABELS:
            return "flag", tuple(YES_NO), "text"
        return "choice", tuple((v, code_label(name, v)) for v in values), "text"
    kind = schema.get("type")
    if kind == "boolean":
        return "boolean", (("true", "Yes"), ("false", "No")), "text"
    if kind == "integer":
        return "integer", (), "text"
    if kind == "number":
        return "amount", (), "text"
    if schema.get("format") == "date":
        return "date", (), "text"
    description = str(schema.get("description", ""))
    if description.startswith("An amount"):
        return "amount", (), "text"
    if description.startswith("A percentage"):
        return "percent", (), "text"
    if schema.get("format") == "email" or name.lower().endswith("emailaddress"):
        return "text", (), "email"
    if "telephone" in name.lower():
        return "text", (), "tel"
    if int(schema.get("maxLength") or 0) >= TEXTAREA_FROM:
        return "textarea", (), "text"
    return "text", (), "text"


def _node(
    schema: Mapping[str, Any], defs: Mapping[str, Any], *, name: str, path: str, required: bool, depth: int
) -> Node:
    resolved, _nullable = _resolve(schema, defs)
    label = field_label(name) if name else ""
    hint = FIELD_HINTS.get(name, "")
    kind = resolved.get("type")
    if depth > 30:  # a recursive schema: stop (the forms have none)
        return Node(name, path, "text", label, hint, required)
    if kind == "object" and "properties" in resolved:
        wanted = set(resolved.get("required", ()))
        children = tuple(
            _node(
                sub, defs, name=child, path=join_path(path, child), required=child in wanted, depth=depth + 1
            )
            for child, sub in resolved["properties"].items()
        )
        return Node(name, path, "object", label, hint, required, children=children)
    if kind == "array":
        item = _node(
            resolved.get("items", {}),
            defs,
            name=name,
            path=join_path(path, "*"),
            required=True,
            depth=depth + 1,
        )
        return Node(
            name,
            path,
            "array",
            label,
            hint,
            required,
            item=item,
            min_items=int(resolved.get("minItems") or 0),
            max_items=int(resolved["maxItems"]) if "maxItems" in resolved else None,
        )
    leaf, choices, input_type = _leaf_kind(name, resolved)
    if not hint and leaf == "amount":
        hint = AMOUNT_HINT
    elif not hint and leaf == "percent":
        hint = PERCENT_HINT
    empty_ok = (
        required and leaf in ("text", "textarea") and kind == "string" and not resolved.get("minLength")
    )
    return Node(
        name,
        path,
        leaf,
        label,
        hint,
        required,
        choices=choices,
        input_type=input_type,
        empty_ok=empty_ok,
        max_length=int(resolved.get("maxLength") or 0),
    )


def _with_conditions(node: Node) -> Node:
    """The tree with each conditional answer's condition (and its hint saying so)."""
    children = tuple(_with_conditions(c) for c in node.children)
    item = _with_conditions(node.item) if node.item is not None else None
    when = "" if node.required else condition(node.path)
    hint = node.hint
    if when and when not in hint:
        hint = f"{when}. {hint}" if hint else when
    return replace(node, children=children, item=item, condition=when, hint=hint)


@cache
def form_tree(model: type[BaseModel]) -> Node:
    """The form of a payload model (read once per model)."""
    schema = model.model_json_schema()
    return _with_conditions(_node(schema, schema.get("$defs", {}), name="", path="", required=True, depth=0))


def template_path(path: str) -> str:
    """A concrete path with its list indices as ``*`` (``otherParty.0.opType`` -> ``otherParty.*.opType``)."""
    return ".".join("*" if part.isdigit() else part for part in path.split(".")) if path else ""


def field_id(path: str) -> str:
    """The HTML id of the input (or block) at ``path``: where a summary row links to on the form."""
    return "f-" + path.replace(".", "-") if path else "f-form"
