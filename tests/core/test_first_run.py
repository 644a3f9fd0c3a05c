"""What a newcomer sees on the first ``make run``: every demo login in the banner, a quiet
``seed-demo --quiet``, and e-mails on the console that a person can read."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from django.core.mail import EmailMessage

from claimsportal.core.console_mail import EmailBackend
from claimsportal.core.demo import DEMO_A2A_CLIENTS, DEMO_OPERATOR, DEMO_PASSWORD, DEMO_USERS
from claimsportal.core.management.commands.run_dev import banner


def test_the_banner_lists_every_demo_login_the_operator_included_on_the_chosen_port() -> None:
    text = banner("127.0.0.1", 8123)
    assert "http://127.0.0.1:8123" in text
    assert DEMO_PASSWORD in text
    for user in DEMO_USERS:
        assert user.user_id in text
    assert DEMO_OPERATOR in text
    for _org, client_id, secret in DEMO_A2A_CLIENTS:
        assert client_id in text and secret in text


def test_console_e_mails_are_plain_readable_text() -> None:
    stream = io.StringIO()
    long_line = "Your user ID is demo.cr.handler.with-a-rather-long-name and your code is 123456 " * 3
    message = EmailMessage("Your sign-in code", long_line, "portal@example.org", ["someone@example.org"])
    EmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Subject: Your sign-in code" in printed
    assert "To: someone@example.org" in printed
    assert long_line.rstrip() in printed  # not folded, not quoted-printable
    assert "=\n" not in printed and "Content-Transfer-Encoding" not in printed


def test_seed_demo_quiet_prints_nothing_on_an_empty_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMSPORTAL_", "DATABASE_URL"))}
    env["CLAIMSPORTAL_DATA_DIR"] = str(tmp_path)
    cli = [sys.executable, "-m", "claimsportal.cli"]
    for command in (["migrate", "--no-input", "-v", "0"], ["seed-demo", "--quiet"]):
        done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [*cli, *command], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert (done.stdout, done.stderr) == ("", ""), command
