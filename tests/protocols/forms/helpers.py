"""Shared helpers for the table-driven form tests: change one field of a valid form, read the errors."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

MISSING: Any = object()  # a change that deletes the field


def with_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with each dotted path set to its value (MISSING deletes it)."""
    data = copy.deepcopy(base)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is MISSING:
            del node[last]
        else:
            node[last] = value
    return data


def errors_of(form: type[BaseModel], data: dict[str, Any], today: date) -> dict[str, str]:
    """Each error's field path ('a.b.0.c') and message; empty when the form is valid."""
    try:
        form.model_validate(data, context={"today": today})
    except ValidationError as exc:
        return {".".join(str(p) for p in err["loc"]): err["msg"] for err in exc.errors()}
    return {}
