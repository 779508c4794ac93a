"""Every run of an audited command is opened in the audit log before it does anything and closed
when it ends: a run killed with SIGKILL shows as started, not closed (art26)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from provisioner import cli
from provisioner.audit import log as audit_log
from provisioner.ledger import Ledger
from tests.lifecycle.test_cli import ROOT, make_root


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "GOVCLOUD_CACHE": str(tmp_path / "cache"), "GOVCLOUD_ACTOR": "ops:chen",
            "GOVCLOUD_LEDGER_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"}


def _serving(command: list[str], root: Path, env: dict[str, str]) -> subprocess.Popen:
    """The exporter, once it serves (so its start record is long written)."""
    proc = subprocess.Popen([*command, "--listen", "127.0.0.1:0", "--utilisation", "none"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "http://127.0.0.1:" in line and line.endswith("/metrics\n"), line      # serving (in Chinese)
    return proc


def _records(env: dict[str, str]) -> list[audit_log.AuditRecord]:
    ledger = Ledger.open(env["GOVCLOUD_LEDGER_URL"])
    try:
        with ledger.transaction() as conn:
            return audit_log.read(conn)
    finally:
        ledger.close()


@pytest.mark.parametrize("command", [[str(ROOT / ".venv/bin/govcloud"), "exporter"],
                                     [sys.executable, "-m", "provisioner.metering"]], ids=["govcloud", "daemon"])
def test_a_killed_run_shows_as_started_not_closed(tmp_path: Path, env: dict[str, str], command: list[str],
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path)
    killed = _serving(command, root, env)
    killed.send_signal(signal.SIGKILL)
    assert killed.wait(10) == -signal.SIGKILL
    stopped = _serving(command, root, env)
    stopped.send_signal(signal.SIGTERM)          # how systemd stops it: a clean end, closed
    assert stopped.wait(30) == 0
    records = _records(env)
    assert [r.action for r in records] == ["command.exporter.start", "command.exporter.start", "command.exporter"]
    assert records[0].detail["pid"] == killed.pid and records[1].detail["pid"] == stopped.pid
    assert records[2].detail == {**records[2].detail, "status": 0, "started": records[1].seq}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(root)
    assert cli.main(["audit", "--lang", "en", "show"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].endswith("command.exporter.start exporter (not closed: killed or still running)")
    assert shown[1].endswith("command.exporter.start exporter") and shown[2].endswith("command.exporter exporter")
