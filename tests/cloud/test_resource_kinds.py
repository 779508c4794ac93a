"""Every resource kind a system stack makes, on the real cloud, checked as a department would.

One sample request covers them all: `wn-yjglj/yjzh` (hosts in an anti-affinity group,
data disks of a volume type, an HA database, a Swift bucket with a quota, two elastic
IPs, a UDP port range), copied to the test's own department wn-kinds-test
(tests/cloud/departments.py: the sample's project is the operator's). The copy is shrunk to keep the shared dev cloud's load
small (2 app hosts instead of 4, 1 media host, 10/20 GB disks, a 1 GB bucket quota) and
gains a standalone volume, so that kind is covered too; it must still validate and pass
policy. `govcloud apply` runs once; the tests read the cloud as admin through
openstacksdk; the last test destroys and checks that nothing is left, and the fixture
destroys again (and removes any leftovers) whatever happened.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import openstack
import pytest
import yaml

from provisioner.app import apply as apply_job
from provisioner.cloud.backups import connect_project
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from provisioner.naming import region_domain
from provisioner.stacks.fields import spec_fields
from tests.cloud import leftovers
from tests.cloud.conftest import cli_env
from tests.cloud.departments import KINDS, copy_sample
from tests.cloud.leftovers import purge_project

pytestmark = pytest.mark.cloud

SAMPLE = KINDS.spec("yjzh")
REGION, DEPARTMENT, SYSTEM, REQUEST = "wuning", KINDS.code, "yjzh", f"WN-2026-{KINDS.number:04d}"
PROJECT = f"{REGION}-{DEPARTMENT}"
TENANT_STACK, SYSTEM_STACK = f"{REGION}.{DEPARTMENT}", f"{REGION}.{DEPARTMENT}.{SYSTEM}"
LABELS = {f"region={REGION}", f"department={DEPARTMENT}", f"system={SYSTEM}", "phase=trial",
          f"request={REQUEST}"}
METADATA = {f"govcloud_{label.split('=')[0]}": label.split("=")[1] for label in LABELS}
CIDR = "10.52.1.0/24"
BUCKET, QUOTA_BYTES = "wn-yjzh-video", 2**30   # quota_gb 1 in the shrunk copy

# What the shrunk request asks for, as the department reads it.
SERVERS = {  # name: (flavor, image)
    "yjzh-app-1": ("gc.c8m16", "kylin-v10-tiny"),
    "yjzh-app-2": ("gc.c8m16", "kylin-v10-tiny"),
    "yjzh-media-1": ("gc.c8m16", "kylin-v10-tiny"),
    "yjzh-db-zhdb-1": ("gc.db.c4m16", "kylin-v10-tiny"),   # the database image (database.py)
    "yjzh-db-zhdb-2": ("gc.db.c4m16", "kylin-v10-tiny"),   # high_availability: the standby
}
DATABASE_HOSTS = {"yjzh-db-zhdb-1": "primary", "yjzh-db-zhdb-2": "standby"}
VOLUMES = {  # name: (GB, requested volume type or None for the cloud's default, attached to)
    "yjzh-app-1-system": (80, None, "yjzh-app-1"),             # system disks: gc.c8m16's 80 GB,
    "yjzh-app-2-system": (80, None, "yjzh-app-2"),             # the hosts boot from them
    "yjzh-media-1-system": (80, None, "yjzh-media-1"),
    "yjzh-app-1-data1": (10, None, "yjzh-app-1"),
    "yjzh-app-2-data1": (10, None, "yjzh-app-2"),
    "yjzh-media-1-data1": (10, "nfs1", "yjzh-media-1"),
    "yjzh-db-zhdb-1-data": (20, None, "yjzh-db-zhdb-1"),
    "yjzh-db-zhdb-2-data": (20, None, "yjzh-db-zhdb-2"),
    "yjzh-archive": (10, "nfs1", None),                  # storage.volumes: not attached
}


def _shrink(path: Path) -> None:
    """Fewer and smaller of everything, every kind kept (checked first, so a changed
    sample fails here rather than silently testing less)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    resources = spec["resources"]
    app, media = resources["hosts"]
    (database,) = resources["databases"]
    (bucket,) = resources["storage"]["buckets"]
    assert (app["name"], app["anti_affinity"], media["name"]) == ("app", True, "media")
    assert [d.get("volume_type") for d in media["data_disks"]] == ["nfs1"]
    assert (database["name"], database["engine"], database["version"],
            database["high_availability"]) == ("zhdb", "dm", "8", True)
    assert bucket["name"] == BUCKET and resources["bandwidth"]["public_ips"] == 2
    assert {(r["protocol"], r["port"], r.get("port_max")) for r in resources["security"]["ingress"]} \
        == {("tcp", 443, None), ("udp", 10000, 20000)}
    assert resources["network"]["cidr"] == CIDR
    app["count"], media["count"] = 2, 1
    for disk in app["data_disks"] + media["data_disks"]:
        disk["size_gb"] = 10
    database["storage_gb"] = 20
    bucket["quota_gb"] = QUOTA_BYTES // 2**30
    resources["storage"]["volumes"] = [{"name": "archive", "size_gb": 10, "volume_type": "nfs1"}]
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _ours(admin: openstack.connection.Connection) -> list:
    """The test's project: in its region's domain (a project of the same name elsewhere,
    e.g. the developer's own from before regions became domains, is not ours)."""
    domain = admin.identity.find_domain(region_domain(REGION))
    if domain is None:
        return list(admin.identity.projects(name=PROJECT))
    return list(admin.identity.projects(name=PROJECT, domain_id=domain.id))


