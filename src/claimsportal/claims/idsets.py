"""SQL over a set of application IDs, for the deleting and set-based paths.

On PostgreSQL the set is one array parameter (``column = ANY(%s)``): the statement has one shape
whatever the set's size, so neither Django nor psycopg builds and parses a query with thousands of
placeholders (that cost a 5,000-claim retention batch more than its SQL did). Other databases get a
list of placeholders, in chunks under their parameter limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection

CHUNK = 1000  # placeholders per statement where there is no array parameter (SQLite)


def chunks(ids: Sequence[int]) -> Iterator[tuple[str, list[Any]]]:
    """``(condition, params)`` pairs that together match every ID of ``ids`` (none for none); the
    condition is ``{}``-formatted with the column: ``"claim_id " + condition``."""
    if not ids:
        return
    if connection.vendor == "postgresql":
        yield "= ANY(%s)", [list(ids)]
        return
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        yield f"IN ({', '.join(['%s'] * len(chunk))})", chunk


def delete_rows(table: str, column: str, ids: Sequence[int], *, extra: str = "") -> int:
    """``DELETE FROM table WHERE column IN ids [AND extra]``; returns how many rows went. For tables
    whose rows nothing else references (no cascade, no signal): the on-delete hooks' own rows."""
    gone = 0
    with connection.cursor() as cursor:
        for condition, params in chunks(ids):
            cursor.execute(f"DELETE FROM {table} WHERE {column} {condition}{extra}", params)
            gone += max(int(cursor.rowcount), 0)
    return gone


def select_column(table: str, wanted: str, column: str, ids: Sequence[int], *, extra: str = "") -> list[Any]:
    """``SELECT wanted FROM table WHERE column IN ids [AND extra]``, as a flat list."""
    values: list[Any] = []
    with connection.cursor() as cursor:
        for condition, params in chunks(ids):
            cursor.execute(f"SELECT {wanted} FROM {table} WHERE {column} {condition}{extra}", params)
            values += [row[0] for row in cursor.fetchall()]
    return values
