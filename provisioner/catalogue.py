"""The procured service catalogue (policies/catalogue.yaml): flavors, images, volume types, databases.

`flavors` are the cloud-host flavors (quota and billing read their vcpus, ram_mb,
disk_gb); `database_flavors` the cloud-database specifications (gc.db.*), which
no host may use; `database_engines` the engines and versions the provider runs.
`rules` holds the catalogue's policy rules, read by provisioner.policy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field


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


class Engine(_Closed):
    title: str
    versions: dict[str, EngineVersion] = Field(min_length=1)


class Catalogue(_Closed):
    flavors: dict[str, Flavor]
    images: dict[str, Item]
    volume_types: dict[str, Item]
    database_flavors: dict[str, DatabaseFlavor] = Field(default_factory=dict)
    database_engines: dict[str, Engine] = Field(default_factory=dict)
    rules: dict[str, Any] = Field(default_factory=dict, description="policy rules (provisioner.policy)")


def load_catalogue(root: Path) -> Catalogue:
    path = root / "policies" / "catalogue.yaml"
    return Catalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
