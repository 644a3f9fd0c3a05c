"""Databases: SQLite (WAL, busy timeout, IMMEDIATE transactions) by default; PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from typing import Any

import dj_database_url

from claimsportal.config.base import DATA_DIR
from claimsportal.config.env import env_flag, env_str

_url = env_str("DATABASE_URL")

if _url:
    DATABASES: dict[str, dict[str, Any]] = {"default": dict(dj_database_url.parse(_url, conn_max_age=60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        options = DATABASES["default"].setdefault("OPTIONS", {})
        # A health check costs every request a round trip (SELECT 1) before its first query. Off by
        # default: after a database restart a reused connection fails one request, which Django then
        # closes; clients retry safely (one transaction per change, Idempotency-Key on the API).
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_flag("CLAIMSPORTAL_DB_HEALTH_CHECKS", False)
        # The claim hot path (claims.services) asks for prepared statements explicitly; psycopg ignores
        # that unless a threshold is set. A huge threshold prepares nothing else. Set
        # CLAIMSPORTAL_PG_PREPARED=0 behind a pooler that cannot keep prepared statements.
        if env_flag("CLAIMSPORTAL_PG_PREPARED", True):
            options.setdefault("prepare_threshold", 1_000_000)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "claimsportal.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
