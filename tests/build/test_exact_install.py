"""The install is exact: the venv holds what requirements.lock pins, nothing else, and the lock is
complete (every requirement, extras included, is itself locked), so a new upstream release can
neither change nor break ``make run`` and ``make test``. See docs/decisions.md, "An exact install"."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"


@functools.cache
def _checker() -> ModuleType:
    """scripts/check_lock.py (a script, not a package of the project)."""
    spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check_lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_installed_environment_is_exactly_the_lock() -> None:
    assert _checker().check(LOCK) == []


def test_every_line_of_the_lock_is_pinned_and_hashed_and_the_build_backend_is_locked() -> None:
    pins, problems = _checker().read_lock(LOCK)
    assert problems == []
    assert len(pins) > 50
    assert all(pin.hashes >= 1 for pin in pins.values())
    # Django 6.1, and setuptools for `pip install --no-build-isolation -e .`
    assert pins["django"].version.startswith("6.1.")
    assert "setuptools" in pins


def _dist(site: Path, name: str, version: str, *requires: str) -> None:
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")


def test_an_unlocked_extra_a_stray_package_and_a_wrong_version_are_each_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    # weasyprint asks for fonttools[woff]; the woff extra needs brotli, which is not installed.
    _dist(site, "weasyprint", "70.0", "fonttools[woff]>=4.59.2")
    _dist(site, "fonttools", "4.68.0", 'brotli>=1.0.1; extra == "woff"')
    _dist(site, "stray", "1.0")
    _dist(site, "pydantic", "2.0.0")
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "weasyprint==70.0 \\\n    --hash=sha256:aa\n"
        "fonttools==4.68.0 \\\n    --hash=sha256:bb\n"
        "pydantic==2.12.0 \\\n    --hash=sha256:cc\n"
        "colorama==0.4.6 ; sys_platform == 'nonexistent' \\\n    --hash=sha256:dd\n"
        "unhashed==1.0\n"
    )
    problems = _checker().check(lock, path=[str(site)])
    text = "\n".join(problems)
    assert "fonttools 4.68.0 requires brotli>=1.0.1" in text
    assert "stray 1.0 is installed but not in the lock" in text
    assert "pydantic is installed at 2.0.0, the lock says 2.12.0" in text
    assert "unhashed==1.0 has no --hash" in text
    assert "unhashed==1.0 is in the lock but not installed" in text
    assert "colorama" not in text  # its marker does not apply here


def test_make_installs_from_the_lock_with_no_resolution_and_no_cache() -> None:
    makefile = (ROOT / "Makefile").read_text()
    install = re.search(r"^\$\(STAMP\):.*?(?=^\S)", makefile, re.M | re.S)
    assert install is not None
    recipe = install.group(0)
    assert "-m venv --clear" in recipe
    assert "--require-hashes --no-deps -r requirements.lock" in recipe
    assert "--no-deps --no-build-isolation -e ." in recipe
    assert "scripts/check_lock.py" in recipe and "pip check" in recipe
    assert "--no-cache-dir" in makefile


def test_the_npm_lock_pins_every_package_with_its_integrity() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["lockfileVersion"] >= 2
    packages = {k: v for k, v in lock["packages"].items() if k}
    assert packages
    for name, entry in packages.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"]), name
        assert entry.get("integrity", "").startswith("sha512-"), name
