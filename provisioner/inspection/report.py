"""The inspection report's model: findings and facts per department and per system (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from provisioner.inspection.drift import Drifted
from provisioner.inspection.exposure import Exposure
from provisioner.inspection.facts import Account, SystemKey
from provisioner.errors import Location
from provisioner.policy.findings import PolicyFinding
from provisioner.policy.model import Severity

SEVERITY_ORDER = (Severity.MANDATORY, Severity.EXPERT_REVIEW, Severity.ADVISORY)


def at_or_above(severity: Severity, threshold: Severity) -> bool:
    return SEVERITY_ORDER.index(severity) <= SEVERITY_ORDER.index(threshold)


NOWHERE = Location("", 0, 0)     # a cloud finding with no request field to point at


@dataclass(frozen=True, order=True)
class InspectionFinding(PolicyFinding):
    """A policy finding (rule, severity, article, words) about what runs, not only about a request."""

    origin: str = "cloud"   # "cloud": read from the cloud; "request": the request's security baseline
    resource_kind: str = ""     # the kind of cloud resource it concerns: volume, server, floating_ip, ...
    resource: str = ""          # which: its name (id), e.g. "yjzh-data (5f0c...)"

    @property
    def where(self) -> str:
        """The request's file:line:column it concerns, if any."""
        return str(self.location) if self.location.path else ""

    @property
    def order(self) -> tuple:
        return (SEVERITY_ORDER.index(self.severity), self.rule, self.location, self.resource_kind, self.resource,
                self.message_en)


@dataclass(frozen=True)
class VolumeRow:
    name: str
    id: str
    size_gb: int
    backups: int                        # every backup Cinder holds of it
    last_verified: datetime | None      # the newest available backup as large as the volume
    last_verified_id: str = ""
    required: bool = False              # the request asks for backups


@dataclass(frozen=True)
class ImageRow:
    server: str
    image: str                          # its name in Glance, or its id when Glance no longer has it
    image_id: str
    created_at: datetime | None
    age_days: int | None
    catalogued: bool


@dataclass(frozen=True)
class SystemReport:
    key: SystemKey
    name: str                           # the request's metadata.name, or "" without a request
    spec_path: str | None
    phase: str
    in_cloud: bool
    mlps_level: int | None
    services: tuple[str, ...]
    backup: tuple[str, int] | None      # (schedule, retention days) the request asks for; None: none
    exposures: tuple[Exposure, ...]
    volumes: tuple[VolumeRow, ...]
    images: tuple[ImageRow, ...]
    drift: tuple[Drifted, ...]
    findings: tuple[InspectionFinding, ...]


@dataclass(frozen=True)
class DepartmentReport:
    region: str
    department: str
    name: str
    account: Account | None
    findings: tuple[InspectionFinding, ...]


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    cloud: str
    department: str | None              # the one department inspected, None: all
    departments: tuple[DepartmentReport, ...]
    systems: tuple[SystemReport, ...]

    def findings(self) -> list[InspectionFinding]:
        return [f for d in self.departments for f in d.findings] + [f for s in self.systems for f in s.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings() if f.severity is severity)

    def failing(self, threshold: Severity) -> int:
        """How many findings are at or above `threshold`: the command exits 1 when any are."""
        return sum(1 for f in self.findings() if at_or_above(f.severity, threshold))
