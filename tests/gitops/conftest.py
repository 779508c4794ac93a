"""Fixtures for tests/gitops: the engine build, moto's S3 server standing in for Ceph RGW / Swift s3api,
a bucket per test as a shared Pulumi state backend, and a tiny Pulumi project that only sleeps.

moto_server runs on 127.0.0.1 on a free port for the session and is stopped by its PID.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from provisioner.settings import Settings
from tests.gitops.helpers import ROOT
from tests.processes import stop
from tests.scratch import pulumi_project

AWS = {"AWS_ACCESS_KEY_ID": "govcloud-test", "AWS_SECRET_ACCESS_KEY": "govcloud-test-secret",
       "AWS_DEFAULT_REGION": "us-east-1"}

# The project's program: it sleeps (holding the stack's lock in `up`) and logs when it ran.
SLEEPY = '''\
import os
import time

import pulumi

log = os.environ.get("SLEEPY_LOG")
if log:
    with open(log, "a") as handle:
        handle.write(f"start {os.environ.get('SLEEPY_NAME', '?')} {time.time()}\\n")
time.sleep(float(os.environ.get("SLEEPY_SECONDS") or 0))
if log:
    with open(log, "a") as handle:
        handle.write(f"end {os.environ.get('SLEEPY_NAME', '?')} {time.time()}\\n")
pulumi.export("slept", os.environ.get("SLEEPY_SECONDS") or "0")
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def engine_bin() -> Path:
    out = subprocess.run([str(ROOT / "scripts/build-engine")], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    executable = Path(sys.executable).with_name("moto_server")
    assert executable.exists(), "moto_server is missing: pip install -e '.[test]'"
    port = free_port()
    proc = subprocess.Popen([executable, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"moto_server exited with {proc.returncode}"
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "moto_server did not listen"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def s3_client(endpoint: str):  # noqa: ANN201
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"])


def new_bucket(endpoint: str) -> str:
    """A fresh bucket; returns its state URL (the documented form of GOVCLOUD_STATE_URL)."""
    bucket = f"govcloud-state-{uuid.uuid4().hex[:10]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return f"s3://{bucket}?endpoint={endpoint}&s3ForcePathStyle=true&region=us-east-1"


@pytest.fixture()
def aws_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key, value in AWS.items():
        monkeypatch.setenv(key, value)
    return AWS


@pytest.fixture()
def sleepy(tmp_path: Path, engine_bin: Path, moto_endpoint: str, aws_env: dict[str, str]) -> Settings:
    """A govcloud-shaped repository whose one program only sleeps, on a fresh S3 state bucket."""
    root = pulumi_project(tmp_path / "repo", SLEEPY, "city.jj-gitops-lock", "sleepy")
    (tmp_path / "passphrase").write_text("test-passphrase")
    (tmp_path / "clouds.yaml").write_text("clouds: {}\n")
    environ = {"GOVCLOUD_CACHE": str(Path(os.environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")),
               "GOVCLOUD_ENGINE_BIN": str(engine_bin), "GOVCLOUD_STATE_URL": new_bucket(moto_endpoint),
               "GOVCLOUD_PASSPHRASE_FILE": str(tmp_path / "passphrase"), "GOVCLOUD_CLOUD": "govcloud-dev",
               "OS_CLIENT_CONFIG_FILE": str(tmp_path / "clouds.yaml"),
               "GOVCLOUD_LEDGER_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}
    return Settings.from_environ(environ, root)


def cli_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment in which `govcloud` and a hand-run `pulumi` see this settings' repository."""
    env = {**os.environ, **AWS, **settings.pulumi_env(), "GOVCLOUD_CACHE": str(settings.cache),
           "GOVCLOUD_ENGINE_BIN": str(settings.engine_bin), "GOVCLOUD_STATE_URL": settings.backend_url,
           "GOVCLOUD_LEDGER_URL": settings.ledger_url, "OS_CLIENT_CONFIG_FILE": str(settings.clouds_file),
           "GOVCLOUD_CLOUD": settings.cloud, **extra}
    if settings.passphrase_file:
        env["GOVCLOUD_PASSPHRASE_FILE"] = str(settings.passphrase_file)
    return env
