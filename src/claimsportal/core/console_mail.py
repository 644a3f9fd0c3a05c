"""A console mail backend a developer can read: the headers a person needs and the text as written.

Django's own console backend prints the MIME source, where a long line is quoted-printable (a user
ID or a sign-in link split across lines, ``=`` signs inside). ``make run`` has no SMTP relay, so its
sign-in codes, password resets and reminders are read here.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

RULE = "-" * 79


def readable(message: EmailMessage) -> str:
    """The message as a person reads it: From, To, Subject, then the plain-text body, decoded."""
    lines = [
        f"From: {message.from_email}",
        f"To: {', '.join(message.to)}",
    ]
    if message.cc:
        lines.append(f"Cc: {', '.join(message.cc)}")
    lines += [f"Subject: {message.subject}", "", str(message.body).rstrip("\n")]
    attachments = getattr(message, "attachments", None) or []
    for attachment in attachments:
        name = getattr(attachment, "filename", None) or (
            attachment[0] if isinstance(attachment, tuple) else None
        )
        lines.append(f"[attachment: {name or 'unnamed'}]")
    return "\n".join(lines)


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message: Any) -> None:
        self.stream.write(f"{readable(message)}\n{RULE}\n")
