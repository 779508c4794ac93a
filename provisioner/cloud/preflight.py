"""Before anything is created: does the cloud offer what the requests name?

Policy checks that each request names only catalogue items; this checks the
other half, that the provider's cloud actually has each flavor, image and
volume type the requests use, so an `up` does not fail halfway with a stack
to clean up. Problems point at the request spec that names the missing item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import openstack
from openstack.connection import Connection

from provisioner.errors import CloudError, Problem
from provisioner.spec.model import RequestSpec


@dataclass(frozen=True)
class Offer:
    flavors: frozenset[str]
    images: frozenset[str]
    volume_types: frozenset[str]


def cloud_offer(conn: Connection) -> Offer:
    try:
        return Offer(frozenset(f.name for f in conn.compute.flavors()),
                     frozenset(i.name for i in conn.image.images() if i.status == "active"),
                     frozenset(t.name for t in conn.block_storage.types()))
    except openstack.exceptions.SDKException as exc:
        raise CloudError(f"cannot read the cloud's flavors, images and volume types: {exc}") from exc


def _wanted(spec: RequestSpec) -> Iterable[tuple[str, str]]:
    resources = spec.resources
    for host in resources.hosts:
        yield "flavor", host.flavor
        yield "image", host.image
        for disk in host.data_disks:
            if disk.volume_type:
                yield "volume type", disk.volume_type
    for database in resources.databases:
        yield "flavor", database.flavor
    for volume in resources.storage.volumes:
        if volume.volume_type:
            yield "volume type", volume.volume_type


def missing(spec: RequestSpec, spec_path: str, offer: Offer) -> list[Problem]:
    have = {"flavor": offer.flavors, "image": offer.images, "volume type": offer.volume_types}
    return [Problem.at(spec_path, "cloud-missing",
                       f"the cloud offers no {kind} named {name!r}; ask the provider, or choose one "
                       f"it offers")
            for kind, name in sorted(set(_wanted(spec))) if name not in have[kind]]
