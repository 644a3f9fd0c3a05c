"""The switch that lets webhooks reach private and loopback addresses is refused in live mode: the
portal does not start with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = "import django; django.setup(); print('started')"


@pytest.mark.parametrize(("mode", "starts"), [("live", False), ("training", True)])
def test_private_addresses_are_refused_at_start_up_in_live_mode(
    tmp_path: Path, mode: str, starts: bool
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMSPORTAL_", "DATABASE_URL"))}
    env.update(
        CLAIMSPORTAL_DATA_DIR=str(tmp_path),
        CLAIMSPORTAL_MODE=mode,
        CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES="1",
        DJANGO_SETTINGS_MODULE="claimsportal.config.settings",
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if starts:
        assert done.returncode == 0 and "started" in done.stdout, done.stderr
    else:
        assert done.returncode != 0
        assert "CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES is refused in live mode" in done.stderr
