"""Every file under policies/ goes through the one reader: a broken copy of any of them is reported
by `govcloud validate` at its file:line with a rule id, and exits 1 (never 3, never a traceback)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from provisioner.cli import main
from provisioner.policy import Policies
from tests.policy.conftest import ROOT

POLICY_FILES = sorted(p.relative_to(ROOT / "policies").as_posix() for p in (ROOT / "policies").rglob("*.yaml"))


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "request_specs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_kind_of_policy_file_is_covered() -> None:
    kinds = {name.split("/")[0] if "/" in name else name for name in POLICY_FILES}
    assert kinds == {"agreements.yaml", "calendar", "catalogue.yaml", "change-classification.yaml", "evaluation",
                     "handover.yaml",
                     "inspection.yaml", "naming.yaml", "on-demand.yaml", "owners.yaml", "prices",
                     "security-baseline.yaml", "settlement.yaml"}


def test_the_shipped_policies_have_no_problem() -> None:
    assert Policies(ROOT).problems() == []


def _break(repo: Path, name: str, how: str) -> int:
    """Break the file at its last line + 1; return that line."""
    path = repo / "policies" / name
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    first_key = next(row.split(":", 1)[0] for row in text.splitlines() if row[:1].isalpha())
    path.write_text(text + (f"{first_key}: again\n" if how == "duplicate" else "not_a_setting: 1\n"), encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize("name", POLICY_FILES)
@pytest.mark.parametrize(("how", "code"), [("unknown", "policy-config-invalid"), ("duplicate", "yaml-duplicate-key")])
def test_a_broken_policy_file_is_reported_at_its_line_with_a_rule_id(repo: Path, name: str, how: str, code: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    line = _break(repo, name, how)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err and all(row.startswith(f"policies/{name}:{line}:") for row in err), err
    assert f" {code} " in err[0] and err[0].endswith("]"), err     # the rule id, and the article cited


def test_a_missing_policy_file_a_command_needs_is_exit_1(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "policies" / "owners.yaml").unlink()
    assert main(["codeowners", "--check"]) == 1
    assert capsys.readouterr().err.startswith("policies/owners.yaml:1:1: policy-file-missing ")


def test_a_broken_catalogue_is_a_user_error_for_the_commands_that_read_only_it(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogue = repo / "policies" / "catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("vcpus: 2,", "vcpus: two,", 1), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "vcpus: 2," in row)
    assert main(["calendar", "day", "2026-10-08"]) == 0      # reads the calendar only: not stopped
    capsys.readouterr()
    assert main(["status"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"policies/catalogue.yaml:{line}:") and "policy-config-invalid" in err and "[art5]" in err
