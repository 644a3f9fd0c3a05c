"""Worker heartbeats: each pass of a background job records when it ran and what it did."""

from __future__ import annotations

import os
import socket
from typing import Any

from claimsportal.core import clock
from claimsportal.core.models import WorkerHeartbeat


def beat(name: str, last_pass: dict[str, Any]) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={
            "beat_at": clock.real_now(),
            "host": socket.gethostname()[:128],
            "pid": os.getpid(),
            "last_pass": last_pass,
        },
    )
