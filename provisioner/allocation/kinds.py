"""The kinds of what a request allocates: each metered, priced and billed by its key.

Names follow sapcc/limes (a `service` type from the OpenStack catalogue and a `resource`).
Amounts are kept in the units of request specs and prices (vCPU, GiB, IPs, Mbps,
instances); Prometheus gets base units (bytes, bytes per second) through `base_factor`,
as its conventions ask. Provider-run security services (art20-24, delivered outside
OpenStack) are kinds of the `security` service, one per service: they are ordered,
priced and billed like everything else.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import get_args

from provisioner.spec.security import SecurityService

GIB = 2 ** 30
MBPS = 125_000          # bytes per second in one megabit per second


@dataclass(frozen=True)
class Kind:
    service: str
    resource: str
    unit: str           # the unit of amounts and prices
    base_factor: int    # amount x base_factor = Prometheus base unit
    zh: str
    en: str
    key: str = field(init=False)      # "service/resource", the one string every table is keyed by

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", sys.intern(f"{self.service}/{self.resource}"))

    def title(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


CORES = Kind("compute", "cores", "vCPU", 1, "云主机 vCPU", "vCPU")
RAM = Kind("compute", "ram", "GiB", GIB, "云主机内存", "RAM")
BLOCK = Kind("volumev3", "capacity", "GiB", GIB, "块存储", "block storage")
OBJECT = Kind("object-store", "capacity", "GiB", GIB, "对象存储", "object storage")
FLOATING_IPS = Kind("network", "floating_ips", "IP", 1, "弹性公网 IP", "floating IPs")
DATABASES = Kind("database", "instances", "instance", 1, "云数据库实例", "database instances")
BANDWIDTH = Kind("network", "bandwidth", "Mbps", MBPS, "互联网带宽", "internet bandwidth")
LOAD_BALANCERS = Kind("load-balancer", "loadbalancers", "LB", 1, "负载均衡", "load balancers")
SHARES = Kind("sharev2", "capacity", "GiB", GIB, "文件存储", "file storage")

SERVICE_WORDS: dict[str, tuple[str, str]] = {
    "waf": ("Web 应用防火墙", "web application firewall"),
    "bastion": ("堡垒机", "bastion host"),
    "vulnerability_scan": ("漏洞扫描", "vulnerability scanning"),
    "log_audit": ("日志审计", "log audit"),
    "database_audit": ("数据库审计", "database audit"),
    "host_security": ("主机安全", "host security"),
    "tamper_protection": ("网页防篡改", "web tamper protection"),
    "certificate": ("证书服务", "certificates"),
    # Asked for in resources.security.backup / encryption rather than in `services`.
    "backup": ("备份服务", "backup service"),
    "encryption": ("存储加密", "encryption at rest"),
}
SECURITY: dict[str, Kind] = {name: Kind("security", name, "service", 1, zh, en)
                             for name, (zh, en) in SERVICE_WORDS.items()}
assert set(get_args(SecurityService)) <= set(SECURITY), "every security service needs a kind"

KINDS: tuple[Kind, ...] = (CORES, RAM, BLOCK, OBJECT, FLOATING_IPS, DATABASES, BANDWIDTH,
                           LOAD_BALANCERS, SHARES, *SECURITY.values())
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}
