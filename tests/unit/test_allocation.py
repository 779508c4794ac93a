"""The allocation model on the samples: what a request allocates, each unit at its spec field (pure)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from provisioner.allocation import allocate, dotted, undotted
from provisioner.allocation import kinds
from provisioner.policy import Policies
from provisioner.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Policies(ROOT).catalogue


def _of(sample: str):
    return allocate(load_spec(ROOT / "request_specs" / sample, ROOT), CATALOGUE)


def test_a_database_with_a_standby_is_two_hosts_two_disks_two_instances_in_one_place() -> None:
    allocation = _of("jj-jyksy/zk-bm.yaml")                   # bmdb: gc.db.c8m32, 500 GB, high_availability
    assert [(s.name, s.primary, s.group) for s in allocation.database_servers] == [
        ("db-bmdb-1", True, "db-bmdb"), ("db-bmdb-2", False, "db-bmdb")]
    assert [(u.path[-1], u.amount) for u in allocation.of(kinds.DATABASES)] == [(0, 1), ("high_availability", 1)]
    assert [u.amount for u in allocation.of(kinds.BLOCK, ("resources", "databases"))] == [500, 500]
    assert allocation.total(kinds.DATABASES) == 2


def test_system_disks_are_the_requested_size_or_the_flavors_and_billed_as_block_storage() -> None:
    allocation = _of("jj-rsj/shebao-jb.yaml")     # web: gc.c4m8 (40 GB), no size; app: gc.c8m16, 100 GB asked
    system = {d.name: d.size_gb for d in allocation.disks if d.image is not None}
    assert system == {"web-1-system": 40, "web-2-system": 40, **{f"app-{n}-system": 100 for n in range(1, 5)}}
    assert allocation.total(kinds.BLOCK) == 2 * 40 + 4 * 100 + 2 * 100 + 4 * 200 + 2 * 2000


def test_public_ips_go_to_the_first_hosts_and_a_public_load_balancer_holds_one_of_its_own() -> None:
    allocation = _of("jj-jyksy/zk-bm.yaml")
    assert [(ip.name, ip.server) for ip in allocation.public_ips] == [("eip1", "web-1")]
    [lb] = allocation.balancers
    assert (lb.members, [(ln.protocol, ln.port, ln.backend_port) for ln in lb.listeners], lb.provider) == (
        ("web-1", "web-2", "web-3"), [("tcp", 443, 443), ("tcp", 80, 80)], "ovn")
    assert [u.path for u in allocation.of(kinds.FLOATING_IPS)] == [
        ("resources", "bandwidth", "public_ips"), ("resources", "bandwidth", "load_balancers", 0, "public")]
    assert allocation.total(kinds.BANDWIDTH) == 100 and allocation.refusals == ()


def test_ordered_services_carry_their_terms_and_each_is_a_unit() -> None:
    allocation = _of("jj-rsj/shebao-jb.yaml")
    services = {s.name: dict(s.terms) for s in allocation.services}
    assert services["backup"] == {"schedule": "daily", "retention_days": 180, "offsite": True}
    assert services["encryption"] == {"algorithm": "sm4"}
    assert {u.kind.resource for u in allocation.of(kinds.SECURITY["waf"])} == {"waf"}
    assert allocation.amounts()["security/bastion"] == Fraction(1)


@pytest.mark.parametrize("text", ["hosts[0]", "hosts[0].data_disks[1]", "network.cidr",
                                  "bandwidth.load_balancers[15].listeners[15]"])
def test_a_field_label_reads_back_into_its_path_and_fits_a_nova_tag(text: str) -> None:
    assert dotted(undotted(text)) == text
    assert len(f"field={text}") <= 60


def test_the_longest_field_any_sample_labels_fits_a_nova_tag() -> None:
    longest = max((dotted(item.path) for sample in sorted((ROOT / "request_specs").glob("*/*.yaml"))
                   for item in _of(str(sample.relative_to(ROOT / "request_specs"))).items()), key=len)
    assert len(f"field={longest}") <= 60, longest
