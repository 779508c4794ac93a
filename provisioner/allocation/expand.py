"""allocate(spec, catalogue): the one expansion of a request into what it allocates (pure).

Everything that needs to know what a request makes reads this: the Pulumi program (the
items, one resource each), quotas, the on-demand caps, preflight, metering, the plan's
cost and change classification (the units). Rules of thumb live here once: a host role
of `count` n is n servers, each with a system disk (its size, or the flavor's) and its
data disks; a database is one server with a data disk, two with a standby; public IPs go
to the first hosts in the order the request lists them; a public load balancer holds a
public IP of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from provisioner.allocation import kinds
from provisioner.allocation.model import (
    Allocation, Balancer, Bandwidth, Bucket, Disk, Group, Listener, Network, PublicIp, Rule, Server,
    Service, Share, Unit,
)
from provisioner.allocation.offers import refusals
from provisioner.catalogue import Catalogue, Offers
from provisioner.spec.findings import Path
from provisioner.spec.resources import Database, Host, Resources

if TYPE_CHECKING:   # annotations only: the exporter sizes a stored spec's resources, never a whole spec
    from provisioner.spec.model import RequestSpec

_RES: Path = ("resources",)


class _Builder:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.groups: list[Group] = []
        self.servers: list[Server] = []
        self.disks: list[Disk] = []
        self.units: list[Unit] = []
        self.unknown: list[str] = []

    def unit(self, kind: kinds.Kind, amount: int | Fraction, path: Path, item: str) -> None:
        if amount:
            self.units.append(Unit(kind, _whole(amount) if isinstance(amount, int) else amount, path, item))

    def disk(self, disk: Disk, size_at: Path) -> None:
        self.disks.append(disk)
        self.unit(kinds.BLOCK, disk.size_gb, size_at, disk.name)

    def group(self, name: str, path: Path, members: int, wanted: bool) -> str | None:
        if not wanted or members < 2:
            return None
        self.groups.append(Group(name, path, members))
        return name

    def host(self, index: int, host: Host) -> None:
        at = _RES + ("hosts", index)
        flavor = self.catalogue.flavors.get(host.flavor)
        if flavor is None:
            self.unknown.append(host.flavor)
        group = self.group(host.name, at + ("anti_affinity",), host.count, host.anti_affinity)
        # Every server of the role is the same but for its name: what they hold is worked out
        # once (a role of 8 servers is 8 x 2 units, 8 x its disks).
        vcpus, ram_mb = (flavor.vcpus, flavor.ram_mb) if flavor is not None else (None, None)
        sized_at = at + ("flavor",)
        sizes = [] if flavor is None else [      # a size of 0 counts nothing, as in unit()
            (kind, amount) for kind, amount in ((kinds.CORES, _whole(vcpus)), (kinds.RAM, Fraction(ram_mb, 1024)))
            if amount]
        system_gb = host.system_disk_gb or (flavor.disk_gb if flavor is not None else 0)
        system = at + ("system_disk_gb",)
        data_disks = [(f"data{d + 1}", at + ("data_disks", d), at + ("data_disks", d, "size_gb"), data)
                      for d, data in enumerate(host.data_disks)]
        for number in range(1, host.count + 1):
            name = f"{host.name}-{number}"
            self.servers.append(Server(name, at, host.flavor, host.image, vcpus, ram_mb, group))
            for kind, amount in sizes:
                self.units.append(Unit(kind, amount, sized_at, name))
            if system_gb:
                self.disk(Disk(f"{name}-system", system, system_gb, server=name, image=host.image), system)
            for suffix, disk, size_at, data in data_disks:
                self.disk(Disk(f"{name}-{suffix}", disk, data.size_gb, data.volume_type, server=name), size_at)

    def database(self, index: int, database: Database) -> None:
        at = _RES + ("databases", index)
        flavor = self.catalogue.database_flavors.get(database.flavor)
        if flavor is None:
            self.unknown.append(database.flavor)
        engine = self.catalogue.database_engines.get(database.engine)
        version = engine.versions.get(database.version) if engine is not None else None
        copies = 2 if database.high_availability else 1
        role = f"db-{database.name}"
        group = self.group(role, at + ("high_availability",), copies, True)
        for number in range(1, copies + 1):
            name = f"{role}-{number}"
            self.servers.append(Server(name, at, database.flavor, None, flavor and flavor.vcpus,
                                       flavor and flavor.ram_mb, group, database, number == 1,
                                       version.package if version is not None else None))
            # The standby is there because of high_availability: that is where it comes from.
            self.unit(kinds.DATABASES, 1, at if number == 1 else at + ("high_availability",), name)
            storage = at + ("storage_gb",)
            self.disk(Disk(f"{name}-data", storage, database.storage_gb, server=name), storage)


@lru_cache(maxsize=1024)
def _whole(amount: int) -> Fraction:
    """A whole amount as a Fraction, the same object for the same amount: requests repeat a few
    sizes, a Fraction is immutable so shared safely, and making one is most of what a unit costs."""
    return Fraction(amount)


def sized_by(flavors: Mapping[str, Any]) -> Catalogue:
    """A catalogue that knows only the host flavors' sizes: what metering and change
    classification have. Database hosts are billed and measured as instances, whatever
    their flavor; refusals are not read (a stored request was approved against the
    catalogue of its day)."""
    return Catalogue.model_construct(flavors=dict(flavors), images={}, volume_types={}, database_flavors={},
                                     database_engines={}, offers=Offers(), rules={})


def allocate(spec: RequestSpec, catalogue: Catalogue) -> Allocation:
    """What `spec` allocates on a cloud offering what `catalogue` says (pure, deterministic)."""
    return allocate_resources(spec.resources, catalogue)


def allocate_resources(res: Resources, catalogue: Catalogue) -> Allocation:
    """The same from a request's `resources` alone: all that decides what it allocates."""
    build = _Builder(catalogue)
    for index, host in enumerate(res.hosts):
        build.host(index, host)
    for index, database in enumerate(res.databases):
        build.database(index, database)
    for index, volume in enumerate(res.storage.volumes):
        at = _RES + ("storage", "volumes", index)
        build.disk(Disk(volume.name, at, volume.size_gb, volume.volume_type), at + ("size_gb",))
    buckets = tuple(Bucket(b.name, _RES + ("storage", "buckets", i), b.quota_gb, b.public_read)
                    for i, b in enumerate(res.storage.buckets))
    for bucket in buckets:
        build.unit(kinds.OBJECT, bucket.quota_gb, bucket.path + ("quota_gb",), bucket.name)
    share_offer = catalogue.offers.file_shares
    shares = tuple(Share(f"share-{s.name}", _RES + ("storage", "shares", i), s.size_gb, s.protocol,
                         share_offer and share_offer.share_type)
                   for i, s in enumerate(res.storage.shares))
    for share in shares:
        build.unit(kinds.SHARES, share.size_gb, share.path + ("size_gb",), share.name)
    public_ips, balancers, bandwidth = _network_edge(res, build)
    services = _services(res, build)
    network = Network(_RES + ("network",), res.network.cidr, res.network.zone,
                      catalogue.offers.network_zones.get(res.network.zone))
    ingress = tuple(Rule(_RES + ("security", "ingress", i), r.protocol, *r.port_range, r.source, r.description)
                    for i, r in enumerate(res.security.ingress))
    refused = refusals(res, catalogue)
    units = tuple(_offered(unit, refused) for unit in build.units) if refused else tuple(build.units)
    return Allocation(network, ingress, tuple(build.groups), tuple(build.servers), tuple(build.disks),
                      buckets, shares, public_ips, balancers, bandwidth, services, units, refused,
                      tuple(sorted(set(build.unknown))))


