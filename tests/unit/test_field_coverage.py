"""Every field of the request schema is built, ordered, checked by policy or a record: never ignored.

Walks request_specs/request-spec.schema.json leaf by leaf. A field under `resources` must
be in one of provisioner.allocation.fields' tables, and the table must be true: changing a
built or ordered field (to each other choice of an enum) changes what the allocation model
makes, or is refused at that field (cloud-unsupported); changing a policy field changes the
policy's findings. Outside `resources` every section is a record.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from provisioner.allocation import allocate
from provisioner.allocation.fields import BUILT, ORDERED, POLICY, RECORD_SECTIONS
from provisioner.policy import Policies
from provisioner.policy.rules import Context, evaluate
from provisioner.spec.model import RequestSpec

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "request_specs/request-spec.schema.json").read_text(encoding="utf-8"))
CATALOGUE = Policies(ROOT).catalogue

Path_ = tuple[str | int, ...]


def _resolve(node: dict) -> dict:
    if "$ref" in node:
        return _resolve(SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in node:            # Optional[X]: the branch that is not null
        return _resolve(next(n for n in node["anyOf"] if n.get("type") != "null"))
    return node


def leaves(node: dict, path: Path_ = ()) -> Iterator[tuple[Path_, dict]]:
    """(path, schema) of every scalar field; list items as index 0."""
    node = _resolve(node)
    if node.get("type") == "object" and "properties" in node:
        for key, child in node["properties"].items():
            yield from leaves(child, path + (key,))
    elif node.get("type") == "array":
        yield from leaves(node["items"], path + (0,))
    else:
        yield path, node


def pattern(path: Path_) -> str:
    """("resources", "hosts", 0, "name") -> "hosts[].name", the tables' spelling."""
    text = ""
    for part in path[1:]:
        text += "[]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def kitchen_sink() -> dict[str, Any]:
    """zk-bm, grown so that every field under `resources` is written at least once."""
    data = yaml.safe_load((ROOT / "request_specs/jj-jyksy/zk-bm.yaml").read_text(encoding="utf-8"))
    res = data["resources"]
    res["hosts"][0].update(system_disk_gb=50)
    res["hosts"][0]["data_disks"][0]["volume_type"] = "nfs1"
    res["databases"][0]["backup"] = {"retention_days": 30, "window": "01:00-03:00"}
    res["storage"].update(volumes=[{"name": "archive", "size_gb": 10, "volume_type": "nfs1"}],
                          shares=[{"name": "docs", "size_gb": 10, "protocol": "nfs"}])
    res["storage"]["buckets"][0]["public_read"] = False
    res["security"]["ingress"][0].update(port=8000, port_max=8010)
    res["security"]["backup"] = {"schedule": "daily", "retention_days": 30, "offsite": False}
    res["security"]["encryption"] = {"at_rest": True, "in_transit": True, "algorithm": "sm4"}
    res["bandwidth"]["load_balancers"][0]["listeners"][0]["backend_port"] = 8443
    res["bandwidth"]["load_balancers"][0]["algorithm"] = "source_ip_port"
    return data


def get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


_OTHER = {"cidr": ["10.99.0.0/24"], "source": ["10.9.0.0/16"], "window": ["05:00-06:00"], "version": ["8.4"],
          "image": ["cirros-tiny"], "members": ["app"], "volume_type": ["ssd"]}


def other_values(key: str, value: Any, schema: dict) -> list[Any]:
    if "enum" in schema:
        return [choice for choice in schema["enum"] if choice != value]
    if schema.get("type") == "boolean":
        return [not value]
    if schema.get("type") == "integer":
        bigger = value + 1
        return [bigger if bigger <= schema.get("maximum", bigger) else value - 1]
    if key == "flavor":
        return ["gc.db.c2m8" if value.startswith("gc.db.") and value != "gc.db.c2m8" else
                "gc.c1m2" if not value.startswith("gc.db.") else "gc.db.c4m16"]
    if key in _OTHER:
        return _OTHER[key]
    return [("b" if value[0] == "a" else "a") + value[1:]]        # names, descriptions: still valid


