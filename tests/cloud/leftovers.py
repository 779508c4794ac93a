"""Removes what a crashed earlier test run left in a department project of the dev cloud.

A test that died between `apply` and its teardown leaves a project that the
next run cannot create again (Keystone names are unique). Only ever used on
the local development cloud, for the tests' own project names: the projects of
the samples are the operator's (tests/cloud/departments.py) and are refused.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import openstack

from provisioner.spec.formats import REGIONS
from provisioner.naming import project_name
from tests.cloud.departments import sample_departments


def purge_project(conn: openstack.connection.Connection, name: str) -> None:
    samples = {project_name(region, code) for region in REGIONS for code in sample_departments()}
    assert name not in samples, f"{name} is the project of a sample department: the operator's, not a test's"
    # By name in every domain: a project may have been made before it moved to its region's domain.
    for project in list(conn.identity.projects(name=name)):
        _purge(conn, project)


def purge_deleted_project(conn: openstack.connection.Connection, project_id: str) -> None:
    """What stayed under a project deleted by hand (Keystone deletes none of it): backups included."""
    for volume in conn.block_storage.volumes(all_projects=True, project_id=project_id):
        for backup in conn.block_storage.backups(details=True, all_projects=True):
            if backup.volume_id == volume.id:
                conn.block_storage.delete_backup(backup, force=True)
    _purge(conn, SimpleNamespace(id=project_id, domain_id=None))


def _purge(conn: openstack.connection.Connection, project) -> None:
    pid = project.id
    _purge_edge(conn, pid)
    for server in conn.compute.servers(all_projects=True, project_id=pid):
        conn.compute.delete_server(server.id, force=True)
    _wait(lambda: not list(conn.compute.servers(all_projects=True, project_id=pid)))
    for volume in conn.block_storage.volumes(all_projects=True, project_id=pid):
        conn.block_storage.reset_volume_status(volume, status="available", attach_status="detached",
                                               migration_status=None)
        conn.block_storage.delete_volume(volume.id, force=True)
    for ip in conn.network.ips(project_id=pid):   # before routers: a floating IP holds its interface
        conn.network.delete_ip(ip)
    for router in conn.network.routers(project_id=pid):
        for port in conn.network.ports(device_id=router.id, device_owner="network:router_interface"):
            conn.network.remove_interface_from_router(router, port_id=port.id)
        conn.network.delete_router(router)
    for port in conn.network.ports(project_id=pid):
        conn.network.delete_port(port)
    for network in conn.network.networks(project_id=pid):
        conn.network.delete_network(network)
    for group in conn.network.security_groups(project_id=pid):
        conn.network.delete_security_group(group)
    _wait(lambda: not list(conn.block_storage.volumes(all_projects=True, project_id=pid)))
    for policy in conn.network.qos_policies(project_id=pid):
        conn.network.delete_qos_policy(policy)
    if project.domain_id is None:        # deleted already
        return
    for user in conn.identity.users(domain_id=project.domain_id):
        if user.default_project_id == pid:   # the department's own account
            conn.identity.delete_user(user)
    conn.identity.delete_project(pid)


def _purge_edge(conn: openstack.connection.Connection, pid: str) -> None:
    """Load balancers, file shares and server groups, where the cloud runs them (before the ports
    and networks they hold)."""
    if conn.has_service("load-balancer"):
        for lb in conn.load_balancer.load_balancers(project_id=pid):
            conn.load_balancer.delete_load_balancer(lb, cascade=True)
        _wait(lambda: not list(conn.load_balancer.load_balancers(project_id=pid)))
    if conn.has_service("sharev2"):
        shares = conn.shared_file_system
        for share in shares.shares(details=False, all_tenants=1, project_id=pid):
            for rule in shares.access_rules(share):
                shares.delete_access_rule(rule.id, share.id)
            # Manila leaves a share `error_deleting` when its rule is still being removed.
            _wait(lambda s=share: not list(shares.access_rules(s)))
            shares.delete_share(share)
        _wait(lambda: not list(shares.shares(details=False, all_tenants=1, project_id=pid)))
    for group in conn.compute.server_groups(all_projects=True):
        if group.project_id == pid:
            conn.compute.delete_server_group(group)


def _wait(done, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("leftovers did not go away")
        time.sleep(1)
