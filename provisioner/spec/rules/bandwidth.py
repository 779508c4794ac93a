"""art14: the network needs must fit together: load balancers spread over hosts the request
has, public addresses go to hosts that exist and carry internet bandwidth."""

from __future__ import annotations

from collections.abc import Iterator

from provisioner.spec.findings import Finding
from provisioner.spec.messages import Names
from provisioner.spec.resources import Resources

_BANDWIDTH = ("resources", "bandwidth")


def check_load_balancers(resources: Resources) -> Iterator[Finding]:
    roles = [host.name for host in resources.hosts]
    for index, balancer in enumerate(resources.bandwidth.load_balancers):
        at = _BANDWIDTH + ("load_balancers", index)
        if balancer.members not in roles:
            yield Finding("lb-members-unknown", at + ("members",),
                          params={"name": balancer.members, "roles": Names(roles)})
        seen: dict[tuple[str, int], int] = {}
        for number, listener in enumerate(balancer.listeners):
            key = (listener.protocol, listener.port)
            if key in seen:
                yield Finding("lb-listener-duplicate", at + ("listeners", number, "port"),
                              params={"protocol": listener.protocol, "port": listener.port,
                                      "first": seen[key] + 1})
            seen.setdefault(key, number)


def check_public_addresses(resources: Resources) -> Iterator[Finding]:
    bandwidth = resources.bandwidth
    servers = sum(host.count for host in resources.hosts)
    if bandwidth.public_ips > servers:
        # Each address goes to a host's port: more than there are hosts would be billed, never made.
        yield Finding("bandwidth-public-ips-over-hosts", _BANDWIDTH + ("public_ips",),
                      params={"hosts": servers})
    public_balancers = any(balancer.public for balancer in bandwidth.load_balancers)
    if (bandwidth.public_ips or public_balancers) and not bandwidth.internet_mbps:
        yield Finding("bandwidth-internet-missing", _BANDWIDTH + ("internet_mbps",), near=_BANDWIDTH)


CHECKS = (check_load_balancers, check_public_addresses)
