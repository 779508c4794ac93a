"""What every part of a system's program shares: the request, its allocation, labels, provider."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_openstack as openstack

from provisioner.allocation import Allocation, dotted
from provisioner.program.labels import Labels
from provisioner.spec.findings import Path
from provisioner.spec.model import RequestSpec


@dataclass(frozen=True)
class SystemContext:
    spec: RequestSpec
    allocation: Allocation
    labels: Labels
    project_id: pulumi.Input[str]
    provider: openstack.Provider
    external_network: str
    # Production data (volumes) is protected from deletion by a changed spec or
    # a stray destroy; only the termination flow, after backing up, releases it.
    protect_data: bool = False
    anti_affinity: str = "anti-affinity"   # or soft-anti-affinity (see Settings)
    qos_policy_id: pulumi.Input[str] | None = None   # the tenant stack's grant of internet bandwidth
    fields: dict[str, str] = field(default_factory=dict)   # resource name -> spec field, exported

    @property
    def opts(self) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(provider=self.provider)

    def name(self, item: str) -> str:
        """The name of a resource of this system: unique per department project."""
        return f"{self.labels.prefix}-{item}"

    def place(self, name: str, path: Path) -> str:
        """Record that resource `name` serves the spec field `path`; its label value."""
        self.fields[name] = dotted(path)
        return self.fields[name]

    def tags(self, name: str, path: Path) -> list[str]:
        return self.labels.tags(self.place(name, path))

    def metadata(self, name: str, path: Path) -> dict[str, str]:
        return self.labels.metadata(self.place(name, path))


@dataclass(frozen=True)
class Net:
    network: openstack.networking.Network
    subnet: openstack.networking.Subnet
    router_if: openstack.networking.RouterInterface
    secgroup: openstack.networking.SecGroup
    db_secgroup: openstack.networking.SecGroup | None = None
