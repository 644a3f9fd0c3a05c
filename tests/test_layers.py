"""Layers hold (ARCHITECTURE.md §4 rule 9; issue 13): protocols → reference/organisations → claims →
notifications/documents → a2a/web; a lower layer never imports a higher one, and no import cycles.

Pure Python: every module under src/claimsportal is parsed with ``ast`` and every import statement
counted, those inside functions (a lazy import is still a dependency) and under ``TYPE_CHECKING``
too. The contracts:

(a) ``claimsportal.protocols`` imports only the standard library, pydantic, holidays and itself;
(b) no module outside ``web/`` imports ``claimsportal.web``, none outside ``a2a/`` imports
    ``claimsportal.a2a``;
(c) no import cycle, between modules nor between ``claimsportal.<package>.<module>`` units (a
    subpackage such as ``web.claims`` counts as one unit).

What is still pending is in the allow-lists below, each with the import that must move to remove it.
An entry that no longer matches anything fails too: delete it, so that the lists only shrink. Not
seen: imports by name at run time (``importlib``, ``autodiscover_modules``, settings' dotted paths).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = "claimsportal"

# (a) What the protocol core may import besides itself.
PROTOCOLS_MAY_IMPORT = frozenset(sys.stdlib_module_names) | {"pydantic", "pydantic_core", "holidays"}

# (b) Imports of claimsportal.web / claimsportal.a2a from outside, by (importer, imported): why each
# is still there and what must move to remove it.
INTO_WEB_ALLOWED: dict[tuple[str, str], str] = {}
INTO_A2A_ALLOWED: dict[tuple[str, str], str] = {
    # The composition root: the URLconf mounts the API and its fast path. Permanent.
    ("claimsportal.config.urls", "claimsportal.a2a.api"): "config mounts the A2A API",
    ("claimsportal.config.urls", "claimsportal.a2a.dispatch"): "config mounts the A2A fast path",
    # Pending (jobs is another engineer's): the purges of credential failures and expired tokens
    # read a2a's tables; a2a should declare those jobs itself (a2a/jobs.py registered in the job
    # registry) instead of jobs importing a2a.
    ("claimsportal.jobs.portal_jobs", "claimsportal.a2a.guessing"): "purge of credential failures",
    ("claimsportal.jobs.portal_jobs", "claimsportal.a2a.models"): "purge of expired tokens",
}

# (c) Cycles still there, as the set of modules (or units) in the cycle: why, and what must move.
MODULE_CYCLES_ALLOWED: dict[frozenset[str], str] = {}
UNIT_CYCLES_ALLOWED: dict[frozenset[str], str] = {
    **MODULE_CYCLES_ALLOWED,
}


@dataclass(frozen=True)
class Import:
    importer: str  # the module with the import statement
    imported: str  # the claimsportal module it names, or the top-level name of another package
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.importer} imports {self.imported}"


@cache
def modules() -> dict[str, Path]:
    """Every module of the project by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(name: str) -> str:
    """The project module ``name`` is or is in (``a.b.C`` imported from ``a.b``: ``a.b``)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        names: list[str]
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from a.b import c``: the module a.b.c if there is one, else (a name in) a.b
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name == PACKAGE or name.startswith(f"{PACKAGE}."):
                imported = _resolve(name)
            else:
                imported = name.partition(".")[0]
            if imported and imported != module and imported != "__future__":
                yield Import(module, imported, path, node.lineno)


@cache
def imports() -> tuple[Import, ...]:
    return tuple(found for module, path in modules().items() for found in _imports_of(module, path))


def project_imports() -> list[Import]:
    return [i for i in imports() if i.imported.startswith(f"{PACKAGE}.") or i.imported == PACKAGE]


def package_of(module: str) -> str:
    """``claimsportal.web.claims.views`` -> ``web``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def unit_of(module: str) -> str:
    """``claimsportal.<package>.<module>``: a module, or the subpackage it is in."""
    return ".".join(module.split(".")[:3])


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """The graph's cycles: its strongly connected components of more than one node (Tarjan,
    iterative: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _listed(found: Iterable[Import]) -> str:
    return "\n".join(f"  {line}" for line in sorted({str(i) for i in found}))


# --------------------------------------------------------------------------------------------------
# (a) The protocol core is pure
# --------------------------------------------------------------------------------------------------


def test_the_protocol_core_imports_only_the_standard_library_pydantic_holidays_and_itself() -> None:
    wrong = [
        i
        for i in imports()
        if package_of(i.importer) == "protocols"
        and (
            package_of(i.imported) != "protocols"
            if i.imported.startswith(f"{PACKAGE}.")
            else i.imported not in PROTOCOLS_MAY_IMPORT
        )
    ]
    assert not wrong, (
        "claimsportal.protocols is pure Python (ARCHITECTURE.md §4): no Django, no other package of "
        f"the project.\n{_listed(wrong)}"
    )


# --------------------------------------------------------------------------------------------------
# (b) Nothing below imports the web or the A2A API
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("top", "allowed"), [("web", INTO_WEB_ALLOWED), ("a2a", INTO_A2A_ALLOWED)])
def test_only_its_own_package_imports_the_web_or_the_a2a_api(
    top: str, allowed: dict[tuple[str, str], str]
) -> None:
    into = [i for i in project_imports() if package_of(i.imported) == top and package_of(i.importer) != top]
    wrong = [i for i in into if (i.importer, i.imported) not in allowed]
    assert not wrong, (
        f"Only claimsportal.{top} imports claimsportal.{top}: a lower layer never depends on it "
        f"(move what is shared below, e.g. to claimsportal.presentation). New imports:\n{_listed(wrong)}"
    )
    stale = set(allowed) - {(i.importer, i.imported) for i in into}
    assert not stale, f"Allow-list entries that match no import any more (delete them): {sorted(stale)}"


# --------------------------------------------------------------------------------------------------
# (c) No cycles
# --------------------------------------------------------------------------------------------------


def _cycles_report(cycles: list[frozenset[str]], key: str) -> str:
    lines = []
    for cycle in cycles:
        lines.append(f"cycle between {', '.join(sorted(cycle))}:")
        inside = [
            i
            for i in project_imports()
            if _key(i.importer, key) in cycle
            and _key(i.imported, key) in cycle
            and _key(i.importer, key) != _key(i.imported, key)
        ]
        lines.append(_listed(inside))
    return "\n".join(lines)


def _key(module: str, key: str) -> str:
    return module if key == "module" else unit_of(module)


@pytest.mark.parametrize(
    ("key", "allowed"), [("module", MODULE_CYCLES_ALLOWED), ("unit", UNIT_CYCLES_ALLOWED)]
)
def test_no_import_cycles(key: str, allowed: dict[frozenset[str], str]) -> None:
    graph: dict[str, set[str]] = {}
    for i in project_imports():
        src, dst = _key(i.importer, key), _key(i.imported, key)
        if src != dst:
            graph.setdefault(src, set()).add(dst)
    cycles = strongly_connected(graph)
    wrong = [c for c in cycles if c not in allowed]
    assert not wrong, (
        f"Import cycles ({key} level): break each by moving what both sides need below them, or by "
        f"inverting the dependency.\n{_cycles_report(wrong, key)}"
    )
    stale = set(allowed) - set(cycles)
    assert not stale, f"Allowed cycles that are gone (delete them): {[sorted(c) for c in stale]}"


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    """The walk counts an import inside a function, and finds cycles (so a pass means something)."""
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [frozenset("abc")]
    wizard = {i.imported for i in imports() if i.importer == "claimsportal.web.claims.draft_wizard"}
    assert (
        "claimsportal.documents.rendering" in wizard
    )  # imported inside draft_print (WeasyPrint on first use)