def _network_edge(res: Resources, build: _Builder) -> tuple[tuple[PublicIp, ...], tuple[Balancer, ...],
                                                                Bandwidth | None]:
    bandwidth_spec = res.bandwidth
    at = _RES + ("bandwidth",)
    hosts = [s for s in build.servers if s.database is None]
    public_ips = tuple(PublicIp(f"eip{n}", at + ("public_ips",), server.name)
                       for n, server in enumerate(hosts[:bandwidth_spec.public_ips], start=1))
    for ip in public_ips:
        build.unit(kinds.FLOATING_IPS, 1, ip.path, ip.name)
    balancers = []
    for index, lb in enumerate(bandwidth_spec.load_balancers):
        path = at + ("load_balancers", index)
        members = tuple(s.name for s in hosts if s.path == _host_path(res, lb.members))
        listeners = tuple(Listener(path + ("listeners", n), ln.protocol, ln.port, ln.backend_port or ln.port)
                          for n, ln in enumerate(lb.listeners))
        offer = build.catalogue.offers.load_balancers
        balancer = Balancer(f"lb-{lb.name}", path, listeners, members, lb.algorithm, lb.public,
                            offer and offer.provider)
        balancers.append(balancer)
        build.unit(kinds.LOAD_BALANCERS, 1, path, balancer.name)
        if lb.public:
            build.unit(kinds.FLOATING_IPS, 1, path + ("public",), balancer.name)
    bandwidth = None
    if bandwidth_spec.internet_mbps:
        bandwidth = Bandwidth("qos", at + ("internet_mbps",), bandwidth_spec.internet_mbps)
        build.unit(kinds.BANDWIDTH, bandwidth.mbps, bandwidth.path, bandwidth.name)
    return public_ips, tuple(balancers), bandwidth


def _host_path(res: Resources, role: str) -> Path | None:
    return next((_RES + ("hosts", i) for i, h in enumerate(res.hosts) if h.name == role), None)


def _services(res: Resources, build: _Builder) -> tuple[Service, ...]:
    security = res.security
    at = _RES + ("security",)
    found: list[Service] = []
    for index, name in enumerate(security.services):
        if all(s.name != name for s in found):   # asked twice is ordered once
            found.append(Service(name, at + ("services", index)))
    # Backups and encryption at rest are the provider's too (art13, art24): ordered the same way.
    if security.backup is not None:
        found.append(Service("backup", at + ("backup",), tuple(security.backup.model_dump().items())))
    if security.encryption is not None and security.encryption.at_rest:
        found.append(Service("encryption", at + ("encryption", "at_rest"),
                             (("algorithm", security.encryption.algorithm),)))
    for service in found:
        build.unit(kinds.SECURITY[service.name], 1, service.path, service.name)
    return tuple(found)


def _offered(unit: Unit, refused: tuple) -> Unit:
    """A unit of an item any part of which is refused is not offered: the item is not built."""
    root = _item_root(unit.path)
    if any(r.path[:len(root)] == root or root[:len(r.path)] == r.path for r in refused):
        return Unit(unit.kind, unit.amount, unit.path, unit.item, offered=False)
    return unit


def _item_root(path: Path) -> Path:
    """The path of the list item a field belongs to (up to its first index), else the field's own."""
    index = next((i for i, part in enumerate(path) if isinstance(part, int)), None)
    return path if index is None else path[:index + 1]
