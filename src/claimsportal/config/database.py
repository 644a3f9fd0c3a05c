"""Databases: SQLite (WAL, busy timeout, IMMEDIATE transactions) by default; PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from typing import Any

import dj_database_url

from claimsportal.config.base import DATA_DIR
from claimsportal.config.env import env_flag, env_str

_url = env_str("DATABASE_URL")
# PostgreSQL behind PgBouncer in transaction pooling mode (docs/deployment.md).
TRANSACTION_POOLING = bool(_url) and env_str("CLAIMSPORTAL_DB_POOL", "").strip().lower() == "transaction"

if _url:
    DATABASES: dict[str, dict[str, Any]] = {"default": dict(dj_database_url.parse(_url, conn_max_age=60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        options = DATABASES["default"].setdefault("OPTIONS", {})
        # A health check costs every request a round trip (SELECT 1) before its first query. Off by
        # default: after a database restart a reused connection fails one request, which Django then
        # closes; clients retry safely (one transaction per change, Idempotency-Key on the API).
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_flag("CLAIMSPORTAL_DB_HEALTH_CHECKS", False)
        # Behind PgBouncer in transaction pooling (CLAIMSPORTAL_DB_POOL=transaction, docs/deployment.md)
        # consecutive transactions of one Django connection may run on different server connections,
        # so nothing may outlive a transaction: no server-side cursors (QuerySet.iterator() would
        # declare a WITH HOLD cursor), and no prepared statements unless PgBouncer keeps them itself
        # (1.21 and later with max_prepared_statements > 0: then set CLAIMSPORTAL_PG_PREPARED=1).
        if TRANSACTION_POOLING:
            DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        # The claim hot path (claims.services) asks for prepared statements explicitly; psycopg ignores
        # that unless a threshold is set. A huge threshold prepares nothing else. Set
        # CLAIMSPORTAL_PG_PREPARED=0 behind a pooler that cannot keep prepared statements.
        if env_flag("CLAIMSPORTAL_PG_PREPARED", not TRANSACTION_POOLING):
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
