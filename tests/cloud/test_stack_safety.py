"""Stacks stay safe on the real cloud: bad input is refused before anything is made,
drift is reported and put back, and an up that failed halfway is completed by the next.

One small department of its own (jj-safety-test: one cirros host with a 10 GB disk),
in the module's scratch repository. The tests run in file order, each starting from
what the previous one left:

1. preflight: a catalogue flavor the cloud lacks -> refused at the flavor's line, no project;
2. preflight: the project's quota taken by a volume made by hand -> refused at the disk's
   line, after the tenant stack and before any system resource;
3. apply, then drift: a security group rule deleted and another added by hand ->
   `govcloud drift` names the stack and both rules, exit 4; `govcloud apply` removes the
   added rule, `govcloud apply --refresh` makes the deleted one again; drift is clean (exit 0);
4. an up that fails halfway (a per-type volume quota of 0 set out of band: the new rule is
   made, the new volume refused): once the quota is lifted the next apply completes the
   stack; a third changes nothing;
5. an up that leaves a volume half-made (every Cinder backend disabled for the while: Cinder
   accepts the volume, its scheduler finds no backend and puts it in `error`; other volume
   creations on the dev cloud would fail meanwhile, so the cloud tests run one at a time):
   once the backends are back the next apply replaces that volume (Pulumi alone would only update it, and it would stay in
   `error`); a third changes nothing.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import openstack
import pytest

from provisioner.app import apply as apply_job
from provisioner.cloud.backups import connect_project
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.agreements import file_agreement
from tests.cloud.conftest import cli_env
from tests.cloud.leftovers import purge_project
from tests.cloud.specs import one_host

pytestmark = pytest.mark.cloud

DEPARTMENT = "jj-safety-test"
PROJECT = f"city-{DEPARTMENT}"
SPEC = f"request_specs/{DEPARTMENT}/safety.yaml"
TENANT = f"city.{DEPARTMENT}"
SYSTEM = f"city.{DEPARTMENT}.safety"
MISSING_FLAVOR = "gc.c1m1"               # in the scratch catalogue only: the cloud lacks it
FLAKY_TYPE = "gc-safety-test-type"       # a volume type this module makes (and removes)

FLAKY_STORAGE = f"""\
  storage:
    volumes:
      - name: scratch
        size_gb: 10
        volume_type: {FLAKY_TYPE}
