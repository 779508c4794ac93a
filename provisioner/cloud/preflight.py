"""Before anything is created: does the cloud offer what the requests name, and is there room?

Policy checks that each request names only catalogue items; this checks the
other half, that the provider's cloud actually has each flavor, image and
volume type the requests use, the external network every system's router
and elastic IPs hang on, and runs the service behind every kind the request
allocates (Octavia for load balancers, Manila for file shares, Swift for
buckets, Neutron's QoS for internet bandwidth), so an `up` does not fail
halfway with a stack to clean up. What the request asks for is the allocation
model's (provisioner.allocation), items and units each at their spec field. Then, once the departments' projects exist (after their tenant
stacks), that each project's quota on the cloud still holds what its requests
were granted beside whatever else is in the project (a quota lowered out of
band, servers or volumes made by hand).

Problems point at the line of the request spec's field that asks for the
missing thing (the spec's YAML tree, as validation locates its own problems),
cite the rule (art5: what the city procured; art15: allocate on demand) and
read Chinese first, with English alongside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import openstack
from openstack.connection import Connection

from provisioner.allocation import Allocation, Refusal, allocate
from provisioner.allocation import kinds
from provisioner.catalogue import Catalogue
from provisioner.cloud.messages import WORDS
from provisioner.errors import CloudError, Location, Problem
from provisioner.spec.findings import Finding
from provisioner.spec.findings import Path as FieldPath
from provisioner.spec.model import RequestSpec
from provisioner.spec.problems import position
from provisioner.spec.yamltree import Tree, read_yaml
from provisioner.naming import region_domain

from provisioner.allocation.quota import Quota
from provisioner.words import Text

T = TypeVar("T")

# The external network systems' routers and elastic IPs use: what
# provisioner/program/entry.py takes unless a stack sets govcloud:externalNetwork
# (govcloud renders no such key, so on every cloud it is this one).
EXTERNAL_NETWORK = "public"

# Quotas a department's requests draw on that the project shares with anything
# made by hand (network quotas hold only what the system stacks make).
MEASURES = ("instances", "cores", "ram_mb", "volumes", "gigabytes")
# The OpenStack service (Keystone catalog type) or Neutron extension each kind needs.
SERVICES = {kinds.LOAD_BALANCERS: "load-balancer", kinds.SHARES: "sharev2", kinds.OBJECT: "object-store"}
EXTENSIONS = {kinds.BANDWIDTH: "qos"}


@dataclass(frozen=True)
class Room:
    """A department project's quota on the cloud, and what is in it that no request declares."""

    limits: Mapping[str, int]       # measure -> limit; negative: unlimited
    others: Mapping[str, int]       # measure -> held by servers and volumes without govcloud labels


@dataclass(frozen=True)
class Offer:
    flavors: frozenset[str]
    images: frozenset[str]
    volume_types: frozenset[str]
    external_networks: frozenset[str] | None = None   # None: not read, not checked
    domains: frozenset[str] | None = None             # Keystone domains; None: not checked
    services: frozenset[str] | None = None            # Keystone catalog service types; None: not checked
    extensions: frozenset[str] | None = None          # Neutron extension aliases; None: not checked
    # The operator's connection the offer was read from: for what is read later, once
    # the tenant stacks ran (project_room) and after the system stacks (security groups).
    # None: neither quotas nor unmanaged rules are checked.
    conn: Connection | None = field(default=None, compare=False, repr=False)


def at_once(conn: Connection, *reads: Callable[[], T]) -> list[T]:
    """Run independent reads of the cloud at once on one connection (openstacksdk's own
    cloud layer does the same with its pool): on the dev cloud each read waits 0.2-0.5 s
    on a busy API, so five in a row cost about 2 s. The token is fetched first, once."""
    conn.authorize()
    with ThreadPoolExecutor(max_workers=len(reads)) as pool:
        return [future.result() for future in [pool.submit(read) for read in reads]]


