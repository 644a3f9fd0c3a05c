"""Prove that the virtual environment is exactly ``requirements.lock``, and that the lock is complete.

Run by ``make`` right after the install (``pip install --no-deps --require-hashes``), and by the
test suite. It fails, naming each package, when:

- a line of the lock is not pinned with ``==`` or carries no hash (the lock is not exact);
- a distribution is installed that the lock does not list, or at another version (something
  resolved beyond the lock);
- a locked distribution whose environment marker applies is not installed;
- an installed distribution requires something (extras of its dependents included, such as
  WeasyPrint's ``fonttools[woff]``) that is missing or at a version outside the requirement: the
  lock is incomplete, and ``--no-deps`` would hide it.

Only the standard library and ``packaging`` (itself locked) are used.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

# Installed by the interpreter's own venv, or the project itself (installed --no-deps, editable).
NOT_LOCKED = {"pip", "claimsportal"}
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)\s*(?:;(?P<marker>[^\\]+))?")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str | None
    hashes: int

    def applies(self) -> bool:
        return self.marker is None or Marker(self.marker).evaluate()


def read_lock(path: Path) -> tuple[dict[str, Pin], list[str]]:
    """The lock's pins by canonical name, and the problems of its lines."""
    pins: dict[str, Pin] = {}
    problems: list[str] = []
    entries: list[list[str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if raw[0].isspace() and entries:
            entries[-1].append(line)
        else:
            entries.append([line])
    for entry in entries:
        head = entry[0].rstrip("\\").strip()
        match = _PIN.match(head)
        if match is None:
            problems.append(f"lock line {head!r} is not pinned with ==")
            continue
        hashes = sum(1 for part in entry if part.startswith("--hash=sha256:"))
        if hashes == 0:
            problems.append(f"{match['name']}=={match['version']} has no --hash")
        marker = match["marker"].strip() if match["marker"] else None
        pins[canonicalize_name(match["name"])] = Pin(match["name"], match["version"], marker, hashes)
    return pins, problems


def _installed(path: list[str] | None = None) -> dict[str, metadata.Distribution]:
    found: dict[str, metadata.Distribution] = {}
    every = metadata.distributions() if path is None else metadata.distributions(path=path)
    for dist in every:
        name = dist.metadata["Name"]
        if name:
            found.setdefault(canonicalize_name(name), dist)
    return found


def _requirements(dist: metadata.Distribution, extras: Iterable[str]) -> list[Requirement]:
    wanted: list[Requirement] = []
    for text in dist.requires or []:
        req = Requirement(text)
        if req.marker is None:
            wanted.append(req)
            continue
        if any(req.marker.evaluate({"extra": extra}) for extra in ("", *extras)):
            wanted.append(req)
    return wanted


def check(lock: Path, path: list[str] | None = None) -> list[str]:
    """The problems of the environment on ``path`` (default: this interpreter's) against ``lock``."""
    pins, problems = read_lock(lock)
    installed = _installed(path)
    for name, dist in sorted(installed.items()):
        if name in NOT_LOCKED:
            continue
        pin = pins.get(name)
        if pin is None:
            problems.append(f"{dist.metadata['Name']} {dist.version} is installed but not in the lock")
        elif Version(dist.version) != Version(pin.version):
            problems.append(f"{pin.name} is installed at {dist.version}, the lock says {pin.version}")
    for name, pin in sorted(pins.items()):
        if pin.applies() and name not in installed:
            problems.append(f"{pin.name}=={pin.version} is in the lock but not installed")
    # Closure: walk from every installed distribution with the extras its dependents ask for.
    extras: dict[str, set[str]] = {name: set() for name in installed}
    changed = True
    while changed:
        changed = False
        for name, dist in installed.items():
            for req in _requirements(dist, extras[name]):
                target = canonicalize_name(req.name)
                if target in extras and not req.extras <= extras[target]:
                    extras[target] |= req.extras
                    changed = True
    for name, dist in sorted(installed.items()):
        for req in _requirements(dist, extras[name]):
            found = installed.get(canonicalize_name(req.name))
            who = f"{dist.metadata['Name']} {dist.version}"
            if found is None:
                problems.append(f"{who} requires {req}, which is not installed (the lock is incomplete)")
            elif req.specifier and not req.specifier.contains(found.version, prereleases=True):
                problems.append(f"{who} requires {req}, but {found.version} is installed")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "lock", nargs="?", default=str(Path(__file__).resolve().parent.parent / "requirements.lock")
    )
    args = parser.parse_args(argv)
    problems = check(Path(args.lock))
    if problems:
        print(f"The environment is not exactly {args.lock}:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    pins, _ = read_lock(Path(args.lock))
    applying = sum(1 for pin in pins.values() if pin.applies())
    print(
        f"lock exact: {applying} locked distributions installed at their pins, nothing else, all requirements met"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
