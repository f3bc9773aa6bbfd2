"""A throwaway PostgreSQL cluster (Debian's server binaries) on a free loopback port.

Shared by the test runner (scripts/test-postgres), the root conftest's `postgres_url` fixture and
the benchmarks. PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` user
that Debian's package creates.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


class PostgresMissing(RuntimeError):
    pass


def bindir() -> Path | None:
    """Where initdb, pg_ctl, pg_dump and pg_restore live, or None when the server is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user() -> list[str]:
    """The command prefix that runs a server binary as an account PostgreSQL accepts."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@contextlib.contextmanager
def cluster(*, fast: bool = True) -> Iterator[str]:
    """Start a cluster, yield the URL of its `postgres` database (user `tsunagu`), always remove it.

    fast=True turns fsync off: the data is thrown away, and a crash does not matter.
    """
    binaries = bindir()
    if binaries is None:
        raise PostgresMissing(
            "PostgreSQL is not installed. Run `make test` as root (it installs Debian's "
            "postgresql) or install it yourself: sudo apt-get install postgresql"
        )
    # Not under pytest's own temporary folder: that one is private to root, and the server runs
    # as `postgres`.
    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-postgres-"))
    data, sockets = workdir / "data", workdir / "run"
    sockets.mkdir()
    prefix = as_server_user()
    if prefix:
        shutil.chown(workdir, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    try:
        subprocess.run(
            [
                *prefix,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "tsunagu",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            **quiet,
        )
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [
                *prefix,
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(workdir / "log"),
                "start",
            ],
            check=True,
            **quiet,
        )
        yield f"postgres://tsunagu@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], **quiet
            )
        shutil.rmtree(workdir, ignore_errors=True)


def copy_database(server_url: str, template: str, name: str) -> str:
    """Create database `name` on the server as a copy of database `template` (which must have no
    session open), replacing any database of that name; returns its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
