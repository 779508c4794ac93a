"""A cloud that accepts connections and never answers: apply, drift and `exporter --once` fail
within GOVCLOUD_CLOUD_TIMEOUT, naming the endpoint, with exit 2, instead of hanging.

The "cloud" is a local socket that accepts and then says nothing; clouds.yaml points there.
apply stops in its preflight (openstacksdk); drift on a stack with a resource in its state
goes through the provider plugin (its HTTP client) and then openstacksdk; the exporter's
utilisation collector is openstacksdk too. Real engine, no real cloud.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scratch import engine_env

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 4
DEPARTMENT = "jj-timeout-test"
SPEC = f"request_specs/{DEPARTMENT}/zwfw-portal.yaml"
TENANT = f"city.{DEPARTMENT}"


@pytest.fixture(scope="module")
def silent_endpoint() -> Iterator[str]:
    """http://127.0.0.1:PORT: accepts every connection, never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, silent_endpoint: str, engine_bin: Path,
         pulumi_home: Path) -> tuple[Path, dict[str, str]]:
    top = tmp_path_factory.mktemp("timeouts")
    root = top / "repo"
    root.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    shutil.copytree(ROOT / "policies", root / "policies")
    (root / "request_specs" / DEPARTMENT).mkdir(parents=True)
    sample = (ROOT / "request_specs/jj-xzspj/zwfw-portal.yaml").read_text(encoding="utf-8")
    (root / SPEC).write_text(sample.replace("jj-xzspj", DEPARTMENT), encoding="utf-8")
    (root / "stacks").mkdir()
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / "provisioner").symlink_to(ROOT / "provisioner")
    clouds = json.dumps({"clouds": {"govcloud-dev": {
        "auth": {"auth_url": f"{silent_endpoint}/v3", "username": "admin", "password": "x", "project_name": "admin",
                 "user_domain_name": "Default", "project_domain_name": "Default"},
        "region_name": "RegionOne", "identity_api_version": 3}}})
    env = {**engine_env(top, engine_bin, pulumi_home, clouds),
           "GOVCLOUD_LEDGER_URL": f"sqlite:///{top / 'ledger.sqlite3'}", "GOVCLOUD_CLOUD_TIMEOUT": str(TIMEOUT),
           "PATH": f"{engine_bin}:{os.environ['PATH']}", "PULUMI_BACKEND_URL": (top / "state").as_uri(),
           "PULUMI_CONFIG_PASSPHRASE_FILE": str(top / "passphrase"), "PULUMI_SKIP_UPDATE_CHECK": "true"}
    return root, env


def govcloud(repo: tuple[Path, dict[str, str]], *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    root, env = repo
    started = time.monotonic()
    run = subprocess.run([str(ROOT / ".venv/bin/govcloud"), *args], cwd=root, env=env, capture_output=True,
                         text=True, timeout=300)
    return run, time.monotonic() - started


def test_apply_fails_within_the_timeout_naming_the_endpoint(repo, silent_endpoint: str) -> None:
    run, took = govcloud(repo, "--lang", "en", "apply", SPEC)
    assert run.returncode == 2, run.stdout + run.stderr
    assert f"{silent_endpoint}/v3" in run.stderr and "GOVCLOUD_CLOUD_TIMEOUT" in run.stderr, run.stderr
    assert f"did not answer within {TIMEOUT} s" in run.stderr
    assert took < TIMEOUT + 20, took


def test_drift_fails_within_the_timeout_naming_the_endpoint(repo, silent_endpoint: str) -> None:
    root, env = repo
    # A tenant stack whose state holds a project: reading it back needs the cloud.
    subprocess.run(["pulumi", "stack", "init", TENANT], cwd=root, env=env, check=True, capture_output=True)
    stack = f"urn:pulumi:{TENANT}::govcloud::pulumi:pulumi:Stack::govcloud-{TENANT}"
    provider = f"urn:pulumi:{TENANT}::govcloud::pulumi:providers:openstack::operator"
    project = {"cloud": "govcloud-dev"}
    state = {"version": 3, "deployment": {"manifest": {"time": "2026-01-01T00:00:00Z", "magic": "", "version": ""},
                                          "resources": [
        {"urn": stack, "custom": False, "type": "pulumi:pulumi:Stack"},
        {"urn": provider, "custom": True, "id": "00000000-0000-0000-0000-000000000001",
         "type": "pulumi:providers:openstack", "inputs": {**project, "version": "5.5.3"},
         "outputs": {**project, "version": "5.5.3"}, "parent": stack},
        {"urn": f"urn:pulumi:{TENANT}::govcloud::openstack:identity/project:Project::project", "custom": True,
         "id": "f00d", "type": "openstack:identity/project:Project", "inputs": {"name": f"city-{DEPARTMENT}"},
         "outputs": {"id": "f00d", "name": f"city-{DEPARTMENT}"}, "parent": stack,
         "provider": f"{provider}::00000000-0000-0000-0000-000000000001"}]}}
    (root / "state.json").write_text(json.dumps(state))
    subprocess.run(["pulumi", "stack", "import", "--stack", TENANT, "--file", "state.json"], cwd=root, env=env,
                   check=True, capture_output=True)
    run, took = govcloud(repo, "--lang", "en", "drift", SPEC)
    assert run.returncode == 2, run.stdout + run.stderr
    line = next((text for text in run.stdout.splitlines() if text.startswith(f"{TENANT}:")), run.stdout + run.stderr)
    assert "could not be checked" in line and f"{silent_endpoint}/v3" in line, run.stdout
    assert "Client.Timeout" in line or "deadline" in line or "timed out" in line, line
    assert f"{SPEC.rsplit('/', 1)[0]}" not in run.stderr            # no raw Pulumi dump
    assert took < 2 * TIMEOUT + 60, took


def test_exporter_once_fails_within_the_timeout_naming_the_endpoint(repo, silent_endpoint: str) -> None:
    run, took = govcloud(repo, "exporter", "--once")
    assert run.returncode == 2, run.stdout[-500:] + run.stderr
    assert f"{silent_endpoint}/v3" in run.stderr and "timed out" in run.stderr, run.stderr
    assert took < TIMEOUT + 20, took
