"""Findings from what the cloud holds and what the requests ask for (pure).

Per system: what its elastic IPs expose (art20), its security groups against its
request (art24), its volumes' newest verified backups against the schedule it asked
for (art13), its servers' images against the catalogue and their age (art24, art12),
and the request's own security-baseline findings (MLPS level against the services
ordered, backups configured, ...). Per department: its account's rotation (art12).
A system in the cloud that no request asks for is a finding of its own (art21).
Words, severities and articles are the office's (policies/inspection.yaml).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from provisioner.inspection import drift as drift_mod
from provisioner.inspection.exposure import Exposure, exposures
from provisioner.inspection.expiry import credential_overdue, expiry
from provisioner.inspection.facts import Account, Backup, CloudFacts, Server, SystemKey, Volume
from provisioner.inspection.messages import WORDS, shown_time
from provisioner.errors import Location
from provisioner.inspection.report import (NOWHERE, DepartmentReport, ImageRow, InspectionFinding, Report,
                                           SystemReport, VolumeRow)
from provisioner.inspection.systems import Index, SystemCloud
from provisioner.policy.locate import locate, tree_of
from provisioner.policy.model import PolicySet
from provisioner.policy.rules.context import Context, listing
from provisioner.policy.rules.security import CHECKS as BASELINE_CHECKS
from provisioner.policy.rules.security import allowed_words, ports_words
from provisioner.spec.findings import Finding
from provisioner.spec.findings import Path as FieldPath
from provisioner.spec.messages import Names
from provisioner.spec.model import RequestSpec
from provisioner.spec.problems import position, render
from provisioner.spec.yamltree import Tree

_INTERVAL_DAYS = {"daily": 1, "weekly": 7}


def _resources(counts: dict[str, int]) -> Names:
    """What the cloud holds of a system, e.g. "云主机 2、云硬盘 1" / "2 servers, 1 volumes"."""
    return Names([WORDS(f"count-{kind}", count=n) for kind, n in counts.items() if n])


@dataclass(frozen=True)
class Request:
    """One request spec as the command read it: its shown path, text (for positions) and model."""

    path: str
    text: str | None
    spec: RequestSpec

    @property
    def key(self) -> SystemKey:
        return SystemKey(self.spec.region, self.spec.department, self.spec.metadata.system)


class _Words:
    """Findings in the office's words; `where` locates a spec field when there is a request."""

    def __init__(self, policies: PolicySet, request: Request | None = None) -> None:
        self.policies = policies
        self.request = request
        self._tree: Tree | None = None

    def __call__(self, rule_id: str, resource: tuple[str, str], field: FieldPath | None = None, /,
                 **params: object) -> InspectionFinding:
        words = self.policies.rules[rule_id]
        finding = Finding(rule_id, field or (), dict(params))
        return InspectionFinding(self.where(field), rule_id, words.severity, words.article,
                                 render(words.message.zh, finding, "zh"), render(words.message.en, finding, "en"),
                                 render(words.fix.zh, finding, "zh"), render(words.fix.en, finding, "en"),
                                 "cloud", *resource)

    def where(self, field: FieldPath | None) -> Location:
        if self.request is None or field is None:
            return NOWHERE
        self._tree = tree_of(self.request.text, self._tree)
        return Location(self.request.path, *position(Finding("inspect", field, on_key=True), self._tree))


def exposure_findings(found: Iterable[Exposure], words: _Words, policies: PolicySet) -> list[InspectionFinding]:
    baseline = policies.security
    out = []
    for e in found:
        common = {"address": e.address, "server": e.server, "group": e.group, "source": e.source}
        resource = ("floating_ip", f"{e.address} → {e.server}")
        field = ("resources", "security", "ingress")
        if e.verdict == "admin":
            out.append(words("inspect-admin-port-exposed", resource, field, **common,
                             port=listing([str(p) for p in e.admin_ports], limit=4),
                             service=listing([baseline.admin_ports[p] for p in e.admin_ports], limit=4)))
        elif e.verdict == "redirect":
            out.append(words("inspect-http-exposed", resource, field, **common,
                             what=ports_words(e.protocol, e.low, e.high)))
        elif e.verdict == "other":
            out.append(words("inspect-internet-port-exposed", resource, field, **common,
                             what=ports_words(e.protocol, e.low, e.high), allowed=allowed_words(baseline)))
    return out


