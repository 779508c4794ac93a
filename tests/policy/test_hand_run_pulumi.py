"""A hand-run `pulumi preview` / `pulumi up` of a request breaking a mandatory policy fails before the cloud.

The real CLI, govcloud's language host and program, on a scratch copy of the
repository with a temporary file backend; the cloud named in the stack does not
exist, so anything that got as far as OpenStack would show it. A request within
the policies goes past the gate (and fails later, at its tenant stack), which
shows the gate is what stopped the other.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from provisioner.settings import Settings
from tests.agreements import file_agreement
from tests.policy.conftest import PORTAL, ROOT, data_of, text_of

EXPOSED_LINE = 0   # filled in by _requests: the line of the offending source


@pytest.fixture(scope="module")
def settings() -> Settings:
    found = Settings.from_environ(os.environ, ROOT)
    assert (found.engine_bin / "pulumi").exists(), "run scripts/build-engine first"
    return found


def _stack(repo: Path, system: str) -> str:
    (repo / "stacks" / f"Pulumi.city.jj-test.{system}.yaml").write_text(
        "config:\n  govcloud:kind: system\n  govcloud:cloud: nowhere\n"
        f"  govcloud:spec: request_specs/jj-test/{system}.yaml\n"
        "  govcloud:tenantStack: organization/govcloud/city.jj-test\n", encoding="utf-8")
    return f"city.jj-test.{system}"


def _request(repo: Path, system: str, number: int, ssh_from_anywhere: bool) -> None:
    data = data_of(PORTAL)
    data["metadata"].update(system=system, request_id=f"JJ-2026-{number:04d}")
    data["applicant"]["department"] = "jj-test"
    if ssh_from_anywhere:
        data["resources"]["security"]["ingress"].append(
            {"protocol": "tcp", "port": 22, "source": "0.0.0.0/0", "description": "vendor maintenance"})
    (repo / "request_specs" / "jj-test" / f"{system}.yaml").write_text(text_of(data), encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("hand-run")
    repo = tmp / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", repo)
    shutil.copytree(ROOT / "policies", repo / "policies")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / "provisioner").symlink_to(ROOT / "provisioner")
    (repo / "request_specs" / "jj-test").mkdir(parents=True)
    file_agreement(repo, "jj-test")                  # a new department files its service agreement (art22)
    (repo / "stacks").mkdir()
    _request(repo, "exposed", 1, ssh_from_anywhere=True)
    _request(repo, "fine", 2, ssh_from_anywhere=False)
    (tmp / "state").mkdir()
    env = {"PATH": f"{settings.engine_bin}:{os.environ['PATH']}", "HOME": str(tmp),
           "PULUMI_HOME": str(settings.pulumi_home), "PULUMI_BACKEND_URL": (tmp / "state").as_uri(),
           "PULUMI_CONFIG_PASSPHRASE": "test", "PULUMI_SKIP_UPDATE_CHECK": "true",
           "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
           "OS_CLIENT_CONFIG_FILE": str(tmp / "no-clouds.yaml")}
    for system in ("exposed", "fine"):
        subprocess.run(["pulumi", "stack", "init", _stack(repo, system)], cwd=repo, env=env,
                       check=True, capture_output=True)
    return repo, env


def _pulumi(scratch: tuple[Path, dict[str, str]], *args: str) -> subprocess.CompletedProcess[str]:
    repo, env = scratch
    return subprocess.run(["pulumi", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def _source_line(repo: Path) -> tuple[int, int]:
    lines = (repo / "request_specs" / "jj-test" / "exposed.yaml").read_text(encoding="utf-8").splitlines()
    number = max(i for i, line in enumerate(lines, 1) if "source: 0.0.0.0/0" in line)
    return number, lines[number - 1].index("0.0.0.0/0") + 1


@pytest.mark.parametrize("command", [["preview"], ["up", "--yes", "--skip-preview"]], ids=["preview", "up"])
def test_a_mandatory_finding_stops_a_hand_run_before_any_provider(scratch, command) -> None:
    run = _pulumi(scratch, *command, "--stack", "city.jj-test.exposed")
    assert run.returncode != 0
    line, column = _source_line(scratch[0])
    assert "the request breaks mandatory rules of policies/" in run.stdout
    assert (f"request_specs/jj-test/exposed.yaml:{line}:{column}: sec-admin-port-open [mandatory] the ingress "
            "rule opens SSH port 22 to the internet source \"0.0.0.0/0\"") in run.stdout
    assert "[art20]" in run.stdout and "【强制】" in run.stdout
    # Nothing reached OpenStack: no provider was configured, no resource but the stack itself.
    assert "pulumi:providers:openstack" not in run.stdout
    assert "the request spec is invalid" not in run.stdout


def test_the_failed_up_left_no_resource_in_the_state(scratch) -> None:
    _pulumi(scratch, "up", "--yes", "--skip-preview", "--stack", "city.jj-test.exposed")
    exported = _pulumi(scratch, "stack", "export", "--stack", "city.jj-test.exposed")
    assert exported.returncode == 0, exported.stderr
    resources = json.loads(exported.stdout)["deployment"].get("resources") or []
    assert not [r for r in resources if r["type"].startswith(("openstack:", "pulumi:providers:"))]


def test_a_request_within_the_policies_goes_past_the_gate(scratch) -> None:
    run = _pulumi(scratch, "preview", "--stack", "city.jj-test.fine")
    assert "breaks mandatory rules" not in run.stdout
    # It stops later, at the tenant stack it reads (absent in this scratch backend): past the gate.
    assert run.returncode != 0
    assert 'unknown stack "organization/govcloud/city.jj-test"' in run.stdout


def test_a_python_crossguard_policy_pack_cannot_run_on_our_language_host(scratch, tmp_path: Path) -> None:
    """Why the policies are enforced inside the program rather than as a CrossGuard pack (see
    provisioner/policy/gate.py): the engine starts a Python pack through the language host's RunPlugin,
    which govcloud's host (engine/pulumi/cmd/pulumi-language-python) does not implement. When it does,
    this test fails, and a pack over the same policies/ becomes possible."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text(
        f"runtime:\n  name: python\n  options:\n    virtualenv: {ROOT / '.venv'}\nversion: 0.0.1\n", encoding="utf-8")
    (pack / "__main__.py").write_text("from pulumi_policy import PolicyPack\n", encoding="utf-8")
    run = _pulumi(scratch, "preview", "--stack", "city.jj-test.fine", "--policy-pack", str(pack))
    assert run.returncode != 0
    assert (f'error: policy pack "{pack}" failed to start: could not read plugin [{pack}]: '
            "method RunPlugin not implemented") in run.stdout + run.stderr


