"""A small cloud and the request it runs, as plain values: the sample portal (two web servers,
each with a data disk; HTTPS from the internet) with daily backups, in the state that leaves
no cloud finding. Tests change one thing and look at what the inspection says."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from provisioner.inspection.checks import Request, inspect
from provisioner.inspection.facts import (Account, Backup, CloudFacts, FloatingIp, Image, Port, SecurityGroup,
                                          SecurityRule, Server, Volume)
from provisioner.inspection.report import Report
from provisioner.policy import PolicySet
from tests.policy.conftest import PORTAL, data_of, spec_of, text_of

NOW = datetime(2026, 12, 5, 4, 0, tzinfo=timezone.utc)
LABELS = {"region": "city", "department": "jj-xzspj", "system": "zwfw-portal", "phase": "trial",
          "request": "JJ-2026-0001"}
PROJECT = "p-xzspj"
SG, IMAGE = "sg-1", "img-kylin"


def egress(n: int) -> list[SecurityRule]:
    """The two rules Neutron gives every new group."""
    return [SecurityRule(f"eg{n}-4", "egress", "IPv4", None, None, None, None),
            SecurityRule(f"eg{n}-6", "egress", "IPv6", None, None, None, None)]


def rule(rule_id: str, protocol: str | None, low: int | None, source: str | None, high: int | None = None,
         ethertype: str = "IPv4", remote_group: str | None = None) -> SecurityRule:
    return SecurityRule(rule_id, "ingress", ethertype, protocol, low, high if high is not None else low, source,
                        remote_group)


@dataclass
class World:
    spec: dict[str, Any] = field(default_factory=lambda: _portal())
    rules: list[SecurityRule] = field(default_factory=lambda: [
        rule("intra", None, None, None, remote_group=SG), rule("https", "tcp", 443, "0.0.0.0/0"), *egress(1)])
    groups: list[SecurityGroup] = field(default_factory=list)    # besides the system's own
    own_group: bool = True                                        # False: the system's group was deleted
    servers: list[Server] = field(default_factory=lambda: [
        Server(f"srv{i}", f"zwfw-portal-web-{i}", IMAGE, PROJECT, LABELS) for i in (1, 2)])
    ports: list[Port] = field(default_factory=lambda: [
        Port(f"port{i}", f"srv{i}", (f"10.20.1.{10 + i}",), (SG,), True, LABELS) for i in (1, 2)])
    ips: list[FloatingIp] = field(default_factory=lambda: [FloatingIp("fip1", "203.0.113.7", "port1", LABELS)])
    volumes: list[Volume] = field(default_factory=lambda: [
        Volume(f"vol{i}", f"zwfw-portal-web-{i}-data1", 100, PROJECT, LABELS) for i in (1, 2)])
    backups: list[Backup] = field(default_factory=lambda: [
        Backup(f"bk{i}", f"nightly-{i}", f"vol{i}", "available", 100, NOW - timedelta(hours=20)) for i in (1, 2)])
    images: dict[str, Image] = field(default_factory=lambda: {
        IMAGE: Image(IMAGE, "kylin-v10-tiny", NOW - timedelta(days=30))})
    account: Account = field(default_factory=lambda: Account(
        "city", "jj-xzspj", PROJECT, "city-jj-xzspj", "jj-xzspj", True, NOW + timedelta(days=60)))

    def facts(self) -> CloudFacts:
        own = [SecurityGroup(SG, "zwfw-portal-sg", PROJECT, LABELS, tuple(self.rules))] if self.own_group else []
        return CloudFacts(tuple(self.servers), tuple(self.ports), tuple(self.ips), (*own, *self.groups),
                          tuple(self.volumes), tuple(self.backups), self.images, (self.account,))

    def requests(self) -> list[Request]:
        text = text_of(self.spec)
        return [Request("request_specs/jj-xzspj/zwfw-portal.yaml", text, spec_of(self.spec))] if self.spec else []

    def report(self, policies: PolicySet, department: str | None = None) -> Report:
        return inspect(self.requests(), self.facts(), policies, NOW, "test-cloud", department)

    def replace_port(self, index: int, **changes: Any) -> None:
        self.ports[index] = replace(self.ports[index], **changes)


def _portal() -> dict[str, Any]:
    data = data_of(PORTAL)
    data["resources"]["security"]["backup"] = {"schedule": "daily", "retention_days": 30}
    return data
