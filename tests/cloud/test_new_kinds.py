"""The kinds the allocation model added, built for real on the dev cloud and read back as admin.

A test-only department (`jj-kinds-test`, city) files its agreement in the scratch copy
of policies/ and asks for: two web hosts booting from 30 GB system disks (with a data
disk each), a MySQL 8.4 database, an NFS file share, 20 Mbps of internet bandwidth on
one elastic IP, and a public layer-4 load balancer over the web hosts (TCP 443, UDP 53
to 5353). `govcloud apply` (preflight included) runs once; each test reads the cloud
through openstacksdk and OVN's northbound database; the last test destroys the system
stack and checks that nothing of any kind is left in the project before the tenant
goes too (with the bandwidth grant it holds). The fixture removes whatever a failed run left,
before and after.
Needs the dev cloud with Octavia and Manila: `scripts/devcloud/devcloud start --octavia --manila`.
"""

from __future__ import annotations

import base64
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import openstack
import pytest
import yaml

from provisioner.app import apply as apply_job
from provisioner.cloud.backups import connect_project
from provisioner.cloud.preflight import cloud_offer
from provisioner.errors import SpecError
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from provisioner.naming import region_domain
from tests.agreements import file_agreement
from tests.cloud import leftovers
from tests.cloud.conftest import ROOT, cli_env

pytestmark = pytest.mark.cloud

REGION, DEPARTMENT, SYSTEM, REQUEST = "city", "jj-kinds-test", "kinds", "JJ-2026-9014"
PROJECT = f"{REGION}-{DEPARTMENT}"
TENANT_STACK, SYSTEM_STACK = f"{REGION}.{DEPARTMENT}", f"{REGION}.{DEPARTMENT}.{SYSTEM}"
SPEC = f"request_specs/{DEPARTMENT}/{SYSTEM}.yaml"
CIDR = "10.77.14.0/24"
MBPS = 20
OVN_NB = "tcp:127.0.0.1:6641"


def _request(root: Path) -> None:
    """The smallest sample, grown to ask for every new kind (and still pass the office's policy)."""
    data = yaml.safe_load((ROOT / "request_specs/jj-xzspj/zwfw-portal.yaml").read_text(encoding="utf-8"))
    data["metadata"].update(system=SYSTEM, request_id=REQUEST, name="新资源类型测试系统")
    data["applicant"].update(department=DEPARTMENT, department_name="九江市资源类型测试局")
    data["resources"] = {
        "network": {"cidr": CIDR, "zone": "internet"},
        "hosts": [{"name": "web", "flavor": "gc.c1m2", "image": "cirros-tiny", "count": 2,
                   "system_disk_gb": 30, "data_disks": [{"size_gb": 10}]}],
        "databases": [{"name": "kdb", "engine": "mysql", "version": "8.4", "flavor": "gc.db.c2m8",
                       "storage_gb": 20}],
        "storage": {"shares": [{"name": "docs", "size_gb": 10, "protocol": "nfs"}]},
        "security": {"mlps_level": 2, "backup": {},
                     "ingress": [{"protocol": "tcp", "port": 443, "source": "0.0.0.0/0", "description": "HTTPS"}],
                     "services": ["waf", "log_audit"]},
        "bandwidth": {"internet_mbps": MBPS, "public_ips": 1, "load_balancers": [{
            "name": "web", "members": "web", "public": True,
            "listeners": [{"protocol": "tcp", "port": 443}, {"protocol": "udp", "port": 53, "backend_port": 5353}]}]},
    }
    path = root / SPEC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    file_agreement(root, DEPARTMENT)


def _ours(admin: openstack.connection.Connection) -> list:
    domain = admin.identity.find_domain(region_domain(REGION))
    return list(admin.identity.projects(name=PROJECT, domain_id=domain.id)) if domain else []


