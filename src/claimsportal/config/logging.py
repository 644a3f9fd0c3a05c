"""Structured logging: JSON lines in production, readable lines in development (structlog)."""

from __future__ import annotations

from typing import Any

import structlog

from claimsportal.config.base import DEBUG
from claimsportal.config.env import env_str

LOG_FORMAT = env_str("CLAIMSPORTAL_LOG_FORMAT", "console" if DEBUG else "json")
LOG_LEVEL = env_str("CLAIMSPORTAL_LOG_LEVEL", "INFO")

_shared: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]

structlog.configure(
    # filter_by_level first: a disabled level costs one check, not the whole processor chain.
    processors=[
        structlog.stdlib.filter_by_level,
        *_shared,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)


def final_processors(log_format: str) -> list[Any]:
    """The formatter's last steps. In JSON an exception (``exc_info``, from structlog or from the
    standard library's ``logger.exception``) becomes its traceback text under ``exception``: the JSON
    renderer alone would write ``<traceback object at …>``. The console renderer prints it itself."""
    if log_format == "json":
        return [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ]
    return [
        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
        # Plain tracebacks: rich's would print every frame's locals (passwords, tokens) into the log.
        structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback),
    ]


LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": final_processors(LOG_FORMAT),
            "foreign_pre_chain": _shared,
        },
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
