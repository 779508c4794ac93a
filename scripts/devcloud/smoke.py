#!/usr/bin/env python3
"""Smoke test for the devcloud (needs openstacksdk, e.g. in a venv: pip install openstacksdk).

As admin it creates a throw-away project and member user and sets the project's network quota;
then, as that member, it builds a tenant network behind a router with an external gateway, a
security group with an HTTPS rule, boots 2 servers in a hard anti-affinity server group (so they
land on the 2 fake hypervisors), creates and attaches 2 volumes, allocates and associates a
floating IP, detaches one volume and backs it up; then it deletes everything it created.

Usage: OS_CLIENT_CONFIG_FILE=~/.cache/govcloud/devcloud/clouds.yaml OS_CLOUD=govcloud-dev \
         python scripts/devcloud/smoke.py [--keep]
Prints the time of every step; exit status 0 when everything worked.
"""
import os
import sys
import time
import uuid

import openstack

WAIT = 0.5      # polling interval, seconds
TIMEOUT = 120   # per wait, seconds
IMAGE, FLAVOR, PUBLIC_NET = 'cirros-tiny', 'gc.c1m2', 'public'

timings = []


class Step:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.t = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        dt = time.perf_counter() - self.t
        timings.append((self.name, dt, exc is None))
        print(f'{"ok  " if exc is None else "FAIL"} {dt:6.2f} s  {self.name}'
              + ('' if exc is None else f': {type(exc).__name__}: {exc}'), flush=True)
        return False


def admin_connection():
    os.environ.setdefault('OS_CLIENT_CONFIG_FILE', os.path.join(
        os.environ.get('GOVCLOUD_CACHE', os.path.expanduser('~/.cache/govcloud')),
        'devcloud', 'clouds.yaml'))
    return openstack.connect(cloud=os.environ.get('OS_CLOUD', 'govcloud-dev'))


def main():
    keep = '--keep' in sys.argv
    t_all = time.perf_counter()
    admin = admin_connection()
    tag = 'smoke-' + uuid.uuid4().hex[:6]
    password = uuid.uuid4().hex
    made = {}   # what to clean up
    ok = False
    try:
        with Step('admin: create project + member user'):
            project = admin.identity.create_project(name=tag, domain_id='default',
                                                    description='devcloud smoke test')
            made['project'] = project
            user = admin.identity.create_user(name=tag, password=password, domain_id='default',
                                              default_project_id=project.id)
            made['user'] = user
            admin.identity.assign_project_role_to_user(
                project, user, admin.identity.find_role('member', ignore_missing=False))

        with Step('admin: set + read network quota of the project'):
            admin.network.update_quota(project.id, networks=5, subnets=5, ports=20, routers=2,
                                       security_groups=5, floating_ips=2)
            q = admin.network.get_quota(project.id, details=True)
            assert q.networks['limit'] == 5 and q.floating_ips['limit'] == 2, q

        conn = openstack.connect(
            auth_url=admin.auth['auth_url'], username=tag, password=password,
            project_id=project.id, user_domain_name='Default',
            region_name=admin.config.region_name, identity_api_version='3',
            load_yaml_config=False, load_envvars=False)   # not OS_CLOUD's admin settings
        public = conn.network.find_network(PUBLIC_NET, ignore_missing=False)
        image = conn.image.find_image(IMAGE, ignore_missing=False)
        flavor = conn.compute.find_flavor(FLAVOR, ignore_missing=False)

        with Step('network + subnet'):
            net = conn.network.create_network(name=f'{tag}-net')
            made['net'] = net
            subnet = conn.network.create_subnet(network_id=net.id, name=f'{tag}-subnet',
                                                ip_version=4, cidr='10.42.0.0/24')
        with Step('router with external gateway + interface'):
            router = conn.network.create_router(
                name=f'{tag}-router', external_gateway_info={'network_id': public.id})
            made['router'] = router
            conn.network.add_interface_to_router(router, subnet_id=subnet.id)
            made['router_if'] = subnet.id
        with Step('security group + HTTPS rule'):
            sg = conn.network.create_security_group(name=f'{tag}-sg')
            made['sg'] = sg
            conn.network.create_security_group_rule(
                security_group_id=sg.id, direction='ingress', ethertype='IPv4', protocol='tcp',
                port_range_min=443, port_range_max=443, remote_ip_prefix='0.0.0.0/0')

        with Step('server group (hard anti-affinity)'):
            group = conn.compute.create_server_group(name=f'{tag}-group', policy='anti-affinity')
            made['group'] = group

        servers = []
        with Step('boot 2 servers -> ACTIVE'):
            for i in (1, 2):
                s = conn.compute.create_server(
                    name=f'{tag}-vm{i}', flavor_id=flavor.id, image_id=image.id,
                    networks=[{'uuid': net.id}], security_groups=[{'name': sg.name}],
                    scheduler_hints={'group': group.id})
                servers.append(s)
                made.setdefault('servers', []).append(s)
            servers = [conn.compute.wait_for_server(s, status='ACTIVE', interval=WAIT,
                                                    wait=TIMEOUT) for s in servers]
        with Step('anti-affinity: servers on different hosts'):
            hosts = [admin.compute.get_server(s.id).compute_host for s in servers]
            print(f'           hosts: {hosts}')
            assert len(set(hosts)) == 2, f'both servers on {hosts}'
        with Step('ports bound (binding:vif_type ovs)'):
            for s in servers:
                ports = list(admin.network.ports(device_id=s.id))
                assert ports and all(p.binding_vif_type == 'ovs' for p in ports), \
                    [(p.id, p.binding_vif_type, p.binding_host_id) for p in ports]

        vols = []
        with Step('create 2 volumes -> available'):
            for i in (1, 2):
                v = conn.block_storage.create_volume(name=f'{tag}-vol{i}', size=1)
                vols.append(v)
                made.setdefault('vols', []).append(v)
            vols = [conn.block_storage.wait_for_status(v, 'available', interval=WAIT,
                                                       wait=TIMEOUT) for v in vols]
        with Step('attach 2 volumes -> in-use'):
            for s, v in zip(servers, vols):
                conn.compute.create_volume_attachment(s, volume_id=v.id)
            vols = [conn.block_storage.wait_for_status(v, 'in-use', interval=WAIT,
                                                       wait=TIMEOUT) for v in vols]

        with Step('floating IP: allocate + associate'):
            fip = conn.network.create_ip(floating_network_id=public.id)
            made['fip'] = fip
            port = next(iter(conn.network.ports(device_id=servers[0].id)))
            fip = conn.network.update_ip(fip, port_id=port.id)
            print(f'           floating IP {fip.floating_ip_address} -> {fip.fixed_ip_address}')

        with Step('detach volume 1 -> available'):
            conn.compute.delete_volume_attachment(servers[0], vols[0].id)
            conn.block_storage.wait_for_status(vols[0], 'available', interval=WAIT, wait=TIMEOUT)
        with Step('backup of volume 1 -> available'):
            backup = conn.block_storage.create_backup(volume_id=vols[0].id, name=f'{tag}-bak')
            made['backup'] = backup
            conn.block_storage.wait_for_status(backup, 'available', interval=WAIT, wait=TIMEOUT)
        ok = True
    finally:
        if not keep:
            cleanup(admin, made)
        total = time.perf_counter() - t_all
        print(f'{"PASS" if ok else "FAIL"}: total {total:.1f} s')
    return 0 if ok else 1


