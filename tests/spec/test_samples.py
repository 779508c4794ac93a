"""The samples under request_specs/ are valid, varied, and keep what the Pulumi program reads."""

from __future__ import annotations

import pytest

from provisioner.spec import check_file, load_spec
from tests.spec.conftest import ROOT, SAMPLES


@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_sample_is_valid(path) -> None:
    checked = check_file(path, ROOT)
    assert checked.problems == []
    assert checked.spec is not None


def test_samples_cover_departments_regions_and_kinds() -> None:
    specs = [load_spec(path, ROOT) for path in SAMPLES]
    assert len(specs) >= 6
    assert len({s.department for s in specs}) >= 4
    assert "city" in {s.region for s in specs}
    assert len({s.region for s in specs} - {"city"}) >= 2
    assert {s.application.kind for s in specs} == {"new", "migration"}
    assert any(s.applicant.budget_level == 2 for s in specs)
    assert any(s.change is not None for s in specs) and any(s.termination is not None for s in specs)
    assert any(s.trial.extensions for s in specs) and any(s.acceptance.provider for s in specs)


def test_every_sample_names_the_schema_for_editors() -> None:
    for path in SAMPLES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../request-spec.schema.json", path


def test_the_portal_sample_keeps_the_resources_the_program_declares() -> None:
    spec = load_spec(ROOT / "request_specs/jj-xzspj/zwfw-portal.yaml", ROOT)
    assert (spec.region, spec.department, spec.metadata.system, spec.metadata.request_id) == (
        "city", "jj-xzspj", "zwfw-portal", "JJ-2026-0001")
    assert spec.applicant.department_name == "九江市行政审批局"
    assert spec.resources.network.cidr == "10.20.1.0/24"
    [host] = spec.resources.hosts
    assert (host.name, host.flavor, host.image, host.count, host.anti_affinity) == (
        "web", "gc.c2m4", "kylin-v10-tiny", 2, False)
    assert [(d.size_gb, d.volume_type) for d in host.data_disks] == [(100, None)]
    security = spec.resources.security
    assert security.mlps_level == 2
    assert [(r.protocol, r.port_range, r.source) for r in security.ingress] == [("tcp", (443, 443), "0.0.0.0/0")]
    assert security.ingress[0].description == "HTTPS from the internet"


def test_port_range_of_a_range_and_of_all_ports() -> None:
    spec = load_spec(ROOT / "request_specs/wn-yjglj/yjzh.yaml", ROOT)
    assert [r.port_range for r in spec.resources.security.ingress] == [(443, 443), (10000, 20000)]
    from provisioner.spec.security import IngressRule
    assert IngressRule(protocol="icmp", source="10.0.0.0/8").port_range == (None, None)
