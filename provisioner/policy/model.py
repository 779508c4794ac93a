"""The office's policy files as typed values (pure): parameters, and every rule's id, article, severity, words.

    policies/catalogue.yaml          procured flavors, images, volume types, databases (art5)
    policies/on-demand.yaml          caps and expert-review thresholds per system and department (art15)
    policies/security-baseline.yaml  network exposure, MLPS level 3, backups, encryption (art12-26)
    policies/naming.yaml             codes that say whose a resource is (art27), names that fit (art14)
    policies/agreements.yaml         each unit's service agreement with the provider, filed with the office (art22)
    policies/inspection.yaml         what the security inspection of the running cloud expects (art20-21, art24)

Each file ends with `rules:`, a mapping from rule id to its article, severity
and messages; the code decides what a rule looks at, the office decides how
serious it is and what it says.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from provisioner.catalogue import Catalogue
from provisioner.spec import formats
from provisioner.spec.security import SecurityService


class Severity(StrEnum):
    """mandatory blocks the merge and `pulumi up`; expert-review sends the request to experts (art15)."""

    MANDATORY = "mandatory"
    EXPERT_REVIEW = "expert-review"
    ADVISORY = "advisory"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Closed):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class RuleDef(_Closed):
    article: str = Field(pattern=r"^art[0-9]{1,2}$", description="the regulation's article, e.g. art15")
    severity: Severity
    title: Text
    message: Text
    fix: Text


Rules = dict[str, RuleDef]

MEASURES = ("hosts", "vcpus", "ram_gb", "block_storage_gb", "database_storage_gb", "object_storage_gb",
            "internet_mbps", "public_ips", "load_balancers")


class Limits(_Closed):
    hosts: int | None = Field(default=None, ge=0)
    vcpus: int | None = Field(default=None, ge=0)
    ram_gb: int | None = Field(default=None, ge=0)
    block_storage_gb: int | None = Field(default=None, ge=0)
    database_storage_gb: int | None = Field(default=None, ge=0)
    object_storage_gb: int | None = Field(default=None, ge=0)
    internet_mbps: int | None = Field(default=None, ge=0)
    public_ips: int | None = Field(default=None, ge=0)
    load_balancers: int | None = Field(default=None, ge=0)

    def of(self, measure: str) -> int | None:
        return getattr(self, measure)


class Scope(_Closed):
    caps: Limits = Field(default_factory=Limits)
    review: Limits = Field(default_factory=Limits)

    @model_validator(mode="after")
    def _review_below_cap(self) -> Scope:
        for measure in MEASURES:
            cap, review = self.caps.of(measure), self.review.of(measure)
            if cap is not None and review is not None and review >= cap:
                raise ValueError(f"review.{measure} ({review}) must be below caps.{measure} ({cap}): "
                                 "a threshold at or above the cap never sends anything to review")
        return self


class OnDemand(_Closed):
    version: Literal[1]
    system: Scope
    department: Scope
    departments: dict[str, Scope] = Field(default_factory=dict, description="one department's own limits")
    rules: Rules

    def for_department(self, code: str) -> Scope:
        """The department's limits: its own where the office set them, else the general ones."""
        own = self.departments.get(code)
        if own is None:
            return self.department
        caps = {**self.department.caps.model_dump(exclude_none=True), **own.caps.model_dump(exclude_none=True)}
        review = {**self.department.review.model_dump(exclude_none=True), **own.review.model_dump(exclude_none=True)}
        return Scope(caps=Limits(**caps), review=Limits(**review))


class PortRule(_Closed):
    protocol: Literal["tcp", "udp"]
    port: int = Field(ge=1, le=65535)
    name: str = Field(min_length=1)


class Internet(_Closed):
    allowed: list[PortRule] = Field(min_length=1)
    redirect: list[PortRule] = Field(default_factory=list)


class Mlps3(_Closed):
    min_spread_hosts: int = Field(ge=2, le=50)
    audit_services: list[SecurityService] = Field(default_factory=list)
    national_crypto: list[Literal["sm4", "aes-256"]] = Field(default_factory=list)


class BackupBaseline(_Closed):
    schedule: Literal["daily", "weekly"]
    min_retention_days: int = Field(ge=1, le=3650)


class EncryptionBaseline(_Closed):
    at_rest_levels: list[Literal[2, 3]] = Field(default_factory=list)


class SecurityBaseline(_Closed):
    version: Literal[1]
    trusted_sources: list[str] = Field(min_length=1)
    admin_ports: dict[int, str] = Field(min_length=1)
    internet: Internet
    mlps3: Mlps3
    backup: BackupBaseline
    encryption: EncryptionBaseline
    rules: Rules

    @field_validator("trusted_sources")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for source in value:
            ipaddress.ip_network(source)  # ValueError names the bad one
        return value

    @field_validator("admin_ports")
    @classmethod
    def _ports(cls, value: dict[int, str]) -> dict[int, str]:
        bad = [port for port in value if not 1 <= port <= 65535]
        if bad:
            raise ValueError(f"not a port number: {bad[0]}")
        return value


