"""tests/conftest.py keeps a test session off the operator's state and ledger, and fails one that
wrote there: a pytest session of its own, with that conftest, over a GOVCLOUD_CACHE in a temp dir."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = '''\
import os
import sqlite3
from pathlib import Path

import pytest


def _write(path):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS audit (what TEXT)")
        db.execute("INSERT INTO audit VALUES ('a test was here')")


@pytest.mark.cloud
def test_the_session_has_its_own_state_and_ledger():
    cache = os.environ["GOVCLOUD_CACHE"]
    for name in ("GOVCLOUD_STATE_URL", "PULUMI_BACKEND_URL", "GOVCLOUD_LEDGER_URL"):
        assert cache not in os.environ[name], name
    _write(os.environ["GOVCLOUD_LEDGER_URL"].removeprefix("sqlite:///"))


@pytest.mark.cloud
def test_writing_the_operators_ledger():
    _write(Path(os.environ["GOVCLOUD_CACHE"]) / "ledger.sqlite3")


@pytest.mark.cloud
def test_writing_the_operators_state():
    (Path(os.environ["GOVCLOUD_CACHE"]) / "state" / ".pulumi" / "stacks").mkdir(parents=True)
    (Path(os.environ["GOVCLOUD_CACHE"]) / "state" / ".pulumi" / "stacks" / "city.jj-xzspj.json").write_text("{}")
'''


def _session(tmp_path: Path, test: str) -> subprocess.CompletedProcess[str]:
    suite = tmp_path / "suite"
    suite.mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "conftest.py", suite / "conftest.py")
    (suite / "test_it.py").write_text(TESTS, encoding="utf-8")
    cache = tmp_path / "cache"
    (cache / "state").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("GOVCLOUD_STATE_URL", "PULUMI_BACKEND_URL", "GOVCLOUD_LEDGER_URL")}
    env["GOVCLOUD_CACHE"] = str(cache)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W",
                           "ignore::pytest.PytestUnknownMarkWarning", f"test_it.py::{test}"],
                          cwd=suite, env=env, capture_output=True, text=True, timeout=120)


def test_a_session_works_in_its_own_state_and_ledger(tmp_path: Path) -> None:
    run = _session(tmp_path, "test_the_session_has_its_own_state_and_ledger")
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (tmp_path / "cache" / "ledger.sqlite3").exists()


def test_a_session_that_wrote_the_operators_ledger_fails(tmp_path: Path) -> None:
    run = _session(tmp_path, "test_writing_the_operators_ledger")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 passed, 1 error" in run.stdout, run.stdout
    assert "the tests changed the operator's data" in run.stdout
    assert str(tmp_path / "cache" / "ledger.sqlite3") in run.stdout


def test_a_session_that_wrote_the_operators_state_fails(tmp_path: Path) -> None:
    run = _session(tmp_path, "test_writing_the_operators_state")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "state/.pulumi/stacks/city.jj-xzspj.json" in run.stdout, run.stdout
