"""What the cloud holds, read as the operator for the security inspection (edge).

One pass per resource kind over every project, all at once on one connection:
servers, ports, floating IPs, security groups (with their rules), volumes, volume
backups, images, Keystone projects and users; then each department user's
application credentials (Keystone lists them per user only). Labels come off the
resources the way the program puts them on (provisioner/program/labels.py): Nova
and Cinder metadata `govcloud_<key>`, Neutron tags `key=value` (Nova's tags are the
same labels again). A department's project carries the tags region= and department=
(provisioner/program/tenant.py), its user is named by the department's code.

A cloud that does not answer, or refuses, is a CloudError (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import keystoneauth1.exceptions
import openstack
from openstack.connection import Connection

from provisioner.cloud.messages import WORDS
from provisioner.cloud.preflight import at_once
from provisioner.errors import CloudError
from provisioner.inspection.accounts import accounts
from provisioner.clock import utc_moment
from provisioner.inspection.facts import (Account, AppCredential, Backup, CloudFacts, FloatingIp, Image, Port,
                                          SecurityGroup, SecurityRule, Server, Volume)
from provisioner.metering.inventory import labels_of, labels_of_tags

_CLOUD_ERRORS = (openstack.exceptions.SDKException, keystoneauth1.exceptions.ClientException)


def read_cloud(connect: Callable[[], Connection]) -> CloudFacts:
    """Everything the inspection looks at; `connect` makes the operator's connection (with timeouts)."""
    try:
        conn = connect()
        servers, ports, ips, groups, volumes, backups, images, projects, users = at_once(
            conn,
            lambda: [_server(s) for s in conn.compute.servers(all_projects=True, details=True)],
            lambda: [_port(p) for p in conn.network.ports()],
            lambda: [FloatingIp(i.id, i.floating_ip_address, i.port_id, labels_of_tags(i.tags))
                     for i in conn.network.ips()],
            lambda: [_group(g) for g in conn.network.security_groups()],
            lambda: [Volume(v.id, v.name or v.id, int(v.size or 0), v.project_id or "", labels_of(v.metadata))
                     for v in conn.block_storage.volumes(all_projects=True, details=True)],
            lambda: [Backup(b.id, b.name or b.id, b.volume_id, b.status, int(b.size or 0), utc_moment(b.created_at))
                     for b in conn.block_storage.backups(all_projects=True, details=True)],
            lambda: {i.id: Image(i.id, i.name or i.id, utc_moment(i.created_at)) for i in conn.image.images()},
            lambda: list(conn.identity.projects()),
            lambda: list(conn.identity.users()))
        accounts = _accounts(conn, projects, users)
    except CloudError:
        raise
    except _CLOUD_ERRORS as exc:
        raise CloudError(WORDS("inventory-read-failed", reason=f"{type(exc).__name__}: {exc}")) from exc
    return CloudFacts(tuple(servers), tuple(ports), tuple(ips), tuple(groups), tuple(volumes), tuple(backups),
                      images, tuple(accounts))


def _server(s: Any) -> Server:
    image = s.image or {}
    image_id = image.get("id") if hasattr(image, "get") else getattr(image, "id", None)
    return Server(s.id, s.name, image_id or None, s.project_id or "", labels_of(s.metadata))


def _port(p: Any) -> Port:
    return Port(p.id, p.device_id or "", tuple(ip["ip_address"] for ip in p.fixed_ips or ()),
                tuple(p.security_group_ids or ()), p.is_port_security_enabled is not False, labels_of_tags(p.tags))


def _group(g: Any) -> SecurityGroup:
    rules = tuple(SecurityRule(r["id"], r["direction"], r["ethertype"], r.get("protocol"), r.get("port_range_min"),
                               r.get("port_range_max"), r.get("remote_ip_prefix"), r.get("remote_group_id"))
                  for r in g.security_group_rules or ())
    return SecurityGroup(g.id, g.name, g.project_id or "", labels_of_tags(g.tags), rules)


def read_accounts(conn: Connection) -> list[Account]:
    """Every department's project, its user and its stacks account with their application credentials."""
    try:
        projects, users = at_once(conn, lambda: list(conn.identity.projects()), lambda: list(conn.identity.users()))
        return _accounts(conn, projects, users)
    except _CLOUD_ERRORS as exc:
        raise CloudError(WORDS("accounts-read-failed", reason=f"{type(exc).__name__}: {exc}")) from exc


def _accounts(conn: Connection, projects: Iterable[Any], users: Iterable[Any]) -> list[Account]:
    return accounts(projects, users, lambda ids: at_once(conn, *[partial(_credentials, conn, i) for i in ids]))


def _credentials(conn: Connection, user_id: str) -> list[AppCredential]:
    return [AppCredential(c.id, c.name, utc_moment(c.expires_at)) for c in conn.identity.application_credentials(user=user_id)]
