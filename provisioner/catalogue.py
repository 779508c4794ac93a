"""The procured service catalogue (policies/catalogue.yaml): flavors, images, volume types."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field


class Flavor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    vcpus: int = Field(ge=1)
    ram_mb: int = Field(ge=256)
    disk_gb: int = Field(ge=1)
    title: str


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    flavors: dict[str, Flavor]
    images: dict[str, Item]
    volume_types: dict[str, Item]


def load_catalogue(root: Path) -> Catalogue:
    path = root / "policies" / "catalogue.yaml"
    return Catalogue.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
