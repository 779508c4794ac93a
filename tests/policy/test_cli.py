"""`govcloud validate` with policies, `govcloud policy check|report|docs` end to end: output, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from provisioner.cli import main
from provisioner.policy import render_docs
from provisioner.policy import Policies
from tests.agreements import file_agreement
from tests.policy.conftest import CASES, PORTAL, ROOT, data_of, text_of

ON = ["--on", "2026-11-27"]


@pytest.fixture()
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of its own: the project's policies/, an empty request_specs/."""
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    file_agreement(tmp_path, "jj-test")     # and, as the office would, the reference made again
    (tmp_path / "policies" / "README.md").write_text(render_docs(Policies(tmp_path).rule_set), encoding="utf-8")
    (tmp_path / "request_specs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _request(repo: Path, department: str, system: str, number: int, **bandwidth: int) -> Path:
    data = data_of(PORTAL)
    data["metadata"].update(system=system, request_id=f"JJ-2026-{number:04d}")
    data["applicant"]["department"] = department
    data["resources"]["bandwidth"] = bandwidth
    path = repo / "request_specs" / department / f"{system}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_of(data), encoding="utf-8")
    return path


def test_policy_check_lists_every_finding_of_the_samples_and_passes(in_root, capsys) -> None:
    assert main(["policy", "check", *ON]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "request_specs/jj-jyksy/zk-bm.yaml:92:17: sec-internet-http-redirect 【建议】" in "\n".join(out)
    assert out[-1].startswith("政策检查：8 个文件，0 个因申请本身有误未检查；强制 0 项，专家评审 0 项，建议 ")
    assert all(": " in line and "【建议】" in line for line in out[:-1])


def test_policy_check_exits_1_on_a_mandatory_finding_with_rule_article_and_line(in_root, capsys) -> None:
    assert main(["policy", "check", "--lang", "en", *ON, "tests/policy/cases/internet-exposure.yaml"]) == 1
    out = capsys.readouterr().out
    assert ("tests/policy/cases/internet-exposure.yaml:61:15: sec-admin-port-open [mandatory] the ingress rule "
            "opens SSH port 22 to the internet source \"0.0.0.0/0\"; fix: restrict source") in out
    assert out.rstrip().endswith("3 mandatory, 0 expert review, 2 advisory")


def test_policy_report_json_for_ci(in_root, capsys) -> None:
    cases = [str(CASES / "expert-review.yaml"), str(CASES / "backups.yaml")]
    assert main(["policy", "report", "--format", "json", "--lang", "en", *ON, *cases]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["summary"] == {"files": 2, "invalid_specs": 0, "mandatory": 3, "expert-review": 2, "advisory": 1}
    assert report["expert_review"] == ["tests/policy/cases/expert-review.yaml"]
    first = report["findings"][0]
    assert {k: first[k] for k in ("file", "line", "column", "rule", "severity", "article")} == {
        "file": "tests/policy/cases/expert-review.yaml", "line": 49, "column": 12,
        "rule": "ondemand-system-review", "severity": "expert-review", "article": "art15"}
    assert first["message"] == first["message_en"] and first["fix_zh"].startswith("在技术方案中说明测算依据")
    [department] = report["departments"]
    assert department["department"] == "jj-xzspj" and department["systems"] == ["zwfw-portal"]
    assert department["totals"]["vcpus"] == 4 and department["caps"]["vcpus"] == 384


def test_policy_report_table_in_the_terminal(in_root, capsys) -> None:
    assert main(["policy", "report", *ON, "request_specs/wn-yjglj"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["位置", "where", "规则", "rule", "级别", "severity", "条款", "article", "说明", "message"]
    assert ["request_specs/wn-yjglj/yjzh.yaml:91:17", "ondemand-idle-internet", "建议", "art15"] in [
        line.split()[:4] for line in lines]
    assert ["wn-yjglj", "1", "6/100", "56/384", "128/1536"] in [line.split()[:5] for line in lines]
    assert lines[-1] == "政策检查：1 个文件，0 个因申请本身有误未检查；强制 0 项，专家评审 0 项，建议 3 项"


def test_validate_shows_mandatory_and_expert_review_findings_not_advisories(in_root, capsys) -> None:
    assert main(["validate", "--lang", "en", "tests/policy/cases/mlps3-baseline.yaml"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 2)[1].split()[0] for line in out[:-1]] == ["sec-mlps3-anti-affinity"]
    assert out[-1] == "checked 1 file(s): 0 valid, 1 invalid with 1 problem(s)"
    assert main(["validate", "--advisory", "tests/policy/cases/mlps3-baseline.yaml"]) == 1
    assert len(capsys.readouterr().out.splitlines()) == 5


def test_validate_passes_a_request_for_expert_review_and_says_so(in_root, capsys) -> None:
    assert main(["validate", "tests/policy/cases/expert-review.yaml"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == "共检查 1 个文件，全部通过"
    assert out[-1] == "须由市政府信息办组织专家评审（art15）：tests/policy/cases/expert-review.yaml"


def test_validate_json_carries_policy_findings_with_their_severity(in_root, capsys) -> None:
    assert main(["validate", "--format", "json", "tests/policy/cases/department-cap.yaml"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {"files": 1, "invalid": 1, "problems": 2}
    assert [(p["rule"], p["severity"]) for p in report["problems"]] == [
        ("ondemand-department-cap", "mandatory"), ("ondemand-system-review", "expert-review")]
    assert report["policy"]["expert_review"] == ["tests/policy/cases/department-cap.yaml"]


def test_pending_requests_of_the_department_count_toward_its_caps(repo, capsys) -> None:
    # Each asks for 600 Mbps (below the per-system cap of 1000); together 1200 are over the department's 1000.
    first = _request(repo, "jj-test", "sys-a", 1, internet_mbps=600)
    _request(repo, "jj-test", "sys-b", 2, internet_mbps=600)
    assert main(["validate", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "request_specs/jj-test/sys-a.yaml" in out and "request_specs/jj-test/sys-b.yaml" in out
    assert ("department jj-test would hold 1200 Mbps of internet bandwidth in total (its other requests "
            "included: sys-b)") in out
    # Checking one file still counts the other, pending, request of its department.
    assert main(["validate", str(first)]) == 1
    assert "ondemand-department-cap" in capsys.readouterr().out
    (repo / "request_specs" / "jj-test" / "sys-b.yaml").unlink()
    assert main(["validate", str(first)]) == 0


def test_the_severity_in_policies_decides_what_blocks(repo, capsys) -> None:
    _request(repo, "jj-test", "sys-a", 1)           # no backup: advisory as shipped
    assert main(["validate"]) == 0
    baseline = repo / "policies" / "security-baseline.yaml"
    text = baseline.read_text(encoding="utf-8")
    start = text.index("  sec-backup-missing:")
    text = text[:start] + text[start:].replace("severity: advisory", "severity: mandatory", 1)
    baseline.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["validate"]) == 1
    assert "sec-backup-missing 【强制】等保 2 级系统没有申请备份" in capsys.readouterr().out


def test_a_broken_policies_folder_is_reported_at_its_line(repo, capsys) -> None:
    _request(repo, "jj-test", "sys-a", 1)
    naming = repo / "policies" / "naming.yaml"
    naming.write_text(naming.read_text(encoding="utf-8").replace("max_server_name: 63", "max_server_name: 3"),
                      encoding="utf-8")
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "policies/naming.yaml:" in err and "policy-config-invalid" in err and "max_server_name" in err


def test_validate_without_policies_checks_the_specs_and_warns(repo, capsys) -> None:
    _request(repo, "jj-test", "sys-a", 1)
    shutil.rmtree(repo / "policies")
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "共检查 1 个文件，全部通过\n"
    assert "下没有 policies/：只检查了申请文件" in captured.err
    assert main(["validate", "--lang", "en"]) == 0
    assert "no policies/ under" in capsys.readouterr().err


def test_the_committed_policy_reference_is_generated_from_the_policies() -> None:
    committed = (ROOT / "policies" / "README.md").read_text(encoding="utf-8")
    assert committed == render_docs(Policies(ROOT).rule_set), "run `govcloud policy docs` and commit policies/README.md"


def test_policy_docs_writes_and_checks_the_reference(repo, capsys) -> None:
    assert main(["policy", "docs", "--check"]) == 0
    baseline = repo / "policies" / "security-baseline.yaml"
    baseline.write_text(baseline.read_text(encoding="utf-8").replace("min_retention_days: 7", "min_retention_days: 14"),
                        encoding="utf-8")
    assert main(["policy", "docs", "--check"]) == 1
    assert "已过时：请运行 `govcloud policy docs`" in capsys.readouterr().err
    assert main(["--lang", "en", "policy", "docs", "--check"]) == 1
    assert "is out of date: run `govcloud policy docs`" in capsys.readouterr().err
    assert main(["policy", "docs"]) == 0
    assert "| backup retention (days, at least) | 14 |" in (repo / "policies" / "README.md").read_text(encoding="utf-8")
    assert main(["policy", "docs", "--check"]) == 0


def test_a_missing_path_is_a_usage_error(in_root, capsys) -> None:
    assert main(["--lang", "en", "policy", "check", "request_specs/nowhere.yaml"]) == 2
    assert "no such file" in capsys.readouterr().err
