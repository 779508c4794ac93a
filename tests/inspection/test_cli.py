"""`govcloud security-report` at its edges, without the cloud: a cloud that does not answer is exit 2,
a wrong department or setting exit 1, and loading the command loads neither openstacksdk nor Jinja2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str, clouds: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "GOVCLOUD_LEDGER_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
           "OS_CLIENT_CONFIG_FILE": str(clouds or tmp_path / "no-clouds.yaml"), "GOVCLOUD_CLOUD": "nowhere"}
    return subprocess.run([sys.executable, "-m", "provisioner.cli", "security-report", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_cloud_that_does_not_answer_is_exit_2(tmp_path: Path) -> None:
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text("clouds:\n  nowhere:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: u\n"
                      "      password: p\n      project_name: p\n      user_domain_name: Default\n"
                      "      project_domain_name: Default\n    identity_api_version: 3\n", encoding="utf-8")
    run = _run(tmp_path, "--format", "json", clouds=clouds)
    assert run.returncode == 2, run.stderr
    assert "govcloud: 无法读取云上资源以生成安全报告" in run.stderr and run.stdout == ""


def test_no_clouds_yaml_is_a_setting_to_fix(tmp_path: Path) -> None:
    run = _run(tmp_path)
    assert run.returncode == 1 and "处没有 clouds.yaml：请设置 OS_CLIENT_CONFIG_FILE" in run.stderr
    run = _run(tmp_path, "--lang", "en")
    assert run.returncode == 1 and "no clouds.yaml at" in run.stderr


def test_a_department_code_is_checked_before_the_cloud_is_asked(tmp_path: Path) -> None:
    run = _run(tmp_path, "--department", "JJ XZSPJ", "--lang", "en")
    assert run.returncode == 1 and "is not a department code" in run.stderr


def test_the_command_loads_without_the_cloud_library_or_the_templates() -> None:
    probe = ("import sys; from provisioner import cli; cli._parser(['security-report']); "
             "print(sorted({'openstack', 'jinja2'} & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
