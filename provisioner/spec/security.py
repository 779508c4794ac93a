"""Cloud security needs (云安全): protection level, ingress, backup, encryption, services.

Whether a rule is acceptable (no SSH from anywhere, what MLPS level 3 demands)
is the security baseline in policies/; here only its shape.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from provisioner.spec import formats
from provisioner.spec.base import Section

# Provider-run services billed from the catalogue (domain.md), requested like any resource.
SecurityService = Literal[
    "waf", "bastion", "vulnerability_scan", "log_audit", "database_audit",
    "host_security", "tamper_protection", "certificate",
]


class IngressRule(Section):
    protocol: Literal["tcp", "udp", "icmp"]
    port: int | None = Field(default=None, ge=1, le=65535, description="端口, or the first of a range")
    port_max: int | None = Field(default=None, ge=1, le=65535, description="端口范围上限")
    source: str = Field(description="来源 CIDR, e.g. 0.0.0.0/0 or 10.0.0.0/8")
    description: str = Field(default="", max_length=100, description="用途 what the rule is for")

    @field_validator("source")
    @classmethod
    def _cidr(cls, value: str) -> str:
        if formats.cidr(value) is None:
            raise PydanticCustomError("network-cidr-invalid", "not a CIDR", {"value": value})
        return value

    @model_validator(mode="after")
    def _ports(self) -> IngressRule:
        # `at` names the field to point at: the error is about the rule, the culprit a key in it.
        if self.protocol == "icmp" and (self.port is not None or self.port_max is not None):
            raise PydanticCustomError("ingress-icmp-ports", "icmp has no ports",
                                      {"at": ("port" if self.port is not None else "port_max",)})
        if self.port is None and self.port_max is not None:
            raise PydanticCustomError("ingress-port-max-alone", "port_max without port", {"at": ("port_max",)})
        if self.port is not None and self.port_max is not None and self.port_max < self.port:
            raise PydanticCustomError("ingress-port-range-reversed", "reversed range",
                                      {"at": ("port_max",), "port": self.port, "port_max": self.port_max})
        return self

    @property
    def port_range(self) -> tuple[int | None, int | None]:
        """(min, max) for the security group rule; (None, None) means every port."""
        if self.port is None:
            return (None, None)
        return (self.port, self.port_max or self.port)


class Backup(Section):
    schedule: Literal["daily", "weekly"] = Field(default="daily", description="备份周期")
    retention_days: int = Field(default=30, ge=1, le=3650, description="保留天数")
    offsite: bool = Field(default=False, description="异地备份 off-site copy")


class Encryption(Section):
    at_rest: bool = Field(default=False, description="存储加密")
    in_transit: bool = Field(default=True, description="传输加密 (TLS)")
    algorithm: Literal["sm4", "aes-256"] = Field(default="sm4", description="国密 SM4 or AES-256")


class Security(Section):
    mlps_level: formats.MlpsLevel = Field(description="等保 2.0 protection level: 2 or 3")
    ingress: list[IngressRule] = Field(default_factory=list, max_length=100, description="入站规则")
    backup: Backup | None = Field(default=None, description="备份 backup of hosts and data")
    encryption: Encryption | None = Field(default=None, description="加密")
    services: list[SecurityService] = Field(default_factory=list, description="安全服务 from the catalogue")
