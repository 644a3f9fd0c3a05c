"""The CPU floor of the HTTP stack (``python -m bench floor``): what the server costs per request
before any of the product's work, beside the write path's budget that ``bench api`` prints.

The product's server exactly as ``bench api`` starts it (granian, ``--api-workers`` x
``--api-threads``) answers the cheapest requests there are — ``GET /healthz`` (one ``SELECT 1``) and
an A2A read refused 401 for want of a token (no database) — and the same granian serves a bare WSGI
callable (``bench/hello_wsgi.py``). wrk with 8 connections; the server's CPU per request is measured
as in ``bench api`` (its processes' user + system time over the requests answered).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.api import PORT, _start_server, _stop_server, session_cpu_seconds
from bench.common import CpuTime, DatabaseUrl, Summary, checkpoint, machine_check, say
from claimsportal.core.serving import granian_command

HELLO_PORT = PORT + 1
CONNECTIONS = 8
_REQUESTS = re.compile(r"(\d+) requests in")


def _load(url: str, server_pid: int, seconds: float) -> tuple[float, float, float, float]:
    """(requests/s, server CPU ms, PostgreSQL CPU ms, wrk CPU ms per request) of one wrk run."""
    before = session_cpu_seconds(server_pid)
    cpu_before = CpuTime.now()
    run = subprocess.run(
        ["wrk", "-t", str(CONNECTIONS), "-c", str(CONNECTIONS), "-d", f"{max(1, round(seconds))}s", url],
        capture_output=True,
        text=True,
        check=False,
    )
    cpu = CpuTime.now().since(cpu_before)
    found = _REQUESTS.search(run.stdout)
    if run.returncode or not found:
        raise SystemExit(f"bench: wrk failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}")
    count = int(found.group(1))
    server_ms = (session_cpu_seconds(server_pid) - before) * 1000 / count
    return count / seconds, server_ms, cpu.postgres * 1000 / count, cpu.children * 1000 / count


def _start_hello(args: Any) -> subprocess.Popen[bytes]:
    command = granian_command(
        host="127.0.0.1",
        port=HELLO_PORT,
        workers=args.api_workers,
        threads=args.api_threads,
        log_level="warning",
        target="bench.hello_wsgi:application",
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{HELLO_PORT}/", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise SystemExit("bench: granian with the bare WSGI callable did not answer within 60 s")


def run(args: Any, db: DatabaseUrl, summary: Summary) -> None:
    seconds = min(args.seconds, 10.0)
    rows: list[tuple[str, tuple[float, float, float, float]]] = []
    hello = _start_hello(args)
    try:
        checkpoint()
        machine_check("the bare WSGI callable")
        rows.append(
            ("bare WSGI callable under granian", _load(f"http://127.0.0.1:{HELLO_PORT}/", hello.pid, seconds))
        )
    finally:
        os.killpg(hello.pid, signal.SIGTERM)
        hello.wait(timeout=30)
    server = _start_server(db, args)
    try:
        for label, path in (
            ("GET /healthz (one SELECT 1)", "/healthz"),
            ("A2A read refused 401, no token (no database)", "/a2a/v1/claims/1/status"),
        ):
            machine_check(label)
            rows.append((label, _load(f"http://127.0.0.1:{PORT}{path}", server.pid, seconds)))
    finally:
        _stop_server(server)
    for label, (rate, server_ms, postgres_ms, client_ms) in rows:
        say(
            f"{label}: {rate:,.0f} requests/s; CPU per request: server {server_ms:.3f} ms, PostgreSQL "
            f"{postgres_ms:.3f} ms, wrk {client_ms:.3f} ms"
        )
        summary.add("floor", f"server CPU ms per request, {label}", f"{server_ms:.3f}", "", f"{rate:,.0f}/s")
