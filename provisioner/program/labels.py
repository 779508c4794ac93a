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

    def metadata(self, field: str | None = None) -> dict[str, str]:
        """For Nova, Cinder and Manila metadata (volumes take no tags); `field` is the spec field
        the resource serves (provisioner.allocation.dotted), so what is found in the cloud is
        located in its request without parsing names."""
        labels = {
            "govcloud_region": self.region,
            "govcloud_department": self.department,
            "govcloud_system": self.system,
            "govcloud_phase": self.phase,
            "govcloud_request": self.request_id,
        }
        if field:
            labels["govcloud_field"] = field
        return labels

    def tags(self, field: str | None = None) -> list[str]:
        """For Neutron, Nova and Octavia tags, which are plain strings: `key=value`.

        A tag is at most 60 characters in Nova (255 in Neutron): the longest field a request can
        produce, `bandwidth.load_balancers[15].listeners[15]`, is 48 with its `field=`."""
        return sorted(f"{k.removeprefix('govcloud_')}={v}" for k, v in self.metadata(field).items())
