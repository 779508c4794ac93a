"""The cloud objects a killed run may have made: found by what the program gave them, deleted if broken.

Each finder gets a pending create's inputs (as the program declared them: names, labels,
the ids it links) and the department's project, and lists the objects that match, with a
state: `usable`, `error`, or `busy` (still being made by the cloud: a server in BUILD, a
volume in `creating` or `attaching`). Names are unique within a department's project
(everything is named `<system>-...`), Nova and Cinder objects also carry the labels; the
objects that have no name are found by what they link (a router interface by its router
and subnet, a volume attachment by its server and volume, a security group rule by its
group and fields). What is decided is in provisioner/pending_creates.py.

`delete_held` deletes what a stack holds, by the ids in its state, in dependency order:
for `govcloud repair`, when the stack's project was deleted by hand and its objects
stayed behind, unreachable for the stack's own provider.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import openstack
from openstack.connection import Connection

from provisioner.cloud.lookups import by_id
from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError
from provisioner.naming import stacks_user
from provisioner.pending_creates import Found, Pending

STACKS_USER_SUFFIX = stacks_user("")     # the department's stacks account is named <department><this>
SETTLE_SECONDS = 600          # how long an object may stay `busy` (a server building)
POLL_SECONDS = 3.0

_T = "openstack:"
# A finder gets the pending create's inputs, the department's project, and what the stack
# holds (its resources, those adopted so far included).
Inputs = Mapping[str, Any]
Finder = Callable[[Connection, Inputs, str | None, list[Mapping[str, Any]]], list[Found]]


def settled(conn: Connection, pending: Pending, project_id: str | None, held: list[Mapping[str, Any]] = (),
            sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> list[Found]:
    """The objects of a pending create, once none of them is still being made."""
    finder = _FINDERS.get(pending.type)
    if finder is None:
        raise CloudError(WORDS("pending-unknown-type", urn=pending.urn, type=pending.type))
    deadline = clock() + SETTLE_SECONDS
    while True:
        try:
            found = finder(conn, pending.inputs, project_id, list(held))
        except openstack.exceptions.SDKException as exc:
            raise CloudError(WORDS("pending-look-failed", name=pending.name, type=pending.type, reason=exc)) from exc
        if not any(f.state == "busy" for f in found):
            return found
        if clock() > deadline:
            raise CloudError(WORDS("pending-still-busy", name=pending.name, type=pending.type,
                                   ids=", ".join(f.id for f in found), seconds=SETTLE_SECONDS))
        sleep(POLL_SECONDS)


def delete(conn: Connection, pending: Pending, found: Found) -> None:
    """Delete one object a killed run made in error or twice, and wait until it is gone."""
    remove = _DELETERS.get(pending.type)
    if remove is None:
        raise CloudError(WORDS("pending-cannot-delete-kind", name=pending.name, type=pending.type, id=found.id))
    try:
        remove(conn, found.id)
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("pending-delete-failed", id=found.id, name=pending.name, reason=exc)) from exc


# -- finders ----------------------------------------------------------------------------------------------

def _named(items: Any, name: str) -> list[Any]:
    return [item for item in items if item.name == name]


def _labelled(metadata: Mapping[str, Any] | None, wanted: Mapping[str, Any]) -> bool:
    """Nova and Cinder metadata carry the govcloud_* labels: all of them must match."""
    have = metadata or {}
    return all(have.get(key) == value for key, value in wanted.items() if key.startswith("govcloud_"))


def _project(inputs: Inputs, project_id: str | None) -> str | None:
    return inputs.get("tenantId") or project_id


def _neutron(kind: str) -> Finder:
    def find(conn: Connection, inputs: Inputs, project_id: str | None, _held: list) -> list[Found]:
        listing = getattr(conn.network, kind)
        project = _project(inputs, project_id)
        items = listing(name=inputs.get("name"), **({"project_id": project} if project else {}))
        return [Found(item.id, _neutron_state(item), str(item.created_at or ""))
                for item in _named(items, inputs.get("name"))]
    return find


def _neutron_state(item: Any) -> str:
    status = str(getattr(item, "status", "") or "ACTIVE").upper()
    return "error" if status == "ERROR" else "usable"


def _floating_ips(conn: Connection, inputs: Inputs, project_id: str | None, _held: list) -> list[Found]:
    project = _project(inputs, project_id)
    items = conn.network.ips(**({"project_id": project} if project else {}))
    return [Found(ip.id, _neutron_state(ip), str(ip.created_at or "")) for ip in items
            if ip.description == inputs.get("description")]


def _rules(conn: Connection, inputs: Inputs, _project_id: str | None, _held: list) -> list[Found]:
    wanted = {"direction": inputs.get("direction"), "ether_type": inputs.get("ethertype"),
              "protocol": inputs.get("protocol"), "port_range_min": inputs.get("portRangeMin"),
              "port_range_max": inputs.get("portRangeMax"), "remote_ip_prefix": inputs.get("remoteIpPrefix"),
              "remote_group_id": inputs.get("remoteGroupId")}
    found = []
    for rule in conn.network.security_group_rules(security_group_id=inputs.get("securityGroupId")):
        if all(value in (None, "") or _same(getattr(rule, key), value) for key, value in wanted.items()):
            found.append(Found(rule.id, "usable", str(rule.created_at or "")))
    return found


def _same(have: Any, wanted: Any) -> bool:
    if isinstance(wanted, (int, float)) and have is not None:
        return int(have) == int(wanted)
    return str(have).lower() == str(wanted).lower()


def _router_interfaces(conn: Connection, inputs: Inputs, _project_id: str | None, _held: list) -> list[Found]:
    subnet = inputs.get("subnetId")
    ports = conn.network.ports(device_id=inputs.get("routerId"))
    return [Found(port.id, "usable", str(port.created_at or "")) for port in ports
            if port.device_owner.startswith("network:router_interface")
            and any(ip.get("subnet_id") == subnet for ip in port.fixed_ips or ())]


_SERVER_STATE = {"ACTIVE": "usable", "SHUTOFF": "usable", "ERROR": "error"}


def _servers(conn: Connection, inputs: Inputs, project_id: str | None, _held: list) -> list[Found]:
    name = inputs.get("name") or ""
    query: dict[str, Any] = {"all_projects": True, "name": f"^{re.escape(name)}$"}
    if project_id:
        query["project_id"] = project_id
    return [Found(server.id, _SERVER_STATE.get(str(server.status).upper(), "busy"), str(server.created_at or ""))
            for server in conn.compute.servers(**query)
            if server.name == name and _labelled(server.metadata, inputs.get("metadata") or {})]


def _volume_state(status: str) -> str:
    if status in ("available", "in-use"):
        return "usable"
    return "error" if status.startswith("error") else "busy"


def _volumes(conn: Connection, inputs: Inputs, project_id: str | None, _held: list) -> list[Found]:
    name = inputs.get("name") or ""
    return [Found(volume.id, _volume_state(str(volume.status)), str(volume.created_at or ""))
            for volume in conn.block_storage.volumes(all_projects=True, name=name)
            if volume.name == name and (not project_id or volume.project_id == project_id)
            and _labelled(volume.metadata, inputs.get("metadata") or {})]


def _attachments(conn: Connection, inputs: Inputs, _project_id: str | None, _held: list) -> list[Found]:
    """The provider's id of an attachment is `<server id>/<volume id>`."""
    server, volume_id = inputs.get("instanceId"), inputs.get("volumeId")
    volume = by_id(conn.block_storage.get_volume, volume_id)
    if volume is None:
        return []
    if volume.status in ("attaching", "reserved", "detaching"):
        return [Found(f"{server}/{volume_id}", "busy")]
    return [Found(f"{server}/{volume_id}", "usable") for attachment in volume.attachments or ()
            if attachment.get("server_id") == server]


