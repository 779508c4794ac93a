"""One request end to end: govcloud apply, check the cloud, apply again (no change),
a hand-run `pulumi up` (no change), destroy (nothing left, not even Neutron's default
security group). The request is the sample jj-xzspj/zwfw-portal moved to the test's own
department jj-skeleton-test (tests/cloud/departments.py)."""

from __future__ import annotations

import subprocess

import openstack
import pytest

from provisioner.app import apply as apply_job
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.cloud.conftest import cli_env
from tests.cloud.departments import SKELETON, copy_sample
from tests.cloud.leftovers import purge_project

pytestmark = pytest.mark.cloud

PROJECT = SKELETON.project("city")
LABELS = {f"department={SKELETON.code}", "system=zwfw-portal", "phase=trial", "region=city",
          f"request=JJ-2026-{SKELETON.number:04d}"}
SAMPLE = SKELETON.spec("zwfw-portal")


@pytest.fixture(scope="module")
def applied(workspace: Settings, admin: openstack.connection.Connection):
    copy_sample(workspace.root, "jj-xzspj/zwfw-portal.yaml", SKELETON)
    purge_project(admin, PROJECT)
    run = subprocess.run([str(workspace.root / ".venv/bin/govcloud"), "apply", SAMPLE],
                         cwd=workspace.root, env=cli_env(workspace), capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    yield run.stdout
    # Whatever the tests did, leave the cloud as it was.
    planned = apply_job.discover(workspace.root, [workspace.root / SAMPLE])
    apply_job.destroy(workspace, Engine(workspace), planned)


def _project(admin: openstack.connection.Connection):
    project = admin.identity.find_project(PROJECT)
    assert project is not None, f"project {PROJECT} was not created"
    return project


def test_apply_records_the_request_and_reports_the_trial_it_made(applied: str) -> None:
    """On the dev cloud a spec the ledger lacks is recorded, accepted for the office, and its trial made."""
    system = f"city.{SKELETON.code}.zwfw-portal"
    assert f"{system}: 开发云：申请 JJ-2026-0961 已登记并由 devcloud-office 代信息办受理" in applied
    assert f"{system}#1: 试用环境已就绪，试用期至 " in applied and "（第十六条）" in applied


def _groups(admin: openstack.connection.Connection, project_id: str) -> list[str]:
    """The project's security groups, listed unfiltered: a list filtered by project would make
    the project a `default` group."""
    return sorted(g.name for g in admin.network.security_groups() if g.project_id == project_id)


def test_servers_are_active_in_the_department_project(applied, admin) -> None:
    project = _project(admin)
    servers = sorted(admin.compute.servers(all_projects=True, project_id=project.id),
                     key=lambda s: s.name)
    assert [s.name for s in servers] == ["zwfw-portal-web-1", "zwfw-portal-web-2"]
    for server in servers:
        assert server.status == "ACTIVE"
        assert server.flavor["original_name"] == "gc.c2m4"
        assert set(admin.compute.get_server(server.id).tags) == LABELS | {"field=hosts[0]"}
        assert server.metadata["govcloud_phase"] == "trial"


def test_network_and_https_only_security_group(applied, admin) -> None:
    project = _project(admin)
    networks = list(admin.network.networks(project_id=project.id))
    assert [n.name for n in networks] == ["zwfw-portal-net"]
    assert set(networks[0].tags) == LABELS | {"field=network"}
    subnets = list(admin.network.subnets(network_id=networks[0].id))
    assert [s.cidr for s in subnets] == ["10.20.1.0/24"]
    routers = list(admin.network.routers(project_id=project.id))
    assert len(routers) == 1 and routers[0].external_gateway_info
    group = admin.network.find_security_group("zwfw-portal-sg", project_id=project.id)
    rules = list(admin.network.security_group_rules(security_group_id=group.id, direction="ingress"))
    from_outside = [(r.protocol, r.port_range_min, r.port_range_max, r.remote_ip_prefix)
                    for r in rules if r.remote_group_id is None]
    assert from_outside == [("tcp", 443, 443, "0.0.0.0/0")]
    # and the system's own members may reach each other
    assert [r.remote_group_id for r in rules if r.remote_group_id] == [group.id]
    for server in admin.compute.servers(all_projects=True, project_id=project.id):
        ports = list(admin.network.ports(device_id=server.id))
        assert [p.security_group_ids for p in ports] == [[group.id]]


def test_volumes_are_attached_with_the_requested_size(applied, admin) -> None:
    project = _project(admin)
    volumes = sorted(admin.block_storage.volumes(all_projects=True, project_id=project.id),
                     key=lambda v: v.name)
    # Each host boots from a system disk of its flavor's 40 GB (the request names no size).
    assert [(v.name, v.size, v.status, v.metadata["govcloud_field"]) for v in volumes] == [
        ("zwfw-portal-web-1-data1", 100, "in-use", "hosts[0].data_disks[0]"),
        ("zwfw-portal-web-1-system", 40, "in-use", "hosts[0].system_disk_gb"),
        ("zwfw-portal-web-2-data1", 100, "in-use", "hosts[0].data_disks[0]"),
        ("zwfw-portal-web-2-system", 40, "in-use", "hosts[0].system_disk_gb")]
    servers = {s.id: s.name for s in admin.compute.servers(all_projects=True, project_id=project.id)}
    for volume in volumes:
        host = volume.name.removesuffix("-data1").removesuffix("-system")
        assert [servers[a["server_id"]] for a in volume.attachments] == [host]
        assert volume.metadata["govcloud_department"] == SKELETON.code


def test_second_apply_changes_nothing(applied, workspace: Settings) -> None:
    planned = apply_job.discover(workspace.root, [workspace.root / SAMPLE])
    outcomes = apply_job.apply(workspace, Engine(workspace), planned)
    assert [o.stack for o in outcomes] == [f"city.{SKELETON.code}", f"city.{SKELETON.code}.zwfw-portal"]
    assert [o.changed for o in outcomes] == [False, False], [o.changes for o in outcomes]


def test_hand_run_pulumi_up_sees_the_same_stack(applied, workspace: Settings) -> None:
    run = subprocess.run(["pulumi", "up", "--yes", "--expect-no-changes", "--stack",
                          f"city.{SKELETON.code}.zwfw-portal"], cwd=workspace.root, env=cli_env(workspace),
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "unchanged" in run.stdout


def test_destroy_leaves_nothing_behind(applied, workspace: Settings, admin) -> None:
    project_id = _project(admin).id
    assert _groups(admin, project_id) == ["default", "zwfw-portal-sg"]   # Neutron's, made with the network
    planned = apply_job.discover(workspace.root, [workspace.root / SAMPLE])
    outcomes = apply_job.destroy(workspace, Engine(workspace), planned)
    assert all(o.changes.get("delete", 0) > 0 for o in outcomes), [o.changes for o in outcomes]
    assert list(admin.compute.servers(all_projects=True, project_id=project_id)) == []
    assert list(admin.block_storage.volumes(all_projects=True, project_id=project_id)) == []
    assert list(admin.network.networks(project_id=project_id)) == []
    assert list(admin.network.routers(project_id=project_id)) == []
    assert admin.identity.find_project(PROJECT) is None
    assert _groups(admin, project_id) == []     # the tenant's destroy removed Neutron's `default` too
