"""One small read per request, prepared: parsed and planned once per PostgreSQL connection.

A per-request read of a one-row table through the ORM (``filter(pk=…).values_list(…).first()``)
cost about a quarter of an A2A state change's CPU in process: building and compiling the query,
then formatting it client-side, for a statement whose text never changes. Here it is sent as is
with server-side binding and ``prepare=True`` (``claims.ledger.hot`` does the same for the claim hot
path; psycopg ignores ``prepare=True`` on a connection without a ``prepare_threshold``, see
``config.database`` and ``CLAIMSPORTAL_PG_PREPARED``). Elsewhere (SQLite) it is an
ordinary cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connection


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """The first row of ``sql`` (``%s`` placeholders), or None."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return tuple(row) if row is not None else None