def drift_findings(drifted: Iterable[drift_mod.Drifted], words: _Words) -> list[InspectionFinding]:
    return [words(f"inspect-secgroup-{d.kind}", ("security_group", d.group + (f" / {d.rule_id}" if d.rule_id else "")),
                  d.field, group=d.group, rule=d.rule) for d in drifted]


def volume_rows(volumes: Sequence[Volume], backups: dict[str, list[Backup]], required: bool) -> list[VolumeRow]:
    rows = []
    for volume in sorted(volumes, key=lambda v: v.name):
        held = backups.get(volume.id, [])
        verified = [b for b in held if b.status == "available" and b.size_gb >= volume.size_gb and b.created_at]
        last = max(verified, key=lambda b: b.created_at, default=None)  # type: ignore[arg-type, return-value]
        rows.append(VolumeRow(volume.name, volume.id, volume.size_gb, len(held), last.created_at if last else None,
                              last.id if last else "", required))
    return rows


def backup_findings(rows: Iterable[VolumeRow], spec: RequestSpec, words: _Words, policies: PolicySet,
                    now: datetime) -> list[InspectionFinding]:
    backup = spec.resources.security.backup
    if backup is None:
        return []   # the request asks for none: the baseline's sec-backup-missing says so
    max_days = _INTERVAL_DAYS[backup.schedule] + policies.inspection.backup.grace_days
    field = ("resources", "security", "backup")
    out = []
    for row in rows:
        resource = ("volume", f"{row.name} ({row.id})")
        if row.last_verified is None:
            out.append(words("inspect-backup-none", resource, field, volume=row.name,
                             schedule=WORDS(f"s-{backup.schedule}")))
        elif now - row.last_verified > timedelta(days=max_days):
            out.append(words("inspect-backup-stale", resource, field, volume=row.name,
                             last=shown_time(row.last_verified), age_days=(now - row.last_verified).days,
                             max_days=max_days))
    return out


def image_rows(servers: Sequence[Server], facts: CloudFacts, policies: PolicySet, now: datetime) -> list[ImageRow]:
    rows = []
    for server in sorted(servers, key=lambda s: s.name):
        if not server.image_id:
            continue    # booted from a volume: no image of its own
        image = facts.images.get(server.image_id)
        created = image.created_at if image else None
        rows.append(ImageRow(server.name, image.name if image else server.image_id, server.image_id, created,
                             (now - created).days if created else None,
                             image is not None and image.name in policies.catalogue.images))
    return rows


def image_findings(rows: Iterable[ImageRow], words: _Words, policies: PolicySet) -> list[InspectionFinding]:
    limit = policies.inspection.images.max_age_days
    out = []
    for row in rows:
        resource = ("server", row.server)
        if not row.catalogued:
            out.append(words("inspect-image-uncatalogued", resource, ("resources", "hosts"), server=row.server,
                             image=row.image if row.created_at else WORDS("image-gone", image=row.image)))
        if row.age_days is not None and row.age_days > limit:
            out.append(words("inspect-image-old", resource, ("resources", "hosts"), server=row.server, image=row.image,
                             age_days=row.age_days, max_days=limit))
    return out


def account_findings(account: Account, policies: PolicySet, now: datetime) -> list[InspectionFinding]:
    if account.user is None:
        return []
    words = _Words(policies)
    max_days = policies.inspection.credentials.max_age_days
    out = []
    expires = expiry(account.password_expires_at, now, max_days)
    if expires is not None:
        out.append(words("inspect-password-rotation", ("user", account.user), user=account.user, expires=expires,
                         max_days=max_days))
    owned = [(account.user, c) for c in account.app_credentials]
    owned += [(account.stacks_user, c) for c in account.stacks_credentials]
    for user, credential in owned:
        expires = credential_overdue(credential, now, max_days)
        if expires is not None:
            out.append(words("inspect-app-credential-rotation",
                             ("application_credential", f"{credential.name} ({credential.id})"), user=user,
                             credential=credential.name, expires=expires, max_days=max_days))
    return out


