"""The operator's reads of the cloud for metering and billing (openstack_reads), from the settings.

Shared by `govcloud exporter` and `govcloud bill`: plain REST on a keystoneauth1 session
(provisioner/metering/cloud_api.py), no openstacksdk. `connect` (openstacksdk) is for the commands
that use the SDK's resources (security_report).
"""

from __future__ import annotations

from typing import Any

from provisioner.settings import Settings


def cloud_reads(settings: Settings) -> Any:
    """The operator's listings of the cloud (openstack_reads.CloudReads), shared by a collection's sources."""
    from provisioner.metering.cloud_api import CloudApi
    from provisioner.metering.openstack_reads import CloudReads
    databases = frozenset(settings.policies.catalogue.database_flavors)
    # The timeout bounds every call, as the SDK connection's api_timeout did (an exporter --once on a silent cloud)
    return CloudReads(lambda: CloudApi.connect(settings.clouds_file, settings.cloud, settings.cloud_timeout), databases)


def connect(settings: Settings) -> Any:
    """The operator's openstacksdk connection (every call times out after GOVCLOUD_CLOUD_TIMEOUT)."""
    from openstack.connection import Connection

    from provisioner.cloud.credentials import entry as clouds_entry
    # That entry alone: no OS_* of the shell. The timeout goes into the entry: beside config=,
    # Connection's own api_timeout is ignored (seen: an exporter --once hanging on a silent cloud).
    entry = clouds_entry(settings.clouds_file, settings.cloud, api_timeout=settings.cloud_timeout)
    return Connection(config=entry)


def inventory_source(spec: str, reads: Any) -> Any:
    """`--inventory openstack|none`: an OpenStackInventory over `reads`, or None."""
    if spec == "none":
        return None
    from provisioner.metering.openstack_reads import OpenStackInventory
    return OpenStackInventory(reads)
