"""The resource kinds govcloud meters, and the amounts a granted request spec allocates (pure).

Names follow sapcc/limes (a `service` type from the OpenStack catalogue and a `resource`).
Amounts are kept in the units of request specs and prices (vCPU, GiB, IPs, instances);
Prometheus gets base units (bytes) through `base_factor`, as its conventions ask.

What a spec allocates (counted the way the provider's price list counts):
  compute/cores         hosts: count x flavor vCPUs
  compute/ram           hosts: count x flavor RAM (GiB)
  volumev3/capacity     hosts: count x (system disk or the flavor's disk + data disks),
                        standalone volumes, databases' storage (x2 with a standby)
  object-store/capacity buckets' quotas (GiB)
  network/floating_ips  bandwidth.public_ips
  database/instances    databases, a primary/standby pair counting two
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

GIB = 2 ** 30


@dataclass(frozen=True)
class Kind:
    service: str
    resource: str
    unit: str           # the unit of amounts and prices
    base_factor: int    # amount x base_factor = Prometheus base unit
    zh: str
    en: str
    key: str = field(init=False)      # "service/resource", the one string every table is keyed by

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", sys.intern(f"{self.service}/{self.resource}"))

    def title(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


CORES = Kind("compute", "cores", "vCPU", 1, "云主机 vCPU", "vCPU")
RAM = Kind("compute", "ram", "GiB", GIB, "云主机内存", "RAM")
BLOCK = Kind("volumev3", "capacity", "GiB", GIB, "块存储", "block storage")
OBJECT = Kind("object-store", "capacity", "GiB", GIB, "对象存储", "object storage")
FLOATING_IPS = Kind("network", "floating_ips", "IP", 1, "弹性公网 IP", "floating IPs")
DATABASES = Kind("database", "instances", "instance", 1, "云数据库实例", "database instances")

KINDS: tuple[Kind, ...] = (CORES, RAM, BLOCK, OBJECT, FLOATING_IPS, DATABASES)
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}


class FlavorSize(Protocol):
    vcpus: int
    ram_mb: int
    disk_gb: int


@dataclass(frozen=True)
class Amounts:
    """What one spec allocates, by kind key; `unknown_flavors` could not be sized.

    Instances are shared (`amounts` interns them): thousands of systems hold a few dozen
    distinct allocations, and the exporter keeps every system's in memory.
    """

    values: Mapping[str, Fraction]
    unknown_flavors: tuple[str, ...] = ()
    floats: tuple[tuple[str, float], ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "floats", tuple((k, float(v)) for k, v in self.values.items()))


_INTERNED: dict[tuple, Amounts] = {}


def _interned(values: dict[str, Fraction], unknown: tuple[str, ...]) -> Amounts:
    key = (tuple(values.items()), unknown)
    found = _INTERNED.get(key)
    if found is None:
        found = _INTERNED[key] = Amounts(values, unknown)
    return found


def amounts(spec: Mapping[str, Any], flavors: Mapping[str, FlavorSize]) -> Amounts:
    """The amounts a request spec (as stored in the ledger: JSON, by alias) allocates."""
    resources = spec.get("resources") or {}
    cores = ram_mb = block = 0
    unknown: list[str] = []
    for host in resources.get("hosts") or ():
        count = int(host.get("count", 1))
        flavor = flavors.get(host["flavor"])
        if flavor is None:
            unknown.append(host["flavor"])
            continue
        cores += count * flavor.vcpus
        ram_mb += count * flavor.ram_mb
        block += count * (int(host.get("system_disk_gb") or flavor.disk_gb)
                          + sum(int(d["size_gb"]) for d in host.get("data_disks") or ()))
    storage = resources.get("storage") or {}
    block += sum(int(v["size_gb"]) for v in storage.get("volumes") or ())
    databases = 0
    for database in resources.get("databases") or ():
        copies = 2 if database.get("high_availability") else 1
        databases += copies
        block += copies * int(database["storage_gb"])
    values = {CORES.key: Fraction(cores), RAM.key: Fraction(ram_mb, 1024), BLOCK.key: Fraction(block),
              OBJECT.key: Fraction(sum(int(b["quota_gb"]) for b in storage.get("buckets") or ())),
              FLOATING_IPS.key: Fraction(int((resources.get("bandwidth") or {}).get("public_ips", 0))),
              DATABASES.key: Fraction(databases)}
    return _interned({k: v for k, v in values.items() if v}, tuple(sorted(set(unknown))))
