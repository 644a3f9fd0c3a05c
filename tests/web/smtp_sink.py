"""A real SMTP server for tests (aiosmtpd) that keeps what it receives, and the mail settings that send
to it: the portal's SMTP backend (config/mail.py) talks to it over a socket, as to a live relay.

Django's test runner points ``MAILERS`` at the in-memory backend; a test that wants the real path
takes the ``smtp_sink`` fixture (defined in the test modules from :func:`running_smtp_sink`).
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class SmtpSink:
    """Collects every message the server accepts (in the server's thread)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        message = message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        """The messages, once at least ``count`` arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} message(s) arrived, {count} expected"
        return self.messages

    def last_code(self, to: str | None = None) -> str:
        """The 6-digit code of the newest message (to ``to``, if given)."""
        self.wait_for(1)
        for message in reversed(self.messages):
            if to is None or to in str(message["To"]):
                body = message.get_body(preferencelist=("plain",))
                assert body is not None
                found = re.search(r"\b([0-9]{6})\b", body.get_content())
                assert found, body.get_content()
                return found.group(1)
        raise AssertionError(f"no message to {to}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_smtp_sink(settings: Any) -> Iterator[SmtpSink]:
    """Start the sink on a free port and send the portal's mail there for the duration."""
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    try:
        yield sink
    finally:
        controller.stop()
