"""A PgBouncer of our own, in transaction pooling mode, for one machine (``run-prod``, ``bench api
--topology prod``). Production runs its own PgBouncer from ``deploy/pgbouncer.ini``
(docs/deployment.md); this starts the same settings from a generated file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit


@dataclass(frozen=True)
class Upstream:
    host: str
    port: int
    user: str
    password: str
    name: str

    @classmethod
    def from_url(cls, url: str) -> Upstream:
        parts = urlsplit(url)
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password or ""),
            name=unquote(parts.path.lstrip("/")),
        )

    def through(self, port: int) -> str:
        """The DATABASE_URL of the same database through PgBouncer on ``127.0.0.1:port``."""
        auth = quote(self.user, safe="") + (f":{quote(self.password, safe='')}" if self.password else "")
        return f"postgres://{auth}@127.0.0.1:{port}/{quote(self.name, safe='')}"


def config(upstream: Upstream, *, port: int, directory: Path, pool_size: int) -> str:
    """pgbouncer.ini: transaction pooling, ``pool_size`` server connections, clients trusted on loopback."""
    password = f" password={upstream.password}" if upstream.password else ""
    return "\n".join(
        [
            "[databases]",
            f"{upstream.name} = host={upstream.host} port={upstream.port} dbname={upstream.name}"
            f" user={upstream.user}{password}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {port}",
            "unix_socket_dir =",
            "pool_mode = transaction",
            "max_client_conn = 1000",
            f"default_pool_size = {pool_size}",
            "reserve_pool_size = 0",
            "server_reset_query =",
            "auth_type = trust",  # loopback only (listen_addr above)
            f"auth_file = {directory / 'userlist.txt'}",
            f"pidfile = {directory / 'pgbouncer.pid'}",
            f"logfile = {directory / 'pgbouncer.log'}",
            "log_connections = 0",
            "log_disconnections = 0",
            "",
        ]
    )


def available() -> str | None:
    return shutil.which("pgbouncer") or next(
        (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if os.access(p, os.X_OK)), None
    )


def start(upstream: Upstream, *, port: int, directory: Path, pool_size: int = 8) -> subprocess.Popen[bytes]:
    """Start PgBouncer on ``127.0.0.1:port`` in front of ``upstream``; wait until it accepts. As root it
    runs as ``postgres``, which must be able to reach ``directory`` (a ``tempfile.mkdtemp()`` does)."""
    binary = available()
    if binary is None:
        raise RuntimeError("PgBouncer is not installed (Debian: apt-get install -y pgbouncer)")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "userlist.txt").write_text(f'"{upstream.user}" ""\n')
    ini = directory / "pgbouncer.ini"
    ini.write_text(config(upstream, port=port, directory=directory, pool_size=pool_size))
    command = [binary]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root: as the PostgreSQL system user
        command += ["-u", "postgres"]
        shutil.chown(directory, user="postgres")
        for path in directory.iterdir():
            shutil.chown(path, user="postgres")
    command.append(str(ini))
    process = subprocess.Popen(  # noqa: S603 - the system's pgbouncer and our own config file
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = directory / "pgbouncer.log"
            raise RuntimeError(f"PgBouncer stopped at once: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("PgBouncer did not start listening")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