def cleanup(admin, made):
    """Delete what the test made (as admin, so it also works after a half-done run)."""
    conn = admin
    with Step('cleanup: delete everything'):
        errors = []

        def attempt(fn, *a, **kw):
            try:
                return fn(*a, **kw)
            except Exception as e:  # noqa: BLE001 - keep cleaning
                errors.append(f'{fn.__name__}: {e}')

        if 'backup' in made:
            attempt(conn.block_storage.delete_backup, made['backup'])
            attempt(conn.block_storage.wait_for_delete, made['backup'], interval=WAIT,
                    wait=TIMEOUT)
        if 'fip' in made:
            attempt(conn.network.delete_ip, made['fip'])
        servers = made.get('servers', [])
        for s in servers:
            attempt(conn.compute.delete_server, s)
        for s in servers:
            attempt(conn.compute.wait_for_delete, s, interval=WAIT, wait=TIMEOUT)
        for v in made.get('vols', []):
            # Deleting a server detaches its volumes; wait until they are available.
            attempt(conn.block_storage.wait_for_status, v, 'available', interval=WAIT,
                    wait=TIMEOUT)
            attempt(conn.block_storage.delete_volume, v)
        for v in made.get('vols', []):
            attempt(conn.block_storage.wait_for_delete, v, interval=WAIT, wait=TIMEOUT)
        if 'group' in made:
            attempt(conn.compute.delete_server_group, made['group'])
        if 'router' in made:
            if 'router_if' in made:
                attempt(conn.network.remove_interface_from_router, made['router'],
                        subnet_id=made['router_if'])
            attempt(conn.network.delete_router, made['router'])
        if 'sg' in made:
            attempt(conn.network.delete_security_group, made['sg'])
        if 'net' in made:
            attempt(conn.network.delete_network, made['net'])
        if 'project' in made:
            # Leftover ports (e.g. if the router delete failed) would block nothing here.
            attempt(conn.network.delete_quota, made['project'].id)
        if 'user' in made:
            attempt(conn.identity.delete_user, made['user'])
        if 'project' in made:
            attempt(conn.identity.delete_project, made['project'])
        if errors:
            raise RuntimeError('; '.join(errors))


if __name__ == '__main__':
    sys.exit(main())
