"""What a system exposes to the internet: the ingress its elastic IPs let in (pure).

An elastic IP forwards to one port; Neutron lets in what any of the port's security
groups allows. A rule admits the internet when its source is not inside the office's
trusted ranges (security-baseline.yaml `trusted_sources`): 0.0.0.0/0, ::/0, any public
range, and no source at all. Rules from another group's members admit the group,
not the internet. A port with port security off filters nothing: everything is open.
Each exposure is judged as the request check judges a request's ingress
(provisioner.policy.rules.security.judge_internet).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from provisioner.inspection.facts import FloatingIp, SecurityRule
from provisioner.inspection.systems import Index
from provisioner.policy.model import SecurityBaseline
from provisioner.policy.rules.security import from_internet, judge_internet

ANY = {"IPv4": "0.0.0.0/0", "IPv6": "::/0"}
# Neutron takes protocols by name or number; the baseline speaks names.
_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmp", "ipv6-icmp": "icmp", "icmpv6": "icmp", "any": None}
PORT_SECURITY_OFF = "port-security-off"


@dataclass(frozen=True)
class Exposure:
    address: str                    # the elastic IP
    server: str
    protocol: str | None            # None: every protocol
    low: int | None                 # None: every port
    high: int | None
    source: str
    group: str                      # the security group's name, or PORT_SECURITY_OFF
    rule_id: str
    verdict: str                    # admin | allowed | redirect | other
    admin_ports: tuple[int, ...] = ()

    @property
    def ports(self) -> str:
        if self.protocol == "icmp":
            return "-"
        if self.low is None:
            return "1-65535"
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


def protocol_name(protocol: str | None) -> str | None:
    if protocol is None:
        return None
    return _PROTOCOLS.get(protocol.lower(), protocol.lower())


def source_of(rule: SecurityRule) -> str | None:
    """The rule's source network as written, any address when none; None for a remote group."""
    if rule.remote_group_id:
        return None
    return rule.remote_ip_prefix or ANY.get(rule.ethertype, "0.0.0.0/0")


def exposures(ips: Iterable[FloatingIp], index: Index, baseline: SecurityBaseline) -> list[Exposure]:
    found = {e for ip in ips for e in _through(ip, index, baseline)}
    return sorted(found, key=lambda e: (e.address, e.protocol or "", e.low or 0, e.high or 0, e.source, e.group,
                                        e.rule_id))


def _through(ip: FloatingIp, index: Index, baseline: SecurityBaseline) -> Iterator[Exposure]:
    port = index.ports.get(ip.port_id or "")
    if port is None:
        return      # not associated: it forwards nothing
    server = index.server_name(port)
    if not port.port_security:
        verdict, admin = judge_internet(None, None, None, baseline)
        yield Exposure(ip.address, server, None, None, None, "0.0.0.0/0", PORT_SECURITY_OFF, "", verdict,
                       tuple(admin))
        return
    for group_id in port.security_group_ids:
        group = index.groups.get(group_id)
        for rule in group.rules if group else ():
            source = source_of(rule)
            if rule.direction != "ingress" or source is None or not from_internet(
                    ipaddress.ip_network(source, strict=False), baseline.trusted_sources):
                continue
            protocol = protocol_name(rule.protocol)
            verdict, admin = judge_internet(protocol, rule.port_range_min, rule.port_range_max, baseline)
            yield Exposure(ip.address, server, protocol, rule.port_range_min, rule.port_range_max, source,
                           group.name, rule.id, verdict, tuple(admin))
