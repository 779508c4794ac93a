"""The security inspection's idea of the rules a request asks for is what the program declares.

provisioner/inspection/drift.py compares the cloud's rules with `expected(spec)` without
Pulumi's state; if the program (provisioner/program/system.py) changes the rules it makes,
this fails until the inspection follows. Run over every sample request, under Pulumi's mocks.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from provisioner.inspection.drift import Shape, expected
from provisioner.inspection.exposure import ANY
from provisioner.spec import load_spec
from tests.unit.test_program_mocks import ROOT, declare_under_mocks

SAMPLES = sorted((ROOT / "request_specs").glob("*/*.yaml"))


def _declared(spec_path: Path) -> dict[str, Counter]:
    mocks = declare_under_mocks(spec_path)
    names = {f"{r.name}-id": r.inputs["name"] for r in mocks.resources
             if r.typ == "openstack:networking/secGroup:SecGroup"}
    groups: dict[str, Counter] = {name: Counter() for name in names.values()}
    for r in mocks.resources:
        if r.typ != "openstack:networking/secGroupRule:SecGroupRule":
            continue
        i = r.inputs
        remote = f"group {names[i['remoteGroupId']]}" if i.get("remoteGroupId") else \
            (i.get("remoteIpPrefix") or ANY[i["ethertype"]])
        groups[names[i["securityGroupId"]]][Shape(i["direction"], i["ethertype"], i.get("protocol"),
                                                  i.get("portRangeMin"), i.get("portRangeMax"), remote)] += 1
    return groups


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_expected_rules_are_the_declared_rules(path: Path) -> None:
    wanted = {name: Counter(shape for shape, _ in rules) for name, rules in expected(load_spec(path, ROOT)).items()}
    assert wanted == _declared(path)