def _wait(done, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timeout waiting for {what}"
        time.sleep(1)


def _remove_leftovers(admin: openstack.connection.Connection) -> None:
    """What a crashed run left (load balancers, shares and QoS policies included)."""
    for project in _ours(admin):
        leftovers._purge(admin, project)


@dataclass(frozen=True)
class Applied:
    project_id: str
    fields: dict[str, str]          # resource name -> spec field (the system stack's output)


@pytest.fixture(scope="module")
def applied(workspace: Settings, admin: openstack.connection.Connection):
    _request(workspace.root)
    run = subprocess.run([str(workspace.root / ".venv/bin/govcloud"), "validate", SPEC], cwd=workspace.root,
                         env=cli_env(workspace), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    _remove_leftovers(admin)
    planned = apply_job.discover(workspace.root, [workspace.root / SPEC])
    engine = Engine(workspace)
    try:
        apply_job.apply(workspace, engine, planned, offer=cloud_offer(admin))
        yield Applied(str(engine.outputs(TENANT_STACK)["projectId"]), dict(engine.outputs(SYSTEM_STACK)["fields"]))
    finally:
        try:
            apply_job.destroy(workspace, Engine(workspace), planned)
        finally:
            _remove_leftovers(admin)


def _servers(admin, applied: Applied) -> dict[str, object]:
    return {s.name: admin.compute.get_server(s.id)
            for s in admin.compute.servers(all_projects=True, project_id=applied.project_id)}


def _volumes(admin, applied: Applied) -> dict[str, object]:
    return {v.name: v for v in admin.block_storage.volumes(all_projects=True, project_id=applied.project_id)}


def _labelled(tags_or_metadata, field: str) -> bool:
    if isinstance(tags_or_metadata, dict):
        return tags_or_metadata.get("govcloud_field") == field and \
            tags_or_metadata.get("govcloud_department") == DEPARTMENT
    return f"field={field}" in tags_or_metadata and f"department={DEPARTMENT}" in tags_or_metadata


# -- system disks ---------------------------------------------------------------------------------

def test_hosts_boot_from_system_disks_of_the_requested_size(admin, applied: Applied) -> None:
    servers, volumes = _servers(admin, applied), _volumes(admin, applied)
    for name in ("kinds-web-1", "kinds-web-2"):
        system = volumes[f"{name}-system"]
        assert (system.size, system.is_bootable, system.status) == (30, True, "in-use")
        assert system.volume_image_metadata["image_name"] == "cirros-tiny"
        assert [a["server_id"] for a in system.attachments] == [servers[name].id]
        assert _labelled(system.metadata, "hosts[0].system_disk_gb")
        assert not (servers[name].image or {}).get("id")          # booted from the volume, not an image
        data = volumes[f"{name}-data1"]
        assert (data.size, data.is_bootable) == (10, False)
        assert _labelled(data.metadata, "hosts[0].data_disks[0]")
    # Database hosts keep their flavor's disk: it is in the database instance's price.
    assert "kinds-db-kdb-1-system" not in volumes and volumes["kinds-db-kdb-1-data"].size == 20


def test_the_database_host_installs_the_package_of_the_requested_version(admin, applied: Applied) -> None:
    server = _servers(admin, applied)["kinds-db-kdb-1"]
    config = yaml.safe_load(base64.b64decode(server.user_data).decode())
    assert config["packages"] == ["mysql-community-server-8.4*"]            # policies/catalogue.yaml
    assert _labelled(server.tags, "databases[0]")


# -- internet bandwidth ----------------------------------------------------------------------------

def test_every_public_ip_carries_the_bandwidth_limit_each_way(admin, applied: Applied) -> None:
    # The tenant stack's grant (only an admin makes one); Neutron takes no tags on it.
    [policy] = admin.network.qos_policies(project_id=applied.project_id)
    assert _labelled(policy.description.split(), "bandwidth.internet_mbps") and f"system={SYSTEM}" in policy.description
    rules = list(admin.network.qos_bandwidth_limit_rules(policy))
    assert sorted((r.direction, r.max_kbps) for r in rules) == [("egress", MBPS * 1000), ("ingress", MBPS * 1000)]
    ips = {ip.description: ip for ip in admin.network.ips(project_id=applied.project_id)}
    assert len(ips) == 2                      # the host's and the load balancer's
    assert {ip.qos_policy_id for ip in ips.values()} == {policy.id}, {d: ip.qos_policy_id for d, ip in ips.items()}
    assert {f for ip in ips.values() for f in ip.tags if f.startswith("field=")} == {
        "field=bandwidth.public_ips", "field=bandwidth.load_balancers[0].public"}
    # Real in OVN: a QoS row with the rate on the logical switch of the external network.
    qos = subprocess.run(["ovn-nbctl", f"--db={OVN_NB}", "--format=csv", "--columns=bandwidth", "list", "QoS"],
                         capture_output=True, text=True, check=True).stdout
    assert f"rate={MBPS * 1000}" in qos


# -- load balancers --------------------------------------------------------------------------------

def test_the_load_balancer_spreads_its_listeners_over_the_web_hosts(admin, applied: Applied) -> None:
    [lb] = admin.load_balancer.load_balancers(project_id=applied.project_id)
    assert (lb.provider, lb.provisioning_status, lb.operating_status != "ERROR") == ("ovn", "ACTIVE", True)
    assert _labelled(lb.tags, "bandwidth.load_balancers[0]")
    listeners = {(ln.protocol, ln.protocol_port): ln for ln in admin.load_balancer.listeners()
                 if ln.load_balancer_id == lb.id or {"id": lb.id} in (ln.load_balancers or [])}
    assert sorted(listeners) == [("TCP", 443), ("UDP", 53)]
    web = {s.name: s for s in _servers(admin, applied).values() if "-web-" in s.name}
    addresses = {p.fixed_ips[0]["ip_address"] for s in web.values() for p in admin.network.ports(device_id=s.id)}
    for (protocol, port), listener in listeners.items():
        [pool] = [p for p in admin.load_balancer.pools() if p.listener_id == listener.id
                  or {"id": listener.id} in (p.listeners or [])]
        assert (pool.protocol, pool.lb_algorithm) == (protocol, "SOURCE_IP_PORT")
        members = list(admin.load_balancer.members(pool))
        assert {m.address for m in members} == addresses
        assert {m.protocol_port for m in members} == {443 if port == 443 else 5353}
    # Real in OVN: the VIP and its public address forward to both web hosts.
    lbs = subprocess.run(["ovn-nbctl", f"--db={OVN_NB}", "lb-list"], capture_output=True, text=True,
                         check=True).stdout
    assert f"{lb.vip_address}:443" in lbs and all(f"{a}:443" in lbs for a in addresses)


# -- file shares ---------------------------------------------------------------------------------

def test_the_share_is_served_over_nfs_to_the_system_subnet(workspace: Settings, applied: Applied,
                                                           tmp_path: Path) -> None:
    inside = connect_project(workspace, applied.project_id)
    [share] = inside.shared_file_system.shares(details=True)
    assert (share.name, share.size, share.share_protocol, share.status) == ("kinds-share-docs", 10, "NFS", "available")
    assert _labelled(share.metadata, "storage.shares[0]")
    [rule] = inside.shared_file_system.access_rules(share)
    assert (rule.access_type, rule.access_to, rule.access_level, rule.state) == ("ip", CIDR, "rw", "active")
    # Ganesha's export: `<host>:/share-<share instance>--<access rule>` (the rule's part is filled per client).
    [location] = inside.shared_file_system.export_locations(share)
    exported = location.path.split(":/", 1)[1].split("--")[0]
    assert exported.startswith("share-"), location.path
    # Data really goes through NFS-Ganesha: this machine (a userspace client; the kernel has
    # none) is let in for the test only, writes a file and reads it back.
    local = inside.shared_file_system.create_access_rule(share.id, access_type="ip", access_to="127.0.0.1",
                                                         access_level="rw")
    try:
        _wait(lambda: inside.shared_file_system.get_access_rule(local.id).state == "active", "the test's rule")
        listing = subprocess.run(["nfs-ls", "nfs://127.0.0.1/?version=4"], capture_output=True, text=True,
                                 timeout=60, check=True).stdout.split()
        [export] = [name for name in listing if name.startswith(exported)]
        sent = tmp_path / "hello.txt"
        sent.write_text("政务云 file share\n", encoding="utf-8")
        url = f"nfs://127.0.0.1/{export}/hello.txt?version=4"
        subprocess.run(["nfs-cp", str(sent), url], capture_output=True, timeout=60, check=True)
        back = subprocess.run(["nfs-cat", url], capture_output=True, timeout=60, check=True).stdout
        assert back.decode() == "政务云 file share\n"
    finally:
        inside.shared_file_system.delete_access_rule(local.id, share.id)
        # Until the rule is gone a destroy would leave the share `error_deleting`.
        _wait(lambda: len(list(inside.shared_file_system.access_rules(share))) == 1, "the test's rule to go")


# -- labels and the stack's map of fields ----------------------------------------------------------

def test_every_resource_is_located_by_its_spec_field(applied: Applied) -> None:
    assert applied.fields["kinds-web-1"] == "hosts[0]"
    assert applied.fields["kinds-web-2-system"] == "hosts[0].system_disk_gb"
    assert applied.fields["kinds-lb-web-udp53-pool"] == "bandwidth.load_balancers[0].listeners[1]"
    assert applied.fields["kinds-share-docs-access"] == "storage.shares[0]"
    assert applied.fields["kinds-sg-in0"] == "security.ingress[0]"


# -- refused, never dropped -----------------------------------------------------------------------

def test_what_this_cloud_does_not_build_is_refused_before_anything_is_made(workspace: Settings, admin,
                                                                         applied: Applied) -> None:
    path = workspace.root / SPEC
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("protocol: tcp\n        port: 443\n      - protocol: udp",
                                         "protocol: http\n        port: 443\n      - protocol: udp"), encoding="utf-8")
        planned = apply_job.discover(workspace.root, [path])
        with pytest.raises(SpecError) as refused:
            apply_job.check_cloud_offers(planned, cloud_offer(admin), workspace.policies)
        [problem] = refused.value.problems
        assert problem.code == "cloud-unsupported" and problem.article == "art5"
        assert problem.location.line == original[:original.index("protocol: tcp\n        port: 443")].count("\n") + 1
        assert "layer 4 only" in problem.message_en and "四层" in problem.message
    finally:
        path.write_text(original, encoding="utf-8")


# -- nothing left ---------------------------------------------------------------------------------

def test_destroy_leaves_nothing_of_any_kind(workspace: Settings, admin, applied: Applied) -> None:
    engine = Engine(workspace)
    engine.destroy(SYSTEM_STACK)
    inside = connect_project(workspace, applied.project_id)
    pid = applied.project_id
    assert list(admin.compute.servers(all_projects=True, project_id=pid)) == []
    _wait(lambda: not list(admin.block_storage.volumes(all_projects=True, project_id=pid)), "volumes to go")
    assert list(admin.load_balancer.load_balancers(project_id=pid)) == []
    assert list(inside.shared_file_system.shares(details=False)) == []
    assert list(admin.network.ips(project_id=pid)) == []
    assert [n.name for n in admin.network.networks(project_id=pid)] == []
    # The bandwidth grant is the tenant stack's: it goes with the department's tenancy.
    assert [p.name for p in admin.network.qos_policies(project_id=pid)] == [f"{SYSTEM}-qos"]
    engine.destroy(TENANT_STACK)
    assert _ours(admin) == [] and list(admin.network.qos_policies(project_id=pid)) == []
