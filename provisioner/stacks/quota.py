"""A department's quotas: exactly what its requests were granted, summed over its systems.

OpenStack then refuses anything beyond the grant (art15, allocate on demand),
whoever asks. Network quotas allow for what each system's network needs
besides its servers: a router, its interface and DHCP ports.
"""

from __future__ import annotations

from dataclasses import dataclass

from provisioner.catalogue import Catalogue
from provisioner.spec.model import RequestSpec

# Ports a system's network uses besides one per server: router interface,
# router gateway, DHCP and one spare for maintenance.
PORTS_PER_SYSTEM = 4


@dataclass(frozen=True)
class Quota:
    instances: int = 0
    cores: int = 0
    ram_mb: int = 0
    volumes: int = 0
    gigabytes: int = 0
    networks: int = 0
    subnets: int = 0
    routers: int = 0
    ports: int = 0
    security_groups: int = 1   # every project has its `default` group
    security_group_rules: int = 4  # and the default group's rules

    def __add__(self, other: Quota) -> Quota:
        fields = self.__dataclass_fields__
        return Quota(**{f: getattr(self, f) + getattr(other, f) for f in fields})


def system_quota(spec: RequestSpec, catalogue: Catalogue) -> Quota:
    hosts = spec.resources.hosts
    instances = sum(h.count for h in hosts)
    disks = [d for h in hosts for _ in range(h.count) for d in h.data_disks]
    return Quota(
        instances=instances,
        cores=sum(h.count * catalogue.flavors[h.flavor].vcpus for h in hosts),
        ram_mb=sum(h.count * catalogue.flavors[h.flavor].ram_mb for h in hosts),
        volumes=len(disks),
        gigabytes=sum(d.size_gb for d in disks),
        networks=1, subnets=1, routers=1,
        ports=instances + PORTS_PER_SYSTEM,
        security_groups=1,
        # Neutron reserves more than a group ends up holding while it creates
        # one (seen: 409 OverQuota at exactly ingress + 2 default egress), so
        # rules are not billed and get room: twice the ingress plus spare.
        security_group_rules=2 * len(spec.resources.security.ingress) + 6,
        )


def department_quota(specs: list[RequestSpec], catalogue: Catalogue) -> Quota:
    total = Quota()
    for spec in specs:
        total = total + system_quota(spec, catalogue)
    return total
