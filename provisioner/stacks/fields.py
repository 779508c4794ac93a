"""Which field of a request spec a stack's resource comes from, by the program's naming
(provisioner/program/system.py: everything of a system is named `<system>-...`): drift and
repair report each resource at that field's line."""

from __future__ import annotations

import re

from provisioner.spec.findings import Path as FieldPath
from provisioner.spec.model import RequestSpec

# Fields reported at their key (a mapping) rather than a value.
KEYS = {("resources", "network"), ("resources", "security"), ("resources",),
        ("resources", "bandwidth", "public_ips")}


def field_of(spec: RequestSpec, resource: str) -> FieldPath:
    """The spec field a system stack's resource comes from, by the program's naming
    (provisioner/program/system.py: everything is named `<system>-...`)."""
    prefix = f"{spec.metadata.system}-"
    rest = resource.removeprefix(prefix)
    resources = spec.resources
    if match := re.fullmatch(r"sg-in(\d+)", rest):
        return ("resources", "security", "ingress", int(match.group(1)))
    if rest in ("sg", "sg-intra"):
        return ("resources", "security")
    if rest in ("net", "router", "router-if"):
        return ("resources", "network")
    if rest == "subnet":
        return ("resources", "network", "cidr")
    if re.fullmatch(r"eip\d+(-assoc)?", rest):
        return ("resources", "bandwidth", "public_ips")
    for index, database in enumerate(resources.databases):
        if rest.startswith(f"db-{database.name}-"):
            return ("resources", "databases", index)
    for index, host in enumerate(resources.hosts):
        if match := re.fullmatch(rf"{re.escape(host.name)}-(?:group|\d+(?:-port)?|\d+-data(\d+)(?:-attach)?)", rest):
            disk = match.group(1)
            if disk is not None:
                return ("resources", "hosts", index, "data_disks", int(disk) - 1)
            return ("resources", "hosts", index)
    for index, volume in enumerate(resources.storage.volumes):
        if rest == volume.name:
            return ("resources", "storage", "volumes", index)
    for index, bucket in enumerate(resources.storage.buckets):
        if rest == bucket.name:
            return ("resources", "storage", "buckets", index)
    return ("resources",)
