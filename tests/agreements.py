"""Test departments file a service agreement (art22) in their copy of policies/, as a real unit would."""

from __future__ import annotations

from pathlib import Path

ALL_SERVICES = "[hosts, databases, storage, network, security]"


def file_agreement(root: Path, department: str, *, starts: str = "2020-01-01", ends: str = "2099-12-31",
                   services: str = ALL_SERVICES) -> None:
    """Add an agreement for `department` to root/policies/agreements.yaml (a copy the test owns)."""
    path = root / "policies" / "agreements.yaml"
    text = path.read_text(encoding="utf-8")
    number = department.upper().replace("-", "") + "-FW-TEST-01"
    entry = (f"  {department}:\n  - id: {number}\n    content: 测试单位的政务云服务\n"
             f"    starts: {starts}\n    ends: {ends}\n    rights_and_duties: 测试用的权利义务\n"
             f"    liability: 测试用的违约责任\n    filed_on: {starts}\n    services: {services}\n"
             f"    document: dms://{department}/agreements/test.pdf\n")
    head, marker, rest = text.partition("units:\n")
    assert marker, "policies/agreements.yaml has no units: section"
    path.write_text(head + marker + entry + rest, encoding="utf-8")
