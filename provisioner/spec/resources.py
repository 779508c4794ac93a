"""The resource needs of art14: cloud hosts, databases, storage, security, bandwidth.

Names (flavor, image, volume type) are free text here: whether they are in the
procured catalogue, and whether the amounts are reasonable (art15), is policy,
checked later against policies/. The ranges below only catch typing slips.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator
from pydantic_core import PydanticCustomError

from provisioner.spec import formats
from provisioner.spec.base import Section
from provisioner.spec.security import Security
from provisioner.spec.unique import unique_names

_UNIQUE = AfterValidator(unique_names)

# Choices that policies/catalogue.yaml's `offers` also names (what this cloud builds of them).
Zone = Literal["extranet", "internet"]
ShareProtocol = Literal["nfs", "cifs"]
ListenerProtocol = Literal["tcp", "udp", "http", "https"]
Algorithm = Literal["source_ip_port", "round_robin", "least_connections"]


class Network(Section):
    cidr: str = Field(default="10.0.0.0/24", description="子网 CIDR of the system's private network")
    zone: Zone = Field(
        default="extranet", description="网络区域: extranet 政务外网 / internet 互联网区")

    @field_validator("cidr")
    @classmethod
    def _private(cls, value: str) -> str:
        found = formats.cidr(value)
        if found is None:
            raise PydanticCustomError("network-cidr-invalid", "not a CIDR", {"value": value})
        if found.network != value:
            raise PydanticCustomError("network-cidr-host-bits", "host bits set",
                                      {"value": value, "network": found.network})
        if not found.private:
            raise PydanticCustomError("network-cidr-public", "not private", {"value": value})
        return value


class DataDisk(Section):
    size_gb: int = Field(ge=10, le=16384, description="数据盘容量 GB")
    volume_type: str | None = Field(default=None, max_length=40,
                                    description="性能类型 performance class; cloud default when omitted")


class Host(Section):
    name: str = Field(pattern=formats.CODE, description="主机角色名 e.g. web, app")
    flavor: str = Field(min_length=1, max_length=40, description="规格, from the procured catalogue (policies/)")
    image: str = Field(min_length=1, max_length=80, description="操作系统镜像 e.g. kylin-v10-sp3")
    count: int = Field(default=1, ge=1, le=50, description="台数")
    anti_affinity: bool = Field(default=False, description="反亲和: spread over compute hosts")
    system_disk_gb: int | None = Field(default=None, ge=20, le=2048, description="系统盘 GB; flavor's when omitted")
    data_disks: list[DataDisk] = Field(default_factory=list, max_length=16, description="数据盘")


class DatabaseBackup(Section):
    retention_days: int = Field(default=7, ge=1, le=3650, description="备份保留天数")
    window: str | None = Field(default=None, pattern=formats.WINDOW, description="备份时段 e.g. 02:00-04:00")


class Database(Section):
    name: str = Field(pattern=formats.CODE, description="数据库实例名")
    engine: Literal["mysql", "postgresql", "dm", "kingbase"] = Field(
        description="引擎: mysql, postgresql, dm 达梦, kingbase 人大金仓")
    version: str = Field(pattern=formats.VERSION, description="版本, quoted: \"8.0\"")
    flavor: str = Field(min_length=1, max_length=40, description="规格 from the catalogue")
    storage_gb: int = Field(ge=20, le=32768, description="存储 GB")
    high_availability: bool = Field(default=False, description="主备 primary/standby")
    backup: DatabaseBackup = Field(default_factory=DatabaseBackup, description="备份")


class Volume(Section):
    name: str = Field(pattern=formats.CODE, description="云硬盘名 (not attached to a host role)")
    size_gb: int = Field(ge=10, le=65536)
    volume_type: str | None = Field(default=None, max_length=40)


class Bucket(Section):
    name: str = Field(pattern=formats.BUCKET, description="对象存储桶名")
    quota_gb: int = Field(ge=1, le=1048576, description="配额 GB")
    public_read: bool = Field(default=False, description="公开读")


class FileShare(Section):
    name: str = Field(pattern=formats.CODE, description="文件存储 NAS share")
    size_gb: int = Field(ge=10, le=65536)
    protocol: ShareProtocol = Field(default="nfs", description="协议 nfs or cifs")


class Storage(Section):
    volumes: Annotated[list[Volume], _UNIQUE] = Field(default_factory=list, max_length=50, description="块存储 block volumes")
    buckets: Annotated[list[Bucket], _UNIQUE] = Field(default_factory=list, max_length=20, description="对象存储 object buckets")
    shares: Annotated[list[FileShare], _UNIQUE] = Field(default_factory=list, max_length=20, description="文件存储 file shares")


class Listener(Section):
    protocol: ListenerProtocol = Field(
        description="监听协议: tcp/udp 四层; http 七层转发, https TLS 卸载 (only where the cloud offers them)")
    port: int = Field(ge=1, le=65535, description="监听端口")
    backend_port: int | None = Field(default=None, ge=1, le=65535, description="后端端口; the listener's port when omitted")


class LoadBalancer(Section):
    name: str = Field(pattern=formats.CODE, description="负载均衡名")
    members: str = Field(pattern=formats.CODE, description="后端: the host role (resources.hosts[].name) it spreads over")
    listeners: list[Listener] = Field(min_length=1, max_length=16, description="监听")
    algorithm: Algorithm = Field(
        default="source_ip_port", description="调度算法: source_ip_port 源地址端口哈希, round_robin 轮询, least_connections 最少连接")
    public: bool = Field(default=False, description="公网访问: an elastic public IP on its address")


class Bandwidth(Section):
    internet_mbps: int = Field(default=0, ge=0, le=10000, description="互联网带宽 Mbps (a limit on each public IP)")
    public_ips: int = Field(default=0, ge=0, le=64, description="弹性公网 IP, on the first hosts in the order listed")
    load_balancers: Annotated[list[LoadBalancer], _UNIQUE] = Field(
        default_factory=list, max_length=16, description="负载均衡")


class Resources(Section):
    network: Network = Field(default_factory=Network, description="网络")
    hosts: Annotated[list[Host], _UNIQUE] = Field(min_length=1, max_length=100, description="云主机 cloud hosts")
    databases: Annotated[list[Database], _UNIQUE] = Field(default_factory=list, max_length=20, description="云数据库")
    storage: Storage = Field(default_factory=Storage, description="云存储")
    security: Security = Field(description="云安全")
    bandwidth: Bandwidth = Field(default_factory=Bandwidth, description="公网带宽")
