"""The operator's reads of the cloud for metering and billing (openstack_reads), from the settings.

Shared by `govcloud exporter` and `govcloud bill`; openstacksdk is imported only when a
connection is made.
"""

from __future__ import annotations

from typing import Any

from provisioner.settings import Settings


def cloud_reads(settings: Settings) -> Any:
    """The operator's listings of the cloud (openstack_reads.CloudReads), shared by a collection's sources."""
    from provisioner.metering.openstack_reads import CloudReads
    databases = frozenset(settings.policies.catalogue.database_flavors)
    return CloudReads(lambda: connect(settings), databases, lambda project_id: connect(settings, project_id))


def connect(settings: Settings, project_id: str | None = None) -> Any:
    """The operator's connection (every call times out after GOVCLOUD_CLOUD_TIMEOUT); in a department's
    project when asked."""
    import openstack
    from openstack.connection import Connection

    from provisioner.cloud.credentials import entry as clouds_entry
    # That entry alone: no OS_* of the shell. The timeout goes into the entry: beside config=,
    # Connection's own api_timeout is ignored (seen: an exporter --once hanging on a silent cloud).
    entry = clouds_entry(settings.clouds_file, settings.cloud, api_timeout=settings.cloud_timeout)
    if project_id is None:
        return Connection(config=entry)
    auth = entry.config["auth"]     # scoped by spelling the credentials out (provisioner.cloud.credentials)
    return openstack.connect(auth_url=auth["auth_url"], username=auth["username"], password=auth["password"],
                             user_domain_name=auth.get("user_domain_name") or "Default", project_id=project_id,
                             region_name=entry.region_name or None, api_timeout=settings.cloud_timeout,
                             load_yaml_config=False, load_envvars=False)


def inventory_source(spec: str, reads: Any) -> Any:
    """`--inventory openstack|none`: an OpenStackInventory over `reads`, or None."""
    if spec == "none":
        return None
    from provisioner.metering.openstack_reads import OpenStackInventory
    return OpenStackInventory(reads)
