"""Security group rules in the cloud against the request's, matched by what they let through."""

from __future__ import annotations

from provisioner.inspection.drift import drift, expected
from provisioner.inspection.facts import SecurityGroup, SecurityRule
from provisioner.spec import load_spec
from tests.inspection.world import egress
from tests.policy.conftest import DEEDS, ROOT

SPEC = load_spec(DEEDS, ROOT)       # bdc-dj: MLPS 3, databases (so a database group too)


def _groups_as_asked() -> list[SecurityGroup]:
    groups = []
    for n, (name, rules) in enumerate(expected(SPEC).items()):
        made = []
        for index, (shape, _) in enumerate(rules):
            group_remote = shape.remote.removeprefix("group ") if shape.remote.startswith("group ") else None
            made.append(SecurityRule(f"{name}-{index}", shape.direction, shape.ethertype, shape.protocol, shape.low,
                                     shape.high, None if group_remote else shape.remote,
                                     f"id-{group_remote}" if group_remote else None))
        groups.append(SecurityGroup(f"id-{name}", name, "p", {}, (*made, *egress(n))))
    return groups


def test_the_groups_as_asked_have_no_drift() -> None:
    groups = _groups_as_asked()
    assert [g.name for g in groups] == ["bdc-dj-sg", "bdc-dj-db-sg"]
    assert drift(SPEC, groups) == []


def test_a_missing_database_group_is_each_of_its_rules_missing_at_the_subnet() -> None:
    found = drift(SPEC, _groups_as_asked()[:1])
    assert [(d.kind, d.group, d.rule, d.field) for d in found] == [
        ("missing", "bdc-dj-db-sg", f"ingress IPv4 any {SPEC.resources.network.cidr}", ("resources", "network", "cidr"))]


def test_a_rule_given_by_protocol_number_still_matches() -> None:
    groups = _groups_as_asked()
    main = groups[0]
    first = next(r for r in main.rules if r.protocol == "tcp")
    renamed = SecurityRule(first.id, first.direction, first.ethertype, "6", first.port_range_min, first.port_range_max,
                           first.remote_ip_prefix, None)
    groups[0] = SecurityGroup(main.id, main.name, main.project_id, {}, tuple(renamed if r is first else r
                                                                            for r in main.rules))
    assert drift(SPEC, groups) == []


def test_a_duplicate_of_an_asked_rule_is_one_too_many() -> None:
    groups = _groups_as_asked()
    main = groups[0]
    extra = next(r for r in main.rules if r.protocol == "tcp")
    groups[0] = SecurityGroup(main.id, main.name, main.project_id, {}, (*main.rules, SecurityRule(
        "dup", extra.direction, extra.ethertype, extra.protocol, extra.port_range_min, extra.port_range_max,
        extra.remote_ip_prefix)))
    assert [(d.kind, d.rule_id) for d in drift(SPEC, groups)] == [("unapproved", "dup")]