def _remove_leftovers(admin: openstack.connection.Connection, workspace: Settings) -> None:
    """What a crashed run left: Swift containers and server groups too (purge_project
    does not know them), then the rest."""
    for project in _ours(admin):
        inside = connect_project(workspace, project.id)
        for container in inside.object_store.containers():
            for obj in inside.object_store.objects(container.name):
                inside.object_store.delete_object(obj, container=container.name)
            inside.object_store.delete_container(container.name)
        for group in admin.compute.server_groups(all_projects=True):
            if group.project_id == project.id:
                admin.compute.delete_server_group(group)
        # purge_project goes by name through every domain; only this one is ours.
        purge_one = getattr(leftovers, "_purge", None)
        if purge_one is None:
            purge_project(admin, PROJECT)
        else:
            purge_one(admin, project)


@dataclass(frozen=True)
class Applied:
    project_id: str
    servers: dict[str, object]      # name -> Server (full detail, user data included)


@pytest.fixture(scope="module")
def applied(workspace: Settings, admin: openstack.connection.Connection):
    _shrink(workspace.root / copy_sample(workspace.root, "wn-yjglj/yjzh.yaml", KINDS))
    # Still a request the office would pass: valid, and no mandatory policy finding.
    for command in (["validate", SAMPLE], ["policy", "check", SAMPLE]):
        run = subprocess.run([str(workspace.root / ".venv/bin/govcloud"), *command],
                             cwd=workspace.root, env=cli_env(workspace), capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
    assert "强制 0 项" in run.stdout, run.stdout
    _remove_leftovers(admin, workspace)
    planned = apply_job.discover(workspace.root, [workspace.root / SAMPLE])
    try:
        run = subprocess.run([str(workspace.root / ".venv/bin/govcloud"), "apply", SAMPLE],
                             cwd=workspace.root, env=cli_env(workspace), capture_output=True, text=True)
        assert run.returncode == 0, run.stderr + run.stdout
        project_id = str(Engine(workspace).outputs(TENANT_STACK)["projectId"])
        servers = {s.name: admin.compute.get_server(s.id)
                   for s in admin.compute.servers(all_projects=True, project_id=project_id)}
        yield Applied(project_id, servers)
    finally:
        # Whatever the tests did, leave the cloud as it was.
        try:
            apply_job.destroy(workspace, Engine(workspace), planned)
        finally:
            _remove_leftovers(admin, workspace)


def _inside(workspace: Settings, applied: Applied) -> openstack.connection.Connection:
    """The operator in the department's project: Swift accounts are per project."""
    return connect_project(workspace, applied.project_id)


def _ports(admin, applied: Applied) -> dict[str, object]:
    """server name -> its one port"""
    out = {}
    for name, server in applied.servers.items():
        (port,) = admin.network.ports(device_id=server.id)
        out[name] = port
    return out


# -- servers and server groups -------------------------------------------------------------

def test_servers_have_the_requested_flavor_and_image(applied: Applied, admin) -> None:
    assert sorted(applied.servers) == sorted(SERVERS)
    volumes = {v.name: v for v in admin.block_storage.volumes(all_projects=True, project_id=applied.project_id)}
    for name, (flavor, image) in SERVERS.items():
        server = applied.servers[name]
        assert server.status == "ACTIVE", name
        assert server.flavor["original_name"] == flavor, name
        if name in DATABASE_HOSTS:       # on the flavor's disk, from the image
            assert admin.image.get_image(server.image["id"]).name == image, name
        else:                            # from the system disk, a volume made from the image
            system = volumes[f"{name}-system"]
            assert not (server.image or {}).get("id"), name
            assert system.is_bootable and [a["server_id"] for a in system.attachments] == [server.id], name
            assert system.volume_image_metadata["image_name"] == image, name
        if name not in DATABASE_HOSTS:   # the program gives plain hosts no user data
            assert not server.user_data, name


def test_anti_affinity_groups_hold_exactly_the_hosts_that_asked(applied: Applied, admin,
                                                                 workspace: Settings) -> None:
    by_id = {s.id: name for name, s in applied.servers.items()}
    groups = {g.name: g for g in admin.compute.server_groups(all_projects=True)
              if g.project_id == applied.project_id}
    # app asked for anti_affinity; a database with a standby always spreads; media did not ask.
    assert {name: sorted(by_id[m] for m in g.member_ids) for name, g in groups.items()} == {
        "yjzh-app": ["yjzh-app-1", "yjzh-app-2"],
        "yjzh-db-zhdb": ["yjzh-db-zhdb-1", "yjzh-db-zhdb-2"]}
    for group in groups.values():
        policy = group.policy or (group.policies or [None])[0]   # microversion >= 2.64 or older
        assert policy == workspace.anti_affinity == "soft-anti-affinity"
        if policy == "anti-affinity":   # only a hard policy promises separate compute nodes
            hosts = [applied.servers[by_id[m]].compute_host for m in group.member_ids]
            assert len(set(hosts)) == len(hosts)


def _cloud_config(server) -> dict:
    text = base64.b64decode(server.user_data).decode()
    assert text.startswith("#cloud-config\n")
    return yaml.safe_load(text)


def test_database_hosts_install_the_engine_and_mount_the_data_volume(applied: Applied, admin) -> None:
    volumes = {v.name: v for v in admin.block_storage.volumes(all_projects=True,
                                                               project_id=applied.project_id)}
    for name, role in DATABASE_HOSTS.items():
        server = applied.servers[name]
        config = _cloud_config(server)
        assert config["packages"] == ["dm8-server-8.0*"]     # engine dm, version 8: the catalogue's package
        assert config["runcmd"] == [["sh", "-c", f"echo govcloud dm 8 {role} > /etc/govcloud-database"]]
        # cloud-init formats the data volume (never an existing file system) and mounts it
        # where DM keeps its data ...
        # The volume is attached after the server exists: boot waits for it first.
        assert "[ -b /dev/vdb ]" in config["bootcmd"][0][-1]
        assert config["fs_setup"] == [{"device": "/dev/vdb", "filesystem": "xfs", "overwrite": False}]
        assert config["mounts"] == [["/dev/vdb", "/opt/dmdbms/data", "xfs", "defaults,nofail", "0", "2"]]
        # ... which is the 20 GB volume attached to this host. (Not compared: the device
        # Nova reports, a hint the guest kernel ignores; the fake driver says /dev/sdb.)
        volume = volumes[f"{name}-data"]
        assert volume.size == 20
        assert [a["server_id"] for a in volume.attachments] == [server.id]
        (backup,) = config["write_files"]
        assert backup["path"] == "/etc/cron.d/govcloud-db-backup"
        assert "kept 7 days" in backup["content"] and "-mtime +7 -delete" in backup["content"]


def test_database_endpoint_is_in_the_system_subnet_without_a_public_ip(applied: Applied, admin,
                                                                       workspace: Settings) -> None:
    ports = _ports(admin, applied)
    floating = {ip.port_id for ip in admin.network.ips(project_id=applied.project_id)}
    for name in DATABASE_HOSTS:
        (fixed,) = ports[name].fixed_ips
        assert ipaddress.ip_address(fixed["ip_address"]) in ipaddress.ip_network(CIDR)
        assert ports[name].id not in floating
    # The system stack exports no database endpoint: the department finds the primary's
    # address in its project (server yjzh-db-zhdb-1), not in the stack's outputs.
    outputs = Engine(workspace).outputs(SYSTEM_STACK)
    assert sorted(outputs) == ["fields", "projectId"] and outputs["projectId"] == applied.project_id


def test_database_hosts_admit_only_the_system_subnet(applied: Applied, admin) -> None:
    ports = _ports(admin, applied)
    subnet = ipaddress.ip_network(CIDR)
    for name in DATABASE_HOSTS:
        groups = set(ports[name].security_group_ids)
        for group_id in groups:
            for rule in admin.network.security_group_rules(security_group_id=group_id,
                                                           direction="ingress"):
                if rule.remote_group_id:
                    assert rule.remote_group_id in groups, (name, rule)
                else:
                    assert ipaddress.ip_network(rule.remote_ip_prefix).subnet_of(subnet), (name, rule)


# -- volumes ---------------------------------------------------------------------------------

def test_volumes_have_the_requested_size_and_type_and_are_attached(applied: Applied, admin) -> None:
    volumes = {v.name: v for v in admin.block_storage.volumes(all_projects=True,
                                                               project_id=applied.project_id)}
    assert sorted(volumes) == sorted(VOLUMES)
    names = {s.id: name for name, s in applied.servers.items()}
    for name, (size, volume_type, server) in VOLUMES.items():
        volume = volumes[name]
        assert volume.size == size, name
        if volume_type:
            assert volume.volume_type == volume_type, name
        assert [names[a["server_id"]] for a in volume.attachments] == ([server] if server else []), name
        assert volume.status == ("in-use" if server else "available"), name


# -- network, security group, public IPs --------------------------------------------------

def test_security_group_opens_the_requested_ports_and_the_system_to_itself(applied: Applied, admin) -> None:
    (group,) = [g for g in admin.network.security_groups(project_id=applied.project_id)
                if g.name == "yjzh-sg"]
    rules = list(admin.network.security_group_rules(security_group_id=group.id, direction="ingress"))
    assert sorted((r.protocol, r.port_range_min, r.port_range_max, r.remote_ip_prefix)
                  for r in rules if r.remote_group_id is None) == [
        ("tcp", 443, 443, "10.0.0.0/8"), ("udp", 10000, 20000, "10.0.0.0/8")]
    assert [(r.protocol, r.remote_group_id) for r in rules if r.remote_group_id] == [(None, group.id)]
    for name, port in _ports(admin, applied).items():
        if name not in DATABASE_HOSTS:   # (database hosts: see the next test)
            assert port.security_group_ids == [group.id], name


def test_two_public_ips_on_the_first_hosts_and_a_gateway(applied: Applied, admin) -> None:
    public = admin.network.find_network("public")
    ips = list(admin.network.ips(project_id=applied.project_id))
    ports = _ports(admin, applied)
    assert len(ips) == 2
    assert {ip.floating_network_id for ip in ips} == {public.id}
    assert all(ipaddress.ip_address(ip.floating_ip_address) in ipaddress.ip_network("203.0.113.0/24")
               for ip in ips)
    # In the order the request lists hosts: the first two app hosts, not media or databases.
    by_port = {port.id: name for name, port in ports.items()}
    assert sorted(by_port.get(ip.port_id) for ip in ips) == ["yjzh-app-1", "yjzh-app-2"]
    assert all(ip.fixed_ip_address == ports[by_port[ip.port_id]].fixed_ips[0]["ip_address"] for ip in ips)
    (router,) = admin.network.routers(project_id=applied.project_id)
    assert router.external_gateway_info["network_id"] == public.id
    (subnet,) = admin.network.subnets(project_id=applied.project_id)
    assert subnet.cidr == CIDR
    interfaces = list(admin.network.ports(device_id=router.id, device_owner="network:router_interface"))
    assert [ip["subnet_id"] for p in interfaces for ip in p.fixed_ips] == [subnet.id]
    assert {ip.router_id for ip in ips} == {router.id}


# -- the bucket ----------------------------------------------------------------------------

def _put_status(endpoint: str, token: str, path: str, length: int) -> str:
    """Start an object PUT announcing `length` bytes and send none of them (Expect:
    100-continue, as Swift clients do): Swift's container_quotas middleware judges the
    Content-Length before reading a byte, answering 413 at once; an acceptable upload gets
    `100 Continue` instead, and is then abandoned (nothing is stored)."""
    url = urlsplit(endpoint)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall((f"PUT {url.path}/{path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                      f"X-Auth-Token: {token}\r\nContent-Length: {length}\r\n"
                      "Expect: 100-continue\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        if answer.startswith(b"HTTP/1.1 413"):   # read the short body too
            sock.settimeout(5)
            try:
                while b"Upload exceeds quota." not in answer and (chunk := sock.recv(4096)):
                    answer += chunk
            except TimeoutError:
                pass
        return answer.decode(errors="replace")


def test_bucket_exists_in_the_project_with_its_quota(applied: Applied, workspace: Settings) -> None:
    inside = _inside(workspace, applied)
    assert [c.name for c in inside.object_store.containers()] == [BUCKET]
    container = inside.object_store.get_container_metadata(BUCKET)
    assert container.metadata["quota-bytes"] == str(QUOTA_BYTES)
    assert container.read_ACL is None   # public_read is not asked
    assert inside.object_store.get_endpoint().endswith(f"/AUTH_{applied.project_id}")


def test_swift_refuses_an_upload_beyond_the_quota(applied: Applied, workspace: Settings) -> None:
    inside = _inside(workspace, applied)
    endpoint, token = inside.object_store.get_endpoint(), inside.session.get_token()
    refused = _put_status(endpoint, token, f"{BUCKET}/too-big", QUOTA_BYTES + 1)
    assert refused.startswith("HTTP/1.1 413") and "Upload exceeds quota." in refused, refused
    # Swift counts what the bucket holds: after 1 KiB, exactly the rest fits, a byte more does not.
    inside.object_store.upload_object(container=BUCKET, name="small", data=b"x" * 1024)
    try:
        assert inside.object_store.get_container_metadata(BUCKET).bytes_used == 1024
        over = _put_status(endpoint, token, f"{BUCKET}/rest-plus-one", QUOTA_BYTES - 1024 + 1)
        assert over.startswith("HTTP/1.1 413"), over
        fits = _put_status(endpoint, token, f"{BUCKET}/rest", QUOTA_BYTES - 1024)
        assert fits.startswith("HTTP/1.1 100"), fits
    finally:
        inside.object_store.delete_object("small", container=BUCKET)
    assert [o.name for o in inside.object_store.objects(BUCKET)] == []


# -- labels on every kind --------------------------------------------------------------------

def test_every_kind_carries_the_labels(applied: Applied, admin, workspace: Settings) -> None:
    pid = applied.project_id
    # Besides the five labels, each resource names the spec field it serves, the same the
    # stack's `fields` output records for it (drift and preflight locate by it).
    fields = spec_fields(Engine(workspace).resources(SYSTEM_STACK))

    def served(name: str, tags: list[str]) -> None:
        assert {t for t in tags if not t.startswith("field=")} == LABELS, name
        field = [t.removeprefix("field=") for t in tags if t.startswith("field=")]
        assert field == ([fields[name]] if name in fields else field[:1]) and len(field) == 1, (name, tags)

    for name, server in applied.servers.items():                         # Nova: metadata and tags
        assert {k: server.metadata.get(k) for k in METADATA} == METADATA, name
        served(name, server.tags)
        assert server.metadata["govcloud_field"] == fields[name]
    for volume in admin.block_storage.volumes(all_projects=True, project_id=pid):   # Cinder: metadata
        assert {k: volume.metadata.get(k) for k in METADATA} == METADATA, volume.name
        assert volume.metadata["govcloud_field"] == fields[volume.name]
    tagged = {                                                             # Neutron: tags
        "network": list(admin.network.networks(project_id=pid)),
        "subnet": list(admin.network.subnets(project_id=pid)),
        "router": list(admin.network.routers(project_id=pid)),
        "floating IP": list(admin.network.ips(project_id=pid)),
        "security group": [g for g in admin.network.security_groups(project_id=pid) if g.name != "default"],
        "server port": list(_ports(admin, applied).values()),
    }
    assert {kind: len(found) for kind, found in tagged.items() if kind != "security group"} == {
        "network": 1, "subnet": 1, "router": 1, "floating IP": 2, "server port": len(SERVERS)}
    assert tagged["security group"]
    for kind, found in tagged.items():
        for resource in found:
            served(resource.name or f"{kind} {resource.id}", resource.tags)
    # Swift: X-Container-Meta-Govcloud-<Key>. A header name cannot keep the `_` of the
    # program's `govcloud_<key>` through WSGI, so Swift stores (and returns) `govcloud-<key>`.
    container = _inside(workspace, applied).object_store.get_container_metadata(BUCKET)
    assert {k: container.metadata.get(k.replace("_", "-")) for k in METADATA} == METADATA


# -- the stack as a whole ----------------------------------------------------------------------

def test_preview_after_apply_changes_nothing(applied: Applied, workspace: Settings) -> None:
    """No kind drifts from what the program declares (e.g. Swift's rewritten metadata keys)."""
    outcome = Engine(workspace).preview(SYSTEM_STACK)
    assert not outcome.changed, outcome.changes


def test_destroy_leaves_no_kind_behind(applied: Applied, admin, workspace: Settings) -> None:
    engine, pid = Engine(workspace), applied.project_id
    inside = _inside(workspace, applied)
    assert engine.destroy(SYSTEM_STACK).changes.get("delete", 0) > 0
    assert list(admin.compute.servers(all_projects=True, project_id=pid)) == []
    assert [g.name for g in admin.compute.server_groups(all_projects=True) if g.project_id == pid] == []
    assert list(admin.block_storage.volumes(all_projects=True, project_id=pid)) == []
    assert list(inside.object_store.containers()) == []
    assert list(admin.network.ips(project_id=pid)) == []
    assert list(admin.network.routers(project_id=pid)) == []
    assert list(admin.network.networks(project_id=pid)) == []
    assert [g.name for g in admin.network.security_groups(project_id=pid)] == ["default"]
    engine.destroy(TENANT_STACK)
    assert _ours(admin) == []