def _allocation(data: dict):
    return allocate(RequestSpec.model_validate(data), CATALOGUE)


def _findings(data: dict) -> set[tuple[str, tuple]]:
    context = Context(Policies(ROOT).rule_set, date(2026, 11, 27))
    return {(hit.rule, hit.finding.path) for hit in evaluate(RequestSpec.model_validate(data), context)}


BASE = kitchen_sink()
RESOURCE_LEAVES = [(path, schema) for path, schema in leaves(SCHEMA["properties"]["resources"], ("resources",))]


def test_every_field_under_resources_is_in_exactly_one_table_and_every_entry_is_a_field() -> None:
    found = [pattern(path) for path, _ in RESOURCE_LEAVES]
    tables = [*BUILT, *ORDERED, *POLICY]
    assert sorted(found) == sorted(tables), (sorted(set(found) - set(tables)), sorted(set(tables) - set(found)))
    assert len(tables) == len(set(tables))


def test_the_kitchen_sink_writes_every_field_and_is_built_without_refusal() -> None:
    for path, _ in RESOURCE_LEAVES:
        assert get(BASE, path) is not None, pattern(path)
    assert _allocation(BASE).refusals == ()


def test_outside_resources_every_section_is_a_record() -> None:
    assert sorted(k for k in SCHEMA["properties"] if k != "resources") == sorted(RECORD_SECTIONS)


@pytest.mark.parametrize(("path", "schema"), [(p, s) for p, s in RESOURCE_LEAVES
                                               if pattern(p) in BUILT or pattern(p) in ORDERED],
                         ids=lambda value: pattern(value) if isinstance(value, tuple) else "")
def test_a_built_or_ordered_field_changes_the_allocation_or_is_refused_at_its_line(path: Path_, schema: dict) -> None:
    before = _allocation(BASE)
    for value in other_values(str(path[-1]), get(BASE, path), schema):
        after = _allocation(changed(path, value))
        refused = [r for r in after.refusals if r.path[:len(path)] == path]
        assert refused or after != before, f"{pattern(path)} = {value!r} is ignored"


def changed(path: Path_, value: Any) -> dict:
    """BASE with the field at `path` set to `value` (an icmp rule drops its ports: it has none)."""
    data = copy.deepcopy(BASE)
    parent = get(data, path[:-1])
    parent[path[-1]] = value
    if path[-1] == "protocol" and value == "icmp":
        parent.pop("port", None), parent.pop("port_max", None)
    return data


@pytest.mark.parametrize("field", sorted(POLICY))
def test_a_policy_field_changes_what_the_policy_finds(field: str) -> None:
    [(path, schema)] = [(p, s) for p, s in RESOURCE_LEAVES if pattern(p) == field]
    before = _findings(BASE)
    for value in other_values(str(path[-1]), get(BASE, path), schema):
        assert _findings(changed(path, value)) != before, f"{field} = {value!r} changes nothing"
        assert _allocation(changed(path, value)) == _allocation(BASE), f"{field} is policy's, not the cloud's"


@pytest.mark.parametrize(("field", "value"), [
    ("bandwidth.load_balancers[].listeners[].protocol", "http"),
    ("bandwidth.load_balancers[].listeners[].protocol", "https"),
    ("bandwidth.load_balancers[].algorithm", "round_robin"),
    ("bandwidth.load_balancers[].algorithm", "least_connections"),
    ("storage.shares[].protocol", "cifs"),
])
def test_what_this_cloud_cannot_build_is_refused_at_that_very_field(field: str, value: str) -> None:
    [path] = [p for p, _ in RESOURCE_LEAVES if pattern(p) == field]
    allocation = _allocation(changed(path, value))
    [refusal] = allocation.refusals
    assert refusal.path == path
    # Nothing of what the refused item asks for is counted as offered (the load balancer, its
    # public IP; the share), and everything else still is.
    item = path[:4]
    assert {u.offered for u in allocation.units if u.path[:4] == item} == {False}
    assert {u.offered for u in allocation.units if u.path[:4] != item} == {True}