class Naming(_Closed):
    version: Literal[1]
    region_prefixes: dict[str, str]
    max_server_name: int = Field(ge=8, le=255)
    rules: Rules

    @field_validator("region_prefixes")
    @classmethod
    def _every_region(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(formats.REGIONS))
        missing = [region for region in formats.REGIONS if region not in value]
        if unknown or missing:
            raise ValueError(f"one prefix per region: unknown {unknown}, missing {missing}")
        bad = [p for p in value.values() if not (p.isascii() and p.isalpha() and p.islower() and 2 <= len(p) <= 6)]
        if bad:
            raise ValueError(f"a prefix is 2-6 lowercase letters, not {bad[0]!r}")
        return value


# What an agreement may cover: the resource tables of a request (domain.md; art14's technical plan).
ServiceKind = Literal["hosts", "databases", "storage", "network", "security"]
SERVICE_KINDS: tuple[str, ...] = ("hosts", "databases", "storage", "network", "security")


class Agreement(_Closed):
    """One unit's service agreement with the provider, as filed with the office (art22)."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+){1,6}$", description="协议编号 e.g. JJXZSPJ-FW-2026-01")
    content: str = Field(min_length=4, description="服务内容")
    starts: date = Field(description="服务期限起 first day of the term")
    ends: date = Field(description="服务期限止 last day of the term")
    rights_and_duties: str = Field(min_length=4, description="双方权利义务")
    liability: str = Field(min_length=4, description="违约责任")
    filed_on: date = Field(description="报市政府信息办备案日期 the day it was filed with the office")
    services: list[ServiceKind] = Field(min_length=1, description="协议覆盖的服务")
    document: str = Field(min_length=4, description="协议文本在文档系统中的位置 e.g. dms://...")

    @model_validator(mode="after")
    def _term(self) -> Agreement:
        if self.ends < self.starts:
            raise ValueError(f"ends ({self.ends}) is before starts ({self.starts})")
        return self

    def in_force(self, today: date) -> bool:
        """Filed, begun and not yet ended on `today` (the ends day still counts)."""
        return self.filed_on <= today and self.starts <= today <= self.ends


class Agreements(_Closed):
    version: Literal[1]
    warn_days: int = Field(ge=1, le=365, description="days before an agreement ends that everyone is told")
    units: dict[Annotated[str, Field(pattern=formats.CODE)], list[Agreement]] = Field(
        description="department code -> its agreements, oldest first")
    rules: Rules

    def of(self, department: str) -> list[Agreement]:
        return self.units.get(department, [])


def expiring_agreements(agreements: dict[str, list[Agreement]], today: date,
                        warn_days: int) -> list[tuple[str, Agreement, int]]:
    """Every (department, agreement, days left) in force today that ends within warn_days, soonest first."""
    found = [(code, a, (a.ends - today).days) for code, signed in agreements.items() for a in signed
             if a.in_force(today) and (a.ends - today).days <= warn_days]
    return sorted(found, key=lambda item: (item[2], item[0], item[1].id))


def region_by_prefix(naming: Naming) -> Callable[[str], str]:
    """The region a department code belongs to, read from its prefix (jj-xzspj -> city); "" if none."""
    regions = {prefix: region for region, prefix in naming.region_prefixes.items()}
    return lambda department: regions.get(department.partition("-")[0], "")


class BackupAge(_Closed):
    grace_days: int = Field(ge=0, le=30, description="days a volume's newest verified backup may be late")


class MaxAge(_Closed):
    max_age_days: int = Field(ge=1, le=3650)


class Credentials(MaxAge):
    """How old a credential may grow (max_age_days, art12(3)), and how `govcloud credentials rotate`
    issues a department's stacks credential: it expires after expires_days, and the one it replaces
    keeps working overlap_days longer (anything still using it has that long to take the new one)."""

    expires_days: int = Field(ge=1, le=3650, description="days a credential issued by rotation stays valid")
    overlap_days: int = Field(ge=0, le=365, description="days the replaced credential keeps working")

    @model_validator(mode="after")
    def _within_age(self) -> Credentials:
        if self.expires_days > self.max_age_days:
            raise ValueError(f"expires_days ({self.expires_days}) must not exceed max_age_days ({self.max_age_days}): "
                             "a credential issued by rotation would be a finding from its first day")
        if self.overlap_days >= self.expires_days:
            raise ValueError(f"overlap_days ({self.overlap_days}) must be below expires_days ({self.expires_days}): "
                             "the new credential would expire before the old one is revoked")
        return self


class Inspection(_Closed):
    """What `govcloud security-report` holds the running cloud to, beside the security baseline."""

    version: Literal[1]
    backup: BackupAge
    images: MaxAge
    credentials: Credentials
    rules: Rules


@dataclass(frozen=True)
class PolicySet:
    """Everything under policies/ that the checks read, and every rule with the file it is in."""

    catalogue: Catalogue
    on_demand: OnDemand
    security: SecurityBaseline
    naming: Naming
    agreements: Agreements
    inspection: Inspection
    rules: Rules
    files: dict[str, str]   # rule id -> the policy file that defines it
