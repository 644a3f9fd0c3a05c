"""The one rule for text the portal accepts, from a person or a system: no NUL, no other control
character, no bidirectional override and no lone surrogate (none can be stored in PostgreSQL, printed
on a legal record or shown without misleading the reader). Tab, line feed and carriage return are text.

The A2A body parser (``a2a.body``), the URL guard (``core.request_guard``) and the web's forms use it,
so an API call and a page refuse the same characters with the same words.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls but tab, LF and CR; DEL and the C1 controls; the bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069); lone surrogates (a JSON "\ud800" escape).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

MESSAGE = "must not contain control characters (such as NUL) or bidirectional overrides"


def forbidden_character(text: str) -> str | None:
    """The first character of ``text`` the portal refuses, as ``U+XXXX``; ``None`` when there is none."""
    found = FORBIDDEN.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def problem(text: str) -> str | None:
    """What is wrong with ``text``, in words (``None``: nothing)."""
    found = forbidden_character(text)
    return None if found is None else f"{MESSAGE}: {found} found"


def problems(value: Any, path: str = "", *, limit: int = 20) -> list[tuple[str, str]]:
    """``(path, message)`` for every string (object keys too) in ``value`` that breaks the rule, paths
    dot-joined with list indices (``cnf.claimant.names.0.surname``), at most ``limit``."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack and len(found) < limit:
        where, item = stack.pop()
        if isinstance(item, str):
            wrong = problem(item)
            if wrong:
                found.append((where or "body", wrong))
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                name = str(key)
                wrong = problem(name)
                if wrong:
                    found.append((_join(where, name), f"the field name {wrong}"))
                stack.append((_join(where, name), child))
        elif isinstance(item, list | tuple):
            stack.extend((_join(where, index), child) for index, child in reversed(list(enumerate(item))))
    return found[:limit]


def _join(path: str, name: str | int) -> str:
    return f"{path}.{name}" if path else str(name)
