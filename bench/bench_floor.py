"""Benchmark: `govcloud apply` + `destroy` of one typical system against the cloud's own speed.

    flock /tmp/gc/cloud.lock .venv/bin/python bench/bench_floor.py [--repeat 2]

The floor is a plain openstacksdk script doing what the tenant and system stacks do, as
directly as the APIs allow: the department's project in its region's domain, the operator's
admin role on it, the department's user and member role, compute, volume and network quotas
(department_quota of the spec, as the tenant stack sets them); then, scoped to the project,
network, subnet, router with its gateway and interface, a security group with the requested
rule and the members' rule, a port and a server for each of 2 hosts, 2 data volumes attached.
It issues every create at once and polls each wait every second; destroy detaches, deletes
the volumes and servers, then the network side, the user and the project. govcloud's arm is
bench_stacks.py's: `govcloud apply -j 1 <spec>`, `govcloud destroy <spec>` on the same spec
(the sample zwfw-portal made tiny, department jj-bench-std). Arms alternate, REPEAT runs each,
medians. Goal: govcloud / floor <= 1.6. Everything is removed at the end, also after a failure.
It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchenv import own_environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
own_environment()

import openstack  # noqa: E402

import bench_stacks as stacks  # noqa: E402
from provisioner.catalogue import load_catalogue  # noqa: E402
from provisioner.cloud.backups import connect_project  # noqa: E402
from provisioner.settings import Settings  # noqa: E402
from provisioner.spec import load_spec  # noqa: E402
from provisioner.naming import department_user, project_name, region_domain  # noqa: E402
from provisioner.allocation.quota import department_quota  # noqa: E402
from tests.cloud.leftovers import purge_project  # noqa: E402

POLL = 1            # seconds between a wait's reads: about what a person's script would do
GOAL = 1.6


def floor_up(conn: openstack.connection.Connection, settings: Settings, spec_path: Path, root: Path) -> float:
    spec = load_spec(spec_path, root)
    quota = department_quota([spec], load_catalogue(root))
    region, department, system = spec.applicant.region, spec.department, spec.metadata.system
    start = time.perf_counter()
    domain = conn.identity.find_domain(region_domain(region), ignore_missing=False)
    project = conn.identity.create_project(name=project_name(region, department), domain_id=domain.id)
    roles = {name: conn.identity.find_role(name, ignore_missing=False) for name in ("admin", "member")}
    conn.identity.assign_project_role_to_user(project, conn.identity.get_user(conn.current_user_id), roles["admin"])
    user = conn.identity.create_user(name=department_user(department), domain_id=domain.id,
                                     default_project_id=project.id)
    conn.identity.assign_project_role_to_user(project, user, roles["member"])
    conn.set_compute_quotas(project.id, instances=quota.instances, cores=quota.cores, ram=quota.ram_mb)
    conn.set_volume_quotas(project.id, volumes=quota.volumes, gigabytes=quota.gigabytes)
    conn.set_network_quotas(project.id, network=quota.networks, subnet=quota.subnets, router=quota.routers,
                            port=quota.ports, security_group=quota.security_groups,
                            security_group_rule=quota.security_group_rules, floatingip=quota.floating_ips)
    inside = connect_project(settings, project.id)      # as the provider does: the operator, scoped
    net = inside.network.create_network(name=f"{system}-net")
    subnet = inside.network.create_subnet(network_id=net.id, cidr=spec.resources.network.cidr, ip_version=4,
                                          name=f"{system}-subnet")
    public = inside.network.find_network("public", ignore_missing=False)
    router = inside.network.create_router(name=f"{system}-router", external_gateway_info={"network_id": public.id})
    inside.network.add_interface_to_router(router, subnet_id=subnet.id)
    group = inside.network.create_security_group(name=f"{system}-sg")
    for rule in spec.resources.security.ingress:
        low, high = rule.port_range
        inside.network.create_security_group_rule(
            security_group_id=group.id, direction="ingress", ethertype="IPv6" if ":" in rule.source else "IPv4",
            protocol=rule.protocol, port_range_min=low, port_range_max=high, remote_ip_prefix=rule.source)
    inside.network.create_security_group_rule(security_group_id=group.id, direction="ingress", ethertype="IPv4",
                                              remote_group_id=group.id)
    servers, volumes = [], []
    for host in spec.resources.hosts:
        flavor = inside.compute.find_flavor(host.flavor, ignore_missing=False)
        image = inside.image.find_image(host.image, ignore_missing=False)
        for index in range(host.count):
            port = inside.network.create_port(network_id=net.id, security_group_ids=[group.id])
            servers.append(inside.compute.create_server(name=f"{system}-{host.name}-{index}", flavor_id=flavor.id,
                                                        image_id=image.id, networks=[{"port": port.id}]))
            volumes += [inside.block_storage.create_volume(size=disk.size_gb, name=f"{system}-{host.name}-{index}-d")
                        for disk in host.data_disks]
    volumes = [inside.block_storage.wait_for_status(v, "available", interval=POLL, wait=600) for v in volumes]
    servers = [inside.compute.wait_for_server(s, interval=POLL, wait=600) for s in servers]
    per_server = len(volumes) // max(len(servers), 1)
    for index, volume in enumerate(volumes):
        inside.compute.create_volume_attachment(servers[index // per_server], volume)
    for volume in volumes:
        inside.block_storage.wait_for_status(volume, "in-use", interval=POLL, wait=600)
    return time.perf_counter() - start


def floor_down(conn: openstack.connection.Connection, settings: Settings, name: str) -> float:
    start = time.perf_counter()
    project = next(iter(conn.identity.projects(name=name)))
    inside = connect_project(settings, project.id)
    servers = list(inside.compute.servers())
    volumes = list(inside.block_storage.volumes())
    for server in servers:
        for attachment in inside.compute.volume_attachments(server):
            inside.compute.delete_volume_attachment(server, attachment.volume_id)
    for volume in volumes:
        inside.block_storage.wait_for_status(volume, "available", interval=POLL, wait=600)
        inside.block_storage.delete_volume(volume)
    for server in servers:
        inside.compute.delete_server(server)
    for server in servers:
        inside.compute.wait_for_delete(server, interval=POLL, wait=600)
    for volume in volumes:
        inside.block_storage.wait_for_delete(volume, interval=POLL, wait=600)
    for router in inside.network.routers(project_id=project.id):
        for port in inside.network.ports(device_id=router.id, device_owner="network:router_interface"):
            inside.network.remove_interface_from_router(router, port_id=port.id)
        inside.network.delete_router(router)
    for port in inside.network.ports(project_id=project.id):
        if not (port.device_owner or "").startswith("network:"):     # the servers' ports; DHCP's go with the net
            inside.network.delete_port(port)
    for network in inside.network.networks(project_id=project.id):
        inside.network.delete_network(network)
    for group in inside.network.security_groups(project_id=project.id):
        if group.name != "default":
            inside.network.delete_security_group(group)
    for user in conn.identity.users(domain_id=project.domain_id):
        if user.default_project_id == project.id:
            conn.identity.delete_user(user)
    conn.identity.delete_project(project)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cache = Path(os.environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")
    clouds = cache / "devcloud" / "clouds.yaml"
    os.environ["OS_CLIENT_CONFIG_FILE"] = str(clouds)
    conn = openstack.connect(cloud="govcloud-dev")
    engine_bin = cache / "engine" / "current" / "bin"
    project = project_name(stacks.REGION, stacks.TYPICAL_DEPT)
    purge_project(conn, project)                       # what a crashed earlier run of this bench left
    folder = Path(tempfile.mkdtemp(prefix="govcloud-bench-floor-"))
    scratch = stacks.scratch_repo(folder, "floor", engine_bin, clouds)
    spec = stacks.write_spec(scratch.root, stacks.TYPICAL_DEPT, stacks.TYPICAL_SYSTEM, 9001, "10.119.1.0/24")
    relative = str(spec.relative_to(scratch.root))
    tenant = f"{stacks.REGION}.{stacks.TYPICAL_DEPT}"
    rows: dict[str, list[tuple[float, float]]] = {"govcloud": [], "floor": []}
    print(f"one typical system ({relative}), {args.repeat} runs each, arms alternating; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    try:
        for number in range(1, args.repeat + 1):
            for arm in (["govcloud", "floor"] if number % 2 else ["floor", "govcloud"]):
                if arm == "govcloud":
                    scratch.created |= {tenant, f"{tenant}.{stacks.TYPICAL_SYSTEM}"}
                    up = stacks.govcloud(scratch, "apply", "-j", "1", relative).seconds
                    down = stacks.govcloud(scratch, "destroy", relative).seconds
                    scratch.created.clear()
                else:
                    up = floor_up(conn, scratch.settings, spec, scratch.root)
                    down = floor_down(conn, scratch.settings, project)
                rows[arm].append((up, down))
                print(f"  run {number} {arm:8}  up {up:6.1f} s  destroy {down:6.1f} s  total {up + down:6.1f} s",
                      flush=True)
    finally:
        stacks.cleanup([scratch], conn, [project])
    med = {arm: (statistics.median(u for u, _ in r), statistics.median(d for _, d in r)) for arm, r in rows.items()}
    if all(rows.values()):
        (gu, gd), (fu, fd) = med["govcloud"], med["floor"]
        print(f"  medians: govcloud up {gu:.1f} s, destroy {gd:.1f} s; floor up {fu:.1f} s, destroy {fd:.1f} s")
        print(f"  govcloud / floor: up {gu / fu:.2f}, destroy {gd / fd:.2f}, up + destroy {(gu + gd) / (fu + fd):.2f} "
              f"(goal <= {GOAL})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
