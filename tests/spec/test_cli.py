"""`govcloud validate` and `govcloud schema` end to end: output, formats, languages, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from provisioner.cli import main
from tests.spec.conftest import CASES, ROOT, SAMPLES


@pytest.fixture()
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def test_all_samples_are_valid(in_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == f"共检查 {len(SAMPLES)} 个文件，全部通过\n"


def test_invalid_files_exit_1_with_located_messages(in_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = "tests/spec_cases/invalid/unknown-keys.yaml"
    assert main(["validate", "--lang", "en", case, "request_specs/jj-xzspj/zwfw-portal.yaml"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"{case}:11:3: spec-unknown-key applicant has no key regoin; did you mean region? [art14]"
    assert out[-1] == "checked 2 file(s): 1 valid, 1 invalid with 5 problem(s)"


def test_json_for_ci(in_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(CASES / "invalid" / "ports.yaml")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["summary"] == {"files": 1, "invalid": 1, "problems": 3}
    first = report["problems"][0]
    assert {k: first[k] for k in ("file", "line", "column", "rule", "article")} == {
        "file": "tests/spec_cases/invalid/ports.yaml", "line": 61, "column": 19,
        "rule": "ingress-port-range-reversed", "article": "art14"}
    assert first["message"] == first["message_zh"] == "端口范围 8443-8080 起止颠倒"
    assert first["message_en"] == "port range 8443-8080 is reversed"


def test_a_folder_is_searched_and_a_missing_path_is_a_usage_error(in_root: Path, capsys) -> None:
    assert main(["validate", "request_specs/xs-bdcdjzx"]) == 0
    assert "共检查 1 个文件" in capsys.readouterr().out
    assert main(["validate", "request_specs/nowhere.yaml"]) == 2
    assert "request_specs/nowhere.yaml：没有这个文件或目录" in capsys.readouterr().err
    assert main(["--lang", "en", "validate", "request_specs/nowhere.yaml"]) == 2
    assert "request_specs/nowhere.yaml: no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["validate", "--format", "xml"])
    assert exited.value.code == 2


def test_a_request_number_used_twice_is_reported_at_the_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys) -> None:
    root = tmp_path / "repo"                     # drafts of another repository, checked there
    (root / "request_specs").mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: govcloud\n", encoding="utf-8")
    (root / "drafts").mkdir()
    monkeypatch.chdir(root)
    shutil.copy(SAMPLES[0], root / "drafts" / "a.yaml")
    shutil.copy(SAMPLES[0], root / "drafts" / "b.yaml")
    assert main(["validate", "drafts/a.yaml", "drafts/b.yaml"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1].split(" ")[0] for line in lines[:-1]] == ["system-duplicate", "request-id-duplicate"]
    assert lines[0].startswith("drafts/b.yaml:6:11: ") and lines[1].startswith("drafts/b.yaml:8:15: ")
    assert "与 drafts/a.yaml 重复" in lines[1]


def test_the_installed_command_exits_with_the_code(in_root: Path) -> None:
    run = subprocess.run([str(ROOT / ".venv/bin/govcloud"), "validate", "--lang", "en",
                          "tests/spec_cases/invalid/gbk-encoding.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stdout.startswith("tests/spec_cases/invalid/gbk-encoding.yaml:5:43: file-not-utf8 the file is not UTF-8")


def test_schema_command_prints_the_checked_in_schema(in_root: Path, capsys, tmp_path: Path) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == (ROOT / "request_specs/request-spec.schema.json").read_text(encoding="utf-8")
    assert main(["schema", "-o", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["title"].startswith("九江市政务云资源申请")