def cloud_offer(conn: Connection) -> Offer:
    try:
        flavors, images, types, networks, domains, services, extensions = at_once(
            conn,
            lambda: frozenset(f.name for f in conn.compute.flavors()),
            lambda: frozenset(i.name for i in conn.image.images() if i.status == "active"),
            lambda: frozenset(t.name for t in conn.block_storage.types()),
            lambda: frozenset(n.name for n in conn.network.networks(is_router_external=True)),
            lambda: frozenset(d.name for d in conn.identity.domains()),
            lambda: frozenset(s.type for s in conn.identity.services() if s.is_enabled),
            lambda: frozenset(e.alias for e in conn.network.extensions()))
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("offer-read-failed", reason=exc)) from exc
    return Offer(flavors, images, types, networks, domains, services=services, extensions=extensions, conn=conn)


def project_room(conn: Connection, project_id: str, project_name: str) -> Room:
    """The project's compute and volume quotas, and what unlabelled servers and volumes hold."""
    try:
        compute, volume, servers, volumes = at_once(
            conn,
            lambda: conn.compute.get_quota_set(project_id),
            lambda: conn.block_storage.get_quota_set(project_id),
            lambda: list(conn.compute.servers(all_projects=True, project_id=project_id)),
            lambda: list(conn.block_storage.volumes(all_projects=True, project_id=project_id)))
    except openstack.exceptions.SDKException as exc:
        raise CloudError(WORDS("quota-read-failed", project=project_name, reason=exc)) from exc
    limits = {"instances": compute.instances, "cores": compute.cores, "ram_mb": compute.ram,
              "volumes": volume.volumes, "gigabytes": volume.gigabytes}
    others = dict.fromkeys(MEASURES, 0)
    for server in servers:
        if not _labelled(server.metadata):
            others["instances"] += 1
            others["cores"] += int(server.flavor.vcpus or 0)
            others["ram_mb"] += int(server.flavor.ram or 0)
    for volume_ in volumes:
        if not _labelled(volume_.metadata):
            others["volumes"] += 1
            others["gigabytes"] += int(volume_.size or 0)
    return Room({k: int(v) for k, v in limits.items()}, others)


def _labelled(metadata: Mapping[str, str] | None) -> bool:
    """Made by a govcloud stack: every server and volume carries govcloud_department."""
    return bool((metadata or {}).get("govcloud_department"))


# -- where in a spec -----------------------------------------------------------------------------

def spec_tree(root: Path | None, spec_path: str) -> Tree | None:
    """The spec's positions, read again from the file (None when it cannot be read)."""
    if root is None:
        return None
    try:
        text = (root / spec_path).read_text(encoding="utf-8")
    except OSError:
        return None
    return read_yaml(text)[0]


def locate(tree: Tree | None, spec_path: str, path: FieldPath, on_key: bool = False) -> Location:
    """The line and column of a field in the spec: its value, else its closest written parent."""
    line, column = position(Finding("cloud", path, on_key=on_key), tree)
    return Location(spec_path, line, column)


def _wanted(allocation: Allocation) -> Iterable[tuple[str, str, FieldPath]]:
    for server in allocation.servers:
        yield "flavor", server.flavor, server.path + ("flavor",)
        if server.image is not None:
            yield "image", server.image, server.path + ("image",)
    for disk in allocation.disks:
        if disk.volume_type:
            yield "volume type", disk.volume_type, disk.path + ("volume_type",)


def missing(spec: RequestSpec, spec_path: str, offer: Offer, root: Path | None = None,
            catalogue: Catalogue | None = None) -> list[Problem]:
    """What the spec asks for that the cloud lacks or does not build, each at its field's line
    (line 1 without `root`); with the catalogue also what it does not offer
    (cloud-unsupported), as validation reports it."""
    allocation = allocate(spec, catalogue or _catalogue(None))
    unsupported = [*(allocation.refusals if catalogue is not None else ()), *_not_running(allocation, offer)]
    have = {"flavor": offer.flavors, "image": offer.images, "volume type": offer.volume_types}
    found: list[tuple[str, str, FieldPath]] = []
    seen: set[tuple[str, str]] = set()
    for kind, name, path in _wanted(allocation):
        if name not in have[kind] and (kind, name) not in seen:
            seen.add((kind, name))
            found.append((kind, name, path))
    external = offer.external_networks
    if external is not None and EXTERNAL_NETWORK not in external:
        found.append(("external network", EXTERNAL_NETWORK, ("resources", "network")))
    if offer.domains is not None and region_domain(spec.region) not in offer.domains:
        found.append(("domain", region_domain(spec.region), ("applicant", "region")))
    if not found and not unsupported:
        return []
    tree = spec_tree(root, spec_path)
    return ([_missing_problem(kind, name, locate(tree, spec_path, path, on_key=kind == "external network"))
             for kind, name, path in found]
            + [unsupported_problem(r, locate(tree, spec_path, r.path)) for r in unsupported])


