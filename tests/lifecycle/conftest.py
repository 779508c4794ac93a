"""Fixtures: a real PostgreSQL server and a real S3 (moto's server), both started here.

PostgreSQL: Debian's postgresql package (scripts/test-packages.txt) provides initdb and
postgres; the session makes a throwaway cluster in a temp dir, owned by the `postgres`
system user when running as root (the server refuses to run as root), listening on
127.0.0.1 on a free port with a private socket directory, and stops it by its PID.
If the binaries are missing the fixture fails: a skipped PostgreSQL test is a defect.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest

from provisioner.ledger import Ledger
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: apt-get install -y postgresql (listed in scripts/test-packages.txt)")
    return Path(found[-1]).parent


def _wait_for_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {timeout} s")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL; yields the URL of its admin database (psycopg form, no driver prefix)."""
    bindir = _postgres_bin()
    run_as: dict[str, object] = {}
    base = Path(tempfile.mkdtemp(prefix="govcloud-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    data, sockets = base / "data", base / "sock"
    subprocess.run([bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                    "--no-sync", "-N"], check=True, capture_output=True, cwd=base, **run_as)
    sockets.mkdir()
    if run_as:
        os.chown(sockets, run_as["user"], run_as["group"])
    port = free_port()
    log = open(base / "server.log", "wb")
    proc = subprocess.Popen([bindir / "postgres", "-D", data, "-p", str(port), "-h", "127.0.0.1", "-k", sockets,
                             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                             "-c", "max_connections=100"],
                            stdout=log, stderr=subprocess.STDOUT, cwd=base, **run_as)
    try:
        _wait_for_port(port, proc, "postgres")
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        for _ in range(100):       # listening precedes accepting connections by a moment
            try:
                psycopg.connect(url).close()
                break
            except psycopg.OperationalError:
                time.sleep(0.05)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)      # fast shutdown, by PID
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture()
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh empty database on the session's server, as a SQLAlchemy URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.replace("postgresql://", "postgresql+psycopg://").rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture()
def ledger(ledger_url: str) -> Iterator[Ledger]:
    opened = Ledger.open(ledger_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[str]:
    """moto's S3-compatible server on 127.0.0.1 and a free port; yields its endpoint URL."""
    executable = Path(sys.executable).with_name("moto_server")
    if not executable.exists():
        pytest.fail("moto_server is missing: pip install -e '.[test]' (moto[server] is pinned there)")
    port = free_port()
    proc = subprocess.Popen([executable, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, proc, "moto_server")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture()
def s3(moto_s3: str, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a boto3 S3 client
    import boto3

    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=moto_s3)
    return client


@pytest.fixture()
def bucket(s3) -> str:  # noqa: ANN001
    """A new bucket on moto's S3 server."""
    name = f"audit-{datetime.now().strftime('%H%M%S%f')}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture()
def audit_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bucket: str, moto_s3: str) -> str:
    """A scratch repository as the current directory, with its own ledger and the audit bucket
    in the environment, as `govcloud audit` commands see them; returns the ledger URL."""
    from tests.lifecycle.test_cli import make_root

    monkeypatch.chdir(make_root(tmp_path))
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    for key, value in {"GOVCLOUD_CACHE": str(tmp_path / "cache"), "GOVCLOUD_LEDGER_URL": url,
                       "GOVCLOUD_AUDIT_BUCKET": bucket, "GOVCLOUD_AUDIT_S3_ENDPOINT": moto_s3,
                       "GOVCLOUD_ACTOR": "ops:chen"}.items():
        monkeypatch.setenv(key, value)
    return url


class FakeClock:
    """An injected `now`: tests step it through days in microseconds."""

    def __init__(self, start: datetime) -> None:
        assert start.tzinfo is not None
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        from datetime import timedelta
        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc))   # Monday 09:00 in Shanghai
