"""CIDR values in a spec: the system's subnet must be a private network written as one
(resources.network.cidr), an ingress rule's source any network. formats.cidr remembers the
values it has read: the second spec with the same value must get the same answer."""

from __future__ import annotations

import pytest

from provisioner.spec import check_text
from provisioner.spec.formats import Cidr, cidr

SUBNET = "    cidr: 10.20.1.0/24\n"
SOURCE = "        source: 0.0.0.0/0\n"


def _found(text: str) -> list[tuple[str, str]]:
    return [(p.code, p.message_en) for p in check_text(text, "x.yaml").problems]


@pytest.mark.parametrize(("value", "expected"), [
    ("10.30.0.0/16", []),
    ("fd00:20::/64", []),
    ("10.20.1.7/24", [("network-cidr-host-bits", "has host bits set: did you mean 10.20.1.0/24?")]),
    ("10.20.1.7", [("network-cidr-host-bits", "has host bits set: did you mean 10.20.1.7/32?")]),
    ("202.101.224.0/24", [("network-cidr-public", 'must be a private range')]),
    ("10.20.1.0/33", [("network-cidr-invalid", 'is not a network in CIDR notation')]),
    ('"10.20.1.0 /24"', [("network-cidr-invalid", 'is not a network in CIDR notation')]),
])
def test_the_subnet_is_a_private_network_written_as_one(new_text: str, value: str,
                                                         expected: list[tuple[str, str]]) -> None:
    text = new_text.replace(SUBNET, f"    cidr: {value}\n")
    assert text != new_text
    for _ in range(2):          # the second time from formats.cidr's memory
        found = _found(text)
        assert [code for code, _ in found] == [code for code, _ in expected]
        assert all(words in message for (_, message), (_, words) in zip(found, expected))


@pytest.mark.parametrize(("value", "valid"), [
    ("10.0.0.0/8", True), ("202.101.224.7/32", True), ("10.0.0.1/8", True), ("::/0", True),
    ("0.0.0.0/-1", False), ("anywhere", False), ('""', False)])
def test_a_source_is_any_network(new_text: str, value: str, valid: bool) -> None:
    text = new_text.replace(SOURCE, f"        source: {value}\n")
    assert text != new_text
    for _ in range(2):
        assert [code for code, _ in _found(text) if code.startswith("network-")] == (
            [] if valid else ["network-cidr-invalid"])


def test_cidr_reads_a_value_as_ipaddress_does() -> None:
    assert cidr("192.168.7.9/16") == Cidr("192.168.0.0/16", True)
    assert cidr("8.8.8.0/24") == Cidr("8.8.8.0/24", False)
    assert cidr("10.0.0.0/8/8") is None
