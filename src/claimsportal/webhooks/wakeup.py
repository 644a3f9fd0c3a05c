"""Waking the delivery job when a change commits (PostgreSQL ``LISTEN``/``NOTIFY``); the job's poll
stays as the fallback.

A transaction that writes deliveries also runs ``pg_notify`` (:func:`notify`): PostgreSQL sends the
notification when, and only if, the transaction commits (never for a rollback), once per transaction
however many deliveries it wrote. Each worker process holds one listening connection in a thread of
its own (:class:`Listener`) which sets an event; the ``webhook-deliveries`` job waits on that event
between runs (``Job.wake``) and a drain waits on it while it lingers, so an event goes out as soon as
it is committed instead of at the next poll.

Nothing depends on a notification arriving: a lost one (the listener reconnecting, a notification
sent while nobody listened, PgBouncer in transaction pooling, where ``LISTEN`` cannot work and the
listener is not started) only costs the poll interval. On SQLite there is no listener: the poll alone.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import structlog
from django.conf import settings
from django.db import connection

from claimsportal.claims import ledger

log = structlog.get_logger(__name__)

CHANNEL = "claimsportal_webhooks"
RECONNECT_SECONDS = 2.0


def notify(endpoints: Iterable[int]) -> None:
    """In the transaction that wrote deliveries for ``endpoints``: tell the listeners at commit
    (PostgreSQL only). The payload names the endpoints (a few per change)."""
    if connection.vendor == "postgresql":
        ledger.hot("SELECT pg_notify(%s, %s)", [CHANNEL, ",".join(str(e) for e in sorted(set(endpoints)))])


def _listening_possible() -> bool:
    if connection.vendor != "postgresql":
        return False
    # Behind PgBouncer in transaction pooling a LISTEN does not outlive its transaction.
    return str(getattr(settings, "CLAIMSPORTAL_DB_POOL", "") or "").strip().lower() != "transaction"


class Listener:
    """One ``LISTEN`` connection per process, in a daemon thread, reconnecting after a failure."""

    def __init__(self) -> None:
        # Each notification moves its endpoints' generations on: a drain compares the generation of
        # its endpoint with the one it saw before its last look. The job's thread takes the set of
        # endpoints notified since it last woke.
        self._changed = threading.Condition()
        self._generation: defaultdict[int, int] = defaultdict(int)
        self._notified: set[int] = set()
        self._stop = threading.Event()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set while a LISTEN is in force
        self.notifications = 0

    def start(self) -> bool:
        """Start listening (once per process); False where it cannot (SQLite, transaction pooling)."""
        if not _listening_possible():
            return False
        with self._started:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                params = connection.get_connection_params()
                self._thread = threading.Thread(
                    target=self._listen, args=(params,), name="webhook-listener", daemon=True
                )
                self._thread.start()
        return True

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._thread = None

    def _listen(self, params: dict[str, Any]) -> None:
        while not self._stop.is_set():
            try:
                db = connection.get_new_connection(params)
                try:
                    db.autocommit = True
                    db.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._fire([], everything=True)  # what committed while nobody listened: look once
                    while not self._stop.is_set():
                        for note in db.notifies(timeout=0.5):
                            self.notifications += 1
                            self._fire([int(e) for e in note.payload.split(",") if e.isdigit()])
                finally:
                    self.listening.clear()
                    db.close()
            except Exception:  # the database restarted, say: the poll covers the gap
                log.warning("webhook.listener_failed", exc_info=True)
                self._stop.wait(RECONNECT_SECONDS)

    def _fire(self, endpoints: list[int], *, everything: bool = False) -> None:
        with self._changed:
            for endpoint in endpoints:
                self._generation[endpoint] += 1
            self._notified.update(endpoints)
            if everything:
                self._notified.add(EVERY_ENDPOINT)
            self._changed.notify_all()

    def generation(self, endpoint: int) -> int:
        """Take before looking for an endpoint's deliveries; pass to :meth:`wait_endpoint`."""
        with self._changed:
            return self._generation.get(endpoint, 0)

    def wait_endpoint(self, endpoint: int, since: int, seconds: float) -> bool:
        """Wait up to ``seconds`` for a commit that wrote deliveries for ``endpoint`` after the
        generation ``since`` was taken; True if one came (at once if it already has)."""
        deadline = time.monotonic() + seconds
        with self._changed:
            while self._generation.get(endpoint, 0) == since:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def wait_any(self, seconds: float, stopping: threading.Event, busy: Callable[[], set[int]]) -> bool:
        """The job's wait between runs: up to ``seconds`` (or ``stopping``) for a commit that wrote
        deliveries for an endpoint not ``busy`` (being drained in this process: its drain is woken
        itself); True if one came since the last call."""
        deadline = time.monotonic() + seconds
        with self._changed:
            while True:
                if self._notified:
                    wanted, self._notified = self._notified, set()
                    if EVERY_ENDPOINT in wanted or wanted - busy():
                        return True
                left = deadline - time.monotonic()
                if left <= 0 or stopping.is_set():
                    return False
                self._changed.wait(min(left, 0.25))


EVERY_ENDPOINT = -1
LISTENER = Listener()


def wait_for_work(seconds: float, stopping: threading.Event, busy: Callable[[], set[int]]) -> None:
    """Between two runs of the ``webhook-deliveries`` job: wait for a commit that wrote deliveries for
    an endpoint this process is not draining, at most ``seconds`` (the poll)."""
    if LISTENER.start():
        LISTENER.wait_any(seconds, stopping, busy)
    else:
        stopping.wait(seconds)
