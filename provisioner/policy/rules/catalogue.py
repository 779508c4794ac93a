"""art5: the city procured one catalogue (统一的政务云服务标准、价格); requests name only what is in it,
and ask only for what the provider's cloud builds (the catalogue's `offers`, judged by the
allocation model: a field it cannot build is refused, never silently dropped)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from provisioner.policy.findings import Hit
from provisioner.policy.rules.context import Context, did_you_mean, listing
from provisioner.spec.findings import Finding, Path

if TYPE_CHECKING:
    from provisioner.spec.model import RequestSpec

PARAMS = {
    "catalogue-flavor": {"suggestion", "choices"},
    "catalogue-database-flavor": {"suggestion", "choices"},
    "catalogue-image": {"suggestion", "choices"},
    "catalogue-volume-type": {"suggestion", "choices"},
    "catalogue-database-engine": {"engine", "choices"},
    "catalogue-database-end-of-life": {"engine", "end_of_life", "choices"},
    "cloud-unsupported": {"what", "reason"},
}


def check_catalogue(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    catalogue = ctx.policies.catalogue
    resources = spec.resources
    for index, host in enumerate(resources.hosts):
        at = ("resources", "hosts", index)
        yield from _named("catalogue-flavor", at + ("flavor",), host.flavor, catalogue.flavors)
        yield from _named("catalogue-image", at + ("image",), host.image, catalogue.images)
        for disk_index, disk in enumerate(host.data_disks):
            yield from _named("catalogue-volume-type", at + ("data_disks", disk_index, "volume_type"),
                              disk.volume_type, catalogue.volume_types)
    for index, volume in enumerate(resources.storage.volumes):
        yield from _named("catalogue-volume-type", ("resources", "storage", "volumes", index, "volume_type"),
                          volume.volume_type, catalogue.volume_types)
    for index, database in enumerate(resources.databases):
        at = ("resources", "databases", index)
        yield from _named("catalogue-database-flavor", at + ("flavor",), database.flavor, catalogue.database_flavors)
        yield from _engine(database.engine, database.version, at + ("version",), ctx)


def _named(rule: str, path: Path, value: str | None, known: Mapping[str, Any]) -> Iterator[Hit]:
    if value is None or value in known:
        return
    yield Hit(rule, Finding(rule, path, {"input": value, "suggestion": did_you_mean(value, known),
                                         "choices": listing(sorted(known), limit=20)}))


def _engine(engine_name: str, version: str, path: Path, ctx: Context) -> Iterator[Hit]:
    engine = ctx.policies.catalogue.database_engines.get(engine_name)
    title = engine.title if engine is not None else engine_name
    versions = engine.versions if engine is not None else {}
    supported = [v for v, info in versions.items() if info.end_of_life is None or info.end_of_life > ctx.today]
    if version not in versions:
        rule = "catalogue-database-engine"
        yield Hit(rule, Finding(rule, path, {"input": version, "engine": title, "choices": listing(list(versions))}))
        return
    end = versions[version].end_of_life
    if end is not None and end <= ctx.today:
        rule = "catalogue-database-end-of-life"
        yield Hit(rule, Finding(rule, path, {"input": version, "engine": title, "end_of_life": end.isoformat(),
                                             "choices": listing(supported)}))


def check_offers(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    rule = "cloud-unsupported"
    for refusal in ctx.allocation(spec).refusals:
        yield Hit(rule, Finding(rule, refusal.path, {"what": refusal.what, "reason": refusal.reason}))


CHECKS = (check_catalogue, check_offers)
