"""Benchmark: `govcloud apply` + `destroy` of one typical system against the cloud's own speed.

    flock /tmp/gc/cloud.lock .venv/bin/python bench/bench_floor.py [--repeat 3]

The floor is a plain openstacksdk script doing what the tenant and system stacks do, as
directly as the APIs allow: the department's project in its region's domain, the operator's
admin role on it, the department's user and member role, compute, volume and network quotas
(department_quota of the spec, as the tenant stack sets them), the stacks account with its
member role and the application credential it makes; then, as that credential (the system
stack's provider), network, subnet, router with its gateway and interface, a security group
with the requested rule and the members' rule, for each of 2 hosts a port, a system disk made
from the image and a server booting from it, and a data volume attached (the allocation's
disks, as govcloud's program declares them). It issues every create as soon as what it needs
exists and polls each wait every second; destroy deletes the servers (Nova detaches their volumes),
then the volumes, then the network side (Neutron's `default` group too, as `govcloud destroy`
does), the users and the project. govcloud's arm is bench_stacks.py's: `govcloud apply -j 1
<spec>`, `govcloud destroy <spec>` on the same spec (the sample zwfw-portal made tiny,
department jj-bench-std). Arms alternate, REPEAT runs each, medians. Goal: govcloud / floor <=
1.6. Everything is removed at the end, also after a failure. It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import secrets
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
from provisioner.allocation import allocate  # noqa: E402
from provisioner.policy import Policies  # noqa: E402
from provisioner.cloud.backups import connect_project  # noqa: E402
from provisioner.cloud.credentials import operator_auth  # noqa: E402
from provisioner.settings import Settings  # noqa: E402
from provisioner.spec import load_spec  # noqa: E402
from provisioner.naming import department_user, project_name, region_domain, stacks_user  # noqa: E402
from provisioner.allocation.quota import department_quota  # noqa: E402
from tests.cloud.leftovers import purge_project  # noqa: E402

POLL = 1            # seconds between a wait's reads: about what a person's script would do
GOAL = 1.6


def floor_up(conn: openstack.connection.Connection, settings: Settings, spec_path: Path, root: Path) -> float:
    spec = load_spec(spec_path, root)
    catalogue = Policies(root).catalogue
    quota = department_quota([spec], catalogue)
    allocation = allocate(spec, catalogue)
    region, department, system = spec.applicant.region, spec.department, spec.metadata.system
    start = time.perf_counter()
    # The tenant stack: project, the operator's role, the department's user, quotas, and the stacks
    # account with the application credential the system stack works with.
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
    password = secrets.token_urlsafe(32)
    account = conn.identity.create_user(name=stacks_user(department), domain_id=domain.id,
                                        default_project_id=project.id, password=password)
    conn.identity.assign_project_role_to_user(project, account, roles["member"])
    auth = operator_auth(settings.clouds_file, settings.cloud)
    as_account = openstack.connect(auth_url=auth.auth_url, username=account.name, password=password,
                                   user_domain_id=domain.id, project_id=project.id, region_name=auth.region_name,
                                   load_yaml_config=False, load_envvars=False)
    credential = as_account.identity.create_application_credential(
        account.id, "govcloud-stacks", roles=[{"name": "member"}], unrestricted=False)
    # The system stack, as its provider is: the application credential, inside the project.
    inside = openstack.connect(auth_url=auth.auth_url, auth_type="v3applicationcredential",
                               application_credential_id=credential.id,
                               application_credential_secret=credential.secret, region_name=auth.region_name,
                               load_yaml_config=False, load_envvars=False)
    net = inside.network.create_network(name=f"{system}-net")
    subnet = inside.network.create_subnet(network_id=net.id, cidr=allocation.network.cidr, ip_version=4,
                                          name=f"{system}-subnet")
    public = inside.network.find_network(allocation.network.external_network, ignore_missing=False)
    router = inside.network.create_router(name=f"{system}-router", external_gateway_info={"network_id": public.id})
    inside.network.add_interface_to_router(router, subnet_id=subnet.id)
    group = inside.network.create_security_group(name=f"{system}-sg")
    for rule in allocation.ingress:
        inside.network.create_security_group_rule(
            security_group_id=group.id, direction="ingress", ethertype="IPv6" if ":" in rule.source else "IPv4",
            protocol=rule.protocol, port_range_min=rule.port_min, port_range_max=rule.port_max,
            remote_ip_prefix=rule.source)
    inside.network.create_security_group_rule(security_group_id=group.id, direction="ingress", ethertype="IPv4",
                                              remote_group_id=group.id)
    # Every disk at once: the system disks from the image (each server boots from its own), the data disks.
    images = {d.image: inside.image.find_image(d.image, ignore_missing=False).id for d in allocation.disks if d.image}
    disks = {d.name: (d, inside.block_storage.create_volume(size=d.size_gb, name=d.name, image_id=images.get(d.image)))
             for d in allocation.disks}
    ports = {s.name: inside.network.create_port(network_id=net.id, security_group_ids=[group.id])
             for s in allocation.servers}
    disks = {name: (d, inside.block_storage.wait_for_status(v, "available", interval=POLL, wait=600))
             for name, (d, v) in disks.items()}
    servers = []
    for server in allocation.servers:
        boot = next(v for d, v in disks.values() if d.server == server.name and d.image)
        servers.append(inside.compute.create_server(
            name=server.name, flavor_id=inside.compute.find_flavor(server.flavor, ignore_missing=False).id,
            networks=[{"port": ports[server.name].id}],
            block_device_mapping=[{"uuid": boot.id, "source_type": "volume", "destination_type": "volume",
                                   "boot_index": 0, "delete_on_termination": False}]))
    servers = {s.name: inside.compute.wait_for_server(s, interval=POLL, wait=600) for s in servers}
    data = [(d, v) for d, v in disks.values() if not d.image and d.server]
    for disk, volume in data:
        inside.compute.create_volume_attachment(servers[disk.server], volume)
    for _, volume in data:
        inside.block_storage.wait_for_status(volume, "in-use", interval=POLL, wait=600)
    return time.perf_counter() - start


def floor_down(conn: openstack.connection.Connection, settings: Settings, name: str) -> float:
    start = time.perf_counter()
    project = next(iter(conn.identity.projects(name=name)))
    inside = connect_project(settings, project.id)
    servers = list(inside.compute.servers())
    volumes = list(inside.block_storage.volumes())
    for server in servers:            # Nova detaches a deleted server's volumes itself
        inside.compute.delete_server(server)
    for server in servers:
        inside.compute.wait_for_delete(server, interval=POLL, wait=600)
    for volume in volumes:
        inside.block_storage.wait_for_status(volume, "available", interval=POLL, wait=600)
        inside.block_storage.delete_volume(volume)
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
    for group in inside.network.security_groups(project_id=project.id):   # Neutron's `default` too, as govcloud's
        inside.network.delete_security_group(group)
    for user in conn.identity.users(domain_id=project.domain_id):
        # The department's user and the stacks account (its credential goes with it).
        if user.default_project_id == project.id:
            conn.identity.delete_user(user)
    conn.identity.delete_project(project)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--upstream-waits", action="store_true",
                        help="a third arm: govcloud with the provider's own waits (GOVCLOUD_POLL_INTERVAL=0)")
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
    arms = ["govcloud", "floor", *(["upstream"] if args.upstream_waits else [])]
    rows: dict[str, list[tuple[float, float]]] = {arm: [] for arm in arms}
    print(f"one typical system ({relative}), {args.repeat} runs each, arms alternating; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    try:
        for number in range(1, args.repeat + 1):
            for arm in (arms if number % 2 else arms[::-1]):
                if arm == "floor":
                    up = floor_up(conn, scratch.settings, spec, scratch.root)
                    down = floor_down(conn, scratch.settings, project)
                else:
                    scratch.env["GOVCLOUD_POLL_INTERVAL"] = "0" if arm == "upstream" else ""
                    scratch.created |= {tenant, f"{tenant}.{stacks.TYPICAL_SYSTEM}"}
                    up = stacks.govcloud(scratch, "apply", "-j", "1", relative).seconds
                    down = stacks.govcloud(scratch, "destroy", relative).seconds
                    scratch.created.clear()
                rows[arm].append((up, down))
                print(f"  run {number} {arm:8}  up {up:6.1f} s  destroy {down:6.1f} s  total {up + down:6.1f} s",
                      flush=True)
    finally:
        stacks.cleanup([scratch], conn, [project])
    if all(rows.values()):
        med = {arm: (statistics.median(u for u, _ in r), statistics.median(d for _, d in r)) for arm, r in rows.items()}
        fu, fd = med["floor"]
        print(f"  medians of {args.repeat}: " + "; ".join(f"{arm} up {u:.1f} s, destroy {d:.1f} s"
                                                       for arm, (u, d) in med.items()))
        for arm in [a for a in arms if a != "floor"]:
            gu, gd = med[arm]
            what = "govcloud" if arm == "govcloud" else "govcloud, the provider's own waits"
            print(f"  {what} / floor: up {gu / fu:.2f}, destroy {gd / fd:.2f}, "
                  f"up + destroy {(gu + gd) / (fu + fd):.2f} (goal <= {GOAL})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
