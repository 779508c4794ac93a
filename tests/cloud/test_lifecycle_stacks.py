"""The lifecycle's stack operations on the real cloud: a trial, promoted in place to
production (same OpenStack ids, art17), protected, then terminated in two steps: verified
backups first, destroying nothing (art19), then the destroy (which reconcile asks for only
once the unit confirmed the hand-over record, art25: tests/cloud/test_handover.py)."""

from __future__ import annotations

import subprocess

import openstack
import pytest

from provisioner.app.reconcile import SystemRef
from provisioner.settings import Settings
from provisioner.app.stack_actions import PulumiStackActions
from tests.cloud.conftest import cli_env
from tests.cloud.departments import LIFECYCLE, copy_sample
from tests.cloud.leftovers import purge_project

pytestmark = pytest.mark.cloud

# The sample jj-xzspj/zwfw-portal, moved to the test's own department (tests/cloud/departments.py).
PROJECT = LIFECYCLE.project("city")
STACK = f"city.{LIFECYCLE.code}.zwfw-portal"
REF = SystemRef(system_key=STACK, generation=1, region="city", department=LIFECYCLE.code,
                system="zwfw-portal", request_id=f"JJ-2026-{LIFECYCLE.number:04d}", request_kind="new", spec=None)


@pytest.fixture(scope="module")
def actions(workspace: Settings, admin: openstack.connection.Connection):
    # Cinder's posix backup reads and compresses every byte, even of a sparse volume: the
    # sample's 100 GB data disks, and its flavor's 40 GB system disks, take minutes each (6 min 40 s
    # a 40 GB disk on a 2-core machine), so this test asks for 10 GB and the smallest system disk.
    spec = workspace.root / copy_sample(workspace.root, "jj-xzspj/zwfw-portal.yaml", LIFECYCLE)
    text = spec.read_text(encoding="utf-8")
    smaller = text.replace("size_gb: 100", "size_gb: 10").replace(
        "      count: 2\n      data_disks:", "      count: 2\n      system_disk_gb: 20\n      data_disks:", 1)
    assert smaller.count("system_disk_gb: 20") == 1, "the sample's host changed: shrink its system disk here"
    spec.write_text(smaller, encoding="utf-8")
    purge_project(admin, PROJECT)
    acts = PulumiStackActions(workspace)
    yield acts
    acts.terminate(REF)
    project = admin.identity.find_project(PROJECT)
    # The final backups of this project only: the operator's own zwfw-portal may have some too.
    for backup in admin.block_storage.backups(all_projects=True, project_id=project.id) if project else ():
        if backup.name.startswith("zwfw-portal-final-"):
            admin.block_storage.delete_backup(backup.id, force=True)
    purge_project(admin, PROJECT)


def _ids(admin, project_id: str) -> dict[str, str]:
    servers = {s.name: s.id for s in admin.compute.servers(all_projects=True, project_id=project_id)}
    volumes = {v.name: v.id for v in admin.block_storage.volumes(all_projects=True, project_id=project_id)}
    return {**servers, **volumes}


def test_promotion_converts_the_trial_in_place(actions, admin) -> None:
    trial = actions.create_trial(REF)
    assert trial.done and trial.detail["stack_changes"].get("create", 0) > 0
    project_id = admin.identity.find_project(PROJECT).id
    before = _ids(admin, project_id)
    assert len(before) == 6  # two servers, their system disks and their data disks

    promoted = actions.promote(REF)
    assert promoted.detail["stack_changes"].get("create", 0) == 0
    assert promoted.detail["stack_changes"].get("delete", 0) == 0
    assert _ids(admin, project_id) == before
    for server in admin.compute.servers(all_projects=True, project_id=project_id):
        assert "phase=production" in admin.compute.get_server(server.id).tags
    for volume in admin.block_storage.volumes(all_projects=True, project_id=project_id):
        assert volume.metadata["govcloud_phase"] == "production"


def test_production_volumes_survive_an_accidental_destroy(actions, workspace: Settings) -> None:
    run = subprocess.run(["pulumi", "destroy", "--yes", "--stack", STACK], cwd=workspace.root,
                         env=cli_env(workspace), capture_output=True, text=True)
    assert run.returncode != 0
    assert "protected" in run.stdout + run.stderr


def test_termination_backs_up_every_volume_before_destroying(actions, admin) -> None:
    project_id = admin.identity.find_project(PROJECT).id
    outcome = actions.back_up(REF)
    backups = [b for b in outcome.detail["backups"] if b["volume_name"].endswith("-data1")]
    assert sorted(b["volume_name"] for b in backups) == ["zwfw-portal-web-1-data1", "zwfw-portal-web-2-data1"]
    for record in backups:
        backup = admin.block_storage.get_backup(record["backup_id"])
        assert (backup.status, backup.size) == ("available", 10)
    # taken offline (servers booted from volumes go), no volume destroyed yet
    assert {v.status for v in admin.block_storage.volumes(all_projects=True, project_id=project_id)} == {"available"}
    assert actions.terminate(REF).done
    assert list(admin.compute.servers(all_projects=True, project_id=project_id)) == []
    assert list(admin.block_storage.volumes(all_projects=True, project_id=project_id)) == []