def _server_groups(conn: Connection, inputs: Inputs, project_id: str | None, _held: list) -> list[Found]:
    return [Found(group.id, "usable") for group in conn.compute.server_groups(all_projects=True)
            if group.name == inputs.get("name") and (not project_id or group.project_id == project_id)]


def _projects(conn: Connection, inputs: Inputs, _project_id: str | None, _held: list) -> list[Found]:
    query = {"name": inputs.get("name"), **({"domain_id": inputs["domainId"]} if inputs.get("domainId") else {})}
    return [Found(project.id, "usable") for project in conn.identity.projects(**query)]


def _users(conn: Connection, inputs: Inputs, _project_id: str | None, _held: list) -> list[Found]:
    query = {"name": inputs.get("name"), **({"domain_id": inputs["domainId"]} if inputs.get("domainId") else {})}
    return [Found(user.id, "usable") for user in conn.identity.users(**query)]


def _application_credentials(conn: Connection, inputs: Inputs, _project_id: str | None,
                             held: list) -> list[Found]:
    """The stacks account's application credentials of that name. Never usable: Keystone shows
    a credential's secret once, to the run that was killed; so each found is deleted (`error`)
    and the credential made again."""
    users = [str(r["id"]) for r in held if r.get("type") == _T + "identity/user:User" and r.get("id")
             and str((r.get("inputs") or {}).get("name", "")).endswith(STACKS_USER_SUFFIX)]
    return [Found(f"{user}/{credential.id}", "error") for user in users
            for credential in conn.identity.application_credentials(user=user)
            if credential.name == inputs.get("name")]


