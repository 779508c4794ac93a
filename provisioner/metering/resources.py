"""The resource kinds govcloud meters, and the amounts a granted request spec allocates (pure).

The kinds (service/resource keys, units, Prometheus base factors) are the allocation model's
(provisioner.allocation.kinds), and so are the amounts: a spec stored in the ledger is read
back into its typed model and expanded by `allocate`, the same expansion the Pulumi program
builds from, so what is billed is what exists. Counted the way the price list counts:
  compute/cores, compute/ram     hosts: count x the flavor's vCPUs and RAM (GiB)
  volumev3/capacity              hosts' system disks (their size, or the flavor's) and data
                                 disks, standalone volumes, databases' storage (x2 with a standby)
  object-store/capacity          buckets' quotas (GiB)
  sharev2/capacity               file shares (GiB)
  network/floating_ips           public IPs, a public load balancer's included
  network/bandwidth              internet bandwidth (Mbps)
  load-balancer/loadbalancers    load balancers
  database/instances             databases, a primary/standby pair counting two
  security/<service>             provider-run security services, backups and encryption at rest
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol

from pydantic import ValidationError

from provisioner.allocation import allocate_resources, sized_by
from provisioner.allocation.kinds import (  # the kinds, as metering has always named them
    BANDWIDTH, BLOCK, BY_KEY, CORES, DATABASES, FLOATING_IPS, GIB, KINDS, LOAD_BALANCERS, OBJECT, RAM, SECURITY,
    SHARES, Kind,
)
from provisioner.spec.resources import Resources

__all__ = ["BANDWIDTH", "BLOCK", "BY_KEY", "CORES", "DATABASES", "FLOATING_IPS", "GIB", "KINDS", "LOAD_BALANCERS",
           "OBJECT", "RAM", "SECURITY", "SHARES", "UNREADABLE", "Amounts", "FlavorSize", "Kind", "amounts"]


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
    unreadable: bool = False           # the stored spec is not a request spec any more
    floats: tuple[tuple[str, float], ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "floats", tuple((k, float(v)) for k, v in self.values.items()))


_INTERNED: dict[tuple, Amounts] = {}
UNREADABLE = Amounts({}, unreadable=True)


def _interned(values: dict[str, Fraction], unknown: tuple[str, ...]) -> Amounts:
    key = (tuple(values.items()), unknown)
    found = _INTERNED.get(key)
    if found is None:
        found = _INTERNED[key] = Amounts(values, unknown)
    return found


def amounts(spec: Mapping[str, Any], flavors: Mapping[str, FlavorSize]) -> Amounts:
    """The amounts a request spec (as stored in the ledger: JSON, by alias; its `resources`
    are all that is read) allocates."""
    try:
        resources = Resources.model_validate(_legacy(spec.get("resources") or {}), strict=False)
    except ValidationError:
        return UNREADABLE
    allocation = allocate_resources(resources, sized_by(flavors))
    unknown = tuple(sorted({s.flavor for s in allocation.hosts if s.vcpus is None}))
    found = allocation.amounts()
    return _interned({kind.key: found[kind.key] for kind in KINDS if kind.key in found}, unknown)


def _legacy(resources: Mapping[str, Any]) -> Mapping[str, Any]:
    """Specs stored before load balancers had listeners asked for a number of them, and nothing
    was ever built for it: they allocate none. Requests are read as they were submitted (a
    generation's own spec was brought to the list by ledger migration 0004)."""
    bandwidth = resources.get("bandwidth") or {}
    if not isinstance(bandwidth.get("load_balancers", []), int):
        return resources
    return {**resources, "bandwidth": {k: v for k, v in bandwidth.items() if k != "load_balancers"}}
