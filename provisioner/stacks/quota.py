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
    floating_ips: int = 0

    def __add__(self, other: Quota) -> Quota:
        fields = self.__dataclass_fields__
        return Quota(**{f: getattr(self, f) + getattr(other, f) for f in fields})


def _servers(spec: RequestSpec, catalogue: Catalogue) -> list[tuple[int, int]]:
    """(vcpus, ram_mb) of every server the request makes: hosts and database hosts."""
    hosts = [(catalogue.flavors[h.flavor].vcpus, catalogue.flavors[h.flavor].ram_mb)
             for h in spec.resources.hosts for _ in range(h.count)]
    databases = [(catalogue.database_flavors[d.flavor].vcpus, catalogue.database_flavors[d.flavor].ram_mb)
                 for d in spec.resources.databases for _ in range(2 if d.high_availability else 1)]
    return hosts + databases


def _volume_sizes(spec: RequestSpec) -> list[int]:
    resources = spec.resources
    return ([d.size_gb for h in resources.hosts for _ in range(h.count) for d in h.data_disks]
            + [d.storage_gb for d in resources.databases for _ in range(2 if d.high_availability else 1)]
            + [v.size_gb for v in resources.storage.volumes])


def system_quota(spec: RequestSpec, catalogue: Catalogue) -> Quota:
    servers = _servers(spec, catalogue)
    instances = len(servers)
    sizes = _volume_sizes(spec)
    databases = 1 if spec.resources.databases else 0
    return Quota(
        instances=instances,
        cores=sum(vcpus for vcpus, _ in servers),
        ram_mb=sum(ram for _, ram in servers),
        volumes=len(sizes),
        gigabytes=sum(sizes),
        floating_ips=spec.resources.bandwidth.public_ips,
        networks=1, subnets=1, routers=1,
        ports=instances + PORTS_PER_SYSTEM,
        # The system's group, and one for its database hosts (provisioner.program.system),
        # twice over: Neutron counts a group being created both as reserved and as used for
        # a moment (seen: 409 OverQuota with four systems of one department applied at once
        # at -j 4, the quota fitting exactly). Groups are not billed.
        security_groups=2 * (1 + databases),
        # Neutron reserves more than a group ends up holding while it creates
        # one (seen: 409 OverQuota at exactly ingress + 2 default egress), so
        # rules are not billed and get room: twice the ingress plus spare, per group.
        security_group_rules=2 * len(spec.resources.security.ingress) + 6 + 6 * databases,
        )


def department_quota(specs: list[RequestSpec], catalogue: Catalogue) -> Quota:
    total = Quota()
    for spec in specs:
        total = total + system_quota(spec, catalogue)
    return total
