"""Vendor GOV.UK Frontend's built assets into the web app's static files.

Run by ``make`` (target ``assets``) after ``npm ci``; the output is generated, never committed:

    node_modules/govuk-frontend/dist/govuk/  ->  src/claimsportal/web/static/govuk/
        govuk-frontend.min.css (+ .map)      the precompiled stylesheet, asset URLs made relative
        govuk-frontend.min.js (+ .map)       the ES module that exports initAll
        assets/{fonts,images,manifest.json}  what the stylesheet refers to
        VERSION                              the govuk-frontend version copied

The precompiled stylesheet refers to its fonts and images as ``url(/assets/...)``; they are rewritten to
``url(assets/...)``, relative to the stylesheet, so they work under any STATIC_URL. Standard library
only, so the system Python can run it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "govuk-frontend"
SOURCE = PACKAGE / "dist" / "govuk"
TARGET = ROOT / "src" / "claimsportal" / "web" / "static" / "govuk"
STYLESHEET = "govuk-frontend.min.css"
COPIED_FILES = ("govuk-frontend.min.css.map", "govuk-frontend.min.js", "govuk-frontend.min.js.map")
ABSOLUTE_ASSETS = "url(/assets/"
RELATIVE_ASSETS = "url(assets/"


def build(source: Path = SOURCE, target: Path = TARGET) -> str:
    """Copy the assets into a fresh ``target`` and return the govuk-frontend version copied."""
    if not source.is_dir():
        raise SystemExit(f"{source} is missing: run 'npm ci' first (the Makefile's 'assets' target does).")
    version = json.loads((source.parent.parent / "package.json").read_text(encoding="utf-8"))["version"]
    css = (source / STYLESHEET).read_text(encoding="utf-8")
    if ABSOLUTE_ASSETS not in css:
        raise SystemExit(f"{STYLESHEET} no longer refers to {ABSOLUTE_ASSETS}...: check the new layout.")
    css = css.replace(ABSOLUTE_ASSETS, RELATIVE_ASSETS)
    if "url(/" in css:
        raise SystemExit(f"{STYLESHEET} still has an absolute url(/...) after the rewrite.")

    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    # copy, not copy2: fresh modification times, so make sees the output as newer than its inputs.
    shutil.copytree(source / "assets", staging / "assets", copy_function=shutil.copy)
    for name in COPIED_FILES:
        shutil.copy(source / name, staging / name)
    (staging / "VERSION").write_text(version + "\n", encoding="utf-8")
    (staging / STYLESHEET).write_text(css, encoding="utf-8")  # last: make's target for the whole set
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return str(version)


def main() -> None:
    version = build()
    print(f"GOV.UK Frontend {version} -> {TARGET.relative_to(ROOT)}/", file=sys.stderr)


if __name__ == "__main__":
    main()
