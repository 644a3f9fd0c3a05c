"""Item 1 of issue 17: an exception is logged with its traceback in every log format (in JSON it was
``<traceback object at …>``)."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from claimsportal.config import logging as log_config


def _formatted(log_format: str, emit: str) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=log_config.final_processors(log_format), foreign_pre_chain=log_config._shared
        )
    )
    logger = logging.getLogger(f"tests.tracebacks.{log_format}.{emit}")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        raise RuntimeError("the cause")
    except RuntimeError as error:
        if emit == "stdlib":
            logger.exception("failed")
        else:
            structlog.stdlib.BoundLogger(
                logger, [structlog.stdlib.ProcessorFormatter.wrap_for_formatter], {}
            ).error("failed", exc_info=error)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize("emit", ["stdlib", "structlog"])
def test_a_logged_exception_in_json_mode_carries_its_traceback_text(emit: str) -> None:
    line = json.loads(_formatted("json", emit).strip())
    assert line["event"] == "failed"
    assert "Traceback (most recent call last)" in line["exception"]
    assert "RuntimeError: the cause" in line["exception"]
    assert "traceback object" not in json.dumps(line)


@pytest.mark.parametrize("emit", ["stdlib", "structlog"])
def test_a_logged_exception_in_console_mode_carries_its_traceback_without_locals(emit: str) -> None:
    text = _formatted("console", emit)
    assert "Traceback (most recent call last)" in text and "RuntimeError: the cause" in text
    assert "locals" not in text
