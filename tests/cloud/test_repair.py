"""A department's project deleted by hand, on the real cloud: drift reports every stack and goes
on; repair makes the project again and stops before any data volume would come back empty,
naming its latest backup (or that there is none); told to go on, it rebuilds the systems in the
new project and keeps the old volumes for the restore.

One department of its own (jj-repair-test), two systems: `repaira` (a server with a data disk
no backup was made of, and a standalone volume backed up) and `repairb` (a server alone).
The tests run in file order.
"""

from __future__ import annotations

import subprocess

import openstack
import pytest

from provisioner.app import apply as apply_job
from provisioner.cloud.backups import connect_project
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.agreements import file_agreement
from tests.cloud.conftest import cli_env
from tests.cloud.leftovers import purge_deleted_project, purge_project
from tests.cloud.specs import one_host

pytestmark = pytest.mark.cloud

DEPARTMENT = "jj-repair-test"
PROJECT = f"city-{DEPARTMENT}"
TENANT = f"city.{DEPARTMENT}"
SPEC_A = f"request_specs/{DEPARTMENT}/repaira.yaml"
SPEC_B = f"request_specs/{DEPARTMENT}/repairb.yaml"
SYSTEM_A, SYSTEM_B = f"{TENANT}.repaira", f"{TENANT}.repairb"
SOURCE = "tests/cloud/test_repair.py"
SPECS = {
    SPEC_A: one_host(DEPARTMENT, "九江市修复测试局", "repaira", "修复测试系统甲", "JJ-2026-0971", "10.99.71.0/24", SOURCE,
                     disk_gb=10, volume=("archive", 10)),
    SPEC_B: one_host(DEPARTMENT, "九江市修复测试局", "repairb", "修复测试系统乙", "JJ-2026-0972", "10.99.72.0/24", SOURCE),
}


def govcloud(workspace: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(workspace.root / ".venv/bin/govcloud"), *args], cwd=workspace.root,
                          env=cli_env(workspace), capture_output=True, text=True, timeout=1800)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.fixture(scope="module")
def department(workspace: Settings, admin: openstack.connection.Connection):
    purge_project(admin, PROJECT)
    _purge_user(admin)
    for path, text in SPECS.items():
        (workspace.root / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace.root / path).write_text(text, encoding="utf-8")
    file_agreement(workspace.root, DEPARTMENT)            # art22: no request is accepted without one
    old: dict[str, str] = {}
    try:
        yield old
    finally:
        try:
            planned = apply_job.discover(workspace.root, [workspace.root / p for p in SPECS])
            apply_job.destroy(workspace, Engine(workspace), planned)
        finally:
            purge_project(admin, PROJECT)
            if old.get("project"):            # what stayed under the deleted project: the kept volumes
                purge_deleted_project(admin, old["project"])
            _purge_user(admin)


def _purge_user(admin: openstack.connection.Connection) -> None:
    """The department's account, should a failed run have left it pointing at a deleted project."""
    user = admin.identity.find_user(DEPARTMENT, domain_id=admin.identity.find_domain("city").id, ignore_missing=True)
    if user is not None:
        admin.identity.delete_user(user)


def _project(admin: openstack.connection.Connection):
    return admin.identity.find_project(PROJECT, domain_id=admin.identity.find_domain("city").id, ignore_missing=True)


def test_a_project_deleted_by_hand_is_reported_by_drift_for_every_stack(department, workspace, admin) -> None:
    # One system after the other: two routers made at once, the quota fitting exactly, can meet
    # Neutron's 409 OverQuota ['router'] (it counts one being made as reserved and used).
    run = govcloud(workspace, "apply", "-j", "1", *SPECS)
    assert run.returncode == 0, run.stdout + run.stderr
    project = _project(admin)
    archive = admin.block_storage.find_volume("repaira-archive", all_projects=True, details=True)
    inside = connect_project(workspace, project.id)
    backup = inside.block_storage.create_backup(volume_id=archive.id, name="repaira-archive-nightly")
    inside.block_storage.wait_for_status(backup, "available", wait=300)
    department.update(project=project.id, archive=archive.id, backup=backup.id)

    admin.identity.delete_project(project)                 # by hand, outside govcloud

    drift = govcloud(workspace, "drift", *SPECS)
    assert drift.returncode == 4, drift.stdout + drift.stderr
    for stack, spec in ((SYSTEM_A, SPEC_A), (SYSTEM_B, SPEC_B)):
        part = drift.stdout[drift.stdout.index(f"{stack}: "):]
        where = f"{spec}:{line_of(SPECS[spec], 'department: ' + DEPARTMENT)}:"
        assert f"{where}" in part and "missing-project" in part, drift.stdout
        assert f"govcloud repair {stack}" in part
    assert "Traceback" not in drift.stdout + drift.stderr and len(drift.stdout) < 6000


def test_repair_makes_the_project_again_and_stops_at_the_data_naming_its_backup(department, workspace,
                                                                                 admin) -> None:
    run = govcloud(workspace, "repair", SYSTEM_A, "--lang", "en")
    assert run.returncode == 1, run.stdout + run.stderr
    project = _project(admin)
    assert project is not None and project.id != department["project"]       # made again
    stopped = run.stderr
    archive = f"{SPEC_A}:{line_of(SPECS[SPEC_A], '- name: archive')}:"
    assert f"{archive}" in stopped and "data-at-risk" in stopped, stopped
    assert f"its latest backup is {department['backup']} (repaira-archive-nightly" in stopped, stopped
    assert f"the old volume {department['archive']} is still there under the deleted project " \
           f"{department['project']}" in stopped, stopped
    disk = f"{SPEC_A}:{line_of(SPECS[SPEC_A], '- size_gb: 10')}:"
    assert f"{disk}" in stopped and "no backup of it exists" in stopped, stopped
    assert "[art25]" in stopped
    # Nothing of the system was made in the new project.
    assert list(admin.compute.servers(all_projects=True, project_id=project.id)) == []
    assert list(admin.block_storage.volumes(all_projects=True, project_id=project.id)) == []


def test_told_to_go_on_repair_rebuilds_the_systems_and_keeps_the_old_volumes(department, workspace, admin) -> None:
    run = govcloud(workspace, "repair", SYSTEM_A, "--allow-empty-data", "--lang", "en")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"kept for the restore: repaira-archive: {department['archive']}" in run.stdout, run.stdout
    run = govcloud(workspace, "repair", SYSTEM_B)
    assert run.returncode == 0, run.stdout + run.stderr
    project = _project(admin)
    servers = sorted(s.name for s in admin.compute.servers(all_projects=True, project_id=project.id))
    assert servers == ["repaira-app-1", "repairb-app-1"]
    # The old project's leftovers are gone, but for the data volumes kept for the restore.
    old = department["project"]
    assert list(admin.compute.servers(all_projects=True, project_id=old)) == []
    assert list(admin.network.networks(project_id=old)) == []
    assert department["archive"] in {v.id for v in admin.block_storage.volumes(all_projects=True, project_id=old)}
    drift = govcloud(workspace, "drift", *SPECS)
    assert drift.returncode == 0, drift.stdout + drift.stderr
