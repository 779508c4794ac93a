"""Server-side copies of Swift containers an approved change removes (art18, art19, art25).

A production system's containers are protected like its data volumes; a change that drops one is
carried out as one that drops a data disk (provisioner/app/data_removal.py), with a copy in place of
a Cinder backup: every object is copied inside Swift (PUT with X-Copy-From, nothing goes through
govcloud; openstacksdk 4.22's `copy_object` is not implemented) into `<system>-removed-<container>`
in the same project, carrying the source's govcloud labels (so the copy is the system's, art25,
and the inventory accounts for it). The copy is verified object by object (name, bytes, etag from
the listings) and as a whole (object count and bytes, read by HEAD on both) before anything is
released; any failure raises CloudError with the source untouched.

The program sets no `force_destroy` on containers, so Swift refuses (409) to delete one that holds
objects, and the termination flow relies on that. Once the copy is verified and protection lifted,
`empty_copied` deletes from the source exactly the objects the copy holds as they are; an object
written meanwhile stays, and the provider's delete then fails (409) rather than lose it.

A large object (a DLO/SLO manifest) is copied whole, as Swift's COPY of a manifest does; the whole
object's etag is not the manifest's, so its verification fails and nothing is released: the unit
exports such a container itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import openstack
from openstack.connection import Connection

from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError
from provisioner.lifecycle.removed_data import CONTAINER_COPY
from provisioner.words import Text

SETTLE_SECONDS = 60               # Swift updates a container's counts after its objects' PUTs
_LABEL = "x-container-meta-govcloud-"


@dataclass(frozen=True)
class ContainerCopy:
    """What the department is told for one removed container (art25: the data is theirs)."""

    container: str                  # the source, as Swift names it
    copy: str                       # <system>-removed-<container>, same project
    objects: int
    bytes: int
    location: str = ""
    created_at: str = ""            # the copy container's X-Timestamp
    kind: str = CONTAINER_COPY      # what tells a container's copy from a volume's backup in a record


def copy_name(system: str, container: str) -> str:
    return f"{system}-removed-{container}"


Listing = dict[str, tuple[int, str]]       # object name -> (bytes, etag)


def to_copy(source: Listing, held: Listing | None, copy: str) -> list[str]:
    """The source's objects the copy still lacks. A copy container that holds anything else (an earlier
    removal of a container of that name, an object changed since) is not overwritten: CloudError."""
    held = held or {}
    other = sorted(name for name, seen in held.items() if source.get(name) != seen)
    if other:
        raise CloudError(WORDS("container-copy-exists", copy=copy, objects=", ".join(other[:5])))
    return [name for name in source if name not in held]


def check_copy(container: str, copy: str, source: Listing, copied: Listing,
               source_head: tuple[int, int], copy_head: tuple[int, int]) -> Text | None:
    """Why the copy does not hold the source as it is (None when it does): each object with the same
    bytes and etag, and the same object count and bytes on both containers' HEAD."""
    missing = sorted(name for name, seen in source.items() if copied.get(name) != seen)
    if missing:
        return WORDS("container-copy-missing", copy=copy, objects=", ".join(missing[:5]))
    if copy_head != source_head or copy_head != (len(source), sum(size for size, _ in source.values())):
        return WORDS("container-copy-counts", container=container, copy=copy, source=f"{source_head[0]}/{source_head[1]}",
                     made=f"{copy_head[0]}/{copy_head[1]}")
    return None


def copy_containers(conn: Connection, system: str, containers: list[str]) -> list[ContainerCopy]:
    """Copy and verify these containers of one system; `conn` is scoped to its project."""
    try:
        return [_copy(conn, system, name) for name in containers]
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("container-copy-failed", system=system, reason=exc)) from exc


def empty_copied(conn: Connection, copies: list[ContainerCopy]) -> None:
    """Delete from each source the objects its verified copy holds as they are (see the module's doc)."""
    try:
        for made in copies:
            held = _listing(conn, made.copy) or {}
            for name, seen in (_listing(conn, made.container) or {}).items():
                if held.get(name) == seen:
                    _check(conn.object_store.delete(_path(made.container, name)), ok=(204, 404))
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("container-empty-failed", reason=exc)) from exc


def _copy(conn: Connection, system: str, container: str) -> ContainerCopy:
    copy = copy_name(system, container)
    source = _listing(conn, container)
    if source is None:
        raise CloudError(WORDS("container-copy-no-source", container=container))
    held = _listing(conn, copy)
    if held is None:
        _check(conn.object_store.put(_path(copy), headers=_labels(conn, container, copy)), ok=(201, 202))
    for name in to_copy(source, held, copy):
        _check(conn.object_store.put(_path(copy, name), headers={"X-Copy-From": "/" + _path(container, name),
                                                                 "Content-Length": "0"}), ok=(201,))
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        why = check_copy(container, copy, source, _listing(conn, copy) or {}, _head(conn, container), _head(conn, copy))
        if why is None:
            break
        if time.monotonic() > deadline:
            raise CloudError(WORDS("container-copy-unverified", reason=why))
        time.sleep(2)
    made = conn.object_store.get_container_metadata(copy)
    return ContainerCopy(container, copy, len(source), sum(size for size, _ in source.values()),
                         location=f"swift, project {conn.current_project_id}, container {copy}",
                         created_at=str(made.timestamp or ""))


def _listing(conn: Connection, container: str) -> Listing | None:
    """Every object of the container (name -> bytes, etag); None when there is no such container."""
    try:
        return {str(o.name): (int(o.content_length or 0), str(o.etag or "")) for o in conn.object_store.objects(container)}
    except openstack.exceptions.NotFoundException:
        return None


def _head(conn: Connection, container: str) -> tuple[int, int]:
    held = conn.object_store.get_container_metadata(container)
    return int(held.object_count or 0), int(held.bytes_used or 0)


def _labels(conn: Connection, container: str, copy: str) -> dict[str, str]:
    """The source's govcloud labels, and where the copy comes from."""
    response = conn.object_store.head(_path(container))
    _check(response, ok=(200, 204))
    labels = {k: v for k, v in response.headers.items() if k.lower().startswith(_LABEL) and k.lower() != _LABEL + "field"}
    return {**labels, "X-Container-Meta-Govcloud-Removed-From": container}


def _path(container: str, name: str | None = None) -> str:
    return quote(container, safe="") + ("" if name is None else "/" + quote(name, safe=""))


def _check(response: Any, ok: tuple[int, ...]) -> None:
    if response.status_code not in ok:
        openstack.exceptions.raise_from_response(response)
        raise openstack.exceptions.HttpException(response=response)
