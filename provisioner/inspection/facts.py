"""What the cloud holds, as plain values: the inspection's only view of OpenStack (pure).

provisioner/cloud/inventory.py reads them, one pass per resource kind over every
project; tests build them by hand. Labels are the program's (provisioner/program/
labels.py) with their `govcloud_` prefix or `key=` form taken off: region,
department, system, phase, request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from provisioner.rotation import issued_at

Labels = Mapping[str, str]


class SystemKey(NamedTuple):
    region: str
    department: str
    system: str

    def __str__(self) -> str:
        return f"{self.region}.{self.department}.{self.system}"


def key_of(labels: Labels) -> SystemKey | None:
    parts = [labels.get(name) for name in ("region", "department", "system")]
    return SystemKey(*parts) if all(parts) else None  # type: ignore[misc]


@dataclass(frozen=True)
class SecurityRule:
    """A Neutron security group rule; attribute names as openstacksdk's."""

    id: str
    direction: str                  # ingress | egress
    ethertype: str                  # IPv4 | IPv6
    protocol: str | None            # tcp, udp, icmp; None: every protocol
    port_range_min: int | None
    port_range_max: int | None
    remote_ip_prefix: str | None    # None with no remote group: any address
    remote_group_id: str | None = None


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    name: str
    project_id: str
    labels: Labels
    rules: tuple[SecurityRule, ...] = ()


@dataclass(frozen=True)
class Port:
    id: str
    device_id: str                  # the server's id for a server's port
    fixed_ips: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    port_security: bool = True      # False: Neutron filters nothing on it
    labels: Labels = field(default_factory=dict)


@dataclass(frozen=True)
class FloatingIp:
    id: str
    address: str
    port_id: str | None
    labels: Labels = field(default_factory=dict)


@dataclass(frozen=True)
class Server:
    id: str
    name: str
    image_id: str | None
    project_id: str
    labels: Labels


@dataclass(frozen=True)
class Image:
    id: str
    name: str
    created_at: datetime | None


@dataclass(frozen=True)
class Volume:
    id: str
    name: str
    size_gb: int
    project_id: str
    labels: Labels


@dataclass(frozen=True)
class Backup:
    id: str
    name: str
    volume_id: str
    status: str
    size_gb: int
    created_at: datetime | None


@dataclass(frozen=True)
class AppCredential:
    id: str
    name: str
    expires_at: datetime | None     # None: never expires

    @property
    def issued_at(self) -> datetime | None:
        """When govcloud issued it (its name says, provisioner/rotation.py); None if not govcloud's."""
        return issued_at(self.name)


@dataclass(frozen=True)
class Account:
    """A department's Keystone project and its own user (provisioner/program/tenant.py).

    Keystone keeps no creation time for users, passwords or application credentials
    that its API shows: how long a credential lives is read from when it expires."""

    region: str
    department: str
    project_id: str
    project_name: str
    user: str | None                # None: the project has no department user
    user_enabled: bool = True
    password_expires_at: datetime | None = None
    app_credentials: tuple[AppCredential, ...] = ()
    stacks_user: str | None = None  # the stacks account (tenant.py), whose credentials govcloud rotates
    stacks_credentials: tuple[AppCredential, ...] = ()


@dataclass(frozen=True)
class CloudFacts:
    servers: tuple[Server, ...] = ()
    ports: tuple[Port, ...] = ()
    floating_ips: tuple[FloatingIp, ...] = ()
    groups: tuple[SecurityGroup, ...] = ()
    volumes: tuple[Volume, ...] = ()
    backups: tuple[Backup, ...] = ()
    images: Mapping[str, Image] = field(default_factory=dict)     # by id
    accounts: tuple[Account, ...] = ()
