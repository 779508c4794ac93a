"""Which resources of a stack hold a unit's data (art19, art25): made again, they come back
empty, so nothing remakes them on its own (`govcloud repair`, `apply --refresh`)."""

from __future__ import annotations

VOLUME = "openstack:blockstorage/volume:Volume"
CONTAINER = "openstack:objectstorage/container:Container"
SHARE = "openstack:sharedfilesystem/share:Share"
DATA_TYPES = frozenset({VOLUME, CONTAINER, SHARE})


def holds_data(resource: dict) -> bool:
    """A data volume, a database's volume, a container or a share, from its state entry. A system
    disk (a volume made from an image) holds the operating system, which the image makes again."""
    if resource.get("type") not in DATA_TYPES:
        return False
    state = {**(resource.get("inputs") or {}), **(resource.get("outputs") or {})}
    return not (resource.get("type") == VOLUME and state.get("imageId"))
