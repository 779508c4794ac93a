"""The cloud as the operator sees it: one listing per kind, all projects, shared by one collection (edge).

    reads = CloudReads(connect, database_flavors)     # connect() -> cloud_api.CloudApi
    reads.listing(moment, {"server", "volume"})     # read once per moment, then served from memory

The utilisation source (openstack_use.py) and the inventory (inventory.py) both ask for
servers, volumes and floating IPs in the same collection: each kind is listed once per
moment, as light `Resource` records (an SDK object per server would hold kilobytes each), read
from the APIs' JSON (cloud_api.py: keystoneauth1, no openstacksdk in the exporter).

Kinds and where their labels are (provisioner.program.labels):
  server          Nova, all projects: metadata `govcloud_<key>` and tags `key=value`; holds its
                  flavor's vCPUs, RAM and local disk, or one database instance (gc.db.* flavors)
  volume          Cinder, all projects: metadata; holds its size; in use when attached
  floating_ip     Neutron: tags; holds one IP; in use when associated with a port
  network, subnet, router, security_group   Neutron: tags
  container       Swift: metadata, read per department project (Swift has no all-projects
                  listing; the operator's role in each project lets it read that account);
                  holds its quota (X-Container-Meta-Quota-Bytes) or, without one, its bytes
Projects come from Keystone with their tags (`region=`, `department=`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from provisioner.errors import CloudError
from provisioner.metering.cloud_api import CloudApi
from provisioner.metering.inventory import Inventory, Project, Resource, labels_of, labels_of_tags
from provisioner.metering.messages import WORDS
from provisioner.metering.resources import BLOCK, CORES, DATABASES, FLOATING_IPS, GIB, OBJECT, RAM

NEUTRON_KINDS = {"network": "networks", "subnet": "subnets", "router": "routers",
                 "security_group": "security-groups"}
KINDS = ("server", "volume", "floating_ip", *NEUTRON_KINDS, "container")
USED_KINDS = frozenset({"server", "volume", "floating_ip"})       # what utilisation needs


class CloudReads:
    """The listings of one collection moment; a failed read drops the connection for the next."""

    def __init__(self, connect: Callable[[], CloudApi], database_flavors: frozenset[str] = frozenset()) -> None:
        self._connect = connect
        self.database_flavors = database_flavors
        self._conn: CloudApi | None = None
        self._project_conns: dict[str, CloudApi] = {}
        self._moment: datetime | None = None
        self._kinds: dict[str, tuple[Resource, ...]] = {}
        self._projects: dict[str, Project] | None = None
        # One object per distinct label set and holding within a listing: a system's resources share their
        # labels, so a large cloud's listing holds far fewer dicts (40,000 resources: 37 MB -> 22 MB)
        self._shared_labels: dict[tuple[tuple[str, str], ...], Mapping[str, str]] = {}
        self._shared_holds: dict[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]] = {}

    def listing(self, moment: datetime, kinds: Iterable[str]) -> dict[str, tuple[Resource, ...]]:
        if moment != self._moment:
            self.forget()
            self._moment = moment
        wanted = [k for k in kinds if k not in self._kinds]
        for kind in wanted:
            self._kinds[kind] = tuple(self._guarded(lambda conn, kind=kind: list(self._read(conn, kind))))
        return {k: self._kinds[k] for k in kinds}

    def projects(self, moment: datetime) -> dict[str, Project]:
        if moment != self._moment:
            self.forget()
            self._moment = moment
        return self._project_map()

    def _project_map(self) -> dict[str, Project]:
        if self._projects is None:
            self._projects = self._guarded(lambda conn: {p["id"]: _project(p) for p in conn.projects()})
        return self._projects

    def forget(self) -> None:
        """Drop the last moment's listings (the exporter keeps only what it computed from them)."""
        self._kinds, self._projects, self._moment = {}, None, None
        self._shared_labels, self._shared_holds = {}, {}

    def _labels(self, *found: dict[str, str]) -> Mapping[str, str]:
        merged = {k: v for labels in found for k, v in labels.items()}
        key = tuple(sorted(merged.items()))
        return self._shared_labels.setdefault(key, merged)

    def _holds(self, *amounts: tuple[str, float]) -> tuple[tuple[str, float], ...]:
        return self._shared_holds.setdefault(amounts, amounts)

    def call(self, read: Callable[[CloudApi], Any]) -> Any:
        """Any other read through the same connection, with the same failure handling."""
        return self._guarded(read)

    def _guarded(self, read: Callable[[CloudApi], Any]) -> Any:
        try:
            if self._conn is None:
                self._conn = self._connect()
            return read(self._conn)
        except CloudError:
            raise
        except Exception as exc:  # noqa: BLE001 - every keystoneauth/HTTP failure is the cloud's, at this edge
            self._conn = None
            self._project_conns.clear()
            raise CloudError(WORDS("cloud-read-failed", error=f"{type(exc).__name__}: {exc}")) from exc

    def _read(self, conn: CloudApi, kind: str) -> Iterator[Resource]:
        if kind == "server":
            return self._servers(conn)
        if kind == "volume":
            return self._volumes(conn)
        if kind == "floating_ip":
            return self._floating_ips(conn)
        if kind in NEUTRON_KINDS:
            return self._neutron(conn, kind)
        if kind == "container":
            return self._containers(conn)
        raise ValueError(f"unknown kind {kind}")

    def _servers(self, conn: CloudApi) -> Iterator[Resource]:
        for s in conn.servers():
            flavor = s.get("flavor")
            labels = self._labels(labels_of_tags(s.get("tags")), labels_of(s.get("metadata")))
            if flavor and (flavor.get("original_name") or flavor.get("name")) in self.database_flavors:
                holds = self._holds((DATABASES.key, 1.0))
            elif flavor:
                # A server booted from a volume (no image: its system disk) uses no local disk;
                # the volume is counted as what it is.
                local_disk = float(flavor.get("disk") or 0) if (s.get("image") or {}).get("id") else 0.0
                holds = self._holds((CORES.key, float(flavor.get("vcpus") or 0)),
                                    (RAM.key, (flavor.get("ram") or 0) / 1024), (BLOCK.key, local_disk))
            else:
                holds = ()
            yield Resource("server", s["id"], s.get("name") or "", s.get("tenant_id") or "", labels, holds)

    def _volumes(self, conn: CloudApi) -> Iterator[Resource]:
        for v in conn.volumes():
            yield Resource("volume", v["id"], v.get("name") or "", v.get("os-vol-tenant-attr:tenant_id") or "",
                           self._labels(labels_of(v.get("metadata"))), self._holds((BLOCK.key, float(v.get("size") or 0))),
                           in_use=v.get("status") == "in-use")

    def _floating_ips(self, conn: CloudApi) -> Iterator[Resource]:
        for ip in conn.neutron("floatingips"):
            yield Resource("floating_ip", ip["id"], ip.get("floating_ip_address") or "", _owner(ip),
                           self._labels(labels_of_tags(ip.get("tags"))), self._holds((FLOATING_IPS.key, 1.0)),
                           in_use=bool(ip.get("port_id")))

    def _neutron(self, conn: CloudApi, kind: str) -> Iterator[Resource]:
        for item in conn.neutron(NEUTRON_KINDS[kind]):
            yield Resource(kind, item["id"], item.get("name") or "", _owner(item),
                           self._labels(labels_of_tags(item.get("tags"))))

    def _containers(self, conn: CloudApi) -> Iterator[Resource]:
        """Each department project's containers, with their metadata (a HEAD each)."""
        if not conn.has_service("object-store"):
            return
        for project in self._project_map().values():
            if not project.is_department:
                continue
            scoped = self._project_conns.get(project.id)
            if scoped is None:
                scoped = self._project_conns[project.id] = conn.scoped(project.id)
            for listed in scoped.containers():
                name = listed["name"]
                meta = scoped.container_metadata(name)
                quota = next((v for k, v in meta.items() if k.lower() == "quota-bytes"), None)
                size = int(quota) if quota else int(listed.get("bytes") or 0)
                yield Resource("container", name, name, project.id, self._labels(labels_of(meta)),
                               self._holds((OBJECT.key, size / GIB)))


def _owner(item: Mapping[str, Any]) -> str:
    return item.get("project_id") or item.get("tenant_id") or ""


def _project(p: Mapping[str, Any]) -> Project:
    tags = labels_of_tags(p.get("tags"))
    return Project(p["id"], p.get("name") or p["id"], tags.get("region", ""), tags.get("department", ""))


class OpenStackInventory:
    """inventory.InventorySource over the shared reads: every kind, all projects."""

    name = "inventory"

    def __init__(self, reads: CloudReads, kinds: tuple[str, ...] = KINDS) -> None:
        self.reads, self.kinds = reads, kinds

    def read(self, moment: datetime) -> Inventory:
        listing = self.reads.listing(moment, self.kinds)
        return Inventory(self.reads.projects(moment), tuple(r for kind in self.kinds for r in listing[kind]),
                         frozenset(self.kinds))
