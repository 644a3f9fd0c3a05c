"""Ctrl+C on ``make run`` (``claimsportal run-dev``) stops the server, its workers and the timer worker,
promptly and cleanly: the terminal sends SIGINT to its whole foreground group, and a granian worker that
took that signal itself could hang its server's shutdown, leaving the port taken for the next
``make run``. The children run in groups of their own and are stopped by run-dev (core.supervision).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.core.test_run_prod import _children, _session, _wait_until_up
from tests.core.test_startup import _free_port, empty_database

__all__ = ["empty_database"]  # the fixture, used below

CLI = [sys.executable, "-m", "claimsportal.cli"]


def test_ctrl_c_stops_every_process_of_make_run(empty_database: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [*CLI, "migrate", "--no-input", "-v", "0"],
        env=empty_database,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [*CLI, "run-dev", "--port", str(port)],
        env=empty_database,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # the test's own "terminal"
    )
    try:
        _wait_until_up(process, [f"http://127.0.0.1:{port}/healthz"])
        children = _children(process.pid)
        assert any("granian" in c for c in children.values()), children
        assert any("run-timers" in c for c in children.values()), children
        started = time.monotonic()
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C
        try:
            output, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
    assert process.returncode == 0, (process.returncode, output[-2000:])
    assert time.monotonic() - started < 30, "stopped within the graceful stop's time"
    left = {pid: _session(pid) for pid in children}
    assert not any(left.values()), f"processes left running: {left}"
    assert "Traceback" not in output and "did not stop" not in output, output[-3000:]
