"""What one request allocates: the things the cloud makes (items) and the units they count as.

Items are what the Pulumi program declares, one for one (a server, a disk, a load
balancer, ...), each with the spec field it serves (`path`), which the program puts on
the resource as a label. Units are what everything else counts: a kind (priced and
metered by its key), an amount in the kind's unit, the spec field the amount comes from,
and whether this cloud offers it. Refusals say, at a spec field, what this cloud cannot
build; a request with any is refused before anything is created (cloud-unsupported).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction
from typing import NamedTuple

from provisioner.allocation.kinds import Kind
from provisioner.spec.findings import Path
from provisioner.spec.resources import Database
from provisioner.words import Text


def dotted(path: Path) -> str:
    """("resources", "hosts", 0, "data_disks", 1) -> "hosts[0].data_disks[1]": the label's value.

    `resources.` is left out: every item is under it, and Nova tags hold 60 characters."""
    text = ""
    for part in path[1:] if path[:1] == ("resources",) else path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def undotted(text: str) -> Path:
    """The inverse of `dotted`: "hosts[0].data_disks[1]" -> ("resources", "hosts", 0, "data_disks", 1)."""
    path: list[str | int] = ["resources"]
    for part in text.split("."):
        name, *indexes = part.split("[")
        path.append(name)
        path += [int(index.rstrip("]")) for index in indexes]
    return tuple(path)


def under(path: Path, prefix: Path) -> bool:
    return path[:len(prefix)] == prefix


class Unit(NamedTuple):
    """Immutable like the items, but a NamedTuple: a review of 1,000 specs makes some 30,000
    units, and a NamedTuple costs half what a frozen dataclass does to make."""

    kind: Kind
    amount: Fraction
    path: Path               # the spec field the amount comes from
    item: str                # the item it is part of (Item.name)
    offered: bool = True


@dataclass(frozen=True)
class Refusal:
    """A field asking for what this cloud does not build; `reason` says what it offers. Both are
    said in the reader's language where the refusal is reported (the policy rule cloud-unsupported,
    cloud/preflight.py)."""

    path: Path
    what: Text
    reason: Text


@dataclass(frozen=True)
class Network:
    path: Path
    cidr: str
    zone: str
    external_network: str | None     # the zone's external network; None: the zone is not offered


@dataclass(frozen=True)
class Rule:
    """An ingress rule of the system's security group."""

    path: Path
    protocol: str
    port_min: int | None
    port_max: int | None
    source: str
    description: str


@dataclass(frozen=True)
class Group:
    """Servers kept on different compute nodes (anti-affinity)."""

    name: str
    path: Path
    members: int


@dataclass(frozen=True)
class Server:
    name: str
    path: Path
    flavor: str
    image: str | None            # None: a database host, on the provider's database image
    vcpus: int | None            # None: the flavor is not in the catalogue
    ram_mb: int | None
    group: str | None = None
    database: Database | None = None     # a database host (provisioner/program/database.py)
    primary: bool = True
    package: str | None = None           # the engine package its cloud-init installs


@dataclass(frozen=True)
class Disk:
    name: str
    path: Path
    size_gb: int
    volume_type: str | None = None
    server: str | None = None            # attached to
    image: str | None = None             # a system disk: made from this image, its server boots from it


@dataclass(frozen=True)
class Bucket:
    name: str
    path: Path
    quota_gb: int
    public_read: bool


@dataclass(frozen=True)
class Share:
    name: str
    path: Path
    size_gb: int
    protocol: str
    share_type: str | None = None        # the offer's Manila share type


@dataclass(frozen=True)
class PublicIp:
    name: str
    path: Path
    server: str


@dataclass(frozen=True)
class Listener:
    path: Path
    protocol: str
    port: int
    backend_port: int


@dataclass(frozen=True)
class Balancer:
    name: str
    path: Path
    listeners: tuple[Listener, ...]
    members: tuple[str, ...]             # server names
    algorithm: str
    public: bool
    provider: str | None = None          # the offer's Octavia provider driver


@dataclass(frozen=True)
class Bandwidth:
    name: str
    path: Path
    mbps: int


@dataclass(frozen=True)
class Service:
    """A provider-run service (WAF, bastion, backups, ...): ordered and billed, built outside OpenStack,
    on the terms the request states (a backup's schedule and retention, the encryption algorithm)."""

    name: str
    path: Path
    terms: tuple[tuple[str, object], ...] = ()


Item = Server | Disk | Bucket | Share | PublicIp | Balancer | Bandwidth | Service | Group


@dataclass(frozen=True)
class Allocation:
    network: Network
    ingress: tuple[Rule, ...] = ()
    groups: tuple[Group, ...] = ()
    servers: tuple[Server, ...] = ()
    disks: tuple[Disk, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    shares: tuple[Share, ...] = ()
    public_ips: tuple[PublicIp, ...] = ()
    balancers: tuple[Balancer, ...] = ()
    bandwidth: Bandwidth | None = None
    services: tuple[Service, ...] = ()
    units: tuple[Unit, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    unknown_flavors: tuple[str, ...] = ()

    # Worked out when first asked, not when made: a policy review reads units by kind but
    # never their totals. (cached_property writes the instance's __dict__: frozen allows it.)
    @cached_property
    def _units_of(self) -> dict[str, tuple[Unit, ...]]:
        units: dict[str, list[Unit]] = {}
        for unit in self.units:
            units.setdefault(unit.kind.key, []).append(unit)
        return {key: tuple(found) for key, found in units.items()}

    @cached_property
    def _by_kind(self) -> dict[str, Fraction]:
        return {key: _total([unit.amount for unit in found]) for key, found in self._units_of.items()}

    @property
    def hosts(self) -> tuple[Server, ...]:
        return tuple(s for s in self.servers if s.database is None)

    @property
    def database_servers(self) -> tuple[Server, ...]:
        return tuple(s for s in self.servers if s.database is not None)

    def total(self, kind: Kind) -> Fraction:
        return self._by_kind.get(kind.key, Fraction(0))

    def amounts(self) -> dict[str, Fraction]:
        """Amount by kind key, kinds with nothing left out."""
        return {key: amount for key, amount in self._by_kind.items() if amount}

    def of(self, kind: Kind, within: Path = ()) -> Iterator[Unit]:
        """The kind's units, in the order of `units`, those under `within` only."""
        units = self._units_of.get(kind.key, ())
        return (u for u in units if under(u.path, within)) if within else iter(units)

    def items(self) -> Iterable[Item]:
        yield from self.groups
        yield from self.servers
        yield from self.disks
        yield from self.buckets
        yield from self.shares
        yield from self.public_ips
        yield from self.balancers
        if self.bandwidth is not None:
            yield self.bandwidth
        yield from self.services


def _total(amounts: list[Fraction]) -> Fraction:
    """Their sum; whole amounts (nearly all) added as ints: adding Fractions one by one costs
    more than expanding the rest of a request."""
    if all(amount.denominator == 1 for amount in amounts):
        return Fraction(sum(amount.numerator for amount in amounts))
    return sum(amounts, Fraction(0))
