"""A govcloud run killed at any point is completed by the next plain run, on the real cloud.

One small department of its own (jj-killsafe-test: one cirros server with one 10 GB data
disk), in the module's scratch repository and state. `govcloud apply` or `destroy` is
SIGKILLed (no handler runs) at five points, each followed by ONE plain run that must
succeed with no manual step; then:

* no process of the killed run is left (pulumi, the language host, the program, the
  provider plugin) a few seconds after the kill;
* the stacks equal an uninterrupted run's: a preview changes nothing, and every object
  the department's project holds is held by a stack;
* no object of the department is anywhere else (the admin project included), counted
  through openstacksdk by its labels and names.

The points, in file order, each starting from what the previous one left:
1. before the lock (govcloud still starting, nothing locked);
2. during destroy (a server's deletion pending);
3. during the tenant stack (its first creates pending);
4. during server creation (the server POSTed, still building);
5. during volume attach (the attachment requested);
and once with SIGTERM (govcloud stops its pulumi itself) during server creation.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import openstack
import pytest

from provisioner.app import apply as apply_job
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.agreements import file_agreement
from tests.cloud.conftest import cli_env
from tests.cloud.leftovers import purge_project
from tests.cloud.specs import one_host
from tests.processes import descendants, left_after

pytestmark = pytest.mark.cloud

DEPARTMENT = "jj-killsafe-test"
PROJECT = f"city-{DEPARTMENT}"
SPEC = f"request_specs/{DEPARTMENT}/killsafe.yaml"
TENANT = f"city.{DEPARTMENT}"
SYSTEM = f"city.{DEPARTMENT}.killsafe"
PREFIX = "killsafe-"                       # every system resource is named <system>-...
PROCESS_GRACE = 5.0                        # seconds a killed run's processes may take to go

SPEC_TEXT = one_host(DEPARTMENT, "九江市中断恢复测试局", "killsafe", "中断恢复测试系统", "JJ-2026-0961",
                     "10.99.61.0/24", "tests/cloud/test_kill_safe.py", disk_gb=10)


@pytest.fixture(scope="module")
def killsafe(workspace: Settings, admin: openstack.connection.Connection):
    purge_project(admin, PROJECT)
    spec = workspace.root / SPEC
    spec.parent.mkdir(parents=True)
    spec.write_text(SPEC_TEXT, encoding="utf-8")
    file_agreement(workspace.root, DEPARTMENT)            # art22: no request is accepted without one
    try:
        yield spec
    finally:
        try:
            apply_job.destroy(workspace, Engine(workspace), apply_job.discover(workspace.root, [spec]))
        finally:
            purge_project(admin, PROJECT)


def govcloud(workspace: Settings, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    run = subprocess.run([str(workspace.root / ".venv/bin/govcloud"), *args], cwd=workspace.root,
                         env=cli_env(workspace), capture_output=True, text=True, timeout=1800)
    took = time.monotonic() - started
    print(f"govcloud {' '.join(args)}: exit {run.returncode} in {took:.1f} s")
    return run, took


def _pending(workspace: Settings, stack: str) -> list[tuple[str, str]]:
    """(operation, resource type) of the stack's pending operations, read from its checkpoint."""
    state = Path(workspace.backend_url.removeprefix("file://")) / ".pulumi/stacks/govcloud" / f"{stack}.json"
    try:
        latest = json.loads(state.read_text(encoding="utf-8"))["checkpoint"].get("latest") or {}
    except (OSError, ValueError, KeyError):
        return []
    return [(op["type"], op["resource"]["type"]) for op in latest.get("pending_operations") or ()]


