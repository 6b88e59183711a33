"""A real PostgreSQL server for the tests, started in a temporary folder and stopped after.

`make test` installs Debian's `postgresql` package when it is missing. PostgreSQL refuses
to run as root, so as root the server runs as the `postgres` system user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    database: str

    def environment(self) -> dict[str, str]:
        return {
            "READINESS_PG_HOST": self.host,
            "READINESS_PG_PORT": str(self.port),
            "READINESS_PG_USER": self.user,
            # trust authentication ignores it, but dlt requires a password to be set
            "READINESS_PG_PASSWORD": "unused-by-trust-auth",
            "READINESS_PG_DATABASE": self.database,
        }


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    if found is None:
        raise RuntimeError(
            f"PostgreSQL's {name} was not found: install Debian's postgresql package "
            "(make test does it when it is missing)"
        )
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres_server(database: str = "readiness"):
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="readiness-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if as_root:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    user = "readiness"

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)

    try:
        run(_binary("initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8")
        run(
            _binary("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "server.log"),
            "-w",
            "start",
            "-o",
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
        )
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'create database "{database}"')
        connection.close()
        yield PostgresServer("127.0.0.1", port, user, database)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, _binary("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                check=False,
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)
