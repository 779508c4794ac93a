"""Minor or major change (art18) by policies/change-classification.yaml, with reasons in both languages."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from provisioner.policy import Policies, files
from provisioner.errors import SpecError
from provisioner.lifecycle.classify import Rules, classify
from provisioner.spec.model import RequestSpec

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Policies(ROOT).classification


@pytest.fixture(scope="module")
def flavors() -> dict[str, Any]:
    return Policies(ROOT).catalogue.flavors


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def spec(raw: dict[str, Any], edit=None) -> RequestSpec:  # noqa: ANN001 - a function editing the dict
    data = copy.deepcopy(raw)
    if edit is not None:
        edit(data)
    return RequestSpec.model_validate(data)


def host(data: dict[str, Any]) -> dict[str, Any]:
    return data["resources"]["hosts"][0]


class Generic:
    """A spec whose resources carry sections this test does not know the model of (read generically)."""

    def __init__(self, base: RequestSpec, **sections: Any) -> None:
        self.resources = base.resources
        self._dump = base.model_dump(mode="json", by_alias=True)
        self._dump["resources"].update(sections)

    def model_dump(self, **_: Any) -> dict[str, Any]:
        return copy.deepcopy(self._dump)


def test_identical_specs_are_a_minor_change(raw, rules, flavors) -> None:  # noqa: ANN001
    result = classify(spec(raw), spec(raw), rules, flavors)
    assert (result.kind, [r.rule for r in result.reasons]) == ("minor", ["no-major-rule"])
    assert "3 个工作日" in result.summary("zh") and "第十八条" in result.summary("zh")
    assert "art18" in result.summary("en")


MAJOR_CASES = [
    ("count 2 -> 4", lambda d: host(d).update(count=4),
     ["growth-instances", "growth-vcpus", "growth-ram_gb", "growth-data_disk_gb"]),
    ("a bigger flavor", lambda d: host(d).update(flavor="gc.c4m8"), ["growth-vcpus", "growth-ram_gb"]),
    ("a flavor outside the catalogue", lambda d: host(d).update(flavor="gc.c64m512"), ["growth-unmeasurable"]),
    ("another data disk", lambda d: host(d)["data_disks"].append({"size_gb": 200}), ["growth-data_disk_gb"]),
    ("a new OS image", lambda d: host(d).update(image="cirros-tiny"), ["host-image"]),
    ("an ingress rule added", lambda d: d["resources"]["security"]["ingress"].append(
        {"protocol": "tcp", "port": 22, "source": "10.0.0.0/8"}), ["security-change"]),
    ("a higher protection level", lambda d: d["resources"]["security"].update(mlps_level=3), ["security-change"]),
    ("another subnet", lambda d: d["resources"]["network"].update(cidr="10.20.2.0/24"), ["network-change"]),
]


@pytest.mark.parametrize(("why", "edit", "expected"), MAJOR_CASES, ids=[c[0] for c in MAJOR_CASES])
def test_major_changes_name_every_reason(raw, rules, flavors, why, edit, expected) -> None:  # noqa: ANN001
    result = classify(spec(raw), spec(raw, edit), rules, flavors)
    assert result.major, why
    assert [r.rule for r in result.reasons] == expected
    assert all(r.zh and r.en and r.zh != r.en for r in result.reasons)
    assert "重大变更" in result.summary("zh") and "major change" in result.summary("en")


MINOR_CASES = [
    ("count 2 -> 3 is exactly +50%", lambda d: host(d).update(count=3)),
    ("fewer hosts", lambda d: host(d).update(count=1)),
    ("a smaller flavor", lambda d: host(d).update(flavor="gc.c1m2")),
    ("anti-affinity switched on", lambda d: host(d).update(anti_affinity=True)),
    ("a contact changed", lambda d: d["applicant"]["contacts"][0].update(phone="0792-8000000")),
]


@pytest.mark.parametrize(("why", "edit"), MINOR_CASES, ids=[c[0] for c in MINOR_CASES])
def test_minor_changes(raw, rules, flavors, why, edit) -> None:  # noqa: ANN001
    result = classify(spec(raw), spec(raw, edit), rules, flavors)
    assert not result.major, (why, result.reasons)


def test_growth_numbers_are_in_the_reason(raw, rules, flavors) -> None:  # noqa: ANN001
    result = classify(spec(raw), spec(raw, lambda d: host(d).update(count=4)), rules, flavors)
    instances = next(r for r in result.reasons if r.rule == "growth-instances")
    assert instances.en == "instances grows from 2 to 4 (+100%, over 50%)"
    assert instances.zh == "主机台数 由 2 增至 4（+100%，超过 50%）"


def test_a_resource_kind_the_old_spec_did_not_have_is_major(raw, rules, flavors) -> None:  # noqa: ANN001
    base = spec(raw)
    old = Generic(base, databases=[], storage={"volumes": [], "buckets": []})
    new = Generic(base, databases=[{"name": "main", "engine": "dm"}], storage={"volumes": [], "buckets": []})
    result = classify(old, new, rules, flavors)
    assert [r.rule for r in result.reasons] == ["new-resource-kind"]
    assert result.reasons[0].en == "new resource kind databases"
    bucket = Generic(base, storage={"volumes": [], "buckets": [{"name": "files"}]})
    assert [r.en for r in classify(old, bucket, rules, flavors).reasons] == ["new resource kind storage.buckets"]


def test_changes_no_rule_measures_follow_the_policy(raw, rules, flavors) -> None:  # noqa: ANN001
    base = spec(raw)
    old = Generic(base, databases=[{"name": "main", "storage_gb": 100}])
    new = Generic(base, databases=[{"name": "main", "storage_gb": 120}])
    assert [r.rule for r in classify(old, new, rules, flavors).reasons] == ["unmeasured-databases"]
    lenient = rules.model_copy(update={"unmeasured_changes": "minor"})
    assert not classify(old, new, lenient, flavors).major


def test_a_section_added_to_the_model_later_is_still_classified(raw, rules, flavors) -> None:  # noqa: ANN001
    base = spec(raw)
    result = classify(Generic(base), Generic(base, gpus=[{"model": "A100", "count": 1}]), rules, flavors)
    assert [r.en for r in result.reasons] == ["new resource kind gpus"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("version: 2\ngrowth: {percent: 50, measures: [vcpus]}\n", "version"),
    ("version: 1\n", "growth"),
    ("version: 1\ngrowth: {percent: 50, measures: [gpus]}\n", "growth.measures"),
    ("version: 1\ngrowth: {percent: 50, measures: [vcpus]}\nsurprise: 1\n", "surprise"),
])
def test_bad_rules_are_reported(text: str, fragment: str) -> None:
    with pytest.raises(SpecError) as caught:
        files.parse(Rules, text, "change-classification.yaml", "art18")
    assert fragment in str(caught.value)
    assert caught.value.problems[0].location.path == "policies/change-classification.yaml"