def kill_when(workspace: Settings, args: list[str], stack: str | None, op: str = "", kind: str = "",
              after: float = 0.0, signum: int = signal.SIGKILL,
              until: Callable[[], bool] | None = None) -> dict[int, str]:
    """Run `govcloud ARGS`; SIGKILL it (or `signum`) `after` seconds once `stack` has a pending `op`
    of a resource of `kind` (any kind when empty); without a stack, `after` seconds from the start.
    With `until`, the kill waits instead for `until()` to hold while the operation is still pending:
    a point fixed by what the cloud shows, not by how fast it is. Returns the processes the run had
    started."""
    proc = subprocess.Popen([str(workspace.root / ".venv/bin/govcloud"), *args], cwd=workspace.root,
                            env=cli_env(workspace), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 900
    started = time.monotonic()
    def pending() -> bool:
        return any(o == op and t.endswith(kind) for o, t in _pending(workspace, stack))

    while stack is not None and not pending():
        assert proc.poll() is None, f"the run ended before the kill point: {proc.stdout.read()}"
        assert time.monotonic() < deadline, "the kill point never came"
        time.sleep(0.05)
    while until is not None and not until():
        assert pending(), f"the {op} {kind} ended before the kill point: {proc.stdout.read()}"
        assert time.monotonic() < deadline, "the kill point never came"
        time.sleep(0.05)
    time.sleep(max(0.0, after - (time.monotonic() - started if stack is None else 0.0)))
    assert proc.poll() is None, f"the run ended before the kill point: {proc.stdout.read()}"
    processes = descendants(proc.pid)
    proc.send_signal(signum)
    proc.wait()
    if signum == signal.SIGTERM:
        assert proc.returncode == 143, proc.stdout.read()
    left, took = left_after(processes, PROCESS_GRACE)
    assert not left, f"processes of the killed run still running {took:.1f} s after the kill: {left}"
    print(f"{signal.Signals(signum).name} {' '.join(args)} ({stack} {op} {kind} +{after} s): "
          f"{len(processes)} processes, "
          f"all gone in {took:.1f} s")
    return processes


def _project(admin: openstack.connection.Connection):
    domain = admin.identity.find_domain("city")
    return admin.identity.find_project(PROJECT, domain_id=domain.id, ignore_missing=True)


def held_ids(workspace: Settings) -> set[str]:
    engine = Engine(workspace)
    ids = set()
    for stack in (TENANT, SYSTEM):
        if engine.exists(stack):
            ids |= {str(r.get("id")) for r in engine.resources(stack) if r.get("id")}
    return ids


def cloud_objects(admin: openstack.connection.Connection, project_id: str) -> dict[str, str]:
    """What a project holds that govcloud makes, by id: servers, volumes, networks, subnets, routers,
    ports (not Neutron's own: DHCP, router gateways), security groups (not `default`), floating IPs."""
    found = {s.id: f"server {s.name}" for s in admin.compute.servers(all_projects=True, project_id=project_id)}
    found |= {v.id: f"volume {v.name}" for v in admin.block_storage.volumes(all_projects=True, project_id=project_id)}
    found |= {n.id: f"network {n.name}" for n in admin.network.networks(project_id=project_id)}
    found |= {s.id: f"subnet {s.name}" for s in admin.network.subnets(project_id=project_id)}
    found |= {r.id: f"router {r.name}" for r in admin.network.routers(project_id=project_id)}
    found |= {p.id: f"port {p.name} ({p.device_owner})" for p in admin.network.ports(project_id=project_id)
              if p.device_owner not in ("network:dhcp", "network:router_gateway", "network:floatingip")}
    found |= {g.id: f"security group {g.name}" for g in admin.network.security_groups(project_id=project_id)
              if g.name != "default"}
    found |= {ip.id: f"floating ip {ip.floating_ip_address}" for ip in admin.network.ips(project_id=project_id)}
    return found


def departments_objects_elsewhere(admin: openstack.connection.Connection, project_id: str | None) -> list[str]:
    """Objects of the department outside its project: Nova and Cinder by their labels, Neutron by name."""
    found = [f"server {s.name} in {s.project_id}" for s in admin.compute.servers(all_projects=True)
             if (s.metadata or {}).get("govcloud_department") == DEPARTMENT and s.project_id != project_id]
    found += [f"volume {v.name} in {v.project_id}" for v in admin.block_storage.volumes(all_projects=True)
              if (v.metadata or {}).get("govcloud_department") == DEPARTMENT and v.project_id != project_id]
    for kind in ("networks", "subnets", "routers", "ports", "security_groups"):
        found += [f"{kind} {item.name} in {item.project_id}" for item in getattr(admin.network, kind)()
                  if (item.name or "").startswith(PREFIX) and item.project_id != project_id]
    return found


def assert_as_if_never_killed(workspace: Settings, admin: openstack.connection.Connection) -> None:
    preview, _ = govcloud(workspace, "preview", SPEC)
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert [line.split() for line in preview.stdout.splitlines()] == [
        # The tenant with its stacks account and credential (13), the host on its system disk (14).
        ["preview", TENANT, "same", "13"], ["preview", SYSTEM, "same", "14"]], preview.stdout
    project = _project(admin)
    orphans = {i: what for i, what in cloud_objects(admin, project.id).items() if i not in held_ids(workspace)}
    assert orphans == {}, f"objects of the department's project no stack holds: {orphans}"
    assert departments_objects_elsewhere(admin, project.id) == []
    servers = list(admin.compute.servers(all_projects=True, project_id=project.id))
    assert [(s.name, s.status) for s in servers] == [("killsafe-app-1", "ACTIVE")]
    # The host's system disk (it boots from it) and its data disk, both on the server.
    volumes = admin.block_storage.volumes(all_projects=True, project_id=project.id)
    assert {v.name: [a["server_id"] for a in v.attachments] for v in volumes} == {
        "killsafe-app-1-system": [servers[0].id], "killsafe-app-1-data1": [servers[0].id]}


def test_killed_before_the_lock(killsafe, workspace, admin) -> None:
    kill_when(workspace, ["apply", SPEC], None, after=1.0)
    assert not list(Path(workspace.backend_url.removeprefix("file://")).glob(".pulumi/locks/**/*.json"))
    run, _ = govcloud(workspace, "apply", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert_as_if_never_killed(workspace, admin)


def test_killed_during_destroy(killsafe, workspace, admin) -> None:
    kill_when(workspace, ["destroy", SPEC], SYSTEM, "deleting", "compute/instance:Instance", after=1.0)
    run, _ = govcloud(workspace, "--lang", "en", "destroy", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "took over and removed the stale lock" in run.stderr, run.stderr
    assert _project(admin) is None
    assert departments_objects_elsewhere(admin, None) == []


def test_killed_during_the_tenant_stack(killsafe, workspace, admin) -> None:
    kill_when(workspace, ["apply", SPEC], TENANT, "creating", after=0.3)
    run, _ = govcloud(workspace, "--lang", "en", "apply", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"took over and removed the stale lock of {TENANT}" in run.stderr, run.stderr
    assert "pulumi cancel" not in run.stdout + run.stderr
    assert_as_if_never_killed(workspace, admin)


def server_building(admin: openstack.connection.Connection) -> Callable[[], bool]:
    """True once Nova has the host and it is still building: POSTed, and not yet in the stack's state
    (the provider records a server only once it is ACTIVE). A fixed delay after the POST was not
    enough: on a fast cloud the server was ACTIVE and recorded within it, and the kill fell on the
    next operation instead."""
    def building() -> bool:
        project = _project(admin)
        return project is not None and any(
            s.name == "killsafe-app-1" and s.status == "BUILD"
            for s in admin.compute.servers(all_projects=True, project_id=project.id))
    return building


def test_killed_during_server_creation(killsafe, workspace, admin) -> None:
    Engine(workspace).destroy(SYSTEM)
    kill_when(workspace, ["apply", SPEC], SYSTEM, "creating", "compute/instance:Instance",
              until=server_building(admin))
    run, _ = govcloud(workspace, "--lang", "en", "apply", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"took over and removed the stale lock of {SYSTEM}" in run.stderr, run.stderr
    assert "killsafe-app-1: adopted" in run.stderr, run.stderr       # the server is the killed run's
    assert_as_if_never_killed(workspace, admin)


def test_killed_during_volume_attach(killsafe, workspace, admin) -> None:
    Engine(workspace).destroy(SYSTEM)
    kill_when(workspace, ["apply", SPEC], SYSTEM, "creating", "compute/volumeAttach:VolumeAttach", after=1.0)
    run, _ = govcloud(workspace, "--lang", "en", "apply", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"took over and removed the stale lock of {SYSTEM}" in run.stderr, run.stderr
    assert_as_if_never_killed(workspace, admin)


def test_terminated_during_server_creation(killsafe, workspace, admin) -> None:
    Engine(workspace).destroy(SYSTEM)
    kill_when(workspace, ["apply", SPEC], SYSTEM, "creating", "compute/instance:Instance",
              signum=signal.SIGTERM, until=server_building(admin))
    run, _ = govcloud(workspace, "apply", SPEC)
    assert run.returncode == 0, run.stdout + run.stderr
    assert_as_if_never_killed(workspace, admin)
