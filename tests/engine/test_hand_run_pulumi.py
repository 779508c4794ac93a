"""A hand-run `pulumi preview` goes through govcloud's language host and program,
and the program rejects a broken request before any provider is configured."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROKEN = """\
apiVersion: govcloud.jiujiang.gov.cn/v1
kind: ResourceRequest
metadata:
  system: broken
  name: 坏的申请
  request_id: JJ-2026-0999
"""


@pytest.fixture()
def scratch(tmp_path: Path, engine_bin: Path, pulumi_home: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", repo)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / "provisioner").symlink_to(ROOT / "provisioner")
    (repo / "request_specs" / "jj-test").mkdir(parents=True)
    (repo / "request_specs" / "jj-test" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (repo / "stacks").mkdir()
    (repo / "stacks" / "Pulumi.city.jj-test.broken.yaml").write_text(
        "config:\n  govcloud:kind: system\n  govcloud:cloud: nowhere\n"
        "  govcloud:spec: request_specs/jj-test/broken.yaml\n"
        "  govcloud:tenantStack: organization/govcloud/city.jj-test\n", encoding="utf-8")
    (tmp_path / "state").mkdir()
    env = {"PATH": f"{engine_bin}:{os.environ['PATH']}", "HOME": str(tmp_path),
           "PULUMI_HOME": str(pulumi_home), "PULUMI_BACKEND_URL": (tmp_path / "state").as_uri(),
           "PULUMI_CONFIG_PASSPHRASE": "test", "PULUMI_SKIP_UPDATE_CHECK": "true",
           "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true"}
    subprocess.run(["pulumi", "stack", "init", "city.jj-test.broken"], cwd=repo, env=env,
                   check=True, capture_output=True)
    return repo, env


def test_preview_of_a_broken_request_fails_with_located_problems(scratch) -> None:
    repo, env = scratch
    run = subprocess.run(["pulumi", "preview", "--stack", "city.jj-test.broken"], cwd=repo, env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "the request spec is invalid" in run.stdout
    # Each missing section is named with the file and line it belongs at.
    assert "request_specs/jj-test/broken.yaml:1:1" in run.stdout
    assert "applicant" in run.stdout and "resources" in run.stdout
    # It failed before reaching OpenStack: no provider was ever configured.
    assert "pulumi:providers:openstack" not in run.stdout
