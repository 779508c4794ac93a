"""What a request asks for, in the measures the on-demand limits are set in (art15; pure).

Hosts and databases count through their catalogue flavors (a database standby
counts twice); a flavor missing from the catalogue counts nothing here, the
catalogue rules report it. Besides each total, the place of its largest part:
a finding points there, since that is where cutting helps most.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from provisioner.catalogue import Catalogue
from provisioner.policy.model import MEASURES
from provisioner.spec.findings import Path, Words
from provisioner.spec.model import RequestSpec

MEASURE_WORDS: dict[str, Words] = {
    "hosts": Words("云主机台数", "hosts"),
    "vcpus": Words("vCPU 核数", "vCPUs"),
    "ram_gb": Words("内存（GB）", "GB of memory"),
    "block_storage_gb": Words("块存储和文件存储（GB）", "GB of block and file storage"),
    "database_storage_gb": Words("数据库存储（GB，主备计两份）", "GB of database storage (a standby counts twice)"),
    "object_storage_gb": Words("对象存储（GB）", "GB of object storage"),
    "internet_mbps": Words("互联网带宽（Mbps）", "Mbps of internet bandwidth"),
    "public_ips": Words("弹性公网 IP 数", "public IPs"),
    "load_balancers": Words("负载均衡数", "load balancers"),
}

Totals = dict[str, float]


@dataclass(frozen=True)
class Usage:
    totals: Totals
    largest: dict[str, Path] = field(default_factory=dict)   # measure -> where its largest part is


def usage(spec: RequestSpec, catalogue: Catalogue) -> Usage:
    parts: dict[str, list[tuple[float, Path]]] = {measure: [] for measure in MEASURES}
    for measure, amount, path in _parts(spec, catalogue):
        if amount:
            parts[measure].append((amount, path))
    totals = {measure: float(sum(amount for amount, _ in found)) for measure, found in parts.items()}
    largest = {measure: max(found, key=lambda part: part[0])[1] for measure, found in parts.items() if found}
    return Usage(totals, largest)


def _parts(spec: RequestSpec, catalogue: Catalogue) -> Iterable[tuple[str, float, Path]]:
    resources = spec.resources
    for index, host in enumerate(resources.hosts):
        at = ("resources", "hosts", index)
        yield "hosts", host.count, at + ("count",)
        flavor = catalogue.flavors.get(host.flavor)
        if flavor is not None:
            yield "vcpus", host.count * flavor.vcpus, at + ("count",)
            yield "ram_gb", host.count * flavor.ram_mb / 1024, at + ("count",)
        yield "block_storage_gb", host.count * sum(d.size_gb for d in host.data_disks), at + ("data_disks",)
    for index, database in enumerate(resources.databases):
        at = ("resources", "databases", index)
        copies = 2 if database.high_availability else 1
        flavor = catalogue.database_flavors.get(database.flavor)
        if flavor is not None:
            yield "vcpus", copies * flavor.vcpus, at + ("flavor",)
            yield "ram_gb", copies * flavor.ram_mb / 1024, at + ("flavor",)
        yield "database_storage_gb", copies * database.storage_gb, at + ("storage_gb",)
    storage = resources.storage
    for index, volume in enumerate(storage.volumes):
        yield "block_storage_gb", volume.size_gb, ("resources", "storage", "volumes", index, "size_gb")
    for index, share in enumerate(storage.shares):
        yield "block_storage_gb", share.size_gb, ("resources", "storage", "shares", index, "size_gb")
    for index, bucket in enumerate(storage.buckets):
        yield "object_storage_gb", bucket.quota_gb, ("resources", "storage", "buckets", index, "quota_gb")
    bandwidth = resources.bandwidth
    for measure in ("internet_mbps", "public_ips", "load_balancers"):
        yield measure, getattr(bandwidth, measure), ("resources", "bandwidth", measure)


def add(a: Totals, b: Totals) -> Totals:
    return {measure: a.get(measure, 0.0) + b.get(measure, 0.0) for measure in MEASURES}


def subtract(a: Totals, b: Totals) -> Totals:
    return {measure: a.get(measure, 0.0) - b.get(measure, 0.0) for measure in MEASURES}


def number(value: float) -> str:
    """2.0 -> 2, 2.5 -> 2.5: amounts as people write them."""
    return f"{value:g}" if value != int(value) else str(int(value))
