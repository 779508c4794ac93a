"""The labels every resource of a system carries (department, region, system, phase, request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Phase = Literal["trial", "production"]


@dataclass(frozen=True)
class Labels:
    region: str
    department: str
    system: str
    phase: Phase
    request_id: str

    @property
    def prefix(self) -> str:
        """Name prefix of the system's resources: unique per department project."""
        return self.system

    def metadata(self) -> dict[str, str]:
        """For Nova and Cinder metadata (volumes take no tags)."""
        return {
            "govcloud_region": self.region,
            "govcloud_department": self.department,
            "govcloud_system": self.system,
            "govcloud_phase": self.phase,
            "govcloud_request": self.request_id,
        }

    def tags(self) -> list[str]:
        """For Neutron and Nova tags, which are plain strings: `key=value`."""
        return sorted(f"{k.removeprefix('govcloud_')}={v}" for k, v in self.metadata().items())