def request_findings(request: Request, policies: PolicySet, now: datetime) -> list[InspectionFinding]:
    """The request's own security-baseline findings (the same as `govcloud validate` shows)."""
    hits = [hit for check in BASELINE_CHECKS for hit in check(request.spec, Context(policies, now.date()))]
    if not hits:
        return []
    return [InspectionFinding(**{field.name: getattr(f, field.name) for field in fields(f)}, origin="request")
            for f in locate(hits, policies, tree_of(request.text), request.path)]


def _system(key: SystemKey, request: Request | None, cloud: SystemCloud | None, facts: CloudFacts, index: Index,
            policies: PolicySet, now: datetime, backups: dict[str, list[Backup]]) -> SystemReport:
    cloud = cloud or SystemCloud(key)
    in_cloud = bool(cloud.servers or cloud.volumes or cloud.groups or cloud.floating_ips)
    words = _Words(policies, request)
    spec = request.spec if request else None
    exposed = exposures(cloud.floating_ips, index, policies.security)
    volumes = volume_rows(cloud.volumes, backups, spec is not None and spec.resources.security.backup is not None)
    images = image_rows(cloud.servers, facts, policies, now)
    drifted = drift_mod.drift(spec, cloud.groups) if spec and in_cloud else []
    findings = exposure_findings(exposed, words, policies) + drift_findings(drifted, words) \
        + image_findings(images, words, policies)
    if spec is not None:
        if in_cloud:
            findings += backup_findings(volumes, spec, words, policies, now)
        findings += request_findings(request, policies, now)  # type: ignore[arg-type]
    else:
        findings.append(words("inspect-system-unrequested", ("system", str(key)), system=str(key),
                              resources=_resources(cloud.counts())))
    security = spec.resources.security if spec else None
    backup = security.backup if security else None
    return SystemReport(
        key, spec.metadata.name if spec else "", request.path if request else None, cloud.phase, in_cloud,
        security.mlps_level if security else None, tuple(security.services) if security else (),
        (backup.schedule, backup.retention_days) if backup else None, tuple(exposed), tuple(volumes),
        tuple(images), tuple(drifted), tuple(sorted(findings, key=lambda f: f.order)))


def inspect(requests: Sequence[Request], facts: CloudFacts, policies: PolicySet, now: datetime, cloud: str,
            department: str | None = None) -> Report:
    """The report over the requests and the cloud; with `department`, that department's only."""
    index = Index(facts)
    wanted = (lambda code: code == department) if department else (lambda code: True)
    by_key = {r.key: r for r in requests if wanted(r.key.department)}
    clouds = {k: s for k, s in index.systems.items() if wanted(k.department)}
    backups: dict[str, list[Backup]] = defaultdict(list)
    for b in facts.backups:
        backups[b.volume_id].append(b)
    systems = [_system(key, by_key.get(key), clouds.get(key), facts, index, policies, now, backups)
               for key in sorted(set(by_key) | set(clouds))]
    return Report(now, cloud, department, tuple(_departments(requests, facts, policies, now, wanted)), tuple(systems))


def _departments(requests: Sequence[Request], facts: CloudFacts, policies: PolicySet, now: datetime,
                 wanted) -> list[DepartmentReport]:
    names = {(r.spec.region, r.spec.department): r.spec.applicant.department_name for r in requests}
    accounts = {(a.region, a.department): a for a in facts.accounts}
    return [DepartmentReport(region, code, names.get((region, code), ""), accounts.get((region, code)),
                             tuple(sorted(account_findings(accounts[(region, code)], policies, now)
                                          if (region, code) in accounts else [], key=lambda f: f.order)))
            for region, code in sorted(set(names) | set(accounts)) if wanted(code)]