def _catalogue(catalogue: Catalogue | None) -> Catalogue:
    """The catalogue; without one, an empty catalogue (the items' names still count)."""
    return catalogue if catalogue is not None else Catalogue(flavors={}, images={}, volume_types={})


def _not_running(allocation: Allocation, offer: Offer) -> Iterable[Refusal]:
    """A refusal at the first unit of each kind whose service the cloud does not run."""
    absent = {kind: service for kind, service in SERVICES.items()
              if offer.services is not None and service not in offer.services}
    absent |= {kind: ext for kind, ext in EXTENSIONS.items()
               if offer.extensions is not None and ext not in offer.extensions}
    seen = set()
    for unit in allocation.units:
        service = absent.get(unit.kind)
        if service is None or unit.kind in seen:
            continue
        seen.add(unit.kind)
        yield Refusal(unit.path, unit.kind.name, WORDS("service-not-running", service=WORDS(f"service-{service}")))


def unsupported_problem(refusal: Refusal, at: Location) -> Problem:
    """cloud-unsupported at the field (art5), in the words of policies/catalogue.yaml's rule."""
    return said_problem(at, "cloud-unsupported", "art5",
                        WORDS("cloud-unsupported", what=refusal.what, reason=refusal.reason))


def _missing_problem(kind: str, name: str, at: Location) -> Problem:
    if kind == "domain":
        text = WORDS("missing-domain", name=name)
    elif kind == "external network":
        text = WORDS("missing-external-network", name=name)
    else:
        text = WORDS("missing-item", name=name, kind=WORDS(f"kind-{kind.replace(' ', '-')}"))
    return said_problem(at, "cloud-missing", "art5", text)


def said_problem(at: Location, code: str, article: str, text: Text) -> Problem:
    """A problem whose message is a sentence of the table, in both languages (a Problem holds both)."""
    return Problem(at, code, text.render("zh"), article, text.render("en"))


# -- room in the department's project -----------------------------------------------------------

def _contributions(spec: RequestSpec, catalogue: Catalogue) -> dict[str, FieldPath]:
    """For each measure, the first field of the spec that asks for some of it."""
    allocation = allocate(spec, catalogue)
    found: dict[str, FieldPath] = {}
    for server in allocation.servers:
        found.setdefault("instances", server.path + ("count",) if server.database is None else server.path)
        for measure in ("cores", "ram_mb"):
            found.setdefault(measure, server.path + ("flavor",))
    for unit in allocation.of(kinds.BLOCK):
        for measure in ("volumes", "gigabytes"):
            found.setdefault(measure, unit.path)
    return found


@dataclass(frozen=True)
class Asking:
    """One request of a department being applied now: where it is, and what it is."""

    spec: RequestSpec
    spec_path: str


def over_quota(project: str, granted: Quota, room: Room, asking: list[Asking], root: Path | None = None,
               catalogue: Catalogue | None = None) -> list[Problem]:
    """Problems when the project's quota cannot hold the department's grant beside what else is there.

    `granted` is the department's total over all of its requests (what its tenant
    stack sets as quota); each problem points at the first field, among the
    requests being applied, that asks for the measure that does not fit.
    """
    problems = []
    catalogue = _catalogue(catalogue)
    for measure in MEASURES:
        limit, others, need = room.limits.get(measure, -1), room.others.get(measure, 0), getattr(granted, measure)
        if limit < 0 or need == 0 or others + need <= limit:
            continue
        where = next(((item, item_path) for item in asking
                      if (item_path := _contributions(item.spec, catalogue).get(measure)) is not None), None)
        if where is None:
            continue   # nothing being applied now asks for it
        item, path = where
        at = locate(spec_tree(root, item.spec_path), item.spec_path, path)
        taken = WORDS("quota-taken", others=others) if others else ""
        problems.append(said_problem(at, "cloud-quota", "art15", WORDS(
            "over-quota", project=project, measure=WORDS(f"measure-{measure}"), limit=limit, taken=taken, need=need)))
    return problems
