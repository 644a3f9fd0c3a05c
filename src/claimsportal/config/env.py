"""Reading the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def data_dir() -> Path:
    """Where the SQLite database and private files live (``var/`` under the working directory)."""
    return Path(os.environ.get("CLAIMSPORTAL_DATA_DIR", Path.cwd() / "var"))
