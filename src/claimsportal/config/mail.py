"""E-mail (MFA codes, password resets, expiry reminders): SMTP when a host is configured.

Without ``CLAIMSPORTAL_SMTP_HOST`` (a developer's ``make run``) messages are written to the console.
"""

from __future__ import annotations

from typing import Any

from claimsportal.config.env import env_flag, env_str

_host = env_str("CLAIMSPORTAL_SMTP_HOST")
DEFAULT_FROM_EMAIL = env_str("CLAIMSPORTAL_MAIL_FROM", "Claims Portal <no-reply@claimsportal.invalid>")
MAILERS: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _host,
                "port": int(env_str("CLAIMSPORTAL_SMTP_PORT", "25")),
                "use_tls": env_flag("CLAIMSPORTAL_SMTP_TLS", False),
                "timeout": 10,
            },
        }
        if _host
        else {"BACKEND": "claimsportal.core.console_mail.EmailBackend"}
    )
}
