"""The product's HTTP server: granian serving the WSGI application, with bounded threads.

One place builds the command that ``make run`` (``claimsportal run-dev``), production
(``claimsportal serve``) and the benchmark (``bench api``) start, so the three run the same server.
``docs/deployment.md`` explains the numbers; ``docs/decisions.md`` why granian and not gunicorn.

Each granian worker is a process; in it, WSGI requests run on ``blocking_threads`` Python threads, and
each thread holds at most one PostgreSQL connection (Django's connections are per thread). So a server
holds at most ``workers x blocking_threads`` connections, and ``backpressure`` (requests in progress per
worker) equal to the threads keeps any further request waiting in granian's Rust side, not piling up on
Python threads: the database's connection budget is set here, whatever the load.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

WSGI_TARGET = "claimsportal.config.wsgi:application"
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {raw}")
    return value


def server_workers() -> int:
    """``CLAIMSPORTAL_WORKERS`` (default 2): server processes."""
    return _env_int("CLAIMSPORTAL_WORKERS", DEFAULT_WORKERS)


def server_threads() -> int:
    """``CLAIMSPORTAL_THREADS`` (default 4): request threads, so database connections, per process."""
    return _env_int("CLAIMSPORTAL_THREADS", DEFAULT_THREADS)


def granian_command(
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    log_level: str = "info",
    access_log: bool = False,
    target: str = "",
) -> list[str]:
    """The granian command line serving the product on ``host:port`` (``target``: another WSGI
    callable, for the benchmark of the server's own cost)."""
    granian = Path(sys.executable).with_name("granian")
    return [
        str(granian),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        # Requests in progress per worker = its threads: the rest wait in granian (Rust), not on
        # Python threads or PostgreSQL connections.
        "--backpressure",
        str(threads),
        "--runtime-threads",
        "1",
        "--no-ws",
        "--http",
        "1",
        "--log-level",
        log_level,
        "--access-log" if access_log else "--no-access-log",
        target or WSGI_TARGET,
    ]