"""


def spec_text(flavor: str = "gc.c1m2", storage: str = "") -> str:
    return one_host(DEPARTMENT, "九江市栈安全测试局", "safety", "栈安全测试系统", "JJ-2026-0951", "10.99.51.0/24",
                    "tests/cloud/test_stack_safety.py", disk_gb=10, flavor=flavor, storage=storage,
                    summary="漂移、预检与中途失败的测试")


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def govcloud(workspace: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(workspace.root / ".venv/bin/govcloud"), *args], cwd=workspace.root,
                          env=cli_env(workspace), capture_output=True, text=True)


@pytest.fixture(scope="module")
def safety(workspace: Settings, admin: openstack.connection.Connection):
    """The department's spec and scratch catalogue; everything it made removed afterwards."""
    purge_project(admin, PROJECT)
    _delete_type(admin)
    catalogue = workspace.root / "policies/catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    text = text.replace("flavors:\n", f"flavors:\n  {MISSING_FLAVOR}:  {{vcpus: 1, ram_mb: 1024, "
                                      f"disk_gb: 10, title: 通用型 1核1G (云上没有)}}\n", 1)
    text = text.replace("volume_types:\n", f"volume_types:\n  {FLAKY_TYPE}: {{title: 测试类型}}\n", 1)
    catalogue.write_text(text, encoding="utf-8")
    file_agreement(workspace.root, DEPARTMENT)
    spec = workspace.root / SPEC
    spec.parent.mkdir(parents=True)
    spec.write_text(spec_text(), encoding="utf-8")
    try:
        yield spec
    finally:
        try:
            planned = apply_job.discover(workspace.root, [spec])
            apply_job.destroy(workspace, Engine(workspace), planned)
        finally:
            purge_project(admin, PROJECT)
            _delete_type(admin)


def _delete_type(admin: openstack.connection.Connection) -> None:
    found = admin.block_storage.find_type(FLAKY_TYPE, ignore_missing=True)
    if found is not None:
        admin.block_storage.delete_type(found)


def _project(admin: openstack.connection.Connection):
    domain = admin.identity.find_domain("city")
    return admin.identity.find_project(PROJECT, domain_id=domain.id, ignore_missing=True)


def _inventory(admin: openstack.connection.Connection, project_id: str) -> dict[str, list[str]]:
    return {"servers": sorted(s.name for s in admin.compute.servers(all_projects=True, project_id=project_id)),
            "volumes": sorted(v.name for v in admin.block_storage.volumes(all_projects=True, project_id=project_id)),
            "networks": sorted(n.name for n in admin.network.networks(project_id=project_id)),
            "security_groups": sorted(g.name for g in admin.network.security_groups(project_id=project_id)
                                      if g.name != "default")}


# -- 1, 2: refused before anything is created ------------------------------------------------------

def test_a_flavor_the_cloud_lacks_is_refused_at_its_line(safety, workspace, admin) -> None:
    text = spec_text(flavor=MISSING_FLAVOR)
    safety.write_text(text, encoding="utf-8")
    try:
        run = govcloud(workspace, "apply", SPEC)
    finally:
        safety.write_text(spec_text(), encoding="utf-8")
    assert run.returncode == 1, run.stdout + run.stderr
    line = line_of(text, f"flavor: {MISSING_FLAVOR}")
    assert f"{SPEC}:{line}:15: cloud-missing 云上没有名为 '{MISSING_FLAVOR}' 的规格" in run.stderr, run.stderr
    assert run.stderr.rstrip().endswith("[art5]")
    assert _project(admin) is None      # not even the tenant stack ran


def test_a_project_quota_taken_by_hand_is_refused_before_any_system_resource(safety, workspace, admin) -> None:
    engine = Engine(workspace)
    planned = apply_job.discover(workspace.root, [safety])
    apply_job.render(workspace, planned)
    engine.up(TENANT)                   # the department's project, with its granted quota
    project = _project(admin)
    inside = connect_project(workspace, project.id)
    # Takes one of the 2 volumes granted (the host's system disk and its data disk).
    stray = inside.block_storage.create_volume(size=1, name="made-by-hand")
    try:
        inside.block_storage.wait_for_status(stray, "available", wait=60)
        run = govcloud(workspace, "apply", SPEC)
        assert run.returncode == 1, run.stdout + run.stderr
        # The first volume the request asks for is the host's system disk (the flavor's size: no
        # system_disk_gb written), so the problem is at the host.
        line = line_of(spec_text(), "- name: app")
        assert f"{SPEC}:{line}:7: cloud-quota 项目 {PROJECT} 在云上的云硬盘数配额为 2，其中 1 被不属于任何申请的资源占用" \
            in run.stderr, run.stderr
        assert "[art15]" in run.stderr
        assert _inventory(admin, project.id) == {"servers": [], "volumes": ["made-by-hand"], "networks": [],
                                                 "security_groups": []}
    finally:
        inside.block_storage.delete_volume(stray)
        inside.block_storage.wait_for_delete(stray, wait=60)


# -- 3: drift ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def applied(safety, workspace, admin):
    run = govcloud(workspace, "apply", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    return _project(admin)


def test_drift_is_reported_and_apply_puts_it_back(applied, workspace, admin) -> None:
    clean = govcloud(workspace, "drift", SPEC)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    group = admin.network.find_security_group("safety-sg", project_id=applied.id)
    https = next(r for r in admin.network.security_group_rules(security_group_id=group.id)
                 if r.port_range_min == 443)
    admin.network.delete_security_group_rule(https)
    admin.network.create_security_group_rule(
        security_group_id=group.id, direction="ingress", ethertype="IPv4", protocol="tcp",
        port_range_min=22, port_range_max=22, remote_ip_prefix="0.0.0.0/0", project_id=applied.id)

    drift = govcloud(workspace, "drift", SPEC)
    assert drift.returncode == 4, drift.stdout + drift.stderr
    out = drift.stdout
    assert f"{SYSTEM}: " in out and f"{TENANT}: " in out, out
    stack_part = out[out.index(f"{SYSTEM}: "):]
    assert "safety-sg-in0" in stack_part and "openstack:networking/secGroupRule:SecGroupRule" in stack_part, out
    assert "tcp 22 0.0.0.0/0" in stack_part, out     # the rule added by hand, which no stack holds
    assert f"{SPEC}:{line_of(spec_text(), '- protocol: tcp')}" in stack_part, out
    assert "[art18]" in stack_part

    def ingress() -> list[tuple]:
        return [(r.protocol, r.port_range_min, r.remote_ip_prefix)
                for r in admin.network.security_group_rules(security_group_id=group.id, direction="ingress")
                if r.remote_group_id is None]

    # A plain apply trusts the stack's state, as `pulumi up` does: the rule added by hand goes
    # (a refresh cannot see it anyway), the deleted one is still missing and still drift.
    run = govcloud(workspace, "apply", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert ingress() == []
    assert govcloud(workspace, "drift", SPEC).returncode == 4
    run = govcloud(workspace, "apply", "--refresh", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert ingress() == [("tcp", 443, "0.0.0.0/0")]
    again = govcloud(workspace, "drift", SPEC)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{SYSTEM}: 无漂移" in again.stdout, again.stdout


# -- 4: an up that failed halfway ------------------------------------------------------------------

def test_an_up_that_failed_halfway_is_completed_by_the_next(applied, safety, workspace, admin) -> None:
    # The request grows by an ingress rule and a volume of a new type, but the provider has
    # (out of band) allowed the project no volume of that type: Cinder refuses it while the
    # rule is made. Preflight checks the quotas govcloud grants, not per-type ones, so the
    # up really fails halfway.
    admin.block_storage.create_type(name=FLAKY_TYPE, extra_specs={"volume_backend_name": "nfs1"})
    per_type = f"/os-quota-sets/{applied.id}"
    admin.block_storage.put(per_type, json={"quota_set": {f"volumes_{FLAKY_TYPE}": 0}}).raise_for_status()
    safety.write_text(spec_text(storage=FLAKY_STORAGE) + EXTRA_INGRESS, encoding="utf-8")
    failed = govcloud(workspace, "apply", SPEC)
    assert failed.returncode == 2, failed.stdout + failed.stderr
    # One line per stack on stdout, the failed one saying what failed and why; Pulumi's full
    # output (kilobytes of progress and tracebacks) only in the run's log file.
    (line,) = [text for text in failed.stdout.splitlines() if text.startswith("failed") and SYSTEM in text]
    assert "create safety-scratch:" in line and f"volumes_{FLAKY_TYPE}" in line, line
    log = Path(re.search(r"完整输出见 (\S+)", failed.stderr).group(1))
    assert f"{SYSTEM} up:" in log.read_text(encoding="utf-8")
    assert len(failed.stdout) + len(failed.stderr) < 2000, failed.stdout + failed.stderr
    group = admin.network.find_security_group("safety-sg", project_id=applied.id)
    assert 8443 in _ingress_ports(admin, group.id)                    # made before the failure
    assert "safety-scratch" not in _inventory(admin, applied.id)["volumes"]

    # The provider lifts the limit; the next apply completes the stack, a third changes nothing.
    admin.block_storage.put(per_type, json={"quota_set": {f"volumes_{FLAKY_TYPE}": -1}}).raise_for_status()
    done = govcloud(workspace, "apply", SPEC)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _volume(admin, applied.id, "safety-scratch").status == "available"
    assert _ingress_ports(admin, group.id) == [443, 8443]
    planned = apply_job.discover(workspace.root, [safety])
    outcomes = apply_job.apply(workspace, Engine(workspace), planned)
    assert [o.changed for o in outcomes] == [False, False], [o.changes for o in outcomes]


# -- 5: a resource left half-made ------------------------------------------------------------------

def test_a_volume_left_in_error_is_replaced_by_the_next_apply(applied, safety, workspace, admin) -> None:
    backends = [svc for svc in admin.block_storage.services(binary="cinder-volume") if svc.status == "enabled"]
    safety.write_text(spec_text(storage=FLAKY_STORAGE + SECOND_VOLUME) + EXTRA_INGRESS, encoding="utf-8")
    try:
        for svc in backends:
            admin.block_storage.disable_service(svc, reason="tests/cloud/test_stack_safety.py")
        failed = govcloud(workspace, "apply", SPEC)
    finally:
        for svc in backends:
            admin.block_storage.enable_service(svc)
    assert failed.returncode == 2, failed.stdout + failed.stderr
    broken = _volume(admin, applied.id, "safety-scratch2")
    assert broken.status == "error"

    done = govcloud(workspace, "apply", SPEC)
    assert done.returncode == 0, done.stdout + done.stderr
    mended = _volume(admin, applied.id, "safety-scratch2")
    assert (mended.id != broken.id, mended.status) == (True, "available")
    assert admin.block_storage.find_volume(broken.id, ignore_missing=True, all_projects=True) is None
    planned = apply_job.discover(workspace.root, [safety])
    outcomes = apply_job.apply(workspace, Engine(workspace), planned)
    assert [o.changed for o in outcomes] == [False, False], [o.changes for o in outcomes]


SECOND_VOLUME = f"""\
      - name: scratch2
        size_gb: 10
        volume_type: {FLAKY_TYPE}
"""

EXTRA_INGRESS = """\
      - protocol: tcp
        port: 8443
        source: 10.0.0.0/8
        description: admin console from the extranet
"""


def _ingress_ports(admin: openstack.connection.Connection, group_id: str) -> list[int]:
    return sorted(r.port_range_min for r in admin.network.security_group_rules(
        security_group_id=group_id, direction="ingress") if r.remote_group_id is None)


def _volume(admin: openstack.connection.Connection, project_id: str, name: str):
    deadline = time.monotonic() + 60
    while True:
        found = [v for v in admin.block_storage.volumes(all_projects=True, project_id=project_id)
                 if v.name == name]
        if len(found) == 1 and found[0].status not in ("creating", "deleting"):
            return found[0]
        assert time.monotonic() < deadline, found
        time.sleep(1)
