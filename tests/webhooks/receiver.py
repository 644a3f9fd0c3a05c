"""A reference receiver: a real HTTP server on a loopback port, in a thread, that checks each
delivery's signature and freshness as docs/webhooks.md tells integrators to, de-duplicates on the
event ID, keeps connections alive (HTTP/1.1), counts them, and can be told to fail, or to be slow,
for a while."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from claimsportal.webhooks import signing


@dataclass
class Received:
    event_id: str
    kind: str
    body: dict[str, Any]
    headers: dict[str, str]
    refused: str | None  # why the signature check failed, None: genuine


@dataclass
class Receiver:
    url: str
    secrets: dict[str, str] = field(default_factory=dict)  # key ID -> secret
    received: list[Received] = field(default_factory=list)
    fail_next: int = 0  # answer 503 to this many requests
    fail_events: dict[str, int] = field(default_factory=dict)  # event ID -> answer 503 this many times
    delay: float = 0.0  # seconds to wait before answering
    connections: int = 0  # TCP connections the portal opened to it (keep-alive reuses them)
    now: Callable[[], float] = time.time
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def genuine(self) -> list[Received]:
        return [r for r in self.received if r.refused is None]

    @property
    def unique_event_ids(self) -> list[str]:
        seen: list[str] = []
        for r in self.genuine:
            if r.event_id not in seen:
                seen.append(r.event_id)
        return seen

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.unique_event_ids) < count and time.monotonic() < deadline:
            time.sleep(0.02)


@contextmanager
def running_receiver(path: str = "/hooks") -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as most receivers

        def setup(self) -> None:
            super().setup()
            with receiver.lock:
                receiver.connections += 1

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if receiver.delay:
                time.sleep(receiver.delay)
            headers = dict(self.headers.items())
            refused = signing.verify(receiver.secrets, headers, raw, now=receiver.now())
            event_id = headers.get(signing.EVENT_ID, "")
            with receiver.lock:
                failing = receiver.fail_next > 0 or receiver.fail_events.get(event_id, 0) > 0
                if receiver.fail_events.get(event_id, 0) > 0:
                    receiver.fail_events[event_id] -= 1
                elif failing:
                    receiver.fail_next -= 1
                else:
                    body = json.loads(raw)
                    receiver.received.append(
                        Received(
                            headers.get(signing.EVENT_ID, ""), body.get("kind", ""), body, headers, refused
                        )
                    )
            status = 503 if failing else (401 if refused else 204)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
