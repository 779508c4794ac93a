"""policies/handover.yaml: how long the provider keeps a terminated system's final backups
(art25, art19). Read through the one policy reader (provisioner.policy.files, Settings.policies
.handover); every problem at its file:line (PolicyConfigError, exit 1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from provisioner.policy import files

HANDOVER = "handover.yaml"
ARTICLE = "art25"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Backups(_Closed):
    retention_days: int = Field(ge=1, le=3650, description="days the provider keeps the final backups")


class HandoverFile(_Closed):
    version: Literal[1]
    backups: _Backups


@dataclass(frozen=True)
class Retention:
    days: int
    where: str          # policies/handover.yaml:<line>, cited in the record


def parse_retention(text: str) -> Retention:
    value, tree, problems = files.read(HandoverFile, text, HANDOVER, ARTICLE)
    if problems or value is None:
        raise files.PolicyConfigError(problems)
    line, _ = files.at(tree, ("backups", "retention_days"), False)
    return Retention(value.backups.retention_days, f"{files.shown(HANDOVER)}:{line}")
