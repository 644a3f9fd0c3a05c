"""A stored form read through its :class:`~claimsportal.presentation.form_tree.Node`: one group of
labelled rows per block, values as people read them (dates in words, codes by their labels, amounts
in pounds). The claim page and the printable documents show forms this way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from claimsportal.presentation.form_tree import CRUMB, Node, field_id, join_path
from claimsportal.presentation.labels import code_label, field_label


@dataclass(frozen=True)
class SummaryRow:
    key: str
    value: str
    path: str
    anchor: str


@dataclass(frozen=True)
class SummaryGroup:
    heading: str
    path: str
    rows: tuple[SummaryRow, ...]


def display_value(node: Node | None, value: Any) -> str:
    """A stored value as a person reads it."""
    if value is None:
        return ""
    if node is None:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)
    if node.kind in ("flag", "choice"):
        text = str(value)
        return next((label for v, label in node.choices if v == text), code_label(node.name, text))
    if node.kind == "boolean":
        return "Yes" if value is True else "No" if value is False else str(value)
    if node.kind == "date":
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{day.day} {day:%B %Y}"
    if node.kind == "amount":
        return f"£{value}"
    if node.kind == "percent":
        return f"{value}%"
    return str(value)


def summarise(node: Node, data: Any, *, path: str | None = None, heading: str = "") -> list[SummaryGroup]:
    """``data`` read through ``node``: one group of rows per block, headed by where it is in the form."""
    groups: list[SummaryGroup] = []
    path = node.path if path is None else path
    only = node.children[0] if node.kind == "object" and len(node.children) == 1 else None
    if only is not None and only.kind == "object" and isinstance(data, Mapping) and set(data) <= {only.name}:
        node, data, path = only, data.get(only.name), join_path(path, only.name)  # one form: the form is it
    _summarise(node, data, path, heading, groups)
    return [g for g in groups if g.rows]


def _summarise(node: Node | None, data: Any, path: str, heading: str, groups: list[SummaryGroup]) -> None:
    if isinstance(data, Mapping):
        rows: list[SummaryRow] = []
        nested: list[tuple[Node | None, Any, str, str]] = []
        known = {c.name: c for c in node.children} if node is not None and node.kind == "object" else {}
        names = [c.name for c in node.children] if node is not None and node.kind == "object" else []
        names += [k for k in data if k not in known]
        for name in names:
            if name not in data or str(name).startswith("_"):
                continue
            value = data[name]
            if value is None or value == "":
                continue  # not given
            child = known.get(name)
            child_path = join_path(path, name)
            label = child.label if child is not None else field_label(name)
            if isinstance(value, Mapping) or (
                isinstance(value, list) and any(isinstance(v, Mapping) for v in value)
            ):
                nested.append((child, value, child_path, f"{heading}{CRUMB}{label}" if heading else label))
            elif isinstance(value, list):
                item = child.item if child is not None else None
                text = ", ".join(display_value(item, v) for v in value)
                rows.append(SummaryRow(label, text, child_path, field_id(child_path)))
            else:
                anchor = field_id(child_path) + ("-day" if child is not None and child.kind == "date" else "")
                rows.append(SummaryRow(label, display_value(child, value), child_path, anchor))
        groups.append(SummaryGroup(heading, path, tuple(rows)))
        for child, value, child_path, child_heading in nested:
            _summarise(child, value, child_path, child_heading, groups)
        return
    if isinstance(data, list):
        item = node.item if node is not None and node.kind == "array" else None
        base = heading.rpartition(CRUMB)
        for index, value in enumerate(data):
            label = f"{node.label if node is not None else base[2]} {index + 1}"
            item_heading = f"{base[0]}{CRUMB}{label}" if base[0] else label
            _summarise(item, value, join_path(path, index), item_heading, groups)
        return
    groups.append(
        SummaryGroup(
            heading,
            path,
            (SummaryRow(node.label if node else "", display_value(node, data), path, field_id(path)),),
        )
    )
