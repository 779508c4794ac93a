"""The cloud's facts grouped by the system their labels name (pure).

A floating IP made by hand carries no labels; it still belongs to the system whose
port (or whose server, by the port's device) it is associated with, so it is found
by what it points at as well as by its own labels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from provisioner.inspection.facts import (CloudFacts, FloatingIp, Port, SecurityGroup, Server, SystemKey, Volume,
                                          key_of)


@dataclass(frozen=True)
class SystemCloud:
    """What one system has in the cloud."""

    key: SystemKey
    servers: tuple[Server, ...] = ()
    volumes: tuple[Volume, ...] = ()
    groups: tuple[SecurityGroup, ...] = ()
    floating_ips: tuple[FloatingIp, ...] = ()

    @property
    def phase(self) -> str:
        phases = sorted({r.labels.get("phase", "") for r in (*self.servers, *self.volumes, *self.groups)} - {""})
        return "/".join(phases)

    def counts(self) -> dict[str, int]:
        return {"servers": len(self.servers), "volumes": len(self.volumes), "security_groups": len(self.groups),
                "floating_ips": len(self.floating_ips)}


@dataclass(frozen=True)
class Index:
    """The facts by id, built once."""

    facts: CloudFacts
    ports: dict[str, Port] = field(init=False)
    servers: dict[str, Server] = field(init=False)
    groups: dict[str, SecurityGroup] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ports", {p.id: p for p in self.facts.ports})
        object.__setattr__(self, "servers", {s.id: s for s in self.facts.servers})
        object.__setattr__(self, "groups", {g.id: g for g in self.facts.groups})

    def system_of_ip(self, ip: FloatingIp) -> SystemKey | None:
        port = self.ports.get(ip.port_id or "")
        server = self.servers.get(port.device_id) if port else None
        return key_of(ip.labels) or (key_of(port.labels) if port else None) or (key_of(server.labels) if server else None)

    def server_name(self, port: Port | None) -> str:
        server = self.servers.get(port.device_id) if port else None
        return server.name if server else (port.device_id if port and port.device_id else "-")

    @cached_property
    def systems(self) -> dict[SystemKey, SystemCloud]:
        found: dict[SystemKey, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for kind, items in (("servers", self.facts.servers), ("volumes", self.facts.volumes),
                            ("groups", self.facts.groups)):
            _add(found, kind, items, lambda r: key_of(r.labels))
        _add(found, "floating_ips", self.facts.floating_ips, self.system_of_ip)
        return {key: SystemCloud(key, **{kind: tuple(items) for kind, items in kinds.items()})
                for key, kinds in found.items()}


def _add(found: dict, kind: str, items: Iterable, key) -> None:
    for item in items:
        system = key(item)
        if system is not None:
            found[system][kind].append(item)
