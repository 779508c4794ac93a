"""Typed model of a department's resource request (request_specs/<dept>/<system>.yaml).

The model is the contract between the people who write requests and everything
downstream (policy, stacks, billing). Field names are English snake_case; the
descriptions carry the Chinese term staff know from the paper form
(政务云资源使用申请书), so the exported JSON Schema reads well in an editor.
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

API_VERSION = "govcloud.jiujiang.gov.cn/v1"
KIND = "ResourceRequest"

# Codes are used in stack names, Keystone names and tags: keep them DNS-like.
CODE_PATTERN = r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$"


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must not silently drop a need."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Metadata(_Strict):
    system: str = Field(pattern=CODE_PATTERN, description="系统代码 system code, unique in the department")
    name: str = Field(min_length=2, max_length=100, description="系统名称 system name")
    request_id: str = Field(pattern=r"^[A-Z]{2,6}-\d{4}-\d{4}$", description="申请编号, e.g. JJ-2026-0001")


class Contact(_Strict):
    name: str = Field(min_length=2, max_length=40)
    phone: str = Field(pattern=r"^[0-9+() -]{7,20}$")
    role: str = Field(default="联系人", max_length=20)


class Applicant(_Strict):
    department: str = Field(pattern=CODE_PATTERN, description="使用单位代码 department code")
    department_name: str = Field(min_length=2, max_length=60, description="使用单位名称")
    region: str = Field(pattern=r"^(city|[a-z][a-z0-9-]{1,30})$", description="city 市本级, or a county/district code")
    budget_level: Literal[1, 2] = Field(description="预算单位级次 1 or 2")
    parent_unit: str | None = Field(default=None, pattern=CODE_PATTERN, description="二级单位的一级主管单位代码")
    contacts: list[Contact] = Field(min_length=1)

    @model_validator(mode="after")
    def _parent_for_level_two(self) -> Applicant:
        if self.budget_level == 2 and not self.parent_unit:
            raise ValueError("budget_level 2 needs parent_unit (art14)")
        return self


class DataDisk(_Strict):
    size_gb: int = Field(ge=10, le=16384, description="数据盘容量 GB")
    volume_type: str | None = Field(default=None, description="performance class; cloud default when omitted")


class Host(_Strict):
    name: str = Field(pattern=CODE_PATTERN, description="主机角色名 e.g. web, app")
    flavor: str = Field(description="规格, from the procured catalogue (policies/)")
    image: str = Field(description="操作系统镜像")
    count: int = Field(default=1, ge=1, le=50)
    anti_affinity: bool = Field(default=False, description="反亲和: spread over compute hosts")
    data_disks: list[DataDisk] = Field(default_factory=list)


class IngressRule(_Strict):
    protocol: Literal["tcp", "udp", "icmp"]
    port: int | None = Field(default=None, ge=1, le=65535)
    port_max: int | None = Field(default=None, ge=1, le=65535)
    source: str = Field(description="source CIDR, e.g. 0.0.0.0/0 or 10.0.0.0/8")
    description: str = Field(default="", max_length=100)

    @field_validator("source")
    @classmethod
    def _cidr(cls, value: str) -> str:
        ipaddress.ip_network(value, strict=False)
        return value

    @property
    def port_range(self) -> tuple[int | None, int | None]:
        if self.port is None:
            return (None, None)
        return (self.port, self.port_max or self.port)


class Security(_Strict):
    mlps_level: Literal[2, 3] = Field(description="等保 2.0 protection level")
    ingress: list[IngressRule] = Field(default_factory=list)


class Network(_Strict):
    cidr: str = Field(default="10.0.0.0/24", description="子网 CIDR of the system's private network")

    @field_validator("cidr")
    @classmethod
    def _private(cls, value: str) -> str:
        net = ipaddress.ip_network(value, strict=True)
        if not net.is_private:
            raise ValueError("the system network must be a private range")
        return value


class Resources(_Strict):
    network: Network = Field(default_factory=Network)
    hosts: list[Host] = Field(min_length=1)
    security: Security

    @field_validator("hosts")
    @classmethod
    def _unique_host_names(cls, hosts: list[Host]) -> list[Host]:
        names = [h.name for h in hosts]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"host names must be unique: {', '.join(duplicates)}")
        return hosts


class Application(_Strict):
    kind: Literal["new", "migration"]


class RequestSpec(_Strict):
    api_version: Literal["govcloud.jiujiang.gov.cn/v1"] = Field(alias="apiVersion")
    kind: Literal["ResourceRequest"]
    metadata: Metadata
    applicant: Applicant
    application: Application
    resources: Resources

    @property
    def department(self) -> str:
        return self.applicant.department

    @property
    def region(self) -> str:
        return self.applicant.region
