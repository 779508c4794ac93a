"""A department's quotas: exactly what its requests were granted, summed over its systems.

OpenStack then refuses anything beyond the grant (art15, allocate on demand),
whoever asks. The amounts are the allocation model's (provisioner.allocation):
servers and their system and data disks, database hosts and theirs, public IPs
(a public load balancer's too), load balancers with their listeners, pools and
members. Network quotas allow for what each system's network needs besides its
servers: a router, its interface and DHCP ports, a load balancer's address.
"""

from __future__ import annotations

from dataclasses import dataclass

from provisioner.allocation import Allocation, allocate
from provisioner.allocation import kinds
from provisioner.catalogue import Catalogue
from provisioner.spec.model import RequestSpec

# Ports a system's network uses besides one per server and load balancer: router
# interface, router gateway, DHCP and one spare for maintenance.
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
    load_balancers: int = 0    # Octavia's quotas: load balancers, listeners, pools, members
    listeners: int = 0
    pools: int = 0
    members: int = 0

    def __add__(self, other: Quota) -> Quota:
        fields = self.__dataclass_fields__
        return Quota(**{f: getattr(self, f) + getattr(other, f) for f in fields})


def system_quota(spec: RequestSpec, catalogue: Catalogue) -> Quota:
    return allocation_quota(allocate(spec, catalogue))


def allocation_quota(allocation: Allocation) -> Quota:
    servers = allocation.servers
    listeners = [listener for lb in allocation.balancers for listener in lb.listeners]
    databases = 1 if allocation.database_servers else 0
    return Quota(
        instances=len(servers),
        cores=sum(s.vcpus or 0 for s in servers),
        ram_mb=sum(s.ram_mb or 0 for s in servers),
        volumes=len(allocation.disks),
        gigabytes=int(allocation.total(kinds.BLOCK)),
        floating_ips=int(allocation.total(kinds.FLOATING_IPS)),
        networks=1, subnets=1, routers=1,
        ports=len(servers) + len(allocation.balancers) + PORTS_PER_SYSTEM,
        # The system's group, and one for its database hosts (provisioner.program.system),
        # twice over: Neutron counts a group being created both as reserved and as used for
        # a moment (seen: 409 OverQuota with four systems of one department applied at once
        # at -j 4, the quota fitting exactly). Groups are not billed.
        security_groups=2 * (1 + databases),
        # Neutron reserves more than a group ends up holding while it creates
        # one (seen: 409 OverQuota at exactly ingress + 2 default egress), so
        # rules are not billed and get room: twice the ingress plus spare, per group.
        security_group_rules=2 * len(allocation.ingress) + 6 + 6 * databases,
        load_balancers=len(allocation.balancers), listeners=len(listeners), pools=len(listeners),
        members=sum(len(lb.members) * len(lb.listeners) for lb in allocation.balancers),
        )


def department_bandwidth(specs: list[RequestSpec], catalogue: Catalogue) -> dict[str, int]:
    """Internet bandwidth granted per system (Mbps): a QoS policy the tenant stack makes, as the
    operator (Neutron lets only an admin make one; a department attaching its own could raise
    its bandwidth), and its systems' public IPs carry."""
    found = {}
    for spec in specs:
        bandwidth = allocate(spec, catalogue).bandwidth
        if bandwidth is not None:
            found[spec.metadata.system] = bandwidth.mbps
    return dict(sorted(found.items()))


def department_quota(specs: list[RequestSpec], catalogue: Catalogue) -> Quota:
    total = Quota()
    for spec in specs:
        total = total + system_quota(spec, catalogue)
    return total
