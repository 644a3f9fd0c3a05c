"""A fresh, empty database migrates and serves in every mode (live, training, sandbox), on SQLite and
on PostgreSQL: nothing reads the database at import time or while the URL configuration loads.

Each case runs the real commands in a new process, as an operator would: ``claimsportal migrate``
on an empty database, then ``claimsportal serve`` (granian), then the sign-in page, the health check and the OpenAPI document
(whose examples follow the business clock) are fetched over HTTP.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import is_postgresql

MODES = {
    "live": {"CLAIMSPORTAL_MODE": "live"},
    "training": {"CLAIMSPORTAL_MODE": "training"},
    "sandbox": {"CLAIMSPORTAL_SANDBOX": "1"},
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a new deployment on an empty database of the suite's own kind."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMSPORTAL_", "DATABASE_URL"))}
    env["CLAIMSPORTAL_DATA_DIR"] = str(tmp_path)
    env["CLAIMSPORTAL_INSECURE_HTTP"] = "1"  # plain HTTP on localhost, as make run serves
    if not is_postgresql():
        yield env
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"startup_{uuid.uuid4().hex[:12]}"
    admin = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our own localhost server
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("mode", sorted(MODES))
def test_a_fresh_empty_database_migrates_and_serves(mode: str, empty_database: dict[str, str]) -> None:
    env = {**empty_database, **MODES[mode]}
    cli = [sys.executable, "-m", "claimsportal.cli"]
    migrated = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [*cli, "migrate", "--no-input", "-v", "0"], env=env, capture_output=True, text=True, timeout=300
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [*cli, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # granian's workers with it: stopped together below
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # a shared 2-CPU machine may take minutes to start a worker
        while True:
            try:
                status, _ = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, "the server stopped while starting"
                assert time.monotonic() < deadline, "the server did not answer within 180 s"
                time.sleep(0.2)
        assert status == 200
        assert _get(f"{base}/login/")[0] == 200
        status, body = _get(f"{base}/a2a/v1/openapi.json")
        assert status == 200
        assert b'"addClaim"' in body
        assert (b"/sandbox/clock" in body) == (mode == "sandbox")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, _ = server.communicate()
    assert "Traceback" not in output, output[-3000:]
