"""A PostgreSQL server of the tests' own: Debian's `initdb` and `pg_ctl` on a temporary data
directory, listening on a Unix socket in that directory only (no TCP port), stopped afterwards.

The benchmarks (benchmarks/cluster_bench.py) start theirs with this too.
A machine without the PostgreSQL server binaries skips these tests with one line saying how
to get them; under CI (``CI=true``) that is a failure, because `.ci/run` installs them.
PostgreSQL refuses to run as root, so as root the server runs as ``nobody``.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

HOW_TO_GET_IT = ("no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's `postgresql` package "
                 "to run the PostgreSQL gradebook tests")
USER = "grader"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (on PATH, else Debian's newest), or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def require_postgres() -> Path:
    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{HOW_TO_GET_IT} (CI must run them: .ci/run installs it)")
        pytest.skip(HOW_TO_GET_IT)
    return binaries


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def running_postgres(password: str | None = None, binaries: Path | None = None):
    """Start a server; yield its folder (the socket's directory). With ``password``, the user
    ``grader`` must give it (scram-sha-256); without, local connections are trusted.
    ``binaries``: the folder of initdb and pg_ctl (default: found, or the test skips)."""
    binaries = binaries or require_postgres()
    folder = Path(tempfile.mkdtemp(prefix="dlcourse-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, "nobody")
        init = [str(binaries / "initdb"), "-D", str(folder / "data"), "-U", USER, "--no-sync"]
        if password:
            (folder / "pwfile").write_text(password + "\n")
            if os.geteuid() == 0:
                shutil.chown(folder / "pwfile", "nobody")
            init += ["-A", "scram-sha-256", f"--pwfile={folder / 'pwfile'}"]
        else:
            init += ["-A", "trust"]
        subprocess.run(_as_server_user(init), check=True, capture_output=True, text=True)
        options = f"-k {folder} -c listen_addresses='' -c fsync=off"
        subprocess.run(_as_server_user([str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-o", options,
                                        "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, text=True)
        try:
            yield folder
        finally:
            subprocess.run(_as_server_user([str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                                            "-w", "stop"]), capture_output=True, text=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_database(folder: Path, name: str, password: str | None = None) -> str:
    """A new empty database on the server in ``folder``; its SQLAlchemy URL (psycopg 3)."""
    import psycopg

    with psycopg.connect(host=str(folder), user=USER, dbname="postgres", password=password, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    secret = f":{password}" if password else ""
    return f"postgresql+psycopg://{USER}{secret}@/{name}?host={folder}"


@pytest.fixture(scope="module")
def postgres():
    """A running server for a test module; its folder (the socket's directory)."""
    with running_postgres() as folder:
        yield folder