_FINDERS: dict[str, Finder] = {
    _T + "networking/network:Network": _neutron("networks"),
    _T + "networking/subnet:Subnet": _neutron("subnets"),
    _T + "networking/router:Router": _neutron("routers"),
    _T + "networking/port:Port": _neutron("ports"),
    _T + "networking/secGroup:SecGroup": _neutron("security_groups"),
    _T + "networking/secGroupRule:SecGroupRule": _rules,
    _T + "networking/routerInterface:RouterInterface": _router_interfaces,
    _T + "networking/floatingIp:FloatingIp": _floating_ips,
    _T + "compute/instance:Instance": _servers,
    _T + "compute/serverGroup:ServerGroup": _server_groups,
    _T + "compute/volumeAttach:VolumeAttach": _attachments,
    _T + "blockstorage/volume:Volume": _volumes,
    _T + "identity/project:Project": _projects,
    _T + "identity/user:User": _users,
    _T + "identity/applicationCredential:ApplicationCredential": _application_credentials,
}


# -- deleters -------------------------------------------------------------------------------------------------

def _delete_server(conn: Connection, server_id: str) -> None:
    conn.compute.delete_server(server_id, force=True, ignore_missing=True)
    _gone(lambda: by_id(conn.compute.get_server, server_id))


def _delete_volume(conn: Connection, volume_id: str) -> None:
    conn.block_storage.delete_volume(volume_id, force=True, ignore_missing=True)
    _gone(lambda: by_id(conn.block_storage.get_volume, volume_id))


def _delete_router(conn: Connection, router_id: str) -> None:
    router = conn.network.get_router(router_id)
    for port in conn.network.ports(device_id=router_id, device_owner="network:router_interface"):
        conn.network.remove_interface_from_router(router, port_id=port.id)
    conn.network.delete_router(router_id, ignore_missing=True)


def _gone(lookup: Callable[[], Any], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while lookup() is not None:
        if time.monotonic() > deadline:
            raise CloudError(WORDS("pending-not-gone", seconds=f"{timeout:g}"))
        time.sleep(POLL_SECONDS)


def _remove_interface(conn: Connection, port_id: str) -> None:
    port = by_id(conn.network.get_port, port_id)
    if port is not None:
        conn.network.remove_interface_from_router(port.device_id, port_id=port_id)


_DELETERS: dict[str, Callable[[Connection, str], None]] = {
    _T + "compute/instance:Instance": _delete_server,
    _T + "blockstorage/volume:Volume": _delete_volume,
    _T + "networking/router:Router": _delete_router,
    _T + "networking/network:Network": lambda conn, i: conn.network.delete_network(i, ignore_missing=True),
    _T + "networking/subnet:Subnet": lambda conn, i: conn.network.delete_subnet(i, ignore_missing=True),
    _T + "networking/port:Port": lambda conn, i: conn.network.delete_port(i, ignore_missing=True),
    _T + "networking/secGroup:SecGroup": lambda conn, i: conn.network.delete_security_group(i, ignore_missing=True),
    _T + "networking/secGroupRule:SecGroupRule":
        lambda conn, i: conn.network.delete_security_group_rule(i, ignore_missing=True),
    _T + "networking/floatingIp:FloatingIp": lambda conn, i: conn.network.delete_ip(i, ignore_missing=True),
    _T + "compute/serverGroup:ServerGroup":
        lambda conn, i: conn.compute.delete_server_group(i, ignore_missing=True),
    _T + "networking/routerInterface:RouterInterface": _remove_interface,
    _T + "identity/applicationCredential:ApplicationCredential":
        lambda conn, i: conn.identity.delete_application_credential(*i.split("/", 1), ignore_missing=True),
}
# What goes first: servers (their ports and attachments go with them), then what links networks.
_ORDER = [_T + kind for kind in (
    "compute/instance:Instance", "networking/floatingIp:FloatingIp", "networking/routerInterface:RouterInterface",
    "networking/router:Router", "networking/port:Port", "networking/subnet:Subnet", "networking/network:Network",
    "networking/secGroupRule:SecGroupRule", "networking/secGroup:SecGroup", "compute/serverGroup:ServerGroup",
    "blockstorage/volume:Volume")]


def delete_held(conn: Connection, resources: list[Mapping[str, Any]]) -> None:
    """Delete the cloud objects of these state resources (types govcloud cannot delete, and
    the ones that go with their parents, are left alone)."""
    for kind in _ORDER:
        for resource in resources:
            if resource.get("type") == kind and resource.get("id"):
                try:
                    _DELETERS[kind](conn, str(resource["id"]))
                except openstack.exceptions.SDKException as exc:
                    raise CloudError(WORDS("orphan-delete-failed", id=resource["id"], kind=kind, reason=exc)) from exc
