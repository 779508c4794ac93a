"""The data of a terminating system that Cinder backups do not hold (art25): its Swift
containers and Manila shares, read from the cloud for the hand-over record.

govcloud does not copy them: a container's objects and a share's files are the unit's to
export (swift download, a mount of the share) before it confirms the record; the stack's
destroy then deletes them (a container that still holds objects makes the destroy fail,
so nothing in one is lost silently). Which ones belong to the system comes from its stack's
state, not from names.
"""

from __future__ import annotations

from typing import Any

import openstack
from openstack.connection import Connection

from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError

CONTAINER = "openstack:objectstorage/container:Container"
SHARE = "openstack:sharedfilesystem/share:Share"


def data_to_export(conn: Connection, resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per container and share in the stack's `resources` (`pulumi stack export`)."""
    try:
        return [_describe(conn, r) for r in resources if r.get("type") in (CONTAINER, SHARE)]
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("handover-read-failed", reason=exc)) from exc


def _describe(conn: Connection, resource: dict[str, Any]) -> dict[str, Any]:
    outputs = resource.get("outputs") or {}
    if resource["type"] == CONTAINER:
        name = str(outputs.get("name") or resource.get("id"))
        try:
            held = conn.object_store.get_container_metadata(name)
        except openstack.exceptions.NotFoundException:
            return {"kind": "swift-container", "name": name, "id": name, "size": "not found in the cloud"}
        return {"kind": "swift-container", "name": name, "id": name,
                "size": f"{held.object_count or 0} objects, {held.bytes_used or 0} bytes", "where": "swift"}
    share_id = str(resource.get("id"))
    try:
        share = conn.shared_file_system.get_share(share_id)
    except openstack.exceptions.NotFoundException:
        return {"kind": "manila-share", "name": str(outputs.get("name") or share_id), "id": share_id,
                "size": "not found in the cloud"}
    paths = sorted(str(e.path) for e in conn.shared_file_system.export_locations(share_id) if e.path)
    return {"kind": "manila-share", "name": share.name, "id": share.id, "size": f"{share.size} GB",
            "where": f"{share.share_proto} {', '.join(paths)}" if paths else str(share.share_proto)}
