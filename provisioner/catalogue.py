"""The procured service catalogue (policies/catalogue.yaml): flavors, images, volume types, databases.

`flavors` are the cloud-host flavors (quota and billing read their vcpus, ram_mb,
disk_gb); `database_flavors` the cloud-database specifications (gc.db.*), which
no host may use; `database_engines` the engines and versions the provider runs,
each with the package its database hosts install; `offers` what the provider's
cloud builds beyond hosts and volumes (a request asking for anything else is
refused at its line: provisioner.allocation). `rules` holds the catalogue's policy
rules. The file is read by provisioner.policy (Policies.catalogue).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from provisioner.spec.resources import Algorithm, ListenerProtocol, ShareProtocol, Zone
from provisioner.spec.security import SecurityService


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Flavor(_Closed):
    vcpus: int = Field(ge=1)
    ram_mb: int = Field(ge=256)
    disk_gb: int = Field(ge=1)
    title: str


class DatabaseFlavor(_Closed):
    vcpus: int = Field(ge=1)
    ram_mb: int = Field(ge=256)
    title: str


class Item(_Closed):
    title: str


class EngineVersion(_Closed):
    end_of_life: dt.date | None = Field(default=None, description="the vendor's end of support, if announced")
    package: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._+*:-]*$",
                         description="what cloud-init installs on the database hosts for this version")


class Engine(_Closed):
    title: str
    versions: dict[str, EngineVersion] = Field(min_length=1)


class LoadBalancerOffer(_Closed):
    """Octavia's provider driver decides: the OVN provider balances layer 4 only."""

    provider: str = Field(min_length=1, description="Octavia provider driver, e.g. ovn")
    protocols: list[ListenerProtocol] = Field(min_length=1)
    algorithms: list[Algorithm] = Field(min_length=1)


class ShareOffer(_Closed):
    protocols: list[ShareProtocol] = Field(min_length=1)
    share_type: str = Field(min_length=1, description="the Manila share type shares are made with")


class Offers(_Closed):
    """What the provider's cloud builds, by kind; a kind left out is not offered."""

    network_zones: dict[Zone, str] = Field(
        default_factory=lambda: {"extranet": "public", "internet": "public"},
        description="network zone -> the external network systems of that zone route to")
    internet_bandwidth: bool = Field(default=False, description="bandwidth limits on public IPs (Neutron QoS)")
    load_balancers: LoadBalancerOffer | None = None
    file_shares: ShareOffer | None = None
    security_services: list[SecurityService] = Field(default_factory=list,
                                                     description="provider-run services, delivered outside OpenStack")


class Catalogue(_Closed):
    flavors: dict[str, Flavor]
    images: dict[str, Item]
    volume_types: dict[str, Item]
    database_flavors: dict[str, DatabaseFlavor] = Field(default_factory=dict)
    database_engines: dict[str, Engine] = Field(default_factory=dict)
    offers: Offers = Field(default_factory=Offers)
    rules: dict[str, Any] = Field(default_factory=dict, description="policy rules (provisioner.policy)")
