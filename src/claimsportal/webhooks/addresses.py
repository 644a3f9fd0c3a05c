"""Where a webhook may point, and sending to it.

In live mode an endpoint is an ``https://`` URL whose host resolves only to public addresses: private,
loopback, link-local, multicast, reserved and unspecified addresses are refused when the endpoint is
registered **and again at each attempt** (the connection goes to the address that was checked, so a
name that later resolves elsewhere cannot reach the portal's own network). The setting
``CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES`` (for tests, the sandbox and training; refused at start-up
in live mode) lifts both rules: ``http://`` and private addresses are accepted.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

from claimsportal.protocols.errors import ErrorDetail, PortalError

MAX_URL = 500
MAX_ANSWER_BYTES = 64 * 1024


def private_addresses_allowed() -> bool:
    return bool(getattr(settings, "CLAIMSPORTAL_WEBHOOKS_PRIVATE_ADDRESSES", False))


def _refused(reason: str) -> PortalError:
    return PortalError(
        "SCHEMA_INVALID", f"The webhook URL is refused: {reason}", [ErrorDetail("url", reason)]
    )


def _parts(url: str) -> SplitResult:
    if len(url) > MAX_URL:
        raise _refused(f"longer than {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise _refused("not a URL") from None
    allowed = ("https", "http") if private_addresses_allowed() else ("https",)
    if parts.scheme not in allowed:
        raise _refused("it must start with https://")
    if not parts.hostname:
        raise _refused("it has no host name")
    if parts.username or parts.password:
        raise _refused("it must not carry a user name or password")
    if parts.fragment:
        raise _refused("it must not have a #fragment")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise _refused("it contains spaces or control characters")
    return parts


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses, each of which must be public unless private addresses are allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _refused("its host name does not resolve") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise _refused("its host name does not resolve")
    if not private_addresses_allowed() and not all(_public(a) for a in addresses):
        raise _refused("it resolves to a private, loopback or reserved address")
    return addresses


def check_url(url: str) -> str:
    """``url`` as registered, or the reason it is refused (a ``PortalError`` on the field ``url``)."""
    url = url.strip()
    parts = _parts(url)
    resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    return url


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer
    latency_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address
        self._host_name = host

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self._host_name)  # type: ignore[attr-defined]


class KeptConnections:
    """Keep-alive: one open connection per thread and (scheme, host, port, checked address), reused by
    that thread's next request to the same place and closed by :meth:`close_all` (a drain of the
    delivery job holds one and closes it when it ends). The address is still resolved and checked
    before every request; a connection is only reused for the very address just checked."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._every: set[http.client.HTTPConnection] = set()
        self._lock = threading.Lock()
        self.opened = 0

    def _mine(self) -> dict[tuple[str, str, int, str], http.client.HTTPConnection]:
        found: dict[tuple[str, str, int, str], http.client.HTTPConnection] | None = getattr(
            self._local, "connections", None
        )
        if found is None:
            found = {}
            self._local.connections = found
        return found

    def take(self, key: tuple[str, str, int, str]) -> http.client.HTTPConnection | None:
        return self._mine().pop(key, None)

    def keep(self, key: tuple[str, str, int, str], connection: http.client.HTTPConnection) -> None:
        self._mine()[key] = connection
        with self._lock:
            self._every.add(connection)

    def opening(self) -> None:
        with self._lock:
            self.opened += 1

    def close_all(self) -> None:
        with self._lock:
            every, self._every = self._every, set()
        for connection in every:
            connection.close()


# A reused connection the receiver had closed meanwhile fails before any answer: send once more on a
# new one (at-least-once allows it; the event ID is the same).
_STALE = (
    http.client.RemoteDisconnected,
    BrokenPipeError,
    ConnectionResetError,
    http.client.CannotSendRequest,
)


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, kept: KeptConnections | None = None
) -> Answer:
    """POST ``body`` to ``url`` (no redirects followed), with ``timeout`` seconds for the connection and
    for each read; the address is checked again and pinned. With ``kept``, the connection stays open
    for the thread's next request to the same address (keep-alive)."""
    began = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - began) * 1000)

    try:
        parts = _parts(url)
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        host = parts.hostname or ""
        address = resolve(host, port)[0]
    except PortalError as error:
        return Answer(None, took(), error.message[:300])
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPS if https else _PinnedHTTP
    key = (parts.scheme, host, port, address)
    reused = kept.take(key) if kept is not None else None
    while True:
        connection = reused or kind(host, port, address, timeout)
        if reused is None and kept is not None:
            kept.opening()
        keep = False
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(MAX_ANSWER_BYTES)
            keep = kept is not None and response.isclosed() and not response.will_close
            return Answer(response.status, took())
        except _STALE as error:
            if reused is not None:
                reused = None
                connection.close()
                continue
            return Answer(None, took(), f"{type(error).__name__}: {error}"[:300])
        except TimeoutError:
            return Answer(None, took(), f"no answer within {timeout:g} seconds")
        except ssl.SSLError as error:
            return Answer(None, took(), f"TLS failed: {error.reason or error}"[:300])
        except (OSError, http.client.HTTPException) as error:
            return Answer(None, took(), f"{type(error).__name__}: {error}"[:300])
        finally:
            if keep and kept is not None:
                kept.keep(key, connection)
            else:
                connection.close()
