"""``claimsportal run-prod`` (``make run-prod``): the production topology on one machine — PgBouncer in
transaction pooling, two app servers, two timer workers — shares nothing but the database (issue 20):
a token and a browser session made on one server work on the other, the per-client rate limit counts
the requests of both servers together, both timer workers run their jobs through PgBouncer, and
Ctrl+C stops every process it started.

PostgreSQL and PgBouncer (Debian's ``pgbouncer``, which ``.ci/run`` installs). Outside CI a machine
without PgBouncer skips it; under ``CI=true`` it fails instead.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import psycopg
import pytest

from claimsportal.core import pgbouncer
from tests.conftest import is_postgresql
from tests.core.test_startup import _free_port, empty_database

__all__ = ["empty_database"]  # the fixture, used below

IN_CI = os.environ.get("CI") == "true"
pytestmark = [
    pytest.mark.skipif(not is_postgresql(), reason="run-prod pools PostgreSQL through PgBouncer"),
    pytest.mark.skipif(
        pgbouncer.available() is None and not IN_CI,
        reason="PgBouncer is not installed (Debian: apt-get install -y pgbouncer)",
    ),
]
CLI = [sys.executable, "-m", "claimsportal.cli"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _call(
    opener: urllib.request.OpenerDirector, url: str, body: Any = None, **headers: str
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - our own localhost servers
        url, data=data, headers={"Content-Type": "application/json", **headers}
    )
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _page(
    opener: urllib.request.OpenerDirector, url: str, form: dict[str, str] | None = None
) -> tuple[int, str]:
    data = None if form is None else urllib.parse.urlencode(form).encode()
    try:
        request = urllib.request.Request(url, data=data)  # noqa: S310 - our own localhost servers
        with opener.open(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _pgrep(*args: str) -> list[str]:
    found = subprocess.run(["pgrep", *args], capture_output=True, text=True, check=False)  # noqa: S603, S607
    return found.stdout.split("\n") if found.stdout.strip() else []


def _children(pid: int) -> dict[int, str]:
    """run-prod's children (PgBouncer, the app servers, the timer workers): pid -> command line."""
    return {int(line.split(" ", 1)[0]): line for line in _pgrep("-a", "-P", str(pid)) if line}


def _session(pid: int) -> list[str]:
    """The processes still running in the session ``pid`` leads (a child and its own workers)."""
    return [line for line in _pgrep("-a", "-s", str(pid)) if line]


def _wait_until_up(process: subprocess.Popen[str], urls: list[str]) -> None:
    deadline = time.monotonic() + 180
    for url in urls:
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()  # noqa: S310 - our own localhost server
                break
            except OSError:
                assert process.poll() is None, "run-prod stopped while starting"
                assert time.monotonic() < deadline, f"{url} did not answer within 180 s"
                time.sleep(0.3)


def test_run_prod_serves_two_servers_and_two_workers_that_share_only_the_database(
    empty_database: dict[str, str],
) -> None:
    assert pgbouncer.available() is not None, "PgBouncer must be installed in CI (.ci/run installs it)"
    env = {**empty_database, "CLAIMSPORTAL_MODE": "training"}
    for step in (["migrate", "--no-input", "-v", "0"], ["seed-demo", "--quiet"]):
        done = subprocess.run([*CLI, *step], env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
        assert done.returncode == 0, done.stderr[-3000:]
    port, bouncer_port = _free_port(), _free_port()
    limited = {
        **env,
        "CLAIMSPORTAL_A2A_RATE": "0.001",
        "CLAIMSPORTAL_A2A_BURST": "4",
        "CLAIMSPORTAL_WORKERS": "1",
    }
    command = [
        *CLI,
        "run-prod",
        "--port",
        str(port),
        "--pgbouncer-port",
        str(bouncer_port),
        "--pool-size",
        "4",
    ]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        command,
        env=limited,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    first, second = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
    try:
        _wait_until_up(process, [f"{first}/healthz", f"{second}/healthz"])
        api = urllib.request.build_opener()

        # A token from the first server works on the second.
        status, token = _call(
            api,
            f"{first}/a2a/v1/token",
            {
                "grant_type": "client_credentials",
                "client_id": "demo-cr-a2a",
                "client_secret": "demo-cr-a2a-secret-change-me",
            },
        )
        assert status == 200, token
        auth = {"Authorization": f"Bearer {token['access_token']}", "X-Login-As": "demo.cr.handler"}
        # The rate limit (burst 4, no refill to speak of) counts both servers' requests together.
        answers = [_call(api, f"{base}/a2a/v1/claims", **auth)[0] for base in (first, second, first, second)]
        assert answers == [200, 200, 200, 200]
        for base in (second, first):
            status, refused = _call(api, f"{base}/a2a/v1/claims", **auth)
            assert (status, refused["code"]) == (429, "RATE_LIMITED"), refused

        # A browser session made on the first server is the same session on the second.
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, login = _page(browser, f"{first}/login/")
        assert status == 200
        form = {
            "csrfmiddlewaretoken": CSRF.search(login).group(1),  # type: ignore[union-attr]
            "username": "demo.cr.handler",
            "password": "Demo-Portal-2026!",
            "section": "claims",
            "next": "",
        }
        status, worklist = _page(browser, f"{first}/login/", form)
        assert status == 200 and "Sign out" in worklist, worklist[-2000:]
        status, elsewhere = _page(browser, f"{second}/")
        assert status == 200 and "Sign out" in elsewhere, "the second server knows the session"
        status, stranger = _page(urllib.request.build_opener(), f"{second}/")
        assert "Sign out" not in stranger, "without the session cookie: the sign-in page"

        # Two timer workers are running and their jobs are recorded, through PgBouncer.
        children = _children(process.pid)
        timers = [pid for pid, command in children.items() if "run-timers" in command]
        servers = [pid for pid, command in children.items() if "granian" in command]
        assert (len(timers), len(servers)) == (2, 2), children
        deadline = time.monotonic() + 60
        with psycopg.connect(empty_database["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
            while True:
                pids = conn.execute(
                    "SELECT count(DISTINCT pid) FROM core_workerheartbeat WHERE name = 'webhook-deliveries'"
                    " AND result = 'ok'"
                ).fetchone()
                beats = conn.execute(
                    "SELECT count(*) FROM core_workerheartbeat WHERE result = 'ok'"
                ).fetchone()
                conn.commit()
                if pids and beats and pids[0] >= 1 and beats[0] >= 5:
                    break
                assert time.monotonic() < deadline, "the timer workers recorded no jobs within 60 s"
                time.sleep(0.5)
    finally:
        children = _children(process.pid)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C: the terminal signals its foreground group
        try:
            output, _ = process.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
    assert process.returncode == 0, (process.returncode, output[-1500:])
    left = {pid: _session(pid) for pid in children}
    assert not any(left.values()), f"processes left running: {left}"
    assert "Traceback" not in output, output[-3000:]
