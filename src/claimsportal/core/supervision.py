"""Several processes run as one (``make run``: a server and the timer worker; ``make run-prod``: app
servers and timer workers): started together, stopped together.

Each child runs in a session (process group) of its own, so Ctrl+C in a terminal — SIGINT to the
terminal's whole foreground group — reaches only the supervisor, which then stops each child's whole
group with SIGTERM (granian's master and its workers together: a granian worker that receives the
terminal's SIGINT itself may never finish its shutdown). A child still running after
``STOP_SECONDS`` is killed with its group, and said so; nothing is left running either way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

STOP_SECONDS = 30.0  # a graceful stop's time: requests in progress finish, a job's batch commits


def spawn(command: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start ``command`` in a process group of its own (see the module's docstring)."""
    return subprocess.Popen(list(command), env=dict(env), start_new_session=True)  # noqa: S603


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended
        os.killpg(process.pid, signum)


def _group_alive(process: subprocess.Popen[bytes]) -> bool:
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_all(processes: Sequence[subprocess.Popen[bytes]], *, seconds: float = STOP_SECONDS) -> list[str]:
    """SIGTERM to every child's group, then SIGKILL to any group still running after ``seconds``.
    Returns a line for each child that had to be killed."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    killed = []
    for process in processes:
        while _group_alive(process) and time.monotonic() < deadline:
            time.sleep(0.1)  # the child has ended; its workers are finishing
        if _group_alive(process):
            command = " ".join(str(part) for part in process.args[:3])  # type: ignore[index]
            killed.append(f"{command} … (pid {process.pid}) did not stop within {seconds:g} s: killed")
            _signal_group(process, signal.SIGKILL)
            process.wait()
    return killed


def supervise(processes: list[subprocess.Popen[bytes]]) -> None:
    """Wait until Ctrl+C, SIGTERM or one of ``processes`` stops; then stop them all."""
    stopping = False

    def request_stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    finally:
        for line in stop_all(processes):
            print(line, file=sys.stderr, flush=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    codes = [p.returncode for p in processes]
    if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes):
        raise SystemExit(f"a process stopped unexpectedly (exit codes {codes})")