def test_a_tenant_stack_from_an_older_govcloud_is_named_not_a_traceback(scratch, tmp_path: Path) -> None:
    """A tenant stack last updated before it exported the stacks credential (the operator's samples
    were such after an upgrade): the system's preview says which output is missing and what
    updates it, where it used to end in a KeyError's traceback."""
    repo, _ = scratch
    (repo / "stacks" / "Pulumi.city.jj-test.fine-old.yaml").write_text(
        "config:\n  govcloud:kind: system\n  govcloud:cloud: nowhere\n"
        "  govcloud:spec: request_specs/jj-test/fine.yaml\n"
        "  govcloud:tenantStack: organization/govcloud/city.jj-old\n", encoding="utf-8")
    assert _pulumi(scratch, "stack", "init", "city.jj-test.fine-old").returncode == 0
    assert _pulumi(scratch, "stack", "init", "city.jj-old").returncode == 0
    exported = json.loads(_pulumi(scratch, "stack", "export", "--stack", "city.jj-old").stdout)
    exported["deployment"]["resources"] = [{
        "urn": "urn:pulumi:city.jj-old::govcloud::pulumi:pulumi:Stack::govcloud-city.jj-old", "custom": False,
        "type": "pulumi:pulumi:Stack", "outputs": {"projectId": "an-old-tenants-project"}}]
    (tmp_path / "old.json").write_text(json.dumps(exported), encoding="utf-8")
    imported = _pulumi(scratch, "stack", "import", "--stack", "city.jj-old", "--file", str(tmp_path / "old.json"))
    assert imported.returncode == 0, imported.stderr
    run = _pulumi(scratch, "preview", "--stack", "city.jj-test.fine-old")
    assert run.returncode != 0
    said = run.stdout + run.stderr
    assert re.search(r"the tenant stack organization/govcloud/city\.jj-old exports no credential(Id|Secret):", said), said
    assert "govcloud apply updates tenants before their systems" in said
    assert "KeyError" not in said and "Traceback" not in said
