"""The kinds of what a request allocates: each metered, priced and billed by its key.

Names follow sapcc/limes (a `service` type from the OpenStack catalogue and a `resource`).
Amounts are kept in the units of request specs and prices (vCPU, GiB, IPs, Mbps,
instances); Prometheus gets base units (bytes, bytes per second) through `base_factor`,
as its conventions ask. Provider-run security services (art20-24, delivered outside
OpenStack) are kinds of the `security` service, one per service: they are ordered,
priced and billed like everything else.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import get_args

from provisioner.allocation.messages import WORDS
from provisioner.spec.security import SecurityService
from provisioner.words import DEFAULT_LANG, InBothLanguages, Text

GIB = 2 ** 30
MBPS = 125_000          # bytes per second in one megabit per second


@dataclass(frozen=True)
class Kind(InBothLanguages):
    service: str
    resource: str
    unit: str           # the unit of amounts and prices
    base_factor: int    # amount x base_factor = Prometheus base unit
    key: str = field(init=False)      # "service/resource", the one string every table is keyed by

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", sys.intern(f"{self.service}/{self.resource}"))

    @property
    def name(self) -> Text:
        """How people call it (allocation/messages.py), said in the reader's language."""
        return WORDS("kind-" + self.key.replace("/", "-").replace("_", "-"))

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return self.name.render(lang)


CORES = Kind("compute", "cores", "vCPU", 1)
RAM = Kind("compute", "ram", "GiB", GIB)
BLOCK = Kind("volumev3", "capacity", "GiB", GIB)
OBJECT = Kind("object-store", "capacity", "GiB", GIB)
FLOATING_IPS = Kind("network", "floating_ips", "IP", 1)
DATABASES = Kind("database", "instances", "instance", 1)
BANDWIDTH = Kind("network", "bandwidth", "Mbps", MBPS)
LOAD_BALANCERS = Kind("load-balancer", "loadbalancers", "LB", 1)
SHARES = Kind("sharev2", "capacity", "GiB", GIB)

# Provider-run security services; backup and encryption are asked for in resources.security.backup /
# encryption rather than in `services`.
SECURITY_SERVICES = ("waf", "bastion", "vulnerability_scan", "log_audit", "database_audit", "host_security",
                     "tamper_protection", "certificate", "backup", "encryption")
SECURITY: dict[str, Kind] = {name: Kind("security", name, "service", 1) for name in SECURITY_SERVICES}
assert set(get_args(SecurityService)) <= set(SECURITY), "every security service needs a kind"

KINDS: tuple[Kind, ...] = (CORES, RAM, BLOCK, OBJECT, FLOATING_IPS, DATABASES, BANDWIDTH,
                           LOAD_BALANCERS, SHARES, *SECURITY.values())
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
