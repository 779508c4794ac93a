"""`govcloud calendar ...` end to end: one ISO date on stdout, loud warnings on stderr."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from provisioner import cli
from provisioner.ledger import Ledger
from provisioner.ledger.schema import audit_log
from tests.lifecycle.helpers import ROOT
from tests.lifecycle.test_calendar import TEST_2027


def make_root(tmp_path: Path) -> Path:
    """A scratch govcloud repository: Pulumi.yaml, the sample requests, the policies."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    shutil.copytree(ROOT / "request_specs", root / "request_specs")
    shutil.copytree(ROOT / "policies", root / "policies")
    return root


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_root(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("GOVCLOUD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("GOVCLOUD_LEDGER_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    monkeypatch.setenv("GOVCLOUD_ACTOR", "ops:chen")
    return root


@pytest.mark.parametrize(("argv", "expected"), [
    (["calendar", "deadline", "--from", "2026-03-02", "--working-days", "3"], "2026-03-05\n"),
    (["calendar", "deadline", "--from", "2026-09-30", "--working-days", "3"], "2026-10-10\n"),
    (["calendar", "deadline", "--from", "2026-02-12", "--working-days", "3"], "2026-02-24\n"),
    (["calendar", "deadline", "--from", "2026-03-03T01:30", "--working-days", "1"], "2026-03-04\n"),
    (["calendar", "trial-end", "--start", "2026-02-10"], "2026-02-25\n"),
    (["calendar", "trial-end", "--start", "2026-02-10", "--extension-days", "5"], "2026-03-02\n"),
    (["calendar", "retention", "--go-live", "2026-12-31"], "2027-02-28\n"),
])
def test_calendar_prints_the_date(repo: Path, capsys, argv: list[str], expected: str) -> None:  # noqa: ANN001
    assert cli.main(argv) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (expected, "")


def test_year_end_without_a_schedule_warns_loudly(repo: Path, capsys) -> None:  # noqa: ANN001
    argv = ["calendar", "deadline", "--from", "2026-12-29", "--working-days", "3"]
    assert cli.main(argv) == 0
    captured = capsys.readouterr()
    assert captured.out == "2027-01-01\n"
    assert captured.err.startswith("警告：2027 年的法定节假日安排未知")
    assert cli.main(["calendar", "--lang", "en", "--strict", *argv[1:]]) == 1
    assert "WARNING: the official holiday schedule for 2027 is unknown" in capsys.readouterr().err


def test_year_end_with_a_recorded_schedule(repo: Path, capsys) -> None:  # noqa: ANN001
    (repo / "policies" / "calendar" / "2027.yaml").write_text(TEST_2027, encoding="utf-8")
    assert cli.main(["calendar", "--strict", "deadline", "--from", "2026-12-29", "--working-days", "3"]) == 0
    assert capsys.readouterr() == ("2027-01-04\n", "")
    assert cli.main(["calendar", "day", "2027-01-30"]) == 0
    assert capsys.readouterr().out == "2027-01-30 工作日 (policy: 春节调休)\n"


def test_a_broken_schedule_file_is_a_user_error_with_its_line(repo: Path, capsys) -> None:  # noqa: ANN001
    (repo / "policies" / "calendar" / "2027.yaml").write_text(TEST_2027 + "oops: 1\n", encoding="utf-8")
    assert cli.main(["calendar", "trial-end", "--start", "2026-02-10"]) == 1
    assert "policies/calendar/2027.yaml:9:1: policy-config-invalid oops " in capsys.readouterr().err


def test_verbose_shows_the_end_moment_in_utc(repo: Path, capsys) -> None:  # noqa: ANN001
    assert cli.main(["calendar", "deadline", "--from", "2026-03-02", "--working-days", "3", "--rule", "art15", "-v"]) == 0
    assert capsys.readouterr().out == "2026-03-05\nart15 2026-03-05T15:59:59+00:00\n"


def test_every_command_run_is_in_the_audit_log(repo: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    cli.main(["calendar", "trial-end", "--start", "2026-02-10"])
    cli.main(["calendar", "deadline", "--from", "2026-02-10", "--working-days", "0"])
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    with ledger.transaction() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    ledger.close()
    # Each run: a start record written before it does anything, and a close with its outcome.
    assert [(r.actor, r.action) for r in rows] == [("ops:chen", "command.calendar.start"),
                                                   ("ops:chen", "command.calendar")] * 2
    assert rows[0].detail["args"]["calendar_command"] == "trial-end" and rows[0].detail["pid"] > 0
    assert rows[1].detail["status"] == 0 and rows[1].detail["started"] == rows[0].seq
    assert rows[3].detail["status"] == "UserError: exit 1" and rows[3].detail["started"] == rows[2].seq
