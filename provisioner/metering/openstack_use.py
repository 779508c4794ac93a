"""The real utilisation source: what OpenStack shows in use, per govcloud system (edge).

  compute/cores, compute/ram   Nova `os-simple-tenant-usage?detailed=1` over the window: the
                               hours each server existed in it (also servers deleted meanwhile),
                               times its vCPUs and RAM; plus its local disk for volumev3
  database/instances           the same for servers of a database flavor (gc.db.*: the
                               documented database-on-a-host pattern), one instance each
  volumev3/capacity            Cinder volumes of all projects, `in-use` (attached) ones
  network/floating_ips         Neutron floating IPs that are associated with a port

Servers and volumes are matched to systems by their metadata `govcloud_region`,
`govcloud_department`, `govcloud_system`; floating IPs by their tags `region=...` etc.
(provisioner.program.labels). The listings are openstack_reads.CloudReads', shared with
the inventory of the same collection: each kind is listed once. Volumes and floating IPs are sampled: the state seen at the
end of the window is taken for the whole window, so keep windows short (the exporter's
interval). Server diagnostics are not used: under Nova's fake driver they are constants.
Object storage is not measured here (Swift's per-account usage needs a reseller role).

The request is made with `detailed=1` (openstacksdk's `usages(detailed=True)` sent a value Nova
ignores), at the base microversion (no pagination).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import timezone
from typing import Any

from provisioner.errors import CloudError
from provisioner.metering.cloud_api import CloudApi
from provisioner.metering.openstack_reads import USED_KINDS, CloudReads
from provisioner.metering.messages import WORDS
from provisioner.metering.resources import BLOCK, CORES, DATABASES, FLOATING_IPS, RAM
from provisioner.metering.utilisation import Observation, Usage, Window

_NOVA_TIME = "%Y-%m-%dT%H:%M:%S.%f"


class OpenStackUtilisation:
    name = "openstack"
    measured = frozenset({CORES.key, RAM.key, BLOCK.key, FLOATING_IPS.key, DATABASES.key})

    def __init__(self, connect: Callable[[], CloudApi] | CloudReads, database_flavors: frozenset[str] = frozenset()) -> None:
        self.reads = connect if isinstance(connect, CloudReads) else CloudReads(connect, database_flavors)

    def observe(self, window: Window, granted: Usage) -> Observation:
        listing = self.reads.listing(window.end, USED_KINDS)
        used: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        owners = {s.id: s.system_key for s in listing["server"]}
        unattributed = self._servers(window, owners, used)
        seconds = window.seconds
        for volume in listing["volume"]:
            key = volume.system_key
            if volume.in_use:
                if key is None:
                    unattributed += 1
                else:
                    used[key][BLOCK.key] += dict(volume.holds)[BLOCK.key] * seconds
        for ip in listing["floating_ip"]:
            key = ip.system_key
            if ip.in_use:
                if key is None:
                    unattributed += 1
                else:
                    used[key][FLOATING_IPS.key] += seconds
        return Observation(window, {k: dict(v) for k, v in used.items()}, self.measured, unattributed)

    def _servers(self, window: Window, owners: Mapping[str, str | None], used: dict[str, dict[str, float]]) -> int:
        params = {"detailed": 1, "start": _nova(window.start), "end": _nova(window.end)}
        response = self.reads.call(lambda conn: conn.tenant_usage(params))
        if response.status_code != 200:
            raise CloudError(WORDS("nova-usage-refused", status=response.status_code, body=response.text[:200]))
        unattributed = 0
        for tenant in response.json().get("tenant_usages", []):
            for server in tenant.get("server_usages", []):
                key = owners.get(server["instance_id"])
                if key is None:
                    unattributed += 1
                    continue
                # Nova counts a running server up to its own clock, so a window past it (GOVCLOUD_NOW
                # ahead of the cloud) comes back as negative hours: a server is used for no less than
                # none of the window and no more than all of it.
                seconds = min(max(float(server["hours"]) * 3600, 0.0), window.seconds)
                if server.get("flavor") in self.reads.database_flavors:
                    used[key][DATABASES.key] += seconds      # its host is part of the instance's price
                else:
                    used[key][CORES.key] += server["vcpus"] * seconds
                    used[key][RAM.key] += server["memory_mb"] / 1024 * seconds
                    used[key][BLOCK.key] += server["local_gb"] * seconds
        return unattributed


def _nova(moment: Any) -> str:
    return moment.astimezone(timezone.utc).strftime(_NOVA_TIME)
