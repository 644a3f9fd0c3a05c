"""Behind PgBouncer in transaction pooling mode (``CLAIMSPORTAL_DB_POOL=transaction``) nothing outlives a
transaction: no server-side cursors, no prepared statements (PgBouncer 1.18, Debian 12's, cannot keep
them), unless ``CLAIMSPORTAL_PG_PREPARED=1`` says the pooler keeps them (PgBouncer 1.21+). On
PostgreSQL with PgBouncer installed, the product served through a real PgBouncer in that mode sends
and reads claims over the A2A API (the claim hot path's statements included).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from claimsportal.core import pgbouncer
from claimsportal.protocols.forms.examples import cnf_example
from tests.conftest import is_postgresql
from tests.core.test_startup import _free_port, empty_database

__all__ = ["empty_database"]  # the fixture, used below

SETTINGS = (
    "from django.conf import settings; import json; d = settings.DATABASES['default'];"
    " print(json.dumps({'cursors': d.get('DISABLE_SERVER_SIDE_CURSORS', False),"
    " 'threshold': d['OPTIONS'].get('prepare_threshold'), 'pooling': settings.TRANSACTION_POOLING}))"
)


def _settings(**env: str) -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMSPORTAL_", "DATABASE_URL"))}
    base.update(DJANGO_SETTINGS_MODULE="claimsportal.config.settings", **env)
    code = f"import django; django.setup(); {SETTINGS}"
    out = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", code], env=base, capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_transaction_pooling_turns_off_server_side_cursors_and_prepared_statements() -> None:
    url = "postgres://portal@127.0.0.1:6432/claimsportal"
    assert _settings(DATABASE_URL=url) == {"cursors": False, "threshold": 1_000_000, "pooling": False}
    pooled = _settings(DATABASE_URL=url, CLAIMSPORTAL_DB_POOL="transaction")
    assert pooled == {"cursors": True, "threshold": None, "pooling": True}
    # PgBouncer 1.21+ with max_prepared_statements keeps them: the operator says so.
    kept = _settings(DATABASE_URL=url, CLAIMSPORTAL_DB_POOL="transaction", CLAIMSPORTAL_PG_PREPARED="1")
    assert kept == {"cursors": True, "threshold": 1_000_000, "pooling": True}
    assert _settings(CLAIMSPORTAL_DB_POOL="transaction")["pooling"] is False  # SQLite: no pooler


def _request(url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - our own localhost server
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.mark.skipif(not is_postgresql(), reason="PgBouncer pools PostgreSQL")
@pytest.mark.skipif(pgbouncer.available() is None, reason="PgBouncer is not installed")
def test_the_api_sends_and_reads_claims_through_pgbouncer_in_transaction_pooling(
    empty_database: dict[str, str],
) -> None:
    env = {**empty_database, "CLAIMSPORTAL_MODE": "training"}
    cli = [sys.executable, "-m", "claimsportal.cli"]
    for step in (["migrate", "--no-input", "-v", "0"], ["seed-demo", "--quiet"]):
        done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [*cli, *step], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
    upstream = pgbouncer.Upstream.from_url(env["DATABASE_URL"])
    bouncer_port, port = _free_port(), _free_port()
    # Two server connections for four request threads: consecutive transactions of one Django
    # connection run on different PostgreSQL connections.
    bouncer = pgbouncer.start(
        upstream, port=bouncer_port, directory=Path(tempfile.mkdtemp(prefix="pgbouncer-test-")), pool_size=2
    )
    pooled = {**env, "DATABASE_URL": upstream.through(bouncer_port), "CLAIMSPORTAL_DB_POOL": "transaction"}
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [*cli, "serve", "--port", str(port), "--workers", "1", "--threads", "4"],
        env=pooled,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # granian's workers with it: stopped together below
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5).close()  # noqa: S310
                break
            except OSError:
                assert server.poll() is None, "the server stopped while starting"
                assert time.monotonic() < deadline, "the server did not answer within 180 s"
                time.sleep(0.3)
        status, token = _request(
            f"{base}/a2a/v1/token",
            {
                "grant_type": "client_credentials",
                "client_id": "demo-cr-a2a",
                "client_secret": "demo-cr-a2a-secret-change-me",
            },
        )
        assert status == 200, token
        headers = {"Authorization": f"Bearer {token['access_token']}", "X-Login-As": "demo.cr.handler"}
        sent = []
        for n in range(6):
            status, info = _request(
                f"{base}/a2a/v1/claims",
                {
                    "claimType": "RTA",
                    "compensator": "/COMP001",
                    "cnf": cnf_example("RTA", surname=f"Pool{n}"),
                },
                headers,
            )
            assert status == 201, info
            sent.append(info)
        for info in sent:
            status, claim = _request(f"{base}/a2a/v1/claims/{info['applicationId']}/status", headers=headers)
            assert status == 200, claim
            assert claim["claimInfo"] == info
        status, page = _request(f"{base}/a2a/v1/claims/search?claimantSurname=pool3", headers=headers)
        assert status == 200
        assert [c["applicationId"] for c in page["claims"]] == [sent[3]["applicationId"]]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, _ = server.communicate()
        pgbouncer.stop(bouncer)
    assert "Traceback" not in output, output[-3000:]
