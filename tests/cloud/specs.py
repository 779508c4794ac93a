"""Request specs of the cloud tests' own departments (codes no sample uses)."""

from __future__ import annotations

TEMPLATE = """\
# {department_name} · {name}: {source}
apiVersion: govcloud.jiujiang.gov.cn/v1
kind: ResourceRequest
metadata:
  system: {system}
  name: {name}
  request_id: {request_id}
applicant:
  department: {department}
  department_name: {department_name}
  region: city
  budget_level: 1
  contacts:
    - name: 测试员
      phone: "0792-8000000"
      role: 项目负责人
application:
  kind: new
  summary: {summary}
materials:
  project_approval:
    title: 测试项目批复
    ref: dms://{department}/2026/{system}/project-approval.pdf
    checksum: sha256:f1c32c4c1f65b6274f999ba70f1645c93997f1f727c8bdd85e2bcfd093dae759
  technical_plan:
    title: 测试技术方案
    ref: dms://{department}/2026/{system}/technical-plan.pdf
    checksum: sha256:598441697722056a62c5aad9b178f27e9cae9e20cf3e0b0fbe6908ccb504aec1
  contract:
    title: 测试合同
    ref: dms://{department}/2026/{system}/contract.pdf
    checksum: sha256:7fc1296e867f51e839b685561edf1667fbbd15466a69bf465fcc3a925f1ee6a0
  performance_self_test:
    title: 性能自测报告
    ref: dms://{department}/2026/{system}/performance-self-test.pdf
    checksum: sha256:2d921aaa492151621e4335e59b161d84fd5fb6af1207674675bbddae374d92ff
  security_self_test:
    title: 安全自测报告
    ref: dms://{department}/2026/{system}/security-self-test.pdf
    checksum: sha256:2d921aaa492151621e4335e59b161d84fd5fb6af1207674675bbddae374d92ff
resources:
  network:
    cidr: {cidr}
  hosts:
    - name: app
      flavor: {flavor}
      image: cirros-tiny
      count: 1
{disks}{storage}  security:
    mlps_level: 2
    ingress:
      - protocol: tcp
        port: 443
        source: 0.0.0.0/0
        description: HTTPS from the internet
"""

DATA_DISK = """\
      data_disks:
        - size_gb: {size}
"""

VOLUME = """\
  storage:
    volumes:
      - name: {volume}
        size_gb: {size}
"""


def one_host(department: str, department_name: str, system: str, name: str, request_id: str, cidr: str,
             source: str, disk_gb: int | None = None, volume: tuple[str, int] | None = None,
             flavor: str = "gc.c1m2", storage: str = "", summary: str = "") -> str:
    """One cirros server of `flavor` (with a data disk of `disk_gb`), a standalone `volume`
    (name, GB) or the `storage` section as given."""
    if volume:
        storage = VOLUME.format(volume=volume[0], size=volume[1])
    return TEMPLATE.format(
        department=department, department_name=department_name, system=system, name=name, request_id=request_id,
        cidr=cidr, source=source, flavor=flavor, summary=summary or name, storage=storage,
        disks=DATA_DISK.format(size=disk_gb) if disk_gb else "")
