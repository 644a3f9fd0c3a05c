"""What a CNF keeps from the compensator and from every printable document.

The referral source (RTA CNF, Release 6, ADMINISTRATION.md §8.6) is asked of the claimant
representative for the Insurance Fraud Taskforce: it is **not sent to the compensator and not
printed on PDFs**. The portal stores the CNF as sent; every read for the compensator side and every
printed document goes through :func:`without_withheld`, so the rule has one place.
"""

from __future__ import annotations

import copy
from typing import Any

# Paths inside a CNF (RTA; EL/PL CNFs have no such block, so the paths are simply absent there).
WITHHELD_CNF_PATHS: tuple[tuple[str, ...], ...] = (
    ("claimAndClaimantDetails", "claimantRepresentative", "referralSourceInfo"),
)


def without_withheld(cnf: Any) -> Any:
    """A copy of ``cnf`` without the withheld blocks (``cnf`` itself is not changed)."""
    if not isinstance(cnf, dict) or not any(_has(cnf, path) for path in WITHHELD_CNF_PATHS):
        return cnf
    out = copy.deepcopy(cnf)
    for *parents, leaf in WITHHELD_CNF_PATHS:
        node: Any = out
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(leaf, None)
    return out


def form_without_withheld(form: Any) -> Any:
    """An operation's form (e.g. addClaim's ``{"cnf": …}``) with its CNF, if any, withheld from."""
    if isinstance(form, dict) and isinstance(form.get("cnf"), dict):
        return {**form, "cnf": without_withheld(form["cnf"])}
    return form


def _has(cnf: dict[str, Any], path: tuple[str, ...]) -> bool:
    node: Any = cnf
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True
