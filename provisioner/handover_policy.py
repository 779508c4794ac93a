"""Read policies/handover.yaml: how long the provider keeps a terminated system's final
backups (art25, art19). Every problem is reported at its file:line (SpecError, exit 1)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from provisioner.billing.policyfile import line_of, parse, problem
from provisioner.errors import SpecError

HANDOVER_FILE = Path("policies") / "handover.yaml"
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


def parse_retention(text: str, shown: str = str(HANDOVER_FILE)) -> Retention:
    parsed = parse(HandoverFile, text, shown, ARTICLE, code="handover")
    return Retention(parsed.backups.retention_days, f"{shown}:{line_of(text, ['backups', 'retention_days'])}")


def load_retention(root: Path) -> Retention:
    path = root / HANDOVER_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([problem(str(HANDOVER_FILE), 1, "handover-unreadable", f"无法读取：{exc}",
                                 f"cannot be read: {exc}", ARTICLE)]) from exc
    return parse_retention(text)
