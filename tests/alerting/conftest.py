"""Fixtures: a repository copy with test-only units in owners.yaml, a local SMTP server (aiosmtpd),
and Debian's real Prometheus and Alertmanager, each started by the test on 127.0.0.1 and a free
port and stopped by its PID. A missing binary fails the test: a skipped test is a defect."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.alerting import scenario
from tests.billing.conftest import ROOT, free_port, stop_by_pid, wait_for_http
from tests.billing.test_cli import repo_copy

PROMETHEUS = Path("/usr/bin/prometheus")
ALERTMANAGER = Path("/usr/bin/prometheus-alertmanager")
RULES = ROOT / "deploy" / "prometheus" / "govcloud-rules.yml"


def need(binary: Path, package: str) -> None:
    if not binary.exists():
        pytest.fail(f"{binary} is not installed: apt-get install -y {package} (scripts/test-packages.txt)")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """The repository's policies with the scenario's two test units registered (and nothing else)."""
    root = repo_copy(tmp_path)
    owners = root / "policies" / "owners.yaml"
    owners.write_text(owners.read_text(encoding="utf-8") + scenario.OWNERS_ENTRIES, encoding="utf-8")
    return root


@dataclass
class Mailbox:
    """What the SMTP server received: (recipients, parsed message), in arrival order."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[attr-defined]
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for rcpt, m in self.received if address in rcpt]


@pytest.fixture()
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


class Started:
    """Processes a test started, stopped by PID in reverse order."""

    def __init__(self, home: Path) -> None:
        self.home, self.procs = home, []

    def run(self, name: str, argv: list[str], ready: str, **kwargs: object) -> subprocess.Popen:
        log = open(self.home / f"{name}.log", "wb")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, **kwargs)  # type: ignore[call-overload]
        self.procs.append(proc)
        wait_for_http(ready, proc, timeout=60)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                stop_by_pid(proc)


@pytest.fixture()
def started(tmp_path: Path) -> Iterator[Started]:
    running = Started(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def start_alertmanager(started: Started, config: Path) -> int:
    need(ALERTMANAGER, "prometheus-alertmanager")
    port = free_port()
    started.run("alertmanager", [str(ALERTMANAGER), f"--config.file={config}",
                                 f"--storage.path={started.home / 'alertmanager-data'}",
                                 f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
                f"http://127.0.0.1:{port}/-/ready")
    return port


def start_prometheus(started: Started, exporter: str, alertmanager: int) -> str:
    """A Prometheus scraping `exporter` (HOST:PORT) every second with the shipped rules, alerting to Alertmanager."""
    need(PROMETHEUS, "prometheus")
    home = started.home / "prometheus"
    home.mkdir()
    (home / "prometheus.yml").write_text(
        "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}\n"
        f"rule_files: ['{RULES}']\n"
        f"alerting: {{alertmanagers: [{{static_configs: [{{targets: ['127.0.0.1:{alertmanager}']}}]}}]}}\n"
        f"scrape_configs: [{{job_name: govcloud, static_configs: [{{targets: ['{exporter}']}}]}}]\n",
        encoding="utf-8")
    port = free_port()
    started.run("prometheus", [str(PROMETHEUS), f"--config.file={home / 'prometheus.yml'}",
                               f"--storage.tsdb.path={home / 'data'}", f"--web.listen-address=127.0.0.1:{port}"],
                f"http://127.0.0.1:{port}/-/ready", cwd=home)
    return f"http://127.0.0.1:{port}"


def govcloud(repo: Path, env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess]:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(ROOT / ".venv/bin/govcloud"), *args], cwd=repo, env=env, capture_output=True,
                              text=True, timeout=120)
    return run
