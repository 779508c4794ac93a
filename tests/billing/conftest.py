"""Fixtures: a real Prometheus, headless Chromium, the local OpenStack cloud, ledgers on SQLite
and on a real PostgreSQL (the server fixture of tests/lifecycle), a fake clock.

Prometheus is Debian's /usr/bin/prometheus, started per test on 127.0.0.1 and a free port
with a temporary data directory and a one-second scrape interval, and stopped by its PID.
Chromium is Debian's `chromium` (scripts/test-packages.txt), run headless as root with
--no-sandbox. A missing binary fails the test: a skipped test is a defect.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from provisioner.cloud.secgroups import remove_default_groups
from provisioner.ledger import Ledger
from provisioner.ledger.metering_schema import migrate_metering
from tests.lifecycle.conftest import postgres_server, postgres_url  # noqa: F401 - fixtures reused

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = Path("/usr/bin/prometheus")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop_by_pid(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture()
def start_prometheus(tmp_path: Path) -> Iterator[Callable[[list[str]], str]]:
    """start(targets) -> URL of a Prometheus scraping those HOST:PORT targets every second."""
    if not PROMETHEUS.exists():
        pytest.fail("Prometheus is not installed: apt-get install -y prometheus (scripts/test-packages.txt)")
    started: list[subprocess.Popen] = []

    def start(targets: list[str]) -> str:
        home = tmp_path / f"prometheus-{len(started)}"
        home.mkdir()
        (home / "prometheus.yml").write_text(
            "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}\n"
            "scrape_configs:\n  - job_name: govcloud\n    static_configs:\n"
            f"      - targets: [{', '.join(repr(t) for t in targets)}]\n", encoding="utf-8")
        port = free_port()
        log = open(home / "prometheus.log", "wb")
        proc = subprocess.Popen([str(PROMETHEUS), f"--config.file={home / 'prometheus.yml'}",
                                 f"--storage.tsdb.path={home / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
                                 "--storage.tsdb.retention.time=1d"], stdout=log, stderr=subprocess.STDOUT, cwd=home)
        started.append(proc)
        wait_for_http(f"http://127.0.0.1:{port}/-/ready", proc, timeout=60)
        return f"http://127.0.0.1:{port}"

    yield start
    for proc in started:
        stop_by_pid(proc)


def screenshot(html: Path, png: Path, width: int, height: int, profile: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install -y chromium (scripts/test-packages.txt)")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                    "--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={png}", html.as_uri()],
                   check=True, capture_output=True, timeout=120)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}" if request.param == "sqlite" \
        else request.getfixturevalue("postgres_url")
    ledger = Ledger.open(url)
    migrate_metering(ledger.engine)
    yield ledger
    ledger.close()


@pytest.fixture()
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    opened = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    migrate_metering(opened.engine)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def local_cloud() -> Path:
    subprocess.run([str(ROOT / "scripts/devcloud/devcloud"), "start"], check=True, stdout=subprocess.DEVNULL)
    cache = Path(os.environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")
    clouds = cache / "devcloud" / "clouds.yaml"
    assert clouds.exists()
    return clouds


@pytest.fixture(scope="module")
def cloud_project(local_cloud: Path) -> Iterator[tuple[object, object]]:
    """(admin connection, a fresh project `test-metering-*`); everything in it is deleted afterwards."""
    import openstack.config
    from openstack.connection import Connection

    config = openstack.config.OpenStackConfig(config_files=[str(local_cloud)])
    admin = Connection(config=config.get_one(cloud="govcloud-dev"))
    project = admin.identity.create_project(name=f"test-metering-{uuid.uuid4().hex[:8]}", domain_id="default")
    try:
        yield admin, project
    finally:
        _clean_project(admin, project)


def _clean_project(admin: object, project: object) -> None:
    conn = admin  # type: ignore[assignment]
    pid = project.id  # type: ignore[attr-defined]
    for ip in conn.network.ips(project_id=pid):
        conn.network.delete_ip(ip, ignore_missing=True)
    for server in conn.compute.servers(all_projects=True, project_id=pid):
        conn.compute.delete_server(server, ignore_missing=True)
        conn.compute.wait_for_delete(server, wait=120)
    for volume in conn.block_storage.volumes(all_projects=True, project_id=pid):
        conn.block_storage.wait_for_status(volume, "available", failures=["error"], wait=60) \
            if volume.status != "available" else None
        conn.block_storage.delete_volume(volume, ignore_missing=True)
    for router in conn.network.routers(project_id=pid):
        for port in conn.network.ports(device_id=router.id):
            if port.device_owner == "network:router_interface":
                conn.network.remove_interface_from_router(router, port=port.id)
        conn.network.delete_router(router, ignore_missing=True)
    for port in conn.network.ports(project_id=pid):
        conn.network.delete_port(port, ignore_missing=True)
    for network in conn.network.networks(project_id=pid):
        conn.network.delete_network(network, ignore_missing=True)
    conn.identity.delete_project(project, ignore_missing=True)
    remove_default_groups(conn, pid)        # Neutron keeps it when the project goes
