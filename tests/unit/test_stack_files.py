"""Stack files are rendered from the requests: stable, complete, and what is committed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from provisioner.app import apply as apply_job
from provisioner.policy import Policies
from provisioner.settings import Settings
from provisioner.stacks.config import PULUMI_OWNED_KEYS
from provisioner.allocation.quota import department_quota, system_quota

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def scratch(tmp_path: Path) -> Settings:
    for name in ("request_specs", "policies"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path)
    return Settings.from_environ({}, tmp_path)


def _without_pulumi_keys(text: str) -> dict:
    data = yaml.safe_load(text)
    return {k: v for k, v in data.items() if k not in PULUMI_OWNED_KEYS}


def test_committed_stack_files_are_what_govcloud_renders(scratch: Settings) -> None:
    apply_job.render(scratch, apply_job.discover(scratch.root))
    rendered = sorted(p.name for p in (scratch.root / "stacks").glob("Pulumi.*.yaml"))
    committed = sorted(p.name for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
    assert rendered == committed
    for name in rendered:
        assert _without_pulumi_keys((scratch.root / "stacks" / name).read_text(encoding="utf-8")) == \
            _without_pulumi_keys((ROOT / "stacks" / name).read_text(encoding="utf-8")), name


def test_rendering_twice_changes_nothing_and_keeps_the_salt(scratch: Settings) -> None:
    planned = apply_job.discover(scratch.root)
    first = apply_job.render(scratch, planned)
    assert first, "the first render writes the stack files"
    system_file = first[-1]
    system_file.write_text(system_file.read_text() + "encryptionsalt: v1:abc:def\n")
    assert apply_job.render(scratch, planned) == []
    assert "encryptionsalt: v1:abc:def" in system_file.read_text()


def test_sample_department_quota_is_the_sum_of_its_grant(scratch: Settings) -> None:
    planned = apply_job.discover(scratch.root, [scratch.root / "request_specs/jj-xzspj/zwfw-portal.yaml"])
    quota = system_quota(planned[0].spec, Policies(scratch.root).catalogue)
    # two 40 GB system disks (the flavor's) and two 100 GB data disks
    assert (quota.instances, quota.cores, quota.ram_mb, quota.volumes, quota.gigabytes) == (2, 4, 8192, 4, 280)
    total = department_quota([planned[0].spec, planned[0].spec], Policies(scratch.root).catalogue)
    # two systems, each its group with room for Neutron's reservation; the default group once
    assert (total.instances, total.security_groups) == (4, 2 * 2 + 1)


def test_a_rotation_s_credentials_are_kept_by_every_later_render(scratch: Settings) -> None:
    planned = apply_job.discover(scratch.root, [scratch.root / "request_specs/jj-xzspj/zwfw-portal.yaml"])
    tenant = planned[0].tenant
    listed = [{"name": "govcloud-stacks"},
              {"name": "govcloud-stacks-20261205T133600Z", "expires": "2027-03-05T13:36:00Z"}]
    apply_job.render_tenants(scratch, [tenant], credentials={tenant: listed})
    path = scratch.root / "stacks" / f"Pulumi.{tenant}.yaml"
    assert yaml.safe_load(path.read_text())["config"]["govcloud:credentials"] == listed
    assert apply_job.render(scratch, planned) == [scratch.root / "stacks" / f"Pulumi.{planned[0].system}.yaml"]
    assert yaml.safe_load(path.read_text())["config"]["govcloud:credentials"] == listed
