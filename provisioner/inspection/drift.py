"""Security group rules in the cloud against the rules the request asks for (pure).

What a request asks for is what the program declares (provisioner/program/system.py,
and tests/unit/test_inspection_program.py holds the two together): the system's group
`<system>-sg` admits its own members and each `resources.security.ingress` rule; with
databases, `<system>-db-sg` admits the system's subnet. Neutron's own egress rules of a
new group are the cloud's default, not drift. Rules are compared by what they let
through, not by id, so this needs no Pulumi state: a rule the request does not ask for
is unapproved, a rule it asks for that the cloud lacks is missing.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from provisioner.inspection.exposure import ANY, protocol_name, source_of
from provisioner.inspection.facts import SecurityGroup, SecurityRule
from provisioner.spec.findings import Path
from provisioner.spec.model import RequestSpec

_SECURITY: Path = ("resources", "security")


@dataclass(frozen=True)
class Shape:
    """What a rule lets through; `remote` is a network or `group <name>`."""

    direction: str
    ethertype: str
    protocol: str | None
    low: int | None
    high: int | None
    remote: str

    def __str__(self) -> str:
        ports = "" if self.low is None else f" {self.low}" if self.low == self.high else f" {self.low}-{self.high}"
        return f"{self.direction} {self.ethertype} {self.protocol or 'any'}{ports} {self.remote}"

    @property
    def neutron_default(self) -> bool:
        return (self.direction == "egress" and self.protocol is None and self.low is None and self.high is None
                and self.remote == ANY.get(self.ethertype))


@dataclass(frozen=True)
class Drifted:
    kind: str           # unapproved | missing
    group: str
    rule: str           # the Shape, in words
    rule_id: str = ""   # the cloud's rule (unapproved ones)
    field: Path = _SECURITY + ("ingress",)     # the spec field it concerns


def _network(source: str) -> str:
    return str(ipaddress.ip_network(source, strict=False))


def expected(spec: RequestSpec) -> dict[str, list[tuple[Shape, Path]]]:
    """Per group name, the rules the request asks for and the spec field each comes from."""
    system = spec.metadata.system
    main = f"{system}-sg"
    rules = [(Shape("ingress", "IPv4", None, None, None, f"group {main}"), _SECURITY)]
    for index, rule in enumerate(spec.resources.security.ingress):
        low, high = rule.port_range
        rules.append((Shape("ingress", "IPv6" if ":" in rule.source else "IPv4", rule.protocol, low, high,
                            _network(rule.source)), _SECURITY + ("ingress", index)))
    groups = {main: rules}
    if spec.resources.databases:
        groups[f"{system}-db-sg"] = [(Shape("ingress", "IPv4", None, None, None,
                                            _network(spec.resources.network.cidr)), ("resources", "network", "cidr"))]
    return groups


def shape_of(rule: SecurityRule, group_names: dict[str, str]) -> Shape:
    source = source_of(rule)
    remote = _network(source) if source is not None else \
        f"group {group_names.get(rule.remote_group_id or '', rule.remote_group_id)}"
    return Shape(rule.direction, rule.ethertype, protocol_name(rule.protocol), rule.port_range_min,
                 rule.port_range_max, remote)


def drift(spec: RequestSpec, groups: Sequence[SecurityGroup]) -> list[Drifted]:
    """The system's groups in the cloud against what its request asks for."""
    wanted = expected(spec)
    names = {g.id: g.name for g in groups}
    found: list[Drifted] = []
    for group in groups:
        remaining = Counter(shape for shape, _ in wanted.get(group.name, []))
        for rule in group.rules:
            shape = shape_of(rule, names)
            if remaining[shape] > 0:
                remaining[shape] -= 1
            elif not shape.neutron_default:
                found.append(Drifted("unapproved", group.name, str(shape), rule.id))
        found += [Drifted("missing", group.name, str(shape), field=path)
                  for shape, path in wanted.get(group.name, []) if _take(remaining, shape)]
    present = {g.name for g in groups}
    found += [Drifted("missing", name, str(shape), field=path)
              for name, rules in wanted.items() if name not in present for shape, path in rules]
    return sorted(found, key=lambda d: (d.group, d.kind, d.rule, d.rule_id))


def _take(remaining: Counter, shape: Shape) -> bool:
    if remaining[shape] > 0:
        remaining[shape] -= 1
        return True
    return False
