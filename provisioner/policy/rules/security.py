"""The security baseline (art20 and MLPS 2.0; art12 data protection, art13 backups, art26 logs).

Network exposure: from the internet (any source outside the trusted ranges,
0.0.0.0/0 and ::/0 first of all) never an administration or database port, and
nothing but HTTPS (a plain-HTTP redirect is tolerated, with an advisory).
MLPS level 3: hosts spread by anti-affinity, audited operations, national
cryptography. Every system: backups kept long enough, encryption in transit.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from provisioner.allocation.kinds import SECURITY
from provisioner.policy.findings import Hit
from provisioner.policy.messages import WORDS
from provisioner.policy.rules.context import Context, listing
from provisioner.policy.model import SecurityBaseline
from provisioner.spec import formats
from provisioner.spec.findings import Finding
from provisioner.spec.messages import Names
from provisioner.words import Text

if TYPE_CHECKING:
    from provisioner.spec.model import RequestSpec

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_SECURITY = ("resources", "security")
_LEVEL = _SECURITY + ("mlps_level",)
_INTERVAL_DAYS = {"daily": 1, "weekly": 7}


PARAMS = {
    "sec-admin-port-open": {"port", "service"},
    "sec-internet-https-only": {"what", "allowed"},
    "sec-internet-http-redirect": {"what"},
    "sec-mlps3-anti-affinity": {"min", "role"},
    "sec-mlps3-audit-services": {"missing"},
    "sec-national-crypto": {"expected"},
    "sec-backup-missing": {"level"},
    "sec-backup-daily": {"schedule"},
    "sec-backup-retention": {"min"},
    "sec-encryption-at-rest": {"level"},
    "sec-encryption-in-transit": set(),
    "sec-public-bucket": {"bucket"},
}


@lru_cache(maxsize=16)
def _networks(sources: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(source) for source in sources)


def from_internet(network: Network, trusted: Sequence[str]) -> bool:
    """True unless the whole source network lies inside one of the trusted ranges."""
    return not any(network.version == own.version and network.subnet_of(own)  # type: ignore[arg-type]
                   for own in _networks(tuple(trusted)))


@lru_cache(maxsize=256)
def source_from_internet(source: str, trusted: tuple[str, ...]) -> bool:
    """from_internet for an ingress rule's source as a request writes it (a host bit set is
    allowed; the spec checked it is a network), judged once: requests repeat a few sources."""
    return from_internet(formats.network(source), trusted)


def judge_internet(protocol: str | None, low: int | None, high: int | None,
                   baseline: SecurityBaseline) -> tuple[str, list[int]]:
    """How the baseline judges ingress from the internet on `protocol` (None: any) ports
    low-high (None: every port): ("admin", the admin ports it covers), "allowed", "redirect"
    or "other". The request check below and the cloud inspection (provisioner/inspection)
    judge alike."""
    low, high = low or 1, high or 65535
    admin = [port for port in sorted(baseline.admin_ports) if protocol != "icmp" and low <= port <= high]
    if admin:
        return "admin", admin
    for verdict, listed in (("allowed", baseline.internet.allowed), ("redirect", baseline.internet.redirect)):
        if any(protocol == p.protocol and (low, high) == (p.port, p.port) for p in listed):
            return verdict, []
    return "other", []


def allowed_words(baseline: SecurityBaseline) -> Names:
    return listing([f"{p.protocol} {p.port} ({p.name})" for p in baseline.internet.allowed])


def check_ingress(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    baseline = ctx.policies.security
    trusted = tuple(baseline.trusted_sources)
    for index, rule in enumerate(spec.resources.security.ingress):
        if not source_from_internet(rule.source, trusted):
            continue
        at = _SECURITY + ("ingress", index, "source")
        verdict, admin = judge_internet(rule.protocol, *rule.port_range, baseline)
        if verdict == "admin":
            names = [baseline.admin_ports[port] for port in admin]
            yield _hit("sec-admin-port-open", at, rule.source, port=listing([str(p) for p in admin], limit=4),
                       service=listing(names, limit=4))
        elif verdict == "redirect":
            yield _hit("sec-internet-http-redirect", at, rule.source, what=ports_words(rule.protocol, *rule.port_range))
        elif verdict == "other":
            yield _hit("sec-internet-https-only", at, rule.source, what=ports_words(rule.protocol, *rule.port_range),
                       allowed=allowed_words(baseline))


def ports_words(protocol: str | None, low: int | None, high: int | None) -> Text | str:
    """`tcp 端口 22` / `tcp port 22`, a range, every port of a protocol, or every protocol (None)."""
    if protocol is None:
        return WORDS("ports-all")
    if protocol == "icmp":
        return "icmp"
    if low is None:
        return WORDS("ports-of-protocol", protocol=protocol)
    shown = str(low) if low == high or high is None else f"{low}-{high}"
    return WORDS("ports", protocol=protocol, ports=shown)


def _hit(rule: str, path: tuple, value: object, **params: object) -> Hit:
    return Hit(rule, Finding(rule, path, {"input": value, **params}))


def check_mlps3(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    security = spec.resources.security
    if security.mlps_level != 3:
        return
    mlps3 = ctx.policies.security.mlps3
    hosts = spec.resources.hosts
    if not any(h.anti_affinity and h.count >= mlps3.min_spread_hosts for h in hosts):
        index = max(range(len(hosts)), key=lambda i: hosts[i].count)  # the first of the largest roles
        rule = "sec-mlps3-anti-affinity"
        yield Hit(rule, Finding(rule, ("resources", "hosts", index, "anti_affinity"), {
            "min": mlps3.min_spread_hosts, "role": hosts[index].name}))
    missing = [service for service in mlps3.audit_services if service not in security.services]
    if missing:
        rule = "sec-mlps3-audit-services"
        yield Hit(rule, Finding(rule, _SECURITY + ("services",), near=_LEVEL, params={
            "missing": Names([WORDS("security-service", service=SECURITY[s].name, code=s) for s in missing])}))
    encryption = security.encryption
    if encryption is not None and mlps3.national_crypto and encryption.algorithm not in mlps3.national_crypto:
        rule = "sec-national-crypto"
        yield _hit(rule, _SECURITY + ("encryption", "algorithm"), encryption.algorithm,
                   expected=listing(mlps3.national_crypto))


def check_backup(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    baseline = ctx.policies.security.backup
    security = spec.resources.security
    backup = security.backup
    at = _SECURITY + ("backup",)
    if backup is None:
        rule = "sec-backup-missing"
        yield Hit(rule, Finding(rule, at, near=_LEVEL, params={"level": security.mlps_level}))
    else:
        if _INTERVAL_DAYS[backup.schedule] > _INTERVAL_DAYS[baseline.schedule]:
            yield _hit("sec-backup-daily", at + ("schedule",), backup.schedule, schedule=baseline.schedule)
        if backup.retention_days < baseline.min_retention_days:
            yield _hit("sec-backup-retention", at + ("retention_days",), backup.retention_days,
                       min=baseline.min_retention_days)
    for index, database in enumerate(spec.resources.databases):
        if database.backup.retention_days < baseline.min_retention_days:
            yield _hit("sec-backup-retention", ("resources", "databases", index, "backup", "retention_days"),
                       database.backup.retention_days, min=baseline.min_retention_days)


def check_encryption(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    security = spec.resources.security
    encryption = security.encryption
    at = _SECURITY + ("encryption",)
    if security.mlps_level in ctx.policies.security.encryption.at_rest_levels and (
            encryption is None or not encryption.at_rest):
        rule = "sec-encryption-at-rest"
        yield Hit(rule, Finding(rule, at + ("at_rest",), near=_LEVEL, params={"level": security.mlps_level}))
    if encryption is not None and not encryption.in_transit:
        yield _hit("sec-encryption-in-transit", at + ("in_transit",), False)


def check_buckets(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    del ctx  # nothing to configure: a public bucket always needs a second look
    for index, bucket in enumerate(spec.resources.storage.buckets):
        if bucket.public_read:
            yield _hit("sec-public-bucket", ("resources", "storage", "buckets", index, "public_read"), True,
                       bucket=bucket.name)


CHECKS = (check_ingress, check_mlps3, check_backup, check_encryption, check_buckets)
